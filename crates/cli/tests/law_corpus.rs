//! `dengbao law show / diff / sources` on the shipped corpus (nothing outside the binary
//! is needed: the commands run from an empty directory).

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn dengbao() -> Command {
    let mut c = Command::cargo_bin("dengbao").expect("binary");
    // The corpus is embedded: run somewhere with no data beside the binary.
    c.current_dir(std::env::temp_dir());
    c
}

fn json_of(args: &[&str]) -> Value {
    let out = dengbao().args(args).output().expect("run");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn show_article_21_in_chinese_with_chapter_items_and_commentary() {
    dengbao()
        .args(["law", "show", "csl", "21", "--at", "2025-12-31"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "中华人民共和国网络安全法 第二十一条",
        ))
        .stdout(predicate::str::contains(
            "第三章 网络运行安全 · 第一节 一般规定",
        ))
        .stdout(predicate::str::contains("（三）采取监测、记录网络运行状态"))
        .stdout(predicate::str::contains("[解读]"))
        .stdout(predicate::str::contains(
            "文本：2016年文本（2017-06-01起施行）；对应：2025年修正文本第二十三条",
        ));
}

/// A law around the CSL (decision 0204) reads as its text in force, with its in-force date.
#[test]
fn show_a_related_law_names_its_text_in_force() {
    dengbao()
        .args(["law", "show", "pipl", "第五十二条第二款"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "中华人民共和国个人信息保护法 第五十二条第二款",
        ))
        .stdout(predicate::str::contains("公开个人信息保护负责人的联系方式"))
        .stdout(predicate::str::contains(
            "文本：现行文本（2021-11-01起施行）",
        ));
    dengbao()
        .args(["law", "show", "ccr", "38"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "文本：2023年修订文本（2023-07-01起施行）",
        ));
}

/// Since 2026-01-01 the MLPS duty is 第二十三条; without a date the text in force today is
/// read, and its 2016 commentary is reached through the old number.
#[test]
fn show_reads_the_text_in_force_and_names_the_old_number() {
    dengbao()
        .args(["law", "show", "csl", "23"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "中华人民共和国网络安全法 第二十三条",
        ))
        .stdout(predicate::str::contains("国家实行网络安全等级保护制度"))
        .stdout(predicate::str::contains(
            "文本：2025年修正文本（2026-01-01起施行）；对应：2016年文本第二十一条",
        ))
        .stdout(predicate::str::contains("[解读]"));
    let v = json_of(&[
        "law",
        "show",
        "csl",
        "第六十一条第一款",
        "--at",
        "2026-01-01",
        "--json",
    ]);
    assert_eq!(v["version"], "amended-2025");
    assert_eq!(v["in_force"], "2026-01-01");
    assert!(v["text"]
        .as_str()
        .is_some_and(|t| t.contains("可以处一万元以上五万元以下罚款")));
    assert_eq!(v["counterparts"][0]["article"], 59);
    assert_eq!(v["counterparts"][0]["version"], "final");
    // The new article on artificial intelligence has no 2016 counterpart.
    let ai = json_of(&[
        "law",
        "show",
        "csl",
        "20",
        "--law-version",
        "amended-2025",
        "--json",
    ]);
    assert!(ai["text"].as_str().is_some_and(|t| t.contains("人工智能")));
    assert_eq!(ai["counterparts"], serde_json::json!([]));
}

#[test]
fn diff_from_2016_to_the_amended_text_shows_the_new_fine_tiers() {
    dengbao()
        .args([
            "law",
            "diff",
            "csl",
            "--from",
            "final",
            "--to",
            "amended-2025",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "2016年文本 第二十一条 → 第二十三条",
        ))
        .stdout(predicate::str::contains(
            "2016年文本 第五十九条 → 第六十一条",
        ))
        .stdout(predicate::str::contains(
            "警告 → 警告，可以处一万元以上五万元以下罚款",
        ))
        .stdout(predicate::str::contains("第二十条"));
}

#[test]
fn show_an_item_of_the_regulation_by_chinese_citation() {
    dengbao()
        .args(["law", "show", "mlps", "第二十条（五）"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "第二十条（五）【一般安全保护义务】",
        ))
        .stdout(predicate::str::contains("留存六个月以上"))
        .stdout(predicate::str::contains("（一）").not());
}

#[test]
fn show_json_has_the_documented_fields() {
    let v = json_of(&[
        "law",
        "show",
        "csl",
        "第六十四条第一款",
        "--law-version",
        "final",
        "--json",
    ]);
    assert_eq!(v["version"], "final");
    assert_eq!(v["law"], "csl");
    assert_eq!(v["law_title"], "中华人民共和国网络安全法");
    assert_eq!(v["article"], 64);
    assert_eq!(v["paragraph"], 1);
    assert_eq!(v["chapter"]["title"], "法律责任");
    assert!(v["text"]
        .as_str()
        .is_some_and(|t| t.contains("一百万元以下罚款")));
    assert_eq!(v["paragraphs"].as_array().map(Vec::len), Some(2));
    assert!(v["refs"]
        .as_array()
        .is_some_and(|r| r.iter().any(|c| c["article"] == 22)));
    assert!(v["commentary"].is_array());
    let t = json_of(&["law", "show", "mlps", "1", "--json"]);
    assert_eq!(t["title"], "立法宗旨与依据");
}

#[test]
fn unknown_law_article_paragraph_or_version_exits_2_naming_it() {
    for (args, needle) in [
        (vec!["law", "show", "gdpr", "1"], "gdpr"),
        (vec!["law", "show", "csl", "82"], "第八十二条"),
        (
            vec!["law", "show", "csl", "80", "--law-version", "final"],
            "第八十条",
        ),
        (
            vec!["law", "show", "csl", "21", "--law-version", "2030"],
            "amended-2025",
        ),
        (
            vec!["law", "show", "csl", "21", "--at", "2026-02-30"],
            "--at 2026-02-30",
        ),
        (vec!["law", "show", "csl", "第二十一条第三款"], "第3款"),
        (
            vec!["law", "show", "mlps", "第二十条（十二）"],
            "第（12）项",
        ),
        (vec!["law", "show", "csl", "twenty"], "twenty"),
        (
            vec!["law", "diff", "csl", "--from", "draft", "--to", "2030"],
            "2030",
        ),
        (
            vec!["law", "diff", "gdpr", "--from", "draft", "--to", "final"],
            "gdpr",
        ),
    ] {
        dengbao()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(needle));
    }
}

