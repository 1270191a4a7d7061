//! A network's requests to delete or correct personal information (网络安全法 第四十三条,
//! decision 0507): each with its deadline — none, saying the law sets none, unless the
//! organisation set its own handling period, then labelled as that policy with its source —
//! and the forms to record a request, close it, and set the organisation's period. A refused
//! form is answered 422 naming the field by its label; nothing is written.

use askama::Template;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::Router;

use crate::form::Form;
use dengbao_server::auth::{role_may, EditNetwork, HandleIncident, Need, Read};
use dengbao_server::routes::pi_requests::{request_of, PiRequestView};
use dengbao_server::AppState;
use dengbao_store::{ClosePiRequest, NewPiRequest, PiRequestPolicy, StoreError};

use crate::ctx::Ctx;
use crate::guard::{NetPage, PageResult};
use crate::pages::emergency::refused;
use crate::pages::{redirect, render};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/networks/{id}/pi-requests", get(page).post(add))
        .route("/networks/{id}/pi-requests/policy", post(policy))
        .route("/networks/{id}/pi-requests/{request_id}/close", post(close))
}

struct Row {
    id: String,
    kind: String,
    requester_ref: String,
    received_at: String,
    deadline: String,
    basis: String,
    clock: String,
    clock_label: String,
    open: bool,
    outcome: String,
    reason: String,
    closed_at: String,
}

#[derive(Template)]
#[template(path = "network/pi_requests.html")]
struct PageTpl {
    c: Ctx,
    network_id: String,
    network: String,
    rows: Vec<Row>,
    policy: String,
    policy_days: String,
    policy_source: String,
    may_handle: bool,
    may_set_policy: bool,
}

fn row(c: &Ctx, v: PiRequestView) -> Row {
    let r = v.request;
    Row {
        kind: c.t.s(&format!("pi.kind.{}", r.kind)).to_string(),
        deadline: match &v.deadline {
            Some(d) if v.provisional => format!("{d} {}", c.t.s("calendar.provisional")),
            Some(d) => d.clone(),
            None => c.t.s("pi.no_deadline").to_string(),
        },
        basis: if c.lang.is_en() {
            v.basis_en
        } else {
            v.basis_zh
        },
        clock_label: c.t.s(&format!("pi.clock.{}", v.clock)).to_string(),
        clock: v.clock,
        open: r.state == "open",
        outcome: r
            .outcome
            .as_deref()
            .map(|o| c.t.s(&format!("pi.outcome.{o}")).to_string())
            .unwrap_or_default(),
        reason: r.reason,
        closed_at: r.closed_at.unwrap_or_default(),
        received_at: r.received_at,
        requester_ref: r.requester_ref,
        id: r.id,
    }
}

async fn page(State(state): State<AppState>, page: NetPage<Read>) -> PageResult {
    let c = page.c.clone();
    let net = state.store.get_network(&page.network_id).await?;
    let cal = state.calendar.get();
    let now = jiff::Timestamp::now();
    let rows = state
        .store
        .list_pi_requests(&net.id)
        .await?
        .into_iter()
        .map(|r| row(&c, PiRequestView::new(r, &cal, now)))
        .collect();
    let p = state.store.pi_request_policy(&net.org_id).await?;
    let policy = match (p.working_days, &p.source) {
        (Some(n), Some(s)) => c.t.f2("pi.policy_set", n, s),
        _ => c.t.s("pi.policy_unset").to_string(),
    };
    render(&PageTpl {
        network_id: net.id.clone(),
        network: net.profile.name.clone(),
        rows,
        policy,
        policy_days: p.working_days.map(|n| n.to_string()).unwrap_or_default(),
        policy_source: p.source.unwrap_or_default(),
        may_handle: role_may(page.principal.role, Need::HandleIncident),
        may_set_policy: role_may(page.principal.role, Need::EditNetwork),
        c,
    })
}

#[derive(serde::Deserialize)]
struct AddForm {
    kind: String,
    requester_ref: String,
    received_at: String,
}

async fn add(
    State(state): State<AppState>,
    page: NetPage<HandleIncident>,
    Form(f): Form<AddForm>,
) -> PageResult {
    let input = NewPiRequest {
        kind: f.kind,
        requester_ref: f.requester_ref,
        received_at: f.received_at,
    };
    state
        .store
        .add_pi_request(&page.actor(), &page.network_id, input)
        .await
        .map_err(|e| refused(&page.c, "pi", e))?;
    redirect(&format!("/networks/{}/pi-requests", page.network_id))
}

#[derive(serde::Deserialize)]
struct CloseForm {
    outcome: String,
    #[serde(default)]
    reason: String,
    closed_at: String,
}

async fn close(
    State(state): State<AppState>,
    page: NetPage<HandleIncident>,
    Path((_, request_id)): Path<(String, String)>,
    Form(f): Form<CloseForm>,
) -> PageResult {
    request_of(&state, &page.network_id, &request_id)
        .await
        .map_err(|_| crate::guard::PageError::not_found(&page.c))?;
    let input = ClosePiRequest {
        outcome: f.outcome,
        reason: f.reason,
        closed_at: f.closed_at,
    };
    state
        .store
        .close_pi_request(&page.actor(), &request_id, input)
        .await
        .map_err(|e| refused(&page.c, "pi", e))?;
    redirect(&format!("/networks/{}/pi-requests", page.network_id))
}

#[derive(serde::Deserialize)]
struct PolicyForm {
    #[serde(default)]
    working_days: String,
    #[serde(default)]
    source: String,
}

async fn policy(
    State(state): State<AppState>,
    page: NetPage<EditNetwork>,
    Form(f): Form<PolicyForm>,
) -> PageResult {
    let working_days = match f.working_days.trim() {
        "" => None,
        n => Some(n.parse::<i64>().map_err(|_| {
            refused(
                &page.c,
                "pi",
                StoreError::invalid("working_days", "须为整数 / must be a whole number"),
            )
        })?),
    };
    let input = PiRequestPolicy {
        working_days,
        source: Some(f.source),
    };
    state
        .store
        .set_pi_request_policy(&page.actor(), &page.org_id, input)
        .await
        .map_err(|e| refused(&page.c, "pi", e))?;
    redirect(&format!("/networks/{}/pi-requests", page.network_id))
}
