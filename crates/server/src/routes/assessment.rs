//! Per-item assessment results (decision 0412): the assessor records each GB/T 22239-2019
//! requirement item's result in its open engagement; anyone who may read the network sees
//! the latest results, the progress through the items in scope (the network's level and the
//! extensions its `new_tech` implies) and, once every item has a result, the conclusion by
//! the 2025 rule (公网安〔2025〕1846号 Q20, as decision 0410 reads it).
//!
//! `?kind=self` on the same routes is the operator's own 自查 (decision 0412, "自查 and
//! evidence"): recorded by whoever may file the network, read by whoever may read it, and
//! never counted as the assessor's (no engagement, no tasks, no duty met).

use std::sync::OnceLock;

use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::Json;
use dengbao_controls::{Catalog, Extension, Submitted};
use dengbao_store::item_results::{AssessmentKind, ItemResult, ItemResultInput, TaskPlan};
use dengbao_types::Level;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Assess, FileNetwork, NetworkGuard, Read};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(assessment, record_items))
        .routes(routes!(plan_task))
        .merge(super::assessment_reports::router())
        .merge(super::assessment_oscal::router())
}

/// The control catalog shipped in the binary (loaded once).
pub fn controls() -> Result<&'static Catalog, ApiError> {
    static CATALOG: OnceLock<Option<Catalog>> = OnceLock::new();
    CATALOG
        .get_or_init(|| Catalog::builtin().ok())
        .as_ref()
        .ok_or_else(|| ApiError::internal("the embedded control catalog failed to load"))
}

/// Whose assessment a request is about.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct KindQuery {
    /// `assessor` (the default: the engaged assessor's, the one that counts) or `self` (the
    /// operator's own 自查, a prediction only).
    #[serde(default)]
    #[param(value_type = Option<String>)]
    pub kind: AssessmentKind,
}

/// The caller allowed to record results of the kind the query names: the engaged assessor
/// (`Assess`) for the assessor's, the operator's side (`FileNetwork`, as for rectification
/// tasks) for a self-assessment.
pub struct Recorder {
    pub kind: AssessmentKind,
    pub actor: String,
    pub user_id: String,
    pub network_id: String,
}

impl FromRequestParts<AppState> for Recorder {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let ApiQuery(q) = ApiQuery::<KindQuery>::from_request_parts(parts, state).await?;
        let (p, network_id) = match q.kind {
            AssessmentKind::Assessor => {
                let g = NetworkGuard::<Assess>::from_request_parts(parts, state).await?;
                (g.principal, g.network_id)
            }
            AssessmentKind::SelfAssessment => {
                let g = NetworkGuard::<FileNetwork>::from_request_parts(parts, state).await?;
                (g.principal, g.network_id)
            }
        };
        Ok(Recorder {
            kind: q.kind,
            actor: p.actor(),
            user_id: p.user_id,
            network_id,
        })
    }
}

/// What the assessor (or, for `?kind=self`, the operator) sends: one or more items' results.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemResults {
    pub results: Vec<ItemResultInput>,
}

/// A network's assessment as recorded so far.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Assessment {
    /// `assessor` or `self` (the operator's 自查: its conclusion is a prediction only).
    pub kind: AssessmentKind,
    /// The engagement the results belong to; null before any result and for `self`.
    pub engagement_id: Option<String>,
    pub level: u8,
    /// `general` and the extensions the profile's `new_tech` implies.
    pub extensions: Vec<String>,
    /// Items in scope, and how many have a result.
    pub in_scope: usize,
    pub assessed: usize,
    /// The first items still without a result (at most 20).
    pub missing: Vec<String>,
    pub items: Vec<ItemResult>,
    /// Once every item in scope has a result: `{rate, conclusion, counts, major_hazards,
    /// reading}`; null until then.
    #[schema(value_type = Option<Object>)]
    pub conclusion: Option<serde_json::Value>,
    /// The rate and conclusion after each recording that left every item with a result
    /// (re-tests included), oldest first.
    pub history: Vec<RatePoint>,
    /// The rectification plan: every item found 不符合 or 部分符合 in the engagement (none
    /// for `self`: only the assessor's findings are tasks).
    pub tasks: Vec<Task>,
    /// Per item, the latest result of each host check that evidences it (from the hosts'
    /// `dengbao host report`s at the network's level), for the assessor to weigh.
    pub host_checks: std::collections::BTreeMap<String, Vec<super::host_reports::ItemHostCheck>>,
}

