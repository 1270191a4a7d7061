//! Administration: users (create with role and organisations, set a password),
//! organisations, the audit log with its verification. API tokens: `tokens.rs`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::Router;

use crate::form::Form;
use dengbao_server::auth::{ManageAccounts, ReadAudit};
use dengbao_server::AppState;
use dengbao_store::orgs::NewOrganisation;
use dengbao_store::users::NewUser;
use dengbao_store::{OrgScope, Role};
use serde::Deserialize;

use crate::ctx::{role_key, Ctx};
use crate::guard::{Page, PageError, PageResult};
use crate::pages::render;
use crate::pages::{form_value, form_values, redirect, render_status};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(users).post(create_user))
        .route("/admin/users/{uid}/password", post(set_password))
        .route("/admin/users/{uid}/disable", post(disable_user))
        .route("/admin/users/{uid}/enable", post(enable_user))
        .route("/admin/orgs", get(orgs).post(create_org))
        .route("/admin/audit", get(audit))
}

const ROLES: [Role; 5] = [
    Role::Operator,
    Role::Assessor,
    Role::Supervisor,
    Role::Auditor,
    Role::Administrator,
];

fn role_id(r: Role) -> &'static str {
    match r {
        Role::Administrator => "administrator",
        Role::Operator => "operator",
        Role::Assessor => "assessor",
        Role::Supervisor => "supervisor",
        Role::Auditor => "auditor",
    }
}

