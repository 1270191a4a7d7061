//! The supervisor's views (公安机关): filings received with their 10-working-day review
//! deadline (条例 第十九条), the review with certificate or rejection, level 3+ networks due
//! for their yearly inspection (第五十条), rectification orders with deadlines (第五十一条),
//! and statistics by level, industry and assessment conclusion. Over the store and the same rules as the API
//! (docs/decisions/0810–0813).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::Router;

use crate::form::Form;
use dengbao_calendar::Calendar;
use dengbao_server::auth::{Oversee, Requirement, Supervise};
use dengbao_server::AppState;
use dengbao_store::filings::Filing;
use dengbao_store::filings::{Decision, FilingDecision, FilingState};
use dengbao_store::inspections::{InspectionInput, OrderState, OrderStep};
use dengbao_store::Role;
use serde::Deserialize;

use crate::ctx::Ctx;
use crate::guard::{NetPage, Page, PageError, PageResult};
use crate::pages::{at_of, render, AtQuery};
use crate::pages::{enum_label, redirect};
use crate::svg::{bar_chart, Bar};

mod incidents;
mod operator;
mod statistics;
mod submitted;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/supervisor", get(overview))
        .route("/supervisor/networks/{id}", get(review))
        .route("/supervisor/networks/{id}/decision", post(decide))
        .route("/supervisor/networks/{id}/inspections", post(inspect))
        .route("/supervisor/networks/{id}/rectifications", post(issue))
        .route(
            "/supervisor/networks/{id}/rectifications/close",
            post(close),
        )
        .merge(operator::routes())
        .merge(incidents::routes())
}

/// The catalog key of a level (`level.3`, `level.none`).
pub fn level_key(level: Option<u8>) -> String {
    match level {
        Some(l @ 1..=5) => format!("level.{l}"),
        _ => "level.none".into(),
    }
}

/// A filing as a row of the supervisor's tables; `org` is its organisation's name.
fn filing_row(c: &Ctx, cal: &Calendar, today_s: &str, org: String, f: Filing) -> FilingRow {
    FilingRow {
        provisional: provisional(cal, &f.review_due),
        org,
        level: c.t.s(&level_key(Some(f.level))).to_string(),
        received: c.t.when(&f.submitted_on),
        due: c.t.when(&f.review_due),
        st: deadline_class(&f.review_due, today_s, f.state != FilingState::Submitted),
        state: enum_label(c.t, "supervisor.state", f.state),
        certificate: f.certificate_no.unwrap_or_default(),
        reasons: f.reasons,
        network: f.network_name,
        network_id: f.network_id,
    }
}

/// Whether a stored deadline lies in a year the calendar only estimates (no State Council
/// notice loaded yet): the pages mark it 暂定 with the note.
pub fn provisional(cal: &Calendar, date: &str) -> bool {
    date.parse().is_ok_and(|d| cal.is_provisional(d))
}

/// A badge class for a deadline still running at `today`.
fn deadline_class(due: &str, today: &str, done: bool) -> &'static str {
    if done {
        "st-met"
    } else if due < today {
        "st-overdue"
    } else {
        "st-due"
    }
}

pub struct FilingRow {
    pub network_id: String,
    pub network: String,
    pub org: String,
    pub level: String,
    pub received: String,
    pub due: String,
    pub provisional: bool,
    pub st: &'static str,
    pub state: String,
    pub certificate: String,
    pub reasons: String,
}

pub struct InspectionRow {
    pub network_id: String,
    pub network: String,
    pub org: String,
    pub level: String,
    pub last: String,
    pub due: String,
    pub st: &'static str,
    pub status: String,
}

pub struct OrderRow {
    pub id: String,
    pub network_id: String,
    pub network: String,
    pub findings: Vec<String>,
    pub issued: String,
    pub due: String,
    pub provisional: bool,
    pub st: &'static str,
    pub state: String,
    pub reported: bool,
    pub report: String,
    pub late: bool,
}

#[derive(Template)]
#[template(path = "supervisor/overview.html")]
struct OverviewTpl {
    c: Ctx,
    today: String,
    filings: Vec<FilingRow>,
    inspections: Vec<InspectionRow>,
    orders: Vec<OrderRow>,
    networks: u64,
    under_review: u64,
    level_chart: String,
    industry_chart: String,
    conclusion_chart: String,
    conclusion_heads: Vec<String>,
    conclusions_by_level: Vec<statistics::ConclusionRow>,
    conclusions_by_industry: Vec<statistics::ConclusionRow>,
}

async fn names(
    state: &AppState,
    scope: &dengbao_store::OrgScope,
) -> Result<(BTreeMap<String, String>, BTreeMap<String, String>), PageError> {
    let orgs = state.store.list_orgs(scope).await?;
    let nets = state.store.list_networks(scope, None).await?;
    Ok((
        orgs.into_iter().map(|o| (o.id, o.name)).collect(),
        nets.into_iter().map(|n| (n.id, n.profile.name)).collect(),
    ))
}

