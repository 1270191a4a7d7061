//! People, key posts and training records (decision 1502). People and their certificates
//! belong to an organisation (`/api/organisations/{id}/…`); key posts and training sessions
//! to a network (`/api/networks/{id}/…`), because the training duty (网络安全法 第三十四条
//! 第（二）项) is the network's. A session covering the network's key posts writes the
//! `last_training` event the duty engine reads. Reading needs `Read`; the people and key
//! posts are the organisation's own facts (`EditNetwork`); a session writes an event
//! (`AddEvent`): operator and administrator, never an assessor or supervisor.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use dengbao_reports as reports;
use dengbao_store::{
    Certificate, CertificateAlert, CertificateInput, CertificateRule, KeyPost, KeyPostInput,
    SessionInput, StaffInput, StaffMember, StoreError, TrainingPlan, TrainingPlanInput,
    TrainingSession, YearlyHours,
};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{AddEvent, EditNetwork, NetworkGuard, OrgGuard, Read};
use crate::error::ApiError;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery};
use crate::routes::duties::AtQuery;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_staff, add_staff))
        .routes(routes!(add_certificate))
        .routes(routes!(hours))
        .routes(routes!(certificate_alerts))
        .routes(routes!(list_key_posts, set_key_post))
        .routes(routes!(list_sessions, add_session))
        .routes(routes!(records_xlsx))
        .routes(routes!(get_plan, put_plan))
}

/// The year of a plan's path, refused naming the field when it is not a number.
fn plan_year(path: &(String, String)) -> ApiResult<i32> {
    path.1.trim().parse().map_err(|_| {
        StoreError::invalid("year", format!("{:?} 不是年份 / is not a year", path.1)).into()
    })
}

/// The organisation's training plan for a year, each item marked held or not by the sessions
/// recorded (decision 1505). A year with no plan saved has no items.
#[utoipa::path(get, path = "/api/organisations/{id}/training-plan/{year}", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path, description = "organisation id"), ("year" = i32, Path, description = "calendar year")),
    responses((status = 200, body = TrainingPlan), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn get_plan(
    State(state): State<AppState>,
    guard: OrgGuard<Read>,
    axum::extract::Path(path): axum::extract::Path<(String, String)>,
) -> ApiResult<Json<TrainingPlan>> {
    let year = plan_year(&path)?;
    Ok(Json(state.store.training_plan(&guard.org_id, year).await?))
}

/// Saves the organisation's training plan for a year, replacing the one before (audited
/// `training.plan`). The plan is the organisation's own document: `EditNetwork`.
#[utoipa::path(put, path = "/api/organisations/{id}/training-plan/{year}", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path, description = "organisation id"), ("year" = i32, Path, description = "calendar year")),
    request_body = TrainingPlanInput,
    responses((status = 200, body = TrainingPlan), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_plan(
    State(state): State<AppState>,
    guard: OrgGuard<EditNetwork>,
    axum::extract::Path(path): axum::extract::Path<(String, String)>,
    ApiJson(input): ApiJson<TrainingPlanInput>,
) -> ApiResult<Json<TrainingPlan>> {
    let year = plan_year(&path)?;
    let plan = state
        .store
        .save_training_plan(&guard.principal.actor(), &guard.org_id, year, input)
        .await?;
    Ok(Json(plan))
}

/// A certificate for one of the organisation's people.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCertificate {
    /// The person (of this organisation).
    pub staff_id: String,
    pub name: String,
    #[serde(default)]
    pub number: Option<String>,
    pub issuer: String,
    /// The last day it is valid, `YYYY-MM-DD`.
    pub expires_on: String,
}

/// The organisation's people with their certificates.
#[utoipa::path(get, path = "/api/organisations/{id}/staff", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path, description = "organisation id")),
    responses((status = 200, body = Vec<StaffMember>), (status = 404, body = ErrorBody)))]
async fn list_staff(
    State(state): State<AppState>,
    guard: OrgGuard<Read>,
) -> ApiResult<Json<Vec<StaffMember>>> {
    Ok(Json(state.store.list_staff(&guard.org_id).await?))
}

