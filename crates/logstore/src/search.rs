//! Running a query over the segments: pick segments by network and time from the catalog,
//! narrow to candidate events with the term index, decide exactly with the columns, and
//! confirm substring leaves on the raw text — so answers equal `grep -F` on the lines.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::checkpoint::SegmentEntry;
use crate::cursor::Cursor;
use crate::error::Result;
use crate::index::Postings;
use crate::parse::{self, flags};
use crate::postings::{intersect, union};
use crate::query::{required_prefix, required_terms, Cmp, Field, Query};
use crate::record::{Record, SEVERITY_NAMES};
use crate::segment::{BlockInfo, SegmentReader};
use crate::store::{day_of, Store};
use rayon::prelude::*;

#[derive(Debug, Clone, Default)]
pub struct Request {
    pub query: Option<Query>,
    pub from_us: Option<i64>,
    /// Exclusive.
    pub to_us: Option<i64>,
    pub limit: Option<usize>,
}

/// One matching event.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub time: String,
    pub network: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<&'static str>,
    pub source: String,
    /// The raw line decoded for display (GBK transcoded); the evidence is the raw bytes.
    pub message: String,
    pub flags: Vec<&'static str>,
    /// Merkle leaf number: the handle for an inclusion proof.
    pub leaf: u64,
    pub segment: u64,
    /// Where this event stands in the result order: `--after` this to page on.
    pub cursor: String,
    #[serde(skip)]
    pub time_us: i64,
    #[serde(skip)]
    pub record: Vec<u8>,
}

pub fn flag_names(f: u8) -> Vec<&'static str> {
    let mut v = Vec::new();
    for (bit, name) in [
        (flags::PARSE_FAILED, "parse_failed"),
        (flags::GBK, "gbk"),
        (flags::YEAR_GUESSED, "year_guessed"),
        (flags::UNDECODABLE, "undecodable"),
        (flags::NO_TIME, "no_time"),
    ] {
        if f & bit != 0 {
            v.push(name);
        }
    }
    v
}

/// Counts: total and per calendar day (Asia/Shanghai), for charts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub total: u64,
    pub by_day: BTreeMap<String, u64>,
}

struct Ctx<'a> {
    network: &'a str,
    meta: &'a crate::segment::SegMeta,
}

fn field_ok(value: Option<&str>, want: &str, prefix: bool) -> bool {
    let Some(v) = value else { return false };
    if prefix {
        v.to_lowercase().starts_with(&want.to_lowercase())
    } else {
        v.eq_ignore_ascii_case(want) || v.to_lowercase() == want.to_lowercase()
    }
}

fn sev_ok(sev: Option<u8>, op: Cmp, level: u8) -> bool {
    let Some(s) = sev else { return false };
    match op {
        Cmp::Eq => s == level,
        Cmp::Le => s <= level,
        Cmp::Ge => s >= level,
        Cmp::Lt => s < level,
        Cmp::Gt => s > level,
    }
}

/// Exact match set from index + columns, when [`Query::decided_by_index`] holds: no
/// substring leaf, and term leaves only when postings name events (format 3).
fn exact(q: &Query, c: &Ctx<'_>, r: &SegmentReader) -> Result<Vec<bool>> {
    let n = c.meta.len();
    let mark = |posts: Vec<u32>| {
        let mut v = vec![false; n];
        for p in posts {
            if let Some(b) = v.get_mut(p as usize) {
                *b = true;
            }
        }
        v
    };
    Ok(match q {
        Query::All => vec![true; n],
        Query::Term(t) => mark(r.postings(t)?.list),
        Query::Prefix(p) => mark(r.prefix_postings(p)?.list),
        // Not reached: a substring leaf is never decided by the index.
        Query::Substr { .. } => vec![true; n],
        Query::Field { .. } | Query::Severity { .. } => {
            (0..n).map(|i| column_ok(q, c, i)).collect()
        }
        Query::And(v) => {
            let mut acc = vec![true; n];
            for q in v {
                for (a, b) in acc.iter_mut().zip(exact(q, c, r)?) {
                    *a &= b;
                }
            }
            acc
        }
        Query::Or(v) => {
            let mut acc = vec![false; n];
            for q in v {
                for (a, b) in acc.iter_mut().zip(exact(q, c, r)?) {
                    *a |= b;
                }
            }
            acc
        }
        Query::Not(q) => exact(q, c, r)?.into_iter().map(|b| !b).collect(),
    })
}

