//! Health, the OpenAPI document, first-run setup and "who am I".

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dengbao_store::users::IssuedToken;
use dengbao_store::{Principal, StoreError, User};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Caller, Tools};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiJson;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(health))
        .routes(routes!(openapi_json))
        .routes(routes!(setup))
        .routes(routes!(me))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// "ok" when the database answers.
    pub status: String,
    pub version: String,
}

/// Liveness and database reachability. No token needed.
#[utoipa::path(get, path = "/api/health", tag = "system",
    responses((status = 200, body = Health), (status = 500, body = ErrorBody)))]
async fn health(State(state): State<AppState>) -> ApiResult<Json<Health>> {
    state.store.ping().await?;
    Ok(Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    }))
}

/// This document. No token needed.
#[utoipa::path(get, path = "/api/openapi.json", tag = "system",
    responses((status = 200, description = "the OpenAPI 3.1 document", content_type = "application/json")))]
async fn openapi_json(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(state.openapi.get().cloned().unwrap_or_default())
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetupRequest {
    /// The one-time setup token `dengbao serve` printed on its first start (`dbs_…`).
    pub setup_token: String,
    /// The first administrator's name.
    pub administrator: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SetupResponse {
    pub user: User,
    /// The administrator's API token, shown once.
    pub token: IssuedToken,
}

/// First run: turns the one-time setup token into the first administrator and its API
/// token. Refused (403, audited) with a wrong token or once an administrator exists.
#[utoipa::path(post, path = "/api/setup", tag = "system", request_body = SetupRequest,
    responses((status = 201, body = SetupResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn setup(
    State(state): State<AppState>,
    crate::auth::Source(source): crate::auth::Source,
    ApiJson(req): ApiJson<SetupRequest>,
) -> ApiResult<(StatusCode, Json<SetupResponse>)> {
    match state
        .store
        .complete_setup(&req.setup_token, &req.administrator)
        .await
    {
        Ok((user, token)) => Ok((StatusCode::CREATED, Json(SetupResponse { user, token }))),
        Err(StoreError::NotFound { .. }) => {
            audit_wrong_setup_token(&state, "POST /api/setup", &source).await?;
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "setup_token is wrong or setup is already done (初始化令牌无效或已完成初始化)",
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// Audits a setup attempt with a wrong or used setup token (`request`: what was asked,
/// `source`: from where), as the API and the console's `/setup` page both answer it:
/// denied, 403. Anonymous, so counted rather than written one by one.
pub async fn audit_wrong_setup_token(
    state: &AppState,
    request: &str,
    source: &str,
) -> Result<(), StoreError> {
    state
        .store
        .deny_anonymous(dengbao_store::AnonymousDenial {
            action: "denied",
            source,
            request,
            status: 403,
            reason: "wrong or used setup token",
        })
        .await
}

/// The caller: user, role and organisations.
#[utoipa::path(get, path = "/api/me", tag = "system", security(("bearer" = [])),
    responses((status = 200, body = Principal), (status = 401, body = ErrorBody)))]
async fn me(caller: Caller<Tools>) -> Json<Principal> {
    Json(caller.principal)
}
