//! Shared by the listener tests: a service on a temporary store, the real-world samples, and
//! reading back what the store holds.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dengbao_listen::{Config, Service};
use dengbao_logstore::search::Request;
use dengbao_logstore::{OpenOptions, Record, Store};

pub const TOKEN: &str = "test-ingest-token-0123456789";

pub fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/logs/samples")
}

/// The lines of a sample file, bytes exactly (no terminator), blank lines skipped.
pub fn sample_lines(name: &str) -> Vec<Vec<u8>> {
    let b = std::fs::read(samples_dir().join(name)).unwrap();
    b.split(|c| *c == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l).to_vec())
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .collect()
}

/// Every syslog sample (`*.log`), in file order.
pub fn syslog_samples() -> Vec<Vec<u8>> {
    let mut names: Vec<String> = std::fs::read_dir(samples_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".log"))
        .collect();
    names.sort();
    assert!(names.len() >= 5, "samples: {names:?}");
    names.iter().flat_map(|n| sample_lines(n)).collect()
}

/// A `listen.toml` text: the given `[listen]` lines, the test token, and `extra`.
pub fn config(listen: &str, extra: &str) -> Config {
    let text = format!(
        "default_network = \"测试网\"\n{extra}\n[listen]\n{listen}\n[[tokens]]\nname = \"test\"\ntoken = \"{TOKEN}\"\nnetwork = \"接入网\"\n"
    );
    Config::parse(&text, Path::new("listen.toml")).unwrap()
}

pub fn open_store(logs: &Path) -> Store {
    Store::open(
        logs,
        OpenOptions {
            write: true,
            ..Default::default()
        },
    )
    .unwrap()
}

pub async fn start(logs: &Path, cfg: Config) -> Service {
    Service::start(open_store(logs), cfg).await.unwrap()
}

pub fn addr(svc: &Service, kind: &str) -> SocketAddr {
    svc.bound()
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, a)| *a)
        .unwrap()
}

/// Wait (up to 20 s) until `kind` has stored `n` messages.
pub async fn wait_stored(svc: &Service, kind: &str, n: u64) {
    let t = Instant::now();
    loop {
        let s = svc.status().unwrap();
        let c = &s.listeners[kind].counters;
        if c.stored >= n {
            return;
        }
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "{kind}: {} of {n} stored: {c:?}",
            c.stored
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Every record in the (sealed) store, read back through the search API.
pub fn stored(logs: &Path) -> Vec<Record> {
    let store = Store::open(logs, OpenOptions::default()).unwrap();
    let mut out = Vec::new();
    store
        .search(&Request::default(), |h| {
            out.push(Record::decode(&h.record).unwrap());
            true
        })
        .unwrap();
    out
}

/// The stored raw bytes equal `sent` (as multisets), and each message is found again by a
/// phrase search on a piece of its own decoded text — GBK included.
pub fn assert_stored_and_searchable(logs: &Path, sent: &[Vec<u8>], source_prefix: &str) {
    let recs = stored(logs);
    let mut got: Vec<Vec<u8>> = recs
        .iter()
        .filter(|r| r.source.starts_with(source_prefix))
        .map(|r| r.raw.clone())
        .collect();
    let mut want = sent.to_vec();
    got.sort();
    want.sort();
    assert_eq!(got.len(), want.len(), "count of {source_prefix} records");
    assert!(got == want, "stored bytes differ from the bytes sent");
    let store = Store::open(logs, OpenOptions::default()).unwrap();
    for raw in sent {
        let (text, _) = dengbao_logstore::parse::decode_text(raw);
        // The longest stretch without quotes, backslashes or control characters, ≤ 24 chars.
        let piece = text
            .split(|c: char| c == '"' || c == '\\' || c.is_control())
            .max_by_key(|p| p.chars().count())
            .unwrap_or_default();
        let phrase: String = piece.chars().take(24).collect();
        let q = dengbao_logstore::query::parse(&format!("\"{phrase}\"")).unwrap();
        let mut found = false;
        store
            .search(
                &Request {
                    query: Some(q),
                    ..Default::default()
                },
                |h| {
                    found |= Record::decode(&h.record).unwrap().raw == *raw;
                    !found
                },
            )
            .unwrap();
        assert!(
            found,
            "not found by \"{phrase}\": {}",
            String::from_utf8_lossy(raw)
        );
    }
}

/// A minimal HTTP/1.1 client: one request, `Connection: close`, (status, body).
pub fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &[u8],
) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/x-ndjson\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    let _ = s.write_all(body);
    read_response(&mut s)
}

pub fn read_response(s: &mut std::net::TcpStream) -> (u16, String) {
    let mut resp = Vec::new();
    let _ = s.read_to_end(&mut resp);
    let text = String::from_utf8_lossy(&resp).into_owned();
    let code = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP status in {text:?}"));
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (code, body)
}
