//! Evidence for a network's duties: upload (multipart), list, download.

use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use dengbao_store::{Evidence, EvidenceInput};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{AddEvidence, NetworkGuard, Read};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::AppState;

/// The largest upload accepted.
pub const MAX_UPLOAD: usize = 64 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_evidence, add_evidence))
        .routes(routes!(evidence_file))
        .layer(DefaultBodyLimit::max(MAX_UPLOAD))
}

/// A network's evidence records.
#[utoipa::path(get, path = "/api/networks/{id}/evidence", tag = "networks", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")),
    responses((status = 200, body = Vec<Evidence>), (status = 404, body = ErrorBody)))]
async fn list_evidence(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
) -> ApiResult<Json<Vec<Evidence>>> {
    Ok(Json(state.store.list_evidence(&guard.network_id).await?))
}

/// The multipart form of an upload (documentation only).
#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct EvidenceUpload {
    /// The duty it proves.
    pub duty_id: String,
    pub description: String,
    /// A link, instead of or besides the file.
    pub link: Option<String>,
    /// Until when it proves the duty, `YYYY-MM-DD`.
    pub expires: Option<String>,
    /// The file (its name is kept; its SHA-256 is recorded).
    #[schema(value_type = Option<String>, format = Binary)]
    pub file: Option<Vec<u8>>,
}

/// Uploads evidence: `multipart/form-data` with text fields duty_id, description, link,
/// expires and a `file` part. The bytes are kept under `<data-dir>/evidence/` by SHA-256.
#[utoipa::path(post, path = "/api/networks/{id}/evidence", tag = "networks", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")),
    request_body(content = EvidenceUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = Evidence), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_evidence(
    State(state): State<AppState>,
    guard: NetworkGuard<AddEvidence>,
    mut form: Multipart,
) -> ApiResult<(StatusCode, Json<Evidence>)> {
    let mut input = EvidenceInput::default();
    let mut bytes: Option<Vec<u8>> = None;
    let bad = |e: axum::extract::multipart::MultipartError| {
        ApiError::invalid(format!("multipart body: {}", e.body_text()))
    };
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" => {
                input.file_name = field.file_name().map(str::to_string);
                bytes = Some(field.bytes().await.map_err(bad)?.to_vec());
            }
            "duty_id" | "description" | "link" | "expires" => {
                let text = field.text().await.map_err(bad)?;
                match name.as_str() {
                    "duty_id" => input.duty_id = text,
                    "description" => input.description = text,
                    "link" => input.link = Some(text).filter(|t| !t.is_empty()),
                    _ => input.expires = Some(text).filter(|t| !t.is_empty()),
                }
            }
            other => {
                return Err(ApiError::invalid(format!(
                    "multipart field {other:?} is unknown; use duty_id, description, link, expires, file"
                )))
            }
        }
    }
    if !input.duty_id.is_empty() && state.catalog.duty(&input.duty_id).is_none() {
        return Err(ApiError::invalid(format!(
            "invalid duty_id: {:?} is not a duty of the catalog (未知义务)",
            input.duty_id
        )));
    }
    let ev = state
        .store
        .add_evidence(&guard.actor(), &guard.network_id, input, bytes.as_deref())
        .await?;
    Ok((StatusCode::CREATED, Json(ev)))
}

/// The uploaded file of an evidence record, checked against its SHA-256.
#[utoipa::path(get, path = "/api/networks/{id}/evidence/{evidence_id}/file", tag = "networks", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id"), ("evidence_id" = String, Path, description = "evidence id")),
    responses((status = 200, description = "the bytes", content_type = "application/octet-stream"), (status = 404, body = ErrorBody)))]
async fn evidence_file(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
    Path((_, evidence_id)): Path<(String, String)>,
) -> ApiResult<impl IntoResponse> {
    let (ev, bytes) = state
        .store
        .evidence_bytes(&guard.network_id, &evidence_id)
        .await?;
    let name = ev.file_name.unwrap_or_else(|| format!("{evidence_id}.bin"));
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{safe}\""),
            ),
        ],
        bytes,
    ))
}
