//! Dates and times in profiles: `YYYY-MM-DD` (a civil date in Asia/Shanghai) or an RFC 3339
//! time. An impossible date (2026-02-30) is an error, never rolled over.

use std::fmt;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::{Deserialize, Serialize, Serializer};

/// When something happened: a whole day, or an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventTime {
    Date(Date),
    Time(Timestamp),
}

impl EventTime {
    /// The civil date in Asia/Shanghai: the day a date clock starts on.
    pub fn date(self) -> Date {
        match self {
            EventTime::Date(d) => d,
            EventTime::Time(t) => crate::profile::date_of(t),
        }
    }

    /// The earliest instant it can mean: a date is 00:00 that day in Asia/Shanghai, so an
    /// hour clock started from a bare date never ends later than the law allows.
    pub fn start(self) -> Timestamp {
        match self {
            EventTime::Time(t) => t,
            EventTime::Date(d) => d
                .to_zoned_datetime(shanghai())
                .map(|z| z.timestamp())
                // ok: only dates at the very edge of jiff's range fail; clamp to the minimum.
                .unwrap_or(Timestamp::MIN),
        }
    }
}

impl fmt::Display for EventTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventTime::Date(d) => write!(f, "{d}"),
            EventTime::Time(t) => write!(f, "{}", rfc3339_shanghai(*t)),
        }
    }
}

impl Serialize for EventTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Asia/Shanghai, looked up once per process.
pub(crate) fn shanghai() -> TimeZone {
    static TZ: std::sync::OnceLock<TimeZone> = std::sync::OnceLock::new();
    TZ.get_or_init(dengbao_calendar::shanghai).clone()
}

/// `2026-03-01T10:00:00+08:00`.
pub fn rfc3339_shanghai(t: Timestamp) -> String {
    let z = t.to_zoned_datetime(shanghai());
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// Parses `YYYY-MM-DD` or an RFC 3339 time (`2026-03-01T09:30:00+08:00`, `…Z`). The error
/// message (Chinese, then English) says what was wrong; the caller adds the field name.
pub fn parse_time(text: &str) -> Result<EventTime, String> {
    let s = text.trim();
    if s.len() == 10 {
        return s.parse::<Date>().map(EventTime::Date).map_err(|_| {
            format!("{s:?} 不是有效日期 / is not a valid date (YYYY-MM-DD; the day must exist)")
        });
    }
    s.parse::<Timestamp>().map(EventTime::Time).map_err(|_| {
        format!(
            "{s:?} 不是有效的日期或时间 / is not a valid date (YYYY-MM-DD) or RFC 3339 time with offset"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_dates_are_errors() {
        assert!(parse_time("2026-02-30").is_err());
        assert!(parse_time("2025-02-29").is_err());
        assert!(parse_time("2024-02-29").is_ok());
        assert!(parse_time("2026-13-01").is_err());
    }

    #[test]
    fn times_keep_their_instant_and_print_in_shanghai() {
        let t = parse_time("2026-03-01T02:00:00Z").unwrap();
        assert_eq!(t.to_string(), "2026-03-01T10:00:00+08:00");
        assert_eq!(t.date().to_string(), "2026-03-01");
        let late = parse_time("2026-03-01T20:00:00Z").unwrap();
        assert_eq!(late.date().to_string(), "2026-03-02");
    }
}

/// A date or time as written: a string (`"2026-02-10"`, RFC 3339) or a TOML date/datetime.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TimeText {
    Text(String),
    Toml(toml::value::Datetime),
}

impl TimeText {
    /// The value as the user wrote it.
    pub fn text(&self) -> String {
        match self {
            TimeText::Text(s) => s.clone(),
            TimeText::Toml(d) => d.to_string(),
        }
    }
}
