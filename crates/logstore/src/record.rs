//! The record model: the raw bytes as received (the evidence) plus where and when they
//! arrived. Only [`Record::encode`]'s bytes are hashed into the Merkle tree; everything
//! parsed from them (time, host, app, severity) is derived and can be recomputed.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// How a raw message was framed/encoded by its sender, as chosen at ingest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Decide per message: JSON object → jsonl, `<PRI>1 ` → RFC 5424, else RFC 3164.
    Auto,
    Rfc5424,
    Rfc3164,
    Jsonl,
}

impl Format {
    pub fn code(self) -> u8 {
        match self {
            Format::Auto => 0,
            Format::Rfc5424 => 1,
            Format::Rfc3164 => 2,
            Format::Jsonl => 3,
        }
    }
    pub fn from_code(c: u8) -> Option<Format> {
        Some(match c {
            0 => Format::Auto,
            1 => Format::Rfc5424,
            2 => Format::Rfc3164,
            3 => Format::Jsonl,
            _ => return None,
        })
    }
    pub fn parse_name(s: &str) -> Option<Format> {
        Some(match s.to_ascii_lowercase().as_str() {
            "auto" => Format::Auto,
            "rfc5424" | "5424" => Format::Rfc5424,
            "rfc3164" | "3164" | "bsd" => Format::Rfc3164,
            "jsonl" | "json" | "ndjson" => Format::Jsonl,
            _ => return None,
        })
    }
}

/// One event as received: the unit of evidence and the Merkle leaf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Receive time, microseconds since the Unix epoch (UTC).
    pub received_us: i64,
    /// The network (定级对象) this source belongs to.
    pub network: String,
    /// Where it came from: `file:<name>:<line>`, later `udp:<addr>`, `tcp:<addr>`.
    pub source: String,
    pub format: Format,
    /// The bytes exactly as received, without the line terminator / frame header.
    pub raw: Vec<u8>,
}

const RECORD_VERSION: u8 = 1;

impl Record {
    /// The canonical encoding that is stored and hashed:
    /// `0x01 ‖ received_us (i64 BE) ‖ u16 len ‖ network ‖ u16 len ‖ source ‖ format u8 ‖ u32 len ‖ raw`.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            1 + 8 + 2 + self.network.len() + 2 + self.source.len() + 5 + self.raw.len(),
        );
        out.push(RECORD_VERSION);
        out.extend_from_slice(&self.received_us.to_be_bytes());
        put_short(&mut out, self.network.as_bytes());
        put_short(&mut out, self.source.as_bytes());
        out.push(self.format.code());
        out.extend_from_slice(&(self.raw.len() as u32).to_be_bytes());
        out.extend_from_slice(&self.raw);
        out
    }

    pub fn decode(b: &[u8]) -> Result<Record> {
        let bad = |what: &str| Error::Corrupt(format!("record: {what} / 记录损坏: {what}"));
        let mut r = Reader { b, pos: 0 };
        if r.take(1).ok_or_else(|| bad("empty"))?[0] != RECORD_VERSION {
            return Err(bad("unknown version"));
        }
        let t = r.take(8).ok_or_else(|| bad("time"))?;
        let received_us = i64::from_be_bytes(t.try_into().map_err(|_| bad("time"))?);
        let network = r.short_str().ok_or_else(|| bad("network"))?;
        let source = r.short_str().ok_or_else(|| bad("source"))?;
        let format = Format::from_code(r.take(1).ok_or_else(|| bad("format"))?[0])
            .ok_or_else(|| bad("format code"))?;
        let l = r.take(4).ok_or_else(|| bad("raw length"))?;
        let len = u32::from_be_bytes(l.try_into().map_err(|_| bad("raw length"))?) as usize;
        let raw = r.take(len).ok_or_else(|| bad("raw bytes"))?.to_vec();
        if r.pos != b.len() {
            return Err(bad("trailing bytes"));
        }
        Ok(Record {
            received_us,
            network,
            source,
            format,
            raw,
        })
    }
}

/// The raw bytes of a canonical record, without decoding the rest (`None` when malformed).
pub fn raw_of(b: &[u8]) -> Option<&[u8]> {
    let short = |at: usize| {
        b.get(at..at + 2)
            .map(|x| usize::from(u16::from_be_bytes([x[0], x[1]])))
    };
    let nl = short(9)?;
    let sl = short(11 + nl)?;
    let h = 18 + nl + sl;
    let l = b.get(h - 4..h)?;
    let len = u32::from_be_bytes([l[0], l[1], l[2], l[3]]) as usize;
    (b.first() == Some(&RECORD_VERSION) && h + len == b.len()).then(|| &b[h..])
}

fn put_short(out: &mut Vec<u8>, s: &[u8]) {
    let s = &s[..s.len().min(u16::MAX as usize)];
    out.extend_from_slice(&(s.len() as u16).to_be_bytes());
    out.extend_from_slice(s);
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.b.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }
    fn short_str(&mut self) -> Option<String> {
        let l = self.take(2)?;
        let n = u16::from_be_bytes([l[0], l[1]]) as usize;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
}

/// Syslog severity 0 (emerg) … 7 (debug).
pub const SEVERITY_NAMES: [&str; 8] = [
    "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
];

/// A severity from its name (`err`, `error`, `warn`, …) or number.
pub fn severity_from_name(s: &str) -> Option<u8> {
    let s = s.to_ascii_lowercase();
    if let Ok(n) = s.parse::<u8>() {
        return (n < 8).then_some(n);
    }
    Some(match s.as_str() {
        "emerg" | "emergency" | "panic" => 0,
        "alert" => 1,
        "crit" | "critical" => 2,
        "err" | "error" => 3,
        "warning" | "warn" => 4,
        "notice" => 5,
        "info" | "informational" => 6,
        "debug" => 7,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_round_trips_including_gbk_bytes() {
        let r = Record {
            received_us: 1_780_000_000_000_000,
            network: "办公网".into(),
            source: "file:fw.log:3".into(),
            format: Format::Rfc3164,
            raw: vec![0xc4, 0xe3, 0xba, 0xc3, b'\n', 0xff],
        };
        assert_eq!(Record::decode(&r.encode()).unwrap(), r);
        assert_eq!(raw_of(&r.encode()), Some(&r.raw[..]));
        let mut e = r.encode();
        e.push(0);
        assert!(Record::decode(&e).is_err());
    }
}
