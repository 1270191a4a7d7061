//! The six-month log duties computed from the log centre (issue 4 item 7): real sample logs
//! ingested with `dengbao logs ingest`, then `dengbao duties --logs` / `--coverage FILE`.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

const NOW: &str = "2026-11-25T10:00:00+08:00";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dengbao"))
        .env("DENGBAO_DATA", data)
        .env_remove("DENGBAO_DATABASE_URL")
        .current_dir(repo())
        .args(args)
        .output()
        .expect("run dengbao");
    common::outcome(out)
}

/// A data dir whose log centre holds every sample file under network `network`.
fn with_samples(network: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let mut files: Vec<String> = std::fs::read_dir(repo().join("data/logs/samples"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    files.sort();
    let mut args = vec!["logs", "ingest", "--network", network, "--received-at", NOW];
    args.extend(files.iter().map(String::as_str));
    let (code, _, err) = run(d.path(), &args);
    assert_eq!(code, 0, "{err}");
    d
}

fn log_duty(v: &serde_json::Value) -> &serde_json::Value {
    v["duties"]
        .as_array()
        .or_else(|| v.as_array())
        .unwrap_or_else(|| panic!("no duty list in {v}"))
        .iter()
        .find(|d| d["id"] == "csl.operator.logs")
        .unwrap_or_else(|| panic!("csl.operator.logs missing"))
}

fn duties(data: &Path, profile: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["duties", "--profile", profile, "--at", NOW, "--json"];
    args.extend_from_slice(extra);
    let (code, out, err) = run(data, &args);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn the_log_duty_follows_what_the_log_centre_holds() {
    let d = with_samples("web");
    // Without the log centre the duty is ticked by hand: the example profile files a wiki
    // page as evidence for csl.operator.logs, so it counts as met.
    let example = std::fs::read_to_string(repo().join("examples/profile-level2-web.toml")).unwrap();
    assert!(example.contains("duty = \"csl.operator.logs\""));
    let v = duties(d.path(), "examples/profile-level2-web.toml", &[]);
    assert_eq!(log_duty(&v)["status"], "met", "{}", log_duty(&v));
    // With it: what `logs coverage` proves decides, whatever was ticked, and the reasons
    // say so.
    let v = duties(d.path(), "examples/profile-level2-web.toml", &["--logs"]);
    let duty = log_duty(&v);
    let coverage = run(d.path(), &["logs", "coverage", "--json"]).1;
    let c: serde_json::Value = serde_json::from_str(&coverage).unwrap();
    let want = if c["networks"][0]["covers_floor"] == true {
        "met"
    } else {
        "overdue"
    };
    assert_eq!(duty["status"], want, "{duty}");
    // The printed table gives the basis: the log centre's coverage, not the ticked evidence.
    let line = |extra: &[&str]| {
        let mut args = vec![
            "duties",
            "--profile",
            "examples/profile-level2-web.toml",
            "--at",
            NOW,
        ];
        args.extend_from_slice(extra);
        let (code, out, err) = run(d.path(), &args);
        assert_eq!(code, 0, "{err}");
        out
    };
    let with_logs = line(&["--logs"]);
    let basis = with_logs
        .split("csl.operator.logs")
        .nth(1)
        .and_then(|rest| rest.lines().nth(1))
        .unwrap_or_default()
        .to_string();
    assert!(basis.contains("日志中心"), "{with_logs}");
    assert!(!line(&[]).contains("日志中心"));
    // The same document saved to a file gives the same answer.
    let file = d.path().join("coverage.json");
    std::fs::write(&file, &coverage).unwrap();
    let v2 = duties(
        d.path(),
        "examples/profile-level2-web.toml",
        &["--coverage", file.to_str().unwrap()],
    );
    assert_eq!(log_duty(&v2)["status"], duty["status"]);
}

#[test]
fn a_network_the_log_centre_lacks_is_named_and_refused() {
    let d = with_samples("web");
    let (code, _, err) = run(
        d.path(),
        &[
            "duties",
            "--profile",
            "examples/profile-level2-web.toml",
            "--logs",
            "--log-network",
            "erp",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("erp") && err.contains("web"), "{err}");
}
