//! `dengbao calendar add-workdays DATE N`, `dengbao calendar is-workday DATE`.
//!
//! The calendar is the builtin one (2025, 2026) plus any `*.toml` in
//! `<data-dir>/calendar/`, which adds or replaces a year.

use std::process::ExitCode;

use clap::Subcommand;
use dengbao_calendar::{Calendar, CalendarError};
use jiff::civil::Date;

use crate::{BadInput, Ctx};

#[derive(Subcommand, Debug)]
pub enum CalendarCmd {
    /// The date N working days after DATE (DATE itself not counted).
    AddWorkdays {
        date: String,
        #[arg(allow_hyphen_values = true)]
        n: String,
    },
    /// `true` if DATE is a working day in mainland China, else `false`.
    IsWorkday { date: String },
}

pub fn run(cmd: CalendarCmd, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let cal = Calendar::with_overrides(&ctx.data_dir.join("calendar")).map_err(calendar_error)?;
    match cmd {
        CalendarCmd::AddWorkdays { date, n } => {
            let date = parse_date(&date)?;
            let n: u32 = n.trim().parse().map_err(|_| {
                BadInput::new(format!(
                    "N: 工作日数必须是非负整数 / N must be a whole number of working days, 0 or more; got {n:?}"
                ))
            })?;
            let due = cal.add_workdays(date, n).map_err(calendar_error)?;
            println!("{due}");
        }
        CalendarCmd::IsWorkday { date } => {
            let date = parse_date(&date)?;
            println!("{}", cal.is_workday(date).map_err(calendar_error)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_date(s: &str) -> anyhow::Result<Date> {
    let s = s.trim();
    // jiff accepts only YYYY-MM-DD here; anything else (or 2025-02-30) is refused.
    s.parse::<Date>().map_err(|e| {
        BadInput::new(format!(
            "DATE: 日期无效，格式应为 YYYY-MM-DD / not a valid date YYYY-MM-DD: {s:?} ({e})"
        ))
    })
}

/// Out-of-range dates and bad files under `--data-dir` are the user's input: exit 2.
fn calendar_error(e: CalendarError) -> anyhow::Error {
    match e {
        CalendarError::Io { .. } | CalendarError::Arithmetic(_) => anyhow::Error::new(e),
        other => BadInput::new(other.to_string()),
    }
}
