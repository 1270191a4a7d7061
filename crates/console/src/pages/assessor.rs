//! The assessor's views (测评机构): the engagements it holds, findings per duty with
//! evidence, the conclusion (符合/基本符合/不符合, docs/decisions/0812) and the export links.

use askama::Template;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::Router;

use crate::form::Form;
use dengbao_server::auth::Assess;
use dengbao_server::AppState;
use dengbao_store::engagements::{Conclusion, ConclusionInput, FindingInput, FindingResult};

use crate::ctx::Ctx;
use crate::guard::{NetPage, Page, PageError, PageResult};
use crate::pages::dashboard::{duty_title, status_key};
use crate::pages::supervisor::level_key;
use crate::pages::{at_of, enum_label, render, AtQuery};
use crate::pages::{form_value, form_values, redirect};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/assessor", get(list))
        .route("/assessor/networks/{id}", get(engagement))
        .route("/assessor/networks/{id}/findings", post(record))
        .route("/assessor/networks/{id}/conclusion", post(conclude))
}

pub struct EngagementRow {
    pub network_id: String,
    pub network: String,
    pub org: String,
    pub engaged: String,
    pub open: bool,
    pub conclusion: String,
}

#[derive(Template)]
#[template(path = "assessor/list.html")]
struct ListTpl {
    c: Ctx,
    rows: Vec<EngagementRow>,
}

async fn list(State(state): State<AppState>, page: Page<Assess>) -> PageResult {
    let c = page.c.clone();
    let orgs = state.store.list_orgs(&page.scope()).await?;
    let mut rows = Vec::new();
    for e in state
        .store
        .assessor_engagements(&page.principal.user_id)
        .await?
    {
        let net = state.store.get_network(&e.network_id).await?;
        rows.push(EngagementRow {
            network: net.profile.name,
            org: orgs
                .iter()
                .find(|o| o.id == e.org_id)
                .map(|o| o.name.clone())
                .unwrap_or_default(),
            engaged: c.t.when(&e.engaged_on),
            open: e.state == "open",
            conclusion: e
                .conclusion
                .map(|x| enum_label(c.t, "assessor.conclusion", x))
                .unwrap_or_default(),
            network_id: e.network_id,
        });
    }
    render(&ListTpl { c, rows })
}

pub struct DutyRow {
    pub id: String,
    pub title: String,
    pub status: String,
    pub st: &'static str,
    pub result: String,
    pub result_id: String,
    pub text: String,
    pub evidence: Vec<String>,
}

pub struct EvidenceOpt {
    pub id: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "assessor/engagement.html")]
struct EngagementTpl {
    c: Ctx,
    network_id: String,
    network: String,
    org: String,
    level: String,
    today: String,
    engaged: bool,
    open: bool,
    engaged_on: String,
    conclusion: String,
    score: String,
    summary: String,
    duties: Vec<DutyRow>,
    evidence: Vec<EvidenceOpt>,
    recorded: usize,
}

