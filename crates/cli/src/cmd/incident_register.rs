//! `dengbao incident open|grade|report|close|list [--json]`: the incident register in the
//! store (the database `--database` names, else SQLite under `--data-dir`), each transition
//! audited there. Opening writes the log centre's legal hold (`<data-dir>/logs/holds/`),
//! closing ends its window at the close (decision 0505). Every command prints the incident
//! with each report's clock: met (on time or late), due with the hours left, or overdue.

use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use dengbao_duties::OperatorClass;
use dengbao_incidents::{Grade, Rules};
use dengbao_store::incidents::IncidentFacts;
use dengbao_store::{
    CloseIncident, GradeIncident, IncidentRecord, OpenIncident, SendReport, Store, StoreError,
};
use dengbao_types::{Lang, Text};

use super::incident_lines;
use crate::{BadInput, Ctx};

/// The facts that grade an incident (data/incidents/README.md); counts may not be negative.
#[derive(Args, Debug, Default)]
pub struct FactArgs {
    #[arg(long, allow_hyphen_values = true)]
    pub personal_info_records: Option<i64>,
    #[arg(long, allow_hyphen_values = true)]
    pub direct_loss_yuan: Option<i64>,
    #[arg(long, allow_hyphen_values = true)]
    pub service_interruption_hours: Option<f64>,
    #[arg(long)]
    pub cii_function_lost: bool,
    #[arg(long)]
    pub state_secrets_leaked: bool,
    #[arg(long, allow_hyphen_values = true)]
    pub cii_whole_outage_minutes: Option<f64>,
    #[arg(long, allow_hyphen_values = true)]
    pub people_affected: Option<i64>,
    /// provincial | prefecture (annex item 1).
    #[arg(long)]
    pub portal: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub portal_unreachable_hours: Option<f64>,
    #[arg(long)]
    pub suspected_crime: bool,
}

impl FactArgs {
    fn given(&self) -> bool {
        self.personal_info_records.is_some()
            || self.direct_loss_yuan.is_some()
            || self.service_interruption_hours.is_some()
            || self.cii_function_lost
            || self.state_secrets_leaked
            || self.cii_whole_outage_minutes.is_some()
            || self.people_affected.is_some()
            || self.portal.is_some()
            || self.portal_unreachable_hours.is_some()
            || self.suspected_crime
    }

    /// `base` with what was given replaced (flags set a fact; a bool flag sets it true).
    fn over(&self, base: &IncidentFacts) -> IncidentFacts {
        IncidentFacts {
            personal_info_records: self
                .personal_info_records
                .unwrap_or(base.personal_info_records),
            direct_loss_yuan: self.direct_loss_yuan.unwrap_or(base.direct_loss_yuan),
            service_interruption_hours: self
                .service_interruption_hours
                .unwrap_or(base.service_interruption_hours),
            cii_function_lost: self.cii_function_lost || base.cii_function_lost,
            state_secrets_leaked: self.state_secrets_leaked || base.state_secrets_leaked,
            cii_whole_outage_minutes: self
                .cii_whole_outage_minutes
                .unwrap_or(base.cii_whole_outage_minutes),
            people_affected: self.people_affected.unwrap_or(base.people_affected),
            portal: self.portal.clone().or_else(|| base.portal.clone()),
            portal_unreachable_hours: self
                .portal_unreachable_hours
                .unwrap_or(base.portal_unreachable_hours),
            suspected_crime: self.suspected_crime || base.suspected_crime,
        }
    }
}

