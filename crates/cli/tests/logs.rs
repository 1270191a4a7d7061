//! `dengbao logs …` end to end on the sample files in data/logs/samples.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn samples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/logs/samples");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

/// `dengbao` on `data`; `now` is what a read-only report (`coverage`) is made as of.
/// Writers and deletions keep the system clock whatever it says.
fn dengbao(data: &Path, now: &str) -> Command {
    let mut c = Command::cargo_bin("dengbao").unwrap();
    // These tests read the English wording of the log commands.
    c.env("DENGBAO_LANG", "en");
    c.env("DENGBAO_DATA", data)
        .env("DENGBAO_NOW", now)
        .env_remove("DENGBAO_DATABASE_URL");
    c
}

/// `dengbao logs delete --before DATE` on the ingested store, which must succeed.
fn delete_before(d: &tempfile::TempDir, date: &str) -> assert_cmd::assert::Assert {
    dengbao(d.path(), NOW)
        .args(["logs", "delete", "--before", date])
        .assert()
        .success()
}

fn ingested(now: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    // The samples' RFC 3164 lines carry no year: they are dated as received at `now`.
    dengbao(tmp.path(), now)
        .args([
            "logs",
            "ingest",
            "--network",
            "办公网",
            "--received-at",
            now,
        ])
        .args(samples())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "ingested 40 event(s) from 7 file(s)",
        ));
    tmp
}

const NOW: &str = "2026-11-25T10:00:00+08:00";

