//! The synchronizer token check: every unsafe request to a console page (POST …) must
//! carry a form field `_csrf` equal to its session's token (or, before sign-in, to the
//! pre-session cookie's). Checked here, once, before any handler; a mismatch is a 403
//! page and an audit entry.
//!
//! Who asks is settled before a byte of the body is read (decision 0921): a browser that
//! is not signed in may send [`MAX_ANONYMOUS_FORM`] (the sign-in and set-up forms) within
//! [`ANONYMOUS_BODY_TIMEOUT`]; a signed-in user [`MAX_FORM`], and only the evidence upload
//! [`MAX_UPLOAD`]. A declared length over the limit is refused before reading; a body that
//! does not arrive in time is a 408. Form bodies are read, checked and handed on unchanged.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, request::Parts, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use dengbao_server::auth;
use dengbao_server::AppState;
use dengbao_store::AuditRecord;

use crate::ctx::PRESESSION_COOKIE;
use crate::guard::PageError;

/// A form from a browser that is not signed in (sign-in, first-run set-up): a few fields.
pub const MAX_ANONYMOUS_FORM: usize = 16 * 1024;
/// Any other form of a signed-in user.
pub const MAX_FORM: usize = 1024 * 1024;
/// The evidence upload (`POST /networks/{id}/duties`, multipart, signed in).
pub const MAX_UPLOAD: usize = dengbao_server::routes::evidence::MAX_UPLOAD;
/// How long a browser that is not signed in may take to send its form.
pub const ANONYMOUS_BODY_TIMEOUT: Duration = Duration::from_secs(10);
/// … a signed-in user, for a form.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// … a signed-in user, for an evidence upload (64 MiB at about 256 KiB/s).
pub const UPLOAD_TIMEOUT: Duration = Duration::from_secs(300);

/// The form field that carries the token.
pub const FIELD: &str = "_csrf";

/// The evidence upload route.
fn is_upload(parts: &Parts) -> bool {
    let p = parts.uri.path();
    parts.method == Method::POST
        && p.strip_prefix("/networks/")
            .and_then(|rest| rest.strip_suffix("/duties"))
            .is_some_and(|id| !id.is_empty() && !id.contains('/'))
}

/// The body limit and time allowed for this request, from who asks.
pub fn body_allowance(parts: &Parts, signed_in: bool) -> (usize, Duration) {
    match (signed_in, is_upload(parts)) {
        (false, _) => (MAX_ANONYMOUS_FORM, ANONYMOUS_BODY_TIMEOUT),
        (true, true) => (MAX_UPLOAD, UPLOAD_TIMEOUT),
        (true, false) => (MAX_FORM, BODY_TIMEOUT),
    }
}

/// The declared `Content-Length`, if any and readable.
fn declared_length(parts: &Parts) -> Option<u64> {
    parts
        .headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

pub async fn check(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method().is_safe() {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let lang = crate::ctx::lang_of(&parts);
    // Who asks, before the body: the session lookup is cached on the request.
    let session = auth::session(&mut parts, &state).await.ok().flatten();
    let (limit, within) = body_allowance(&parts, session.is_some());
    let refuse = |status, key| {
        let mut e = PageError::new(status, key);
        e.lang = lang;
        e.into_response()
    };
    if declared_length(&parts).is_some_and(|n| n > limit as u64) {
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, "error.too_large");
    }
    let bytes = match tokio::time::timeout(within, axum::body::to_bytes(body, limit)).await {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => return refuse(StatusCode::PAYLOAD_TOO_LARGE, "error.too_large"),
        Err(_) => return refuse(StatusCode::REQUEST_TIMEOUT, "error.too_slow"),
    };
    let ctype = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let sent = token_in(&ctype, &bytes).await;
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
    let reason = if sent.is_none() {
        "no CSRF token in the form"
    } else {
        "CSRF token does not match the session"
    };
    let asked = auth::describe(&parts);
    // Without a session the sender is anonymous: counted, not written one by one.
    let audited = match &session {
        Some((p, _)) => state
            .store
            .audit(AuditRecord {
                actor: p.actor(),
                org_id: None,
                action: "denied".into(),
                target: asked.line.clone(),
                detail: serde_json::json!({"status": 403, "reason": reason}),
            })
            .await
            .map(|_| ()),
        None => {
            state
                .store
                .deny_anonymous(dengbao_store::AnonymousDenial {
                    action: "denied",
                    source: &asked.source,
                    request: &asked.line,
                    status: 403,
                    reason,
                })
                .await
        }
    };
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
