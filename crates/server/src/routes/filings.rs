//! Filing (备案, 条例 第十八条–第十九条): the operator submits, the supervisor it names
//! certifies or rejects within 10 working days of receipt (deadline on the calendar).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dengbao_store::filings::{
    validate_date, Filing, FilingDecision, FilingInput, FilingState, Supervisor,
};
use dengbao_store::Role;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Caller, FileNetwork, NetworkGuard, Oversee, Read, Supervise, Tools};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery};
use crate::AppState;

/// Working days the organ has to review a filing (条例 第十九条).
pub const REVIEW_WORKING_DAYS: u32 = 10;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_supervisors))
        .routes(routes!(list_filings, submit_filing))
        .routes(routes!(decide_filing))
        .routes(routes!(filings_received))
}

/// `n` working days after `date` on the State Council calendar (provisional in a year whose
/// notice is not loaded yet, decision 0409); a date the calendar does not know at all is
/// refused, naming the field.
pub fn workdays_after(
    state: &AppState,
    field: &str,
    date: jiff::civil::Date,
    n: u32,
) -> ApiResult<jiff::civil::Date> {
    state.calendar.get().add_workdays(date, n).map_err(|e| {
        ApiError::invalid(format!(
            "invalid {field}: {date} + {n} working days: {e} (日期超出工作日历范围)"
        ))
    })
}

/// The supervisors (public security organs) a filing can name.
#[utoipa::path(get, path = "/api/supervisors", tag = "supervision", security(("bearer" = [])),
    responses((status = 200, body = Vec<Supervisor>), (status = 401, body = ErrorBody)))]
async fn list_supervisors(
    State(state): State<AppState>,
    _caller: Caller<Tools>,
) -> ApiResult<Json<Vec<Supervisor>>> {
    Ok(Json(state.store.list_supervisors().await?))
}

/// A network's filings, newest first.
#[utoipa::path(get, path = "/api/networks/{id}/filings", tag = "supervision", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")),
    responses((status = 200, body = Vec<Filing>), (status = 404, body = ErrorBody)))]
async fn list_filings(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
) -> ApiResult<Json<Vec<Filing>>> {
    Ok(Json(state.store.list_filings(&guard.network_id).await?))
}

/// Submits the network's filing (level 2+, graded) to a supervisor; the review deadline is
/// 10 working days after `submitted_on` (条例 第十九条). Grants the supervisor reach to the
/// organisation.
#[utoipa::path(post, path = "/api/networks/{id}/filings", tag = "supervision", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")), request_body = FilingInput,
    responses((status = 201, body = Filing), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn submit_filing(
    State(state): State<AppState>,
    guard: NetworkGuard<FileNetwork>,
    ApiJson(input): ApiJson<FilingInput>,
) -> ApiResult<(StatusCode, Json<Filing>)> {
    let received = validate_date("submitted_on", &input.submitted_on)?;
    let due = workdays_after(&state, "submitted_on", received, REVIEW_WORKING_DAYS)?;
    let f = state
        .store
        .submit_filing(&guard.actor(), &guard.network_id, input, due)
        .await?;
    Ok((StatusCode::CREATED, Json(f)))
}

/// The supervisor's decision on the network's filing under review: `certify` with the
/// certificate number (备案证明) or `reject` with reasons. Only the organ the filing names
/// decides (an administrator may act for it).
#[utoipa::path(post, path = "/api/networks/{id}/filings/decision", tag = "supervision", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")), request_body = FilingDecision,
    responses((status = 200, body = Filing), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn decide_filing(
    State(state): State<AppState>,
    guard: NetworkGuard<Supervise>,
    ApiJson(decision): ApiJson<FilingDecision>,
) -> ApiResult<Json<Filing>> {
    if guard.principal.role == Role::Supervisor {
        if let Some(current) = state.store.current_filing(&guard.network_id).await? {
            if current.supervisor_id != guard.principal.user_id {
                return Err(ApiError::invalid(
                    "invalid supervisor: this filing was submitted to another public security organ (该备案未向您提交)",
                ));
            }
        }
    }
    Ok(Json(
        state
            .store
            .decide_filing(&guard.actor(), &guard.network_id, decision)
            .await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReceivedQuery {
    /// Only filings in this state: submitted, certified, rejected.
    pub state: Option<FilingState>,
}

/// Filings received: a supervisor's own (those naming it), everyone's for administrators
/// and auditors; soonest review deadline first.
#[utoipa::path(get, path = "/api/filings", tag = "supervision", security(("bearer" = [])), params(ReceivedQuery),
    responses((status = 200, body = Vec<Filing>), (status = 403, body = ErrorBody)))]
async fn filings_received(
    State(state): State<AppState>,
    caller: Caller<Oversee>,
    ApiQuery(q): ApiQuery<ReceivedQuery>,
) -> ApiResult<Json<Vec<Filing>>> {
    let me =
        (caller.principal.role == Role::Supervisor).then_some(caller.principal.user_id.as_str());
    Ok(Json(
        state
            .store
            .filings_received(&caller.scope(), me, q.state)
            .await?,
    ))
}