#[derive(Args, Debug)]
pub struct OpenArgs {
    /// The network's id (the console's network page shows it).
    #[arg(long)]
    pub network: String,
    #[arg(long)]
    pub title: String,
    /// When the incident was found (发现或获知): RFC 3339 with offset.
    #[arg(long)]
    pub detected_at: String,
    /// A GB/T 20986-2023 class id (data/incidents/categories.toml).
    #[arg(long)]
    pub category: String,
    #[command(flatten)]
    pub facts: FactArgs,
    /// cii | state_organ | other; absent, it follows whether the network is a CII.
    #[arg(long)]
    pub operator_class: Option<String>,
    #[arg(long, default_value = "")]
    pub affected_systems: String,
    #[arg(long, default_value = "")]
    pub affected_data: String,
    /// The first action taken.
    #[arg(long, default_value = "")]
    pub action: String,
    /// Who records it.
    #[arg(long)]
    pub by: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct GradeArgs {
    pub id: String,
    #[command(flatten)]
    pub facts: FactArgs,
    /// When handling ended (the summary's 30 days start): RFC 3339 with offset.
    #[arg(long)]
    pub handling_ended_at: Option<String>,
    /// Override the proposed grade (especially_major | major | relatively_major | general);
    /// absent, the proposal is confirmed.
    #[arg(long)]
    pub grade: Option<String>,
    /// Why the grade is overridden (required with --grade).
    #[arg(long, default_value = "")]
    pub reason: String,
    #[arg(long, default_value = "")]
    pub action: String,
    #[arg(long)]
    pub by: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    pub id: String,
    /// The owed report's id, as `incident list` shows it (cac-irm.cii.public_security …).
    #[arg(long)]
    pub report: String,
    /// When it was sent: RFC 3339 with offset.
    #[arg(long)]
    pub sent_at: String,
    #[arg(long)]
    pub by: String,
    /// How it was sent (电话, 邮件, 书面, 平台 …).
    #[arg(long)]
    pub channel: String,
    /// The file sent with it.
    #[arg(long, default_value = "")]
    pub attachment: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct CloseArgs {
    pub id: String,
    /// RFC 3339 with offset.
    #[arg(long)]
    pub closed_at: String,
    #[arg(long)]
    pub by: String,
    #[arg(long, default_value = "")]
    pub note: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Only this network's incidents.
    #[arg(long)]
    pub network: Option<String>,
    #[arg(long)]
    pub json: bool,
}

/// A store error as the user reads it: bad input names the field in one language (exit 2).
fn user(e: StoreError, lang: Lang) -> anyhow::Error {
    match e {
        StoreError::Invalid { field, message } => {
            let m = Text::from_joined(&message);
            BadInput::new(match lang {
                Lang::ZhCn => format!("{field}：{}", m.zh),
                Lang::En => format!("{field}: {}", m.en),
            })
        }
        StoreError::NotFound { what, id } => BadInput::new(match lang {
            Lang::ZhCn => format!("没有这个事件：{id}"),
            Lang::En => format!("no such {what}: {id}"),
        }),
        other => anyhow::Error::new(other),
    }
}

fn bad(field: &str, lang: Lang, zh: &str, en: &str) -> anyhow::Error {
    BadInput::new(match lang {
        Lang::ZhCn => format!("{field}：{zh}"),
        Lang::En => format!("{field}: {en}"),
    })
}

pub(super) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

pub(super) async fn open_store(ctx: &Ctx) -> anyhow::Result<Store> {
    Store::open(&ctx.data_dir, ctx.database.as_deref())
        .await
        .map_err(|e| match e {
            StoreError::UnsupportedUrl(_) => BadInput::new(format!("--database: {e}")),
            other => anyhow::Error::new(other).context("cannot open the database"),
        })
}

fn print(ctx: &Ctx, rules: &Rules, recs: &[IncidentRecord], json: bool) -> anyhow::Result<()> {
    let now = jiff::Timestamp::now();
    if json {
        let out = recs
            .iter()
            .map(|r| incident_lines::json(r, rules, now))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| user(e, ctx.lang))?;
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        for r in recs {
            print!(
                "{}",
                incident_lines::text(r, rules, now, ctx.lang).map_err(|e| user(e, ctx.lang))?
            );
        }
    }
    Ok(())
}

pub fn open(a: OpenArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let rules = Rules::builtin().context("the embedded incident reporting rules")?;
    let class = match a.operator_class.as_deref() {
        None => None,
        Some(s) => Some(
            serde_json::from_value::<OperatorClass>(serde_json::Value::String(s.trim().into()))
                .map_err(|_| {
                    bad(
                        "operator_class",
                        lang,
                        "须为 cii、state_organ 或 other",
                        "must be cii, state_organ or other",
                    )
                })?,
        ),
    };
    let input = OpenIncident {
        network_id: a.network,
        title: a.title,
        detected_at: a.detected_at,
        category: a.category,
        facts: a.facts.over(&IncidentFacts::default()),
        operator_class: class,
        affected_systems: a.affected_systems,
        affected_data: a.affected_data,
        action: a.action,
        by: a.by,
    };
    let logs = ctx.data_dir.join("logs");
    runtime()?.block_on(async {
        let store = open_store(ctx).await?;
        let rec = store
            .open_incident("cli", input, |rec| {
                dengbao_server::incident_view::place_hold(&logs, rec)
            })
            .await
            .map_err(|e| user(e, lang))?;
        store.close().await;
        print(ctx, &rules, &[rec], a.json)?;
        Ok(ExitCode::SUCCESS)
    })
}

pub fn grade(a: GradeArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let rules = Rules::builtin().context("the embedded incident reporting rules")?;
    let grade = match a.grade.as_deref() {
        None => None,
        Some(g) => Some(Grade::from_id(g.trim()).ok_or_else(|| {
            bad(
                "grade",
                lang,
                "须为 especially_major（特别重大）、major（重大）、relatively_major（较大）或 general（一般）",
                "must be especially_major, major, relatively_major or general",
            )
        })?),
    };
    runtime()?.block_on(async {
        let store = open_store(ctx).await?;
        let current = store.get_incident(&a.id).await.map_err(|e| user(e, lang))?;
        let g = GradeIncident {
            facts: a.facts.given().then(|| a.facts.over(&current.facts)),
            handling_ended_at: a.handling_ended_at,
            grade,
            reason: a.reason,
            action: a.action,
            by: a.by,
        };
        let rec = store
            .grade_incident("cli", &a.id, g)
            .await
            .map_err(|e| user(e, lang))?;
        store.close().await;
        print(ctx, &rules, &[rec], a.json)?;
        Ok(ExitCode::SUCCESS)
    })
}

pub fn report(a: ReportArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let rules = Rules::builtin().context("the embedded incident reporting rules")?;
    let input = SendReport {
        report: a.report,
        sent_at: a.sent_at,
        by: a.by,
        channel: a.channel,
        attachment: a.attachment,
    };
    runtime()?.block_on(async {
        let store = open_store(ctx).await?;
        let rec = store
            .record_report("cli", &a.id, input)
            .await
            .map_err(|e| user(e, lang))?;
        store.close().await;
        print(ctx, &rules, &[rec], a.json)?;
        Ok(ExitCode::SUCCESS)
    })
}

pub fn close(a: CloseArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let rules = Rules::builtin().context("the embedded incident reporting rules")?;
    let logs = ctx.data_dir.join("logs");
    let input = CloseIncident {
        closed_at: a.closed_at,
        by: a.by,
        note: a.note,
    };
    runtime()?.block_on(async {
        let store = open_store(ctx).await?;
        let rec = store
            .close_incident("cli", &a.id, input, |rec, closed_at| {
                dengbao_server::incident_view::end_hold(&logs, rec, closed_at)
            })
            .await
            .map_err(|e| user(e, lang))?;
        store.close().await;
        print(ctx, &rules, &[rec], a.json)?;
        Ok(ExitCode::SUCCESS)
    })
}

pub fn list(a: ListArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let rules = Rules::builtin().context("the embedded incident reporting rules")?;
    runtime()?.block_on(async {
        let store = open_store(ctx).await?;
        let recs = store
            .list_incidents(a.network.as_deref())
            .await
            .map_err(|e| user(e, lang))?;
        store.close().await;
        print(ctx, &rules, &recs, a.json)?;
        Ok(ExitCode::SUCCESS)
    })
}
