//! Issue 17 item 1: the six-month floor holds on every deletion path (`logs delete`,
//! `logs delete --network`, `logs expire`) against every way of moving time — a `--now`
//! flag, the `DENGBAO_NOW` environment variable, a clock set back, a forged checkpoint
//! time — and `logs verify` names a clock that went backwards. (No console or API route
//! deletes logs, and the listeners never expire on a timer: these are all the paths.)
//!
//! The events are dated relative to the real clock, since that is the only clock a
//! deletion may use: one 200 days old (past the floor), one 100 days old, one an hour old.

use std::path::Path;

use dengbao_logstore::{checkpoint::Checkpoint, crypto::SigningKey, OpenOptions, Store};
use jiff::{SignedDuration, Timestamp};

mod common;

fn ago(days: i64) -> Timestamp {
    let t = Timestamp::now() - SignedDuration::from_hours(24 * days);
    Timestamp::from_second(t.as_second()).unwrap()
}

fn run(data: &Path, args: &[&str], env: Option<&str>) -> (i32, String, String) {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_dengbao"));
    // The tests read the English wording of the log commands.
    c.env("DENGBAO_LANG", "en");
    c.env("DENGBAO_DATA", data)
        .env_remove("DENGBAO_NOW")
        .env_remove("DENGBAO_DATABASE_URL")
        .args(args);
    if let Some(now) = env {
        c.env("DENGBAO_NOW", now);
    }
    common::outcome(c.output().expect("run dengbao"))
}

/// A data dir whose log store holds the three probe events, ingested with the real clock.
fn store() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("probe.log");
    let lines: String = [(200, "old"), (100, "mid"), (0, "new")]
        .iter()
        .map(|(days, w)| {
            let t = if *days == 0 {
                Timestamp::from_second(Timestamp::now().as_second() - 3600).unwrap()
            } else {
                ago(*days)
            };
            format!("<14>1 {t} web01 app - - - floor probe {w}\n")
        })
        .collect();
    std::fs::write(&file, lines).unwrap();
    let f = file.display().to_string();
    let (code, _, err) = run(
        d.path(),
        &["logs", "ingest", "--network", "办公网", &f],
        None,
    );
    assert_eq!(code, 0, "{err}");
    d
}

/// How many probe events are still there.
fn probes(d: &Path, word: &str) -> u64 {
    let (code, out, err) = run(d, &["logs", "count", word], None);
    assert_eq!(code, 0, "{err}");
    out.lines().next().unwrap().parse().unwrap()
}

