//! Summaries investigators ask of the matches of a query: a per-hour histogram, and the
//! top values of a field ("which source addresses fail to log in most"). Both are exact:
//! they count the same events `count` and `search` find (tests/exact.rs).

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::str::FromStr;

use rustc_hash::FxHashMap;

use serde::Serialize;

use crate::block::{ESC, NUM};
use crate::error::{Error, Result};
use crate::search::Request;
use crate::store::{shanghai, Store};

/// A field whose values [`Store::top`] ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopField {
    Host,
    App,
    /// Where the record came from, as `search` shows it (`udp:192.0.2.7`, `file:auth.log`).
    Source,
    /// Every IPv4 address written in the line (counted once per event).
    Ip,
}

impl FromStr for TopField {
    type Err = Error;
    fn from_str(s: &str) -> Result<TopField> {
        Ok(match s {
            "host" => TopField::Host,
            "app" => TopField::App,
            "source" => TopField::Source,
            "ip" => TopField::Ip,
            _ => {
                return Err(Error::Invalid(format!(
                    "field `{s}`: use host, app, source or ip / 字段应为 host、app、source 或 ip"
                )))
            }
        })
    }
}

/// One ranked value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopValue {
    pub value: String,
    pub count: u64,
}

/// The ranking: how many events matched, and the values with most events first.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Top {
    pub matched: u64,
    /// Matching events without the field (no host, no address in the line).
    pub without: u64,
    pub values: Vec<TopValue>,
}

/// The IPv4 addresses in `text`: four decimal parts 0–255 joined by dots, not part of a
/// longer run of digits and dots (`1.2.3.4.5` and `01.2.3.4` are not addresses).
pub fn ipv4s(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && (b[i - 1].is_ascii_digit() || b[i - 1] == b'.')) {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < b.len() && (b[end].is_ascii_digit() || b[end] == b'.') {
            end += 1;
        }
        let run = &text[i..end];
        let parts: Vec<&str> = run.split('.').collect();
        let octet = |p: &&str| {
            !p.is_empty()
                && p.len() <= 3
                && !(p.len() > 1 && p.starts_with('0'))
                && p.parse::<u16>().is_ok_and(|v| v <= 255)
        };
        if parts.len() == 4 && parts.iter().all(octet) {
            out.push(run);
        }
        i = end;
    }
    out
}

/// The addresses [`ipv4s`] finds in a line, read from the line's block template and the
/// numbers of its marks (`block::view`), without writing the line out: a run of marks and
/// dots that starts with a mark is an address when it has four parts, each one mark of at
/// most 255 (a leading zero or a fifth digit makes a second mark). Pushed to `out` as
/// numbers. `false` when the template holds an escaped byte or is not UTF-8 (a GBK or
/// undecodable line): then the decoded line is read instead.
pub(crate) fn ipv4s_in_template(tp: &[u8], vals: &[u64], out: &mut Vec<u32>) -> bool {
    if std::str::from_utf8(tp).is_err() {
        return false;
    }
    let (mut i, mut m) = (0, 0);
    while let Some(k) = memchr::memchr3(NUM, b'.', ESC, &tp[i..]) {
        i += k;
        if tp[i] == ESC {
            return false;
        }
        // One maximal run of marks and dots.
        let mut ok = tp[i] == NUM;
        let (mut parts, mut marks, mut val, mut addr) = (0u32, 0u32, 0u64, 0u32);
        let mut close = |marks: &mut u32, val: u64| {
            ok &= *marks == 1 && val <= 255;
            addr = addr.wrapping_shl(8) | (val & 0xff) as u32;
            parts += 1;
            *marks = 0;
        };
        while i < tp.len() && (tp[i] == NUM || tp[i] == b'.') {
            if tp[i] == NUM {
                let Some(v) = vals.get(m) else { return false };
                (val, m, marks) = (*v, m + 1, marks + 1);
            } else {
                close(&mut marks, val);
            }
            i += 1;
        }
        close(&mut marks, val);
        if ok && parts == 4 {
            out.push(addr);
        }
    }
    true
}

impl Store {
    /// Matches per hour (Asia/Shanghai), keyed `YYYY-MM-DD HH:00`, from the time column —
    /// no text read where the index decides the query (decision 0725).
    pub fn count_by_hour(&self, req: &Request) -> Result<BTreeMap<String, u64>> {
        let mut out: BTreeMap<String, u64> = BTreeMap::new();
        // Asia/Shanghai is a whole number of hours from UTC: an hour bucket is a UTC hour.
        let mut last: Option<(i64, String)> = None;
        self.scan(req, None, false, |_, t, n| {
            let hour = t.div_euclid(3_600_000_000);
            if last.as_ref().is_none_or(|(h, _)| *h != hour) {
                let key = jiff::Timestamp::from_microsecond(t)
                    .map(|x| {
                        x.to_zoned_datetime(shanghai())
                            .strftime("%Y-%m-%d %H:00")
                            .to_string()
                    })
                    .unwrap_or_default();
                last = Some((hour, key));
            }
            if let Some((_, k)) = &last {
                *out.entry(k.clone()).or_default() += n;
            }
            true
        })?;
        Ok(out)
    }

