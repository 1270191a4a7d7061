//! Networks (定级对象): list, create, read, replace, delete.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dengbao_store::{Network, NetworkProfile};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Caller, EditNetwork, NetworkGuard, OrgBody, OrgOwned, Read};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_networks, create_network))
        .routes(routes!(get_network, replace_network, delete_network))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only this organisation's networks.
    pub org: Option<String>,
}

/// The networks of the organisations the caller may see.
#[utoipa::path(get, path = "/api/networks", tag = "networks", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = Vec<Network>), (status = 401, body = ErrorBody)))]
async fn list_networks(
    State(state): State<AppState>,
    caller: Caller<Read>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<Network>>> {
    let all = state
        .store
        .list_networks(&caller.scope(), q.org.as_deref())
        .await?;
    Ok(Json(
        crate::auth::only_reached(&state, &caller.principal, all).await?,
    ))
}

/// A new network: the organisation it belongs to and its profile (the profile file's
/// `[network]` keys and `grading`).
#[derive(utoipa::ToSchema)]
pub struct NewNetwork {
    pub org_id: String,
    #[schema(inline)]
    pub profile: NetworkProfile,
}

impl<'de> Deserialize<'de> for NewNetwork {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let mut map = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        let org_id = match map.remove("org_id") {
            Some(serde_json::Value::String(s)) => s,
            Some(_) => return Err(D::Error::custom("org_id: must be a string")),
            None => return Err(D::Error::missing_field("org_id")),
        };
        let profile =
            serde_path_to_error::deserialize(serde_json::Value::Object(map)).map_err(|e| {
                let path = e.path().to_string();
                D::Error::custom(format!("{path}: {}", e.into_inner()))
            })?;
        Ok(NewNetwork { org_id, profile })
    }
}

impl OrgOwned for NewNetwork {
    fn org_id(&self) -> &str {
        &self.org_id
    }
}

/// Creates a network in an organisation the caller may edit.
#[utoipa::path(post, path = "/api/networks", tag = "networks", security(("bearer" = [])),
    request_body(content = inline(NewNetwork), description = "org_id plus the profile fields"),
    responses((status = 201, body = Network), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_network(
    State(state): State<AppState>,
    req: OrgBody<EditNetwork, NewNetwork>,
) -> ApiResult<(StatusCode, Json<Network>)> {
    let net = state
        .store
        .create_network(&req.principal.actor(), &req.body.org_id, req.body.profile)
        .await?;
    Ok((StatusCode::CREATED, Json(net)))
}

/// One network.
#[utoipa::path(get, path = "/api/networks/{id}", tag = "networks", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")),
    responses((status = 200, body = Network), (status = 404, body = ErrorBody)))]
async fn get_network(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
) -> ApiResult<Json<Network>> {
    Ok(Json(state.store.get_network(&guard.network_id).await?))
}

/// Replaces a network's profile (its organisation stays).
#[utoipa::path(put, path = "/api/networks/{id}", tag = "networks", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")), request_body = NetworkProfile,
    responses((status = 200, body = Network), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn replace_network(
    State(state): State<AppState>,
    guard: NetworkGuard<EditNetwork>,
    ApiJson(profile): ApiJson<NetworkProfile>,
) -> ApiResult<Json<Network>> {
    Ok(Json(
        state
            .store
            .update_network(&guard.actor(), &guard.network_id, profile)
            .await?,
    ))
}

/// Deletes a network from the API (its events, evidence and audit entries are kept).
#[utoipa::path(delete, path = "/api/networks/{id}", tag = "networks", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_network(
    State(state): State<AppState>,
    guard: NetworkGuard<EditNetwork>,
) -> ApiResult<StatusCode> {
    state
        .store
        .delete_network(&guard.actor(), &guard.network_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
