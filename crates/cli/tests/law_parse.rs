//! `dengbao law parse FILE [--json]` on the seeds and on files that are not statutes.

use std::path::PathBuf;

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn seed(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/law/sources")
        .join(name)
}

fn dengbao() -> Command {
    let mut c = Command::cargo_bin("dengbao").expect("the dengbao binary is built");
    c.env_remove("DENGBAO_DATA")
        .env_remove("DENGBAO_DATABASE_URL");
    c
}

fn parse_json(file: &std::path::Path) -> Value {
    let out = dengbao()
        .args(["law", "parse"])
        .arg(file)
        .arg("--json")
        .output()
        .expect("runs");
    common::json_ok(out)
}

#[test]
fn the_final_law_has_79_articles_in_7_chapters() {
    let v = parse_json(&seed("001_c834ab8c02491189.txt"));
    assert_eq!(v["title"], "中华人民共和国网络安全法");
    let articles = v["articles"].as_array().expect("articles");
    assert_eq!(articles.len(), 79);
    let chapters = v["chapters"].as_array().expect("chapters");
    assert_eq!(chapters.len(), 7);
    assert_eq!(chapters[2]["sections"].as_array().map(Vec::len), Some(2));
    // The interface's fields, with their types.
    let a60 = &articles[59];
    assert_eq!(a60["number"], 60);
    assert_eq!(a60["suffix"], Value::Null);
    assert_eq!(a60["chapter"], 6);
    assert_eq!(a60["title"], Value::Null);
    assert!(a60["text"]
        .as_str()
        .is_some_and(|t| t.starts_with("违反本法第二十二条第一款")));
    assert_eq!(
        a60["paragraphs"][0]["items"].as_array().map(Vec::len),
        Some(3)
    );
    assert_eq!(
        a60["refs"][0],
        serde_json::json!({"law": null, "article": 22, "paragraph": 1, "item": null})
    );
    assert_eq!(a60["refs"].as_array().map(Vec::len), Some(3));
    assert!(v["diagnostics"].is_array());
}

#[test]
fn the_regulation_has_73_titled_articles_and_cites_the_law() {
    let v = parse_json(&seed("004_3eec16215bacfc3b.txt"));
    let articles = v["articles"].as_array().expect("articles");
    assert_eq!(articles.len(), 73);
    assert!(articles.iter().all(|a| a["title"].is_string()));
    assert_eq!(v["chapters"].as_array().map(Vec::len), Some(8));
    let a64 = &articles[63];
    assert_eq!(a64["title"], "违反技术维护要求");
    assert!(a64["refs"].as_array().is_some_and(|r| r.contains(
        &serde_json::json!({"law": "csl", "article": 59, "paragraph": 1, "item": null})
    )));
    // the draft's dangling 第二十六条第三款 is reported, not dropped
    let diags = v["diagnostics"].as_array().expect("diagnostics");
    assert!(diags.iter().any(|d| d["message"]
        .as_str()
        .is_some_and(|m| m.contains("第26条第3款"))));
}

#[test]
fn the_draft_fragment_parses_with_a_diagnostic() {
    let v = parse_json(&seed("000_792d93181b0ac754.txt"));
    let articles = v["articles"].as_array().expect("articles");
    assert_eq!(
        articles.first().map(|a| a["number"].clone()),
        Some(51.into())
    );
    assert_eq!(articles.len(), 14);
    let diags = v["diagnostics"].as_array().expect("diagnostics");
    assert!(diags.iter().any(|d| d["message"]
        .as_str()
        .is_some_and(|m| m.contains("fragment"))));
}

#[test]
fn the_outline_names_chapters_and_articles() {
    dengbao()
        .args(["law", "parse"])
        .arg(seed("001_c834ab8c02491189.txt"))
        .assert()
        .success()
        .stdout(predicate::str::contains("79 条，7 章"))
        .stdout(predicate::str::contains("第3章 网络运行安全"))
        .stdout(predicate::str::contains("第2节 关键信息基础设施的运行安全"))
        .stdout(predicate::str::contains(
            "第79条 本法自2017年6月1日起施行。",
        ));
}

fn refused(content: &[u8], why: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("input.txt");
    std::fs::write(&path, content).expect("write");
    dengbao()
        .args(["law", "parse"])
        .arg(&path)
        .arg("--json")
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(why));
}

#[test]
fn an_empty_file_is_refused() {
    refused(b"", "empty");
    refused(b" \n\n", "empty");
}

#[test]
fn a_binary_file_is_refused() {
    refused(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "binary");
    refused(&[0xff, 0xfe, 0x81, 0x20, 0xc3], "neither UTF-8 nor GBK");
}

#[test]
fn a_recipe_is_not_a_statute() {
    let recipe = "番茄炒蛋\n\n材料：番茄两个，鸡蛋三个，盐少许。\n1. 鸡蛋打散。\n2. 番茄切块，先炒蛋后炒番茄。\n";
    refused(recipe.as_bytes(), "not a statute");
}

#[test]
fn a_missing_file_is_refused() {
    dengbao()
        .args(["law", "parse", "/nonexistent/law.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read"));
}

#[test]
fn a_gbk_file_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("gbk.txt");
    // GBK bytes of "测试法\n第一条　为了测试，制定本法。\n"
    let gbk: Vec<u8> = vec![
        0xb2, 0xe2, 0xca, 0xd4, 0xb7, 0xa8, b'\n', 0xb5, 0xda, 0xd2, 0xbb, 0xcc, 0xf5, 0xa1, 0xa1,
        0xce, 0xaa, 0xc1, 0xcb, 0xb2, 0xe2, 0xca, 0xd4, 0xa3, 0xac, 0xd6, 0xc6, 0xb6, 0xa8, 0xb1,
        0xbe, 0xb7, 0xa8, 0xa1, 0xa3, b'\n',
    ];
    std::fs::write(&path, gbk).expect("write");
    let v = parse_json(&path);
    assert_eq!(v["title"], "测试法");
    assert_eq!(v["articles"][0]["text"], "为了测试，制定本法。");
}