/// Records a person (name, position, key post yes/no).
#[utoipa::path(post, path = "/api/organisations/{id}/staff", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path, description = "organisation id")), request_body = StaffInput,
    responses((status = 201, body = StaffMember), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_staff(
    State(state): State<AppState>,
    guard: OrgGuard<EditNetwork>,
    ApiJson(input): ApiJson<StaffInput>,
) -> ApiResult<(StatusCode, Json<StaffMember>)> {
    let s = state
        .store
        .add_staff(&guard.principal.actor(), &guard.org_id, input)
        .await?;
    Ok((StatusCode::CREATED, Json(s)))
}

/// Records a certificate of one of the organisation's people (name, number, issuer, expiry).
#[utoipa::path(post, path = "/api/organisations/{id}/certificates", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path, description = "organisation id")), request_body = NewCertificate,
    responses((status = 201, body = Certificate), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_certificate(
    State(state): State<AppState>,
    guard: OrgGuard<EditNetwork>,
    ApiJson(input): ApiJson<NewCertificate>,
) -> ApiResult<(StatusCode, Json<Certificate>)> {
    // Another organisation's person is refused like one that does not exist.
    let of = state.store.staff_org(&input.staff_id).await.ok();
    if of.as_deref() != Some(guard.org_id.as_str()) {
        return Err(StoreError::invalid(
            "staff_id",
            format!(
                "本单位没有人员 {} / no person {} in this organisation",
                input.staff_id, input.staff_id
            ),
        )
        .into());
    }
    let c = state
        .store
        .add_certificate(
            &guard.principal.actor(),
            &input.staff_id,
            CertificateInput {
                name: input.name,
                number: input.number,
                issuer: input.issuer,
                expires_on: input.expires_on,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// Each person's training hours per calendar year.
#[utoipa::path(get, path = "/api/organisations/{id}/training-hours", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path, description = "organisation id")),
    responses((status = 200, body = Vec<YearlyHours>), (status = 404, body = ErrorBody)))]
async fn hours(
    State(state): State<AppState>,
    guard: OrgGuard<Read>,
) -> ApiResult<Json<Vec<YearlyHours>>> {
    Ok(Json(state.store.training_hours(&guard.org_id).await?))
}

/// The network's key posts and who holds them.
#[utoipa::path(get, path = "/api/networks/{id}/key-posts", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")),
    responses((status = 200, body = Vec<KeyPost>), (status = 404, body = ErrorBody)))]
async fn list_key_posts(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
) -> ApiResult<Json<Vec<KeyPost>>> {
    Ok(Json(state.store.list_key_posts(&guard.network_id).await?))
}

/// Names a key-post person of the organisation as holding a key post of the network.
#[utoipa::path(post, path = "/api/networks/{id}/key-posts", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")), request_body = KeyPostInput,
    responses((status = 201, body = KeyPost), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_key_post(
    State(state): State<AppState>,
    guard: NetworkGuard<EditNetwork>,
    ApiJson(input): ApiJson<KeyPostInput>,
) -> ApiResult<(StatusCode, Json<KeyPost>)> {
    let k = state
        .store
        .set_key_post(&guard.actor(), &guard.network_id, input)
        .await?;
    Ok((StatusCode::CREATED, Json(k)))
}

/// The network's training sessions, latest first.
#[utoipa::path(get, path = "/api/networks/{id}/training-sessions", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")),
    responses((status = 200, body = Vec<TrainingSession>), (status = 404, body = ErrorBody)))]
async fn list_sessions(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
) -> ApiResult<Json<Vec<TrainingSession>>> {
    Ok(Json(
        state
            .store
            .list_training_sessions(&guard.network_id)
            .await?,
    ))
}