fn order_rows(
    c: &Ctx,
    cal: &Calendar,
    today: &str,
    orders: Vec<dengbao_store::inspections::RectificationOrder>,
    nets: &BTreeMap<String, String>,
) -> Vec<OrderRow> {
    orders
        .into_iter()
        .map(|o| OrderRow {
            network: nets.get(&o.network_id).cloned().unwrap_or_default(),
            st: deadline_class(&o.due, today, o.state != OrderState::Open),
            state: enum_label(c.t, "supervisor.order", o.state),
            issued: c.t.when(&o.issued_on),
            due: c.t.when(&o.due),
            provisional: provisional(cal, &o.due),
            reported: o.state == OrderState::Reported,
            late: o.reported_late,
            report: o.report,
            findings: o.findings,
            network_id: o.network_id,
            id: o.id,
        })
        .collect()
}

async fn overview(
    State(state): State<AppState>,
    page: Page<Oversee>,
    Query(q): Query<AtQuery>,
) -> PageResult {
    let c = page.c.clone();
    let (_, today) = at_of(&c, &q)?;
    let today_s = today.to_string();
    let cal = state.calendar.get();
    let scope = page.scope();
    let (orgs, nets) = names(&state, &scope).await?;
    let me = (page.principal.role == Role::Supervisor).then_some(page.principal.user_id.as_str());
    let filings = state
        .store
        .filings_received(&scope, me, None)
        .await?
        .into_iter()
        .map(|f| {
            let org = orgs.get(&f.org_id).cloned().unwrap_or_default();
            filing_row(&c, &cal, &today_s, org, f)
        })
        .collect();
    let reached = dengbao_server::auth::reached_set(&state, &page.principal).await?;
    let reaches = |id: &str| reached.as_ref().is_none_or(|r| r.contains(id));
    let inspections = state
        .store
        .inspections_due(&scope, today)
        .await?
        .into_iter()
        .filter(|i| reaches(&i.network_id))
        .map(|i| InspectionRow {
            org: orgs.get(&i.org_id).cloned().unwrap_or_default(),
            level: c.t.s(&level_key(Some(i.level))).to_string(),
            last: i
                .last_inspected
                .as_deref()
                .map(|d| c.t.when(d))
                .unwrap_or_else(|| c.t.s("supervisor.never").to_string()),
            due: c.t.when(&i.due),
            st: match i.status.as_str() {
                "overdue" => "st-overdue",
                "due" => "st-due",
                _ => "st-met",
            },
            status: c
                .t
                .s(&format!("supervisor.inspection.{}", i.status))
                .to_string(),
            network: i.network_name,
            network_id: i.network_id,
        })
        .collect();
    let orders = order_rows(
        &c,
        &cal,
        &today_s,
        state
            .store
            .open_orders(&scope)
            .await?
            .into_iter()
            .filter(|o| reaches(&o.network_id))
            .collect(),
        &nets,
    );
    let stats = state.store.statistics(&scope, reached.as_ref()).await?;
    let level_bars: Vec<Bar> = ["1", "2", "3", "4", "5", "ungraded"]
        .iter()
        .map(|l| Bar {
            label: c
                .t
                .s(&if *l == "ungraded" {
                    "level.none".to_string()
                } else {
                    format!("level.{l}")
                })
                .to_string(),
            value: stats.by_level.get(*l).copied().unwrap_or(0),
            class: if *l == "ungraded" {
                "bar-none"
            } else {
                "bar-level"
            },
        })
        .collect();
    let industry_bars: Vec<Bar> = stats
        .by_industry
        .iter()
        .map(|i| Bar {
            label: if i.industry == "未填写" {
                c.t.s("supervisor.no_industry").to_string()
            } else {
                i.industry.clone()
            },
            value: i.networks,
            class: "bar-level",
        })
        .collect();
    let (conclusions_by_level, conclusions_by_industry) = statistics::rows(&c, &stats);
    render(&OverviewTpl {
        conclusion_chart: statistics::chart(&c, &stats),
        conclusion_heads: statistics::headings(&c),
        conclusions_by_level,
        conclusions_by_industry,
        level_chart: bar_chart("chart-level", c.t.s("supervisor.by_level"), &level_bars),
        industry_chart: bar_chart(
            "chart-industry",
            c.t.s("supervisor.by_industry"),
            &industry_bars,
        ),
        today: c.t.date(today),
        networks: stats.networks,
        under_review: stats.filings_under_review,
        filings,
        inspections,
        orders,
        c,
    })
}

#[derive(Template)]
#[template(path = "supervisor/review.html")]
struct ReviewTpl {
    c: Ctx,
    network_id: String,
    network: String,
    org: String,
    level: String,
    today: String,
    filings: Vec<FilingRow>,
    pending: bool,
    orders: Vec<OrderRow>,
    submitted: submitted::Submitted,
}

