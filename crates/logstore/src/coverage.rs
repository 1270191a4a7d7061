//! Proof of retention, per network and source: the earliest retained event, days without
//! events in the last six months, and integrity — the facts the duty engine needs to compute
//! the status of the six-month log duty (网络安全法 第二十一条（三）) instead of a tick box.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::retention::{FLOOR_CITATION, FLOOR_MONTHS};
use crate::store::{day_of, shanghai, Store};
use crate::verify::VerifyReport;

#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    pub generated_at: String,
    pub floor_months: u32,
    pub floor_citation: &'static str,
    /// First day of the window that must be covered (today − six calendar months).
    pub window_start: String,
    pub today: String,
    pub integrity: Integrity,
    pub networks: Vec<NetworkCoverage>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Integrity {
    pub ok: bool,
    pub suite: String,
    pub checkpoints: usize,
    pub tree_size: u64,
    pub root: String,
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NetworkCoverage {
    pub network: String,
    pub policy_months: u32,
    pub events: u64,
    pub earliest_retained: Option<String>,
    pub latest: Option<String>,
    /// True when the earliest retained event is at or before the window start: six months
    /// of history are actually held (a new network cannot be true yet).
    pub covers_floor: bool,
    pub days_without_events: Vec<String>,
    pub expired_segments: u64,
    pub expired_events: u64,
    pub legal_holds: usize,
    pub integrity_ok: bool,
    pub sources: Vec<SourceCoverage>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceCoverage {
    /// The device's host name, else where the events came from (`file:auth.log`, `udp:10.0.0.5`).
    pub source: String,
    pub events: u64,
    pub earliest_day: String,
    pub latest_day: String,
    /// Days in the window (from this source's first day) with no event from it.
    pub days_without_events: Vec<String>,
}

fn days_between(from: jiff::civil::Date, to: jiff::civil::Date) -> Vec<jiff::civil::Date> {
    let mut out = Vec::new();
    let mut d = from;
    while d <= to {
        out.push(d);
        match d.tomorrow() {
            Ok(n) => d = n,
            Err(_) => break,
        }
    }
    out
}

fn ts(us: i64) -> String {
    jiff::Timestamp::from_microsecond(us)
        .map(|t| t.to_zoned_datetime(shanghai()).to_string())
        .unwrap_or_default()
}

impl Store {
    /// Coverage of every network, with integrity from a full `verify` (pass one in to reuse it).
    pub fn coverage(&self, verified: Option<VerifyReport>) -> Coverage {
        let v = verified.unwrap_or_else(|| self.verify());
        let now = self.now().to_zoned_datetime(shanghai());
        let today = now.date();
        let window = self.cutoff(FLOOR_MONTHS);
        let window_day = window.to_zoned_datetime(shanghai()).date();
        let global_bad = v.problems.iter().any(|p| p.network.is_none());
        let mut networks = Vec::new();
        for net in self.catalog.networks() {
            let live: Vec<_> = self
                .catalog
                .live
                .values()
                .filter(|s| s.network == net)
                .collect();
            let expired: Vec<_> = self
                .catalog
                .expired
                .values()
                .filter(|(s, _)| s.network == net)
                .collect();
            let earliest = live.iter().map(|s| s.min_time_us).min();
            let days: BTreeSet<&str> = live.iter().map(|s| s.day.as_str()).collect();
            let gaps = |from: jiff::civil::Date, have: &dyn Fn(&str) -> bool| -> Vec<String> {
                days_between(from.max(window_day), today)
                    .into_iter()
                    .map(|d| d.to_string())
                    .filter(|d| !have(d))
                    .collect()
            };
            let mut per_source: BTreeMap<&str, (u64, BTreeSet<&str>)> = BTreeMap::new();
            for s in &live {
                for (src, n) in &s.sources {
                    let e = per_source.entry(src.as_str()).or_default();
                    e.0 += n;
                    e.1.insert(s.day.as_str());
                }
            }
            let sources = per_source
                .into_iter()
                .map(|(src, (n, ds))| {
                    let first = ds.iter().next().copied().unwrap_or_default();
                    let first_date = first.parse::<jiff::civil::Date>().unwrap_or(window_day);
                    SourceCoverage {
                        source: src.to_string(),
                        events: n,
                        earliest_day: first.to_string(),
                        latest_day: ds.iter().last().copied().unwrap_or_default().to_string(),
                        days_without_events: gaps(first_date, &|d| ds.contains(d)),
                    }
                })
                .collect();
            let integrity_ok = !global_bad
                && !v
                    .problems
                    .iter()
                    .any(|p| p.network.as_deref() == Some(net.as_str()));
            networks.push(NetworkCoverage {
                policy_months: self.policy_months(&net),
                events: live.iter().map(|s| s.count).sum(),
                earliest_retained: earliest.map(ts),
                latest: live.iter().map(|s| s.max_time_us).max().map(ts),
                covers_floor: earliest.is_some_and(|e| e <= window.as_microsecond()),
                days_without_events: gaps(window_day, &|d| days.contains(d)),
                expired_segments: expired.len() as u64,
                expired_events: expired.iter().map(|(s, _)| s.count).sum(),
                legal_holds: self
                    .holds()
                    .iter()
                    .filter(|h| h.network.as_ref().is_none_or(|n| *n == net))
                    .count(),
                integrity_ok,
                sources,
                network: net,
            });
        }
        Coverage {
            generated_at: now.to_string(),
            floor_months: FLOOR_MONTHS,
            floor_citation: FLOOR_CITATION,
            window_start: day_of(window.as_microsecond()),
            today: today.to_string(),
            integrity: Integrity {
                ok: v.ok,
                suite: v.suite.name().to_string(),
                checkpoints: v.checkpoints,
                tree_size: v.tree_size,
                root: v.root.clone(),
                problems: v.problems.iter().map(|p| p.to_string()).collect(),
            },
            networks,
        }
    }
}