/// One item to fix (整改).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Task {
    pub item: String,
    /// The item's latest result.
    pub result: String,
    pub risk: Option<String>,
    pub owner: Option<String>,
    pub due: Option<String>,
    /// `unplanned`, `open`, `overdue` (past its date, not re-tested) or `fixed` (re-tested
    /// 符合 or 不适用).
    pub state: String,
}

/// The engagement's tasks: every item ever found 不符合 or 部分符合, with its plan.
fn tasks_of(rows: &[ItemResult], latest: &[ItemResult], plans: &[TaskPlan]) -> Vec<Task> {
    let today = dengbao_calendar::today_in_shanghai().to_string();
    let mut out: Vec<Task> = Vec::new();
    for r in rows {
        if !matches!(r.result.as_str(), "不符合" | "部分符合")
            || out.iter().any(|t| t.item == r.item)
        {
            continue;
        }
        let Some(now) = latest.iter().find(|l| l.item == r.item) else {
            continue;
        };
        let plan = plans.iter().find(|p| p.item == r.item);
        let state = match (now.result.as_str(), plan) {
            ("符合" | "不适用", _) => "fixed",
            (_, None) => "unplanned",
            (_, Some(p)) if p.due < today => "overdue",
            _ => "open",
        };
        out.push(Task {
            item: r.item.clone(),
            result: now.result.clone(),
            risk: now.risk.clone(),
            owner: plan.map(|p| p.owner.clone()),
            due: plan.map(|p| p.due.clone()),
            state: state.to_string(),
        });
    }
    out.sort_by(|a, b| a.item.cmp(&b.item));
    out
}

/// The rate at one moment of the engagement.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RatePoint {
    pub at: String,
    pub rate: f64,
    pub conclusion: String,
}

pub(crate) fn as_submitted(i: &ItemResult) -> Submitted {
    Submitted {
        item: i.item.clone(),
        result: i.result.clone(),
        reason: Some(i.reason.clone()).filter(|s| !s.is_empty()),
        risk: i.risk.clone(),
        major_hazard: Some(i.major_hazard),
    }
}

/// The conclusion after each batch of recordings, once the results cover the scope.
fn history_of(
    catalog: &Catalog,
    level: Level,
    exts: &[Extension],
    rows: &[ItemResult],
) -> Vec<RatePoint> {
    let mut latest: std::collections::BTreeMap<&str, &ItemResult> = Default::default();
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        latest.insert(&r.item, r);
        let batch_ends = rows
            .get(i + 1)
            .is_none_or(|n| n.recorded_at != r.recorded_at);
        if !batch_ends {
            continue;
        }
        let results: Vec<Submitted> = latest.values().map(|x| as_submitted(x)).collect();
        if let Ok(c) = dengbao_controls::conclude(catalog, level, exts, &results) {
            out.push(RatePoint {
                at: r.recorded_at.clone(),
                rate: c.rate,
                conclusion: c.conclusion.zh().to_string(),
            });
        }
    }
    out
}

/// The level and extensions an assessment of `net` covers.
pub fn scope_of(net: &dengbao_store::Network) -> Result<(Level, Vec<Extension>), ApiError> {
    let level = net.profile.level.ok_or_else(|| {
        ApiError::invalid(
            "invalid level: 网络尚未定级，无法确定测评范围 / the network is not graded yet",
        )
    })?;
    let mut exts = vec![Extension::General];
    for t in &net.profile.new_tech {
        let name = serde_json::to_value(t)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        if let Some(e) = Extension::from_name(&name) {
            exts.push(e);
        }
    }
    Ok((level, exts))
}

