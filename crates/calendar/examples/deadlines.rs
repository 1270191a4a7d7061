//! Times `add_workdays(_, 10)` (the 条例 第十八条 filing deadline) for 100,000 grading
//! dates spread over 2025, and prints a few deadlines. Run with
//! `cargo run --release -p dengbao-calendar --example deadlines`.

use std::time::Instant;

use dengbao_calendar::Calendar;
use jiff::civil::date;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cal = Calendar::builtin()?;
    let start = date(2025, 1, 1);
    let dates: Vec<_> = (0..100_000)
        .map(|i| start.checked_add(jiff::Span::new().days(i % 360)))
        .collect::<Result<_, _>>()?;
    let t = Instant::now();
    let mut last = start;
    for d in &dates {
        last = last.max(cal.add_workdays(*d, 10)?);
    }
    let elapsed = t.elapsed();
    println!("100,000 filing deadlines in {elapsed:?} (latest {last})");
    for d in [date(2025, 1, 27), date(2025, 9, 26), date(2026, 2, 12)] {
        println!("graded {d} → file by {}", cal.add_workdays(d, 10)?);
    }
    Ok(())
}
