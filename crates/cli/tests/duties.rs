//! `dengbao duties` and `dengbao exposure` as a user runs them, on the shipped examples and
//! on bad profiles (exit 2, the message names the field).

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn dengbao(args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_dengbao"))
        .env("DENGBAO_DATA", dir.path())
        .current_dir(repo())
        .args(args)
        .output()
        .expect("run dengbao");
    common::outcome(out)
}

fn json(args: &[&str]) -> serde_json::Value {
    let (code, out, err) = dengbao(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn duties_json_has_the_interface_shape_and_the_spring_festival_deadline() {
    let v = json(&[
        "duties",
        "--profile",
        "examples/profile-level2-web.toml",
        "--at",
        "2026-02-20",
        "--json",
    ]);
    let list = v.as_array().expect("array");
    let filing = list
        .iter()
        .find(|d| d["id"] == "mlps.filing")
        .expect("mlps.filing");
    assert_eq!(filing["status"], "due");
    // The rule in force drives by default (decision 0205): 30 days from the grading on
    // 2026-02-10 (the network already runs); the draft's 10 working days over the Spring
    // Festival end on 2026-03-02, shown beside it.
    assert_eq!(filing["due"], "2026-03-12");
    assert_eq!(filing["provisional"], false, "2026 is in the notices");
    let basis = &filing["rule_basis"];
    assert_eq!(basis["driving"], "in_force");
    assert_eq!(
        basis["in_force"],
        serde_json::json!({"law": "mlps2007", "article": 15, "paragraph": null, "version": "2007"})
    );
    assert_eq!(basis["other_due"], "2026-03-02");
    assert_eq!(basis["same"], false);
    assert_eq!(
        filing["citations"][0],
        serde_json::json!({"law": "mlps", "article": 18, "paragraph": 1, "item": null, "version": "draft-for-comment"})
    );
    assert_eq!(filing["kind"], "event_triggered");
    assert_eq!(filing["party"], "operator");
    assert_eq!(filing["breaches"], serde_json::json!([]));
    let keys: Vec<&String> = filing.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 10, "{keys:?}");
    // A prohibition is complied, never due; the police's certificate is another party's.
    let limits = list.iter().find(|d| d["id"] == "mlps.data_limits").unwrap();
    assert_eq!(
        (limits["kind"].as_str(), limits["status"].as_str()),
        (Some("prohibition"), Some("complied"))
    );
    let cert = list
        .iter()
        .find(|d| d["id"] == "mlps.filing.certificate")
        .unwrap();
    assert_eq!(cert["party"], "public_security");
}

#[test]
fn mlps_basis_draft_counts_the_drafts_working_days_over_the_spring_festival() {
    let v = json(&[
        "duties",
        "--profile",
        "examples/profile-level2-web.toml",
        "--at",
        "2026-02-20",
        "--mlps-basis",
        "draft",
        "--json",
    ]);
    let filing = v
        .as_array()
        .and_then(|l| l.iter().find(|d| d["id"] == "mlps.filing"))
        .expect("mlps.filing");
    assert_eq!(filing["due"], "2026-03-02");
    assert_eq!(filing["rule_basis"]["driving"], "draft");
    assert_eq!(filing["rule_basis"]["other_due"], "2026-03-12");
    let (code, _, err) = dengbao(&[
        "duties",
        "--profile",
        "examples/profile-level2-web.toml",
        "--mlps-basis",
        "latest",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("in-force") && err.contains("draft"), "{err}");
}
#[test]
fn a_recorded_breach_and_others_duties_as_the_user_reads_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("p.toml");
    std::fs::write(
        &path,
        "[network]\nlevel = 2\nstage = \"running\"\n[events]\nlaunched = \"2025-01-01\"\ngraded = \"2026-02-10\"\nfiled = \"2026-02-27\"\n\
         [[breach]]\nduty = \"mlps.data_limits\"\nwhen = \"2026-03-01\"\ndescription = \"向合作方提供了未经授权的用户数据\"\n",
    )
    .unwrap();
    let p = path.to_str().unwrap();
    let v = json(&["duties", "--profile", p, "--at", "2026-04-01", "--json"]);
    let limits = v
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "mlps.data_limits")
        .unwrap();
    assert_eq!(limits["status"], "breached");
    assert_eq!(limits["breaches"][0]["when"], "2026-03-01");
    let (code, out, err) = dengbao(&["duties", "--profile", p, "--at", "2026-04-01"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("【已违反】1 项"), "{out}");
    assert!(out.contains("【他方义务】"), "{out}");
    let others = &out[out.find("【他方义务】").unwrap()..];
    assert!(
        others.contains("mlps.filing.certificate") && others.contains("公安机关"),
        "{out}"
    );
    assert!(!out[..out.find("【他方义务】").unwrap()].contains("mlps.filing.certificate"));
    // Before the breach, at an earlier --at, it is not there.
    let v = json(&["duties", "--profile", p, "--at", "2026-02-20", "--json"]);
    let limits = v
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "mlps.data_limits")
        .unwrap();
    assert_eq!(limits["status"], "complied");
    // The breach costs the operator: 条例 第六十五条 → 网络安全法 第六十四条第一款.
    let e = json(&["exposure", "--profile", p, "--at", "2026-04-01", "--json"]);
    assert!(
        e["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["duty"] == "mlps.data_limits"),
        "{e}"
    );
}

#[test]
fn exposure_json_for_the_cii_example() {
    let v = json(&[
        "exposure",
        "--profile",
        "examples/profile-level3-cii.toml",
        "--at",
        "2026-06-01",
        "--json",
    ]);
    let items = v["items"].as_array().expect("items");
    let yearly = items
        .iter()
        .find(|i| i["duty"] == "mlps.assessment.yearly")
        .expect("yearly assessment");
    assert_eq!(yearly["aggravated"], true);
    assert_eq!(
        yearly["penalty"],
        serde_json::json!({"law": "mlps", "article": 63, "paragraph": 2, "version": "draft-for-comment"})
    );
    // Overdue since 2026-05-21, under the amended Cybersecurity Law (in force 2026-01-01):
    // old 第五十九条第一款 is 第六十一条第一款, 五万–五十万元 on refusal, 一万–五万元 at once.
    assert_eq!(yearly["conduct_date"], "2026-05-21");
    assert_eq!(yearly["law_version"], "amended-2025");
    assert_eq!(yearly["org_fine"], serde_json::json!([50000, 500000]));
    assert_eq!(yearly["first_fine"], serde_json::json!([10000, 50000]));
    assert!(yearly["law_choice"]
        .as_str()
        .is_some_and(|t| t.contains("2026-01-01")));
    assert!(v["org_fine_total"][1].as_u64().unwrap() >= 500_000);
    // The whole basis: 条例 第六十三条第二款 → 第一款 → 网络安全法 第六十一条第一款.
    assert_eq!(
        yearly["basis"],
        serde_json::json!([
            {"law": "mlps", "article": 63, "paragraph": 2, "version": "draft-for-comment"},
            {"law": "mlps", "article": 63, "paragraph": 1, "version": "draft-for-comment"},
            {"law": "csl", "article": 61, "paragraph": 1, "version": "amended-2025"},
        ])
    );
    assert_eq!(yearly["basis_text"], YEARLY_BASIS);
}

/// How a missed yearly assessment of a level-3 network is cited in 2026 (条例 第六十三条, and
/// the amended Cybersecurity Law's 第六十一条第一款, old 第五十九条第一款).
const YEARLY_BASIS: &str = "依据《网络安全等级保护条例（征求意见稿）》第六十三条第二款、第一款，依照《网络安全法》第六十一条第一款从重处罚";

/// The same duty cited on either side of 2026-01-01, and `--law-version` naming one text.
#[test]
fn duties_cite_the_text_in_force_on_the_date_asked() {
    let logs = |args: &[&str]| {
        let v = json(args);
        v.as_array()
            .expect("array")
            .iter()
            .find(|d| d["id"] == "csl.operator.logs")
            .expect("csl.operator.logs")["citations"][0]
            .clone()
    };
    let p = "examples/profile-level3-cii.toml";
    let before = logs(&["duties", "--profile", p, "--at", "2025-12-31", "--json"]);
    assert_eq!(
        (before["article"].as_u64(), before["item"].as_u64()),
        (Some(21), Some(3))
    );
    assert_eq!(before["version"], "final");
    let after = logs(&["duties", "--profile", p, "--at", "2026-01-02", "--json"]);
    assert_eq!(
        (after["article"].as_u64(), after["item"].as_u64()),
        (Some(23), Some(3))
    );
    assert_eq!(after["version"], "amended-2025");
    let named = logs(&[
        "duties",
        "--profile",
        p,
        "--at",
        "2026-01-02",
        "--law-version",
        "final",
        "--json",
    ]);
    assert_eq!(
        (named["article"].as_u64(), named["version"].as_str()),
        (Some(21), Some("final"))
    );
    let (code, _, err) = dengbao(&["duties", "--profile", p, "--law-version", "2030", "--json"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--law-version 2030") && err.contains("amended-2025"),
        "{err}"
    );
}

#[test]
fn exposure_text_cites_the_whole_basis_under_each_item() {
    let (code, out, err) = dengbao(&[
        "exposure",
        "--profile",
        "examples/profile-level3-cii.toml",
        "--at",
        "2026-11-25",
    ]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("mlps.assessment.yearly"))
        .unwrap_or_else(|| panic!("no yearly assessment row: {out}"));
    assert!(lines[at].contains("已逾期"), "{}", lines[at]);
    assert!(lines[at].trim_end().ends_with('是'), "从重: {}", lines[at]);
    assert_eq!(lines[at + 1].trim(), format!("↳ {YEARLY_BASIS}"));
}

#[test]
fn readable_tables_without_json() {
    let (code, out, err) = dengbao(&[
        "duties",
        "--profile",
        "examples/profile-classified.toml",
        "--at",
        "2026-06-01",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("已逾期"), "{out}");
    assert!(out.contains("mlps.classified.check"), "{out}");
    let (code, out, err) = dengbao(&[
        "exposure",
        "--profile",
        "examples/profile-level2-web.toml",
        "--at",
        "2026-03-03",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("mlps.filing"), "{out}");
}

#[test]
fn bad_profiles_exit_2_naming_the_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = [
        ("[network]\nlevel = 6\n", "network.level"),
        ("[network]\nlevel = 2\nlevle = 3\n", "levle"),
        (
            "[network]\nlevel = 2\n[events]\ngraded = \"2026-02-30\"\n",
            "events.graded",
        ),
        ("[network]\nstage = \"running\"\n", "network.level"),
        (
            "[network]\nlevel = 2\n[[evidence]]\nduty = \"mlps.filling\"\nwhen = \"2026-01-01\"\n",
            "evidence[0].duty",
        ),
    ];
    for (i, (text, field)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("p{i}.toml"));
        std::fs::write(&path, text).unwrap();
        for cmd in ["duties", "exposure"] {
            let (code, _, err) = dengbao(&[cmd, "--profile", path.to_str().unwrap(), "--json"]);
            assert_eq!(code, 2, "{cmd} {text}: {err}");
            assert!(err.contains(field), "{field} not in {err}");
        }
    }
    let (code, _, err) = dengbao(&[
        "duties",
        "--profile",
        "examples/profile-level2-web.toml",
        "--at",
        "2026-02-30",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--at"), "{err}");
}
