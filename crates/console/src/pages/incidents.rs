//! A network's incident register (decision 0506): the list with an open-incident form, and
//! one incident's page — its grade with the reasons, every report owed with recipient,
//! deadline, citations and where its clock stands now (met, late, due with the hours left,
//! overdue; server-rendered, so correct without JavaScript), the forms that record a send,
//! grade (confirm, override, end of handling) and close, and the reports as DOCX.
//! Opening places the logs' legal hold like the API and the CLI.

use askama::Template;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::Router;

use crate::form::Form;
use dengbao_incidents::{Grade, ReportClock};
use dengbao_server::auth::{role_may, HandleIncident, Need, Read};
use dengbao_server::incident_view::{self, IncidentView};
use dengbao_server::AppState;
use dengbao_store::incidents::IncidentFacts;
use dengbao_store::{
    CloseIncident, GradeIncident, IncidentRecord, OpenIncident, SendReport, StoreError,
};
use dengbao_types::{Lang, Text};

use crate::ctx::Ctx;
use crate::guard::{NetPage, PageError, PageResult};
use crate::pages::{redirect, render};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/networks/{id}/incidents", get(list).post(open))
        .route("/networks/{id}/incidents/{incident_id}", get(detail))
        .route("/networks/{id}/incidents/{incident_id}/reports", post(send))
        .route("/networks/{id}/incidents/{incident_id}/grade", post(grade))
        .route("/networks/{id}/incidents/{incident_id}/close", post(close))
        .route(
            "/networks/{id}/incidents/{incident_id}/release-hold",
            post(release_hold),
        )
        .route(
            "/networks/{id}/incidents/{incident_id}/logs",
            post(link_logs),
        )
}

/// A refused form in the user's language, the field named by its label.
fn refused(c: &Ctx, e: StoreError) -> PageError {
    match e {
        StoreError::Invalid { field, message } => {
            let label = c.t.s(&format!("incident.field.{field}")).to_string();
            let sep = if c.lang.is_en() { ": " } else { "：" };
            PageError::bad(
                c,
                format!("{label}{sep}{}", Text::from_joined(&message).get(c.lang)),
            )
        }
        other => other.into(),
    }
}

pub(crate) fn grade_name(g: Grade, lang: Lang) -> String {
    match incident_view::rules() {
        Ok(r) if lang.is_en() => r.grade_en(g).to_string(),
        Ok(r) => r.grade_zh(g).to_string(),
        Err(_) => g.id().to_string(),
    }
}

/// One row of the list.
struct ListRow {
    id: String,
    title: String,
    detected: String,
    grade: String,
    state: String,
    /// How many of the operator's reports are not yet sent and have passed their time.
    overdue: usize,
}

struct Choice {
    id: String,
    label: String,
}

#[derive(Template)]
#[template(path = "network/incidents.html")]
struct ListTpl {
    c: Ctx,
    network_id: String,
    network: String,
    rows: Vec<ListRow>,
    may_handle: bool,
    categories: Vec<Choice>,
    me: String,
}

