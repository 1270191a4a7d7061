//! `dengbao incident plan add|list` and `dengbao incident drill add|list` on the store, as a
//! user runs them (decision 0507): bad input exits 2 naming the field and writes nothing;
//! a recorded plan and drill are listed, as text in Chinese or English and as JSON.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod common;
use common::cii_network;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dengbao"))
        .env_remove("DENGBAO_DATABASE_URL")
        .env_remove("DENGBAO_LANG")
        .env("DENGBAO_DATA", data)
        .current_dir(repo())
        .args(args)
        .output()
        .expect("run dengbao");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn ok(data: &Path, args: &[&str]) -> String {
    let (code, out, err) = run(data, args);
    assert_eq!(code, 0, "{args:?}: {err}\n{out}");
    out
}

fn bad(data: &Path, args: &[&str], field: &str) {
    let (code, out, err) = run(data, args);
    assert_eq!(code, 2, "{args:?}: {err}\n{out}");
    assert!(err.contains(field), "{args:?} should name {field}: {err}");
}

#[test]
fn plans_and_drills_are_recorded_listed_and_bad_input_names_the_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path();
    let net = cii_network(data);
    let plan = |approved_on: &'static str, link: Option<&'static str>| {
        let mut v = vec![
            "incident",
            "plan",
            "add",
            "--network",
            net.as_str(),
            "--title",
            "网络安全事件应急预案",
            "--version",
            "V2.0",
            "--approved-on",
            approved_on,
            "--approved-by",
            "网络安全领导小组",
            "--json",
        ];
        if let Some(l) = link {
            v.extend(["--link", l]);
        }
        v
    };
    bad(data, &plan("2026-03-02", None), "evidence_id");
    bad(
        data,
        &plan("2999-01-01", Some("https://intranet.example.cn/plan.pdf")),
        "approved_on",
    );
    bad(
        data,
        &plan("2026-13-01", Some("https://intranet.example.cn/plan.pdf")),
        "approved_on",
    );
    let list = [
        "incident",
        "plan",
        "list",
        "--network",
        net.as_str(),
        "--json",
    ];
    let none: Value = serde_json::from_str(&ok(data, &list)).expect("JSON");
    assert_eq!(none, serde_json::json!([]));

    let added: Value = serde_json::from_str(&ok(
        data,
        &plan("2026-03-02", Some("https://intranet.example.cn/plan.pdf")),
    ))
    .expect("JSON");
    let plan_id = added[0]["id"].as_str().expect("id").to_string();

    let drill = |held_on: &'static str, plan: &str| -> Vec<String> {
        [
            "incident",
            "drill",
            "add",
            "--network",
            net.as_str(),
            "--plan",
            plan,
            "--held-on",
            held_on,
            "--scenario",
            "勒索软件加密核心数据库",
            "--participants",
            "信息中心、运维部",
            "--json",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let d = drill("2999-01-01", &plan_id);
    bad(
        data,
        &d.iter().map(String::as_str).collect::<Vec<_>>(),
        "held_on",
    );
    let d = drill("2026-04-15", "nope");
    bad(
        data,
        &d.iter().map(String::as_str).collect::<Vec<_>>(),
        "plan_id",
    );
    let d = drill("2026-04-15", &plan_id);
    let out = ok(data, &d.iter().map(String::as_str).collect::<Vec<_>>());
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v[0]["held_on"], "2026-04-15");
    assert_eq!(v[0]["plan_id"], plan_id.as_str());

    let text = ok(data, &["incident", "drill", "list", "--network", &net]);
    assert!(
        text.contains("应急演练") && text.contains("2026-04-15"),
        "{text}"
    );
    let en = ok(
        data,
        &[
            "--lang",
            "en",
            "incident",
            "plan",
            "list",
            "--network",
            &net,
        ],
    );
    assert!(en.contains("approved: 2026-03-02"), "{en}");
    bad(
        data,
        &["incident", "drill", "list", "--network", "nope"],
        "network",
    );
}