/// Records a training session (day, topic, hours, trainer, attendees, materials). Covering
/// every key post of the network, it meets the training duty for the cycle.
#[utoipa::path(post, path = "/api/networks/{id}/training-sessions", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")), request_body = SessionInput,
    responses((status = 201, body = TrainingSession), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_session(
    State(state): State<AppState>,
    guard: NetworkGuard<AddEvent>,
    ApiJson(input): ApiJson<SessionInput>,
) -> ApiResult<(StatusCode, Json<TrainingSession>)> {
    let s = state
        .store
        .add_training_session(&guard.actor(), &guard.network_id, input)
        .await?;
    Ok((StatusCode::CREATED, Json(s)))
}

/// The key-post people's certificates due for renewal (within the notice period of
/// `data/training/certificates.toml`) or expired, as of `at` (today by default), under the
/// duty `mlps.l3.personnel` (持证上岗).
#[utoipa::path(get, path = "/api/organisations/{id}/certificate-alerts", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path, description = "organisation id"), AtQuery),
    responses((status = 200, body = Vec<CertificateAlert>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn certificate_alerts(
    State(state): State<AppState>,
    guard: OrgGuard<Read>,
    ApiQuery(q): ApiQuery<AtQuery>,
) -> ApiResult<Json<Vec<CertificateAlert>>> {
    let at = match &q.at {
        Some(s) => dengbao_duties::parse_at(s)
            .map_err(|e| ApiError::invalid(format!("invalid at: {e}")))?,
        None => jiff::Timestamp::now(),
    };
    let rule = CertificateRule::builtin()?;
    Ok(Json(
        state
            .store
            .certificate_alerts(&guard.org_id, dengbao_duties::date_of(at), &rule)
            .await?,
    ))
}

/// The network's training records for an assessor (安全管理人员 items) as XLSX: the sessions,
/// each person's hours per year, and the people with key posts and certificates.
#[utoipa::path(get, path = "/api/networks/{id}/training/records.xlsx", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "XLSX"), (status = 404, body = ErrorBody)))]
async fn records_xlsx(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
) -> ApiResult<Response> {
    let net = state.store.get_network(&guard.network_id).await?;
    let org = state.store.get_org(&guard.org_id).await?;
    let staff = state.store.list_staff(&guard.org_id).await?;
    let name_of = |id: &str| {
        staff
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let sessions = state
        .store
        .list_training_sessions(&guard.network_id)
        .await?
        .into_iter()
        .map(|s| reports::TrainingRow {
            attendees: {
                // By name, so the sheet reads the same however the ids fall.
                let mut names: Vec<String> = s.attendees.iter().map(|a| name_of(a)).collect();
                names.sort();
                names.join("、")
            },
            covers_key_posts: s.event_id.is_some(),
            materials: s.link.unwrap_or_default(),
            held_on: s.held_on,
            topic: s.topic,
            hours: s.hours,
            trainer: s.trainer,
        })
        .collect();
    let hours = state
        .store
        .training_hours(&guard.org_id)
        .await?
        .into_iter()
        .map(|h| reports::HoursRow {
            year: h.year,
            name: h.name,
            hours: h.hours,
            sessions: h.sessions,
        })
        .collect();
    // The plan of this year (Asia/Shanghai); a held item names the day of its session.
    let today = dengbao_duties::date_of(jiff::Timestamp::now());
    let plan = state
        .store
        .training_plan(&guard.org_id, i32::from(today.year()))
        .await?;
    let held_on = state.store.training_sessions_of_org(&guard.org_id).await?;
    let plan_rows = plan
        .items
        .iter()
        .map(|i| reports::PlanRow {
            when: i
                .planned_on
                .clone()
                .unwrap_or_else(|| format!("{}-{:02}", plan.year, i.month)),
            topic: i.topic.clone(),
            audience: match i.audience {
                dengbao_store::TrainingAudience::All => "全体人员".to_string(),
                dengbao_store::TrainingAudience::KeyPosts => "关键岗位人员".to_string(),
                dengbao_store::TrainingAudience::Role => {
                    format!("岗位：{}", i.role.as_deref().unwrap_or_default())
                }
            },
            hours: i.hours,
            trainer: i.trainer.clone(),
            held_on: i
                .held_by
                .as_ref()
                .and_then(|id| held_on.get(id).cloned())
                .unwrap_or_default(),
        })
        .collect();
    let records = reports::TrainingRecords {
        plan_year: plan.year,
        plan_approval: match (&plan.approved_by, &plan.approved_on) {
            (Some(who), Some(on)) => format!("{who}（{on}）"),
            _ => String::new(),
        },
        plan: plan_rows,
        org_name: org.name,
        network_name: net.profile.name.clone(),
        at: dengbao_duties::date_of(jiff::Timestamp::now()).to_string(),
        sessions,
        hours,
        staff: staff
            .iter()
            .map(|s| reports::StaffRow {
                name: s.name.clone(),
                position: s.position.clone(),
                key_post: s.key_post,
                certificates: s
                    .certificates
                    .iter()
                    .map(|c| format!("{}（{}）", c.name, c.expires_on))
                    .collect::<Vec<_>>()
                    .join("；"),
            })
            .collect(),
    };
    let name = crate::routes::reports::file_name("培训记录", &net.profile.name, "xlsx");
    crate::routes::reports::download(
        reports::training_xlsx(&records),
        crate::routes::reports::XLSX,
        "training-records.xlsx",
        &name,
    )
}
