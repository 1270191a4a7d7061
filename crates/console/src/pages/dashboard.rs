//! The dashboard: networks by level, duties due in the next 30/90 days, overdue duties and
//! the penalty exposure, over every network the user sees, evaluated by dengbao-duties.

use askama::Template;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::Router;
use dengbao_duties::{Due, DutyStatus, Status};
use dengbao_server::auth::Read;
use dengbao_server::AppState;
use jiff::civil::Date;
use jiff::ToSpan;

use crate::ctx::Ctx;
use crate::guard::{Page, PageResult};
use crate::pages::{at_of, render, AtQuery};
use crate::svg::{bar_chart, Bar};

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(dashboard))
}

/// One deadline row.
pub struct DeadlineRow {
    pub network_id: String,
    pub network: String,
    pub duty_id: String,
    pub duty: String,
    pub due: String,
    /// The deadline lies in a year without a loaded holiday notice.
    pub provisional: bool,
    pub status: &'static str,
    pub status_label: String,
}

/// One network's log retention, from the log centre's latest coverage.
pub struct LogRow {
    pub network_id: String,
    pub network: String,
    pub events: u64,
    pub earliest: String,
    pub covers_floor: bool,
    pub days_without_events: usize,
    pub integrity_ok: bool,
}

/// One network's penalty exposure for its overdue duties (a range per network: fines of
/// different networks are separate cases and are not added up).
pub struct ExposureRow {
    pub network_id: String,
    pub network: String,
    pub overdue: usize,
    pub fine: String,
    max: u64,
}

/// Rows per page of each deadline table.
const PER_PAGE: usize = 50;

/// One page of a deadline table and the links to its neighbours.
pub struct Pager {
    pub page: usize,
    pub pages: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
}

/// The dashboard's query: the evaluation date and the page of each table.
#[derive(Debug, Default, serde::Deserialize)]
pub struct DashQuery {
    pub at: Option<String>,
    pub lang: Option<String>,
    /// Page of the overdue table (1-based).
    pub op: Option<usize>,
    /// Page of the due-soon table (1-based).
    pub dp: Option<usize>,
}

/// `rows` cut to page `asked` (1-based, clamped), with links that keep the other query
/// parameters (`other` renders the query for a given page of this table).
fn paginate<T>(
    rows: Vec<T>,
    asked: Option<usize>,
    other: impl Fn(usize) -> String,
) -> (Vec<T>, Pager) {
    let total = rows.len();
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = asked.unwrap_or(1).clamp(1, pages);
    let shown = rows
        .into_iter()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .collect();
    (
        shown,
        Pager {
            page,
            pages,
            total,
            prev: (page > 1).then(|| other(page - 1)),
            next: (page < pages).then(|| other(page + 1)),
        },
    )
}

/// The last `logs verify` recorded in the database (decision 0926), as each network's row
/// shows it: the store has one checkpoint chain, so every network's row names the same.
pub struct VerifiedHead {
    /// The newest checkpoint the chain held (`None`: none at all, e.g. a wiped store).
    pub seq: Option<u64>,
    pub at: String,
    pub ok: bool,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardTpl {
    verified: Option<VerifiedHead>,
    /// When the log centre's coverage was computed; `None`: no log store, or not yet.
    logs_at: Option<String>,
    logs: Vec<LogRow>,
    logs_scale_out: bool,
    c: Ctx,
    today: String,
    networks: usize,
    due30: usize,
    due90: usize,
    overdue: usize,
    /// Networks with a fine exposure for overdue duties.
    exposed: usize,
    exposures: Vec<ExposureRow>,
    level_chart: String,
    status_chart: String,
    /// Overdue duties, longest overdue first.
    overdue_rows: Vec<DeadlineRow>,
    overdue_pager: Pager,
    /// Duties due within 90 days, soonest first.
    due_rows: Vec<DeadlineRow>,
    due_pager: Pager,
    /// Some row's deadline is provisional: the page explains the mark.
    provisional: bool,
}

/// The day a due falls on (Asia/Shanghai).
pub fn due_date(d: &Due) -> Date {
    match d {
        Due::Date(d) => *d,
        Due::Time(t) => dengbao_calendar::in_shanghai(*t).date(),
    }
}

/// A duty's title in the page's language.
pub fn duty_title(c: &Ctx, s: &DutyStatus) -> String {
    if c.lang.is_en() && !s.duty.title_en.is_empty() {
        s.duty.title_en.clone()
    } else {
        s.duty.title.clone()
    }
}

/// The catalog key of a duty status.
pub fn status_key(s: Status) -> &'static str {
    match s {
        Status::Met => "status.met",
        Status::Due => "status.due",
        Status::Overdue => "status.overdue",
        Status::NotApplicable => "status.not_applicable",
        Status::Unknown => "status.unknown",
        Status::Complied => "status.complied",
        Status::Breached => "status.breached",
        Status::Expected => "status.expected",
        Status::Chase => "status.chase",
    }
}

