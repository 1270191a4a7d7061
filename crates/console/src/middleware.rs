//! Layers around every console page: first-run redirect, security headers, the language
//! cookie and the pre-session CSRF cookie; and around everything, pages and API
//! ([`transport`]): `Secure` cookies and HSTS over HTTPS, security headers on API answers.

use std::sync::atomic::Ordering;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use dengbao_server::auth;
use dengbao_server::AppState;

use crate::ctx::{lang_of, PresessionToken, PRESESSION_COOKIE};
use crate::i18n::LANG_COOKIE;
use crate::SetupDone;

/// While no administrator exists, every page but `/setup` (and the stylesheet) redirects
/// to `/setup`; once one exists, `/setup` redirects to the sign-in page.
pub async fn first_run(
    State(state): State<AppState>,
    Extension(done): Extension<SetupDone>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    if path.starts_with("/assets/") {
        return next.run(req).await;
    }
    let is_done = done.0.load(Ordering::Relaxed)
        || match state.store.has_administrator().await {
            Ok(true) => {
                done.0.store(true, Ordering::Relaxed);
                true
            }
            Ok(false) => false,
            Err(e) => {
                tracing::error!(error = %e, "checking for an administrator");
                return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        };
    match (is_done, path == "/setup") {
        (false, false) => Redirect::to("/setup").into_response(),
        (true, true) => Redirect::to("/signin").into_response(),
        _ => next.run(req).await,
    }
}

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Security headers on every page; remembers `?lang=` in a cookie; gives a browser that
/// is not signed in a pre-session CSRF token for the sign-in and setup forms.
pub async fn headers(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let chosen = parts.uri.query().is_some_and(|q| q.contains("lang="));
    let lang = lang_of(&parts);
    // A browser without a live session (none, ended or expired) needs a pre-session token
    // for the sign-in form. The session lookup is cached on the request for the page.
    let signed_in = auth::cookie(&parts, auth::SESSION_COOKIE).is_some()
        && matches!(auth::session(&mut parts, &state).await, Ok(Some(_)));
    let presession = if auth::cookie(&parts, PRESESSION_COOKIE).is_none() && !signed_in {
        let token = dengbao_store::secret::random_hex(32).unwrap_or_default();
        parts.extensions.insert(PresessionToken(token.clone()));
        Some(token)
    } else {
        None
    };
    req = Request::from_parts(parts, body);
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if chosen {
        if let Ok(v) = HeaderValue::from_str(&format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Strict",
            lang.code()
        )) {
            h.append(header::SET_COOKIE, v);
        }
    }
    if let Some(token) = presession {
        if let Ok(v) = HeaderValue::from_str(&format!(
            "{PRESESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
        )) {
            h.append(header::SET_COOKIE, v);
        }
    }
    res
}

/// Set on every request that arrived over TLS ([`crate::conn`]).
#[derive(Debug, Clone, Copy)]
pub struct ServedOverTls;

/// Whether the browser reached us over HTTPS: over our own TLS, or through the trusted
/// proxy (`serve --trusted-proxy`) saying `X-Forwarded-Proto: https`. From anyone else
/// the header is ignored, as `X-Forwarded-For` is.
pub fn is_https(parts: &axum::http::request::Parts) -> bool {
    if parts.extensions.get::<ServedOverTls>().is_some() {
        return true;
    }
    dengbao_server::client::from_trusted_proxy(parts)
        && parts
            .headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

/// The API's answers are JSON or documents, never pages to frame or sniff.
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Around pages and API alike: over HTTPS every cookie set gets `Secure` and the answer
/// `Strict-Transport-Security`; every API answer gets the security headers pages have.
pub async fn transport(req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let https = is_https(&parts);
    let api = parts.uri.path() == "/api" || parts.uri.path().starts_with("/api/");
    let mut res = next.run(Request::from_parts(parts, body)).await;
    let h = res.headers_mut();
    if https {
        let cookies: Vec<HeaderValue> = h.get_all(header::SET_COOKIE).iter().cloned().collect();
        h.remove(header::SET_COOKIE);
        for c in cookies {
            let secured = match c.to_str() {
                Ok(s) if !s.to_ascii_lowercase().contains("; secure") => {
                    HeaderValue::from_str(&format!("{s}; Secure")).unwrap_or(c)
                }
                _ => c,
            };
            h.append(header::SET_COOKIE, secured);
        }
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    if api {
        h.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(API_CSP),
            );
        }
        if !h.contains_key(header::CACHE_CONTROL) {
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
    }
    res
}
