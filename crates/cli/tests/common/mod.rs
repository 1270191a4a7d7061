//! Helpers shared by the CLI tests (`mod common;`).
#![allow(dead_code)]

use serde_json::Value;

pub mod served;

/// The JSON on stdout of a run that must have succeeded (else fail with its exit and stderr).
pub fn json_ok(out: std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

/// A finished run as (exit code, stdout, stderr); -1 when killed by a signal.
pub fn outcome(out: std::process::Output) -> (i32, String, String) {
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs the `dengbao` binary with `args`: (exit code, stdout, stderr).
pub fn dengbao(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dengbao"))
        .args(args)
        .output()
        .expect("run dengbao");
    outcome(out)
}

/// The result of check `id` in a `host check --json` report (fails the test when absent).
pub fn check_result(report: &Value, id: &str) -> Value {
    report["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|x| x["check"] == id)
        .unwrap_or_else(|| panic!("no result for {id}"))
        .clone()
}

/// A level-3 CII network in the data directory's SQLite store, as the console creates it.
pub fn cii_network(data: &std::path::Path) -> String {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let store = dengbao_store::Store::open_sqlite(data)
            .await
            .expect("store");
        let org = store
            .create_org(
                "cli",
                dengbao_store::orgs::NewOrganisation {
                    name: "某支付机构".into(),
                },
            )
            .await
            .expect("org");
        let profile = serde_json::from_value(serde_json::json!({
            "name": "支付平台", "level": 3, "stage": "running", "cii": true, "personal_info": true,
        }))
        .expect("profile");
        let net = store
            .create_network("cli", &org.id, profile)
            .await
            .expect("network");
        store.close().await;
        net.id
    })
}
