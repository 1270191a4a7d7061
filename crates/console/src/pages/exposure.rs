//! The penalty exposure on a page of its own: for one network (`/networks/{id}/exposure`)
//! and for every network the user sees (`/exposure`), each network's fines apart — fines of
//! different networks are separate cases and are never added up (issue 16 item 5). Each
//! item gives the provision, the version of the law applied to the day of the conduct and
//! why (从旧兼从轻, decision 0510), the ranges and the measures.

use askama::Template;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::Router;
use dengbao_duties::{DutyStatus, Exposure, Profile};
use dengbao_server::auth::Read;
use dengbao_server::AppState;

use crate::ctx::Ctx;
use crate::guard::{NetPage, Page, PageError, PageResult};
use crate::pages::dashboard::{duty_title, status_key};
use crate::pages::{at_of, render, AtQuery};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/exposure", get(organisation))
        .route("/networks/{id}/exposure", get(network))
}

/// One fine a network is exposed to.
pub struct ItemRow {
    pub duty_id: String,
    pub duty: String,
    pub status: &'static str,
    pub status_label: String,
    pub conduct_date: String,
    pub basis: String,
    pub law_choice: String,
    pub org_fine: String,
    pub first_fine: String,
    pub person_fine: String,
    pub measures: String,
    pub serious: String,
    /// Counted in the total (the first item of its provision; one act, one fine).
    pub counted: bool,
}

/// One network's exposure.
pub struct NetworkExposure {
    pub network_id: String,
    pub network: String,
    pub total: String,
    pub person_total: String,
    pub if_missed: String,
    pub items: Vec<ItemRow>,
    /// Duties whose status is unknown: the exposure may be larger.
    pub unknown: Vec<String>,
    pub notes: Vec<String>,
}

#[derive(Template)]
#[template(path = "exposure.html")]
struct ExposureTpl {
    c: Ctx,
    today: String,
    /// Set on a network's page: the link back to it.
    network_id: Option<String>,
    sections: Vec<NetworkExposure>,
    /// Networks not graded yet: no duties, so no exposure to compute.
    ungraded: usize,
}

/// Chinese data text in the page's language: as is in Chinese, quoted in English.
fn zh_data(c: &Ctx, s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        crate::i18n::quoted(c.lang, s)
    }
}

fn section(
    c: &Ctx,
    net: &dengbao_store::Network,
    statuses: &[DutyStatus],
    e: &Exposure,
) -> NetworkExposure {
    let items = e
        .items
        .iter()
        .map(|i| {
            let s = statuses.iter().find(|s| s.id() == i.duty);
            ItemRow {
                duty_id: i.duty.clone(),
                duty: s
                    .map(|s| duty_title(c, s))
                    .unwrap_or_else(|| i.duty.clone()),
                status: i.status.id(),
                status_label: c.t.s(status_key(i.status)).to_string(),
                conduct_date: c.t.date(i.conduct_date),
                basis: if c.lang.is_en() {
                    i.basis_text_en.clone()
                } else {
                    i.basis_text.clone()
                },
                law_choice: i
                    .law_choice
                    .as_ref()
                    .map(|t| t.get(c.lang).to_string())
                    .unwrap_or_default(),
                org_fine: c.t.range(i.org_fine),
                first_fine: i.first_fine.map(|r| c.t.range(r)).unwrap_or_default(),
                person_fine: c.t.range(i.person_fine),
                measures: zh_data(c, &i.measures.join("、")),
                serious: zh_data(c, i.serious.as_deref().unwrap_or_default()),
                counted: i.counted,
            }
        })
        .collect();
    NetworkExposure {
        network_id: net.id.clone(),
        network: net.profile.name.clone(),
        total: c.t.range(e.org_fine_total),
        person_total: c.t.range(e.person_fine_total),
        if_missed: c.t.range(e.org_fine_total_if_due_missed),
        items,
        unknown: e
            .unknown
            .iter()
            .map(|id| {
                statuses
                    .iter()
                    .find(|s| s.id() == id)
                    .map(|s| duty_title(c, s))
                    .unwrap_or_else(|| id.clone())
            })
            .collect(),
        notes: e.notes.iter().map(|n| n.get(c.lang).to_string()).collect(),
    }
}

async fn evaluate(
    state: &AppState,
    logs: &crate::logs::LogCoverage,
    net: &dengbao_store::Network,
    at: jiff::Timestamp,
) -> Result<Option<(Profile, Vec<DutyStatus>, Exposure)>, PageError> {
    let Some((profile, statuses)) = crate::pages::evaluate(state, logs, net, at).await? else {
        return Ok(None);
    };
    let e = dengbao_duties::exposure(&profile, &state.catalog, &statuses);
    Ok(Some((profile, statuses, e)))
}

async fn network(
    State(state): State<AppState>,
    axum::Extension(logs): axum::Extension<crate::logs::LogCoverage>,
    page: NetPage<Read>,
    Query(q): Query<AtQuery>,
) -> PageResult {
    let (at, today, net) = crate::pages::network_at(&state, &page, &q).await?;
    let c = page.c.clone();
    let mut sections = Vec::new();
    let mut ungraded = 0;
    match evaluate(&state, &logs, &net, at).await? {
        Some((_, statuses, e)) => sections.push(section(&c, &net, &statuses, &e)),
        None => ungraded = 1,
    }
    render(&ExposureTpl {
        today: c.t.date(today),
        c,
        network_id: Some(net.id),
        sections,
        ungraded,
    })
}

async fn organisation(
    State(state): State<AppState>,
    axum::Extension(logs): axum::Extension<crate::logs::LogCoverage>,
    page: Page<Read>,
    Query(q): Query<AtQuery>,
) -> PageResult {
    let c = page.c.clone();
    let (at, today) = at_of(&c, &q)?;
    let networks = state.store.list_networks(&page.scope(), None).await?;
    let networks = dengbao_server::auth::only_reached(&state, &page.principal, networks).await?;
    let mut sections = Vec::new();
    let mut ungraded = 0;
    for net in &networks {
        match evaluate(&state, &logs, net, at).await? {
            Some((_, statuses, e)) if !e.items.is_empty() || !e.unknown.is_empty() => {
                sections.push(section(&c, net, &statuses, &e));
            }
            Some(_) => {}
            None => ungraded += 1,
        }
    }
    render(&ExposureTpl {
        today: c.t.date(today),
        c,
        network_id: None,
        sections,
        ungraded,
    })
}
