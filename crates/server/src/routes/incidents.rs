//! The incident register of a network (decision 0505): list, one incident with every report
//! owed and its clock, open, grade, record a send, close, and the reports as DOCX. Opening
//! places the log centre's legal hold, closing ends its window, as `dengbao incident` does.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use dengbao_reports::{incident_docx, IncidentDoc};
use dengbao_store::{
    CloseIncident, GradeIncident, IncidentRecord, OpenIncident, SendReport, StoreError,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Caller, HandleIncident, NetworkGuard, Oversee, Read, Requirement};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiJson;
use crate::incident_view::{self, IncidentView};
use crate::routes::reports::{download, DOCX};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_incidents, open_incident))
        .routes(routes!(get_incident))
        .routes(routes!(grade_incident))
        .routes(routes!(record_report))
        .routes(routes!(close_incident))
        .routes(routes!(report_docx))
        .routes(routes!(supervised_incidents))
        .routes(routes!(release_hold))
        .routes(routes!(log_links, link_logs))
}

/// The log centre's searches and exports linked to the incident.
#[utoipa::path(get, path = "/api/networks/{id}/incidents/{incident_id}/logs", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id"), ("incident_id" = String, Path, description = "incident id")),
    responses((status = 200, body = Vec<dengbao_store::incident_logs::LogLink>), (status = 404, body = ErrorBody)))]
async fn log_links(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
    Path((_, incident_id)): Path<(String, String)>,
) -> ApiResult<Json<Vec<dengbao_store::incident_logs::LogLink>>> {
    incident_of(&state, &guard, &incident_id).await?;
    Ok(Json(state.store.log_links(&incident_id).await?))
}