/// Every deletion path, each asking for as much as it can: everything before tomorrow.
fn paths() -> Vec<Vec<String>> {
    let tomorrow = (Timestamp::now() + SignedDuration::from_hours(24)).to_string();
    vec![
        vec![
            "logs".into(),
            "delete".into(),
            "--before".into(),
            tomorrow.clone(),
        ],
        vec![
            "logs".into(),
            "delete".into(),
            "--before".into(),
            tomorrow,
            "--network".into(),
            "办公网".into(),
        ],
        vec!["logs".into(), "expire".into()],
    ]
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// Append a checkpoint signed with the store's own key, dated `time`.
fn forge_signed(logs: &Path, time: &str) {
    let log = logs.join("checkpoints.log");
    let text = std::fs::read_to_string(&log).unwrap();
    let last: Checkpoint = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    let secret = hex::decode(
        std::fs::read_to_string(logs.join("keys/signing.key"))
            .unwrap()
            .trim(),
    )
    .unwrap();
    let key = SigningKey::from_secret(last.suite, &secret).unwrap();
    let mut cp = last.clone();
    cp.seq += 1;
    cp.prev_sig = last.sig.clone();
    cp.time = time.into();
    cp.body.added.clear();
    cp.body.expired.clear();
    cp.body.notes.clear();
    let cp = cp.sign(&key).unwrap();
    std::fs::write(&log, format!("{text}{}\n", cp.to_line().unwrap())).unwrap();
}

#[test]
fn neither_a_flag_nor_the_environment_moves_the_clock_of_a_deletion() {
    let d = store();
    for p in paths() {
        // The flag is gone from every deleting command.
        let mut args = strs(&p);
        args.extend(["--now", "2099-01-01"]);
        let (code, _, err) = run(d.path(), &args, None);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("--now"), "{err}");
        assert_eq!(probes(d.path(), "probe"), 3, "{args:?}");
        // The environment variable is ignored: deletion keeps the system clock.
        let (code, out, err) = run(d.path(), &strs(&p), Some("2099-01-01"));
        if p[1] == "delete" {
            assert_eq!(code, 2, "{p:?}: {out}");
            assert!(err.contains("六个月"), "{err}");
        } else {
            assert_eq!(code, 0, "{err}");
        }
        assert_eq!(probes(d.path(), "mid"), 1, "{p:?}");
        assert_eq!(probes(d.path(), "new"), 1, "{p:?}");
    }
    // The floor still lets go of what is past it (the test is not vacuous): expire ran.
    assert_eq!(probes(d.path(), "old"), 0);
    let (code, out, err) = run(d.path(), &["logs", "verify"], None);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn a_clock_set_back_refuses_every_deletion_path_and_verify_names_it() {
    let d = store();
    let logs = d.path().join("logs");
    // The machine's clock ran a month ahead and a checkpoint was signed there (a policy);
    // now it is back: the chain is ahead of the clock.
    let ahead = Timestamp::now() + SignedDuration::from_hours(24 * 30);
    let mut s = Store::open_with_test_clock(
        &logs,
        OpenOptions {
            write: true,
            ..OpenOptions::default()
        },
        ahead,
    )
    .unwrap();
    s.set_policy("办公网", 6).unwrap();
    drop(s);
    for p in paths() {
        let (code, _, err) = run(d.path(), &strs(&p), None);
        assert_eq!(code, 2, "{p:?}: {err}");
        assert!(
            err.contains("检查点 #") && err.contains("晚于本机时钟"),
            "{err}"
        );
        // Even the event past the floor stays: nothing is removed on a clock in doubt.
        assert_eq!(probes(d.path(), "probe"), 3, "{p:?}");
    }
    // The next checkpoint (a legal hold, signed by the real clock) steps back in time.
    let (code, _, err) = run(
        d.path(),
        &[
            "logs",
            "hold",
            "--from",
            "2020-01-01",
            "--to",
            "2020-02-01",
            "--reason",
            "调证",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = run(d.path(), &["logs", "verify"], None);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("the clock went backwards"), "{out}");
}

#[test]
fn a_forged_checkpoint_time_refuses_every_deletion_path() {
    // Signed with the store's own key (whoever can read keys/signing.key).
    let d = store();
    forge_signed(&d.path().join("logs"), "2099-01-01T00:00:00Z");
    for p in paths() {
        let (code, _, err) = run(d.path(), &strs(&p), None);
        assert_eq!(code, 2, "{p:?}: {err}");
        assert!(err.contains("2099-01-01"), "{err}");
        assert_eq!(probes(d.path(), "probe"), 3, "{p:?}");
    }
    // Dated back instead: the floor is measured from the clock, and verify names the step.
    let d = store();
    forge_signed(&d.path().join("logs"), "2020-01-01T00:00:00Z");
    for p in paths() {
        run(d.path(), &strs(&p), Some("2099-01-01"));
        assert_eq!(probes(d.path(), "mid"), 1, "{p:?}");
        assert_eq!(probes(d.path(), "new"), 1, "{p:?}");
    }
    let (code, out, _) = run(d.path(), &["logs", "verify"], None);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("the clock went backwards"), "{out}");
}

#[test]
fn a_retention_policy_out_of_range_is_refused_naming_the_field() {
    let d = store();
    for months in ["4294967295", "1201", "5"] {
        let (code, _, err) = run(
            d.path(),
            &["logs", "policy", "--network", "办公网", "--months", months],
            None,
        );
        assert_eq!(code, 2, "{months}: {err}");
        assert!(err.contains("months") || err.contains("六个月"), "{err}");
    }
    let (code, _, err) = run(d.path(), &["logs", "expire"], None);
    assert_eq!(code, 0, "{err}");
    assert_eq!(probes(d.path(), "probe"), 2);
}
