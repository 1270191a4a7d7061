//! The incidents of the networks a public security organ supervises (`/supervisor/incidents`,
//! issue 10): read only — grade, detection time, state and how many of the operator's reports
//! are late — newest first, each linking to the incident's page. Scoped like every other
//! list: the organ's operators, and of them the networks it reaches (decision 0939).

use askama::Template;
use axum::extract::State;
use axum::routing::get;
use axum::Router;
use dengbao_server::auth::Oversee;
use dengbao_server::incident_view::IncidentView;
use dengbao_server::AppState;

use crate::ctx::Ctx;
use crate::guard::{Page, PageResult};
use crate::pages::incidents::grade_name;
use crate::pages::render;

pub fn routes() -> Router<AppState> {
    Router::new().route("/supervisor/incidents", get(list))
}

pub struct Row {
    pub network_id: String,
    pub network: String,
    pub id: String,
    pub title: String,
    pub detected: String,
    pub grade: String,
    pub state: String,
    pub overdue: usize,
}

#[derive(Template)]
#[template(path = "supervisor/incidents.html")]
struct IncidentsTpl {
    c: Ctx,
    rows: Vec<Row>,
}

async fn list(State(state): State<AppState>, page: Page<Oversee>) -> PageResult {
    let c = page.c.clone();
    let scope = page.scope();
    let reached = dengbao_server::auth::reached_set(&state, &page.principal).await?;
    let now = jiff::Timestamp::now();
    let mut records: Vec<_> = state
        .store
        .list_incidents(None)
        .await?
        .into_iter()
        .filter(|r| scope.allows(&r.org_id))
        .filter(|r| reached.as_ref().is_none_or(|s| s.contains(&r.network_id)))
        .collect();
    records.sort_by(|a, b| b.detected_at.cmp(&a.detected_at));
    let mut rows = Vec::new();
    for rec in records {
        let v = IncidentView::new(rec, now)?;
        rows.push(Row {
            overdue: v
                .reports
                .iter()
                .filter(|r| r.state == dengbao_incidents::ClockState::Overdue)
                .count(),
            network_id: v.incident.network_id.clone(),
            network: v.incident.network_name.clone(),
            id: v.incident.id.clone(),
            detected: c.t.when(&v.incident.detected_at),
            grade: grade_name(v.incident.grade, c.lang),
            state: c
                .t
                .s(&format!("incident.state.{}", v.incident.state))
                .to_string(),
            title: v.incident.title,
        });
    }
    render(&IncidentsTpl { c, rows })
}
