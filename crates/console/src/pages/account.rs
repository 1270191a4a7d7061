//! First run (`/setup`), sign-in, sign-out.

use askama::Template;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::form::Form;
use dengbao_server::auth;
use dengbao_server::AppState;
use dengbao_store::{SignIn, StoreError};
use serde::Deserialize;

use crate::ctx::{Ctx, PRESESSION_COOKIE};
use crate::guard::{PageError, PageResult};
use crate::pages::render;
use crate::pages::{redirect, render_status};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/setup", get(setup_page).post(setup_submit))
        .route("/signin", get(signin_page).post(signin_submit))
        .route("/signout", post(signout))
}

/// The client's address (the rate limiter's key with the user name): the peer's, or the
/// one the trusted proxy names (`dengbao_server::client`, decision 0922).
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(dengbao_server::client::of(parts)))
    }
}

pub use dengbao_server::client::{set_trusted_proxy, trusted_proxy};

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupTpl {
    c: Ctx,
    error: Option<String>,
    administrator: String,
    organisation: String,
}

async fn setup_page(c: Ctx) -> PageResult {
    render(&SetupTpl {
        c,
        error: None,
        administrator: String::new(),
        organisation: String::new(),
    })
}

#[derive(Deserialize)]
struct SetupForm {
    setup_token: String,
    administrator: String,
    password: String,
    password_again: String,
    organisation: String,
}

async fn setup_submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    c: Ctx,
    Form(f): Form<SetupForm>,
) -> PageResult {
    let again = |c: Ctx, status: StatusCode, error: String| -> PageResult {
        render_status(
            &SetupTpl {
                c,
                error: Some(error),
                administrator: f.administrator.clone(),
                organisation: f.organisation.clone(),
            },
            status,
        )
    };
    if f.password != f.password_again {
        let msg = c.t.s("setup.password_mismatch").to_string();
        return again(c, StatusCode::UNPROCESSABLE_ENTITY, msg);
    }
    match state
        .store
        .complete_console_setup(
            &f.setup_token,
            &f.administrator,
            &f.password,
            &f.organisation,
        )
        .await
    {
        Ok(_) => redirect("/signin?setup=done"),
        Err(StoreError::NotFound { .. }) => {
            dengbao_server::routes::system::audit_wrong_setup_token(&state, "POST /setup", &ip)
                .await?;
            let msg = c.t.s("setup.wrong_token").to_string();
            again(c, StatusCode::FORBIDDEN, msg)
        }
        Err(e @ StoreError::Invalid { .. }) => {
            again(c, StatusCode::UNPROCESSABLE_ENTITY, e.to_string())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "signin.html")]
struct SigninTpl {
    c: Ctx,
    error: Option<String>,
    notice: Option<String>,
    name: String,
    next: String,
}

#[derive(Deserialize)]
struct SigninQuery {
    next: Option<String>,
    setup: Option<String>,
}

/// Only same-site paths: `/networks/…`, never `//host` or `https://…`.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".into(),
    }
}

async fn signin_page(c: Ctx, Query(q): Query<SigninQuery>) -> PageResult {
    if c.user.is_some() {
        return redirect(&safe_next(q.next.as_deref()));
    }
    let notice = q
        .setup
        .as_deref()
        .map(|_| c.t.s("signin.setup_done").to_string());
    render(&SigninTpl {
        c,
        error: None,
        notice,
        name: String::new(),
        next: safe_next(q.next.as_deref()),
    })
}

#[derive(Deserialize)]
struct SigninForm {
    name: String,
    password: String,
    /// The second factor's code, for a user who has one (decision 0938).
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: Option<String>,
}

async fn signin_submit(
    State(state): State<AppState>,
    c: Ctx,
    ClientIp(ip): ClientIp,
    Form(f): Form<SigninForm>,
) -> PageResult {
    let next = safe_next(f.next.as_deref());
    let again = |c: Ctx, status: StatusCode, error: String| -> PageResult {
        render_status(
            &SigninTpl {
                c,
                error: Some(error),
                notice: None,
                name: f.name.clone(),
                next: next.clone(),
            },
            status,
        )
    };
    match state
        .store
        .sign_in_with_code(&f.name, &f.password, &f.code, &ip)
        .await?
    {
        SignIn::Ok { cookie, .. } => {
            let mut res = Redirect::to(&next).into_response();
            let h = res.headers_mut();
            let session = format!(
                "{}={cookie}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}",
                auth::SESSION_COOKIE,
                dengbao_store::sessions::SESSION_HOURS * 3600
            );
            let clear =
                format!("{PRESESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
            for v in [session, clear] {
                if let Ok(v) = HeaderValue::from_str(&v) {
                    h.append(header::SET_COOKIE, v);
                }
            }
            Ok(res)
        }
        SignIn::Wrong => {
            let msg = c.t.s("signin.wrong").to_string();
            again(c, StatusCode::UNAUTHORIZED, msg)
        }
        SignIn::Limited { until } => {
            let msg = c.t.f("signin.limited", c.t.when(&until));
            again(c, StatusCode::TOO_MANY_REQUESTS, msg)
        }
    }
}

async fn signout(State(state): State<AppState>, mut parts: Parts) -> Result<Response, PageError> {
    if let Ok(Some((p, s))) = auth::session(&mut parts, &state).await {
        state.store.end_session(&p.actor(), &s.id_hash).await?;
    }
    let mut res = Redirect::to("/signin").into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0",
        auth::SESSION_COOKIE
    )) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}
