//! The assessor's ruling on a host-check result, in the console (decision 0424): the form
//! the hosts page and the assessment page show beside each result to the engaged assessor
//! (accept, or overrule with the result found and a note), and the ruling as everyone else
//! reads it. The form posts to `/networks/{id}/hosts/{report}/rulings`, which rules through
//! the API's own function, so page and API check and audit the same way.

use axum::extract::{Path, State};
use axum::routing::post;
use axum::Router;
use dengbao_server::auth::{role_may, Assess, Need};
use dengbao_server::routes::host_rulings::rule;
use dengbao_server::AppState;
use dengbao_store::host_check_rulings::{HostCheckRuling, RulingInput};

use crate::ctx::Ctx;
use crate::form::Form;
use crate::guard::{NetPage, PageResult};
use crate::pages::redirect;

pub fn routes() -> Router<AppState> {
    Router::new().route("/networks/{id}/hosts/{report}/rulings", post(save))
}

/// A ruling as a page shows it.
pub struct RulingView {
    /// `accept` or `overrule`: the badge's class.
    pub ruling: String,
    /// 测评人员已采纳 / 测评人员改判为 通过 — in the page's language.
    pub label: String,
    /// The assessor's note, quoted on an English page; may be empty.
    pub note: String,
    /// When and by whom.
    pub by: String,
}

impl RulingView {
    pub fn of(c: &Ctx, r: &HostCheckRuling) -> RulingView {
        let label = match r.result.as_deref() {
            Some(result) if r.ruling == "overrule" => {
                c.t.f("hosts.ruled_overrule", status(c, result))
            }
            _ => c.t.s("hosts.ruled_accept").to_string(),
        };
        RulingView {
            ruling: r.ruling.clone(),
            label,
            note: if r.note.is_empty() {
                String::new()
            } else {
                crate::i18n::quoted(c.lang, &r.note)
            },
            by: format!(
                "{} {}",
                c.t.when(&r.ruled_at),
                crate::i18n::quoted(c.lang, &crate::pages::audit_rows::person(c, &r.ruled_by))
            ),
        }
    }
}

/// The results an assessor may find when overruling.
pub const RESULTS: [&str; 3] = ["pass", "fail", "not_applicable"];

/// A check status (`pass` …) in the page's language.
pub fn status(c: &Ctx, s: &str) -> String {
    c.t.s(&format!("hosts.status.{s}")).to_string()
}

/// Whether the user may rule on the network's host checks: a role that assesses, with an
/// open engagement of its own on the network (as for recording item results).
pub async fn may_rule(state: &AppState, page: &NetPage<dengbao_server::auth::Read>) -> bool {
    if !role_may(page.principal.role, Need::Assess) {
        return false;
    }
    state
        .store
        .list_engagements(&page.network_id)
        .await
        .map(|es| {
            es.iter()
                .any(|e| e.assessor_id == page.principal.user_id && e.conclusion.is_none())
        })
        .unwrap_or(false)
}

/// What the form sends. `from` and `item` only say where to go back to.
#[derive(serde::Deserialize)]
struct RulingForm {
    check: String,
    ruling: String,
    #[serde(default)]
    result: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    item: String,
}

async fn save(
    State(state): State<AppState>,
    page: NetPage<Assess>,
    Path((_, report)): Path<(String, String)>,
    Form(f): Form<RulingForm>,
) -> PageResult {
    // The form offers one result select for both buttons: accepting ignores it.
    let result = (f.ruling.trim() == "overrule")
        .then(|| f.result.trim().to_string())
        .filter(|r| !r.is_empty());
    let input = RulingInput {
        check: f.check,
        ruling: f.ruling,
        result,
        note: f.note,
    };
    rule(
        &state,
        &page.actor(),
        &page.principal.user_id,
        &page.network_id,
        &report,
        &input,
    )
    .await
    .map_err(|e| page.bad(e.message))?;
    let net = &page.network_id;
    // Back to where the form was, at the row ruled on (an item id is letters, digits, '-').
    let item_ok = !f.item.is_empty()
        && f.item
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-');
    match f.from.as_str() {
        "assessment" if item_ok => redirect(&format!("/networks/{net}/assessment#item-{}", f.item)),
        "assessment" => redirect(&format!("/networks/{net}/assessment")),
        _ => redirect(&format!("/networks/{net}/hosts#report-{report}")),
    }
}
