//! Issue 14: "a wiped store is not a clean store". Deleting the segments and
//! `checkpoints.log` (the keys left) must make `dengbao logs verify` — without flags — fail
//! naming the missing checkpoints; with `keys/log-head.json` deleted as well, the copy of
//! the head in the console's database still catches it (decision 0926).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/logs/samples")
        .join(name)
}

/// `dengbao` on `data` in its default language; with `db`, the console's database is the
/// SQLite file `serve` creates in the data directory.
fn dengbao(data: &Path) -> Command {
    let mut c = Command::cargo_bin("dengbao").unwrap();
    c.env_remove("DENGBAO_LANG")
        .env_remove("DENGBAO_NOW")
        .env_remove("DENGBAO_DATABASE_URL")
        .env("DENGBAO_DATA", data);
    c
}

/// Two ingests (two checkpoints), verified ok.
fn ingested(with_database: bool) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    if with_database {
        // What `serve` leaves: the console's database beside the log store.
        dengbao(tmp.path())
            .args(["audit", "verify"])
            .assert()
            .success();
        assert!(tmp.path().join("dengbao.db").exists());
    }
    for f in ["linux-auth.log", "cisco-ios.log"] {
        dengbao(tmp.path())
            .args(["logs", "ingest", "--network", "办公网"])
            .arg(sample(f))
            .assert()
            .success();
    }
    dengbao(tmp.path())
        .args(["logs", "verify"])
        .assert()
        .success()
        .stdout(predicate::str::contains("校验通过：2 个检查点"));
    tmp
}

/// The segments and the checkpoint chain deleted; `store.json` and the keys left.
fn wipe(data: &Path) {
    std::fs::remove_dir_all(data.join("logs/segments")).unwrap();
    std::fs::remove_file(data.join("logs/checkpoints.log")).unwrap();
    assert!(data.join("logs/keys/signing.key").exists());
}

/// `logs stats --json`'s record of the last verify.
fn last_verify(data: &Path) -> serde_json::Value {
    let out = dengbao(data)
        .args(["logs", "stats", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    s["last_verify"].clone()
}

#[test]
fn a_wiped_store_fails_verify_naming_the_missing_checkpoints() {
    let d = ingested(false);
    wipe(d.path());
    dengbao(d.path())
        .args(["logs", "verify"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("缺少检查点 #0–#1"))
        .stdout(predicate::str::contains("校验通过").not());
    dengbao(d.path())
        .args(["--lang", "en", "logs", "verify"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("checkpoints #0–#1 are missing"))
        .stdout(predicate::str::contains("ok:").not());
}

#[test]
fn with_the_head_file_deleted_too_the_database_copy_catches_it() {
    let d = ingested(true);
    // The verify that passed is recorded, and `logs stats` says so.
    assert_eq!(last_verify(d.path())["ok"], true);
    assert_eq!(last_verify(d.path())["checkpoints"], 2);
    wipe(d.path());
    std::fs::remove_file(d.path().join("keys/log-head.json")).unwrap();
    dengbao(d.path())
        .args(["--lang", "en", "logs", "verify"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("checkpoints #0–#1 are missing"))
        .stdout(predicate::str::contains("database table log_heads"))
        .stdout(predicate::str::contains("数据库").not())
        .stdout(predicate::str::contains("ok:").not());
    dengbao(d.path())
        .args(["logs", "verify"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("缺少检查点 #0–#1"))
        .stdout(predicate::str::contains("数据库表 log_heads"))
        .stdout(predicate::str::contains("database").not());
    let failed = last_verify(d.path());
    assert_eq!(failed["ok"], false);
    assert!(failed["first_problem"].as_str().unwrap().contains("#0–#1"));
    dengbao(d.path())
        .args(["logs", "stats"])
        .assert()
        .success()
        .stdout(predicate::str::contains("最近校验："))
        .stdout(predicate::str::contains("未通过"));
    // A new ingest starts a new chain; the database keeps naming what is missing.
    dengbao(d.path())
        .args(["logs", "ingest", "--network", "办公网"])
        .arg(sample("linux-kernel.log"))
        .assert()
        .success();
    dengbao(d.path())
        .args(["--lang", "en", "logs", "verify"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("checkpoint #1 is missing"))
        .stdout(predicate::str::contains("log_heads"));
    // The operator records the chain as it is, on purpose: verify passes again.
    dengbao(d.path())
        .args(["logs", "reset-head"])
        .assert()
        .success();
    dengbao(d.path())
        .args(["logs", "verify"])
        .assert()
        .success();
}

#[test]
fn a_bare_ingest_creates_no_database() {
    let d = ingested(false);
    assert!(!d.path().join("dengbao.db").exists());
}