pub struct UserRow {
    pub id: String,
    pub name: String,
    pub role: String,
    pub orgs: String,
    pub created: String,
    pub disabled: bool,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersTpl {
    c: Ctx,
    users: Vec<UserRow>,
    roles: Vec<(&'static str, String)>,
    orgs: Vec<(String, String)>,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct Notice {
    done: Option<String>,
}

async fn users_tpl(state: &AppState, c: Ctx) -> Result<UsersTpl, PageError> {
    let orgs: Vec<(String, String)> = state
        .store
        .list_orgs(&OrgScope::All)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let users = state
        .store
        .list_users()
        .await?
        .into_iter()
        .map(|u| UserRow {
            role: c.t.s(role_key(u.role)).to_string(),
            orgs: u
                .orgs
                .iter()
                .map(|id| {
                    orgs.iter()
                        .find(|o| &o.0 == id)
                        .map(|o| o.1.clone())
                        .unwrap_or_else(|| id.clone())
                })
                .collect::<Vec<_>>()
                .join(c.t.s("common.sep")),
            created: c.t.when(&u.created_at),
            disabled: u.disabled,
            id: u.id,
            name: u.name,
        })
        .collect();
    Ok(UsersTpl {
        users,
        roles: ROLES
            .iter()
            .map(|r| (role_id(*r), c.t.s(role_key(*r)).to_string()))
            .collect(),
        orgs,
        notice: None,
        error: None,
        c,
    })
}

async fn users(
    State(state): State<AppState>,
    page: Page<ManageAccounts>,
    Query(n): Query<Notice>,
) -> PageResult {
    let mut tpl = users_tpl(&state, page.c).await?;
    tpl.notice = n.done.map(|_| tpl.c.t.s("users.saved").to_string());
    render(&tpl)
}

async fn create_user(
    State(state): State<AppState>,
    page: Page<ManageAccounts>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |k: &str| form_value(&fields, k);
    let orgs: Vec<String> = form_values(&fields, "orgs");
    let role = ROLES.iter().copied().find(|r| role_id(*r) == get("role"));
    let result = async {
        let role = role.ok_or_else(|| page.c.t.s("users.bad_role").to_string())?;
        dengbao_store::sessions::check_password(&get("password")).map_err(|e| e.to_string())?;
        let user = state
            .store
            .create_user(
                &page.actor(),
                NewUser {
                    name: get("name"),
                    role,
                    orgs,
                },
            )
            .await
            .map_err(|e| e.to_string())?;
        state
            .store
            .set_password(&page.actor(), &user.id, &get("password"))
            .await
            .map_err(|e| e.to_string())
    }
    .await;
    match result {
        Ok(()) => redirect("/admin/users?done=1"),
        Err(e) => {
            let mut tpl = users_tpl(&state, page.c).await?;
            tpl.error = Some(e);
            render_status(&tpl, axum::http::StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

#[derive(Deserialize)]
struct PasswordForm {
    password: String,
}

async fn set_password(
    State(state): State<AppState>,
    page: Page<ManageAccounts>,
    Path(uid): Path<String>,
    Form(f): Form<PasswordForm>,
) -> PageResult {
    state
        .store
        .set_password(&page.actor(), &uid, &f.password)
        .await
        .map_err(|e| page.bad(e))?;
    redirect("/admin/users?done=1")
}

/// Disables a user: sessions end and tokens are revoked in the same transaction.
async fn disable_user(
    State(state): State<AppState>,
    page: Page<ManageAccounts>,
    Path(uid): Path<String>,
) -> PageResult {
    set_disabled(&state, &page, &uid, true).await
}

async fn enable_user(
    State(state): State<AppState>,
    page: Page<ManageAccounts>,
    Path(uid): Path<String>,
) -> PageResult {
    set_disabled(&state, &page, &uid, false).await
}

async fn set_disabled(
    state: &AppState,
    page: &Page<ManageAccounts>,
    uid: &str,
    disabled: bool,
) -> PageResult {
    state
        .store
        .set_user_disabled(&page.actor(), uid, disabled)
        .await
        .map_err(|e| page.bad(e))?;
    redirect("/admin/users?done=1")
}

#[derive(Template)]
#[template(path = "admin/orgs.html")]
struct OrgsTpl {
    c: Ctx,
    orgs: Vec<(String, String, String)>,
    error: Option<String>,
}

async fn orgs_tpl(state: &AppState, c: Ctx) -> Result<OrgsTpl, PageError> {
    let orgs = state
        .store
        .list_orgs(&OrgScope::All)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name, c.t.when(&o.created_at)))
        .collect();
    Ok(OrgsTpl {
        c,
        orgs,
        error: None,
    })
}

async fn orgs(State(state): State<AppState>, page: Page<ManageAccounts>) -> PageResult {
    render(&orgs_tpl(&state, page.c).await?)
}

#[derive(Deserialize)]
struct OrgForm {
    name: String,
}

async fn create_org(
    State(state): State<AppState>,
    page: Page<ManageAccounts>,
    Form(f): Form<OrgForm>,
) -> PageResult {
    match state
        .store
        .create_org(&page.actor(), NewOrganisation { name: f.name })
        .await
    {
        Ok(_) => redirect("/admin/orgs"),
        Err(e) => {
            let mut tpl = orgs_tpl(&state, page.c).await?;
            tpl.error = Some(e.to_string());
            render_status(&tpl, axum::http::StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

pub struct AuditRow {
    pub seq: i64,
    pub at: String,
    /// The person (or 命令行 / 系统), as people read it; `actor_raw` as stored.
    pub actor: String,
    /// The actor is a stored identifier (`setup`, a script's name), shown as code.
    pub actor_code: bool,
    pub actor_raw: String,
    /// The action in words; `action_code` as stored.
    pub action: String,
    pub action_code: String,
    /// The network's name (with `target_href`) or the stored target.
    pub target: String,
    pub target_href: Option<String>,
    /// The details as `key：value` pairs in words; `detail_raw` as stored (JSON).
    pub detail: Vec<crate::pages::audit_rows::DetailItem>,
    pub detail_raw: String,
    pub denied: bool,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditTpl {
    c: Ctx,
    ok: bool,
    entries: i64,
    /// Verification started after this entry (0: the whole chain).
    from: i64,
    first_bad: String,
    problem: String,
    last_hash: String,
    rows: Vec<AuditRow>,
}

async fn audit(State(state): State<AppState>, page: Page<ReadAudit>) -> PageResult {
    let c = page.c;
    // Anonymous denials counted so far are written first, so the page shows them; then
    // only the entries appended since the last verification are verified (decision 0923).
    state.store.flush_anonymous_denials().await?;
    let report = state.store.verify_audit_since_last().await?;
    // The newest 200 entries.
    let head = report.entries;
    let names: std::collections::BTreeMap<String, String> = state
        .store
        .list_networks(&dengbao_store::OrgScope::All, None)
        .await?
        .into_iter()
        .map(|n| (n.id, n.profile.name))
        .collect();
    let mut rows: Vec<AuditRow> = state
        .store
        .audit_entries((head - 200).max(0), 200)
        .await?
        .into_iter()
        .map(|e| crate::pages::audit_rows::row(&c, &names, e))
        .collect();
    rows.reverse();
    render(&AuditTpl {
        ok: report.ok,
        entries: report.entries,
        from: report.from,
        first_bad: report.first_bad.map(|n| n.to_string()).unwrap_or_default(),
        problem: report.problem.clone().unwrap_or_default(),
        last_hash: report.last_hash.clone(),
        rows,
        c,
    })
}
