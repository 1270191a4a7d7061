//! Networks: list, detail (profile, level, life-cycle events, deadlines on the working-day
//! calendar), create and edit, record an event, save a grading.

use askama::Template;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::Router;

use crate::form::Form;
use dengbao_duties::Status;
use dengbao_server::auth::{AddEvent, EditNetwork, Read, Requirement};
use dengbao_server::AppState;
use dengbao_store::profile::GradingInput;
use dengbao_store::{EventInput, Network};

use crate::ctx::Ctx;
use crate::guard::{NetPage, Page, PageError, PageResult};
use crate::links::{cites, CiteLink};
use crate::pages::dashboard::{due_date, duty_title, status_key};
use crate::pages::event_corrections::EventRow;
use crate::pages::network_form;
use crate::pages::redirect;
use crate::pages::{render, AtQuery};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/networks", get(list))
        .route(
            "/networks/new",
            get(network_form::new_form).post(network_form::create),
        )
        .route("/networks/{id}", get(detail))
        .route(
            "/networks/{id}/edit",
            get(network_form::edit_form).post(network_form::update),
        )
        .route("/networks/{id}/events", post(add_event))
        .route("/networks/{id}/grading", post(save_grading))
        .merge(crate::pages::event_corrections::routes())
}

/// The profile's choice lists, as (value, catalog key).
pub const STAGES: [&str; 4] = ["planning", "building", "running", "retired"];
pub const CLASSIFIED: [&str; 4] = ["none", "secret", "confidential", "top_secret"];
pub const SERVICES: [&str; 7] = [
    "network_access",
    "domain_registration",
    "telephony",
    "info_publishing",
    "instant_messaging",
    "app_distribution",
    "electronic_messages",
];
pub const NEW_TECH: [&str; 6] = ["cloud", "mobile", "iot", "ics", "big_data", "ai"];
pub const FLAGS: [&str; 6] = [
    "cii",
    "personal_info",
    "important_data",
    "overseas_maintenance",
    "cross_border_data",
    "competent_department",
];
/// An event kind's label: the duties crate's description (data, Chinese) or, in English,
/// the profile key in words.
pub fn event_label(c: &Ctx, kind: &str) -> String {
    let key = format!("event_kind.{kind}");
    match c.t.s(&key) {
        // An event kind the catalog does not know (a newer catalog's data) shows its id.
        label if label == key => kind.replace('_', " "),
        label => label.to_string(),
    }
}

/// A row of the list.
pub struct NetRow {
    pub id: String,
    pub name: String,
    pub org: String,
    pub level: String,
    pub stage: String,
}

fn level_label(c: &Ctx, n: &Network) -> String {
    match n.profile.level {
        Some(l) => c.t.s(&format!("level.{}", l.get())).to_string(),
        None => c.t.s("level.none").to_string(),
    }
}

/// A snake_case enum value as the profile JSON spells it.
pub(crate) fn text_of<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

#[derive(Template)]
#[template(path = "network/list.html")]
struct ListTpl {
    c: Ctx,
    rows: Vec<NetRow>,
}

