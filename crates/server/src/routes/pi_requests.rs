//! Requests to delete or correct personal information (网络安全法 第四十三条, decision 0507):
//! list, record, close, and the organisation's own handling period. The law states no
//! deadline, so a request shows none unless its organisation set a policy when it was
//! received — and then the deadline is labelled as that policy, with its source, never as
//! the law's. Reading needs `Read`; recording and closing `HandleIncident`; setting the
//! organisation's policy `EditNetwork` (like its industry).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use dengbao_calendar::Calendar;
use dengbao_store::{ClosePiRequest, NewPiRequest, PiRequest, PiRequestPolicy, StoreError};
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{EditNetwork, HandleIncident, NetworkGuard, OrgGuard, Read};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiJson;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_requests, add_request))
        .routes(routes!(close_request))
        .routes(routes!(get_policy, set_policy))
}

/// A request with its deadline, if any, and where the deadline comes from.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PiRequestView {
    #[serde(flatten)]
    pub request: PiRequest,
    /// `none`: the law states no deadline (网络安全法 第四十三条) and the organisation had set no
    /// policy, so none is shown; `organisation_policy`: the organisation's own period.
    pub deadline_basis: String,
    /// The last day (`YYYY-MM-DD`) under the organisation's policy; null under `none`.
    pub deadline: Option<String>,
    /// The deadline falls in a year whose holiday notice is not loaded yet.
    pub provisional: bool,
    /// `open` (no deadline), `due`, `overdue`, `closed`, `closed_late`, or `unknown` (the
    /// calendar cannot count the days).
    pub clock: String,
    /// What the deadline rests on, in Chinese and in English.
    pub basis_zh: String,
    pub basis_en: String,
}

/// The article the requests rest on; it sets no period.
pub const LAW_ZH: &str = "网络安全法 第四十三条";

impl PiRequestView {
    pub fn new(request: PiRequest, cal: &Calendar, now: jiff::Timestamp) -> PiRequestView {
        let received = dengbao_store::events::instant(&request.received_at)
            .map(|t| dengbao_calendar::in_shanghai(t).date());
        let closed = request
            .closed_at
            .as_deref()
            .and_then(dengbao_store::events::instant)
            .map(|t| dengbao_calendar::in_shanghai(t).date());
        let today = dengbao_calendar::in_shanghai(now).date();
        let (Some(days), Some(received)) = (request.policy_working_days, received) else {
            return PiRequestView {
                clock: if request.state == "closed" { "closed" } else { "open" }.into(),
                deadline_basis: "none".into(),
                deadline: None,
                provisional: false,
                basis_zh: format!("法律未规定期限（{LAW_ZH}只要求“采取措施予以删除或者更正”）"),
                basis_en: "the law sets no deadline (Cybersecurity Law, Article 43 requires only that the operator delete or correct)".into(),
                request,
            };
        };
        let source = request.policy_source.clone().unwrap_or_default();
        let basis_zh =
            format!("本单位政策：收到后{days}个工作日（来源：{source}）；法律未规定期限");
        let basis_en = format!(
            "the organisation's own policy: {days} working days from receipt (source: {}); the law sets no deadline",
            dengbao_i18n::quoted(dengbao_types::Lang::En, &source)
        );
        let Ok(due) = cal.add_workdays(received, u32::try_from(days).unwrap_or(u32::MAX)) else {
            return PiRequestView {
                clock: "unknown".into(),
                deadline_basis: "organisation_policy".into(),
                deadline: None,
                provisional: false,
                basis_zh,
                basis_en,
                request,
            };
        };
        let clock = match closed {
            Some(c) if c > due => "closed_late",
            Some(_) => "closed",
            None if today > due => "overdue",
            None => "due",
        };
        PiRequestView {
            clock: clock.into(),
            deadline_basis: "organisation_policy".into(),
            deadline: Some(due.to_string()),
            provisional: cal.is_provisional(due),
            basis_zh,
            basis_en,
            request,
        }
    }
}

