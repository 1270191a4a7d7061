//! Access for pages, decided by `dengbao_server::auth::enforce` (the one decision point)
//! and answered in HTML: anonymous → redirect to `/signin?next=…`, a role that may not →
//! 403 page, another organisation's data or no such thing → 404 page. Every denial is
//! audited by `enforce`.

use std::collections::HashMap;
use std::marker::PhantomData;

use askama::Template;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use dengbao_server::auth::{self, Requirement};
use dengbao_server::{ApiError, AppState};
use dengbao_store::{Principal, StoreError};

use crate::ctx::Ctx;

/// What a page handler returns.
pub type PageResult = Result<Response, PageError>;

/// Renders a template into a response (500 when rendering fails).
pub fn render<T: Template>(tpl: &T) -> PageResult {
    match tpl.render() {
        Ok(html) => Ok(Html(html).into_response()),
        Err(e) => Err(PageError::internal(e.to_string())),
    }
}

/// A page that could not be shown.
#[derive(Debug)]
pub struct PageError {
    pub status: StatusCode,
    /// A catalog key, or a message already in the user's language.
    pub message: String,
    /// Where an anonymous visitor is sent (status 303).
    pub redirect: Option<String>,
    pub lang: crate::i18n::Lang,
    /// The page's context when the error happened on a signed-in page: the error is then
    /// shown inside the layout, with the navigation and the language switch.
    pub ctx: Option<Box<Ctx>>,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTpl<'a> {
    t: &'static crate::i18n::Messages,
    status: u16,
    title: &'a str,
    message: &'a str,
}

/// The error inside the console's layout (navigation, user, language switch).
#[derive(Template)]
#[template(path = "error_page.html")]
struct ErrorPageTpl<'a> {
    c: &'a Ctx,
    status: u16,
    title: &'a str,
    message: &'a str,
}

impl PageError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> PageError {
        PageError {
            status,
            message: message.into(),
            redirect: None,
            lang: Default::default(),
            ctx: None,
        }
    }

    pub fn internal(cause: impl std::fmt::Display) -> PageError {
        tracing::error!(%cause, "console page failed");
        PageError::new(StatusCode::INTERNAL_SERVER_ERROR, "error.internal")
    }

    /// A form that cannot be accepted: 422 with the message (a catalog key or text).
    pub fn bad(c: &Ctx, message: impl Into<String>) -> PageError {
        PageError::new(StatusCode::UNPROCESSABLE_ENTITY, message).lang(c)
    }

    pub fn not_found(c: &Ctx) -> PageError {
        PageError::new(StatusCode::NOT_FOUND, "error.not_found").lang(c)
    }

    pub fn lang(mut self, c: &Ctx) -> PageError {
        self.lang = c.lang;
        self.ctx = Some(Box::new(c.clone()));
        self
    }

    fn from_api(e: ApiError, parts: &Parts) -> PageError {
        let lang = crate::ctx::lang_of(parts);
        let mut out = match e.status {
            StatusCode::UNAUTHORIZED => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_else(|| "/".into());
                let mut pe = PageError::new(StatusCode::SEE_OTHER, "error.unauthenticated");
                pe.redirect = Some(format!("/signin?next={}", encode(&next)));
                pe
            }
            StatusCode::FORBIDDEN => PageError::new(StatusCode::FORBIDDEN, "error.forbidden"),
            StatusCode::NOT_FOUND => PageError::new(StatusCode::NOT_FOUND, "error.not_found"),
            s if s.is_client_error() => PageError::new(s, e.message),
            _ => PageError::internal(e.message),
        };
        out.lang = lang;
        out
    }
}

