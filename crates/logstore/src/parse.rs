//! Parsing a raw record into the fields search and coverage use. Parsing never fails: a
//! message no parser understands keeps its raw bytes, gets [`flags::PARSE_FAILED`], and is
//! timed by its receive time. GBK bytes are transcoded here, for indexing only.

use std::cell::Cell;

use chrono::{FixedOffset, Offset, Utc};
use serde::Serialize;
use syslog_loose::{IncompleteDate, Variant};

use crate::record::{Format, Record};

/// Bits in [`Parsed::flags`].
pub mod flags {
    /// No parser understood the message; it is kept raw, timed by its receive time.
    pub const PARSE_FAILED: u8 = 1;
    /// The raw bytes were not UTF-8 and were transcoded from GBK for indexing.
    pub const GBK: u8 = 2;
    /// The timestamp carried no year (RFC 3164) and the year was inferred.
    pub const YEAR_GUESSED: u8 = 4;
    /// Neither UTF-8 nor GBK: indexed with replacement characters.
    pub const UNDECODABLE: u8 = 8;
    /// The message carried no timestamp; the receive time is used.
    pub const NO_TIME: u8 = 16;
}

/// What is derived from a record (not evidence: recomputable from the raw bytes).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parsed {
    /// Event time, µs since the epoch: the message's own timestamp, else the receive time.
    pub time_us: i64,
    pub host: Option<String>,
    pub app: Option<String>,
    /// Syslog severity 0–7.
    pub severity: Option<u8>,
    pub facility: Option<u8>,
    /// The format that was actually recognised.
    pub format: Format,
    pub flags: u8,
}

/// China Standard Time: devices that send no zone are read in Asia/Shanghai (no DST).
fn cst() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or(FixedOffset::east_opt(0).unwrap_or(Utc.fix()))
    // ok: +08:00 is in range
}

/// The text that is indexed and matched: UTF-8 as is, else GBK, else lossy UTF-8.
pub fn decode_text(raw: &[u8]) -> (std::borrow::Cow<'_, str>, u8) {
    if let Ok(s) = std::str::from_utf8(raw) {
        return (s.into(), 0);
    }
    if let Some(s) = encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(raw) {
        return (s, flags::GBK);
    }
    (String::from_utf8_lossy(raw), flags::UNDECODABLE)
}

/// Parse one record. Never fails.
pub fn parse(rec: &Record) -> Parsed {
    let (text, enc_flag) = decode_text(&rec.raw);
    let text = text.trim_end_matches(['\r', '\n', '\0']);
    let format = match rec.format {
        Format::Auto if text.trim_start().starts_with('{') => Format::Jsonl,
        f => f,
    };
    let mut p = match format {
        Format::Jsonl => parse_json(text, rec.received_us),
        _ => parse_syslog(text, rec.received_us, format),
    };
    p.flags |= enc_flag;
    if p.host.as_deref().is_some_and(|h| h.starts_with('%')) {
        p.host = None;
        p.app = None;
    }
    if p.app.as_deref().is_some_and(|a| a.starts_with('%')) {
        p.app = None;
    }
    if p.app.is_none() || p.severity.is_none() {
        cisco_mnemonic(text, &mut p);
    }
    p
}

fn failed(received_us: i64, format: Format) -> Parsed {
    Parsed {
        time_us: received_us,
        host: None,
        app: None,
        severity: None,
        facility: None,
        format,
        flags: flags::PARSE_FAILED | flags::NO_TIME,
    }
}

fn parse_syslog(text: &str, received_us: i64, format: Format) -> Parsed {
    let variant = match format {
        Format::Rfc5424 => Variant::RFC5424,
        Format::Rfc3164 => Variant::RFC3164,
        _ => Variant::Either,
    };
    let text = strip_cisco_prefix(text);
    let received = jiff::Timestamp::from_microsecond(received_us)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)));
    let (ry, rm) = (i32::from(received.year()), received.month() as u32);
    let guessed = Cell::new(false);
    let guessed_ref = &guessed;
    // RFC 3164 has no year: take the receive year, or the year before when the message's
    // month is more than one month after the receive month (a December line read in January).
    let get_year = move |(month, ..): IncompleteDate| {
        guessed_ref.set(true);
        if month > rm + 1 {
            ry - 1
        } else {
            ry
        }
    };
    let Ok(msg) =
        syslog_loose::parse_message_with_year_exact_tz(&text, get_year, Some(cst()), variant)
    else {
        return failed(received_us, format);
    };
    let recognised = match msg.protocol {
        syslog_loose::Protocol::RFC5424(_) => Format::Rfc5424,
        syslog_loose::Protocol::RFC3164 => Format::Rfc3164,
    };
    let mut fl = 0;
    if guessed.get() {
        fl |= flags::YEAR_GUESSED;
    }
    let time_us = match msg.timestamp {
        Some(t) => t.timestamp_micros(),
        None => {
            fl |= flags::NO_TIME;
            received_us
        }
    };
    // A line with neither priority, time, host nor app is not syslog at all.
    if msg.timestamp.is_none()
        && msg.hostname.is_none()
        && msg.appname.is_none()
        && msg.severity.is_none()
    {
        fl |= flags::PARSE_FAILED;
    }
    Parsed {
        time_us,
        host: msg.hostname.map(|h| h.to_string()).filter(|h| h != "-"),
        app: msg.appname.map(|a| a.to_string()).filter(|a| a != "-"),
        severity: msg.severity.map(|s| s as u8),
        facility: msg.facility.map(|f| f as u8),
        format: recognised,
        flags: fl,
    }
}

