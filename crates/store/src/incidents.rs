//! The incident register (网络安全事件登记, decision 0505): an incident of a network, with the
//! facts a person entered, the grade the engine proposed from them (with its reasons, as
//! proposed then), the grade a person confirmed or overrode (who, why), what was affected,
//! the actions taken, the reports sent, and whether it is closed.
//!
//! The reports owed and their clocks are never stored: `dengbao_incidents::clocks` computes
//! them from the row, so a re-grade recomputes them. Every transition (open, grade, report
//! sent, close) commits with its audit entry; opening records the `incident_detected` event
//! the duty engine reads, a report to the police `incident_reported`.
//!
//! Input is checked by the engine's own rules (`Incident::check`: instant with offset, known
//! category, no negative count …) before any SQL runs; an error names the field in both
//! languages (`中文 / English`) and nothing is written. The sends and closing are in
//! `incident_sends.rs`, opening and grading in `incident_open.rs`.

use dengbao_duties::OperatorClass;
use dengbao_incidents::{Clocks, Grade, Incident, Operator, RawIncident, Rules, TimeText};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::error::{Result, StoreError};

/// The facts of an incident that grade it (data/incidents/README.md names each).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentFacts {
    #[serde(default)]
    pub personal_info_records: i64,
    #[serde(default)]
    pub direct_loss_yuan: i64,
    #[serde(default)]
    pub service_interruption_hours: f64,
    #[serde(default)]
    pub cii_function_lost: bool,
    #[serde(default)]
    pub state_secrets_leaked: bool,
    #[serde(default)]
    pub cii_whole_outage_minutes: f64,
    #[serde(default)]
    pub people_affected: i64,
    #[serde(default)]
    pub portal: Option<String>,
    #[serde(default)]
    pub portal_unreachable_hours: f64,
    #[serde(default)]
    pub suspected_crime: bool,
}

/// What opening an incident records.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenIncident {
    /// Left out in the API's body (the path names the network).
    #[serde(default)]
    pub network_id: String,
    pub title: String,
    /// When the operator 发现或获知 the incident: RFC 3339 with offset.
    pub detected_at: String,
    /// A GB/T 20986-2023 class id of data/incidents/categories.toml.
    pub category: String,
    #[serde(default)]
    pub facts: IncidentFacts,
    /// Absent: `cii` when the network is a CII, else `other`.
    #[serde(default)]
    pub operator_class: Option<OperatorClass>,
    #[serde(default)]
    pub affected_systems: String,
    #[serde(default)]
    pub affected_data: String,
    /// The first action taken, if any.
    #[serde(default)]
    pub action: String,
    /// The person who records it.
    pub by: String,
}

/// A person's grading: confirm the engine's grade or override it (with a reason); new facts
/// and the end of handling may come with it, and the proposal is recomputed from them.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeIncident {
    #[serde(default)]
    pub facts: Option<IncidentFacts>,
    /// When handling ended (the summary's clock starts), RFC 3339 with offset.
    #[serde(default)]
    pub handling_ended_at: Option<String>,
    /// Absent: confirm what the facts reach.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub grade: Option<Grade>,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub action: String,
    pub by: String,
}

/// An action taken, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Action {
    pub at: String,
    pub by: String,
    pub text: String,
}

/// A report sent, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReportSent {
    pub id: String,
    /// The owed report's rule id (data/incidents/reporting.toml).
    pub report: String,
    pub kind: String,
    pub recipient: String,
    pub sent_at: String,
    pub sent_by: String,
    pub channel: String,
    pub attachment: String,
}

/// A stored incident.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct IncidentRecord {
    pub id: String,
    pub network_id: String,
    pub network_name: String,
    pub org_id: String,
    pub title: String,
    #[schema(value_type = String)]
    pub operator_class: OperatorClass,
    pub industry: Option<String>,
    pub detected_at: String,
    pub category: String,
    pub facts: IncidentFacts,
    pub handling_ended_at: Option<String>,
    #[schema(value_type = String)]
    pub proposed_grade: Grade,
    /// The engine's reasons as proposed (`dengbao incident clocks --json`'s `grade_reasons`).
    #[schema(value_type = Object)]
    pub proposed_reasons: serde_json::Value,
    /// The grade in force: the person's once confirmed or overridden, else the proposal.
    #[schema(value_type = String)]
    pub grade: Grade,
    /// `proposed`, `confirmed` or `overridden`.
    pub grade_status: String,
    pub grade_by: Option<String>,
    pub grade_reason: String,
    pub affected_systems: String,
    pub affected_data: String,
    pub actions: Vec<Action>,
    /// `open` or `closed`.
    pub state: String,
    pub closed_at: Option<String>,
    pub closed_by: Option<String>,
    pub closing_note: String,
    /// The log centre's hold placed when it was opened (its file name).
    pub hold: Option<String>,
    pub opened_by: String,
    pub sends: Vec<ReportSent>,
}

