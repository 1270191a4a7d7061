//! Reviewing evidence: accept or reject (with a reason) by someone other than the uploader,
//! and void instead of delete. Only accepted evidence meets a duty (decision 0936).

use axum::extract::{Path, State};
use axum::Json;
use dengbao_store::{Evidence, ReviewInput, VoidInput};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{NetworkGuard, ReviewEvidence};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiJson;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(review_evidence))
        .routes(routes!(void_evidence))
}

/// Accepts or rejects pending evidence (`{"decision": "accept"|"reject", "reason": …}`);
/// the reviewer is not the uploader and a rejection needs a reason.
#[utoipa::path(post, path = "/api/networks/{id}/evidence/{evidence_id}/review", tag = "networks", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id"), ("evidence_id" = String, Path, description = "evidence id")),
    request_body = ReviewInput,
    responses((status = 200, body = Evidence), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn review_evidence(
    State(state): State<AppState>,
    guard: NetworkGuard<ReviewEvidence>,
    Path((_, evidence_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<ReviewInput>,
) -> ApiResult<Json<Evidence>> {
    let ev = state
        .store
        .review_evidence(&guard.actor(), &guard.network_id, &evidence_id, input)
        .await?;
    Ok(Json(ev))
}

/// Voids evidence with a reason: it stays listed and meets nothing.
#[utoipa::path(post, path = "/api/networks/{id}/evidence/{evidence_id}/void", tag = "networks", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id"), ("evidence_id" = String, Path, description = "evidence id")),
    request_body = VoidInput,
    responses((status = 200, body = Evidence), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn void_evidence(
    State(state): State<AppState>,
    guard: NetworkGuard<ReviewEvidence>,
    Path((_, evidence_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<VoidInput>,
) -> ApiResult<Json<Evidence>> {
    let ev = state
        .store
        .void_evidence(
            &guard.actor(),
            &guard.network_id,
            &evidence_id,
            &input.reason,
        )
        .await?;
    Ok(Json(ev))
}
