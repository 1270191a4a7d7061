//! `dengbao training records --server … --token … --network … [--json]`: a network's training
//! records on a server (decision 1502) — each session with its hours, trainer, attendees and
//! whether it covered every key post (and so met the training duty), then each person's hours
//! per year (decision 1505) — for an assessor or an operator at a terminal. A refused network or token exits 1, said so.

use std::process::ExitCode;

use clap::Args;
use dengbao_types::Lang;
use serde_json::Value;

use crate::cmd::remote::{Remote, ServerArgs};

#[derive(Args, Debug)]
pub struct RecordsArgs {
    #[command(flatten)]
    pub server: ServerArgs,
    /// The sessions as the API gives them (JSON).
    #[arg(long)]
    pub json: bool,
}

pub fn run_records(a: RecordsArgs, lang: Lang) -> anyhow::Result<ExitCode> {
    let remote = Remote::new(&a.server, lang)?;
    let path = format!("/api/networks/{}/training-sessions", a.server.network);
    let answer = remote.send("GET", &path, None)?;
    let sessions = remote.ok(answer, "--network")?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&sessions)?);
        return Ok(ExitCode::SUCCESS);
    }
    let list = sessions.as_array().cloned().unwrap_or_default();
    if list.is_empty() {
        println!(
            "{}",
            lang.pick("尚未记录培训。", "No training recorded yet.")
        );
        return Ok(ExitCode::SUCCESS);
    }
    for s in &list {
        println!("{}", session_line(s, lang));
    }
    // Each person's hours per year are the organisation's (over all its networks): read
    // from the network's organisation, as the training page shows them.
    let net = remote.send("GET", &format!("/api/networks/{}", a.server.network), None)?;
    let org = remote.ok(net, "--network")?["org_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let answer = remote.send(
        "GET",
        &format!("/api/organisations/{org}/training-hours"),
        None,
    )?;
    let hours = remote.ok(answer, "--network")?;
    println!();
    println!(
        "{}",
        lang.pick(
            "每人每年培训学时（本单位全部网络；法律未规定最低学时）：",
            "Training hours per person and year (all networks of the organisation; the law sets no minimum):"
        )
    );
    for h in hours.as_array().cloned().unwrap_or_default() {
        println!("{}", hours_line(&h, lang));
    }
    Ok(ExitCode::SUCCESS)
}

/// One person's hours in one year, in the reader's language.
fn hours_line(h: &Value, lang: Lang) -> String {
    let year = h["year"].as_i64().unwrap_or_default();
    let name = h["name"].as_str().unwrap_or_default();
    let hours = h["hours"].as_f64().unwrap_or_default();
    let sessions = h["sessions"].as_i64().unwrap_or_default();
    match lang {
        Lang::ZhCn => format!("{year} {name} {hours} 学时（{sessions} 次）"),
        Lang::En => format!(
            "{year} {} {hours} h ({sessions} sessions)",
            dengbao_i18n::quoted(lang, name)
        ),
    }
}

/// One session in the reader's language.
fn session_line(s: &Value, lang: Lang) -> String {
    let text = |k: &str| s[k].as_str().unwrap_or_default().to_string();
    let hours = s["hours"].as_f64().unwrap_or_default();
    let attendees = s["attendees"].as_array().map(Vec::len).unwrap_or_default();
    let covers = s["event_id"].is_string();
    match lang {
        Lang::ZhCn => format!(
            "{} {}（{hours} 学时，讲师：{}，参加 {attendees} 人，{}）",
            text("held_on"),
            text("topic"),
            text("trainer"),
            if covers {
                "覆盖全部关键岗位，计入培训义务"
            } else {
                "未覆盖全部关键岗位，不计入培训义务"
            }
        ),
        Lang::En => format!(
            "{} {} ({hours} h, trainer {}, {attendees} attended, {})",
            text("held_on"),
            dengbao_i18n::quoted(lang, &text("topic")),
            dengbao_i18n::quoted(lang, &text("trainer")),
            if covers {
                "covered every key post: counts for the training duty"
            } else {
                "missed a key post: does not count for the training duty"
            }
        ),
    }
}
