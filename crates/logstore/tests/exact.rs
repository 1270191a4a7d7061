//! Search answers exactly what a plain scan of the decoded lines gives, on realistic data
//! (Zipf-drawn users and addresses, needles at several frequencies, Chinese and GBK lines),
//! over a store that mixes format-2 segments (postings name blocks) with format-3 and -4
//! segments (postings name events, decided without reading text; format 4 also indexes
//! dotted runs such as addresses). The queries are in
//! `tests/exact_cases.txt`; the expected answer of each is computed here, line by line, from
//! the query syntax of docs/logs.md — independently of the index.

use std::collections::BTreeMap;

use dengbao_logstore::cursor::Cursor;
use dengbao_logstore::query::{self, Cmp, Field, Query};
use dengbao_logstore::search::Request;
use dengbao_logstore::segment::SegmentReader;
use dengbao_logstore::stats::{ipv4s, TopField};
use dengbao_logstore::store::day_of;
use dengbao_logstore::testkit::realistic::Realistic;
use dengbao_logstore::{crypto::Suite, parse, Format, OpenOptions, Record, Store};

const EVENTS: u64 = 24_000;
const BATCH: usize = 4_000;
const NETWORK: &str = "办公网";

/// One event as the oracle sees it.
struct Line {
    text: String,
    time_us: i64,
    host: Option<String>,
    app: Option<String>,
    severity: Option<u8>,
}

/// Ingest the generated events in batches, sealing each batch, in turn as format 2, format 3
/// with per-event postings for terms in 4 events or more (so both kinds of postings occur in
/// one segment), format 4 (dotted-run terms) likewise, and the format written by default.
fn build(dir: &std::path::Path) -> (Store, Vec<Line>, Realistic) {
    let now: jiff::Timestamp = "2026-11-26T02:00:00Z".parse().unwrap();
    let opts = OpenOptions {
        now: None,
        write: true,
        suite: Suite::Sha256Ed25519,
        head: None,
    };
    let mut store = Store::open_with_test_clock(dir, opts, now).unwrap();
    let mut g = Realistic::new(EVENTS, 14);
    let mut lines = Vec::new();
    let mut batch = Vec::new();
    for i in 0..EVENTS {
        let rec = Record {
            received_us: now.as_microsecond(),
            network: NETWORK.into(),
            source: "udp:192.0.2.7".into(),
            format: Format::Auto,
            raw: g.line(i),
        };
        let p = parse::parse(&rec);
        lines.push(Line {
            text: parse::decode_text(&rec.raw).0.into_owned(),
            time_us: p.time_us,
            host: p.host,
            app: p.app,
            severity: p.severity,
        });
        batch.push(rec);
        if batch.len() == BATCH {
            let (format, min_events) = match (i as usize / BATCH) % 4 {
                0 => (2, 0),
                1 => (3, 4),
                2 => (4, 4),
                _ => (
                    dengbao_logstore::segment::FORMAT,
                    dengbao_logstore::index::MIN_EVENTS,
                ),
            };
            store.set_test_segment_format(format, min_events);
            store.append(&batch).unwrap();
            store.seal().unwrap();
            batch.clear();
        }
    }
    (store, lines, g)
}

/// Whole-token match as docs/logs.md defines it: ASCII letters, digits and `_`.
fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
        .map(str::to_ascii_lowercase)
}

fn matches(q: &Query, l: &Line) -> bool {
    let field = |v: &Option<String>, want: &str, prefix: bool| {
        v.as_deref().is_some_and(|v| {
            let (v, w) = (v.to_lowercase(), want.to_lowercase());
            if prefix {
                v.starts_with(&w)
            } else {
                v == w
            }
        })
    };
    match q {
        Query::All => true,
        Query::Term(t) => tokens(&l.text).any(|x| x == *t),
        Query::Prefix(p) => tokens(&l.text).any(|x| x.starts_with(p.as_str())),
        Query::Substr {
            text,
            case_sensitive: true,
        } => l.text.contains(text.as_str()),
        Query::Substr { text, .. } => l.text.to_lowercase().contains(&text.to_lowercase()),
        Query::Field {
            field: f,
            value,
            prefix,
        } => match f {
            Field::Host => field(&l.host, value, *prefix),
            Field::App => field(&l.app, value, *prefix),
            Field::Network => field(&Some(NETWORK.into()), value, *prefix),
            Field::Source => panic!("source: not used in the cases"),
        },
        Query::Severity { op, level } => l.severity.is_some_and(|s| match op {
            Cmp::Eq => s == *level,
            Cmp::Le => s <= *level,
            Cmp::Ge => s >= *level,
            Cmp::Lt => s < *level,
            Cmp::Gt => s > *level,
        }),
        Query::And(v) => v.iter().all(|q| matches(q, l)),
        Query::Or(v) => v.iter().any(|q| matches(q, l)),
        Query::Not(q) => !matches(q, l),
    }
}

fn cases() -> Vec<String> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/exact_cases.txt"
    ))
    .unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(String::from)
        .collect()
}

