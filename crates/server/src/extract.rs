//! Body and query extractors whose rejections go through [`ApiError`], so a malformed
//! request gets the same JSON error shape with the offending field named.

use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// JSON body; `422 invalid` naming the field when it does not fit.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| {
                ApiError::new(
                    e.status(),
                    "invalid",
                    format!("request body: {}", e.body_text()),
                )
            })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Parses JSON, naming the offending field: `request body field stage: unknown variant …`.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." {
            ApiError::invalid(format!("request body: {inner} (请求内容无效)"))
        } else {
            ApiError::invalid(format!(
                "request body field {path}: {inner} (字段 {path} 无效)"
            ))
        }
    })?;
    de.end()
        .map_err(|e| ApiError::invalid(format!("request body: trailing characters: {e}")))?;
    Ok(value)
}

/// Query string; `422 invalid` naming the parameter when it does not fit.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(e @ QueryRejection::FailedToDeserializeQueryString(_)) => {
                Err(ApiError::invalid(format!("query: {}", e.body_text())))
            }
            Err(e) => Err(ApiError::invalid(format!("query: {}", e.body_text()))),
        }
    }
}
