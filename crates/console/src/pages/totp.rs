//! The second factor of one's own account (`/account/totp`, decision 0938): begin (a secret
//! and its `otpauth://` URI to add to an authenticator app), confirm with the app's first
//! code, turn off with a current code. Every signed-in user may; administrators are urged to.

use askama::Template;
use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;

use crate::form::Form;
use dengbao_server::auth::Tools;
use dengbao_server::AppState;
use serde::Deserialize;

use crate::ctx::Ctx;
use crate::guard::{Page, PageError, PageResult};
use crate::pages::{redirect, render, render_status};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account/totp", get(status))
        .route("/account/totp/begin", post(begin))
        .route("/account/totp/confirm", post(confirm))
        .route("/account/totp/disable", post(disable))
}

#[derive(Template)]
#[template(path = "account/totp.html")]
struct TotpTpl {
    c: Ctx,
    enabled: bool,
    /// Set right after "begin": the secret and URI to add to the app.
    secret: Option<String>,
    uri: Option<String>,
    error: Option<String>,
}

async fn tpl(state: &AppState, page: &Page<Tools>) -> Result<TotpTpl, PageError> {
    Ok(TotpTpl {
        c: page.c.clone(),
        enabled: state.store.has_totp(&page.principal.user_id).await?,
        secret: None,
        uri: None,
        error: None,
    })
}

async fn status(State(state): State<AppState>, page: Page<Tools>) -> PageResult {
    render(&tpl(&state, &page).await?)
}

async fn begin(State(state): State<AppState>, page: Page<Tools>) -> PageResult {
    let mut t = tpl(&state, &page).await?;
    if t.enabled {
        return redirect("/account/totp");
    }
    let e = state
        .store
        .totp_begin(&page.principal.user_id, &page.principal.name)
        .await?;
    t.secret = Some(e.secret);
    t.uri = Some(e.uri);
    render(&t)
}

#[derive(Deserialize)]
struct CodeForm {
    code: String,
}

async fn refused(state: &AppState, page: &Page<Tools>, e: dengbao_store::StoreError) -> PageResult {
    let mut t = tpl(state, page).await?;
    t.error = Some(crate::i18n::bilingual::without_field(
        &e.to_string(),
        page.c.lang,
    ));
    render_status(&t, axum::http::StatusCode::UNPROCESSABLE_ENTITY)
}

async fn confirm(
    State(state): State<AppState>,
    page: Page<Tools>,
    Form(f): Form<CodeForm>,
) -> PageResult {
    match state
        .store
        .totp_confirm(&page.principal.user_id, &f.code)
        .await
    {
        Ok(()) => redirect("/account/totp"),
        Err(e @ dengbao_store::StoreError::Invalid { .. }) => refused(&state, &page, e).await,
        Err(e) => Err(e.into()),
    }
}

async fn disable(
    State(state): State<AppState>,
    page: Page<Tools>,
    Form(f): Form<CodeForm>,
) -> PageResult {
    let me = page.principal.user_id.clone();
    match state
        .store
        .totp_disable(&page.actor(), &me, Some(&f.code))
        .await
    {
        Ok(()) => redirect("/account/totp"),
        Err(e @ dengbao_store::StoreError::Invalid { .. }) => refused(&state, &page, e).await,
        Err(e) => Err(e.into()),
    }
}