/// What a field of the engine's checks is called here (`StoreError` names fields statically).
const FIELDS: &[&str] = &[
    "detected_at",
    "category",
    "personal_info_records",
    "direct_loss_yuan",
    "service_interruption_hours",
    "cii_function_lost",
    "state_secrets_leaked",
    "cii_whole_outage_minutes",
    "people_affected",
    "portal",
    "portal_unreachable_hours",
    "suspected_crime",
    "handling_ended_at",
    "grade",
    "grade_reason",
];

pub(crate) fn engine_error(e: dengbao_incidents::IncidentError) -> StoreError {
    let field = FIELDS
        .iter()
        .find(|f| **f == e.field)
        .copied()
        .unwrap_or("incident");
    StoreError::invalid(field, e.message)
}

pub(crate) fn rules() -> Result<Rules> {
    // The rules are embedded and checked by the incidents crate's tests; failing here means
    // a broken build, reported as such rather than as the user's input.
    Rules::builtin().map_err(|e| StoreError::Corrupt {
        table: "data/incidents",
        id: e.file.clone(),
        message: e.to_string(),
    })
}

/// A required one-line text (who, channel): trimmed, 1–200 characters.
pub(crate) fn who(field: &'static str, s: &str) -> Result<String> {
    crate::text::name(field, s, 200).map_err(|_| {
        StoreError::invalid(
            field,
            "须填写（1至200个字符，单行） / is required (1 to 200 characters, one line)",
        )
    })
}

/// An RFC 3339 instant with offset, not in the future (a few minutes of clock skew allowed).
pub(crate) fn instant(field: &'static str, s: &str) -> Result<Timestamp> {
    let t: Timestamp = s.trim().parse().map_err(|_| {
        StoreError::invalid(
            field,
            format!("{s:?} 不是带时区偏移的有效 RFC 3339 时间（如 2026-05-31T22:15:00+08:00） / is not a valid RFC 3339 time with offset (e.g. 2026-05-31T22:15:00+08:00)"),
        )
    })?;
    let skew = jiff::SignedDuration::from_mins(5);
    if t > Timestamp::now().checked_add(skew).unwrap_or(Timestamp::MAX) {
        return Err(StoreError::invalid(
            field,
            format!("{s} 在将来：只能登记已经发生的事 / is in the future: only what has happened can be recorded"),
        ));
    }
    Ok(t)
}

pub(crate) fn shanghai(t: Timestamp) -> String {
    dengbao_duties::rfc3339_shanghai(t)
}

/// The engine's incident from stored (or entered) facts; `grade` is the person's override.
pub(crate) fn engine_incident(
    rules: &Rules,
    detected_at: &str,
    category: &str,
    f: &IncidentFacts,
    handling_ended_at: Option<&str>,
    grade: Option<(Grade, &str)>,
) -> Result<Incident> {
    let raw = RawIncident {
        detected_at: TimeText::Text(detected_at.to_string()),
        category: category.to_string(),
        personal_info_records: f.personal_info_records,
        direct_loss_yuan: f.direct_loss_yuan,
        service_interruption_hours: f.service_interruption_hours,
        cii_function_lost: f.cii_function_lost,
        state_secrets_leaked: f.state_secrets_leaked,
        grade: grade.map(|(g, _)| g.id().to_string()),
        grade_reason: grade.map(|(_, r)| r.to_string()),
        cii_whole_outage_minutes: f.cii_whole_outage_minutes,
        people_affected: f.people_affected,
        portal: f.portal.clone(),
        portal_unreachable_hours: f.portal_unreachable_hours,
        suspected_crime: f.suspected_crime,
        handling_ended_at: handling_ended_at.map(|t| TimeText::Text(t.to_string())),
        title: None,
    };
    Incident::check(raw, rules).map_err(engine_error)
}

impl IncidentRecord {
    /// The reports owed now, computed from the row with the grade in force.
    pub fn clocks(&self, rules: &Rules) -> Result<Clocks> {
        let over =
            (self.grade_status == "overridden").then_some((self.grade, self.grade_reason.as_str()));
        let inc = engine_incident(
            rules,
            &self.detected_at,
            &self.category,
            &self.facts,
            self.handling_ended_at.as_deref(),
            over,
        )?;
        dengbao_incidents::clocks(&inc, self.operator(), rules).map_err(engine_error)
    }

    pub fn operator(&self) -> Operator<'_> {
        Operator {
            class: self.operator_class,
            industry: self.industry.as_deref(),
        }
    }

    /// The sends, as the clock states read them.
    pub fn sent(&self) -> Vec<dengbao_incidents::Sent> {
        self.sends
            .iter()
            .filter_map(|s| {
                Some(dengbao_incidents::Sent {
                    report: s.report.clone(),
                    sent_at: s.sent_at.parse().ok()?,
                })
            })
            .collect()
    }
}

