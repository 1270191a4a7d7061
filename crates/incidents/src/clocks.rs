//! Every report an incident makes owed: the grade (from `grade`) and the operator's class
//! select the rules of `data/incidents/reporting.toml`; each rule's clock gives the latest
//! time, as elapsed hours from the moment the incident was found, in Asia/Shanghai.

use dengbao_duties::OperatorClass;
use dengbao_types::Citation;
use jiff::{SignedDuration, Timestamp};
use serde::{Serialize, Serializer};

use crate::grade::{grade, Grade, Reason};
use crate::incident::{Incident, IncidentError};
use crate::rules::{Clock, Rules};

/// What the engine needs to know about the operator, taken from its network profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operator<'a> {
    pub class: OperatorClass,
    /// `network.industry`: a named sector may have reporting rules of its own (第四条第五款).
    pub industry: Option<&'a str>,
}

/// One report owed (or, for `party` ≠ `operator`, relayed by an authority).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The rule's id in the data file.
    pub id: String,
    pub kind: String,
    /// `operator`, or the authority that relays.
    pub party: String,
    pub recipient: String,
    pub recipient_zh: String,
    pub recipient_en: String,
    /// The latest time, RFC 3339 in +08:00; null where the text sets no figure.
    #[serde(serialize_with = "time_opt")]
    pub due: Option<Timestamp>,
    /// Elapsed hours from `detected_at` to `due`.
    #[serde(serialize_with = "number_opt")]
    pub hours: Option<f64>,
    /// Why `due` is null although the text sets a limit: the incident file lacks the time
    /// the clock starts from (`handling_ended_at`). Null otherwise.
    pub waits_for: Option<String>,
    pub citations: Vec<Citation>,
    pub note_zh: String,
    pub note_en: String,
}

/// A note shown with the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub zh: String,
    pub en: String,
}

/// The whole computation: grade with reasons, reports sorted by due time (strictest first,
/// no due time last), notes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clocks {
    #[serde(serialize_with = "time")]
    pub detected_at: Timestamp,
    pub category: String,
    pub category_zh: String,
    pub category_en: String,
    pub operator_class: OperatorClass,
    pub grade: Grade,
    pub grade_zh: String,
    pub grade_en: String,
    /// The grade the quantitative criteria alone reach.
    pub computed_grade: Grade,
    pub grade_reasons: Vec<Reason>,
    pub reports: Vec<Report>,
    pub notes: Vec<Note>,
}

