//! The incident file (事件), parsed in two stages like a profile: [`RawIncident`] is the TOML
//! as written, [`Incident`] has a real instant, a known category, no negative count and a
//! grade override backed by something. Every error names the key, Chinese then English.

use dengbao_duties::OperatorClass;
use jiff::Timestamp;
use serde::Deserialize;

use crate::grade::Grade;
use crate::rules::{Rules, PORTALS};

/// What is wrong with an incident file: the key and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct IncidentError {
    pub field: String,
    pub message: String,
}

impl IncidentError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> IncidentError {
        IncidentError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A time as written: a string, or a TOML offset date-time (the profile's own type).
pub use dengbao_duties::TimeText;

/// The incident file as written. Keys are documented in data/incidents/README.md.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIncident {
    pub detected_at: TimeText,
    pub category: String,
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
    pub grade: Option<String>,
    // Optional keys beyond the interface's, for the annex's other quantitative criteria
    // and the clocks that start later.
    #[serde(default)]
    pub grade_reason: Option<String>,
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
    #[serde(default)]
    pub handling_ended_at: Option<TimeText>,
    #[serde(default)]
    pub title: Option<String>,
}

/// A checked incident.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    pub detected_at: Timestamp,
    pub category: String,
    pub personal_info_records: u64,
    pub direct_loss_yuan: u64,
    pub service_interruption_hours: f64,
    pub cii_function_lost: bool,
    pub state_secrets_leaked: bool,
    pub grade: Option<Grade>,
    pub grade_reason: Option<String>,
    pub cii_whole_outage_minutes: f64,
    pub people_affected: u64,
    pub portal: Option<String>,
    pub portal_unreachable_hours: f64,
    pub suspected_crime: bool,
    pub handling_ended_at: Option<Timestamp>,
    pub title: Option<String>,
}

