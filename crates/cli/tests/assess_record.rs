//! `dengbao assess record` / `assess show` against the real server started in-process on
//! 127.0.0.1: the engaged assessor's results land in the store; a wrong item is named (exit
//! 2) and nothing is written; a bad token, an unreachable server exit 1 with the reason; the
//! token may come from DENGBAO_TOKEN; a complete assessment prints its conclusion.

mod common;

use common::served::{served, Served};

use std::path::Path;
use std::process::Command;

use dengbao_controls::{Catalog, Extension};
use dengbao_types::Level;
use serde_json::{json, Value};

fn dengbao(lang: &str, args: &[&str], token_env: Option<&str>) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dengbao"));
    cmd.env_remove("DENGBAO_TOKEN")
        .env_remove("DENGBAO_DATABASE_URL")
        .args(["--lang", lang, "assess"])
        .args(args);
    if let Some(t) = token_env {
        cmd.env("DENGBAO_TOKEN", t);
    }
    common::outcome(cmd.output().unwrap())
}

fn write(dir: &Path, name: &str, v: &Value) -> String {
    let p = dir.join(name);
    std::fs::write(&p, v.to_string()).unwrap();
    p.display().to_string()
}

impl Served {
    fn recorded(&self, net: &str) -> Vec<(String, String)> {
        let mut rows = self.rt.block_on(async {
            let Some((engagement, _)) = self.store.item_results(net).await.unwrap() else {
                return Vec::new();
            };
            self.store
                .item_result_history(&engagement)
                .await
                .unwrap()
                .into_iter()
                .map(|r| (r.item, r.result))
                .collect::<Vec<_>>()
        });
        // One batch shares its time; within it the store's order is its random ids'.
        rows.sort();
        rows
    }
}

#[test]
fn recorded_results_reach_the_store_and_a_wrong_item_or_token_is_refused() {
    let s = served();
    let files = tempfile::tempdir().unwrap();
    let good = write(
        files.path(),
        "good.json",
        &json!([
            {"item": "L3-PES1-01", "result": "符合", "note": "机房在三层"},
            {"item": "L3-CES1-01", "result": "部分符合", "risk": "中", "major_hazard": false},
        ]),
    );
    let record = [
        "record",
        "--server",
        &s.url,
        "--network",
        &s.net,
        "--token",
        &s.token,
        "--results",
        &good,
    ];
    let (code, out, err) = dengbao("en", &record, None);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Recorded 2 item results"), "{out}");
    assert!(out.contains("Progress: 2/"), "{out}");
    assert_eq!(
        s.recorded(&s.net),
        vec![
            ("L3-CES1-01".to_string(), "部分符合".to_string()),
            ("L3-PES1-01".to_string(), "符合".to_string())
        ]
    );

    // A wrong item: named, exit 2, nothing written — checked here or refused by the server.
    for (file, net, names) in [
        (
            json!([{"item": "L3-PES1-02", "result": "符合"}, {"item": "L3-XXX1-99", "result": "符合"}]),
            s.net.as_str(),
            "L3-XXX1-99",
        ),
        (
            json!([{"item": "L2-CES1-01", "result": "符合"}]),
            s.net.as_str(),
            "L2-CES1-01",
        ),
        (
            json!([{"item": "L3-PES1-02", "result": "符合"}]),
            s.ungraded.as_str(),
            "not graded",
        ),
    ] {
        let bad = write(files.path(), "bad.json", &file);
        let (code, _, err) = dengbao(
            "en",
            &[
                "record",
                "--server",
                &s.url,
                "--network",
                net,
                "--results",
                &bad,
                "--token",
                &s.token,
            ],
            None,
        );
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(names), "{err}");
    }
    assert_eq!(s.recorded(&s.net).len(), 2, "nothing more written");
    assert!(s.recorded(&s.ungraded).is_empty());
    // Not JSON, or not there: exit 2 naming the file.
    let junk = files.path().join("junk.json");
    std::fs::write(&junk, "not json").unwrap();
    for f in [
        junk.display().to_string(),
        "/nonexistent/r.json".to_string(),
    ] {
        let (code, _, err) = dengbao(
            "en",
            &[
                "record",
                "--server",
                &s.url,
                "--network",
                &s.net,
                "--results",
                &f,
            ],
            Some(&s.token),
        );
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("--results"), "{err}");
    }

    // A bad token, a network out of reach, a server not there: exit 1 with the reason.
    let (code, _, err) = dengbao(
        "en",
        &[
            "record",
            "--server",
            &s.url,
            "--network",
            &s.net,
            "--results",
            &good,
        ],
        Some("dbk_not_a_token"),
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("token is not valid") && err.contains("401"),
        "{err}"
    );
    let (code, _, err) = dengbao(
        "en",
        &["show", "--server", &s.url, "--network", "nosuchnet"],
        Some(&s.token),
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("404"), "{err}");
    let (code, _, err) = dengbao(
        "en",
        &[
            "show",
            "--server",
            "http://127.0.0.1:9",
            "--network",
            &s.net,
        ],
        Some(&s.token),
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("could not be reached"), "{err}");
    assert_eq!(s.recorded(&s.net).len(), 2);

    // The token from DENGBAO_TOKEN; --json is the server's assessment as is.
    let (code, out, err) = dengbao(
        "en",
        &["show", "--server", &s.url, "--network", &s.net, "--json"],
        Some(&s.token),
    );
    assert_eq!(code, 0, "{err}");
    let a: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(a["assessed"], 2);
    assert_eq!(a["level"], 3);
    assert!(a["conclusion"].is_null());
    let (code, out, _) = dengbao(
        "zh-CN",
        &["show", "--server", &s.url, "--network", &s.net],
        Some(&s.token),
    );
    assert_eq!(code, 0);
    assert!(out.contains("进度：2/"), "{out}");
    assert!(
        out.contains("待整改") && out.contains("L3-CES1-01"),
        "{out}"
    );

    // Every item of the level: the conclusion follows, in Chinese by default.
    let catalog = Catalog::builtin().unwrap();
    let scope = catalog
        .select(Level::new(3).unwrap(), &[Extension::General])
        .unwrap();
    let all: Vec<Value> = scope
        .iter()
        .map(|c| json!({"item": c.id, "result": "符合"}))
        .collect();
    let all = write(files.path(), "all.json", &Value::Array(all));
    let (code, out, err) = dengbao(
        "zh-CN",
        &[
            "record",
            "--server",
            &s.url,
            "--network",
            &s.net,
            "--results",
            &all,
        ],
        Some(&s.token),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("进度：{n}/{n}", n = scope.len())),
        "{out}"
    );
    assert!(out.contains("测评结论：符合　符合率：100.0%"), "{out}");
    let (code, out, _) = dengbao(
        "en",
        &[
            "record",
            "--server",
            &s.url,
            "--network",
            &s.net,
            "--results",
            &all,
            "--json",
        ],
        Some(&s.token),
    );
    assert_eq!(code, 0);
    let a: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(a["conclusion"]["conclusion"], "符合");
}
