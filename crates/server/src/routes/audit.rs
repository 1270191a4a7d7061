//! The audit log: entries and verification (administrators and auditors).

use axum::extract::State;
use axum::Json;
use dengbao_store::{AuditEntry, VerifyReport};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Caller, ReadAudit};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiQuery;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(entries))
        .routes(routes!(verify))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct Page {
    /// Entries after this sequence number (0 = from the start).
    #[serde(default)]
    pub after: i64,
    /// At most this many (default 100, at most 1000).
    pub limit: Option<i64>,
}

/// Audit entries in order.
#[utoipa::path(get, path = "/api/audit", tag = "audit", security(("bearer" = [])), params(Page),
    responses((status = 200, body = Vec<AuditEntry>), (status = 403, body = ErrorBody)))]
async fn entries(
    State(state): State<AppState>,
    _caller: Caller<ReadAudit>,
    ApiQuery(page): ApiQuery<Page>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    let limit = page.limit.unwrap_or(100).clamp(1, 1000);
    // Anonymous denials counted so far become entries before anyone reads the log.
    state.store.flush_anonymous_denials().await?;
    Ok(Json(state.store.audit_entries(page.after, limit).await?))
}

/// Walks the hash chain and names the first bad entry.
#[utoipa::path(get, path = "/api/audit/verify", tag = "audit", security(("bearer" = [])),
    responses((status = 200, body = VerifyReport), (status = 403, body = ErrorBody)))]
async fn verify(
    State(state): State<AppState>,
    _caller: Caller<ReadAudit>,
) -> ApiResult<Json<VerifyReport>> {
    state.store.flush_anonymous_denials().await?;
    Ok(Json(state.store.verify_audit().await?))
}
