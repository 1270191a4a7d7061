//! The legal hold an incident places on the log centre (`data/incidents/hold.toml`): which
//! window of the network's logs is kept, and why. The window starts `lookback_months` before
//! the incident was found and is open-ended while the incident is open; closing ends it at
//! the moment of closing (logs after that are not the incident's).

use dengbao_types::Citation;
use jiff::Timestamp;
use serde::Deserialize;

use crate::rules::{Rules, RulesError};

pub const HOLD_FILE: (&str, &str) = (
    "hold.toml",
    include_str!("../../../data/incidents/hold.toml"),
);

/// The hold's rule, as data.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoldRule {
    pub lookback_months: u32,
    pub citations: Vec<Citation>,
    pub reason_zh: String,
    pub reason_en: String,
}

impl HoldRule {
    /// The rule shipped in the binary, checked against the laws `rules` can cite.
    pub fn builtin(rules: &Rules) -> Result<HoldRule, RulesError> {
        let bad = |entry: &str, m: String| RulesError {
            file: HOLD_FILE.0.to_string(),
            entry: entry.to_string(),
            message: m,
        };
        let h: HoldRule =
            toml::from_str(HOLD_FILE.1).map_err(|e| bad("file", e.message().trim().to_string()))?;
        if h.lookback_months == 0 || h.lookback_months > 1200 {
            return Err(bad("lookback_months", "must be 1 to 1200".into()));
        }
        for c in &h.citations {
            let law = c.law.as_deref().unwrap_or("");
            if rules.law(law).is_none() {
                return Err(bad(
                    "citations",
                    format!("law {law:?} is not in reporting.toml"),
                ));
            }
        }
        if !h.reason_zh.contains("{id}") || !h.reason_en.contains("{id}") {
            return Err(bad("reason_zh", "must name the incident ({id})".into()));
        }
        Ok(h)
    }

    /// The first instant held: `lookback_months` calendar months before `detected_at`, in
    /// Asia/Shanghai (the oldest logs the six-month floor guarantees).
    pub fn from(&self, detected_at: Timestamp) -> Timestamp {
        jiff::Span::new()
            .try_months(i64::from(self.lookback_months))
            .and_then(|span| {
                let tz = jiff::tz::TimeZone::get("Asia/Shanghai")
                    .unwrap_or_else(|_| jiff::tz::TimeZone::fixed(jiff::tz::offset(8)));
                detected_at.to_zoned_datetime(tz).checked_sub(span)
            })
            .map(|z| z.timestamp())
            .unwrap_or(Timestamp::MIN)
    }

    /// The hold's reason, naming the incident.
    pub fn reason(&self, id: &str) -> String {
        format!(
            "{} / {}",
            self.reason_zh.replace("{id}", id),
            self.reason_en.replace("{id}", id)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hold_reaches_back_six_calendar_months_in_shanghai_and_names_the_incident() {
        let rules = Rules::builtin().expect("rules");
        let h = HoldRule::builtin(&rules).expect("hold.toml");
        let detected: Timestamp = "2026-05-31T22:15:00+08:00".parse().expect("time");
        assert_eq!(
            dengbao_duties::rfc3339_shanghai(h.from(detected)),
            "2025-11-30T22:15:00+08:00"
        );
        assert!(h.reason("ab12").contains("网络安全事件 ab12"));
    }
}
