//! Clocks as the catalog writes them (`clock = { … }`) and as validated: after an event
//! with a limit, every period, before an event or a stage.

use serde::{Deserialize, Serialize};

use crate::profile::Stage;

/// What a missing trigger event means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IfMissing {
    /// The engine cannot decide: status `unknown`, naming the event.
    #[default]
    Unknown,
    /// Nothing is owed until it happens (an incident that did not occur).
    NotApplicable,
}

/// A period for recurring duties: `1y`, `2y`, `6mo`, `30d`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub years: i16,
    pub months: i16,
    pub days: i32,
}

impl Period {
    pub(crate) fn parse(s: &str) -> Option<Period> {
        let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit())?);
        let n: i32 = num.parse().ok().filter(|n| *n > 0 && *n <= 100)?;
        let z = Period {
            years: 0,
            months: 0,
            days: 0,
        };
        match unit {
            "y" => Some(Period {
                years: n as i16,
                ..z
            }),
            "mo" => Some(Period {
                months: n as i16,
                ..z
            }),
            "d" => Some(Period { days: n, ..z }),
            _ => None,
        }
    }

    pub fn span(self) -> jiff::Span {
        jiff::Span::new()
            .years(self.years)
            .months(self.months)
            .days(self.days)
    }
}

/// The clock as written in the TOML.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClock {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub later_of: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_after: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_stage: Option<Stage>,
    #[serde(default)]
    pub if_missing: IfMissing,
}

/// A validated clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Clock {
    /// Due a number of working days / days / hours after an event (or, with no figure,
    /// due from the event without a date).
    After {
        event: String,
        /// Counted from the later of `event` and this one (《信息安全等级保护管理办法》第十五条:
        /// 30 days after grading, or after going live for a network graded before it).
        later_of: Option<String>,
        limit: Option<Limit>,
        if_missing: IfMissing,
    },
    /// Every `period` after the last time (`after`); the first one a period after `first_after`.
    Every {
        period: Period,
        after: String,
        first_after: Option<String>,
    },
    /// Done before an event; without its date, before the network reaches `by_stage`.
    Before {
        event: String,
        by_stage: Option<Stage>,
    },
    /// Done before the network reaches a stage.
    ByStage { stage: Stage },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    WorkingDays(u32),
    Days(u32),
    Hours(u32),
}