/// The request, when it is this network's: another network's is not found, like a missing one.
pub async fn request_of(state: &AppState, network_id: &str, id: &str) -> ApiResult<PiRequest> {
    match state.store.get_pi_request(id).await {
        Ok(r) if r.network_id == network_id => Ok(r),
        Ok(_) | Err(StoreError::NotFound { .. }) => {
            Err(crate::error::ApiError::not_found("pi_request"))
        }
        Err(e) => Err(e.into()),
    }
}

fn view(state: &AppState, r: PiRequest) -> PiRequestView {
    PiRequestView::new(r, &state.calendar.get(), jiff::Timestamp::now())
}

/// A network's requests to delete or correct personal information, latest received first,
/// each with its deadline under the organisation's policy (none where it had set none).
#[utoipa::path(get, path = "/api/networks/{id}/pi-requests", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")),
    responses((status = 200, body = Vec<PiRequestView>), (status = 404, body = ErrorBody)))]
async fn list_requests(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
) -> ApiResult<Json<Vec<PiRequestView>>> {
    let reqs = state.store.list_pi_requests(&guard.network_id).await?;
    Ok(Json(reqs.into_iter().map(|r| view(&state, r)).collect()))
}

/// Records a request received (kind `delete` or `correct`, a reference to the requester, when
/// it was received); it keeps the organisation's policy in force now.
#[utoipa::path(post, path = "/api/networks/{id}/pi-requests", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")), request_body = NewPiRequest,
    responses((status = 201, body = PiRequestView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_request(
    State(state): State<AppState>,
    guard: NetworkGuard<HandleIncident>,
    ApiJson(input): ApiJson<NewPiRequest>,
) -> ApiResult<(StatusCode, Json<PiRequestView>)> {
    let r = state
        .store
        .add_pi_request(&guard.actor(), &guard.network_id, input)
        .await?;
    Ok((StatusCode::CREATED, Json(view(&state, r))))
}

/// Closes a request: `done`, or `refused` with the reason.
#[utoipa::path(post, path = "/api/networks/{id}/pi-requests/{request_id}/close", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id"), ("request_id" = String, Path, description = "request id")),
    request_body = ClosePiRequest,
    responses((status = 200, body = PiRequestView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn close_request(
    State(state): State<AppState>,
    guard: NetworkGuard<HandleIncident>,
    Path((_, request_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<ClosePiRequest>,
) -> ApiResult<Json<PiRequestView>> {
    request_of(&state, &guard.network_id, &request_id).await?;
    let r = state
        .store
        .close_pi_request(&guard.actor(), &request_id, input)
        .await?;
    Ok(Json(view(&state, r)))
}

/// The organisation's handling period for personal-information requests (null: none set;
/// the law states none).
#[utoipa::path(get, path = "/api/organisations/{id}/pi-request-policy", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "organisation id")),
    responses((status = 200, body = PiRequestPolicy), (status = 404, body = ErrorBody)))]
async fn get_policy(
    State(state): State<AppState>,
    guard: OrgGuard<Read>,
) -> ApiResult<Json<PiRequestPolicy>> {
    Ok(Json(state.store.pi_request_policy(&guard.org_id).await?))
}

/// Sets the organisation's own handling period (`working_days` with its `source`), or clears
/// it (`working_days` null). It applies to requests received from then on.
#[utoipa::path(put, path = "/api/organisations/{id}/pi-request-policy", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "organisation id")), request_body = PiRequestPolicy,
    responses((status = 200, body = PiRequestPolicy), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_policy(
    State(state): State<AppState>,
    guard: OrgGuard<EditNetwork>,
    ApiJson(input): ApiJson<PiRequestPolicy>,
) -> ApiResult<Json<PiRequestPolicy>> {
    Ok(Json(
        state
            .store
            .set_pi_request_policy(&guard.principal.actor(), &guard.org_id, input)
            .await?,
    ))
}
