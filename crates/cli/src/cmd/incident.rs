//! `dengbao incident clocks --profile NETWORK.toml --incident INCIDENT.toml [--json] [--lang en]`:
//! the grade of an incident and every report it makes owed, computed and printed, nothing
//! stored. The computation is `dengbao_incidents`; this reads the two files and prints.
//! The register (`open|grade|report|close|list`) is `incident_register.rs`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, Subcommand};
use dengbao_duties::Profile;
use dengbao_incidents::{Incident, Lang, Operator, Rules};

use crate::{BadInput, Ctx};

#[derive(Subcommand, Debug)]
pub enum IncidentCmd {
    /// The incident's grade (网络安全事件分级指南) and every report owed, with deadlines.
    Clocks(ClocksArgs),
    /// Open an incident in the register: grade proposed from the facts, the log centre's legal hold placed.
    Open(super::incident_register::OpenArgs),
    /// Confirm or override the grade (with a reason); new facts and the end of handling recompute it.
    Grade(super::incident_register::GradeArgs),
    /// Record a report sent (which report, when, by whom, channel, attachment).
    Report(super::incident_register::ReportArgs),
    /// Close an incident (every timed report sent, handling ended); the hold ends at the close.
    Close(super::incident_register::CloseArgs),
    /// The register's incidents with each report's clock: met, due, overdue.
    List(super::incident_register::ListArgs),
    /// Emergency plans (应急预案): add | list.
    #[command(subcommand)]
    Plan(super::incident_emergency::PlanCmd),
    /// Emergency drills (应急演练): add | list.
    #[command(subcommand)]
    Drill(super::incident_emergency::DrillCmd),
    /// Requests to delete or correct personal information (网络安全法 第四十三条): add | close | list.
    #[command(subcommand, name = "pi-request")]
    PiRequest(super::incident_pi::PiCmd),
}

#[derive(Args, Debug)]
pub struct ClocksArgs {
    /// The network's profile (the file `dengbao duties --profile` reads).
    #[arg(long)]
    pub profile: PathBuf,
    /// The incident: detected_at, category and the facts (data/incidents/README.md).
    #[arg(long)]
    pub incident: PathBuf,
    /// JSON on stdout: {"grade", "grade_zh", "grade_reasons", "reports", …}.
    #[arg(long)]
    pub json: bool,
}

pub fn run(cmd: IncidentCmd, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    match cmd {
        IncidentCmd::Clocks(a) => clocks(a, ctx),
        IncidentCmd::Open(a) => super::incident_register::open(a, ctx),
        IncidentCmd::Grade(a) => super::incident_register::grade(a, ctx),
        IncidentCmd::Report(a) => super::incident_register::report(a, ctx),
        IncidentCmd::Close(a) => super::incident_register::close(a, ctx),
        IncidentCmd::List(a) => super::incident_register::list(a, ctx),
        IncidentCmd::Plan(c) => super::incident_emergency::plan(c, ctx),
        IncidentCmd::Drill(c) => super::incident_emergency::drill(c, ctx),
        IncidentCmd::PiRequest(c) => super::incident_pi::run(c, ctx),
    }
}

fn read(flag: &str, path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).map_err(|e| {
        BadInput::new(format!(
            "{flag} {}: 无法读取 / cannot read: {e}",
            path.display()
        ))
    })
}

fn clocks(a: ClocksArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    // The global --lang (DENGBAO_LANG), in the incident renderer's terms.
    let lang = if ctx.lang.is_en() { Lang::En } else { Lang::Zh };
    let rules = Rules::builtin().context("the embedded incident reporting rules")?;
    let profile = Profile::from_toml_str(&read("--profile", &a.profile)?)
        .map_err(|e| BadInput::new(format!("{}: {e}", a.profile.display())))?;
    let incident = Incident::from_toml_str(&read("--incident", &a.incident)?, &rules)
        .map_err(|e| BadInput::new(format!("{}: {e}", a.incident.display())))?;
    let op = Operator {
        class: profile.operator_class,
        industry: profile.network.industry.as_deref(),
    };
    let out = dengbao_incidents::clocks(&incident, op, &rules)
        .map_err(|e| BadInput::new(format!("{}: {e}", a.incident.display())))?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        print!("{}", dengbao_incidents::text(&out, &rules, lang));
    }
    Ok(ExitCode::SUCCESS)
}
