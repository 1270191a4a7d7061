//! `dengbao incident clocks` as a user runs it: the JSON shape, a level-3 CII operator's 较大
//! personal-information leak with every report it owes, the text in Chinese and in English,
//! and bad input (exit 2, the message names the field in both languages).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

mod common;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `dengbao incident clocks` on the shipped CII example profile (or `profile`) and an
/// incident written to a temporary file.
fn clocks(
    profile: Option<&str>,
    incident: &str,
    extra: &[&str],
    env: &[(&str, &str)],
) -> (i32, String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let inc = dir.path().join("incident.toml");
    std::fs::write(&inc, incident).expect("write incident");
    let prof = match profile {
        Some(text) => {
            let p = dir.path().join("profile.toml");
            std::fs::write(&p, text).expect("write profile");
            p
        }
        None => repo().join("examples/profile-level3-cii.toml"),
    };
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dengbao"));
    cmd.env("DENGBAO_DATA", dir.path())
        .env_remove("DENGBAO_LANG")
        .current_dir(repo())
        .args(["incident", "clocks", "--profile"])
        .arg(&prof)
        .arg("--incident")
        .arg(&inc)
        .args(extra);
    for (k, v) in env {
        cmd.env(k, v);
    }
    common::outcome(cmd.output().expect("run dengbao"))
}

const LEAK: &str = "detected_at = \"2026-05-31T22:15:00+08:00\"\n\
    category = \"data_security\"\n\
    personal_info_records = 1000000\n\
    handling_ended_at = \"2026-06-10T18:00:00+08:00\"\n";