/// Percent-encodes a value for a query string.
pub fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> PageError {
        match e {
            StoreError::Invalid { .. } | StoreError::Conflict { .. } => {
                PageError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string())
            }
            StoreError::NotFound { .. } => PageError::new(StatusCode::NOT_FOUND, "error.not_found"),
            other => PageError::internal(format!("{other:?}")),
        }
    }
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> PageError {
        match e.status {
            s if s.is_client_error() => PageError::new(s, e.message),
            _ => PageError::internal(e.message),
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if let Some(to) = &self.redirect {
            return Redirect::to(to).into_response();
        }
        let t = crate::i18n::Messages::get(self.lang);
        let title_key = match self.status {
            StatusCode::FORBIDDEN => "error.forbidden_title",
            StatusCode::NOT_FOUND => "error.not_found_title",
            StatusCode::TOO_MANY_REQUESTS => "error.too_many_title",
            s if s.is_client_error() => "error.invalid_title",
            _ => "error.internal_title",
        };
        // A catalog key, or a library's message (often in both languages): one language,
        // escaped, with `field` names as <code>.
        let is_key = t.s(&self.message) != self.message;
        let message = match t.s(&self.message) {
            m if m == self.message => crate::i18n::one_language(&self.message, self.lang),
            m => m.to_string(),
        };
        let message = crate::i18n::code_spans_html(&message);
        let (status, title, message) = (self.status.as_u16(), t.s(title_key), message.as_str());
        let body = match &self.ctx {
            Some(c) => ErrorPageTpl {
                c,
                status,
                title,
                message,
            }
            .render(),
            None => ErrorTpl {
                t,
                status,
                title,
                message,
            }
            .render(),
        }
        .unwrap_or_else(|_| self.message.clone());
        let mut res = (self.status, Html(body)).into_response();
        // A refused form (not a missing page or a denial): the form's page may be shown
        // again with the input kept (crate::refill).
        if matches!(self.status.as_u16(), 400 | 409 | 422) {
            res.extensions_mut().insert(crate::refill::Refused {
                raw: self.message.clone(),
                is_key,
                lang: self.lang,
                message_html: message.to_string(),
            });
        }
        res
    }
}

/// `serve --require-admin-totp` (decision 0938): administrators must have a second factor.
static REQUIRE_ADMIN_TOTP: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Makes a second factor required for administrators (the first call wins).
pub fn require_admin_totp() {
    let _ = REQUIRE_ADMIN_TOTP.set(true);
}

/// With `--require-admin-totp`, an administrator without a second factor is sent to set
/// one up before any other page (the API's tokens are not affected: a token is its own
/// credential, listed and revocable).
async fn second_factor_gate(
    parts: &Parts,
    state: &AppState,
    who: Option<&Principal>,
) -> Result<(), PageError> {
    let Some(p) = who.filter(|p| p.role == dengbao_store::users::Role::Administrator) else {
        return Ok(());
    };
    if !REQUIRE_ADMIN_TOTP.get().copied().unwrap_or(false)
        || parts.uri.path().starts_with("/account/totp")
        || state.store.has_totp(&p.user_id).await?
    {
        return Ok(());
    }
    let mut e = PageError::new(StatusCode::SEE_OTHER, "totp.required");
    e.redirect = Some("/account/totp".to_string());
    Err(e)
}

/// A signed-in user allowed `R` (no particular organisation).
pub struct Page<R: Requirement> {
    pub c: Ctx,
    pub principal: Principal,
    _r: PhantomData<R>,
}

impl<R: Requirement> Page<R> {
    pub fn actor(&self) -> String {
        self.principal.actor()
    }
    /// The form could not be accepted: 422 with `e` as the message.
    pub fn bad(&self, e: impl std::fmt::Display) -> PageError {
        PageError::bad(&self.c, e.to_string())
    }
    pub fn scope(&self) -> dengbao_store::OrgScope {
        auth::scope(&self.principal)
    }
}

impl<R: Requirement> FromRequestParts<AppState> for Page<R> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let who = auth::principal(parts, state)
            .await
            .map_err(|e| PageError::from_api(e, parts))?;
        second_factor_gate(parts, state, who.as_ref()).await?;
        auth::enforce(state, who.as_ref(), None, R::NEED, &auth::describe(parts))
            .await
            .map_err(|e| PageError::from_api(e, parts))?;
        let Ok(c) = Ctx::from_request_parts(parts, state).await;
        match who {
            Some(principal) => Ok(Page {
                c,
                principal,
                _r: PhantomData,
            }),
            None => Err(PageError::internal(
                "enforce let an anonymous caller through",
            )),
        }
    }
}

