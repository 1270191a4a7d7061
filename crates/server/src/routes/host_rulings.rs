//! The assessor's ruling on each check result of a host report (issue 12, decision 0424):
//! `POST /api/networks/{id}/host-reports/{report_id}/rulings` with
//! `{"check", "ruling": "accept"|"overrule", "result", "note"}`. Only the engaged assessor
//! rules (`Assess`, and the store refuses a caller without an open engagement of the
//! network), as for the assessment's item results; the check must be one of the report's
//! results. The console's forms rule through [`rule`] too.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use dengbao_hostcheck::Report;
use dengbao_store::host_check_rulings::{HostCheckRuling, RulingInput};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Assess, NetworkGuard};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiJson;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(post_ruling))
}

/// A report as `POST …/host-reports` stored it (its evidence file).
#[derive(Deserialize)]
pub struct StoredReport {
    pub host: String,
    pub report: Report,
}

/// The stored report `report_id` of the network, read back from its evidence file; a piece
/// of evidence that is not a host report is not found as one.
pub async fn stored_report(
    state: &AppState,
    network_id: &str,
    report_id: &str,
) -> ApiResult<StoredReport> {
    let is_report = state
        .store
        .host_reports(network_id)
        .await?
        .iter()
        .any(|r| r.evidence_id == report_id);
    if !is_report {
        return Err(ApiError::not_found("host report"));
    }
    let (_, bytes) = state.store.evidence_bytes(network_id, report_id).await?;
    serde_json::from_slice(&bytes).map_err(|_| ApiError::not_found("host report"))
}

/// Records the ruling of `assessor_id` on one check result of the report, after checking
/// that the report has that result.
pub async fn rule(
    state: &AppState,
    actor: &str,
    assessor_id: &str,
    network_id: &str,
    report_id: &str,
    input: &RulingInput,
) -> ApiResult<HostCheckRuling> {
    let stored = stored_report(state, network_id, report_id).await?;
    let check = input.check.trim();
    if !stored.report.results.iter().any(|r| r.id == check) {
        return Err(ApiError::invalid(format!(
            "invalid check: {check:?} 不是该报告的检查项 / is not a check result of this report"
        )));
    }
    Ok(state
        .store
        .rule_host_check(actor, assessor_id, network_id, report_id, input)
        .await?)
}

/// Accepts or overrules one check result of a host report (the engaged assessor).
#[utoipa::path(post, path = "/api/networks/{id}/host-reports/{report_id}/rulings", tag = "assessment", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id"), ("report_id" = String, Path, description = "the host report's evidence id")),
    request_body = RulingInput,
    responses((status = 201, body = HostCheckRuling), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn post_ruling(
    State(state): State<AppState>,
    guard: NetworkGuard<Assess>,
    Path((_, report_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<RulingInput>,
) -> ApiResult<(StatusCode, Json<HostCheckRuling>)> {
    let ruling = rule(
        &state,
        &guard.actor(),
        &guard.principal.user_id,
        &guard.network_id,
        &report_id,
        &input,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(ruling)))
}
