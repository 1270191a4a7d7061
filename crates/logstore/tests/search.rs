//! Search over the sample files: data-driven cases, a grep -F oracle for phrases, and every
//! sample line findable by itself.

mod common;

use dengbao_logstore::{crypto::Suite, parse, query, search::Request, Store};

fn store() -> (tempfile::TempDir, Store) {
    let tmp = tempfile::tempdir().unwrap();
    let s = common::filled(
        &tmp.path().join("logs"),
        Suite::Sm3Sm2,
        "2026-11-25T10:00:00+08:00",
        "办公网",
    );
    (tmp, s)
}

use common::count;

/// Every sample line, decoded as the index sees it.
fn lines() -> Vec<(String, usize, String)> {
    let mut out = Vec::new();
    for f in common::sample_files() {
        let bytes = std::fs::read(&f).unwrap();
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        for (i, l) in bytes.split(|b| *b == b'\n').enumerate() {
            if !l.iter().all(|b| b.is_ascii_whitespace()) {
                out.push((name.clone(), i + 1, parse::decode_text(l).0.into_owned()));
            }
        }
    }
    out
}

#[test]
fn cases_from_the_file() {
    let (_t, s) = store();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/search_cases.txt"
    ))
    .unwrap();
    let all = lines();
    let mut failures = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (q, want) = line.split_once('\t').unwrap();
        let want: u64 = want.trim().parse().unwrap();
        let got = count(&s, q);
        if got != want {
            failures.push(format!("{q}: got {got}, want {want}"));
        }
        // A single quoted phrase: the same count grep -F gives on the lines.
        if let Some(p) = q
            .strip_prefix('"')
            .and_then(|r| r.strip_suffix('"'))
            .filter(|p| !p.contains('"'))
        {
            let grep = all.iter().filter(|(_, _, l)| l.contains(p)).count() as u64;
            if grep != got {
                failures.push(format!("{q}: grep -F finds {grep}, search {got}"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn every_sample_line_is_found_by_its_own_text() {
    let (_t, s) = store();
    for (file, no, line) in lines() {
        let phrase = line.trim_end().replace('\\', "\\\\").replace('"', "\\\"");
        let req = Request {
            query: Some(query::parse(&format!("\"{phrase}\"")).unwrap()),
            ..Request::default()
        };
        let mut sources = Vec::new();
        s.search(&req, |h| {
            sources.push(h.source);
            true
        })
        .unwrap();
        let want = format!("file:{file}:{no}");
        assert!(
            sources.contains(&want),
            "{want} not found by its text; got {sources:?}"
        );
    }
}

#[test]
fn time_range_and_limit() {
    let (_t, s) = store();
    let req = |from: &str, to: &str| Request {
        from_us: Some(common::at(from).as_microsecond()),
        to_us: Some(common::at(to).as_microsecond()),
        ..Request::default()
    };
    let c = s.count(&req("2026-11-20", "2026-11-21")).unwrap();
    assert_eq!(c.total, 10);
    assert_eq!(c.by_day.keys().collect::<Vec<_>>(), ["2026-11-20"]);
    let mut n = 0;
    s.search(
        &Request {
            limit: Some(3),
            ..Request::default()
        },
        |_| {
            n += 1;
            true
        },
    )
    .unwrap();
    assert_eq!(n, 3);
}