pub(crate) async fn org_names(
    state: &AppState,
    scope: &dengbao_store::OrgScope,
) -> Result<Vec<(String, String)>, PageError> {
    Ok(state
        .store
        .list_orgs(scope)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}

async fn list(State(state): State<AppState>, page: Page<Read>) -> PageResult {
    let orgs = org_names(&state, &page.scope()).await?;
    let nets = state.store.list_networks(&page.scope(), None).await?;
    let nets = dengbao_server::auth::only_reached(&state, &page.principal, nets).await?;
    let c = page.c;
    let rows = nets
        .iter()
        .map(|n| NetRow {
            id: n.id.clone(),
            name: n.profile.name.clone(),
            org: orgs
                .iter()
                .find(|(id, _)| *id == n.org_id)
                .map(|(_, name)| name.clone())
                .unwrap_or_else(|| n.org_id.clone()),
            level: level_label(&c, n),
            stage: c
                .t
                .s(&format!("stage.{}", text_of(&n.profile.stage)))
                .to_string(),
        })
        .collect();
    render(&ListTpl { c, rows })
}

/// One row of the detail page's deadlines.
pub struct DeadlineRow {
    pub duty_id: String,
    pub duty: String,
    pub due: String,
    /// The deadline lies in a year without a loaded holiday notice.
    pub provisional: bool,
    pub status: &'static str,
    pub status_label: String,
    pub cites: Vec<CiteLink>,
}

#[derive(Template)]
#[template(path = "network/detail.html")]
struct DetailTpl {
    c: Ctx,
    net: Network,
    org: String,
    level: String,
    stage: String,
    classified: String,
    flags: Vec<(String, bool)>,
    services: Vec<String>,
    new_tech: Vec<String>,
    events: Vec<EventRow>,
    deadlines: Vec<DeadlineRow>,
    /// Some deadline is provisional: the page explains the mark.
    provisional: bool,
    today: String,
    today_iso: String,
    kinds: Vec<(&'static str, String)>,
    grading_query: String,
    /// Neither a level nor a grading yet: no duty can be computed, the page says so.
    ungraded: bool,
    /// A level below a floor its nature sets (CII below level 3, 公网安〔2020〕1960号).
    level_warnings: Vec<String>,
}

async fn detail(
    State(state): State<AppState>,
    axum::Extension(logs): axum::Extension<crate::logs::LogCoverage>,
    page: NetPage<Read>,
    Query(q): Query<AtQuery>,
) -> PageResult {
    let (at, today, net) = crate::pages::network_at(&state, &page, &q).await?;
    let c = page.c.clone();
    let org = state.store.get_org(&page.org_id).await?.name;
    let evaluated = crate::pages::evaluate(&state, &logs, &net, at).await?;
    let ungraded = evaluated.is_none();
    let statuses = evaluated.map(|(_, s)| s).unwrap_or_default();
    let mut deadlines: Vec<_> = statuses
        .iter()
        .filter(|s| {
            matches!(
                s.status,
                Status::Due | Status::Overdue | Status::Met | Status::Expected | Status::Chase
            ) && s.due.is_some()
        })
        .map(|s| {
            let d = s.due.as_ref().map(due_date);
            (
                d,
                DeadlineRow {
                    duty_id: s.id().to_string(),
                    duty: duty_title(&c, s),
                    due: d.map(|d| c.t.date(d)).unwrap_or_default(),
                    provisional: s.provisional,
                    status: s.status.id(),
                    status_label: c.t.s(status_key(s.status)).to_string(),
                    cites: cites(s.citations(), c.t),
                },
            )
        })
        .collect();
    deadlines.sort_by_key(|a| a.0);
    let deadlines: Vec<DeadlineRow> = deadlines.into_iter().map(|(_, r)| r).collect();
    let may_change =
        dengbao_server::auth::role_may(page.principal.role, dengbao_server::auth::Need::AddEvent);
    let events = state
        .store
        .list_events(&net.id)
        .await?
        .into_iter()
        .map(|e| {
            let label = event_label(&c, &e.kind);
            EventRow::of(&c, e, may_change, label)
        })
        .collect();
    let p = &net.profile;
    let flags = vec![
        (c.t.s("profile.cii").to_string(), p.cii),
        (c.t.s("profile.personal_info").to_string(), p.personal_info),
        (
            c.t.s("profile.important_data").to_string(),
            p.important_data,
        ),
        (
            c.t.s("profile.overseas_maintenance").to_string(),
            p.overseas_maintenance,
        ),
        (
            c.t.s("profile.cross_border_data").to_string(),
            p.cross_border_data,
        ),
        (
            c.t.s("profile.competent_department").to_string(),
            p.competent_department,
        ),
    ];
    let grading_query = match &p.grading {
        Some(g) => format!(
            "&basis={}&bo={}&bd={}&so={}&sd={}",
            g.basis
                .map(|b| text_of(&b))
                .unwrap_or_else(|| "gbt22240-2020".into()),
            text_of(&g.business.object),
            text_of(&g.business.degree),
            text_of(&g.service.object),
            text_of(&g.service.degree)
        ),
        None => String::new(),
    };
    render(&DetailTpl {
        org,
        level: level_label(&c, &net),
        stage: c.t.s(&format!("stage.{}", text_of(&p.stage))).to_string(),
        classified: c
            .t
            .s(&format!("classified.{}", text_of(&p.classified)))
            .to_string(),
        flags,
        services: p
            .services
            .iter()
            .map(|s| c.t.s(&format!("service.{}", text_of(s))).to_string())
            .collect(),
        new_tech: p
            .new_tech
            .iter()
            .map(|s| c.t.s(&format!("tech.{}", text_of(s))).to_string())
            .collect(),
        events,
        provisional: deadlines.iter().any(|r| r.provisional),
        deadlines,
        today: c.t.date(today),
        today_iso: today.to_string(),
        kinds: dengbao_duties::EVENTS
            .iter()
            .map(|(k, _)| (*k, event_label(&c, k)))
            .collect(),
        grading_query,
        ungraded,
        level_warnings: dengbao_grading::floor_warnings(p.cii, p.level)
            .into_iter()
            .map(|w| w.get(c.lang).to_string())
            .collect(),
        net,
        c,
    })
}

#[derive(serde::Deserialize)]
struct EventForm {
    kind: String,
    at: String,
    #[serde(default)]
    note: String,
}

async fn add_event(
    State(state): State<AppState>,
    page: NetPage<AddEvent>,
    Form(f): Form<EventForm>,
) -> PageResult {
    let event = EventInput {
        kind: f.kind,
        at: f.at,
        note: f.note,
    };
    record_event(&state, &page, event).await
}

/// Records an event on the page's network (a refused one is the form's error), then shows
/// the network.
async fn record_event<R: Requirement>(
    state: &AppState,
    page: &NetPage<R>,
    event: EventInput,
) -> PageResult {
    state
        .store
        .add_event(&page.actor(), &page.network_id, event)
        .await
        .map_err(|e| page.bad(e))?;
    redirect(&format!("/networks/{}", page.network_id))
}

#[derive(serde::Deserialize)]
struct GradingForm {
    basis: String,
    bo: String,
    bd: String,
    so: String,
    sd: String,
    /// The day grading was done: recorded as the `graded` event.
    graded_on: String,
}

/// Saves the wizard's answers and level on the network and records the `graded` event,
/// which starts the filing clock (10 working days).
async fn save_grading(
    State(state): State<AppState>,
    page: NetPage<EditNetwork>,
    Form(f): Form<GradingForm>,
) -> PageResult {
    let input = crate::pages::grading::input_of(&f.basis, &f.bo, &f.bd, &f.so, &f.sd)
        .ok_or_else(|| PageError::bad(&page.c, "grading.incomplete"))?;
    let outcome = dengbao_grading::grade(&input);
    let stored: GradingInput =
        serde_json::from_value(serde_json::to_value(input).map_err(PageError::internal)?)
            .map_err(PageError::internal)?;
    let mut net = state.store.get_network(&page.network_id).await?;
    net.profile.grading = Some(stored);
    net.profile.level = Some(outcome.level);
    // One transaction: a refused date (2026-02-30) leaves the level as it was.
    state
        .store
        .grade_network(
            &page.actor(),
            &net.id,
            net.profile,
            &f.graded_on,
            &format!("{} / {}", outcome.basis, outcome.level.get()),
        )
        .await
        .map_err(|e| page.bad(e))?;
    redirect(&format!("/networks/{}", page.network_id))
}