fn submitted(r: &ItemResultInput) -> Submitted {
    Submitted {
        item: r.item.clone(),
        result: r.result.clone(),
        reason: r.reason.clone(),
        risk: r.risk.clone(),
        major_hazard: r.major_hazard,
    }
}

/// The network's latest item results, progress and (when complete) conclusion.
/// `?kind=self` gives the operator's self-assessment instead, with the predicted rate and
/// conclusion by the same rule; each item lists its linked evidence and review state.
#[utoipa::path(get, path = "/api/networks/{id}/assessment", tag = "assessment", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id"), KindQuery),
    responses((status = 200, body = Assessment), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn assessment(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
    ApiQuery(q): ApiQuery<KindQuery>,
) -> ApiResult<Json<Assessment>> {
    Ok(Json(
        assessment_of_kind(&state, &guard.network_id, q.kind).await?,
    ))
}

/// The network's assessment by the assessor as recorded so far.
pub async fn assessment_of(state: &AppState, network_id: &str) -> ApiResult<Assessment> {
    assessment_of_kind(state, network_id, AssessmentKind::Assessor).await
}

/// The network's assessment of `kind` as recorded so far.
pub async fn assessment_of_kind(
    state: &AppState,
    network_id: &str,
    kind: AssessmentKind,
) -> ApiResult<Assessment> {
    let net = state.store.get_network(network_id).await?;
    let (level, exts) = scope_of(&net)?;
    let catalog = controls()?;
    let scope = catalog
        .select(level, &exts)
        .map_err(|e| ApiError::invalid(format!("invalid level: {e}")))?;
    let (engagement_id, items) = match kind {
        AssessmentKind::Assessor => match state.store.item_results(network_id).await? {
            Some((e, items)) => (Some(e), items),
            None => (None, Vec::new()),
        },
        AssessmentKind::SelfAssessment => (None, state.store.self_item_results(network_id).await?),
    };
    let missing: Vec<String> = scope
        .iter()
        .filter(|c| !items.iter().any(|i| i.item == c.id))
        .map(|c| c.id.clone())
        .collect();
    let conclusion = if missing.is_empty() && !items.is_empty() {
        let results: Vec<Submitted> = items.iter().map(as_submitted).collect();
        dengbao_controls::conclude(catalog, level, &exts, &results)
            .ok()
            .and_then(|c| serde_json::to_value(c).ok())
    } else {
        None
    };
    let (history, tasks) = match &engagement_id {
        None if kind == AssessmentKind::SelfAssessment => {
            let rows = state.store.self_item_result_history(network_id).await?;
            (history_of(catalog, level, &exts, &rows), Vec::new())
        }
        Some(e) => {
            let rows = state.store.item_result_history(e).await?;
            let plans = state.store.task_plans(e).await?;
            (
                history_of(catalog, level, &exts, &rows),
                tasks_of(&rows, &items, &plans),
            )
        }
        None => (Vec::new(), Vec::new()),
    };
    let host_checks =
        super::host_reports::host_checks_by_item(state, network_id, level.get()).await?;
    Ok(Assessment {
        host_checks,
        kind,
        history,
        tasks,
        engagement_id,
        level: level.get(),
        extensions: exts.iter().map(|e| e.as_str().to_string()).collect(),
        in_scope: scope.len(),
        assessed: scope.len() - missing.len(),
        missing: missing.into_iter().take(20).collect(),
        items,
        conclusion,
    })
}

/// Records items' results in the caller's open engagement (each checked against the
/// control catalog for the network's level; nothing is written if one is wrong, nor when a
/// linked evidence id is not evidence of the network). With `?kind=self` the operator's
/// side (`FileNetwork`) records them in its self-assessment instead; the answer is the
/// assessment of that kind.
#[utoipa::path(post, path = "/api/networks/{id}/assessment/items", tag = "assessment", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id"), KindQuery), request_body = ItemResults,
    responses((status = 201, body = Assessment), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_items(
    State(state): State<AppState>,
    who: Recorder,
    ApiJson(input): ApiJson<ItemResults>,
) -> ApiResult<(StatusCode, Json<Assessment>)> {
    match who.kind {
        AssessmentKind::Assessor => {
            record(
                &state,
                &who.actor,
                &who.user_id,
                &who.network_id,
                input.results,
            )
            .await?
        }
        AssessmentKind::SelfAssessment => {
            record_self(&state, &who.actor, &who.network_id, input.results).await?
        }
    }
    let a = assessment_of_kind(&state, &who.network_id, who.kind).await?;
    Ok((StatusCode::CREATED, Json(a)))
}

/// Checks each result against the control catalog for the network's level.
async fn check_all(
    state: &AppState,
    network_id: &str,
    results: &[ItemResultInput],
) -> ApiResult<()> {
    let net = state.store.get_network(network_id).await?;
    let (level, _) = scope_of(&net)?;
    let catalog = controls()?;
    for r in results {
        dengbao_controls::check_item(catalog, level, &submitted(r))
            .map_err(|e| ApiError::invalid(format!("invalid results: {e}")))?;
    }
    Ok(())
}

/// Checks each result, then records them all in the network's self-assessment (nothing
/// when one is wrong). The API and the console both record through here.
pub async fn record_self(
    state: &AppState,
    actor: &str,
    network_id: &str,
    results: Vec<ItemResultInput>,
) -> ApiResult<()> {
    check_all(state, network_id, &results).await?;
    state
        .store
        .record_self_item_results(actor, network_id, results)
        .await?;
    Ok(())
}

/// Checks each result against the control catalog for the network's level, then records
/// them all in the assessor's open engagement (nothing when one is wrong). The API and the
/// console both record through here.
pub async fn record(
    state: &AppState,
    actor: &str,
    assessor_id: &str,
    network_id: &str,
    results: Vec<ItemResultInput>,
) -> ApiResult<()> {
    check_all(state, network_id, &results).await?;
    state
        .store
        .record_item_results(actor, assessor_id, network_id, results)
        .await?;
    Ok(())
}

/// Who fixes an item and by when.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskInput {
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub due: String,
}

/// Plans the fix of an item found 不符合 or 部分符合 (the operator's rectification plan).
#[utoipa::path(put, path = "/api/networks/{id}/assessment/tasks/{item}", tag = "assessment", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id"), ("item" = String, Path, description = "requirement item id")),
    request_body = TaskInput,
    responses((status = 200, body = Assessment), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn plan_task(
    State(state): State<AppState>,
    guard: NetworkGuard<FileNetwork>,
    Path((_, item)): Path<(String, String)>,
    ApiJson(input): ApiJson<TaskInput>,
) -> ApiResult<Json<Assessment>> {
    plan(&state, &guard.actor(), &guard.network_id, &item, &input).await?;
    Ok(Json(assessment_of(&state, &guard.network_id).await?))
}

/// Plans the fix of `item` in the network's assessment: only an item that is a task.
pub async fn plan(
    state: &AppState,
    actor: &str,
    network_id: &str,
    item: &str,
    input: &TaskInput,
) -> ApiResult<()> {
    let a = assessment_of(state, network_id).await?;
    let (Some(engagement), true) = (
        a.engagement_id.as_deref(),
        a.tasks.iter().any(|t| t.item == item),
    ) else {
        return Err(ApiError::invalid(format!(
            "invalid item: {item} 未被测评为不符合或部分符合，无需整改 / {item} was not found 不符合 or 部分符合"
        )));
    };
    state
        .store
        .plan_task(
            actor,
            network_id,
            engagement,
            item,
            &input.owner,
            &input.due,
        )
        .await?;
    Ok(())
}
