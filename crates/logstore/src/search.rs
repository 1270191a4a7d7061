//! Running a query over the segments: pick segments by network and time from the catalog,
//! narrow to candidate events with the term index, decide exactly with the columns, and
//! confirm substring leaves on the raw text — so answers equal `grep -F` on the lines.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::checkpoint::SegmentEntry;
use crate::cursor::Cursor;
use crate::error::Result;
use crate::index::{small_number, Postings};
use crate::matcher::{column_ok, field_ok, Blocks, Check, Ctx};
use crate::parse::{self, flags};
use crate::postings::{intersect, union};
use crate::query::{
    required_prefix, required_runs, required_terms, whole_run, Field, Query, RunNeed,
};
use crate::record::{Record, SEVERITY_NAMES};
use crate::segment::{BlockInfo, SegmentReader};
use crate::store::{day_of, Store};
use crate::tokenize::RUN_MARK;
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
        // A dotted run's postings are its answer (format 4 writes them naming events);
        // other substring leaves are not decided.
        Query::Substr { text, .. } => match whole_run(text) {
            Some(run) => {
                let p = run_postings(&RunNeed::Holds(run.into()), r)?;
                if !p.events {
                    return Err(crate::Error::Corrupt(
                        "dotted-run postings name blocks, not events / 段索引损坏".into(),
                    ));
                }
                mark(p.list)
            }
            None => vec![true; n],
        },
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

