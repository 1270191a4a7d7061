//! `dengbao law search` and `dengbao law eval`, run as a user runs them.

mod common;

use assert_cmd::Command;
use predicates::str::contains;
use serde_json::Value;

fn dengbao() -> Command {
    let mut cmd = Command::cargo_bin("dengbao").expect("binary builds");
    cmd.env_remove("DENGBAO_DATA").env_remove("DENGBAO_LOG");
    cmd
}

fn search_json(args: &[&str]) -> Vec<Value> {
    let out = dengbao()
        .args(["law", "search"])
        .args(args)
        .arg("--json")
        .output()
        .expect("runs");
    let v: Value = common::json_ok(out);
    v.as_array().expect("a JSON array").clone()
}

fn cites(hit: &Value) -> String {
    format!("{} {}", hit["law"].as_str().unwrap_or("?"), hit["article"])
}

#[test]
fn json_hits_have_the_interface_shape_best_first() {
    let hits = search_json(&["网络日志要保存多久"]);
    assert!(!hits.is_empty());
    for h in &hits {
        let obj = h.as_object().expect("object");
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["article", "law", "law_title", "score", "snippet"]);
        // Every law of the corpus is searched (decision 0204).
        assert!([
            "csl",
            "mlps",
            "dsl",
            "pipl",
            "ciipr",
            "ndsr",
            "cryptolaw",
            "ccr"
        ]
        .contains(&h["law"].as_str().unwrap_or("")));
        assert!(h["article"].as_u64().is_some());
        assert!(h["score"].as_f64().is_some());
    }
    let scores: Vec<f64> = hits.iter().filter_map(|h| h["score"].as_f64()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );
    let top5: Vec<String> = hits.iter().take(5).map(cites).collect();
    assert!(top5.contains(&"csl 21".to_string()), "{top5:?}");
    let csl21 = hits.iter().find(|h| cites(h) == "csl 21").expect("csl 21");
    assert_eq!(csl21["law_title"], "中华人民共和国网络安全法");
    assert!(csl21["snippet"]
        .as_str()
        .unwrap_or("")
        .contains("**网络日志"));
}

#[test]
fn one_entry_per_article() {
    let hits = search_json(&["个人信息", "--limit", "20"]);
    let mut seen: Vec<String> = hits.iter().map(cites).collect();
    let n = seen.len();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), n, "an article appears once");
}

#[test]
fn a_citation_puts_its_article_first() {
    for (query, first) in [
        ("网络安全法第二十一条", "csl 21"),
        ("条例第二十条", "mlps 20"),
        ("csl 21", "csl 21"),
        ("mlps 18", "mlps 18"),
        ("《中华人民共和国网络安全法》第三十七条", "csl 37"),
        ("等保条例第二十三条 测评", "mlps 23"),
    ] {
        let hits = search_json(&[query]);
        assert_eq!(hits.first().map(cites).as_deref(), Some(first), "{query}");
    }
}

#[test]
fn a_bare_article_number_gives_that_article_of_each_law() {
    let hits = search_json(&["第二十一条"]);
    let first_two: Vec<String> = hits.iter().take(2).map(cites).collect();
    assert_eq!(first_two, ["csl 21", "mlps 21"]);
}

#[test]
fn limit_caps_the_number_of_hits() {
    assert_eq!(search_json(&["公安机关", "--limit", "3"]).len(), 3);
}

#[test]
fn text_output_names_the_law_and_article() {
    dengbao()
        .args(["law", "search", "等保备案要在多少天内完成"])
        .assert()
        .success()
        .stdout(contains("网络安全等级保护条例"))
        .stdout(contains("第十八条【定级备案】"));
}

#[test]
fn an_empty_query_is_bad_input() {
    for q in ["", "   "] {
        dengbao()
            .args(["law", "search", q])
            .assert()
            .code(2)
            .stderr(contains("empty query"));
    }
}

#[test]
fn a_zero_limit_is_bad_input() {
    dengbao()
        .args(["law", "search", "日志", "--limit", "0"])
        .assert()
        .code(2)
        .stderr(contains("--limit"));
}

#[test]
fn eval_reports_recall_and_mrr_on_the_question_set() {
    let out = dengbao()
        .args(["law", "eval", "--json"])
        .output()
        .expect("runs");
    let v: Value = common::json_ok(out);
    assert!(v["questions"].as_u64().unwrap_or(0) >= 40);
    let recall = v["recall_at_5"].as_f64().expect("recall_at_5");
    let mrr = v["mrr"].as_f64().expect("mrr");
    assert!(recall >= 0.9, "Recall@5 {recall}");
    assert!((0.0..=1.0).contains(&mrr));
    dengbao()
        .args(["law", "eval"])
        .assert()
        .success()
        .stdout(contains("Recall@5"))
        .stdout(contains("MRR"));
}