    /// The `n` most frequent values of `field` among the events matching `req` (ties by
    /// value). Reads the matching lines (the address is in the text).
    pub fn top(&self, req: &Request, field: TopField, n: usize) -> Result<Top> {
        let req = Request {
            limit: None,
            ..req.clone()
        };
        // Per segment in parallel: matched, without a value, and the counts (addresses as
        // numbers, read from the templates: no line is written out, decision 0735).
        #[derive(Default)]
        struct Part {
            matched: u64,
            without: u64,
            names: FxHashMap<String, u64>,
            ips: FxHashMap<u32, u64>,
            vals: Vec<u64>,
            found: Vec<u32>,
        }
        let parts = self.fold_matches(&req, Part::default, |p, c, i, blocks| {
            p.matched += 1;
            let iu = i as usize;
            let value = match field {
                TopField::Host => c.meta.host(iu),
                TopField::App => c.meta.app(iu),
                TopField::Source => c.meta.source(iu),
                TopField::Ip => {
                    p.found.clear();
                    let tp = blocks.template_numbers(i, &mut p.vals)?;
                    if !ipv4s_in_template(tp, &p.vals, &mut p.found) {
                        let text = blocks.text(i)?;
                        p.found.extend(
                            ipv4s(&text)
                                .iter()
                                .filter_map(|a| Ipv4Addr::from_str(a).ok().map(u32::from)),
                        );
                    }
                    p.found.sort_unstable();
                    p.found.dedup();
                    for a in &p.found {
                        *p.ips.entry(*a).or_default() += 1;
                    }
                    if p.found.is_empty() {
                        p.without += 1;
                    }
                    return Ok(());
                }
            };
            match value {
                Some(v) => match p.names.get_mut(v) {
                    Some(n) => *n += 1,
                    None => {
                        p.names.insert(v.to_string(), 1);
                    }
                },
                None => p.without += 1,
            }
            Ok(())
        })?;
        let mut top = Top::default();
        let mut counts: FxHashMap<String, u64> = FxHashMap::default();
        let mut ips: FxHashMap<u32, u64> = FxHashMap::default();
        for p in parts {
            top.matched += p.matched;
            top.without += p.without;
            for (k, n) in p.names {
                *counts.entry(k).or_default() += n;
            }
            for (k, n) in p.ips {
                *ips.entry(k).or_default() += n;
            }
        }
        for (a, n) in ips {
            counts.insert(Ipv4Addr::from(a).to_string(), n);
        }
        let mut v: Vec<TopValue> = counts
            .into_iter()
            .map(|(value, count)| TopValue { value, count })
            .collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        v.truncate(n);
        top.values = v;
        Ok(top)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_in_a_line() {
        assert_eq!(
            ipv4s(
                "from 203.0.113.9 port 22, to 10.0.0.1:443 via 1.2.3.4.5 and 01.2.3.4 or 256.1.1.1"
            ),
            ["203.0.113.9", "10.0.0.1"]
        );
        assert_eq!(
            ipv4s("SRC=198.51.100.7 DST=10.1.2.3"),
            ["198.51.100.7", "10.1.2.3"]
        );
        assert_eq!(ipv4s("v1.2.3.4"), ["1.2.3.4"]);
        assert!(ipv4s("version 2.0.1 built 2026.12.04").is_empty());
    }

    /// Addresses read from templates and numbers are those found in the written-out line,
    /// on leading zeros, long digit runs, dots at the edges, escaped and GBK bytes, and
    /// records read out of order.
    #[test]
    fn addresses_from_templates_equal_addresses_in_lines() {
        use crate::block::{encode, view::BlockView};
        let lines: Vec<Vec<u8>> = [
            "Failed password for root from 10.0.0.1 port 22 ssh2",
            "from 203.0.113.9 port 22, to 10.0.0.1:443 via 1.2.3.4.5 and 01.2.3.4 or 256.1.1.1",
            "SRC=198.51.100.7 DST=10.1.2.3 LEN=60",
            "v1.2.3.4 .5.6.7.8 9.10.11.12. 0.0.0.0 255.255.255.255 1.2.3.04",
            "1234567890123456789012.1.1.1 1.1.1.1234567890123456789012 100.200.300.1",
            "version 2.0.1 built 2026.12.04; 8.8.8.8...",
            "来源 192.168.1.10 登录失败 目标 10.0.0.2",
            "ESC \x11 between 10.0.0.\x121 and 10.0.0.3",
            "",
        ]
        .iter()
        .map(|l| l.as_bytes().to_vec())
        .chain([
            // GBK: 登录 失败 from 172.16.0.5, and bytes that are neither GBK nor UTF-8.
            b"\xb5\xc7\xc2\xbc 172.16.0.5 \xca\xa7\xb0\xdc".to_vec(),
            b"\xff\xfe 10.9.8.7 \x80".to_vec(),
        ])
        .collect();
        let recs = crate::block::test_records(&lines);
        let refs: Vec<&[u8]> = recs.iter().map(Vec::as_slice).collect();
        let mut view = BlockView::read(&encode(&refs, 3).unwrap()).unwrap();
        let mut vals = Vec::new();
        let order: Vec<usize> = (0..lines.len()).chain((0..lines.len()).rev()).collect();
        let mut from_templates = 0;
        for j in order {
            let line = crate::parse::decode_text(&lines[j]).0.into_owned();
            let want: Vec<u32> = ipv4s(&line)
                .iter()
                .map(|a| u32::from(a.parse::<Ipv4Addr>().unwrap()))
                .collect();
            let mut got = Vec::new();
            if ipv4s_in_template(
                view.template_numbers(j, &mut vals).unwrap(),
                &vals,
                &mut got,
            ) {
                assert_eq!(got, want, "{line}");
                from_templates += 1;
            }
        }
        // Only the line with escaped bytes and the two that are not UTF-8 go to the text.
        assert_eq!(from_templates, 2 * (lines.len() - 3));
    }
}
