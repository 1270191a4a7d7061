//! Shared helpers: a store filled with the sample files in data/logs/samples.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use dengbao_logstore::{crypto::Suite, ingest, query, search::Request, Format, OpenOptions, Store};

pub fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/logs/samples")
}

pub fn sample_files() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(samples_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

pub fn at(s: &str) -> jiff::Timestamp {
    dengbao_logstore::store::parse_user_time(s).unwrap()
}

/// A store at `dir` with every sample ingested into network `network`, clock at `now`.
pub fn filled(dir: &Path, suite: Suite, now: &str, network: &str) -> Store {
    let mut s = Store::open_with_test_clock(
        dir,
        OpenOptions {
            suite,
            now: None,
            write: true,
            head: None,
        },
        at(now),
    )
    .unwrap();
    for f in sample_files() {
        let recs =
            ingest::records_from_file(&f, network, Format::Auto, s.now().as_microsecond()).unwrap();
        s.append(&recs).unwrap();
    }
    s.seal().unwrap();
    s
}

/// The store at `dir`, read-only, clock at `now`.
pub fn open_read(dir: &Path, now: &str) -> Store {
    Store::open(
        dir,
        OpenOptions {
            now: Some(at(now)),
            ..Default::default()
        },
    )
    .unwrap()
}

/// How many events match the query text `q`.
pub fn count(s: &Store, q: &str) -> u64 {
    s.count(&Request {
        query: Some(query::parse(q).unwrap()),
        ..Request::default()
    })
    .unwrap()
    .total
}
