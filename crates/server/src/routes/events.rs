//! The dated events of a network's life.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use dengbao_store::{CorrectionInput, EventInput, NetworkEvent, VoidInput};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{AddEvent, NetworkGuard, Read};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiJson;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_events, add_event))
        .routes(routes!(void_event))
        .routes(routes!(correct_event))
}

/// A network's events, oldest first.
#[utoipa::path(get, path = "/api/networks/{id}/events", tag = "networks", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")),
    responses((status = 200, body = Vec<NetworkEvent>), (status = 404, body = ErrorBody)))]
async fn list_events(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
) -> ApiResult<Json<Vec<NetworkEvent>>> {
    Ok(Json(state.store.list_events(&guard.network_id).await?))
}

/// Records an event (graded, filed, certified, last_assessment, incident_detected …).
#[utoipa::path(post, path = "/api/networks/{id}/events", tag = "networks", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")), request_body = EventInput,
    responses((status = 201, body = NetworkEvent), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_event(
    State(state): State<AppState>,
    guard: NetworkGuard<AddEvent>,
    ApiJson(input): ApiJson<EventInput>,
) -> ApiResult<(StatusCode, Json<NetworkEvent>)> {
    let ev = state
        .store
        .add_event(&guard.actor(), &guard.network_id, input)
        .await?;
    Ok((StatusCode::CREATED, Json(ev)))
}

/// Voids an event with a reason: it stops counting for duties and clocks and stays on
/// record. Events written by the filing, rectification or assessment workflows are changed
/// there (422).
#[utoipa::path(post, path = "/api/networks/{id}/events/{event_id}/void", tag = "networks", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id"), ("event_id" = String, Path, description = "event id")),
    request_body = VoidInput,
    responses((status = 200, body = NetworkEvent), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn void_event(
    State(state): State<AppState>,
    guard: NetworkGuard<AddEvent>,
    Path((_, event_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<VoidInput>,
) -> ApiResult<Json<NetworkEvent>> {
    let ev = state
        .store
        .void_event(&guard.actor(), &guard.network_id, &event_id, input)
        .await?;
    Ok(Json(ev))
}

/// Corrects an event's date (and note) with a reason: the original is voided and points at
/// the new event, which is returned.
#[utoipa::path(post, path = "/api/networks/{id}/events/{event_id}/correct", tag = "networks", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id"), ("event_id" = String, Path, description = "event id")),
    request_body = CorrectionInput,
    responses((status = 201, body = NetworkEvent), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn correct_event(
    State(state): State<AppState>,
    guard: NetworkGuard<AddEvent>,
    Path((_, event_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<CorrectionInput>,
) -> ApiResult<(StatusCode, Json<NetworkEvent>)> {
    let ev = state
        .store
        .correct_event(&guard.actor(), &guard.network_id, &event_id, input)
        .await?;
    Ok((StatusCode::CREATED, Json(ev)))
}
