//! A network's emergency plans and drills (decision 0507): the duties they meet with their
//! status now (网络安全法 第二十五条、第三十四条第（四）项, 条例 第三十二条第一款; the drill
//! duties recur at the catalog's cadence, and the page says the text sets none), the plans
//! and drills on record, and the forms that record them. A refused form is answered 422 with
//! the field named in the page's language; nothing is written.

use askama::Template;
use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;

use crate::form::Form;
use dengbao_duties::Status;
use dengbao_server::auth::{role_may, HandleIncident, Need, Read};
use dengbao_server::AppState;
use dengbao_store::{DrillInput, EmergencyDrill, EmergencyPlan, PlanInput, StoreError};
use dengbao_types::Text;

use crate::ctx::Ctx;
use crate::guard::{NetPage, PageError, PageResult};
use crate::pages::dashboard::{due_date, duty_title, status_key};
use crate::pages::{redirect, render};

/// The duties plans and drills meet (data/duties).
pub const DUTIES: [&str; 3] = ["csl.incident.plan", "csl.cii.drills", "mlps.l3.emergency"];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/networks/{id}/emergency", get(page))
        .route("/networks/{id}/emergency/plans", post(add_plan))
        .route("/networks/{id}/emergency/drills", post(add_drill))
}

/// A refused form in the user's language, the field named by its label.
pub fn refused(c: &Ctx, prefix: &str, e: StoreError) -> PageError {
    match e {
        StoreError::Invalid { field, message } => {
            let label = c.t.s(&format!("{prefix}.field.{field}")).to_string();
            let sep = if c.lang.is_en() { ": " } else { "：" };
            PageError::bad(
                c,
                format!("{label}{sep}{}", Text::from_joined(&message).get(c.lang)),
            )
        }
        other => other.into(),
    }
}

/// One duty as a page shows it beside its records: status now, next due date, the note.
pub(crate) struct DutyRow {
    pub id: String,
    pub title: String,
    pub cites: String,
    pub status: &'static str,
    pub status_label: String,
    pub due: String,
    pub note: String,
}

/// The duties among `ids` that apply to `net`, evaluated at `now`, as rows in `c`'s
/// language (none for a network not graded yet).
pub(crate) async fn duty_rows(
    state: &AppState,
    logs: &crate::logs::LogCoverage,
    net: &dengbao_store::Network,
    c: &Ctx,
    ids: &[&str],
    now: jiff::Timestamp,
) -> Result<Vec<DutyRow>, PageError> {
    let mut duties = Vec::new();
    if let Some((_, statuses)) = crate::pages::evaluate(state, logs, net, now).await? {
        for s in statuses
            .iter()
            .filter(|s| ids.contains(&s.id()) && s.status != Status::NotApplicable)
        {
            duties.push(DutyRow {
                id: s.id().to_string(),
                title: duty_title(c, s),
                cites: s.citations_in(c.lang),
                status: s.status.id(),
                status_label: c.t.s(status_key(s.status)).to_string(),
                due: s
                    .due
                    .as_ref()
                    .map(|d| c.t.date(due_date(d)))
                    .unwrap_or_default(),
                note: s
                    .duty
                    .note
                    .as_deref()
                    .map(|n| Text::from_joined(n).get(c.lang).to_string())
                    .unwrap_or_default(),
            });
        }
    }
    Ok(duties)
}

struct Choice {
    id: String,
    label: String,
}

#[derive(Template)]
#[template(path = "network/emergency.html")]
struct PageTpl {
    c: Ctx,
    network_id: String,
    network: String,
    duties: Vec<DutyRow>,
    plans: Vec<EmergencyPlan>,
    drills: Vec<EmergencyDrill>,
    plan_names: Vec<Choice>,
    evidence: Vec<Choice>,
    may_handle: bool,
}

async fn page(
    State(state): State<AppState>,
    axum::Extension(logs): axum::Extension<crate::logs::LogCoverage>,
    page: NetPage<Read>,
) -> PageResult {
    let c = page.c.clone();
    let net = state.store.get_network(&page.network_id).await?;
    let now = jiff::Timestamp::now();
    let duties = duty_rows(&state, &logs, &net, &c, &DUTIES, now).await?;
    let plans = state.store.list_emergency_plans(&net.id).await?;
    let drills = state.store.list_emergency_drills(&net.id).await?;
    let evidence = state
        .store
        .list_evidence(&net.id)
        .await?
        .into_iter()
        .filter(|e| e.voided.is_none())
        .map(|e| Choice {
            label: crate::i18n::quoted(
                c.lang,
                e.file_name.as_deref().unwrap_or(e.description.as_str()),
            ),
            id: e.id,
        })
        .collect();
    render(&PageTpl {
        network_id: net.id.clone(),
        network: net.profile.name.clone(),
        duties,
        plan_names: plans
            .iter()
            .map(|p| Choice {
                id: p.id.clone(),
                label: format!("{} {}（{}）", p.title, p.version, p.approved_on),
            })
            .collect(),
        plans,
        drills,
        evidence,
        may_handle: role_may(page.principal.role, Need::HandleIncident),
        c,
    })
}

#[derive(serde::Deserialize)]
struct PlanForm {
    title: String,
    version: String,
    approved_on: String,
    approved_by: String,
    #[serde(default)]
    evidence_id: String,
    #[serde(default)]
    link: String,
}

async fn add_plan(
    State(state): State<AppState>,
    page: NetPage<HandleIncident>,
    Form(f): Form<PlanForm>,
) -> PageResult {
    let input = PlanInput {
        title: f.title,
        version: f.version,
        approved_on: f.approved_on,
        approved_by: f.approved_by,
        evidence_id: Some(f.evidence_id).filter(|s| !s.trim().is_empty()),
        link: Some(f.link).filter(|s| !s.trim().is_empty()),
    };
    state
        .store
        .add_emergency_plan(&page.actor(), &page.network_id, input)
        .await
        .map_err(|e| refused(&page.c, "emergency", e))?;
    redirect(&format!("/networks/{}/emergency#plans", page.network_id))
}

#[derive(serde::Deserialize)]
struct DrillForm {
    plan_id: String,
    held_on: String,
    scenario: String,
    participants: String,
    #[serde(default)]
    findings: String,
}

async fn add_drill(
    State(state): State<AppState>,
    page: NetPage<HandleIncident>,
    Form(f): Form<DrillForm>,
) -> PageResult {
    let input = DrillInput {
        plan_id: f.plan_id,
        held_on: f.held_on,
        scenario: f.scenario,
        participants: f.participants,
        findings: f.findings,
    };
    state
        .store
        .add_emergency_drill(&page.actor(), &page.network_id, input)
        .await
        .map_err(|e| refused(&page.c, "emergency", e))?;
    redirect(&format!("/networks/{}/emergency#drills", page.network_id))
}