/// A signed-in user allowed `R` on the network `{id}` of the path (organisation isolation
/// included: another organisation's network is a 404, like one that does not exist).
pub struct NetPage<R: Requirement> {
    pub c: Ctx,
    pub principal: Principal,
    pub network_id: String,
    pub org_id: String,
    _r: PhantomData<R>,
}

impl<R: Requirement> NetPage<R> {
    pub fn actor(&self) -> String {
        self.principal.actor()
    }
    /// The form could not be accepted: 422 with `e` as the message.
    pub fn bad(&self, e: impl std::fmt::Display) -> PageError {
        PageError::bad(&self.c, e.to_string())
    }
}

impl<R: Requirement> FromRequestParts<AppState> for NetPage<R> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let who = auth::principal(parts, state)
            .await
            .map_err(|e| PageError::from_api(e, parts))?;
        second_factor_gate(parts, state, who.as_ref()).await?;
        let request = auth::describe(parts);
        let Some(p) = who else {
            auth::enforce(state, None, None, R::NEED, &request)
                .await
                .map_err(|e| PageError::from_api(e, parts))?;
            return Err(PageError::internal(
                "enforce let an anonymous caller through",
            ));
        };
        let Ok(Path(params)) =
            Path::<HashMap<String, String>>::from_request_parts(parts, state).await
        else {
            return Err(PageError::from_api(ApiError::not_found("network"), parts));
        };
        let id = params.get("id").cloned().unwrap_or_default();
        let Some(org) = state
            .store
            .network_org(&id)
            .await
            .map_err(|e| PageError::from_api(e.into(), parts))?
        else {
            return Err(PageError::from_api(ApiError::not_found("network"), parts));
        };
        auth::enforce_network(state, &p, &org, &id, R::NEED, &request)
            .await
            .map_err(|e| PageError::from_api(e, parts))?;
        let Ok(c) = Ctx::from_request_parts(parts, state).await;
        Ok(NetPage {
            c,
            principal: p,
            network_id: id,
            org_id: org,
            _r: PhantomData,
        })
    }
}

/// `enforce` for an organisation a form names (creating a network in it), as a page.
pub async fn enforce_org<R: Requirement>(
    state: &AppState,
    c: &Ctx,
    p: &Principal,
    org: &str,
    request: &str,
) -> Result<(), PageError> {
    let request = auth::Asked {
        line: request.to_string(),
        source: "signed-in".into(),
    };
    auth::enforce(state, Some(p), Some(org), R::NEED, &request)
        .await
        .map_err(|e| {
            let mut pe = match e.status {
                StatusCode::FORBIDDEN => PageError::new(StatusCode::FORBIDDEN, "error.forbidden"),
                _ => PageError::new(StatusCode::NOT_FOUND, "error.not_found"),
            };
            pe.lang = c.lang;
            pe
        })
}

/// The API token `{tid}` of the path, for its owner or an administrator: the page
/// counterpart of the API's `auth::TokenGuard`, through the same `enforce`. Anonymous →
/// sign-in; no such token → 404; someone else's token, not an administrator → 403.
pub struct TokenPage {
    pub c: Ctx,
    pub principal: Principal,
    pub token_id: String,
}

impl FromRequestParts<AppState> for TokenPage {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let page = Page::<auth::Tools>::from_request_parts(parts, state).await?;
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|_| PageError::not_found(&page.c))?;
        let id = params.get("tid").cloned().unwrap_or_default();
        let owner = state.store.token_owner(&id).await?;
        match owner {
            None => Err(PageError::not_found(&page.c)),
            Some(o) if o == page.principal.user_id => Ok(TokenPage {
                c: page.c,
                principal: page.principal,
                token_id: id,
            }),
            Some(_) => {
                auth::enforce(
                    state,
                    Some(&page.principal),
                    None,
                    auth::Need::ManageAccounts,
                    &auth::describe(parts),
                )
                .await
                .map_err(|e| PageError::from_api(e, parts))?;
                Ok(TokenPage {
                    c: page.c,
                    principal: page.principal,
                    token_id: id,
                })
            }
        }
    }
}