fn column_ok(q: &Query, c: &Ctx<'_>, i: usize) -> bool {
    match q {
        Query::Field {
            field,
            value,
            prefix,
        } => match field {
            Field::Host => field_ok(c.meta.host(i), value, *prefix),
            Field::App => field_ok(c.meta.app(i), value, *prefix),
            Field::Source => field_ok(c.meta.source(i), value, *prefix),
            Field::Network => field_ok(Some(c.network), value, *prefix),
        },
        Query::Severity { op, level } => sev_ok(c.meta.severity(i), *op, *level),
        _ => true,
    }
}

/// Every event ordinal of the given blocks.
fn expand(bs: &[u32], blocks: &[BlockInfo]) -> Vec<u32> {
    let mut out = Vec::new();
    for b in bs {
        if let Some(info) = blocks.get(*b as usize) {
            out.extend(info.first..info.first + info.count);
        }
    }
    out
}

/// The events a posting list covers: itself, or every event of its blocks.
fn events_of(p: Postings, r: &SegmentReader) -> Vec<u32> {
    if p.events {
        p.list
    } else {
        expand(&p.list, &r.blocks)
    }
}

/// Whether the index and columns decide `q` on this segment without reading text: no
/// substring leaf, and every term leaf has per-event postings here (format 3, decision 0725).
fn decided(q: &Query, r: &SegmentReader) -> Result<bool> {
    Ok(match q {
        Query::Substr { .. } => false,
        Query::Term(t) => r.per_event() && r.postings(t)?.events,
        Query::Prefix(p) => r.per_event() && r.prefix_postings(p)?.events,
        Query::And(v) | Query::Or(v) => {
            for q in v {
                if !decided(q, r)? {
                    return Ok(false);
                }
            }
            true
        }
        Query::Not(q) => decided(q, r)?,
        Query::All | Query::Field { .. } | Query::Severity { .. } => true,
    })
}

/// Candidate events from the index (a superset of the matches); `None` = all of them.
fn candidates(q: &Query, r: &SegmentReader) -> Result<Option<Vec<u32>>> {
    Ok(match q {
        Query::Term(t) => Some(events_of(r.postings(t)?, r)),
        Query::Prefix(p) => Some(events_of(r.prefix_postings(p)?, r)),
        Query::Substr { text, .. } => {
            let mut acc: Option<Vec<u32>> = match required_prefix(text) {
                Some(p) => Some(events_of(r.prefix_postings(&p)?, r)),
                None => None,
            };
            for t in required_terms(text) {
                if acc.as_ref().is_some_and(Vec::is_empty) {
                    break;
                }
                let p = events_of(r.postings(&t)?, r);
                acc = Some(match acc {
                    None => p,
                    Some(a) => intersect(&a, &p),
                });
                if acc.as_ref().is_some_and(Vec::is_empty) {
                    break;
                }
            }
            acc
        }
        Query::And(v) => {
            let mut acc: Option<Vec<u32>> = None;
            for q in v {
                if let Some(b) = candidates(q, r)? {
                    acc = Some(match acc {
                        None => b,
                        Some(a) => intersect(&a, &b),
                    });
                    if acc.as_ref().is_some_and(Vec::is_empty) {
                        break;
                    }
                }
            }
            acc
        }
        Query::Or(v) => {
            let mut all = Vec::new();
            for q in v {
                let Some(b) = candidates(q, r)? else {
                    return Ok(None);
                };
                all = union(&all, &b);
            }
            Some(all)
        }
        _ => None,
    })
}

/// Whether `text` has the whole token `t` (lower-case ASCII) — or, with `prefix`, a token
/// starting with `t` — as [`crate::index::terms`] would cut it, without allocating.
fn has_token(text: &str, t: &str, prefix: bool) -> bool {
    let (h, n) = (text.as_bytes(), t.as_bytes());
    if n.is_empty() {
        return false;
    }
    let tok = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    while i + n.len() <= h.len() {
        if (i == 0 || !tok(h[i - 1])) && h[i..i + n.len()].eq_ignore_ascii_case(n) {
            let end = i + n.len();
            if prefix || end == h.len() || !tok(h[end]) {
                return true;
            }
        }
        i += 1;
    }
    false
}

