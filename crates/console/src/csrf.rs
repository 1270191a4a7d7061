//! The synchronizer token check: every unsafe request to a console page (POST …) must
//! carry a form field `_csrf` equal to its session's token (or, before sign-in, to the
//! pre-session cookie's). Checked here, once, before any handler; a mismatch is a 403
//! page and an audit entry. Form bodies (urlencoded or multipart, up to
//! [`MAX_BODY`]) are read, checked and handed on unchanged.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use dengbao_server::auth;
use dengbao_server::AppState;
use dengbao_store::AuditRecord;

use crate::ctx::PRESESSION_COOKIE;
use crate::guard::PageError;

/// The largest form accepted (evidence uploads included).
pub const MAX_BODY: usize = 64 * 1024 * 1024;

/// The form field that carries the token.
pub const FIELD: &str = "_csrf";

pub async fn check(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method().is_safe() {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let lang = crate::ctx::lang_of(&parts);
    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            let mut e = PageError::new(StatusCode::PAYLOAD_TOO_LARGE, "error.too_large");
            e.lang = lang;
            return e.into_response();
        }
    };
    let ctype = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let sent = token_in(&ctype, &bytes).await;
    let session = auth::session(&mut parts, &state).await.ok().flatten();
    let expected = match &session {
        Some((_, s)) => Some(s.csrf.clone()),
        None => auth::cookie(&parts, PRESESSION_COOKIE).map(str::to_string),
    };
    let ok = matches!((&sent, &expected), (Some(a), Some(b)) if !b.is_empty() && same(a, b));
    if ok {
        parts.extensions.insert(auth::CsrfVerified);
        return next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await;
    }
    let actor = session
        .as_ref()
        .map(|(p, _)| p.actor())
        .unwrap_or_else(|| "anonymous".into());
    let audited = state
        .store
        .audit(AuditRecord {
            actor,
            org_id: None,
            action: "denied".into(),
            target: auth::describe(&parts),
            detail: serde_json::json!({
                "status": 403,
                "reason": if sent.is_none() { "no CSRF token in the form" } else { "CSRF token does not match the session" },
            }),
        })
        .await;
    if let Err(e) = audited {
        return PageError::internal(e).into_response();
    }
    let mut e = PageError::new(StatusCode::FORBIDDEN, "error.csrf");
    e.lang = lang;
    e.into_response()
}

/// Constant-time comparison of two tokens.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The `_csrf` field of a urlencoded or multipart body.
async fn token_in(ctype: &str, bytes: &Bytes) -> Option<String> {
    if ctype.starts_with("application/x-www-form-urlencoded") {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes).ok()?;
        return pairs.into_iter().find(|(k, _)| k == FIELD).map(|(_, v)| v);
    }
    if ctype.starts_with("multipart/form-data") {
        let boundary = multer::parse_boundary(ctype).ok()?;
        let data = bytes.clone();
        let stream =
            futures_util::stream::once(async move { Ok::<Bytes, std::convert::Infallible>(data) });
        let mut form = multer::Multipart::new(stream, boundary);
        while let Ok(Some(field)) = form.next_field().await {
            if field.name() == Some(FIELD) {
                return field.text().await.ok();
            }
        }
    }
    None
}