async fn engagement(
    State(state): State<AppState>,
    axum::Extension(logs): axum::Extension<crate::logs::LogCoverage>,
    page: NetPage<Assess>,
    Query(q): Query<AtQuery>,
) -> PageResult {
    let c = page.c.clone();
    let (at, today) = at_of(&c, &q)?;
    let net = state.store.get_network(&page.network_id).await?;
    let org = state.store.get_org(&page.org_id).await?;
    let mine = state
        .store
        .list_engagements(&page.network_id)
        .await?
        .into_iter()
        .find(|e| e.assessor_id == page.principal.user_id);
    let evidence = state.store.list_evidence(&page.network_id).await?;
    let label = |id: &str| {
        evidence
            .iter()
            .find(|e| e.id == id)
            .map(|e| {
                e.file_name.as_ref().map_or_else(
                    || e.description.clone(),
                    |f| format!("{}（{f}）", e.description),
                )
            })
            .unwrap_or_else(|| id.to_string())
    };
    let statuses = crate::pages::evaluate(&state, &logs, &net, at)
        .await?
        .map(|(_, s)| s)
        .unwrap_or_default();
    let findings = mine
        .as_ref()
        .map(|e| e.findings.clone())
        .unwrap_or_default();
    let duties = statuses
        .iter()
        .filter(|s| s.status != dengbao_duties::Status::NotApplicable)
        .map(|s| {
            let f = findings.iter().find(|f| f.duty_id == s.id());
            DutyRow {
                id: s.id().to_string(),
                title: duty_title(&c, s),
                status: c.t.s(status_key(s.status)).to_string(),
                st: status_key(s.status).trim_start_matches("status."),
                result: f
                    .map(|f| enum_label(c.t, "assessor.result", f.result))
                    .unwrap_or_default(),
                result_id: f.map(|f| f.result.as_str().to_string()).unwrap_or_default(),
                text: f.map(|f| f.text.clone()).unwrap_or_default(),
                evidence: f
                    .map(|f| f.evidence.iter().map(|id| label(id)).collect())
                    .unwrap_or_default(),
            }
        })
        .collect();
    let evidence_opts = evidence
        .iter()
        .map(|e| EvidenceOpt {
            id: e.id.clone(),
            label: label(&e.id),
        })
        .collect();
    render(&EngagementTpl {
        network_id: net.id.clone(),
        network: net.profile.name.clone(),
        org: org.name,
        level: c
            .t
            .s(&level_key(net.profile.level.map(|l| l.get())))
            .to_string(),
        today: today.to_string(),
        engaged: mine.is_some(),
        open: mine.as_ref().is_some_and(|e| e.state == "open"),
        engaged_on: mine
            .as_ref()
            .map(|e| c.t.when(&e.engaged_on))
            .unwrap_or_default(),
        conclusion: mine
            .as_ref()
            .and_then(|e| e.conclusion)
            .map(|x| enum_label(c.t, "assessor.conclusion", x))
            .unwrap_or_default(),
        score: mine
            .as_ref()
            .and_then(|e| e.score)
            .map(|s| format!("{s:.2}"))
            .unwrap_or_default(),
        summary: mine.as_ref().map(|e| e.summary.clone()).unwrap_or_default(),
        recorded: findings.len(),
        duties,
        evidence: evidence_opts,
        c,
    })
}

fn back(id: &str) -> PageResult {
    redirect(&format!("/assessor/networks/{id}"))
}

/// The finding form: duty_id, result, text and any number of `evidence` checkboxes.
async fn record(
    State(state): State<AppState>,
    page: NetPage<Assess>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |k: &str| form_value(&fields, k);
    let result = match get("result").as_str() {
        "conforms" => FindingResult::Conforms,
        "partly" => FindingResult::Partly,
        "not_conforming" => FindingResult::NotConforming,
        _ => return Err(PageError::bad(&page.c, page.c.t.s("assessor.pick_result"))),
    };
    let duty_id = get("duty_id");
    if state.catalog.duty(&duty_id).is_none() {
        return Err(PageError::bad(
            &page.c,
            page.c.t.f("assessor.unknown_duty", &duty_id),
        ));
    }
    let input = FindingInput {
        duty_id,
        result,
        text: get("text"),
        evidence: form_values(&fields, "evidence"),
    };
    state
        .store
        .record_finding(
            &page.actor(),
            &page.principal.user_id,
            &page.network_id,
            input,
        )
        .await
        .map_err(|e| page.bad(e))?;
    back(&page.network_id)
}

#[derive(serde::Deserialize)]
struct ConclusionForm {
    conclusion: String,
    concluded_on: String,
    #[serde(default)]
    score: String,
    #[serde(default)]
    summary: String,
}

async fn conclude(
    State(state): State<AppState>,
    page: NetPage<Assess>,
    Form(f): Form<ConclusionForm>,
) -> PageResult {
    let conclusion = match f.conclusion.as_str() {
        "conforms" => Conclusion::Conforms,
        "basically_conforms" => Conclusion::BasicallyConforms,
        "not_conforming" => Conclusion::NotConforming,
        _ => {
            return Err(PageError::bad(
                &page.c,
                page.c.t.s("assessor.pick_conclusion"),
            ))
        }
    };
    let score = match f.score.trim() {
        "" => None,
        s => Some(
            s.parse::<f64>()
                .map_err(|_| PageError::bad(&page.c, page.c.t.s("assessor.bad_score")))?,
        ),
    };
    state
        .store
        .conclude(
            &page.actor(),
            &page.principal.user_id,
            &page.network_id,
            ConclusionInput {
                conclusion,
                concluded_on: f.concluded_on,
                score,
                summary: f.summary,
            },
        )
        .await
        .map_err(|e| page.bad(e))?;
    back(&page.network_id)
}
