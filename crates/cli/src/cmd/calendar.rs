//! `dengbao calendar add-workdays DATE N`, `dengbao calendar is-workday DATE`,
//! `dengbao calendar years`.
//!
//! The calendar is the builtin one (2025, 2026) plus any `*.toml` in
//! `<data-dir>/calendar/`, which adds or replaces a year. A year after the last notice is
//! provisional (statutory holidays and weekends, decision 0409) and every answer that
//! depends on it says so; `--strict` refuses such years instead (exit 2).

use std::process::ExitCode;

use clap::{Args, Subcommand};
use dengbao_calendar::{Calendar, CalendarError, PROVISIONAL_NOTE_EN, PROVISIONAL_NOTE_ZH};
use dengbao_types::Lang;
use jiff::civil::Date;
use serde_json::json;

use crate::say::{quoted, t};
use crate::{BadInput, Ctx};

#[derive(Subcommand, Debug)]
pub enum CalendarCmd {
    /// The date N working days after DATE (DATE itself not counted).
    AddWorkdays {
        date: String,
        #[arg(allow_hyphen_values = true)]
        n: String,
        #[command(flatten)]
        opts: CalendarOpts,
    },
    /// `true` if DATE is a working day in mainland China, else `false`.
    IsWorkday {
        date: String,
        #[command(flatten)]
        opts: CalendarOpts,
    },
    /// The years the calendar knows: each notice, then the provisional years.
    Years {
        #[command(flatten)]
        opts: CalendarOpts,
    },
}

#[derive(Args, Debug)]
pub struct CalendarOpts {
    /// JSON on stdout: {"date", "provisional", "basis"}.
    #[arg(long)]
    json: bool,
    /// Fail (exit 2) on a year without a loaded State Council notice instead of computing it
    /// provisionally.
    #[arg(long)]
    strict: bool,
}

pub fn run(cmd: CalendarCmd, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let cal = Calendar::with_overrides(&ctx.data_dir.join("calendar")).map_err(calendar_error)?;
    let strict = |opts: &CalendarOpts, cal: Calendar| if opts.strict { cal.strict() } else { cal };
    match cmd {
        CalendarCmd::AddWorkdays { date, n, opts } => {
            let cal = strict(&opts, cal);
            let date = parse_date(&date)?;
            let n: u32 = n.trim().parse().map_err(|_| {
                BadInput::new(format!(
                    "N: 工作日数必须是非负整数 / N must be a whole number of working days, 0 or more; got {n:?}"
                ))
            })?;
            let due = cal.deadline(date, n).map_err(calendar_error)?;
            print_date(&cal, due.date, None, &opts, ctx.lang)?;
        }
        CalendarCmd::IsWorkday { date, opts } => {
            let cal = strict(&opts, cal);
            let date = parse_date(&date)?;
            let workday = cal.is_workday(date).map_err(calendar_error)?;
            print_date(&cal, date, Some(workday), &opts, ctx.lang)?;
        }
        CalendarCmd::Years { opts } => print_years(&strict(&opts, cal), opts.json, ctx.lang),
    }
    Ok(ExitCode::SUCCESS)
}

/// One date (and, for `is-workday`, the answer), with its provisional mark and basis.
fn print_date(
    cal: &Calendar,
    date: Date,
    workday: Option<bool>,
    opts: &CalendarOpts,
    lang: Lang,
) -> anyhow::Result<()> {
    let basis = cal.basis(date).map_err(calendar_error)?;
    if opts.json {
        let mut v = json!({
            "date": date.to_string(),
            "provisional": basis.provisional,
            "basis": basis.zh,
        });
        if let Some(w) = workday {
            v["workday"] = json!(w);
        }
        println!("{v}");
        return Ok(());
    }
    let answer = workday.map_or_else(|| date.to_string(), |w| w.to_string());
    if basis.provisional {
        match lang {
            Lang::ZhCn => println!("{answer}（暂定：{PROVISIONAL_NOTE_ZH}）"),
            Lang::En => println!("{answer} ({PROVISIONAL_NOTE_EN})"),
        }
    } else {
        println!("{answer}");
    }
    Ok(())
}

fn print_years(cal: &Calendar, json_out: bool, lang: Lang) {
    let rules = cal.statutory_rules();
    if json_out {
        let notices: Vec<_> = cal
            .years()
            .iter()
            .map(|y| {
                json!({
                    "year": y.year,
                    "title": y.notice.title,
                    "number": y.notice.number,
                    "published": y.notice.published.to_string(),
                    "file": y.notice.file,
                })
            })
            .collect();
        let provisional = cal
            .provisional_years()
            .map(|r| json!({"from": r.start(), "to": r.end(), "basis": rules.basis_zh()}));
        println!(
            "{}",
            json!({"notices": notices, "provisional": provisional})
        );
        return;
    }
    for y in cal.years() {
        match lang {
            Lang::ZhCn => println!(
                "{} 年\t{}，{} 发布\t{}",
                y.year,
                y.notice.citation_zh(),
                y.notice.published,
                y.notice.file
            ),
            Lang::En => println!(
                "{}\t{}, published {}\t{}",
                y.year,
                quoted(lang, &y.notice.citation_zh()),
                y.notice.published,
                y.notice.file
            ),
        }
    }
    match (cal.provisional_years(), lang) {
        (Some(r), Lang::ZhCn) => println!(
            "{}–{} 年\t暂定：{}，{PROVISIONAL_NOTE_ZH}",
            r.start(),
            r.end(),
            rules.basis_zh()
        ),
        (Some(r), Lang::En) => println!(
            "{}–{}\t{}: {}",
            r.start(),
            r.end(),
            PROVISIONAL_NOTE_EN,
            rules.basis_en()
        ),
        (None, _) => println!(
            "{}",
            t(
                lang,
                "其余年份\t严格模式：未载入国务院通知的年份一律拒绝计算",
                "other years\tstrict: a year without a loaded State Council notice is refused"
            )
        ),
    }
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
