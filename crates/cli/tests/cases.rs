//! `dengbao cases list` and `dengbao cases search`, run as a user runs them, on the shipped
//! case library (data/cases/cases.toml) and on broken copies of it.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn dengbao() -> Command {
    let mut cmd = Command::cargo_bin("dengbao").expect("binary builds");
    cmd.env_remove("DENGBAO_DATA")
        .env_remove("DENGBAO_LOG")
        .env_remove("DENGBAO_LANG");
    cmd
}

fn data_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/cases/cases.toml")
}

/// The data file read as plain TOML: what the command must answer, computed apart.
fn raw_cases() -> Vec<toml::Value> {
    let text = std::fs::read_to_string(data_file()).expect("cases.toml");
    let v: toml::Value = toml::from_str(&text).expect("toml");
    v["case"].as_array().cloned().expect("[[case]]")
}

fn json(args: &[&str]) -> Vec<Value> {
    let out = dengbao().args(args).arg("--json").output().expect("runs");
    common::json_ok(out).as_array().expect("an array").clone()
}

fn ids(cases: &[Value]) -> BTreeSet<String> {
    cases
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_string())
        .collect()
}

#[test]
fn list_json_has_the_interface_shape_for_every_case() {
    let cases = json(&["cases", "list"]);
    let raw = raw_cases();
    assert_eq!(cases.len(), raw.len());
    assert!(cases.len() >= 30);
    for (c, r) in cases.iter().zip(&raw) {
        for key in [
            "id",
            "date",
            "authority",
            "facts",
            "citations",
            "penalty",
            "source",
        ] {
            assert!(c.get(key).is_some(), "{key} missing in {c}");
        }
        assert_eq!(c["id"], r["id"].as_str().expect("id"));
        assert_eq!(c["date"], r["date"].as_str().expect("date"));
        let cites = c["citations"].as_array().expect("citations");
        assert_eq!(cites.len(), r["citations"].as_array().expect("raw").len());
        for x in cites {
            let text = x["text"].as_str().expect("text");
            assert!(text.starts_with('《') && text.contains("第"), "{text}");
            assert!(x["law"].is_string() && x["article"].is_u64(), "{x}");
            assert!(x["version"].is_string(), "{x}");
        }
        assert!(c["penalty"]["text"].is_string() && c["penalty"]["kinds"].is_array());
        assert!(c["source"]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("http")));
    }
}

/// A case from 2026 is cited in the amended numbering: the log duty's old 第二十一条 is
/// 第二十三条, the fine's old 第五十九条 is 第六十一条.
#[test]
fn cases_after_the_amendment_cite_the_amended_numbering() {
    for c in json(&["cases", "list"]) {
        let date = c["date"].as_str().expect("date");
        for x in c["citations"].as_array().expect("citations") {
            if x["law"] != "csl" {
                continue;
            }
            let want = if date >= "2026" {
                "amended-2025"
            } else {
                "final"
            };
            assert_eq!(x["version"], want, "{} {x}", c["id"]);
        }
    }
}

fn linked(duty: impl Fn(&str) -> bool) -> BTreeSet<String> {
    raw_cases()
        .iter()
        .filter(|c| {
            c["duties"]
                .as_array()
                .is_some_and(|d| d.iter().any(|x| x.as_str().is_some_and(&duty)))
        })
        .map(|c| c["id"].as_str().expect("id").to_string())
        .collect()
}

#[test]
fn search_finds_the_log_and_the_mlps_cases() {
    let logs = linked(|d| d == "csl.operator.logs" || d == "mlps.general.logging");
    assert!(!logs.is_empty());
    assert_eq!(ids(&json(&["cases", "search", "日志"])), logs);
    let mlps = linked(|d| d.starts_with("mlps."));
    assert!(!mlps.is_empty());
    assert_eq!(ids(&json(&["cases", "search", "等级保护"])), mlps);
}

#[test]
fn text_is_in_one_language_at_a_time() {
    let out = dengbao()
        .args(["cases", "search", "日志"])
        .output()
        .expect("runs");
    let (code, zh, _) = common::outcome(out);
    assert_eq!(code, 0);
    assert!(zh.contains("《网络安全法》第二十一条第（三）项"), "{zh}");
    assert!(zh.contains("个案例匹配"), "{zh}");
    let out = dengbao()
        .args(["--lang", "en", "cases", "search", "日志"])
        .output()
        .expect("runs");
    let (code, en, _) = common::outcome(out);
    assert_eq!(code, 0);
    assert!(en.contains("Cybersecurity Law art. 21, item (3)"), "{en}");
    assert!(en.contains("cases match"), "{en}");
    let out = dengbao()
        .args(["cases", "search", "区块链挖矿"])
        .output()
        .expect("runs");
    let (code, none, _) = common::outcome(out);
    assert_eq!((code, none.trim()), (0, "没有匹配的案例"));
}

/// A reviewer's copy with a wrong article: exit 2, the message names the file, the case
/// and the field, in the language asked.
#[test]
fn a_broken_copy_is_refused_naming_the_case_and_field() {
    let raw = raw_cases();
    let first = raw[0]["id"].as_str().expect("id");
    let text = std::fs::read_to_string(data_file()).expect("cases.toml");
    let dir = tempfile::tempdir().expect("tempdir");
    let copy = dir.path().join("cases.toml");
    std::fs::write(&copy, text.replacen("article = 21,", "article = 210,", 1)).expect("write");
    let copy = copy.to_string_lossy().to_string();
    for (lang, word) in [("zh-CN", "案例"), ("en", "case")] {
        let out = dengbao()
            .args(["--lang", lang, "cases", "list", "--file", &copy])
            .output()
            .expect("runs");
        let (code, _, err) = common::outcome(out);
        assert_eq!(code, 2, "{err}");
        for part in [first, "citations", "cases.toml", word] {
            assert!(err.contains(part), "{part} not in {err}");
        }
    }
    let out = dengbao()
        .args(["cases", "search", " "])
        .output()
        .expect("runs");
    assert_eq!(common::outcome(out).0, 2);
}

/// From a duty to the cases that illustrate it: exactly those the data links to it.
#[test]
fn a_duty_lists_its_cases() {
    let want = linked(|d| d == "csl.real_identity");
    assert!(!want.is_empty());
    assert_eq!(
        ids(&json(&["cases", "list", "--duty", "csl.real_identity"])),
        want
    );
    let out = dengbao()
        .args(["cases", "list", "--duty", "csl.no_such_duty"])
        .output()
        .expect("runs");
    let (code, _, err) = common::outcome(out);
    assert_eq!(code, 2);
    assert!(err.contains("csl.no_such_duty"), "{err}");
}
