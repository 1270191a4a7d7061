//! Organisations, users and API tokens.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use dengbao_store::orgs::NewOrganisation;
use dengbao_store::tokens::{parse_expiry, TokenInfo};
use dengbao_store::users::{IssuedToken, NewUser};
use dengbao_store::{Organisation, User};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Caller, ManageAccounts, OrgGuard, Read, TokenGuard, Tools};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiJson;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_orgs, create_org))
        .routes(routes!(get_org))
        .routes(routes!(list_users, create_user))
        .routes(routes!(create_token))
        .routes(routes!(list_own_tokens, create_own_token))
        .routes(routes!(list_all_tokens))
        .routes(routes!(revoke_token))
}

/// The organisations the caller may see.
#[utoipa::path(get, path = "/api/organisations", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Vec<Organisation>), (status = 401, body = ErrorBody)))]
async fn list_orgs(
    State(state): State<AppState>,
    caller: Caller<Read>,
) -> ApiResult<Json<Vec<Organisation>>> {
    Ok(Json(state.store.list_orgs(&caller.scope()).await?))
}

/// Creates an organisation (administrators).
#[utoipa::path(post, path = "/api/organisations", tag = "accounts", security(("bearer" = [])),
    request_body = NewOrganisation,
    responses((status = 201, body = Organisation), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_org(
    State(state): State<AppState>,
    caller: Caller<ManageAccounts>,
    ApiJson(new): ApiJson<NewOrganisation>,
) -> ApiResult<(StatusCode, Json<Organisation>)> {
    let org = state.store.create_org(&caller.actor(), new).await?;
    Ok((StatusCode::CREATED, Json(org)))
}

/// One organisation (404 for one the caller may not see).
#[utoipa::path(get, path = "/api/organisations/{id}", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path, description = "organisation id")),
    responses((status = 200, body = Organisation), (status = 404, body = ErrorBody)))]
async fn get_org(
    State(state): State<AppState>,
    guard: OrgGuard<Read>,
) -> ApiResult<Json<Organisation>> {
    Ok(Json(state.store.get_org(&guard.org_id).await?))
}

/// Every user (administrators).
#[utoipa::path(get, path = "/api/users", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Vec<User>), (status = 403, body = ErrorBody)))]
async fn list_users(
    State(state): State<AppState>,
    _caller: Caller<ManageAccounts>,
) -> ApiResult<Json<Vec<User>>> {
    Ok(Json(state.store.list_users().await?))
}

/// Creates a user with a role and its organisations (administrators). Operators belong
/// to exactly one organisation; assessors to those that engaged them; supervisors to
/// those filed in their jurisdiction; administrators and auditors to none (they see all).
#[utoipa::path(post, path = "/api/users", tag = "accounts", security(("bearer" = [])),
    request_body = NewUser,
    responses((status = 201, body = User), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_user(
    State(state): State<AppState>,
    caller: Caller<ManageAccounts>,
    ApiJson(new): ApiJson<NewUser>,
) -> ApiResult<(StatusCode, Json<User>)> {
    let user = state.store.create_user(&caller.actor(), new).await?;
    Ok((StatusCode::CREATED, Json(user)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// What the token is for (a script's name).
    #[serde(default)]
    pub label: String,
    /// When it stops working: a date (`2027-06-30`, through the end of that day in
    /// Asia/Shanghai) or an RFC 3339 time. Absent: never.
    #[serde(default)]
    pub expires_at: Option<String>,
}

impl NewToken {
    fn expiry(&self) -> Result<Option<jiff::Timestamp>, dengbao_store::StoreError> {
        self.expires_at.as_deref().map(parse_expiry).transpose()
    }
}

/// Issues an API token for a user (administrators). The token is shown once.
#[utoipa::path(post, path = "/api/users/{id}/tokens", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path, description = "user id")), request_body = NewToken,
    responses((status = 201, body = IssuedToken), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_token(
    State(state): State<AppState>,
    caller: Caller<ManageAccounts>,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<NewToken>,
) -> ApiResult<(StatusCode, Json<IssuedToken>)> {
    let token = state
        .store
        .create_token_until(&caller.actor(), &id, &req.label, req.expiry()?)
        .await?;
    Ok((StatusCode::CREATED, Json(token)))
}

/// The caller's own API tokens, newest first (never their secrets).
#[utoipa::path(get, path = "/api/tokens", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Vec<TokenInfo>), (status = 401, body = ErrorBody)))]
async fn list_own_tokens(
    State(state): State<AppState>,
    caller: Caller<Tools>,
) -> ApiResult<Json<Vec<TokenInfo>>> {
    Ok(Json(
        state
            .store
            .list_tokens(Some(&caller.principal.user_id))
            .await?,
    ))
}

/// Issues an API token for the caller. The token is shown once.
#[utoipa::path(post, path = "/api/tokens", tag = "accounts", security(("bearer" = [])),
    request_body = NewToken,
    responses((status = 201, body = IssuedToken), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_own_token(
    State(state): State<AppState>,
    caller: Caller<Tools>,
    ApiJson(req): ApiJson<NewToken>,
) -> ApiResult<(StatusCode, Json<IssuedToken>)> {
    let token = state
        .store
        .create_token_until(
            &caller.actor(),
            &caller.principal.user_id,
            &req.label,
            req.expiry()?,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(token)))
}

/// Every API token of every user, newest first (administrators).
#[utoipa::path(get, path = "/api/tokens/all", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Vec<TokenInfo>), (status = 403, body = ErrorBody)))]
async fn list_all_tokens(
    State(state): State<AppState>,
    _caller: Caller<ManageAccounts>,
) -> ApiResult<Json<Vec<TokenInfo>>> {
    Ok(Json(state.store.list_tokens(None).await?))
}

/// Revokes a token at once (its owner, or an administrator).
#[utoipa::path(delete, path = "/api/tokens/{id}", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path, description = "token id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn revoke_token(State(state): State<AppState>, guard: TokenGuard) -> ApiResult<StatusCode> {
    state
        .store
        .revoke_token(&guard.principal.actor(), &guard.token_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