/// Cisco IOS puts a sequence number and `*`/`.` clock-sync markers before the timestamp:
/// `<189>123: *Mar  1 18:46:11.123: %SEC-6-…`. Reduce that to `<189>Mar  1 18:46:11 %SEC-6-…`.
fn strip_cisco_prefix(text: &str) -> std::borrow::Cow<'_, str> {
    let Some(rest) = text.strip_prefix('<') else {
        return text.into();
    };
    let Some(close) = rest.find('>') else {
        return text.into();
    };
    let (pri, mut after) = (&rest[..close], &rest[close + 1..]);
    // Optional `host: ` before the sequence number (`logging origin-id hostname`).
    let mut host = "";
    if let Some(colon) = after.find(": ") {
        let cand = &after[..colon];
        let is_host = !cand.is_empty()
            && !cand.bytes().all(|b| b.is_ascii_digit())
            && cand
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_');
        let next = &after[colon + 2..];
        if is_host && next.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
            host = cand;
            after = next;
        }
    }
    let digits = after.bytes().take_while(u8::is_ascii_digit).count();
    let Some(after_seq) = after[digits..].strip_prefix(": ").filter(|_| digits > 0) else {
        return text.into();
    };
    let ts = after_seq.trim_start_matches(['*', '.']);
    // "Mar  1 18:46:11.123: " → drop the fraction and the colon.
    let Some(colon) = ts.find(": ") else {
        return text.into();
    };
    let stamp = ts[..colon].split('.').next().unwrap_or(&ts[..colon]);
    let host = if host.is_empty() {
        String::new()
    } else {
        format!("{host} ")
    };
    format!("<{pri}>{stamp} {host}{}", &ts[colon + 2..]).into()
}

/// `%FACILITY-SEVERITY-MNEMONIC:` (Cisco IOS, also Huawei-like `%%01SHELL/5/CMDRECORD`).
fn cisco_mnemonic(text: &str, p: &mut Parsed) {
    let Some(i) = text.find('%') else { return };
    let rest = text[i..].trim_start_matches('%');
    let end = rest
        .find(|c: char| c == ':' || c == '(' || c.is_whitespace())
        .unwrap_or(rest.len());
    let tag = &rest[..end];
    // Huawei/H3C: `%%01SEC/6/POLICYDENY` (a two-digit version, then MODULE/sev/BRIEF).
    let (tag, parts): (&str, Vec<&str>) = if tag.contains('/') {
        let t = tag.trim_start_matches(|c: char| c.is_ascii_digit());
        (t, t.split('/').collect())
    } else {
        (tag, tag.split('-').collect())
    };
    if parts.len() != 3 {
        return;
    }
    let Some(sev) = parts[1].parse::<u8>().ok().filter(|s| *s < 8) else {
        return;
    };
    if !parts
        .iter()
        .all(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
    {
        return;
    }
    if p.severity.is_none() || p.app.is_none() {
        p.severity = Some(sev);
    }
    if p.app.is_none() {
        p.app = Some(tag.to_string());
    }
    p.flags &= !flags::PARSE_FAILED;
}

fn parse_json(text: &str, received_us: i64) -> Parsed {
    let Ok(serde_json::Value::Object(o)) = serde_json::from_str::<serde_json::Value>(text) else {
        return failed(received_us, Format::Jsonl);
    };
    let s = |keys: &[&str]| {
        keys.iter().find_map(|k| match o.get(*k) {
            Some(serde_json::Value::String(v)) if !v.is_empty() => Some(v.clone()),
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            _ => None,
        })
    };
    let mut fl = 0;
    let time_us = s(&[
        "EventTime",
        "@timestamp",
        "timestamp",
        "time",
        "EventReceivedTime",
    ])
    .and_then(|t| parse_time(&t))
    .unwrap_or_else(|| {
        fl |= flags::NO_TIME;
        received_us
    });
    // NXLog SeverityValue: 1 DEBUG, 2 INFO, 3 WARNING, 4 ERROR, 5 CRITICAL.
    let severity = match o.get("SeverityValue").and_then(|v| v.as_u64()) {
        Some(1) => Some(7),
        Some(2) => Some(6),
        Some(3) => Some(4),
        Some(4) => Some(3),
        Some(5) => Some(2),
        _ => s(&["Severity", "severity", "level"])
            .and_then(|n| crate::record::severity_from_name(&n)),
    };
    Parsed {
        time_us,
        host: s(&["Hostname", "hostname", "host", "Computer"]),
        app: s(&[
            "SourceName",
            "app",
            "program",
            "Channel",
            "SourceModuleName",
        ]),
        severity,
        facility: None,
        format: Format::Jsonl,
        flags: fl,
    }
}

/// RFC 3339 with offset, or a civil time (`2026-05-10 08:15:02`) read in Asia/Shanghai.
pub fn parse_time(t: &str) -> Option<i64> {
    if let Ok(ts) = t.parse::<jiff::Timestamp>() {
        return Some(ts.as_microsecond());
    }
    let civil: jiff::civil::DateTime = t.trim().replace(' ', "T").parse().ok()?;
    let z = civil.in_tz("Asia/Shanghai").ok()?;
    Some(z.timestamp().as_microsecond())
}
