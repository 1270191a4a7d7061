//! A network's emergency plans and drills (decision 0507): list and record. Recording writes
//! the network event the duty engine reads (`emergency_plan_approved`, `last_emergency_drill`)
//! in the same transaction, so the plan and drill duties (网络安全法 第二十五条、第三十四条第（四）项,
//! 条例 第三十二条第一款) turn `met` from the register. Reading needs `Read`; recording the
//! operator's own facts needs `HandleIncident` (operator, administrator).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dengbao_store::{DrillInput, EmergencyDrill, EmergencyPlan, PlanInput};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{HandleIncident, NetworkGuard, Read};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiJson;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_plans, add_plan))
        .routes(routes!(list_drills, add_drill))
}

/// A network's emergency plans, latest approval first.
#[utoipa::path(get, path = "/api/networks/{id}/emergency-plans", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")),
    responses((status = 200, body = Vec<EmergencyPlan>), (status = 404, body = ErrorBody)))]
async fn list_plans(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
) -> ApiResult<Json<Vec<EmergencyPlan>>> {
    Ok(Json(
        state.store.list_emergency_plans(&guard.network_id).await?,
    ))
}

/// Records an approved emergency plan (title, version, approval day and approver, the
/// document as evidence of the network or a link). `approved_on` may not be after today.
#[utoipa::path(post, path = "/api/networks/{id}/emergency-plans", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")), request_body = PlanInput,
    responses((status = 201, body = EmergencyPlan), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_plan(
    State(state): State<AppState>,
    guard: NetworkGuard<HandleIncident>,
    ApiJson(input): ApiJson<PlanInput>,
) -> ApiResult<(StatusCode, Json<EmergencyPlan>)> {
    let plan = state
        .store
        .add_emergency_plan(&guard.actor(), &guard.network_id, input)
        .await?;
    Ok((StatusCode::CREATED, Json(plan)))
}

/// A network's drills, latest first.
#[utoipa::path(get, path = "/api/networks/{id}/drills", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")),
    responses((status = 200, body = Vec<EmergencyDrill>), (status = 404, body = ErrorBody)))]
async fn list_drills(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
) -> ApiResult<Json<Vec<EmergencyDrill>>> {
    Ok(Json(
        state.store.list_emergency_drills(&guard.network_id).await?,
    ))
}

/// Records a drill of one of the network's plans (day held, scenario, participants,
/// findings). `held_on` may not be after today nor before the plan's approval.
#[utoipa::path(post, path = "/api/networks/{id}/drills", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")), request_body = DrillInput,
    responses((status = 201, body = EmergencyDrill), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_drill(
    State(state): State<AppState>,
    guard: NetworkGuard<HandleIncident>,
    ApiJson(input): ApiJson<DrillInput>,
) -> ApiResult<(StatusCode, Json<EmergencyDrill>)> {
    let drill = state
        .store
        .add_emergency_drill(&guard.actor(), &guard.network_id, input)
        .await?;
    Ok((StatusCode::CREATED, Json(drill)))
}
