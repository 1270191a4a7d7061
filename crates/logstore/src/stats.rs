//! Summaries investigators ask of the matches of a query: a per-hour histogram, and the
//! top values of a field ("which source addresses fail to log in most"). Both are exact:
//! they count the same events `count` and `search` find (tests/exact.rs).

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

use serde::Serialize;

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
        // Per segment in parallel: (matched, without a value, counts).
        type Part = (u64, u64, HashMap<String, u64>);
        let parts = self.fold_matches(
            &req,
            field == TopField::Ip,
            Part::default,
            |(matched, without, counts), c, i, text| {
                *matched += 1;
                let i = i as usize;
                let mut add = |v: &str| *counts.entry(v.to_string()).or_default() += 1;
                let found = match field {
                    TopField::Host => c.meta.host(i).map(&mut add).is_some(),
                    TopField::App => c.meta.app(i).map(&mut add).is_some(),
                    TopField::Source => c.meta.source(i).map(&mut add).is_some(),
                    TopField::Ip => {
                        let mut v = ipv4s(text.unwrap_or_default());
                        v.sort_unstable();
                        v.dedup();
                        let any = !v.is_empty();
                        v.into_iter().for_each(&mut add);
                        any
                    }
                };
                if !found {
                    *without += 1;
                }
            },
        )?;
        let mut top = Top::default();
        let mut counts: HashMap<String, u64> = HashMap::new();
        for (m, w, c) in parts {
            top.matched += m;
            top.without += w;
            for (k, n) in c {
                *counts.entry(k).or_default() += n;
            }
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
}
