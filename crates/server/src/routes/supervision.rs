//! Supervision after filing: yearly inspections of level 3+ networks (条例 第五十条),
//! rectification orders with deadlines (第五十一条), the operator's report and closure,
//! statistics by level and industry.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dengbao_store::filings::validate_date;
use dengbao_store::inspections::{
    IndustryInput, Inspection, InspectionDue, InspectionInput, OrderInput, OrderState, OrderStep,
    RectificationOrder, Statistics,
};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{
    Caller, EditNetwork, FileNetwork, NetworkGuard, OrgGuard, Oversee, Read, Supervise,
};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery};
use crate::routes::filings::workdays_after;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(inspections_due))
        .routes(routes!(record_inspection))
        .routes(routes!(list_orders, issue_order))
        .routes(routes!(report_order))
        .routes(routes!(close_order))
        .routes(routes!(open_orders))
        .routes(routes!(statistics))
        .routes(routes!(set_industry))
}

/// Today in Asia/Shanghai.
pub fn today() -> jiff::civil::Date {
    dengbao_duties::date_of(jiff::Timestamp::now())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DateQuery {
    /// As of this date `YYYY-MM-DD` (Asia/Shanghai); today by default.
    pub at: Option<String>,
}

/// Level 3+ networks and their next yearly inspection (第五十条: at least once a year).
#[utoipa::path(get, path = "/api/inspections/due", tag = "supervision", security(("bearer" = [])), params(DateQuery),
    responses((status = 200, body = Vec<InspectionDue>), (status = 403, body = ErrorBody)))]
async fn inspections_due(
    State(state): State<AppState>,
    caller: Caller<Oversee>,
    ApiQuery(q): ApiQuery<DateQuery>,
) -> ApiResult<Json<Vec<InspectionDue>>> {
    let at = match &q.at {
        Some(s) => validate_date("at", s)?,
        None => today(),
    };
    Ok(Json({
        let reached = crate::auth::reached_set(&state, &caller.principal).await?;
        state
            .store
            .inspections_due(&caller.scope(), at)
            .await?
            .into_iter()
            .filter(|i| reached.as_ref().is_none_or(|r| r.contains(&i.network_id)))
            .collect::<Vec<_>>()
    }))
}

/// Records an inspection of the network by the public security organ.
#[utoipa::path(post, path = "/api/networks/{id}/inspections", tag = "supervision", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")), request_body = InspectionInput,
    responses((status = 201, body = Inspection), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_inspection(
    State(state): State<AppState>,
    guard: NetworkGuard<Supervise>,
    ApiJson(input): ApiJson<InspectionInput>,
) -> ApiResult<(StatusCode, Json<Inspection>)> {
    let i = state
        .store
        .record_inspection(&guard.actor(), &guard.network_id, input)
        .await?;
    Ok((StatusCode::CREATED, Json(i)))
}

/// A network's rectification orders, newest first.
#[utoipa::path(get, path = "/api/networks/{id}/rectifications", tag = "supervision", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")),
    responses((status = 200, body = Vec<RectificationOrder>), (status = 404, body = ErrorBody)))]
async fn list_orders(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
) -> ApiResult<Json<Vec<RectificationOrder>>> {
    Ok(Json(state.store.list_orders(&guard.network_id).await?))
}

/// Issues a rectification order (责令限期整改, 第五十一条): findings and a deadline, given as a
/// date (`due`) or as `working_days` after `issued_on` on the calendar.
#[utoipa::path(post, path = "/api/networks/{id}/rectifications", tag = "supervision", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")), request_body = OrderInput,
    responses((status = 201, body = RectificationOrder), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn issue_order(
    State(state): State<AppState>,
    guard: NetworkGuard<Supervise>,
    ApiJson(input): ApiJson<OrderInput>,
) -> ApiResult<(StatusCode, Json<RectificationOrder>)> {
    let issued = validate_date("issued_on", &input.issued_on)?;
    let due = match (&input.due, input.working_days) {
        (Some(d), None) => validate_date("due", d)?,
        (None, Some(n)) if n > 0 => workdays_after(&state, "working_days", issued, n)?,
        _ => {
            return Err(ApiError::invalid(
                "invalid due: give either due (a date) or working_days (> 0) (须填写整改期限)",
            ))
        }
    };
    let o = state
        .store
        .issue_order(
            &guard.actor(),
            &guard.network_id,
            input.findings,
            issued,
            due,
            input.working_days.filter(|_| input.due.is_none()),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(o)))
}

/// The operator's rectification report (整改报告) on an open order.
#[utoipa::path(post, path = "/api/networks/{id}/rectifications/report", tag = "supervision", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")), request_body = OrderStep,
    responses((status = 200, body = RectificationOrder), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn report_order(
    State(state): State<AppState>,
    guard: NetworkGuard<FileNetwork>,
    ApiJson(step): ApiJson<OrderStep>,
) -> ApiResult<Json<RectificationOrder>> {
    Ok(Json(
        state
            .store
            .advance_order(
                &guard.actor(),
                &guard.network_id,
                step,
                OrderState::Reported,
            )
            .await?,
    ))
}

/// The organ closes a reported order; records the `rectified` event.
#[utoipa::path(post, path = "/api/networks/{id}/rectifications/close", tag = "supervision", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")), request_body = OrderStep,
    responses((status = 200, body = RectificationOrder), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn close_order(
    State(state): State<AppState>,
    guard: NetworkGuard<Supervise>,
    ApiJson(step): ApiJson<OrderStep>,
) -> ApiResult<Json<RectificationOrder>> {
    Ok(Json(
        state
            .store
            .advance_order(&guard.actor(), &guard.network_id, step, OrderState::Closed)
            .await?,
    ))
}

/// Orders not yet closed in the caller's organisations, earliest deadline first.
#[utoipa::path(get, path = "/api/rectifications", tag = "supervision", security(("bearer" = [])),
    responses((status = 200, body = Vec<RectificationOrder>), (status = 403, body = ErrorBody)))]
async fn open_orders(
    State(state): State<AppState>,
    caller: Caller<Oversee>,
) -> ApiResult<Json<Vec<RectificationOrder>>> {
    let reached = crate::auth::reached_set(&state, &caller.principal).await?;
    let orders = state.store.open_orders(&caller.scope()).await?;
    Ok(Json(
        orders
            .into_iter()
            .filter(|o| reached.as_ref().is_none_or(|r| r.contains(&o.network_id)))
            .collect(),
    ))
}

/// Networks by level and by industry in the caller's organisations.
#[utoipa::path(get, path = "/api/statistics", tag = "supervision", security(("bearer" = [])),
    responses((status = 200, body = Statistics), (status = 403, body = ErrorBody)))]
async fn statistics(
    State(state): State<AppState>,
    caller: Caller<Oversee>,
) -> ApiResult<Json<Statistics>> {
    let reached = crate::auth::reached_set(&state, &caller.principal).await?;
    Ok(Json(
        state
            .store
            .statistics(&caller.scope(), reached.as_ref())
            .await?,
    ))
}

/// Sets the organisation's industry (行业类别 of the filing form).
#[utoipa::path(put, path = "/api/organisations/{id}/industry", tag = "supervision", security(("bearer" = [])),
    params(("id" = String, Path, description = "organisation id")), request_body = IndustryInput,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_industry(
    State(state): State<AppState>,
    guard: OrgGuard<EditNetwork>,
    ApiJson(input): ApiJson<IndustryInput>,
) -> ApiResult<StatusCode> {
    state
        .store
        .set_org_industry(&guard.principal.actor(), &guard.org_id, &input.industry)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
