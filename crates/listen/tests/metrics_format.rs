//! `/metrics` as a Prometheus scraper reads it (issue 14): every family declared once with
//! HELP and TYPE before its samples, label values escaped, every value a number — and what
//! an operator watches besides the counters: the WAL not yet sealed, the newest checkpoint,
//! per network the oldest retained event against the six-month floor (网络安全法 第二十一条
//! （三）), and the last verify.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use dengbao_listen::{kind, LastVerify};
use dengbao_logstore::{Format, Record};

/// One sample: family name, labels, value.
type Sample = (String, BTreeMap<String, String>, f64);

/// A strict reader of the text exposition format 0.0.4: panics naming the line on anything
/// a scraper would refuse.
fn parse(text: &str) -> Vec<Sample> {
    let mut declared: BTreeSet<String> = BTreeSet::new();
    let mut current: Option<String> = None;
    let mut helped: Option<String> = None;
    let mut out = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# HELP ") {
            let name = rest.split(' ').next().unwrap().to_string();
            assert!(
                declared.insert(name.clone()),
                "family declared twice: {line}"
            );
            helped = Some(name);
        } else if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap();
            assert_eq!(
                helped.as_deref(),
                Some(name),
                "TYPE without its HELP: {line}"
            );
            assert!(["counter", "gauge"].contains(&kind), "{line}");
            assert_eq!(kind == "counter", name.ends_with("_total"), "{line}");
            current = Some(name.to_string());
        } else {
            let (series, value) = line.rsplit_once(' ').unwrap();
            let value: f64 = value.parse().unwrap_or_else(|_| panic!("value: {line}"));
            let (name, labels) = match series.split_once('{') {
                None => (series.to_string(), BTreeMap::new()),
                Some((n, l)) => (n.to_string(), labels_of(l.strip_suffix('}').unwrap(), line)),
            };
            assert_eq!(
                current.as_deref(),
                Some(name.as_str()),
                "sample outside its family: {line}"
            );
            out.push((name, labels, value));
        }
    }
    out
}

/// `k="v",k2="v2"` with `\\`, `\"` and `\n` escapes.
fn labels_of(s: &str, line: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut chars = s.chars().peekable();
    loop {
        let key: String = chars.by_ref().take_while(|c| *c != '=').collect();
        assert!(!key.is_empty(), "label name: {line}");
        assert_eq!(
            chars.next(),
            Some('"'),
            "label value must be quoted: {line}"
        );
        let mut v = String::new();
        loop {
            match chars.next() {
                Some('\\') => match chars.next() {
                    Some('\\') => v.push('\\'),
                    Some('"') => v.push('"'),
                    Some('n') => v.push('\n'),
                    other => panic!("bad escape {other:?}: {line}"),
                },
                Some('"') => break,
                Some(c) => v.push(c),
                None => panic!("unterminated label value: {line}"),
            }
        }
        out.insert(key, v);
        match chars.next() {
            None => return out,
            Some(',') => {}
            Some(c) => panic!("unexpected {c:?} after a label: {line}"),
        }
    }
}

fn value(samples: &[Sample], name: &str, label: Option<(&str, &str)>) -> f64 {
    samples
        .iter()
        .find(|(n, l, _)| {
            n == name && label.is_none_or(|(k, v)| l.get(k).map(String::as_str) == Some(v))
        })
        .unwrap_or_else(|| panic!("no sample {name} {label:?}"))
        .2
}

const DAY_US: i64 = 86_400_000_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_parse_and_show_wal_floor_and_last_verify() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    let now = jiff::Timestamp::now().as_microsecond();
    // Two networks already in the store: one kept for eight months, one started a month
    // ago; the first one's name needs escaping.
    let old_net = "核心网\"A\"";
    {
        let mut s = open_store(&logs);
        let line = |net: &str, days_ago: i64| Record {
            received_us: now - days_ago * DAY_US,
            network: net.to_string(),
            source: "file:import.log:1".into(),
            format: Format::Auto,
            raw: b"sshd[811]: Accepted publickey for ops".to_vec(),
        };
        s.append(&[line(old_net, 240), line(old_net, 10), line("办公网", 30)])
            .unwrap();
        s.seal().unwrap();
    }
    let svc = start(&logs, config("logs_http = \"127.0.0.1:0\"", "")).await;
    let to = addr(&svc, kind::LOGS_HTTP);
    // Three lines over HTTP, durable in the WAL, not sealed (the seal timer is a minute).
    let body = sample_lines("windows-nxlog.jsonl")
        .into_iter()
        .take(3)
        .flat_map(|mut l| {
            l.push(b'\n');
            l
        })
        .collect::<Vec<u8>>();
    let (code, resp) =
        tokio::task::spawn_blocking(move || http(to, "POST", "/ingest", Some(TOKEN), &body))
            .await
            .unwrap();
    assert_eq!(code, 200, "{resp}");
    svc.shared_status().set_last_verify(Some(LastVerify {
        at_us: now - 3_600_000_000,
        ok: false,
        checkpoints: 1,
    }));

    let (code, text) =
        tokio::task::spawn_blocking(move || http(to, "GET", "/metrics", Some(TOKEN), &[]))
            .await
            .unwrap();
    assert_eq!(code, 200, "{text}");
    let m = parse(&text);

    let http = Some(("transport", "logs http"));
    assert_eq!(value(&m, "dengbao_log_events_stored_total", http), 3.0);
    assert_eq!(value(&m, "dengbao_log_wal_unsealed_records", None), 3.0);
    assert!(value(&m, "dengbao_log_wal_unsealed_bytes", None) > 0.0);
    let age = value(&m, "dengbao_log_wal_oldest_unsealed_age_seconds", None);
    assert!((0.0..60.0).contains(&age), "{age}");
    assert_eq!(value(&m, "dengbao_log_checkpoints", None), 1.0);
    let sealed_at = value(&m, "dengbao_log_last_checkpoint_timestamp_seconds", None);
    assert!((now as f64 / 1e6 - sealed_at).abs() < 60.0, "{sealed_at}");

    // The floor: about six months back from now.
    let floor = value(
        &m,
        "dengbao_log_retention_floor_start_timestamp_seconds",
        None,
    );
    let floor_days_ago = (now as f64 / 1e6 - floor) / 86_400.0;
    assert!(
        (180.0..=185.0).contains(&floor_days_ago),
        "{floor_days_ago}"
    );
    let old = Some(("network", old_net));
    let office = Some(("network", "办公网"));
    let oldest = value(&m, "dengbao_log_oldest_event_timestamp_seconds", old);
    assert!(((now - 240 * DAY_US) as f64 / 1e6 - oldest).abs() < 1.0);
    assert_eq!(value(&m, "dengbao_log_retention_floor_covered", old), 1.0);
    assert_eq!(value(&m, "dengbao_log_retention_floor_younger", old), 0.0);
    assert_eq!(
        value(&m, "dengbao_log_retention_floor_covered", office),
        0.0
    );
    assert_eq!(
        value(&m, "dengbao_log_retention_floor_younger", office),
        1.0
    );

    assert_eq!(value(&m, "dengbao_log_last_verify_ok", None), 0.0);
    assert_eq!(value(&m, "dengbao_log_last_verify_checkpoints", None), 1.0);
    let verified = value(&m, "dengbao_log_last_verify_timestamp_seconds", None);
    assert!(((now - 3_600_000_000) as f64 / 1e6 - verified).abs() < 1.0);

    svc.shutdown().await.unwrap();
}