async fn review(
    State(state): State<AppState>,
    page: NetPage<Supervise>,
    Query(q): Query<AtQuery>,
) -> PageResult {
    let c = page.c.clone();
    let (_, today) = at_of(&c, &q)?;
    let today_s = today.to_string();
    let cal = state.calendar.get();
    let net = state.store.get_network(&page.network_id).await?;
    let org = state.store.get_org(&page.org_id).await?;
    let list = state.store.list_filings(&page.network_id).await?;
    let pending = list
        .first()
        .is_some_and(|f| f.state == FilingState::Submitted);
    let submitted = submitted::submitted(&state, &c, &page.network_id, list.first()).await?;
    let filings = list
        .into_iter()
        .map(|f| filing_row(&c, &cal, &today_s, org.name.clone(), f))
        .collect();
    let nets = BTreeMap::from([(net.id.clone(), net.profile.name.clone())]);
    let orders = order_rows(
        &c,
        &cal,
        &today_s,
        state.store.list_orders(&page.network_id).await?,
        &nets,
    );
    render(&ReviewTpl {
        network_id: net.id.clone(),
        network: net.profile.name.clone(),
        org: org.name,
        level: c
            .t
            .s(&level_key(net.profile.level.map(|l| l.get())))
            .to_string(),
        today: today_s,
        filings,
        pending,
        orders,
        submitted,
        c,
    })
}

fn back(id: &str) -> PageResult {
    redirect(&format!("/supervisor/networks/{id}"))
}

#[derive(Deserialize)]
struct DecisionForm {
    decision: String,
    on: String,
    #[serde(default)]
    certificate_no: String,
    #[serde(default)]
    reasons: String,
}

async fn decide(
    State(state): State<AppState>,
    page: NetPage<Supervise>,
    Form(f): Form<DecisionForm>,
) -> PageResult {
    if page.principal.role == Role::Supervisor {
        if let Some(cur) = state.store.current_filing(&page.network_id).await? {
            if cur.supervisor_id != page.principal.user_id {
                return Err(PageError::bad(&page.c, page.c.t.s("supervisor.not_yours")));
            }
        }
    }
    let decision = match f.decision.as_str() {
        "certify" => Decision::Certify,
        "reject" => Decision::Reject,
        _ => {
            return Err(PageError::bad(
                &page.c,
                page.c.t.s("supervisor.pick_decision"),
            ))
        }
    };
    let d = FilingDecision {
        decision,
        on: f.on,
        certificate_no: Some(f.certificate_no),
        reasons: Some(f.reasons),
    };
    state
        .store
        .decide_filing(&page.actor(), &page.network_id, d)
        .await
        .map_err(|e| page.bad(e))?;
    back(&page.network_id)
}

async fn inspect(
    State(state): State<AppState>,
    page: NetPage<Supervise>,
    Form(f): Form<InspectionFormIn>,
) -> PageResult {
    state
        .store
        .record_inspection(
            &page.actor(),
            &page.network_id,
            InspectionInput {
                inspected_on: f.inspected_on,
                note: f.note,
            },
        )
        .await
        .map_err(|e| page.bad(e))?;
    back(&page.network_id)
}

#[derive(Deserialize)]
struct InspectionFormIn {
    inspected_on: String,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
struct IssueForm {
    findings: String,
    issued_on: String,
    #[serde(default)]
    working_days: String,
    #[serde(default)]
    due: String,
}

async fn issue(
    State(state): State<AppState>,
    page: NetPage<Supervise>,
    Form(f): Form<IssueForm>,
) -> PageResult {
    let bad = |m: String| PageError::bad(&page.c, m);
    let issued = dengbao_store::filings::validate_date("issued_on", &f.issued_on)
        .map_err(|e| bad(e.to_string()))?;
    let mut working_days = None;
    let due = if !f.due.trim().is_empty() {
        dengbao_store::filings::validate_date("due", &f.due).map_err(|e| bad(e.to_string()))?
    } else {
        let n: u32 = f
            .working_days
            .trim()
            .parse()
            .map_err(|_| bad(page.c.t.s("supervisor.need_deadline").to_string()))?;
        working_days = Some(n);
        dengbao_server::routes::filings::workdays_after(&state, "working_days", issued, n)
            .map_err(|e| bad(e.message))?
    };
    let findings = f.findings.lines().map(str::to_string).collect();
    state
        .store
        .issue_order(
            &page.actor(),
            &page.network_id,
            findings,
            issued,
            due,
            working_days,
        )
        .await
        .map_err(|e| bad(e.to_string()))?;
    back(&page.network_id)
}

async fn close(
    State(state): State<AppState>,
    page: NetPage<Supervise>,
    Form(f): Form<OrderStepForm>,
) -> PageResult {
    advance_order(&state, &page, f, OrderState::Closed).await?;
    back(&page.network_id)
}

/// A step on a rectification order: the operator reports, the supervisor closes.
#[derive(Deserialize)]
struct OrderStepForm {
    order_id: String,
    on: String,
    #[serde(default)]
    text: String,
}

/// Moves an order of the page's network to `to`; a refused step is the form's error.
async fn advance_order<R: Requirement>(
    state: &AppState,
    page: &NetPage<R>,
    f: OrderStepForm,
    to: OrderState,
) -> Result<(), PageError> {
    state
        .store
        .advance_order(
            &page.actor(),
            &page.network_id,
            OrderStep {
                order_id: f.order_id,
                on: f.on,
                text: f.text,
            },
            to,
        )
        .await
        .map_err(|e| page.bad(e))?;
    Ok(())
}
