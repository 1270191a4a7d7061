//! Parsing a raw record into the fields search and coverage use. Parsing never fails: a
//! message no parser understands keeps its raw bytes, gets [`flags::PARSE_FAILED`], and is
//! timed by its receive time. GBK bytes are transcoded here, for indexing only.

use std::cell::Cell;
use std::ops::Range;

use chrono::{FixedOffset, Offset, Utc};
use serde::Serialize;
use syslog_loose::{IncompleteDate, Variant};

use crate::record::{Format, Record};

mod header;

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
    /// The sender's process id (RFC 5424 PROCID, the `[1234]` of an RFC 3164 tag).
    pub pid: Option<String>,
    /// Where the message (after the header) lies in [`decode_text`]'s text; the whole text
    /// when nothing was parsed. See [`Parsed::message`].
    pub msg: Range<usize>,
    /// The format that was actually recognised.
    pub format: Format,
    pub flags: u8,
}

impl Parsed {
    /// The message after the syslog header, given the record's [`decode_text`].
    pub fn message<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.msg.clone()).unwrap_or(text)
    }
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
        p.pid = None;
    }
    if p.app.as_deref().is_some_and(|a| a.starts_with('%')) {
        // A Huawei `%%01SHELL/5/CMDRECORD(s)[0]` tag: the `[0]` is a sequence, not a pid.
        p.app = None;
        p.pid = None;
    }
    if p.app.is_none() || p.severity.is_none() {
        cisco_mnemonic(text, &mut p);
    }
    p
}

fn failed(received_us: i64, format: Format, len: usize) -> Parsed {
    Parsed {
        time_us: received_us,
        host: None,
        app: None,
        severity: None,
        facility: None,
        pid: None,
        msg: 0..len,
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
    let original = text;
    let received = jiff::Timestamp::from_microsecond(received_us)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)));
    let received = header::Received {
        year: received.year(),
        month: received.month(),
    };
    let cisco = strip_cisco_prefix(text);
    let normalised = header::normalise(&cisco, received);
    let text = &*normalised.text;
    let guessed = Cell::new(normalised.year_guessed);
    let guessed_ref = &guessed;
    // RFC 3164 has no year: take the receive year, or the year before when the message's
    // month is more than one month after the receive month (a December line read in January).
    let get_year = move |(month, ..): IncompleteDate| {
        guessed_ref.set(true);
        let month = i8::try_from(month).unwrap_or(i8::MAX);
        i32::from(received.year_for(month))
    };
    let Ok(msg) =
        syslog_loose::parse_message_with_year_exact_tz(text, get_year, Some(cst()), variant)
    else {
        return failed(received_us, format, original.len());
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
        return failed(received_us, format, original.len());
    }
    let pid = match msg.procid {
        Some(syslog_loose::ProcId::PID(n)) => Some(n.to_string()),
        Some(syslog_loose::ProcId::Name(n)) if n != "-" => Some(n.to_string()),
        _ => None,
    };
    Parsed {
        time_us,
        host: msg.hostname.map(|h| h.to_string()).filter(|h| h != "-"),
        app: msg.appname.map(|a| a.to_string()).filter(|a| a != "-"),
        severity: msg.severity.map(|s| s as u8),
        facility: msg.facility.map(|f| f as u8),
        pid,
        msg: message_range(
            original,
            text,
            msg.msg,
            recognised == Format::Rfc3164 && msg.structured_data.is_empty(),
        ),
        format: recognised,
        flags: fl,
    }
}

/// Where `msg` (a slice of `parsed`, the header-normalised text) lies in `original`. Only
/// the header is ever rewritten, so the message and all after it are a suffix of both.
/// A leading byte-order mark (RFC 5424 `BOM`) is not part of the message.
fn message_range(original: &str, parsed: &str, msg: &str, bsd_no_sd: bool) -> Range<usize> {
    let whole = 0..original.len();
    let Some(mut start) = (msg.as_ptr() as usize).checked_sub(parsed.as_ptr() as usize) else {
        return whole;
    };
    let mut msg_len = msg.len();
    // syslog_loose reads a `-` after the tag as empty structured data even in RFC 3164
    // (H3C: `%%10SYSLOG/6/SYSLOG_RESTART: -DevIP=1.1.1.1; …`): it belongs to the message.
    if bsd_no_sd {
        if let Some(before) = parsed.get(..start) {
            let dash = before.trim_end_matches(' ');
            if dash.ends_with('-') && dash[..dash.len() - 1].ends_with([' ', ':']) {
                msg_len += start - (dash.len() - 1);
                start = dash.len() - 1;
            }
        }
    }
    let Some(tail) = parsed.get(start..) else {
        return whole;
    };
    if !original.ends_with(tail) || start + msg_len > parsed.len() {
        return whole;
    }
    let mut begin = original.len() - tail.len();
    let end = begin + msg_len;
    if original[begin..end].starts_with('\u{FEFF}') {
        begin += '\u{FEFF}'.len_utf8();
    }
    begin..end
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
    // "Mar  1 18:46:11.123: " → drop the colon (the fraction is read by `header`).
    let Some(colon) = ts.find(": ") else {
        return text.into();
    };
    let stamp = &ts[..colon];
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
        return failed(received_us, Format::Jsonl, text.len());
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
        pid: s(&["pid", "ProcessID", "process_id"]),
        msg: 0..text.len(),
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