#[test]
fn diff_prints_the_comparison_table_with_moved_fines() {
    dengbao()
        .args(["law", "diff", "csl", "--from", "draft", "--to", "final"])
        .assert()
        .success()
        .stdout(predicate::str::contains("修订对照表"))
        .stdout(predicate::str::contains("草案 第五十四条 → 第六十四条"))
        .stdout(predicate::str::contains(
            "五十万元以下（≤ 500000 元） → 第一款 违法者 一百万元以下（≤ 1000000 元）",
        ))
        .stdout(predicate::str::contains("新增条文"))
        .stdout(predicate::str::contains("第七十五条"));
}

#[test]
fn diff_json_lists_pairs_fines_and_added_articles() {
    let v = json_of(&[
        "law", "diff", "csl", "--from", "draft", "--to", "final", "--json",
    ]);
    let pairs = v["pairs"].as_array().expect("pairs");
    let p57 = pairs
        .iter()
        .find(|p| p["from"]["number"] == 57)
        .expect("57");
    assert_eq!(p57["to"]["number"], 68);
    assert_eq!(p57["fines"][0]["from"]["max"], 200_000);
    assert_eq!(p57["fines"][0]["to"]["max"], 100_000);
    let added: Vec<u64> = v["added"]
        .as_array()
        .expect("added")
        .iter()
        .filter_map(|a| a["article"].as_u64())
        .collect();
    assert_eq!(added, vec![62, 67, 71, 75]);
}

#[test]
fn sources_report_the_67_and_68_discrepancies() {
    dengbao()
        .args(["law", "sources"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "《网络安全法》第六十七条第一款 [措辞]",
        ))
        .stdout(predicate::str::contains("异文 「情节严重的」  — 003:239"))
        .stdout(predicate::str::contains(
            "异文 「采取删除等」  — 003:243,325",
        ));
    let v = json_of(&["law", "sources", "--json"]);
    let ds = v["discrepancies"].as_array().expect("discrepancies");
    let d68 = ds.iter().find(|d| d["article"] == 68).expect("68");
    assert_eq!(d68["readings"][0]["text"], "采取消除等");
    assert_eq!(d68["readings"][1]["text"], "采取删除等");
    // The five seeds, the amended text with its two proof copies (decision 0203), and the
    // six laws around the CSL, each with a second, independent copy (decision 0204), and
    // the verified excerpts of the MLPS rule in force (decision 0205).
    assert_eq!(v["sources"].as_array().map(Vec::len), Some(21));
    assert_eq!(v["laws"][0]["versions"][1]["articles"], 79);
    assert_eq!(v["laws"][0]["versions"][2]["name"], "amended-2025");
    assert_eq!(v["laws"][0]["versions"][2]["articles"], 81);
}
