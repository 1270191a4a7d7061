//! API tokens: every user's own (`/tokens`: create with an optional expiry, list, revoke)
//! and, for administrators, every token of every user (`/admin/tokens`). Revoking is for
//! the token's owner or an administrator ([`crate::guard::TokenPage`]); decision 0923.

use askama::Template;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::Router;

use crate::form::Form;
use dengbao_server::auth::{ManageAccounts, Tools};
use dengbao_server::AppState;
use dengbao_store::tokens::{parse_expiry, TokenInfo};
use serde::Deserialize;

use crate::ctx::Ctx;
use crate::guard::{Page, PageError, PageResult, TokenPage};
use crate::pages::{redirect, render, render_status};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tokens", get(tokens).post(create_token))
        .route("/tokens/{tid}/revoke", post(revoke_token))
        .route("/admin/tokens", get(all_tokens))
}

/// A token as a table row, in the reader's language.
pub struct TokenRow {
    pub id: String,
    pub owner: String,
    pub label: String,
    pub created: String,
    pub expires: String,
    /// When it was last used, or that it was not.
    pub last_used: String,
    /// `active`, `expired`, `revoked` (a CSS hook and the label's key).
    pub state: String,
    pub state_label: String,
}

fn rows(c: &Ctx, tokens: Vec<TokenInfo>) -> Vec<TokenRow> {
    tokens
        .into_iter()
        .map(|t| TokenRow {
            state_label: c.t.s(&format!("tokens.state_{}", t.state)).to_string(),
            expires: match &t.expires_at {
                Some(e) => c.t.when(e),
                None => c.t.s("tokens.never").to_string(),
            },
            last_used: match &t.last_used {
                Some(at) => c.t.when(at),
                None => c.t.s("tokens.unused").to_string(),
            },
            created: c.t.when(&t.created_at),
            id: t.id,
            owner: t.user_name,
            label: t.label,
            state: t.state,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin/tokens.html")]
struct TokensTpl {
    c: Ctx,
    issued: Option<String>,
    rows: Vec<TokenRow>,
    error: Option<String>,
}

async fn own(state: &AppState, page: Page<Tools>) -> Result<TokensTpl, PageError> {
    let list = state
        .store
        .list_tokens(Some(&page.principal.user_id))
        .await?;
    Ok(TokensTpl {
        rows: rows(&page.c, list),
        c: page.c,
        issued: None,
        error: None,
    })
}

async fn tokens(State(state): State<AppState>, page: Page<Tools>) -> PageResult {
    render(&own(&state, page).await?)
}

#[derive(Deserialize)]
struct TokenForm {
    label: String,
    /// A date (`YYYY-MM-DD`, through the end of that day) or empty: never.
    #[serde(default)]
    expires: String,
}

async fn create_token(
    State(state): State<AppState>,
    page: Page<Tools>,
    Form(f): Form<TokenForm>,
) -> PageResult {
    let label = f.label.trim().to_string();
    let expires = f.expires.trim();
    let expiry = match expires {
        "" => Ok(None),
        e => parse_expiry(e).map(Some),
    };
    let error = if label.is_empty() || label.chars().count() > 200 {
        Some("tokens.bad_label")
    } else {
        expiry.is_err().then_some("tokens.bad_expiry")
    };
    if let Some(key) = error {
        let message = page.c.t.s(key).to_string();
        let mut tpl = own(&state, page).await?;
        tpl.error = Some(message);
        return render_status(&tpl, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    }
    let issued = state
        .store
        .create_token_until(
            &page.actor(),
            &page.principal.user_id,
            &label,
            expiry.ok().flatten(),
        )
        .await?;
    let mut tpl = own(&state, page).await?;
    tpl.issued = Some(issued.token);
    render(&tpl)
}

#[derive(Deserialize, Default)]
struct From {
    from: Option<String>,
}

/// Revokes a token (its owner, or an administrator), then back to the list it came from.
async fn revoke_token(
    State(state): State<AppState>,
    page: TokenPage,
    Query(q): Query<From>,
) -> PageResult {
    state
        .store
        .revoke_token(&page.principal.actor(), &page.token_id)
        .await
        .map_err(|e| PageError::bad(&page.c, e.to_string()))?;
    match q.from.as_deref() {
        Some("admin") if page.c.is_admin() => redirect("/admin/tokens"),
        _ => redirect("/tokens"),
    }
}

#[derive(Template)]
#[template(path = "admin/all_tokens.html")]
struct AllTokensTpl {
    c: Ctx,
    rows: Vec<TokenRow>,
}

/// Every token of every user (administrators).
async fn all_tokens(State(state): State<AppState>, page: Page<ManageAccounts>) -> PageResult {
    let list = state.store.list_tokens(None).await?;
    render(&AllTokensTpl {
        rows: rows(&page.c, list),
        c: page.c,
    })
}