#[test]
fn ingest_search_count_and_json() {
    let d = ingested(NOW);
    let out = dengbao(d.path(), NOW)
        .args(["logs", "search", "\"Invalid user\"", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut hits: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(hits.pop(), Some(serde_json::json!({ "next": null })));
    assert_eq!(hits.len(), 3);
    assert!(hits
        .iter()
        .all(|h| h["message"].as_str().unwrap().contains("Invalid user")));
    assert_eq!(hits[0]["network"], "办公网");
    // GBK device text is searchable in Chinese and flagged as transcoded.
    let out = dengbao(d.path(), NOW)
        .args(["logs", "search", "登录失败", "--json"])
        .output()
        .unwrap();
    let h: serde_json::Value = serde_json::from_str(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(h["host"], "FW-HQ01");
    assert!(h["flags"].as_array().unwrap().iter().any(|f| f == "gbk"));
    dengbao(d.path(), NOW)
        .args([
            "logs",
            "count",
            "sshd",
            "--from",
            "2026-11-20",
            "--to",
            "2026-11-21",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("6\n2026-11-20\t6\n"));
    dengbao(d.path(), NOW)
        .args(["logs", "search", "(unclosed"])
        .assert()
        .code(2);
}

#[test]
fn every_sample_line_is_searchable_by_its_text() {
    let d = ingested(NOW);
    for f in samples() {
        let bytes = std::fs::read(&f).unwrap();
        for line in bytes
            .split(|b| *b == b'\n')
            // A NUL cannot be passed in an argument; the library test covers that line.
            .filter(|l| !l.iter().all(|b| b.is_ascii_whitespace()) && !l.contains(&0))
        {
            let text = String::from_utf8(line.to_vec())
                .unwrap_or_else(|_| encoding_gbk(line))
                .trim_end()
                .to_string();
            let q = format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""));
            let out = dengbao(d.path(), NOW)
                .args(["logs", "count", &q])
                .output()
                .unwrap();
            let n: u64 = String::from_utf8(out.stdout)
                .unwrap()
                .lines()
                .next()
                .unwrap()
                .parse()
                .unwrap();
            assert!(n >= 1, "{} line not found: {text}", f.display());
        }
    }
}

/// The GBK sample decoded the way the store decodes it (through the library).
fn encoding_gbk(b: &[u8]) -> String {
    dengbao_logstore::parse::decode_text(b).0.into_owned()
}

#[test]
fn verify_names_the_damaged_segment_and_exits_1() {
    let d = ingested(NOW);
    dengbao(d.path(), NOW)
        .args(["logs", "verify"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("ok: "));
    let day = d.path().join("logs/segments/办公网/2026-11-21");
    dengbao_logstore::testkit::flip_in_first_file(&day, 12, 0x10).unwrap();
    dengbao(d.path(), NOW)
        .args(["logs", "verify"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("“办公网” 2026-11-21"));
}

#[test]
fn delete_inside_the_floor_exits_2_and_outside_removes() {
    let d = ingested(NOW);
    // Inside the floor, measured from the system clock (DENGBAO_NOW moves no deletion).
    let today = jiff::Timestamp::now().to_string();
    dengbao(d.path(), NOW)
        .args(["logs", "delete", "--before", &today])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("六个月"));
    dengbao(d.path(), NOW)
        .args(["logs", "policy", "--network", "办公网", "--months", "3"])
        .assert()
        .code(2);
    dengbao(d.path(), NOW)
        .args([
            "logs",
            "hold",
            "--from",
            "2026-05-01",
            "--to",
            "2026-05-31",
            "--reason",
            "公安机关调证",
        ])
        .assert()
        .success();
    // The refusal names the hold that keeps the day.
    delete_before(&d, "2026-05-20").stdout(predicate::str::contains(
        "refused to remove “办公网” 2026-05-12: legal hold (#0 ",
    ));
    dengbao(d.path(), NOW)
        .args(["logs", "release", "0", "--reason", "closed"])
        .assert()
        .success();
    delete_before(&d, "2026-05-20")
        .stdout(predicate::str::contains("removed 1 segment(s), 7 event(s)"));
    dengbao(d.path(), NOW)
        .args(["logs", "verify"])
        .assert()
        .success();
    dengbao(d.path(), NOW)
        .args(["logs", "count", "SEC"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("0\n"));
}

#[test]
fn export_verifies_offline_with_the_exported_key() {
    let d = ingested(NOW);
    let out = d.path().join("evidence.json");
    dengbao(d.path(), NOW)
        .args([
            "logs",
            "export",
            "--from",
            "2026-11-20",
            "--to",
            "2026-11-21",
            "sshd",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("exported 6 event(s)"));
    let key = String::from_utf8(
        dengbao(d.path(), NOW)
            .args(["logs", "pubkey"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(key.starts_with("sm2:04"));
    // Offline: a different data dir, only the file and the key.
    let elsewhere = tempfile::tempdir().unwrap();
    dengbao(elsewhere.path(), NOW)
        .args(["logs", "verify-export"])
        .arg(&out)
        .args(["--key", key.trim()])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("ok: 6 event(s)"));
    let text = std::fs::read_to_string(&out)
        .unwrap()
        .replacen("port 52311", "port 52312", 1);
    std::fs::write(&out, text).unwrap();
    dengbao(elsewhere.path(), NOW)
        .args(["logs", "verify-export"])
        .arg(&out)
        .assert()
        .code(1);
}

#[test]
fn coverage_json_is_what_the_duty_engine_reads() {
    let d = ingested(NOW);
    let out = dengbao(d.path(), NOW)
        .args(["logs", "coverage", "--json"])
        .output()
        .unwrap();
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(c["floor_months"], 6);
    assert_eq!(c["integrity"]["ok"], true);
    let n = &c["networks"][0];
    assert_eq!(n["network"], "办公网");
    assert_eq!(n["covers_floor"], true);
    assert!(n["sources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["source"] == "WIN-DC01.corp.example.cn"));
    // Two months later without new logs: the gap shows.
    let out = dengbao(d.path(), "2027-01-25")
        .args(["logs", "coverage", "--json"])
        .output()
        .unwrap();
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(c["networks"][0]["days_without_events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d == "2027-01-01"));
}

#[test]
fn an_anchor_printed_by_checkpoint_is_checked_by_verify() {
    let d = ingested(NOW);
    let anchor = dengbao(d.path(), NOW)
        .args(["logs", "checkpoint"])
        .output()
        .unwrap()
        .stdout;
    let file = d.path().join("anchor.txt");
    std::fs::write(&file, &anchor).unwrap();
    dengbao(d.path(), NOW)
        .args(["logs", "verify", "--anchor"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("anchor ok"));
    // Someone empties the store and starts over: the anchor tells (and so does the head
    // kept outside the store, tests/logs_head.rs).
    std::fs::remove_dir_all(d.path().join("logs/segments")).unwrap();
    std::fs::write(d.path().join("logs/checkpoints.log"), "").unwrap();
    dengbao(d.path(), NOW)
        .args(["logs", "verify", "--anchor"])
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("cut back"));
}

#[test]
fn stats_count_what_was_ingested_per_network() {
    let d = ingested(NOW);
    let out = dengbao(d.path(), NOW)
        .args(["logs", "stats", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let net = &s["networks"]["办公网"];
    assert_eq!(net["events"], 40, "{s}");
    assert_eq!(s["events"], 40);
    assert!(net["bytes"].as_u64().unwrap() > 0);
    assert!(net["segments"].as_u64().unwrap() >= 1);
    assert!(net["sources"].as_u64().unwrap() >= 2, "{s}");
    let (oldest, newest) = (
        net["oldest"].as_str().unwrap(),
        net["newest"].as_str().unwrap(),
    );
    let t = |x: &str| x.parse::<jiff::Timestamp>().unwrap();
    assert!(t(oldest) <= t(newest));
    assert!(
        net["retention_months"].is_null(),
        "no policy set: the floor applies"
    );
    let per = s["bytes_per_event"].as_f64().unwrap();
    assert!((per - net["bytes"].as_f64().unwrap() / 40.0).abs() < 1e-9);
    dengbao(d.path(), NOW)
        .args(["logs", "stats"])
        .assert()
        .success()
        .stdout(predicate::str::contains("办公网: 40 events"));
}

#[test]
fn top_addresses_and_hourly_counts_of_a_query() {
    let d = ingested(NOW);
    // The sshd lines name 10.0.0.1 twice, 10.20.0.5 twice, two others once; one names none.
    dengbao(d.path(), NOW)
        .args(["logs", "top", "ip", "sshd"])
        .assert()
        .success()
        .stdout("2\t10.0.0.1\n2\t10.20.0.5\n1\t10.0.0.10\n1\t192.0.2.44\n")
        .stderr(predicate::str::contains(
            "7 matching event(s), 1 without the field",
        ));
    dengbao(d.path(), NOW)
        .args(["logs", "top", "host", "sshd", "-n", "1", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            r#""values":[{"value":"web01","count":6}]"#,
        ));
    dengbao(d.path(), NOW)
        .args(["logs", "count", "sshd", "--by", "hour"])
        .assert()
        .success()
        .stdout("7\n2026-11-20 08:00\t6\n2026-11-22 10:00\t1\n");
    dengbao(d.path(), NOW)
        .args(["logs", "count", "sshd", "--by", "week"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("use day or hour"));
    dengbao(d.path(), NOW)
        .args(["logs", "top", "port", "sshd"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("use host, app, source or ip"));
}

/// `logs search --limit N --after CURSOR` pages through the results: the pages joined are the
/// unpaged result, in the same order; the last page says `"next": null`; a cursor that is
/// not one is refused naming `--after` (exit 2).
#[test]
fn search_pages_with_a_cursor() {
    let d = ingested(NOW);
    let page = |limit: &str, after: Option<&str>| -> (Vec<serde_json::Value>, Option<String>) {
        let mut args = vec!["logs", "search", "sshd", "--json", "--limit", limit];
        if let Some(a) = after {
            args.extend(["--after", a]);
        }
        let out = dengbao(d.path(), NOW).args(&args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let next = lines.pop().unwrap();
        (lines, next["next"].as_str().map(String::from))
    };
    let (all, none) = page("1000", None);
    assert!(all.len() >= 3, "{all:?}");
    assert_eq!(none, None);
    for size in ["1", "2"] {
        let mut joined = Vec::new();
        let mut after = None;
        loop {
            let (hits, next) = page(size, after.as_deref());
            assert!(hits.len() <= size.parse().unwrap());
            joined.extend(hits);
            match next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        assert_eq!(joined, all, "pages of {size}");
    }
    // Each hit carries its own cursor: resuming after the first gives the rest.
    let first = all[0]["cursor"].as_str().unwrap().to_string();
    let (rest, _) = page("1000", Some(&first));
    assert_eq!(rest, all[1..]);
    let out = dengbao(d.path(), NOW)
        .args(["logs", "search", "sshd", "--after", "page-2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--after"));
}