fn leak_json() -> Value {
    let (code, out, err) = clocks(None, LEAK, &["--json"], &[]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn cite(law: &str, article: u32, paragraph: Option<u32>, item: Option<u32>) -> Value {
    json!({"law": law, "article": article, "paragraph": paragraph, "item": item})
}

#[test]
fn json_has_the_interface_shape() {
    let v = leak_json();
    assert_eq!(v["grade"], "relatively_major");
    assert_eq!(v["grade_zh"], "较大");
    let reasons = v["grade_reasons"].as_array().expect("grade_reasons");
    assert_eq!(reasons[0]["fact"], "personal_info_records");
    assert_eq!(reasons[0]["threshold"], 1_000_000);
    assert_eq!(reasons[0]["annex"], json!({"section": 3, "item": 5}));
    let reports = v["reports"].as_array().expect("reports");
    for r in reports {
        for key in ["kind", "recipient", "due", "hours", "citations"] {
            assert!(r.get(key).is_some(), "{key} missing in {r}");
        }
        assert!(r["recipient"].is_string());
        assert_eq!(r["due"].is_null(), r["hours"].is_null(), "{r}");
        if let Some(due) = r["due"].as_str() {
            assert!(due.ends_with("+08:00"), "{due}");
        }
    }
    // Sorted by due time, strictest first; no due time last.
    let hours: Vec<Option<f64>> = reports.iter().map(|r| r["hours"].as_f64()).collect();
    let first_null = hours
        .iter()
        .position(Option::is_none)
        .unwrap_or(hours.len());
    assert!(hours[first_null..].iter().all(Option::is_none), "{hours:?}");
    let timed: Vec<f64> = hours[..first_null].iter().flatten().copied().collect();
    assert!(timed.windows(2).all(|w| w[0] <= w[1]), "{timed:?}");
}

#[test]
fn a_level3_cii_operators_relatively_major_leak_owes_all_its_reports() {
    let v = leak_json();
    let reports = v["reports"].as_array().expect("reports");
    let find = |kind: &str, recipient: &str| {
        reports
            .iter()
            .find(|r| r["kind"] == kind && r["recipient"] == recipient)
            .unwrap_or_else(|| panic!("no {kind} to {recipient} in {reports:#?}"))
    };
    // 第四条第二款: within 1 hour to the protection department and the police.
    for recipient in ["protection_department", "public_security"] {
        let r = find("initial", recipient);
        assert_eq!(r["hours"], 1);
        assert_eq!(r["due"], "2026-05-31T23:15:00+08:00");
        assert_eq!(r["citations"], json!([cite("cac-irm", 4, Some(2), None)]));
    }
    assert_eq!(
        find("initial", "protection_department")["recipient_zh"],
        "保护工作部门"
    );
    // 条例 第二十条（十）: within 24 hours to the local police.
    let police = find("police_24h", "local_public_security");
    assert_eq!(police["hours"], 24);
    assert_eq!(police["due"], "2026-06-01T22:15:00+08:00");
    assert_eq!(
        police["citations"],
        json!([cite("mlps", 20, None, Some(10))])
    );
    // 个人信息保护法 第五十七条: the individuals are told; the law sets no hour limit.
    let notice = find("user_notice", "individuals");
    assert!(notice["due"].is_null() && notice["hours"].is_null());
    assert_eq!(
        notice["citations"],
        json!([
            cite("pipl", 57, Some(1), None),
            cite("pipl", 57, Some(2), None)
        ])
    );
    assert!(notice["note_zh"]
        .as_str()
        .unwrap_or("")
        .contains("未规定小时时限"));
    find("pi_authority_notice", "pi_authority");
    // 第八条: the summary within 30 days after handling ended (2026-06-10T18:00).
    let summary = find("summary", "original_channel");
    assert_eq!(summary["due"], "2026-07-10T18:00:00+08:00");
    assert_eq!(summary["hours"], 955.75);
    assert_eq!(
        summary["citations"],
        json!([cite("cac-irm", 8, None, None)])
    );
    assert_eq!(summary["recipient_zh"], "原渠道（保护工作部门、公安机关）");
    find("follow_up", "original_channel");
    // 较大 is below the threshold of the relays (重大 and above).
    assert!(
        !reports.iter().any(|r| r["kind"] == "relay"),
        "{reports:#?}"
    );
    // Nothing else: the profile names a sector (金融), so the sector's own rules are listed.
    let kinds: Vec<&str> = reports.iter().filter_map(|r| r["kind"].as_str()).collect();
    assert_eq!(
        kinds,
        [
            "initial",
            "initial",
            "police_24h",
            "summary",
            "industry",
            "follow_up",
            "pi_authority_notice",
            "user_notice"
        ]
    );
}

#[test]
fn without_the_end_of_handling_the_summary_waits_for_it() {
    let incident = LEAK.replace("handling_ended_at = \"2026-06-10T18:00:00+08:00\"\n", "");
    let (code, out, err) = clocks(None, &incident, &["--json"], &[]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    let summary = v["reports"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["kind"] == "summary"))
        .expect("summary");
    assert!(summary["due"].is_null());
    assert_eq!(summary["waits_for"], "handling_ended_at");
}

#[test]
fn text_is_chinese_by_default_and_english_on_request() {
    let (code, zh, err) = clocks(None, LEAK, &[], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(zh.contains("事件等级：较大"), "{zh}");
    assert!(
        zh.contains("《国家网络安全事件报告管理办法》第四条第二款"),
        "{zh}"
    );
    assert!(
        zh.contains("《网络安全等级保护条例（征求意见稿）》第二十条第（十）项"),
        "{zh}"
    );
    assert!(
        zh.contains("《个人信息保护法》第五十七条第一款、第二款"),
        "{zh}"
    );
    assert!(
        zh.contains("三、较大网络安全事件（通常情况下）第5项"),
        "{zh}"
    );
    assert!(!zh.contains("Reports owed"), "{zh}");
    for en in [
        clocks(None, LEAK, &["--lang", "en"], &[]),
        clocks(None, LEAK, &[], &[("DENGBAO_LANG", "en")]),
    ] {
        let (code, en, err) = en;
        assert_eq!(code, 0, "{err}");
        assert!(en.contains("Incident grade: relatively major"), "{en}");
        assert!(en.contains("art. 4(2)"), "{en}");
        // English throughout: no Chinese character in the English text.
        let han = en.chars().find(|c| ('\u{4e00}'..='\u{9fff}').contains(c));
        assert_eq!(han, None, "{en}");
    }
}

#[test]
fn a_general_incident_owes_only_the_24_hour_police_report() {
    let incident = "detected_at = \"2026-03-01T09:00:00+08:00\"\ncategory = \"malicious_program\"\ndirect_loss_yuan = 4999999\n";
    let (code, out, err) = clocks(None, incident, &["--json"], &[]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["grade"], "general");
    let kinds: Vec<&str> = v["reports"]
        .as_array()
        .map(|rs| rs.iter().filter_map(|r| r["kind"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(kinds, ["police_24h"]);
}

#[test]
fn the_operator_class_of_the_profile_picks_the_route() {
    let organ = "[network]\nlevel = 2\noperator_class = \"state_organ\"\n";
    let incident = "detected_at = \"2026-03-01T09:00:00+08:00\"\ncategory = \"network_attack\"\ndirect_loss_yuan = 20000000\n";
    let (code, out, err) = clocks(Some(organ), incident, &["--json"], &[]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["grade"], "major");
    let first = &v["reports"][0];
    assert_eq!(
        (first["recipient"].as_str(), first["hours"].as_f64()),
        (Some("organ_cyber_office"), Some(2.0))
    );
    let relay = &v["reports"][1];
    assert_eq!(
        (
            relay["party"].as_str(),
            relay["recipient"].as_str(),
            relay["hours"].as_f64()
        ),
        (Some("organ_cyber_office"), Some("national_cac"), Some(3.0))
    );
}

#[test]
fn bad_input_exits_2_naming_the_field() {
    let ok = "[network]\nlevel = 2\n";
    let cases: [(Option<&str>, &str, &str); 6] = [
        (None, "detected_at = \"2026-02-30T10:00:00+08:00\"\ncategory = \"other\"\n", "detected_at"),
        (None, "detected_at = \"2026-03-01T10:00:00+08:00\"\ncategory = \"other\"\ngrade = \"major\"\n", "grade"),
        (None, "detected_at = \"2026-03-01T10:00:00+08:00\"\ncategory = \"data_security\"\npersonal_info_records = -3\n", "personal_info_records"),
        (None, "detected_at = \"2026-03-01T10:00:00+08:00\"\ncategory = \"ransomware\"\n", "category"),
        (Some("[network]\nlevel = 2\noperator_class = \"ministry\"\n"), "detected_at = \"2026-03-01T10:00:00+08:00\"\ncategory = \"other\"\n", "network.operator_class"),
        (Some(ok), "detected_at = \"2026-03-01T10:00:00+08:00\"\ncategory = \"other\"\ncii_function_lost = true\n", "cii_function_lost"),
    ];
    for (profile, incident, field) in cases {
        let (code, out, err) = clocks(profile, incident, &["--json"], &[]);
        assert_eq!(code, 2, "{field}: exit {code}, stderr {err}");
        assert!(out.is_empty(), "{field}: printed {out}");
        assert!(
            err.contains(&format!("{field}: ")),
            "{field} not named: {err}"
        );
        assert!(err.contains(" / "), "{field}: not in two languages: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn the_shipped_example_incident_runs_as_the_readme_shows() {
    let out = Command::new(env!("CARGO_BIN_EXE_dengbao"))
        .env_remove("DENGBAO_LANG")
        .current_dir(repo())
        .args([
            "incident",
            "clocks",
            "--profile",
            "examples/profile-level3-cii.toml",
            "--incident",
            "examples/incident-pi-leak.toml",
        ])
        .output()
        .expect("run dengbao");
    let (code, out, err) = common::outcome(out);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("事件等级：较大"), "{out}");
    let first = out
        .lines()
        .find(|l| l.contains("保护工作部门：初次报告"))
        .unwrap_or_else(|| panic!("{out}"));
    let words: Vec<&str> = first.split_whitespace().collect();
    assert_eq!(
        words,
        [
            "2026-05-31T23:15:00+08:00",
            "1小时",
            "保护工作部门：初次报告"
        ]
    );
    assert!(out.contains("2026-07-10T18:00:00+08:00"), "summary: {out}");
}