#[test]
fn counts_histograms_and_hits_equal_a_scan_of_the_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let (store, lines, g) = build(&tmp.path().join("logs"));

    // The store really mixes the three formats.
    let mut formats = BTreeMap::new();
    let net = tmp.path().join("logs/segments").join(NETWORK);
    for day in std::fs::read_dir(net).unwrap() {
        for seg in std::fs::read_dir(day.unwrap().path()).unwrap() {
            let f = SegmentReader::open(&seg.unwrap().path()).unwrap().format;
            *formats.entry(f).or_insert(0) += 1;
        }
    }
    assert!(
        formats.len() == 3 && formats.values().all(|n| *n >= 5),
        "segments per format: {formats:?}"
    );

    // Two windows: everything, and one that cuts days in the middle.
    let from = lines[4_321].time_us;
    let to = lines[18_765].time_us;
    let mut failures = Vec::new();
    let mut nonzero = 0;
    for q in cases() {
        let parsed = query::parse(&q).unwrap();
        for (lo, hi) in [(None, None), (Some(from), Some(to))] {
            let want: Vec<&Line> = lines
                .iter()
                .filter(|l| {
                    lo.is_none_or(|f| l.time_us >= f)
                        && hi.is_none_or(|t| l.time_us < t)
                        && matches(&parsed, l)
                })
                .collect();
            let mut want_days: BTreeMap<String, u64> = BTreeMap::new();
            for l in &want {
                *want_days.entry(day_of(l.time_us)).or_default() += 1;
            }
            let req = Request {
                query: Some(parsed.clone()),
                from_us: lo,
                to_us: hi,
                limit: None,
            };
            let c = store.count(&req).unwrap();
            if c.total != want.len() as u64 || c.by_day != want_days {
                failures.push(format!(
                    "{q} {lo:?}..{hi:?}: count {} (scan {}), days equal: {}",
                    c.total,
                    want.len(),
                    c.by_day == want_days
                ));
            }
            let mut got = Vec::new();
            store
                .search(&req, |h| {
                    got.push(h.message);
                    true
                })
                .unwrap();
            // Paged with a cursor, the pages joined are the unpaged result in its order.
            let sizes: &[usize] = if got.len() <= 40 {
                &[1, 3]
            } else {
                &[997, 4096]
            };
            for &size in sizes {
                let (mut joined, mut after) = (Vec::new(), None::<Cursor>);
                loop {
                    let mut page = Vec::new();
                    let paged = Request {
                        limit: Some(size),
                        ..req.clone()
                    };
                    store
                        .search_after(&paged, after.as_ref(), |h| {
                            page.push(h);
                            true
                        })
                        .unwrap();
                    let Some(last) = page.last() else { break };
                    after = Some(last.cursor.parse().unwrap());
                    let full = page.len() == size;
                    joined.extend(page.into_iter().map(|h| h.message));
                    if !full {
                        break;
                    }
                }
                if joined != got {
                    failures.push(format!("{q} {lo:?}..{hi:?}: pages of {size} differ"));
                }
            }
            let mut want_text: Vec<String> =
                want.iter().map(|l| l.text.trim_end().to_string()).collect();
            got.sort();
            want_text.sort();
            if got != want_text {
                failures.push(format!("{q} {lo:?}..{hi:?}: the hits differ from the scan"));
            }
            nonzero += usize::from(!want.is_empty());
            if lo.is_none() {
                // Per hour, Asia/Shanghai (UTC+8 all year).
                let mut want_hours: BTreeMap<String, u64> = BTreeMap::new();
                for l in &want {
                    let t = jiff::Timestamp::from_microsecond(l.time_us).unwrap();
                    let key = t
                        .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
                        .strftime("%Y-%m-%d %H:00")
                        .to_string();
                    *want_hours.entry(key).or_default() += 1;
                }
                if store.count_by_hour(&req).unwrap() != want_hours {
                    failures.push(format!("{q}: the per-hour histogram differs from the scan"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The cases are not vacuous: nearly all of them match something.
    assert!(
        nonzero >= cases().len() * 2 - 4,
        "{nonzero} non-empty answers"
    );

    // Top values: the addresses of failed logins, the hosts of sshd lines, the senders.
    for (q, field, value_of) in [
        ("\"Failed password\"", TopField::Ip, 0),
        ("needle1mx OR needle10kx", TopField::Ip, 0),
        ("sshd NOT root", TopField::Host, 1),
        ("root", TopField::App, 2),
    ] {
        let parsed = query::parse(q).unwrap();
        let mut want: BTreeMap<String, u64> = BTreeMap::new();
        let mut matched = 0;
        for l in lines.iter().filter(|l| matches(&parsed, l)) {
            matched += 1;
            let mut vals: Vec<String> = match value_of {
                0 => ipv4s(&l.text).into_iter().map(String::from).collect(),
                1 => l.host.clone().into_iter().collect(),
                _ => l.app.clone().into_iter().collect(),
            };
            vals.sort();
            vals.dedup();
            for v in vals {
                *want.entry(v).or_default() += 1;
            }
        }
        let mut ranked: Vec<(String, u64)> = want.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        ranked.truncate(10);
        let req = Request {
            query: Some(parsed),
            ..Request::default()
        };
        let got = store.top(&req, field, 10).unwrap();
        let got_ranked: Vec<(String, u64)> =
            got.values.into_iter().map(|v| (v.value, v.count)).collect();
        assert_eq!(got.matched, matched, "{q}");
        assert_eq!(got_ranked, ranked, "top {field:?} of {q}");
        // Not vacuous: several values, the head well above the last.
        let last = ranked.last().map_or(0, |x| x.1);
        assert!(ranked.len() >= 3 && ranked[0].1 > last, "{q}: {ranked:?}");
    }

    // Every needle is found exactly as many times as it was planted.
    for n in g.needles() {
        for q in [n.term.to_string(), format!("\"{}\"", n.phrase)] {
            let req = Request {
                query: Some(query::parse(&q).unwrap()),
                ..Request::default()
            };
            assert_eq!(store.count(&req).unwrap().total, n.count, "{q}");
        }
    }
}
