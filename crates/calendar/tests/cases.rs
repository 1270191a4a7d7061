//! Data-driven calendar tests: cases in `tests/cases.txt`, checked by one helper.

use std::collections::BTreeSet;

use dengbao_calendar::{Calendar, CalendarError};
use jiff::civil::{Date, Weekday};

fn date(s: &str, line: usize) -> Date {
    s.parse()
        .unwrap_or_else(|e| panic!("cases.txt:{line}: bad date {s:?}: {e}"))
}

fn days(from: Date, to: Date) -> Vec<Date> {
    let mut out = Vec::new();
    let mut d = from;
    while d <= to {
        out.push(d);
        d = d.tomorrow().expect("tomorrow");
    }
    out
}

enum Expect<T> {
    Value(T),
    OutOfRange,
}

fn check<T: PartialEq + std::fmt::Debug>(
    line: usize,
    what: &str,
    got: Result<T, CalendarError>,
    want: Expect<T>,
) {
    match (got, want) {
        (Ok(g), Expect::Value(w)) => assert_eq!(g, w, "cases.txt:{line}: {what}"),
        (Err(CalendarError::OutOfRange { date, covered }), Expect::OutOfRange) => {
            assert!(!covered.contains(&date.year()), "cases.txt:{line}: {what}");
            let msg = CalendarError::OutOfRange { date, covered }.to_string();
            assert!(
                msg.contains(&date.to_string()),
                "message names the date: {msg}"
            );
        }
        (g, Expect::Value(w)) => panic!("cases.txt:{line}: {what}: want {w:?}, got {g:?}"),
        (g, Expect::OutOfRange) => {
            panic!("cases.txt:{line}: {what}: want out_of_range, got {g:?}")
        }
    }
}

#[test]
fn calendar_cases() {
    // Strict: the notices' years are checked against the notices, and every other year
    // fails closed. The provisional years have their own cases below.
    let cal = Calendar::builtin().expect("builtin calendar").strict();
    let provisional = Calendar::builtin().expect("builtin calendar");
    let mut statutory = BTreeSet::new();
    let text = include_str!("cases.txt");
    let mut holidays = BTreeSet::new();
    let mut workdays = BTreeSet::new();
    let mut checked = 0;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.trim();
        if raw.is_empty() || raw.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = raw.split_whitespace().collect();
        match f.as_slice() {
            ["holiday", from] => {
                holidays.insert(date(from, line));
            }
            ["holiday", from, to] => holidays.extend(days(date(from, line), date(to, line))),
            ["workday", d] => {
                workdays.insert(date(d, line));
            }
            ["is_workday", d, want] => {
                let want = match *want {
                    "out_of_range" => Expect::OutOfRange,
                    "true" => Expect::Value(true),
                    "false" => Expect::Value(false),
                    other => panic!("cases.txt:{line}: bad expectation {other:?}"),
                };
                check(line, raw, cal.is_workday(date(d, line)), want);
                checked += 1;
            }
            ["add", d, n, want] => {
                let n: u32 = n.parse().expect("N");
                let want = match *want {
                    "out_of_range" => Expect::OutOfRange,
                    w => Expect::Value(date(w, line)),
                };
                check(line, raw, cal.add_workdays(date(d, line), n), want);
                checked += 1;
            }
            ["statutory", from] => {
                statutory.insert(date(from, line));
            }
            ["statutory", from, to] => statutory.extend(days(date(from, line), date(to, line))),
            ["provisional_add", d, n, want, mark] => {
                let n: u32 = n.parse().expect("N");
                let got = provisional
                    .deadline(date(d, line), n)
                    .unwrap_or_else(|e| panic!("cases.txt:{line}: {raw}: {e}"));
                assert_eq!(got.date, date(want, line), "cases.txt:{line}: {raw}");
                let want_mark = match *mark {
                    "provisional" => true,
                    "confirmed" => false,
                    other => panic!("cases.txt:{line}: bad mark {other:?}"),
                };
                assert_eq!(got.provisional, want_mark, "cases.txt:{line}: {raw}");
                checked += 1;
            }
            _ => panic!("cases.txt:{line}: cannot read {raw:?}"),
        }
    }
    assert!(checked > 20, "cases.txt was read");

    // Provisional 2027 and 2028: exactly the statutory days and the weekends are off.
    let all = days(date("2027-01-01", 0), date("2028-12-31", 0));
    for d in all {
        let weekend = matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday);
        assert_eq!(
            provisional.is_workday(d).ok(),
            Some(!weekend && !statutory.contains(&d)),
            "{d} ({:?}) provisional, statutory listed {}",
            d.weekday(),
            statutory.contains(&d)
        );
        assert!(provisional.is_provisional(d), "{d} is provisional");
    }
    // Holidays on their statutory dates lie inside the notices' holidays in 2025–2026:
    // the lunisolar computation agrees with the State Council.
    let rules = provisional.statutory_rules();
    for year in [2025, 2026] {
        let y = rules.year(year).expect("rule year");
        for h in &y.holidays {
            for d in days(h.from, h.to) {
                assert!(
                    holidays.contains(&d),
                    "{} {d} is a day off in the {year} notice",
                    h.zh
                );
            }
        }
    }

    // Every listed holiday day is a rest day, every adjusted workday a working day, and
    // every other day follows the Monday–Friday rule: all 730 days of 2025–2026.
    let all = days(date("2025-01-01", 0), date("2026-12-31", 0));
    assert_eq!(all.len(), 730);
    for d in all {
        let weekend = matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday);
        let want = workdays.contains(&d) || (!weekend && !holidays.contains(&d));
        assert_eq!(
            cal.is_workday(d).ok(),
            Some(want),
            "{d} ({:?}): holiday listed {}, workday listed {}",
            d.weekday(),
            holidays.contains(&d),
            workdays.contains(&d)
        );
    }
    assert_eq!(
        (holidays.len(), workdays.len()),
        (61, 11),
        "days listed in cases.txt"
    );
}
