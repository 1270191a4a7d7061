//! How the store names things: network names (validated, and as directory names), the
//! calendar day of an event in Asia/Shanghai, and a record's source as coverage groups it.

use std::path::Path;

use crate::error::{Error, Result};

pub fn validate_network(n: &str) -> Result<()> {
    if n.is_empty()
        || n.chars().count() > 64
        || n.chars().any(|c| c.is_control() || c == '/' || c == '\\')
        || n.starts_with('.')
    {
        return Err(Error::Invalid(format!(
            "network name `{n}`: 1–64 characters, no `/`, `\\`, control characters or leading `.` / 网络名称不合法"
        )));
    }
    Ok(())
}

pub(crate) fn dir_name(network: &str) -> String {
    network
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The calendar day (Asia/Shanghai) of a time in µs.
pub fn day_of(us: i64) -> String {
    jiff::Timestamp::from_microsecond(us)
        .map(|t| t.to_zoned_datetime(shanghai()).date().to_string())
        .unwrap_or_else(|_| "0000-00-00".into())
}

pub(crate) fn shanghai() -> jiff::tz::TimeZone {
    static TZ: std::sync::OnceLock<jiff::tz::TimeZone> = std::sync::OnceLock::new();
    TZ.get_or_init(|| {
        jiff::tz::TimeZone::get("Asia/Shanghai")
            .unwrap_or(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
    })
    .clone()
}

/// `file:/var/log/auth.log:12` → `file:auth.log`; `udp:10.0.0.5:514` → `udp:10.0.0.5`.
pub(crate) fn source_key(source: &str) -> String {
    if let Some(rest) = source.strip_prefix("file:") {
        let path = rest.rsplit_once(':').map_or(rest, |(p, _)| p);
        let name = Path::new(path)
            .file_name()
            .map_or(path.to_string(), |n| n.to_string_lossy().to_string());
        return format!("file:{name}");
    }
    source
        .rsplit_once(':')
        .map_or(source.to_string(), |(a, _)| a.to_string())
}

/// Parse a user-supplied time: RFC 3339, `YYYY-MM-DD`, or `YYYY-MM-DD HH:MM[:SS]` in Asia/Shanghai.
pub fn parse_user_time(s: &str) -> Option<jiff::Timestamp> {
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Some(t);
    }
    // A civil date-time first: jiff also reads "2026-11-20 08:13" as a Date, dropping the
    // time, which made `--from '2026-11-20 08:13'` mean midnight.
    let civil = s.trim().parse::<jiff::civil::DateTime>().or_else(|_| {
        s.trim()
            .parse::<jiff::civil::Date>()
            .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
    });
    if let Ok(dt) = civil {
        return dt.in_tz("Asia/Shanghai").ok().map(|z| z.timestamp());
    }
    crate::parse::parse_time(s).and_then(|us| jiff::Timestamp::from_microsecond(us).ok())
}

#[cfg(test)]
mod tests {
    use super::parse_user_time;

    #[test]
    fn a_civil_time_is_asia_shanghai_and_keeps_its_hour() {
        let t = |s: &str| parse_user_time(s).map(|t| t.to_string());
        assert_eq!(
            t("2026-11-20 08:13").as_deref(),
            Some("2026-11-20T00:13:00Z")
        );
        assert_eq!(
            t("2026-11-20 08:13:05").as_deref(),
            Some("2026-11-20T00:13:05Z")
        );
        assert_eq!(t("2026-11-20").as_deref(), Some("2026-11-19T16:00:00Z"));
        assert_eq!(
            t("2026-11-20T08:13:00+08:00").as_deref(),
            Some("2026-11-20T00:13:00Z")
        );
        assert_eq!(t("20 Nov"), None);
    }
}