const COLUMNS: &str = "i.*, n.name AS network_name";

fn num(row: &AnyRow, col: &str, corrupt: &dyn Fn(String) -> StoreError) -> Result<f64> {
    let s: String = row.try_get(col)?;
    s.parse().map_err(|_| corrupt(format!("{col} {s:?}")))
}

fn decode(row: &AnyRow, sends: Vec<ReportSent>) -> Result<IncidentRecord> {
    let id: String = row.try_get("id")?;
    let corrupt = |m: String| StoreError::Corrupt {
        table: "incidents",
        id: id.clone(),
        message: m,
    };
    let flag = |col: &str| -> Result<bool> { Ok(row.try_get::<i64, _>(col)? != 0) };
    let grade = |col: &str| -> Result<Grade> {
        let s: String = row.try_get(col)?;
        Grade::from_id(&s).ok_or_else(|| corrupt(format!("{col} {s:?}")))
    };
    let class: String = row.try_get("operator_class")?;
    let reasons: String = row.try_get("proposed_reasons")?;
    let actions: String = row.try_get("actions")?;
    Ok(IncidentRecord {
        network_id: row.try_get("network_id")?,
        network_name: row.try_get("network_name")?,
        org_id: row.try_get("org_id")?,
        title: row.try_get("title")?,
        operator_class: crate::profile::from_text(&class)
            .ok_or_else(|| corrupt(format!("operator_class {class:?}")))?,
        industry: row.try_get("industry")?,
        detected_at: row.try_get("detected_at")?,
        category: row.try_get("category")?,
        facts: IncidentFacts {
            personal_info_records: row.try_get("personal_info_records")?,
            direct_loss_yuan: row.try_get("direct_loss_yuan")?,
            service_interruption_hours: num(row, "service_interruption_hours", &corrupt)?,
            cii_function_lost: flag("cii_function_lost")?,
            state_secrets_leaked: flag("state_secrets_leaked")?,
            cii_whole_outage_minutes: num(row, "cii_whole_outage_minutes", &corrupt)?,
            people_affected: row.try_get("people_affected")?,
            portal: row.try_get("portal")?,
            portal_unreachable_hours: num(row, "portal_unreachable_hours", &corrupt)?,
            suspected_crime: flag("suspected_crime")?,
        },
        handling_ended_at: row.try_get("handling_ended_at")?,
        proposed_grade: grade("proposed_grade")?,
        proposed_reasons: serde_json::from_str(&reasons)
            .map_err(|e| corrupt(format!("proposed_reasons: {e}")))?,
        grade: grade("grade")?,
        grade_status: row.try_get("grade_status")?,
        grade_by: row.try_get("grade_by")?,
        grade_reason: row.try_get("grade_reason")?,
        affected_systems: row.try_get("affected_systems")?,
        affected_data: row.try_get("affected_data")?,
        actions: serde_json::from_str(&actions).map_err(|e| corrupt(format!("actions: {e}")))?,
        state: row.try_get("state")?,
        closed_at: row.try_get("closed_at")?,
        closed_by: row.try_get("closed_by")?,
        closing_note: row.try_get("closing_note")?,
        hold: row.try_get("hold")?,
        opened_by: row.try_get("opened_by")?,
        sends,
        id,
    })
}

async fn sends_of(tx: &mut Transaction<'static, Any>, id: &str) -> Result<Vec<ReportSent>> {
    let rows = sqlx::query(
        "SELECT id, report, kind, recipient, sent_at, sent_by, channel, attachment \
         FROM incident_reports WHERE incident_id = $1 ORDER BY sent_at, recorded_at, id",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ReportSent {
                id: r.try_get("id")?,
                report: r.try_get("report")?,
                kind: r.try_get("kind")?,
                recipient: r.try_get("recipient")?,
                sent_at: r.try_get("sent_at")?,
                sent_by: r.try_get("sent_by")?,
                channel: r.try_get("channel")?,
                attachment: r.try_get("attachment")?,
            })
        })
        .collect()
}

/// One incident read inside a transaction (the state a transition checks is the one it changes).
pub(crate) async fn get_in(tx: &mut Transaction<'static, Any>, id: &str) -> Result<IncidentRecord> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM incidents i JOIN networks n ON n.id = i.network_id WHERE i.id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| StoreError::not_found("incident", id))?;
    let sends = sends_of(tx, id).await?;
    decode(&row, sends)
}

/// A closed incident takes no more changes.
pub(crate) fn open_only(rec: &IncidentRecord) -> Result<()> {
    if rec.state == "closed" {
        return Err(StoreError::invalid(
            "state",
            format!(
                "事件 {} 已结案，不能再更改 / incident {} is closed and takes no more changes",
                rec.id, rec.id
            ),
        ));
    }
    Ok(())
}