/// Whether the index and columns decide `q` on this segment without reading text: every
/// term leaf has per-event postings here (format 3, decision 0725), and every substring
/// leaf is one dotted run whose terms this segment has (format 4, decision 0736).
fn decided(q: &Query, r: &SegmentReader) -> Result<bool> {
    Ok(match q {
        Query::Substr { text, .. } => r.runs() && whole_run(text).is_some(),
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

/// The postings of the dotted-run terms standing as `need` says (format 4, decision 0736).
fn run_postings(need: &RunNeed, r: &SegmentReader) -> Result<Postings> {
    let mark = |run: &str| format!("{RUN_MARK}{run}");
    match need {
        RunNeed::Is(run) => r.postings(&mark(run)),
        RunNeed::Starts(run) => r.prefix_postings(&mark(run)),
        RunNeed::Ends(run) => r.postings_where(&mark(""), |t| t.ends_with(run.as_bytes())),
        RunNeed::Holds(run) => {
            let finder = memchr::memmem::Finder::new(run.as_bytes());
            r.postings_where(&mark(""), |t| finder.find(&t[1..]).is_some())
        }
    }
}

/// Candidate events from the index (a superset of the matches); `None` = all of them.
fn candidates(q: &Query, r: &SegmentReader) -> Result<Option<Vec<u32>>> {
    Ok(match q {
        Query::Term(t) => Some(events_of(r.postings(t)?, r)),
        Query::Prefix(p) => Some(events_of(r.prefix_postings(p)?, r)),
        Query::Substr { text, .. } => {
            // Dotted runs first: an address is rare where its numbers are everywhere.
            let runs = if r.runs() {
                required_runs(text)
            } else {
                Vec::new()
            };
            let mut acc: Option<Vec<u32>> = None;
            for need in &runs {
                let p = events_of(run_postings(need, r)?, r);
                acc = Some(match acc {
                    None => p,
                    Some(a) => intersect(&a, &p),
                });
            }
            // The last token, cut at the end, as a prefix: a union that can be large, so
            // only when no dotted run narrowed the search.
            if runs.is_empty() {
                if let Some(p) = required_prefix(text) {
                    acc = Some(events_of(r.prefix_postings(&p)?, r));
                }
            }
            for t in required_terms(text) {
                if acc.as_ref().is_some_and(Vec::is_empty) {
                    break;
                }
                // A small number's postings name blocks: nothing a dotted run did not say.
                if !runs.is_empty() && small_number(&t) {
                    continue;
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

    /// The events of segment `s` (open as `r`) that match `q` in the request's window and
    /// after `after`, in ordinal order, with the segment's time column; `None` when none.
    fn matching(
        &self,
        s: &SegmentEntry,
        req: &Request,
        after: Option<&Cursor>,
        q: &Query,
        r: &SegmentReader,
        blocks: &mut Blocks<'_>,
    ) -> Result<Option<(Vec<i64>, Vec<u32>)>> {
        // Format 3: term leaves are decided by per-event postings, no text read (0725).
        let exact_q = decided(q, r)?;
        // Candidates also when the index decides: a term absent from this segment ends it
        // here, before its columns are read.
        let cands_ix = candidates(q, r)?;
        if cands_ix.as_ref().is_some_and(Vec::is_empty) {
            return Ok(None);
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
        let cands_from_index = !exact_q && cands_ix.is_some();
        let cands: Vec<u32> = if exact_q {
            exact(q, &ctx, r)?
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
        // Confirm in ordinal order (block by block), on templates where the query allows.
        let matched: Vec<u32> = if exact_q {
            cands
        } else {
            // Phrase digits the per-event postings vouch for (only when they chose the
            // candidates: then every candidate holds each of those tokens).
            let check = Check::new(q)
                .vouched(|t| Ok(cands_from_index && r.per_event() && r.postings(t)?.events))?;
            let mut m = Vec::with_capacity(cands.len());
            for i in cands {
                if blocks.matches(&check, &ctx, i)? {
                    m.push(i);
                }
            }
            m
        };
        Ok((!matched.is_empty()).then_some((times, matched)))
    }

    /// Fold every matching event of `req` into one accumulator per segment (in parallel),
    /// giving `each` the segment's columns, the event's ordinal and the segment's blocks
    /// (to read the event's text or numbers when it needs them).
    pub(crate) fn fold_matches<A: Send>(
        &self,
        req: &Request,
        init: impl Fn() -> A + Sync,
        each: impl Fn(&mut A, &Ctx<'_>, u32, &mut Blocks<'_>) -> Result<()> + Sync,
    ) -> Result<Vec<A>> {
        let q = req.query.clone().unwrap_or(Query::All);
        self.segments_for(req, &q)
            .par_iter()
            .map(|s| -> Result<A> {
                let mut acc = init();
                let r = SegmentReader::open(&self.dir.join("segments").join(&s.file))?;
                let mut blocks = Blocks::new(&r);
                let Some((_, matched)) = self.matching(s, req, None, &q, &r, &mut blocks)? else {
                    return Ok(acc);
                };
                let ctx = Ctx {
                    network: &s.network,
                    meta: r.meta()?,
                };
                for i in matched {
                    each(&mut acc, &ctx, i, &mut blocks)?;
                }
                Ok(acc)
            })
            .collect()
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
        let mut blocks = Blocks::new(&r);
        let Some((times, matched)) = self.matching(s, req, after, q, &r, &mut blocks)? else {
            return Ok(true);
        };
        let meta = r.meta()?;
        if !want_hits {
            // Counts and histograms do not depend on the order.
            for i in matched {
                if !f(None, times[i as usize], 1) {
                    return Ok(false);
                }
            }
            return Ok(true);
        }
        let mut ordered = matched;
        ordered.sort_by_key(|i| (times[*i as usize], *i));
        for i in ordered {
            let bytes = blocks.record(i)?;
            let raw = crate::record::raw_of(&bytes).ok_or_else(|| {
                crate::Error::Corrupt(format!("segment {}: record {i} / 记录损坏", s.id))
            })?;
            let (text, _) = parse::decode_text(raw);
            let rec = Record::decode(&bytes)?;
            let iu = i as usize;
            let hit = Hit {
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
            };
            if !f(Some(hit), times[iu], 1) {
                return Ok(false);
            }
        }
        Ok(true)
    }
}