/// The full predicate on one event's text.
fn text_ok(q: &Query, text: &str, c: &Ctx<'_>, i: usize) -> bool {
    match q {
        Query::All => true,
        Query::Term(t) => has_token(text, t, false),
        Query::Prefix(t) => has_token(text, t, true),
        Query::Substr {
            text: needle,
            case_sensitive,
        } => {
            if *case_sensitive {
                text.contains(needle.as_str())
            } else {
                text.to_lowercase().contains(&needle.to_lowercase())
            }
        }
        Query::Field { .. } | Query::Severity { .. } => column_ok(q, c, i),
        Query::And(v) => v.iter().all(|q| text_ok(q, text, c, i)),
        Query::Or(v) => v.iter().any(|q| text_ok(q, text, c, i)),
        Query::Not(q) => !text_ok(q, text, c, i),
    }
}

/// A callback adding matches to `c`, per day (Asia/Shanghai). Times arrive in order within a
/// segment, so the last hour's day is remembered.
fn tally(c: &mut Counts) -> impl FnMut(Option<Hit>, i64, u64) -> bool + '_ {
    let mut last: Option<(i64, String)> = None;
    move |_, t, m| {
        c.total += m;
        let hour = t.div_euclid(3_600_000_000);
        let day = match &last {
            Some((h, d)) if *h == hour => d.clone(),
            _ => {
                let d = day_of(t);
                last = Some((hour, d.clone()));
                d
            }
        };
        *c.by_day.entry(day).or_default() += m;
        true
    }
}

impl Store {
    /// Stream matching events to `on_hit` (return `false` to stop), oldest segment first.
    pub fn search(&self, req: &Request, on_hit: impl FnMut(Hit) -> bool) -> Result<u64> {
        self.search_after(req, None, on_hit)
    }

    /// [`Store::search`] from the event after `after` (a page's last hit's
    /// [`Hit::cursor`]): the segments before it are not read.
    pub fn search_after(
        &self,
        req: &Request,
        after: Option<&Cursor>,
        mut on_hit: impl FnMut(Hit) -> bool,
    ) -> Result<u64> {
        let mut n = 0u64;
        self.scan(req, after, true, |hit, _, _| {
            let Some(hit) = hit else { return true };
            n += 1;
            on_hit(hit) && req.limit.is_none_or(|l| (n as usize) < l)
        })?;
        Ok(n)
    }

    /// Count matches, per day.
    pub fn count(&self, req: &Request) -> Result<Counts> {
        // Segments are counted in parallel, each into its own tally.
        let q = req.query.clone().unwrap_or(Query::All);
        let parts: Vec<Counts> = self
            .segments_for(req, &q)
            .par_iter()
            .map(|s| -> Result<Counts> {
                let mut c = Counts::default();
                {
                    let mut t = tally(&mut c);
                    self.scan_segment(s, req, None, &q, false, true, &mut t)?;
                }
                Ok(c)
            })
            .collect::<Result<_>>()?;
        let mut c = Counts::default();
        for p in parts {
            c.total += p.total;
            for (d, n) in p.by_day {
                *c.by_day.entry(d).or_default() += n;
            }
        }
        Ok(c)
    }

    /// The live segments a request may touch, oldest first.
    fn segments_for(&self, req: &Request, q: &Query) -> Vec<&SegmentEntry> {
        let mut segs: Vec<&SegmentEntry> = self
            .catalog
            .live
            .values()
            .filter(|s| {
                req.from_us.is_none_or(|f| s.max_time_us >= f)
                    && req.to_us.is_none_or(|t| s.min_time_us < t)
            })
            .filter(|s| match q {
                // Cheap segment-level skip on network:.
                Query::And(v) => !v.iter().any(|x| matches!(x, Query::Field { field: Field::Network, value, prefix } if !field_ok(Some(&s.network), value, *prefix))),
                _ => true,
            })
            .collect();
        segs.sort_by_key(|s| (s.min_time_us, s.id));
        segs
    }

    /// Every match in time order, to `f` (a hit when `want_hits`, else only its time);
    /// `f(hit, time, n)` stands for `n` events at `time` (always 1 here).
    pub(crate) fn scan(
        &self,
        req: &Request,
        after: Option<&Cursor>,
        want_hits: bool,
        mut f: impl FnMut(Option<Hit>, i64, u64) -> bool,
    ) -> Result<()> {
        let q = req.query.clone().unwrap_or(Query::All);
        let segs = self.segments_for(req, &q);
        for s in segs
            .into_iter()
            .filter(|s| after.is_none_or(|c| c.keeps_segment(s)))
        {
            if !self.scan_segment(s, req, after, &q, want_hits, false, &mut f)? {
                return Ok(());
            }
        }
        Ok(())
    }

