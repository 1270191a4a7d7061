//! `dengbao incident plan add|list` and `dengbao incident drill add|list [--json]`: the
//! network's emergency plans and drills in the store (decision 0507), each recorded with its
//! audit entry and the network event the duty engine reads. Bad input exits 2 naming the
//! field, in the reader's language; nothing is written.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use dengbao_store::{DrillInput, EmergencyDrill, EmergencyPlan, PlanInput, StoreError};
use dengbao_types::{Lang, Text};

use super::incident_register::{open_store, runtime};
use crate::{BadInput, Ctx};

#[derive(Subcommand, Debug)]
pub enum PlanCmd {
    /// Record an approved emergency plan (its approval meets 网络安全法 第二十五条's plan duty).
    Add(PlanAddArgs),
    /// The network's plans, latest approval first.
    List(ListArgs),
}

#[derive(Subcommand, Debug)]
pub enum DrillCmd {
    /// Record a drill of a plan (meets the drill duties until the catalog's cadence runs out).
    Add(DrillAddArgs),
    /// The network's drills, latest first.
    List(ListArgs),
}

#[derive(Args, Debug)]
pub struct PlanAddArgs {
    #[arg(long)]
    pub network: String,
    #[arg(long)]
    pub title: String,
    #[arg(long)]
    pub version: String,
    /// The day it was approved, YYYY-MM-DD (not after today).
    #[arg(long)]
    pub approved_on: String,
    /// Who approved it.
    #[arg(long)]
    pub approved_by: String,
    /// The document: evidence of this network (its id) …
    #[arg(long)]
    pub evidence: Option<String>,
    /// … or an http(s) link to it.
    #[arg(long)]
    pub link: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct DrillAddArgs {
    #[arg(long)]
    pub network: String,
    /// The plan drilled (`incident plan list` shows its id).
    #[arg(long)]
    pub plan: String,
    /// The day it was held, YYYY-MM-DD (not after today, not before the plan's approval).
    #[arg(long)]
    pub held_on: String,
    #[arg(long)]
    pub scenario: String,
    #[arg(long)]
    pub participants: String,
    #[arg(long, default_value = "")]
    pub findings: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    #[arg(long)]
    pub network: String,
    #[arg(long)]
    pub json: bool,
}

/// A store error as the reader reads it: bad input names the field (exit 2).
pub(super) fn user(e: StoreError, lang: Lang) -> anyhow::Error {
    match e {
        StoreError::Invalid { field, message } => {
            let m = Text::from_joined(&message);
            BadInput::new(match lang {
                Lang::ZhCn => format!("{field}：{}", m.zh),
                Lang::En => format!("{field}: {}", m.en),
            })
        }
        StoreError::NotFound { what, id } => BadInput::new(match lang {
            Lang::ZhCn => format!("{what}：没有这条记录：{id}"),
            Lang::En => format!("{what}: no such {what}: {id}"),
        }),
        other => anyhow::Error::new(other),
    }
}

fn plan_lines(p: &EmergencyPlan, lang: Lang) -> String {
    let doc = match (&p.evidence_id, &p.link) {
        (Some(e), _) => e.clone(),
        (None, Some(l)) => l.clone(),
        (None, None) => String::new(),
    };
    match lang {
        Lang::ZhCn => format!(
            "应急预案 {}\n  名称：{} 版本：{}\n  批准：{}（{}）\n  文件：{doc}\n",
            p.id, p.title, p.version, p.approved_on, p.approved_by
        ),
        Lang::En => format!(
            "plan {}\n  title: {} version: {}\n  approved: {} by {}\n  document: {doc}\n",
            p.id,
            dengbao_i18n::quoted(lang, &p.title),
            dengbao_i18n::quoted(lang, &p.version),
            p.approved_on,
            dengbao_i18n::quoted(lang, &p.approved_by)
        ),
    }
}

fn drill_lines(d: &EmergencyDrill, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!(
            "应急演练 {}\n  日期：{} 预案：{}\n  场景：{}\n  参加人员：{}\n  发现：{}\n",
            d.id, d.held_on, d.plan_id, d.scenario, d.participants, d.findings
        ),
        Lang::En => format!(
            "drill {}\n  held on: {} plan: {}\n  scenario: {}\n  participants: {}\n  findings: {}\n",
            d.id,
            d.held_on,
            d.plan_id,
            dengbao_i18n::quoted(lang, &d.scenario),
            dengbao_i18n::quoted(lang, &d.participants),
            dengbao_i18n::quoted(lang, &d.findings)
        ),
    }
}

/// Prints `items` as pretty JSON, or each as its text lines.
pub(crate) fn show<T: serde::Serialize>(
    items: &[T],
    json: bool,
    lines: impl Fn(&T) -> String,
) -> anyhow::Result<ExitCode> {
    if json {
        println!("{}", serde_json::to_string_pretty(items)?);
    } else {
        for i in items {
            print!("{}", lines(i));
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn plan(cmd: PlanCmd, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    runtime()?.block_on(async {
        let store = open_store(ctx).await?;
        let (plans, json) = match cmd {
            PlanCmd::Add(a) => {
                let input = PlanInput {
                    title: a.title,
                    version: a.version,
                    approved_on: a.approved_on,
                    approved_by: a.approved_by,
                    evidence_id: a.evidence,
                    link: a.link,
                };
                let p = store
                    .add_emergency_plan("cli", &a.network, input)
                    .await
                    .map_err(|e| user(e, lang))?;
                (vec![p], a.json)
            }
            PlanCmd::List(a) => {
                store
                    .get_network(&a.network)
                    .await
                    .map_err(|e| user(e, lang))?;
                let plans = store
                    .list_emergency_plans(&a.network)
                    .await
                    .map_err(|e| user(e, lang))?;
                (plans, a.json)
            }
        };
        store.close().await;
        show(&plans, json, |p| plan_lines(p, lang))
    })
}

pub fn drill(cmd: DrillCmd, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    runtime()?.block_on(async {
        let store = open_store(ctx).await?;
        let (drills, json) = match cmd {
            DrillCmd::Add(a) => {
                let input = DrillInput {
                    plan_id: a.plan,
                    held_on: a.held_on,
                    scenario: a.scenario,
                    participants: a.participants,
                    findings: a.findings,
                };
                let d = store
                    .add_emergency_drill("cli", &a.network, input)
                    .await
                    .map_err(|e| user(e, lang))?;
                (vec![d], a.json)
            }
            DrillCmd::List(a) => {
                store
                    .get_network(&a.network)
                    .await
                    .map_err(|e| user(e, lang))?;
                let drills = store
                    .list_emergency_drills(&a.network)
                    .await
                    .map_err(|e| user(e, lang))?;
                (drills, a.json)
            }
        };
        store.close().await;
        show(&drills, json, |d| drill_lines(d, lang))
    })
}
