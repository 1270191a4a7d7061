//! Issue 17 item 5: cutting the newest checkpoints off the log store's chain is caught by
//! `dengbao logs verify` alone, without `--anchor`, from the head kept outside the store
//! (`<data-dir>/keys/log-head.json`, decision 0925) — in Chinese by default, in English
//! with `--lang en`.

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

/// `dengbao` on `data`, in its default language (Chinese).
fn dengbao(data: &Path) -> Command {
    let mut c = Command::cargo_bin("dengbao").unwrap();
    c.env_remove("DENGBAO_LANG")
        .env_remove("DENGBAO_NOW")
        .env_remove("DENGBAO_DATABASE_URL")
        .env("DENGBAO_DATA", data);
    c
}

/// A store with one checkpoint per sample file.
fn store_of_three_checkpoints() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for f in samples().iter().take(3) {
        dengbao(tmp.path())
            .args(["logs", "ingest", "--network", "办公网"])
            .arg(f)
            .assert()
            .success();
    }
    assert_eq!(checkpoints(tmp.path()).len(), 3);
    tmp
}

fn checkpoints(data: &Path) -> Vec<String> {
    std::fs::read_to_string(data.join("logs/checkpoints.log"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// Cut the newest `n` checkpoints off the chain and remove the segments they added, so
/// what is left verifies on its own.
fn cut(data: &Path, n: usize) {
    let mut lines = checkpoints(data);
    for line in lines.split_off(lines.len() - n) {
        let cp: serde_json::Value = serde_json::from_str(&line).unwrap();
        for a in cp["body"]["added"].as_array().unwrap() {
            let f = data.join("logs/segments").join(a["file"].as_str().unwrap());
            std::fs::remove_file(f).unwrap();
        }
    }
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(data.join("logs/checkpoints.log"), text).unwrap();
}

#[test]
fn a_chain_cut_back_is_reported_without_an_anchor() {
    let d = store_of_three_checkpoints();
    assert!(d.path().join("keys/log-head.json").exists());
    dengbao(d.path())
        .args(["logs", "verify"])
        .assert()
        .success()
        .stdout(predicate::str::contains("校验通过"));

    cut(d.path(), 1);
    // What is left is a valid chain: only the head kept outside the store can tell.
    dengbao(d.path())
        .args(["logs", "verify"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("检查点链被截断：缺少检查点 #2"))
        .stdout(predicate::str::contains("链只到检查点 #1"))
        .stdout(predicate::str::contains("truncated").not());
    dengbao(d.path())
        .args(["--lang", "en", "logs", "verify"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "checkpoint chain truncated: checkpoint #2 is missing",
        ))
        .stdout(predicate::str::contains("the chain ends at checkpoint #1"));
    let json = dengbao(d.path())
        .args(["logs", "verify", "--json"])
        .output()
        .unwrap();
    assert_eq!(json.status.code(), Some(1));
    let r: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(r["ok"], false);
    assert!(r["problems"][0]["what"]
        .as_str()
        .unwrap()
        .contains("checkpoint #2 is missing"));

    // Writing on top of the cut chain does not wipe the evidence: the head is advanced
    // only from a checkpoint the chain still holds.
    dengbao(d.path())
        .args(["logs", "ingest", "--network", "办公网"])
        .arg(&samples()[3])
        .assert()
        .success();
    dengbao(d.path())
        .args(["--lang", "en", "logs", "verify"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "checkpoint #2 is not the one the head kept outside the store",
        ));
}

#[test]
fn two_checkpoints_cut_are_both_named() {
    let d = store_of_three_checkpoints();
    cut(d.path(), 2);
    dengbao(d.path())
        .args(["logs", "verify"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("缺少检查点 #1–#2"));
    dengbao(d.path())
        .args(["--lang", "en", "logs", "verify"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("checkpoints #1–#2 are missing"));
}

#[test]
fn the_head_record_removed_or_rewritten_is_reported_and_reset_on_purpose() {
    let d = store_of_three_checkpoints();
    let head = d.path().join("keys/log-head.json");
    let kept = std::fs::read_to_string(&head).unwrap();

    // Rewritten to name an older checkpoint without the key: its MAC fails.
    let mut v: serde_json::Value = serde_json::from_str(&kept).unwrap();
    v["seq"] = 1.into();
    std::fs::write(&head, v.to_string()).unwrap();
    dengbao(d.path())
        .args(["--lang", "en", "logs", "verify"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("log-head.json"))
        .stdout(predicate::str::contains("MAC does not verify"));

    // Removed: the chain says a head was kept, so its absence is reported.
    std::fs::remove_file(&head).unwrap();
    cut(d.path(), 1);
    dengbao(d.path())
        .args(["logs", "verify"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("检查点链头记录"))
        .stdout(predicate::str::contains("缺失"));
    // A writer does not make a new one over the gap …
    dengbao(d.path())
        .args(["logs", "ingest", "--network", "办公网"])
        .arg(&samples()[3])
        .assert()
        .success();
    assert!(!head.exists());
    // … an operator does, on purpose, after looking.
    dengbao(d.path())
        .args(["--lang", "en", "logs", "reset-head"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "now names checkpoint #2 (it named: none)",
        ));
    dengbao(d.path())
        .args(["logs", "verify"])
        .assert()
        .success();
}

#[test]
fn the_head_record_and_the_server_key_both_removed_are_reported() {
    let d = store_of_three_checkpoints();
    std::fs::remove_file(d.path().join("keys/log-head.json")).unwrap();
    std::fs::remove_file(d.path().join("keys/server.key")).unwrap();
    dengbao(d.path())
        .args(["--lang", "en", "logs", "verify"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "the record of the chain's head is missing",
        ));
}

#[test]
fn a_wiped_store_is_reported_from_the_head_record() {
    let d = store_of_three_checkpoints();
    std::fs::remove_dir_all(d.path().join("logs")).unwrap();
    dengbao(d.path())
        .args(["--lang", "en", "logs", "verify"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("checkpoints #0–#2 are missing"));
}