    /// Matches of one segment, in time order, to `f`; `Ok(false)` when `f` said stop. With
    /// `per_day`, a whole segment matching everything is one call for all its events.
    #[allow(clippy::too_many_arguments)] // the scan's knobs, each a plain value
    fn scan_segment(
        &self,
        s: &SegmentEntry,
        req: &Request,
        after: Option<&Cursor>,
        q: &Query,
        want_hits: bool,
        per_day: bool,
        f: &mut dyn FnMut(Option<Hit>, i64, u64) -> bool,
    ) -> Result<bool> {
        // The histogram of everything in a whole segment needs no file: a segment is one day.
        if !want_hits
            && per_day
            && *q == Query::All
            && req.from_us.is_none_or(|f| s.min_time_us >= f)
            && req.to_us.is_none_or(|t| s.max_time_us < t)
        {
            return Ok(f(None, s.min_time_us, s.count));
        }
        let r = SegmentReader::open(&self.dir.join("segments").join(&s.file))?;
        // Format 3: term leaves are decided by per-event postings, no text read (0725).
        let exact_q = decided(q, &r)?;
        // Candidates also when the index decides: a term absent from this segment ends it
        // here, before its columns are read.
        let cands_ix = candidates(q, &r)?;
        if cands_ix.as_ref().is_some_and(Vec::is_empty) {
            return Ok(true);
        }
        let meta = r.meta()?;
        let times = meta.times();
        let ctx = Ctx {
            network: &s.network,
            meta,
        };
        let in_time = |i: usize| {
            req.from_us.is_none_or(|f| times[i] >= f)
                && req.to_us.is_none_or(|t| times[i] < t)
                && after.is_none_or(|c| c.keeps_event(s, times[i], i as u32))
        };
        let cands: Vec<u32> = if exact_q {
            exact(q, &ctx, &r)?
                .iter()
                .enumerate()
                .filter(|(i, b)| **b && in_time(*i))
                .map(|(i, _)| i as u32)
                .collect()
        } else {
            match cands_ix {
                Some(es) => es.into_iter().filter(|i| in_time(*i as usize)).collect(),
                None => (0..times.len() as u32)
                    .filter(|i| in_time(*i as usize))
                    .collect(),
            }
        };
        if cands.is_empty() {
            return Ok(true);
        }
        let mut ordered = cands;
        ordered.sort_by_key(|i| (times[*i as usize], *i));
        let mut cache: Option<(usize, Vec<Vec<u8>>)> = None;
        for i in ordered {
            let need_record = want_hits || !exact_q;
            let mut hit = None;
            if need_record {
                let b = r.block_of(i);
                if cache.as_ref().is_none_or(|(cb, _)| *cb != b) {
                    cache = Some((b, r.block(b)?));
                }
                let Some((_, recs)) = &cache else { continue };
                let first = r.blocks[b].first;
                let Some(bytes) = recs.get((i - first) as usize) else {
                    continue;
                };
                let raw = crate::record::raw_of(bytes).ok_or_else(|| {
                    crate::Error::Corrupt(format!("segment {}: record {i} / 记录损坏", s.id))
                })?;
                let (text, _) = parse::decode_text(raw);
                if !exact_q && !text_ok(q, &text, &ctx, i as usize) {
                    continue;
                }
                if want_hits {
                    let rec = Record::decode(bytes)?;
                    let iu = i as usize;
                    hit = Some(Hit {
                        time: jiff::Timestamp::from_microsecond(times[iu])
                            .map(|t| {
                                t.to_zoned_datetime(crate::store::shanghai())
                                    .strftime("%Y-%m-%dT%H:%M:%S%.f%:z")
                                    .to_string()
                            })
                            .unwrap_or_default(),
                        network: s.network.clone(),
                        host: meta.host(iu).map(String::from),
                        app: meta.app(iu).map(String::from),
                        severity: meta.severity(iu).map(|v| SEVERITY_NAMES[v as usize]),
                        source: rec.source.clone(),
                        message: text.trim_end().to_string(),
                        flags: flag_names(meta.flags[iu]),
                        leaf: s.first_leaf + u64::from(i),
                        segment: s.id,
                        cursor: Cursor::at(s, times[iu], i).to_string(),
                        time_us: times[iu],
                        record: bytes.clone(),
                    });
                }
            }
            if !f(hit, times[i as usize], 1) {
                return Ok(false);
            }
        }
        Ok(true)
    }
}
