//! `dengbao training quiz` and `dengbao training questions`, run as a user (or a script)
//! runs them: the JSON interface exactly, a stable draw per seed, the law filter, the key
//! of every question pointing at its cited article, text in either language, bad input.

mod common;

use std::collections::BTreeSet;

use assert_cmd::Command;
use serde_json::Value;

fn dengbao() -> Command {
    let mut cmd = Command::cargo_bin("dengbao").expect("binary builds");
    cmd.env_remove("DENGBAO_DATA")
        .env_remove("DENGBAO_LOG")
        .env_remove("DENGBAO_LANG");
    cmd
}

/// A date the amended CSL is in force, so the test does not depend on today.
const DATE: &str = "2026-03-01";

fn quiz(args: &[&str]) -> Vec<Value> {
    let out = dengbao()
        .args(["training", "quiz", "--json", "--date", DATE])
        .args(args)
        .output()
        .expect("runs");
    common::json_ok(out).as_array().expect("an array").clone()
}

/// 《网络安全法》第二十一条 → 21.
fn article_of(choice: &str) -> Option<u64> {
    let tail = choice.rsplit('》').next()?;
    dengbao_corpus::numerals::parse(tail.strip_prefix('第')?.strip_suffix('条')?)
}

#[test]
fn quiz_json_is_exactly_the_interface() {
    let qs = quiz(&["--count", "12"]);
    assert_eq!(qs.len(), 12);
    for q in &qs {
        let keys: BTreeSet<&str> = q
            .as_object()
            .expect("object")
            .keys()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(
            keys,
            BTreeSet::from(["question", "choices", "answer", "citation"])
        );
        let c = q["citation"].as_object().expect("citation");
        let ckeys: BTreeSet<&str> = c.keys().map(|k| k.as_str()).collect();
        assert_eq!(
            ckeys,
            BTreeSet::from(["law", "article", "paragraph", "item"])
        );
        let choices = q["choices"].as_array().expect("choices");
        let answer = q["answer"].as_u64().expect("answer index") as usize;
        assert!(answer < choices.len() && choices.len() >= 3, "{q}");
        assert!(q["question"].as_str().is_some_and(|s| !s.is_empty()));
        // A question answered by an article keys the cited one.
        let key = choices[answer].as_str().expect("choice");
        if let Some(n) = article_of(key) {
            assert_eq!(Some(n), c["article"].as_u64(), "{q}");
        }
    }
}

#[test]
fn the_same_seed_draws_the_same_quiz_and_law_filters() {
    let a = quiz(&["--count", "8", "--seed", "42"]);
    let b = quiz(&["--count", "8", "--seed", "42"]);
    let c = quiz(&["--count", "8", "--seed", "43"]);
    assert_eq!(a, b);
    assert_ne!(a, c);
    for law in ["csl", "mlps"] {
        let qs = quiz(&["--count", "1000", "--law", law]);
        assert!(qs.len() >= 150, "{law}: {}", qs.len());
        assert!(qs.iter().all(|q| q["citation"]["law"] == law));
    }
}

#[test]
fn questions_lists_every_question_with_an_id() {
    let out = dengbao()
        .args(["training", "questions", "--json", "--date", DATE])
        .output()
        .expect("runs");
    let all = common::json_ok(out);
    let all = all.as_array().expect("array");
    assert!(all.len() >= 300, "{}", all.len());
    let ids: BTreeSet<&str> = all.iter().filter_map(|q| q["id"].as_str()).collect();
    assert_eq!(ids.len(), all.len(), "ids are unique");
    // The reviewers' file is applied: a retired question is gone, an added one is there.
    assert!(!ids.contains("which-article.csl.amended-2025.2"));
    assert!(ids.contains("added.mlps.level3-assessment-yearly"));
    // Before 2026 the 2016 text is quizzed.
    let out = dengbao()
        .args([
            "training",
            "questions",
            "--json",
            "--law",
            "csl",
            "--date",
            "2025-06-01",
        ])
        .output()
        .expect("runs");
    let old = common::json_ok(out);
    assert!(old
        .as_array()
        .expect("array")
        .iter()
        .any(|q| q["version"] == "final" && q["kind"] == "cloze"));
}

#[test]
fn text_shows_lettered_choices_and_with_answers_the_key_and_article() {
    let out = dengbao()
        .args([
            "training",
            "quiz",
            "--count",
            "3",
            "--date",
            DATE,
            "--answers",
        ])
        .output()
        .expect("runs");
    let (code, stdout, _) = common::outcome(out);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("   Ａ. ") && stdout.contains("   Ｄ. "),
        "{stdout}"
    );
    assert_eq!(stdout.matches("答案：").count(), 3, "{stdout}");
    let out = dengbao()
        .args([
            "--lang", "en", "training", "quiz", "--count", "2", "--date", DATE,
        ])
        .output()
        .expect("runs");
    let (code, stdout, _) = common::outcome(out);
    assert_eq!(code, 0);
    assert!(!stdout.contains("Answer:"), "no key without --answers");
    assert!(stdout.contains("1. ") && stdout.contains("   A. "));
}

#[test]
fn bad_input_exits_2_naming_the_flag() {
    for (args, flag) in [
        (vec!["--count", "3", "--law", "dsl"], "--law"),
        (vec!["--count", "0"], "--count"),
        (vec!["--count", "3", "--date", "2026-02-30"], "--date"),
    ] {
        let out = dengbao()
            .args(["training", "quiz"])
            .args(&args)
            .output()
            .expect("runs");
        let (code, _, stderr) = common::outcome(out);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(flag), "{args:?}: {stderr}");
    }
}

#[test]
fn a_reviewers_copy_is_applied_and_a_broken_one_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let shipped = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/training/questions.toml"),
    )
    .expect("questions.toml");
    // Retire one more question: it is gone from the listing.
    let good = dir.path().join("good.toml");
    std::fs::write(
        &good,
        format!(
            "{shipped}\n[[retire]]\nid = \"which-article.csl.amended-2025.1\"\nreason = \"试用\"\n"
        ),
    )
    .expect("write");
    let out = dengbao()
        .args([
            "training",
            "questions",
            "--json",
            "--date",
            DATE,
            "--review",
        ])
        .arg(&good)
        .output()
        .expect("runs");
    let all = common::json_ok(out);
    assert!(!all
        .as_array()
        .expect("array")
        .iter()
        .any(|q| q["id"] == "which-article.csl.amended-2025.1"));
    // An added question whose quoted words the article does not contain: exit 2, naming
    // the file and the entry.
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        shipped.replace("每年至少进行一次检测评估", "每两年至少进行一次检测评估"),
    )
    .expect("write");
    let out = dengbao()
        .args(["training", "questions", "--date", DATE, "--review"])
        .arg(&bad)
        .output()
        .expect("runs");
    let (code, _, stderr) = common::outcome(out);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("bad.toml") && stderr.contains("added.csl.cii-yearly-assessment"),
        "{stderr}"
    );
}