async fn dashboard(
    State(state): State<AppState>,
    axum::Extension(logs): axum::Extension<crate::logs::LogCoverage>,
    page: Page<Read>,
    Query(dq): Query<DashQuery>,
) -> PageResult {
    let c = page.c.clone();
    let q = AtQuery {
        at: dq.at.clone(),
        lang: dq.lang.clone(),
    };
    let (at, today) = at_of(&c, &q)?;
    let in30 = today.checked_add(30.days()).unwrap_or(today);
    let in90 = today.checked_add(90.days()).unwrap_or(today);
    let scope = page.scope();
    let networks = state.store.list_networks(&scope, None).await?;
    let networks = dengbao_server::auth::only_reached(&state, &page.principal, networks).await?;
    // One query per table for every network shown, not three per network.
    let mut events = state.store.events_in_scope(&scope).await?;
    let evidence = state.store.evidence_in_scope(&scope).await?;
    let snapshot = logs.snapshot();
    let calendar = state.calendar.get();
    let mut engine = dengbao_duties::Engine::new(&state.catalog, &calendar);
    // The dashboard shows statuses and dates, never the reasons: skip writing them.
    engine.explain = false;
    let mut by_level = [0u64; 6];
    let (mut due30, mut due90, mut overdue) = (0, 0, 0);
    let mut exposures = Vec::new();
    let mut rows = Vec::new();
    for n in &networks {
        if n.profile.level.is_none() && n.profile.grading.is_none() {
            // Ungraded: counted under 未定级, no duties to compute yet.
            by_level[0] += 1;
            continue;
        }
        let profile_events =
            dengbao_store::events::profile_events_of(events.remove(&n.id).unwrap_or_default());
        let profile = dengbao_server::routes::duties::profile_from(
            &state,
            n,
            &profile_events,
            evidence.get(&n.id).map(Vec::as_slice).unwrap_or_default(),
        )?;
        // The level the engine works with: set, or graded from the grading answers.
        if let Some(slot) = by_level.get_mut(profile.level.get() as usize) {
            *slot += 1;
        }
        let log_retention = snapshot
            .as_ref()
            .and_then(|s| s.networks.iter().find(|r| r.network == n.id).cloned());
        let statuses = crate::pages::evaluate_profile(&mut engine, log_retention, &profile, at);
        let e = dengbao_duties::exposure(&profile, &state.catalog, &statuses);
        if e.org_fine_total[1] > 0 {
            exposures.push(ExposureRow {
                network_id: n.id.clone(),
                network: n.profile.name.clone(),
                overdue: statuses
                    .iter()
                    .filter(|s| s.status == Status::Overdue)
                    .count(),
                fine: c.t.range(e.org_fine_total),
                max: e.org_fine_total[1],
            });
        }
        for s in &statuses {
            let when = s.due.as_ref().map(due_date);
            let row = match (s.status, when) {
                (Status::Overdue, _) => {
                    overdue += 1;
                    true
                }
                (Status::Due, Some(d)) if d <= in90 => {
                    due90 += 1;
                    if d <= in30 {
                        due30 += 1;
                    }
                    true
                }
                _ => false,
            };
            if row {
                rows.push((
                    when,
                    DeadlineRow {
                        network_id: n.id.clone(),
                        network: n.profile.name.clone(),
                        duty_id: s.id().to_string(),
                        duty: duty_title(&c, s),
                        // A row without a date says why (issue: every row has its date or
                        // the reason it has none).
                        due: match when {
                            Some(d) => c.t.date(d),
                            None if s.duty.clock.is_none() => {
                                c.t.s("dashboard.no_date_standing").to_string()
                            }
                            None => c.t.s("dashboard.no_date_stage").to_string(),
                        },
                        provisional: s.provisional,
                        status: s.status.id(),
                        status_label: c.t.s(status_key(s.status)).to_string(),
                    },
                ));
            }
        }
    }
    // Overdue: longest overdue first (undated ones, overdue by stage, after the dated);
    // due soon: soonest first. Each table pages on its own.
    let (overdue_all, due_all): (Vec<_>, Vec<_>) =
        rows.into_iter().partition(|(_, r)| r.status == "overdue");
    let sorted = |mut v: Vec<(Option<Date>, DeadlineRow)>| {
        v.sort_by(|a, b| {
            (a.0.is_none(), a.0)
                .cmp(&(b.0.is_none(), b.0))
                .then_with(|| a.1.network.cmp(&b.1.network))
        });
        v.into_iter().map(|(_, r)| r).collect::<Vec<_>>()
    };
    let query = |op: usize, dp: usize| {
        let mut parts = vec![format!("op={op}"), format!("dp={dp}")];
        if let Some(a) = dq.at.as_deref().filter(|a| !a.is_empty()) {
            parts.push(format!("at={a}"));
        }
        format!("/?{}", parts.join("&"))
    };
    let (op, dp) = (dq.op.unwrap_or(1), dq.dp.unwrap_or(1));
    let (overdue_rows, overdue_pager) = paginate(sorted(overdue_all), dq.op, |p| query(p, dp));
    let (due_rows, due_pager) = paginate(sorted(due_all), dq.dp, |p| query(op, p));
    exposures.sort_by(|a, b| b.max.cmp(&a.max).then_with(|| a.network.cmp(&b.network)));
    // Only the networks this user sees, matched by id (crate::logs explains why).
    let log_rows: Vec<LogRow> = snapshot
        .iter()
        .flat_map(|snap| {
            networks.iter().filter_map(move |n| {
                let r = snap.networks.iter().find(|r| r.network == n.id)?;
                Some(LogRow {
                    network_id: n.id.clone(),
                    network: n.profile.name.clone(),
                    events: r.events,
                    earliest: r.earliest_retained.map(|d| c.t.date(d)).unwrap_or_default(),
                    covers_floor: r.covers_floor,
                    days_without_events: r.days_without_events.len(),
                    integrity_ok: r.integrity_ok,
                })
            })
        })
        .collect();
    let logs_at = snapshot.map(|s| c.t.when(&s.generated_at));
    let verified = state
        .store
        .last_log_verification()
        .await?
        .map(|v| VerifiedHead {
            seq: v.head_seq,
            at: c.t.when(&v.verified_at),
            ok: v.ok,
        });
    let mut level_bars: Vec<Bar> = (1..=5)
        .map(|l| Bar {
            label: c.t.s(&format!("level.{l}")).to_string(),
            value: by_level[l],
            class: "bar-level",
        })
        .collect();
    level_bars.push(Bar {
        label: c.t.s("level.none").to_string(),
        value: by_level[0],
        class: "bar-none",
    });
    let status_bars = vec![
        Bar {
            label: c.t.s("dashboard.overdue").to_string(),
            value: overdue as u64,
            class: "bar-overdue",
        },
        Bar {
            label: c.t.s("dashboard.due30").to_string(),
            value: due30 as u64,
            class: "bar-due",
        },
        Bar {
            label: c.t.s("dashboard.due90").to_string(),
            value: due90 as u64,
            class: "bar-due",
        },
    ];
    render(&DashboardTpl {
        verified,
        logs_at,
        logs: log_rows,
        logs_scale_out: logs.is_scale_out(),
        today: c.t.date(today),
        networks: networks.len(),
        due30,
        due90,
        overdue,
        exposed: exposures.len(),
        exposures,
        level_chart: bar_chart("chart-levels", c.t.s("dashboard.by_level"), &level_bars),
        status_chart: bar_chart(
            "chart-deadlines",
            c.t.s("dashboard.deadlines"),
            &status_bars,
        ),
        provisional: overdue_rows.iter().chain(&due_rows).any(|r| r.provisional),
        overdue_rows,
        overdue_pager,
        due_rows,
        due_pager,
        c,
    })
}