/// Links a search over the held logs (and the export taken from it) to the incident.
#[utoipa::path(post, path = "/api/networks/{id}/incidents/{incident_id}/logs", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id"), ("incident_id" = String, Path, description = "incident id")),
    request_body = dengbao_store::incident_logs::LogLinkInput,
    responses((status = 201, body = dengbao_store::incident_logs::LogLink), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn link_logs(
    State(state): State<AppState>,
    guard: NetworkGuard<HandleIncident>,
    Path((_, incident_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<dengbao_store::incident_logs::LogLinkInput>,
) -> ApiResult<(StatusCode, Json<dengbao_store::incident_logs::LogLink>)> {
    incident_of(&state, &guard, &incident_id).await?;
    let link = state
        .store
        .link_logs(&guard.actor(), &incident_id, input)
        .await?;
    Ok((StatusCode::CREATED, Json(link)))
}

/// Why a closed incident's hold on the logs is released.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseHold {
    pub reason: String,
}

/// Releases the log centre's hold of a closed incident (with a reason, audited): from then
/// on the six-month floor alone governs those logs.
#[utoipa::path(post, path = "/api/networks/{id}/incidents/{incident_id}/release-hold", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id"), ("incident_id" = String, Path, description = "incident id")),
    request_body = ReleaseHold,
    responses((status = 200, body = IncidentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn release_hold(
    State(state): State<AppState>,
    guard: NetworkGuard<HandleIncident>,
    Path((_, incident_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<ReleaseHold>,
) -> ApiResult<Json<IncidentView>> {
    view(release(&state, &guard, &incident_id, &input.reason).await?)
}

/// Releases the hold of `incident_id` (a closed incident of the guarded network).
pub async fn release(
    state: &AppState,
    guard: &NetworkGuard<HandleIncident>,
    incident_id: &str,
    reason: &str,
) -> ApiResult<IncidentRecord> {
    incident_of(state, guard, incident_id).await?;
    let logs = state.logs.clone();
    Ok(state
        .store
        .release_hold(&guard.actor(), incident_id, reason, |rec| {
            incident_view::release_hold(&logs, rec)
        })
        .await?)
}

/// The incidents of every network the caller oversees (a supervisor: the networks filed with
/// it or put under it, decision 0939), newest first; read only.
#[utoipa::path(get, path = "/api/incidents", tag = "incidents", security(("bearer" = [])),
    responses((status = 200, body = Vec<IncidentRecord>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn supervised_incidents(
    State(state): State<AppState>,
    caller: Caller<Oversee>,
) -> ApiResult<Json<Vec<IncidentRecord>>> {
    let scope = caller.scope();
    let reached = crate::auth::reached_set(&state, &caller.principal).await?;
    let mut out: Vec<IncidentRecord> = state
        .store
        .list_incidents(None)
        .await?
        .into_iter()
        .filter(|r| scope.allows(&r.org_id))
        .filter(|r| reached.as_ref().is_none_or(|s| s.contains(&r.network_id)))
        .collect();
    out.sort_by(|a, b| b.detected_at.cmp(&a.detected_at));
    Ok(Json(out))
}

fn now() -> jiff::Timestamp {
    jiff::Timestamp::now()
}

/// The incident, when it is this network's: another network's is not found, like a missing one.
pub async fn incident_of<R: Requirement>(
    state: &AppState,
    guard: &NetworkGuard<R>,
    incident_id: &str,
) -> ApiResult<IncidentRecord> {
    match state.store.get_incident(incident_id).await {
        Ok(rec) if rec.network_id == guard.network_id => Ok(rec),
        Ok(_) | Err(StoreError::NotFound { .. }) => Err(ApiError::not_found("incident")),
        Err(e) => Err(e.into()),
    }
}

fn view(rec: IncidentRecord) -> ApiResult<Json<IncidentView>> {
    Ok(Json(IncidentView::new(rec, now())?))
}

/// A network's incidents, newest detection first, each with its reports' clocks now.
#[utoipa::path(get, path = "/api/networks/{id}/incidents", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")),
    responses((status = 200, body = Vec<IncidentView>), (status = 404, body = ErrorBody)))]
async fn list_incidents(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
) -> ApiResult<Json<Vec<IncidentView>>> {
    let at = now();
    let recs = state.store.list_incidents(Some(&guard.network_id)).await?;
    let views = recs
        .into_iter()
        .map(|r| IncidentView::new(r, at))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(views))
}

/// One incident: the record, the grade with its reasons, and every report owed with its
/// recipient, deadline, citations and state (met, late, due with the hours left, overdue).
#[utoipa::path(get, path = "/api/networks/{id}/incidents/{incident_id}", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id"), ("incident_id" = String, Path, description = "incident id")),
    responses((status = 200, body = IncidentView), (status = 404, body = ErrorBody)))]
async fn get_incident(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
    Path((_, incident_id)): Path<(String, String)>,
) -> ApiResult<Json<IncidentView>> {
    view(incident_of(&state, &guard, &incident_id).await?)
}

/// Opens an incident: the engine proposes its grade from the facts, every report owed starts
/// its clock from `detected_at`, and the affected network's logs are put on legal hold.
/// `network_id` may be left out (the path names the network).
#[utoipa::path(post, path = "/api/networks/{id}/incidents", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")), request_body = OpenIncident,
    responses((status = 201, body = IncidentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn open_incident(
    State(state): State<AppState>,
    guard: NetworkGuard<HandleIncident>,
    ApiJson(mut input): ApiJson<OpenIncident>,
) -> ApiResult<(StatusCode, Json<IncidentView>)> {
    if !input.network_id.is_empty() && input.network_id != guard.network_id {
        return Err(StoreError::invalid(
            "network_id",
            "与路径中的网络不一致 / differs from the network in the path",
        )
        .into());
    }
    input.network_id = guard.network_id.clone();
    let logs = state.logs.clone();
    let rec = state
        .store
        .open_incident(&guard.actor(), input, |rec| {
            incident_view::place_hold(&logs, rec)
        })
        .await?;
    Ok((StatusCode::CREATED, view(rec)?))
}

/// Grades an incident: new facts or the end of handling recompute the proposal; a person
/// confirms it or overrides it with a reason (never below what the facts reach).
#[utoipa::path(post, path = "/api/networks/{id}/incidents/{incident_id}/grade", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id"), ("incident_id" = String, Path, description = "incident id")),
    request_body = GradeIncident,
    responses((status = 200, body = IncidentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn grade_incident(
    State(state): State<AppState>,
    guard: NetworkGuard<HandleIncident>,
    Path((_, incident_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<GradeIncident>,
) -> ApiResult<Json<IncidentView>> {
    incident_of(&state, &guard, &incident_id).await?;
    let rec = state
        .store
        .grade_incident(&guard.actor(), &incident_id, input)
        .await?;
    view(rec)
}

/// Records a report sent (who, when, how, the file sent): its clock turns to met (or late).
#[utoipa::path(post, path = "/api/networks/{id}/incidents/{incident_id}/reports", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id"), ("incident_id" = String, Path, description = "incident id")),
    request_body = SendReport,
    responses((status = 201, body = IncidentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_report(
    State(state): State<AppState>,
    guard: NetworkGuard<HandleIncident>,
    Path((_, incident_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<SendReport>,
) -> ApiResult<(StatusCode, Json<IncidentView>)> {
    incident_of(&state, &guard, &incident_id).await?;
    let rec = state
        .store
        .record_report(&guard.actor(), &incident_id, input)
        .await?;
    Ok((StatusCode::CREATED, view(rec)?))
}

/// Closes an incident once handling has ended and every timed report is sent; the logs'
/// hold window ends at the close.
#[utoipa::path(post, path = "/api/networks/{id}/incidents/{incident_id}/close", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id"), ("incident_id" = String, Path, description = "incident id")),
    request_body = CloseIncident,
    responses((status = 200, body = IncidentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn close_incident(
    State(state): State<AppState>,
    guard: NetworkGuard<HandleIncident>,
    Path((_, incident_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<CloseIncident>,
) -> ApiResult<Json<IncidentView>> {
    incident_of(&state, &guard, &incident_id).await?;
    let logs = state.logs.clone();
    let rec = state
        .store
        .close_incident(&guard.actor(), &incident_id, input, |rec, closed_at| {
            incident_view::end_hold(&logs, rec, closed_at)
        })
        .await?;
    view(rec)
}

/// The DOCX of an incident for `kind` (the document's Chinese text, filled from the
/// register).
pub async fn docx_bytes<R: Requirement>(
    state: &AppState,
    guard: &NetworkGuard<R>,
    incident_id: &str,
    kind: IncidentDoc,
) -> ApiResult<Vec<u8>> {
    let rec = incident_of(state, guard, incident_id).await?;
    let net = state.store.get_network(&guard.network_id).await?;
    let org = state.store.get_org(&guard.org_id).await?;
    let level = net.profile.level.map(|l| l.get()).unwrap_or(0);
    let mut doc = incident_view::document(&rec, &org.name, level, now())?;
    doc.contact = contact_of(state, &guard.network_id).await?;
    incident_docx(kind, &doc).map_err(ApiError::internal)
}

/// The handler's contact for the people told of a leak (个人信息保护法 第五十七条第一款第（四）项):
/// the responsible department and its contact as the latest filing records them; "" without.
async fn contact_of(state: &AppState, network_id: &str) -> ApiResult<String> {
    let Some(f) = state.store.current_filing(network_id).await? else {
        return Ok(String::new());
    };
    let form = f.form;
    let parts: Vec<String> = [
        (String::new(), form.responsible_department),
        (String::new(), form.contact),
        ("电话：".to_string(), form.phone),
        ("电子邮件：".to_string(), form.contact_email),
    ]
    .into_iter()
    .filter(|(_, v)| !v.trim().is_empty())
    .map(|(k, v)| format!("{k}{v}"))
    .collect();
    Ok(parts.join("　"))
}

/// An incident's report as DOCX, in Chinese: `initial.docx` (初次报告), `follow_up.docx`
/// (续报), `summary.docx` (总结报告) or `user_notice.docx` (个人信息泄露告知书, 个人信息保护法
/// 第五十七条).
#[utoipa::path(get, path = "/api/networks/{id}/incidents/{incident_id}/reports/{file}", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id"), ("incident_id" = String, Path, description = "incident id"),
        ("file" = String, Path, description = "initial.docx, follow_up.docx, summary.docx or user_notice.docx")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", description = "DOCX"), (status = 404, body = ErrorBody)))]
async fn report_docx(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
    Path((_, incident_id, file)): Path<(String, String, String)>,
) -> ApiResult<Response> {
    let kind = file
        .strip_suffix(".docx")
        .and_then(IncidentDoc::from_id)
        .ok_or_else(|| ApiError::not_found("report"))?;
    let bytes = docx_bytes(&state, &guard, &incident_id, kind).await?;
    let what = match file.as_str() {
        "initial.docx" => "网络安全事件初次报告",
        "follow_up.docx" => "网络安全事件续报",
        "summary.docx" => "网络安全事件总结报告",
        _ => "个人信息安全事件告知书",
    };
    let network = state
        .store
        .get_network(&guard.network_id)
        .await?
        .profile
        .name;
    let name = crate::routes::reports::file_name(what, &network, "docx");
    download(
        Ok(bytes),
        DOCX,
        &format!("incident-{incident_id}-{file}"),
        &name,
    )
}
