//! Assessor engagements (等级测评委托): the organisation engages an assessor for a network,
//! the assessor records findings per duty and concludes (符合/基本符合/不符合).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dengbao_store::engagements::{
    ConclusionInput, Engagement, EngagementInput, Finding, FindingInput,
};
use dengbao_store::Role;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Assess, Caller, Engage, NetworkGuard, Read};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiJson;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_engagements, engage))
        .routes(routes!(record_finding))
        .routes(routes!(conclude))
        .routes(routes!(my_engagements))
}

/// A network's engagements with their findings, newest first.
#[utoipa::path(get, path = "/api/networks/{id}/engagements", tag = "assessment", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")),
    responses((status = 200, body = Vec<Engagement>), (status = 404, body = ErrorBody)))]
async fn list_engagements(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
) -> ApiResult<Json<Vec<Engagement>>> {
    Ok(Json(state.store.list_engagements(&guard.network_id).await?))
}

/// Engages an assessor (an assessor user) for the network; the assessor gains reach to
/// the organisation.
#[utoipa::path(post, path = "/api/networks/{id}/engagements", tag = "assessment", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")), request_body = EngagementInput,
    responses((status = 201, body = Engagement), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn engage(
    State(state): State<AppState>,
    guard: NetworkGuard<Engage>,
    ApiJson(input): ApiJson<EngagementInput>,
) -> ApiResult<(StatusCode, Json<Engagement>)> {
    let e = state
        .store
        .engage(&guard.actor(), &guard.network_id, input)
        .await?;
    Ok((StatusCode::CREATED, Json(e)))
}

/// Records (or replaces) the caller's finding for one duty in its open engagement.
#[utoipa::path(post, path = "/api/networks/{id}/engagements/findings", tag = "assessment", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")), request_body = FindingInput,
    responses((status = 201, body = Finding), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_finding(
    State(state): State<AppState>,
    guard: NetworkGuard<Assess>,
    ApiJson(input): ApiJson<FindingInput>,
) -> ApiResult<(StatusCode, Json<Finding>)> {
    if state.catalog.duty(input.duty_id.trim()).is_none() {
        return Err(ApiError::invalid(format!(
            "invalid duty_id: {:?} is not a duty of the catalog (未知义务)",
            input.duty_id
        )));
    }
    let f = state
        .store
        .record_finding(
            &guard.actor(),
            &guard.principal.user_id,
            &guard.network_id,
            input,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(f)))
}

/// Concludes the caller's open engagement; records the `last_assessment` event.
#[utoipa::path(post, path = "/api/networks/{id}/engagements/conclusion", tag = "assessment", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")), request_body = ConclusionInput,
    responses((status = 200, body = Engagement), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn conclude(
    State(state): State<AppState>,
    guard: NetworkGuard<Assess>,
    ApiJson(input): ApiJson<ConclusionInput>,
) -> ApiResult<Json<Engagement>> {
    Ok(Json(
        state
            .store
            .conclude(
                &guard.actor(),
                &guard.principal.user_id,
                &guard.network_id,
                input,
            )
            .await?,
    ))
}

/// An assessor's own engagements; for other roles, none (they read a network's).
#[utoipa::path(get, path = "/api/engagements", tag = "assessment", security(("bearer" = [])),
    responses((status = 200, body = Vec<Engagement>), (status = 401, body = ErrorBody)))]
async fn my_engagements(
    State(state): State<AppState>,
    caller: Caller<Read>,
) -> ApiResult<Json<Vec<Engagement>>> {
    if caller.principal.role != Role::Assessor {
        return Ok(Json(Vec::new()));
    }
    Ok(Json(
        state
            .store
            .assessor_engagements(&caller.principal.user_id)
            .await?,
    ))
}
