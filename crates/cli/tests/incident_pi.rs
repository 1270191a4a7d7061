//! `dengbao incident pi-request add|close|list` (decision 0507): a request shows no deadline
//! and says the law sets none; bad input exits 2 naming the field; a refusal needs a reason.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod common;
use common::cii_network;

fn run(data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dengbao"))
        .env_remove("DENGBAO_DATABASE_URL")
        .env_remove("DENGBAO_LANG")
        .env("DENGBAO_DATA", data)
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .args(args)
        .output()
        .expect("run dengbao");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn requests_are_recorded_without_an_invented_deadline_and_closed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path();
    let net = cii_network(data);
    let add = |kind: &str, received: &str| {
        run(
            data,
            &[
                "incident",
                "pi-request",
                "add",
                "--network",
                &net,
                "--kind",
                kind,
                "--requester-ref",
                "GD-2026-0001",
                "--received-at",
                received,
                "--json",
            ],
        )
    };
    let (code, _, err) = add("erase", "2026-11-02");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("kind"), "{err}");
    let (code, _, err) = add("delete", "2999-11-02");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("received_at"), "{err}");

    let (code, out, err) = add("delete", "2026-11-02");
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v[0]["deadline"], Value::Null);
    assert_eq!(v[0]["deadline_basis"], "none");
    let id = v[0]["id"].as_str().expect("id").to_string();

    let (code, _, err) = run(
        data,
        &[
            "incident",
            "pi-request",
            "close",
            &id,
            "--outcome",
            "refused",
            "--closed-at",
            "2026-11-05",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("reason"), "{err}");
    let (code, _, err) = run(
        data,
        &[
            "incident",
            "pi-request",
            "close",
            "nope",
            "--outcome",
            "done",
            "--closed-at",
            "2026-11-05",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("pi_request"), "{err}");
    let (code, out, err) = run(
        data,
        &[
            "incident",
            "pi-request",
            "close",
            &id,
            "--outcome",
            "done",
            "--closed-at",
            "2026-11-05",
            "--json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"closed\""), "{out}");

    let (code, out, err) = run(data, &["incident", "pi-request", "list", "--network", &net]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("法律未规定期限"), "{out}");
}