async fn list(State(state): State<AppState>, page: NetPage<Read>) -> PageResult {
    let c = page.c.clone();
    let net = state.store.get_network(&page.network_id).await?;
    let now = jiff::Timestamp::now();
    let mut rows = Vec::new();
    for rec in state.store.list_incidents(Some(&net.id)).await? {
        let v = IncidentView::new(rec, now)?;
        rows.push(ListRow {
            overdue: v
                .reports
                .iter()
                .filter(|r| r.state == dengbao_incidents::ClockState::Overdue)
                .count(),
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
    let rules = incident_view::rules()?;
    render(&ListTpl {
        network_id: net.id.clone(),
        network: net.profile.name.clone(),
        rows,
        may_handle: role_may(page.principal.role, Need::HandleIncident),
        categories: rules
            .categories
            .iter()
            .map(|k| Choice {
                id: k.id.clone(),
                label: c.lang.pick(&k.zh, &k.en).to_string(),
            })
            .collect(),
        me: page.principal.name.clone(),
        c,
    })
}

/// A report owed as the page shows it.
struct ReportRow {
    id: String,
    name: String,
    recipient: String,
    due: String,
    citations: String,
    note: String,
    /// met, late, due, overdue, untimed, authority (the badge's class).
    state: &'static str,
    state_label: String,
    own: bool,
}

#[derive(Template)]
#[template(path = "network/incident.html")]
struct DetailTpl {
    c: Ctx,
    network_id: String,
    network: String,
    i: IncidentRecord,
    category: String,
    grade: String,
    grade_status: String,
    state_label: String,
    reasons: Vec<String>,
    facts: Vec<(String, String)>,
    reports: Vec<ReportRow>,
    sends: Vec<(String, String, String, String)>,
    at: String,
    may_handle: bool,
    open: bool,
    grades: Vec<Choice>,
    me: String,
    docs: Vec<Choice>,
    /// The log centre's searches and exports linked to the incident.
    logs: Vec<dengbao_store::incident_logs::LogLink>,
}

fn report_row(c: &Ctx, r: &ReportClock) -> Result<ReportRow, StoreError> {
    let lang = c.lang;
    Ok(ReportRow {
        id: r.report.id.clone(),
        name: incident_view::kind_text(&r.report.kind, lang).to_string(),
        recipient: lang
            .pick(&r.report.recipient_zh, &r.report.recipient_en)
            .to_string(),
        due: match r.report.due {
            Some(t) => c.t.when(&dengbao_duties::rfc3339_shanghai(t)),
            None => incident_view::due_text(r, lang),
        },
        citations: incident_view::citations_text(r, lang)?,
        note: lang.pick(&r.report.note_zh, &r.report.note_en).to_string(),
        state: r.state.id(),
        state_label: incident_view::state_text(r, lang),
        own: r.report.party == "operator",
    })
}

async fn detail(
    State(state): State<AppState>,
    page: NetPage<Read>,
    Path((_, incident_id)): Path<(String, String)>,
) -> PageResult {
    let c = page.c.clone();
    let rec = incident_of(&state, &page, &incident_id).await?;
    let net = state.store.get_network(&page.network_id).await?;
    let now = jiff::Timestamp::now();
    let rules = incident_view::rules()?;
    let clocks = rec.clocks(rules)?;
    let v = IncidentView::new(rec, now)?;
    let reports = v
        .reports
        .iter()
        .map(|r| report_row(&c, r))
        .collect::<Result<Vec<_>, _>>()?;
    let i = v.incident;
    let f = &i.facts;
    let mut facts = Vec::new();
    for (key, value, shown) in [
        (
            "personal_info_records",
            f.personal_info_records.to_string(),
            f.personal_info_records > 0,
        ),
        (
            "direct_loss_yuan",
            f.direct_loss_yuan.to_string(),
            f.direct_loss_yuan > 0,
        ),
        (
            "service_interruption_hours",
            f.service_interruption_hours.to_string(),
            f.service_interruption_hours > 0.0,
        ),
    ] {
        if shown {
            facts.push((c.t.s(&format!("incident.field.{key}")).to_string(), value));
        }
    }
    let grade_status = match i.grade_status.as_str() {
        "overridden" => c.t.f("incident.grade_overridden", &i.grade_reason),
        s => c.t.s(&format!("incident.grade_{s}")).to_string(),
    };
    let logs = state.store.log_links(&incident_id).await?;
    render(&DetailTpl {
        logs,
        network_id: net.id.clone(),
        network: net.profile.name.clone(),
        category: rules
            .category(&i.category)
            .map(|k| c.lang.pick(&k.zh, &k.en).to_string())
            .unwrap_or_else(|| i.category.clone()),
        grade: grade_name(i.grade, c.lang),
        grade_status,
        state_label: c.t.s(&format!("incident.state.{}", i.state)).to_string(),
        reasons: clocks
            .grade_reasons
            .iter()
            .map(|r| c.lang.pick(&r.zh, &r.en).to_string())
            .collect(),
        facts,
        sends: i
            .sends
            .iter()
            .map(|s| {
                (
                    c.t.when(&s.sent_at),
                    incident_view::kind_text(&s.kind, c.lang).to_string(),
                    s.channel.clone(),
                    s.sent_by.clone(),
                )
            })
            .collect(),
        reports,
        at: c.t.when(&dengbao_duties::rfc3339_shanghai(now)),
        may_handle: role_may(page.principal.role, Need::HandleIncident),
        open: i.state == "open",
        grades: Grade::ALL
            .iter()
            .map(|g| Choice {
                id: g.id().to_string(),
                label: grade_name(*g, c.lang),
            })
            .collect(),
        me: page.principal.name.clone(),
        docs: dengbao_reports::IncidentDoc::ALL
            .iter()
            .map(|d| Choice {
                id: d.id().to_string(),
                label: c.t.s(&format!("incident.doc.{}", d.id())).to_string(),
            })
            .collect(),
        i,
        c,
    })
}

async fn incident_of<R: dengbao_server::auth::Requirement>(
    state: &AppState,
    page: &NetPage<R>,
    id: &str,
) -> Result<IncidentRecord, PageError> {
    match state.store.get_incident(id).await {
        Ok(rec) if rec.network_id == page.network_id => Ok(rec),
        Ok(_) | Err(StoreError::NotFound { .. }) => Err(PageError::not_found(&page.c)),
        Err(e) => Err(e.into()),
    }
}

/// A time from the form: `datetime-local` gives no offset, and the console's times are
/// Asia/Shanghai's; a full RFC 3339 value is taken as typed.
fn time(s: &str) -> String {
    let s = s.trim();
    match s.parse::<jiff::civil::DateTime>() {
        Ok(_) if s.parse::<jiff::Timestamp>().is_err() => {
            let secs = if s.len() == 16 { ":00" } else { "" };
            format!("{s}{secs}+08:00")
        }
        _ => s.to_string(),
    }
}

fn number<T: std::str::FromStr + Default>(
    c: &Ctx,
    field: &'static str,
    s: &str,
) -> Result<T, PageError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(T::default());
    }
    s.parse()
        .map_err(|_| refused(c, StoreError::invalid(field, "须为数字 / must be a number")))
}

#[derive(serde::Deserialize)]
struct OpenForm {
    title: String,
    detected_at: String,
    category: String,
    #[serde(default)]
    personal_info_records: String,
    #[serde(default)]
    direct_loss_yuan: String,
    #[serde(default)]
    service_interruption_hours: String,
    #[serde(default)]
    affected_systems: String,
    #[serde(default)]
    affected_data: String,
    #[serde(default)]
    action: String,
    by: String,
}

async fn open(
    State(state): State<AppState>,
    page: NetPage<HandleIncident>,
    Form(f): Form<OpenForm>,
) -> PageResult {
    let c = &page.c;
    let input = OpenIncident {
        network_id: page.network_id.clone(),
        title: f.title,
        detected_at: time(&f.detected_at),
        category: f.category,
        facts: IncidentFacts {
            personal_info_records: number(c, "personal_info_records", &f.personal_info_records)?,
            direct_loss_yuan: number(c, "direct_loss_yuan", &f.direct_loss_yuan)?,
            service_interruption_hours: number(
                c,
                "service_interruption_hours",
                &f.service_interruption_hours,
            )?,
            ..Default::default()
        },
        operator_class: None,
        affected_systems: f.affected_systems,
        affected_data: f.affected_data,
        action: f.action,
        by: f.by,
    };
    let logs = state.logs.clone();
    let rec = state
        .store
        .open_incident(&page.actor(), input, |rec| {
            incident_view::place_hold(&logs, rec)
        })
        .await
        .map_err(|e| refused(c, e))?;
    redirect(&format!(
        "/networks/{}/incidents/{}",
        page.network_id, rec.id
    ))
}

#[derive(serde::Deserialize)]
struct SendForm {
    report: String,
    sent_at: String,
    channel: String,
    #[serde(default)]
    attachment: String,
    by: String,
}

async fn send(
    State(state): State<AppState>,
    page: NetPage<HandleIncident>,
    Path((_, incident_id)): Path<(String, String)>,
    Form(f): Form<SendForm>,
) -> PageResult {
    incident_of(&state, &page, &incident_id).await?;
    let input = SendReport {
        report: f.report,
        sent_at: time(&f.sent_at),
        by: f.by,
        channel: f.channel,
        attachment: f.attachment,
    };
    state
        .store
        .record_report(&page.actor(), &incident_id, input)
        .await
        .map_err(|e| refused(&page.c, e))?;
    redirect(&format!(
        "/networks/{}/incidents/{incident_id}#incident-reports",
        page.network_id
    ))
}

#[derive(serde::Deserialize)]
struct GradeForm {
    #[serde(default)]
    grade: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    handling_ended_at: String,
    #[serde(default)]
    action: String,
    by: String,
}

async fn grade(
    State(state): State<AppState>,
    page: NetPage<HandleIncident>,
    Path((_, incident_id)): Path<(String, String)>,
    Form(f): Form<GradeForm>,
) -> PageResult {
    incident_of(&state, &page, &incident_id).await?;
    let grade = match f.grade.trim() {
        "" => None,
        g => Some(Grade::from_id(g).ok_or_else(|| {
            refused(
                &page.c,
                StoreError::invalid("grade", "不是已知的事件等级 / is not a known grade"),
            )
        })?),
    };
    let input = GradeIncident {
        facts: None,
        handling_ended_at: Some(f.handling_ended_at.trim())
            .filter(|s| !s.is_empty())
            .map(time),
        grade,
        reason: f.reason,
        action: f.action,
        by: f.by,
    };
    state
        .store
        .grade_incident(&page.actor(), &incident_id, input)
        .await
        .map_err(|e| refused(&page.c, e))?;
    redirect(&format!(
        "/networks/{}/incidents/{incident_id}",
        page.network_id
    ))
}

#[derive(serde::Deserialize)]
struct CloseForm {
    closed_at: String,
    #[serde(default)]
    note: String,
    by: String,
}

async fn close(
    State(state): State<AppState>,
    page: NetPage<HandleIncident>,
    Path((_, incident_id)): Path<(String, String)>,
    Form(f): Form<CloseForm>,
) -> PageResult {
    incident_of(&state, &page, &incident_id).await?;
    let input = CloseIncident {
        closed_at: time(&f.closed_at),
        by: f.by,
        note: f.note,
    };
    let logs = state.logs.clone();
    state
        .store
        .close_incident(&page.actor(), &incident_id, input, |rec, at| {
            incident_view::end_hold(&logs, rec, at)
        })
        .await
        .map_err(|e| refused(&page.c, e))?;
    redirect(&format!(
        "/networks/{}/incidents/{incident_id}",
        page.network_id
    ))
}

#[derive(serde::Deserialize)]
struct ReleaseForm {
    reason: String,
}

async fn release_hold(
    State(state): State<AppState>,
    page: NetPage<HandleIncident>,
    Path((_, incident_id)): Path<(String, String)>,
    Form(f): Form<ReleaseForm>,
) -> PageResult {
    incident_of(&state, &page, &incident_id).await?;
    let logs = state.logs.clone();
    state
        .store
        .release_hold(&page.actor(), &incident_id, &f.reason, |rec| {
            incident_view::release_hold(&logs, rec)
        })
        .await
        .map_err(|e| refused(&page.c, e))?;
    redirect(&format!(
        "/networks/{}/incidents/{incident_id}",
        page.network_id
    ))
}

async fn link_logs(
    State(state): State<AppState>,
    page: NetPage<HandleIncident>,
    Path((_, incident_id)): Path<(String, String)>,
    Form(f): Form<Vec<(String, String)>>,
) -> PageResult {
    incident_of(&state, &page, &incident_id).await?;
    let get = |k: &str| crate::pages::form_value(&f, k);
    let when = |k: &str| Some(get(k)).filter(|s| !s.is_empty()).map(|s| time(&s));
    let input = dengbao_store::incident_logs::LogLinkInput {
        query: get("query"),
        from: when("from"),
        to: when("to"),
        export_file: get("export_file"),
        export_sha256: get("export_sha256"),
        note: get("note"),
    };
    state
        .store
        .link_logs(&page.actor(), &incident_id, input)
        .await
        .map_err(|e| refused(&page.c, e))?;
    redirect(&format!(
        "/networks/{}/incidents/{incident_id}#incident-logs",
        page.network_id
    ))
}
