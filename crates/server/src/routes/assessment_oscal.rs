//! `GET /api/networks/{id}/assessment/oscal`: the network's per-item assessment results
//! (decision 0412) as an OSCAL assessment-results document (`dengbao_controls::
//! to_oscal_results`), for GRC tools that import OSCAL. Whoever may read the assessment may
//! download it; the file is named for the network and the day.

use axum::extract::State;
use axum::response::Response;
use dengbao_controls::{AssessmentRecord, ItemRecord};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::assessment::{assessment_of, controls, scope_of};
use super::reports::download;
use crate::auth::{NetworkGuard, Read};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(assessment_oscal))
}

/// The assessment as OSCAL assessment results (JSON download): a finding and an observation
/// per item assessed, a risk per 不符合 / 部分符合 item, the conclusion and 符合率 once every
/// item has a result.
#[utoipa::path(get, path = "/api/networks/{id}/assessment/oscal", tag = "assessment", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")),
    responses((status = 200, description = "OSCAL assessment-results JSON", content_type = "application/json"),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn assessment_oscal(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
) -> ApiResult<Response> {
    let net = state.store.get_network(&guard.network_id).await?;
    let (level, extensions) = scope_of(&net)?;
    let catalog = controls()?;
    let current = assessment_of(&state, &guard.network_id).await?;
    let engagement_id = current.engagement_id.clone().unwrap_or_default();
    // The assessor is named by the engagement the results belong to; before any result
    // there is none, and the document says so.
    let assessor = match state
        .store
        .list_engagements(&guard.network_id)
        .await?
        .into_iter()
        .find(|e| e.id == engagement_id)
    {
        Some(e) => {
            let users = state.store.list_users().await?;
            users
                .into_iter()
                .find(|u| u.id == e.assessor_id)
                .map(|u| u.name)
                .unwrap_or(e.assessor_id)
        }
        None => "（尚无测评机构）".to_string(),
    };
    let conclusion = if current.missing.is_empty() && !current.items.is_empty() {
        let results: Vec<_> = current
            .items
            .iter()
            .map(super::assessment::as_submitted)
            .collect();
        dengbao_controls::conclude(catalog, level, &extensions, &results).ok()
    } else {
        None
    };
    let now = jiff::Timestamp::now();
    let rec = AssessmentRecord {
        network_id: net.id.clone(),
        network_name: net.profile.name.clone(),
        level,
        extensions,
        engagement_id: if engagement_id.is_empty() {
            "none".to_string()
        } else {
            engagement_id
        },
        assessor,
        exported_at: now.to_string(),
        items: current
            .items
            .into_iter()
            .map(|i| ItemRecord {
                item: i.item,
                result: i.result,
                reason: i.reason,
                risk: i.risk,
                major_hazard: i.major_hazard,
                note: i.note,
                recorded_at: i.recorded_at,
            })
            .collect(),
        conclusion,
    };
    let doc = dengbao_controls::to_oscal_results(catalog, &rec)
        .map_err(|e| ApiError::internal(format!("OSCAL export: {e}")))?;
    let bytes = serde_json::to_vec_pretty(&doc).map_err(ApiError::internal)?;
    let date = dengbao_calendar::today_in_shanghai();
    download(
        Ok(bytes),
        "application/json",
        &format!("assessment-results-{}-{date}.json", net.id),
        &format!("测评结果-{}-{date}.json", net.profile.name),
    )
}