impl Incident {
    /// Parses and checks an incident file's TOML. The category must be one `rules` knows.
    pub fn from_toml_str(text: &str, rules: &Rules) -> Result<Incident, IncidentError> {
        let de = toml::Deserializer::parse(text).map_err(|e| {
            IncidentError::new(
                "incident",
                format!("不是有效的 TOML / not valid TOML: {}", e.message().trim()),
            )
        })?;
        let raw: RawIncident = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "." || path.is_empty() {
                "incident".to_string()
            } else {
                path
            };
            IncidentError::new(
                field,
                format!(
                    "取值或键无效 / invalid value or key: {}",
                    e.inner().message().trim()
                ),
            )
        })?;
        Incident::check(raw, rules)
    }

    /// Checks a raw incident (the second stage).
    pub fn check(raw: RawIncident, rules: &Rules) -> Result<Incident, IncidentError> {
        let detected_at = instant("detected_at", &raw.detected_at)?;
        let category = raw.category.trim().to_string();
        if rules.category(&category).is_none() {
            let known: Vec<&str> = rules.categories.iter().map(|c| c.id.as_str()).collect();
            return Err(IncidentError::new(
                "category",
                format!(
                    "未知的事件类别 {category:?}（GB/T 20986-2023） / unknown incident category; known: {}",
                    known.join(", ")
                ),
            ));
        }
        let count = |field: &str, n: i64| {
            u64::try_from(n).map_err(|_| {
                IncidentError::new(field, format!("{n} 不能为负数 / must not be negative"))
            })
        };
        let amount = |field: &str, v: f64| {
            if v.is_finite() && v >= 0.0 {
                Ok(v)
            } else {
                Err(IncidentError::new(
                    field,
                    format!("{v} 须为不小于0的数 / must be a number ≥ 0"),
                ))
            }
        };
        let grade = match raw.grade.as_deref().map(str::trim) {
            None => None,
            Some(id) => Some(Grade::from_id(id).ok_or_else(|| {
                IncidentError::new(
                    "grade",
                    format!(
                        "未知的事件级别 {id:?}（可选 especially_major 特别重大、major 重大、relatively_major 较大、general 一般） / unknown grade (one of especially_major, major, relatively_major, general)"
                    ),
                )
            })?),
        };
        let portal = raw.portal.as_deref().map(str::trim).map(str::to_string);
        if let Some(p) = &portal {
            if !PORTALS.contains(&p.as_str()) {
                return Err(IncidentError::new(
                    "portal",
                    format!(
                        "未知的网站类别 {p:?}（provincial：省级以上党政机关门户网站、中央重点新闻网站；prefecture：地市级以上党政机关、企事业单位门户网站，省级以上重点新闻网站） / unknown kind of website (provincial or prefecture)"
                    ),
                ));
            }
        }
        let handling_ended_at = match &raw.handling_ended_at {
            Some(t) => Some(instant("handling_ended_at", t)?),
            None => None,
        };
        if handling_ended_at.is_some_and(|t| t < detected_at) {
            return Err(IncidentError::new(
                "handling_ended_at",
                "早于 detected_at：处置不能在发现之前结束 / is before detected_at: handling cannot end before the incident was found",
            ));
        }
        let incident = Incident {
            detected_at,
            category,
            personal_info_records: count("personal_info_records", raw.personal_info_records)?,
            direct_loss_yuan: count("direct_loss_yuan", raw.direct_loss_yuan)?,
            service_interruption_hours: amount(
                "service_interruption_hours",
                raw.service_interruption_hours,
            )?,
            cii_function_lost: raw.cii_function_lost,
            state_secrets_leaked: raw.state_secrets_leaked,
            grade,
            grade_reason: raw
                .grade_reason
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
            cii_whole_outage_minutes: amount(
                "cii_whole_outage_minutes",
                raw.cii_whole_outage_minutes,
            )?,
            people_affected: count("people_affected", raw.people_affected)?,
            portal,
            portal_unreachable_hours: amount(
                "portal_unreachable_hours",
                raw.portal_unreachable_hours,
            )?,
            suspected_crime: raw.suspected_crime,
            handling_ended_at,
            title: raw.title,
        };
        if incident.portal_unreachable_hours > 0.0 && incident.portal.is_none() {
            return Err(IncidentError::new(
                "portal",
                "portal_unreachable_hours 须说明是哪类网站（provincial 或 prefecture） / portal_unreachable_hours needs the kind of website (provincial or prefecture)",
            ));
        }
        // An override resting on nothing would be a grade without facts: the report it
        // triggers could not say what happened (第七条第（二）项 asks for the impact).
        if incident.grade.is_some() && !incident.has_facts() && incident.grade_reason.is_none() {
            return Err(IncidentError::new(
                "grade",
                "指定了级别，但没有任何事实（记录数、损失、中断时长等）也没有 grade_reason / a grade is given with no facts at all (records, loss, outage …) and no grade_reason",
            ));
        }
        Ok(incident)
    }

    /// Whether the file states any fact beyond time and category.
    pub fn has_facts(&self) -> bool {
        self.personal_info_records > 0
            || self.direct_loss_yuan > 0
            || self.service_interruption_hours > 0.0
            || self.cii_function_lost
            || self.state_secrets_leaked
            || self.cii_whole_outage_minutes > 0.0
            || self.people_affected > 0
            || self.portal_unreachable_hours > 0.0
            || self.suspected_crime
    }

    /// Checks what the incident says against the operator's class: the annex's CII outage
    /// criteria measure a critical information infrastructure, so a network that is not one
    /// cannot report them (its profile would say `cii = true`).
    pub fn check_operator(&self, class: OperatorClass) -> Result<(), IncidentError> {
        if class == OperatorClass::Cii {
            return Ok(());
        }
        let msg = "网络不是关键信息基础设施（network.operator_class / network.cii），不能适用关键信息基础设施中断指标 / the network is not critical information infrastructure, so the CII outage criteria cannot apply";
        if self.cii_function_lost {
            return Err(IncidentError::new("cii_function_lost", msg));
        }
        if self.cii_whole_outage_minutes > 0.0 {
            return Err(IncidentError::new("cii_whole_outage_minutes", msg));
        }
        Ok(())
    }

    /// A threshold fact's value: the CII main-function outage is the interruption when the
    /// incident says main functions were lost (`cii_function_lost`), in minutes.
    pub fn fact(&self, name: &str) -> Option<f64> {
        let v = match name {
            // u64 → f64 is exact below 2^53, far above any count the annex names.
            "personal_info_records" => self.personal_info_records as f64,
            "direct_loss_yuan" => self.direct_loss_yuan as f64,
            "cii_whole_outage_minutes" => self.cii_whole_outage_minutes,
            "cii_main_function_outage_minutes" if self.cii_function_lost => {
                self.service_interruption_hours * 60.0
            }
            "people_affected" => self.people_affected as f64,
            "portal_unreachable_hours" => self.portal_unreachable_hours,
            _ => return None,
        };
        (v > 0.0).then_some(v)
    }

    /// The `only_if` conditions of the rules.
    pub fn condition(&self, name: &str, industry_named: bool) -> bool {
        match name {
            "state_secrets_leaked" => self.state_secrets_leaked,
            "personal_info_leaked" => self.personal_info_records > 0,
            "suspected_crime" => self.suspected_crime,
            "industry_named" => industry_named,
            _ => false,
        }
    }
}

/// An RFC 3339 instant with its offset; a bare date, a time without offset or an impossible
/// time (02-30, 25:00) is refused: an hour clock needs the minute the incident was found.
fn instant(field: &str, t: &TimeText) -> Result<Timestamp, IncidentError> {
    let s = t.text();
    s.trim().parse::<Timestamp>().map_err(|_| {
        IncidentError::new(
            field,
            format!(
                "{s:?} 不是带时区偏移的有效 RFC 3339 时间（如 2026-05-31T22:15:00+08:00） / is not a valid RFC 3339 time with offset (e.g. 2026-05-31T22:15:00+08:00)"
            ),
        )
    })
}