/// Grades the incident and lists every report it makes owed.
pub fn clocks(
    incident: &Incident,
    op: Operator<'_>,
    rules: &Rules,
) -> Result<Clocks, IncidentError> {
    incident.check_operator(op.class)?;
    let graded = grade(incident, rules);
    let industry_named = op.industry.is_some_and(|s| !s.trim().is_empty());
    let mut reports: Vec<Report> = Vec::new();
    for rule in &rules.reports {
        let owed = (rule.classes.is_empty() || rule.classes.contains(&op.class))
            && rule.min_grade.is_none_or(|g| graded.grade >= g)
            && rule
                .only_if
                .as_deref()
                .is_none_or(|c| incident.condition(c, industry_named));
        if !owed {
            continue;
        }
        let waits_for = match (&rule.clock, incident.handling_ended_at) {
            (Some(Clock::HandlingEnded { .. }), None) => Some("handling_ended_at".to_string()),
            _ => None,
        };
        let due = match &rule.clock {
            None => None,
            Some(Clock::Detected { hours }) => Some(add_hours(incident.detected_at, *hours)?),
            Some(Clock::Report { report, hours }) => {
                match reports.iter().find(|r| &r.id == report).and_then(|r| r.due) {
                    Some(t) => Some(add_hours(t, *hours)?),
                    None => None,
                }
            }
            Some(Clock::HandlingEnded { days }) => match incident.handling_ended_at {
                Some(t) => Some(add_hours(t, days * 24.0)?),
                None => None,
            },
        };
        let hours = due.map(|t| {
            let secs = t.duration_since(incident.detected_at).as_secs_f64();
            // Whole minutes: clocks in the law are hours and half hours.
            (secs / 60.0).round() / 60.0
        });
        let recipient = rules.recipient(&rule.recipient);
        reports.push(Report {
            id: rule.id.clone(),
            kind: rule.kind.clone(),
            party: rule.party.clone(),
            recipient: rule.recipient.clone(),
            recipient_zh: recipient.map(|r| r.zh.clone()).unwrap_or_default(),
            recipient_en: recipient.map(|r| r.en.clone()).unwrap_or_default(),
            due,
            hours,
            waits_for,
            citations: rule.citations.clone(),
            note_zh: rule.note_zh.clone(),
            note_en: rule.note_en.clone(),
        });
    }
    name_original_channel(&mut reports);
    // Strictest first; a report without a due time last; equal times keep the data's order.
    reports.sort_by_key(|r| (r.due.is_none(), r.due));
    let mut notes = Vec::new();
    if graded.grade < Grade::RelativelyMajor {
        notes.push(Note {
            zh: rules.notes.below_threshold_zh.clone(),
            en: rules.notes.below_threshold_en.clone(),
        });
    }
    if incident.state_secrets_leaked {
        notes.push(Note {
            zh: rules.notes.state_secrets_zh.clone(),
            en: rules.notes.state_secrets_en.clone(),
        });
    }
    notes.push(Note {
        zh: rules.notes.qualitative_zh.clone(),
        en: rules.notes.qualitative_en.clone(),
    });
    let category = rules.category(&incident.category);
    Ok(Clocks {
        detected_at: incident.detected_at,
        category: incident.category.clone(),
        category_zh: category.map(|c| c.zh.clone()).unwrap_or_default(),
        category_en: category.map(|c| c.en.clone()).unwrap_or_default(),
        operator_class: op.class,
        grade: graded.grade,
        grade_zh: rules.grade_zh(graded.grade).to_string(),
        grade_en: rules.grade_en(graded.grade).to_string(),
        computed_grade: graded.computed,
        grade_reasons: graded.reasons,
        reports,
        notes,
    })
}

/// Follow-ups and the summary go "按照原渠道": name the channel, the operator's own initial
/// reports, so the reader need not look it up.
fn name_original_channel(reports: &mut [Report]) {
    let initial: Vec<(String, String)> = reports
        .iter()
        .filter(|r| r.kind == "initial" && r.party == "operator")
        .map(|r| (r.recipient_zh.clone(), r.recipient_en.clone()))
        .collect();
    if initial.is_empty() {
        return;
    }
    let zh = initial
        .iter()
        .map(|(z, _)| z.as_str())
        .collect::<Vec<_>>()
        .join("、");
    let en = initial
        .iter()
        .map(|(_, e)| e.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    for r in reports
        .iter_mut()
        .filter(|r| r.recipient == "original_channel")
    {
        r.recipient_zh = format!("{}（{zh}）", r.recipient_zh);
        r.recipient_en = format!("{} ({en})", r.recipient_en);
    }
}

fn add_hours(t: Timestamp, hours: f64) -> Result<Timestamp, IncidentError> {
    // Rules hold hours to the half hour and days whole; seconds are exact for both.
    let secs = (hours * 3600.0).round() as i64;
    t.checked_add(SignedDuration::from_secs(secs)).map_err(|_| {
        IncidentError::new(
            "detected_at",
            "时间超出可计算范围 / the time is out of the range that can be computed",
        )
    })
}

fn time<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&dengbao_duties::rfc3339_shanghai(*t))
}

fn time_opt<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => time(t, s),
        None => s.serialize_none(),
    }
}

/// A number as JSON writes it by hand: 1 not 1.0, 1.5 as is.
pub(crate) fn number_opt<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) if v.fract() == 0.0 && v.abs() < 9.0e15 => s.serialize_i64(*v as i64),
        Some(v) => s.serialize_f64(*v),
        None => s.serialize_none(),
    }
}
