//! A refused form comes back filled in (issue 16 item 5): when a console form is refused
//! (a [`PageError`](crate::PageError) of 400, 409 or 422), the page the form was on is
//! rendered again — the browser's `Referer`, fetched through the same pages as a GET with
//! the same session — with what the user typed put back into that form and the message
//! beside the field it names ([`html::refill`]).
//!
//! Done once here rather than in each of the forty handlers: every form gets it, including
//! forms added later, and a handler stays "do it or refuse it". Pages with their own refill
//! (the network and filing forms) answer with their own 422 page and are left alone. Where
//! the form's page cannot be found (no `Referer`, a page that no longer shows the form),
//! the error page with the navigation is shown, as before.

pub mod html;

use std::net::SocketAddr;

use axum::body::{to_bytes, Body};
use axum::extract::ConnectInfo;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower::ServiceExt;

use crate::i18n::Lang;
use crate::middleware::ServedOverTls;

/// The CSRF check has read the body already, within a signed-in form's limit (decision
/// 0921); the same figure here.
const FORM_LIMIT: usize = 1024 * 1024;
/// A page to refill is one of ours; this bounds what is buffered to rewrite it.
const PAGE_LIMIT: usize = 16 * 1024 * 1024;

/// Attached by [`PageError`](crate::PageError) to a refused form's answer: the message as
/// the library wrote it, and the page's language.
#[derive(Debug, Clone)]
pub struct Refused {
    pub raw: String,
    /// `raw` is a message catalog key (its text names no field).
    pub is_key: bool,
    pub lang: Lang,
    /// The message in `lang`, escaped, for the top of a form (catalog text or the library's
    /// message in one language).
    pub message_html: String,
}

/// `routes` with refused forms refilled; the GET that shows the form again goes through
/// `plain` (the whole page stack without this layer, so it cannot recurse). The layer sits
/// inside the CSRF check, which has already read the body within its limits.
pub fn layer<S: Clone + Send + Sync + 'static>(routes: Router<S>, plain: Router) -> Router<S> {
    routes.layer(axum::middleware::from_fn(
        move |req: Request, next: Next| {
            let plain = plain.clone();
            async move { refill(plain, req, next).await }
        },
    ))
}

async fn refill(pages: Router, req: Request, next: Next) -> Response {
    let urlencoded = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if req.method() != Method::POST || !urlencoded {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, FORM_LIMIT).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "form too large (表单过大)").into_response();
    };
    let back = referer_path(&parts);
    let mut get = Request::new(Body::empty());
    *get.method_mut() = Method::GET;
    *get.headers_mut() = parts.headers.clone();
    get.headers_mut().remove(header::CONTENT_TYPE);
    get.headers_mut().remove(header::CONTENT_LENGTH);
    // Only how the browser reached us, not what routing the POST left (its path
    // parameters would be seen by the page's own extractors) or what it cached.
    if let Some(peer) = parts.extensions.get::<ConnectInfo<SocketAddr>>() {
        get.extensions_mut().insert(*peer);
    }
    if let Some(tls) = parts.extensions.get::<ServedOverTls>() {
        get.extensions_mut().insert(*tls);
    }
    let action = parts.uri.path().to_string();
    let res = next
        .run(Request::from_parts(parts, Body::from(bytes.clone())))
        .await;
    let Some(refused) = res.extensions().get::<Refused>().cloned() else {
        return res;
    };
    let Some(back) = back else { return res };
    let Ok(uri) = back.parse() else { return res };
    *get.uri_mut() = uri;
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    match refilled_page(pages, get, &action, &fields, &refused).await {
        Some(page) => page,
        None => res,
    }
}

/// The path and query of a same-origin `Referer` (the console sends `same-origin`).
fn referer_path(parts: &axum::http::request::Parts) -> Option<String> {
    let referer = parts.headers.get(header::REFERER)?.to_str().ok()?;
    let host = parts.headers.get(header::HOST)?.to_str().ok()?;
    let rest = referer
        .strip_prefix("http://")
        .or_else(|| referer.strip_prefix("https://"))?;
    let path = rest.strip_prefix(host)?;
    path.starts_with('/').then(|| path.to_string())
}

async fn refilled_page(
    pages: Router,
    get: Request,
    action: &str,
    fields: &[(String, String)],
    refused: &Refused,
) -> Option<Response> {
    let page = pages.oneshot(get).await.ok()?;
    if page.status() != StatusCode::OK {
        return None;
    }
    let (mut parts, body) = page.into_parts();
    let html = String::from_utf8(to_bytes(body, PAGE_LIMIT).await.ok()?.to_vec()).ok()?;
    let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
    let field = match refused.is_key {
        true => None,
        false => crate::i18n::bilingual::field_of(&refused.raw, &names),
    };
    let message = match field {
        Some(_) => crate::i18n::code_spans_html(&crate::i18n::bilingual::without_field(
            &refused.raw,
            refused.lang,
        )),
        None => refused.message_html.clone(),
    };
    let out = html::refill(&html, action, fields, field, &message)?;
    parts.status = StatusCode::UNPROCESSABLE_ENTITY;
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Some(Response::from_parts(parts, Body::from(out)))
}
