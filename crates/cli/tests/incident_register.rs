//! `dengbao incident open|grade|report|close|list` on the store, as a user runs them: a
//! level-3 CII operator's 较大 personal-information leak owes all its reports, recording each
//! send turns its clock to met; bad input exits 2 naming the field; and the legal hold the
//! incident placed makes `logs delete` refuse the held logs, naming the incident.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod common;
use common::cii_network;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn bin(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dengbao"));
    c.env_remove("DENGBAO_DATABASE_URL")
        .env_remove("DENGBAO_LANG")
        .env("DENGBAO_DATA", data)
        .current_dir(repo());
    c
}

fn run(data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = bin(data).args(args).output().expect("run dengbao");
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

fn open_leak(data: &Path, net: &str) -> Value {
    let out = ok(
        data,
        &[
            "incident",
            "open",
            "--network",
            net,
            "--title",
            "会员数据库遭拖库",
            "--detected-at",
            "2026-11-01T22:15:00+08:00",
            "--category",
            "data_security",
            "--personal-info-records",
            "1000000",
            "--affected-systems",
            "会员数据库",
            "--affected-data",
            "会员姓名、手机号",
            "--by",
            "张三",
            "--json",
        ],
    );
    let v: Value = serde_json::from_str(&out).expect("JSON");
    v[0].clone()
}

fn report<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{id} owed: {v}"))
}

#[test]
fn a_cii_relatively_major_leak_owes_every_report_and_each_send_meets_its_clock() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path();
    let net = cii_network(data);
    let v = open_leak(data, &net);
    let id = v["incident"]["id"].as_str().expect("id").to_string();
    assert_eq!(v["incident"]["grade"], "relatively_major");
    assert_eq!(v["grade_zh"], "较大");
    assert_eq!(v["incident"]["grade_status"], "proposed");
    // Every report of a CII operator's 较大 leak, with the text's hours and recipients.
    for (rid, hours, recipient, article) in [
        (
            "cac-irm.cii.protection_department",
            Some(1),
            "protection_department",
            4,
        ),
        ("cac-irm.cii.public_security", Some(1), "public_security", 4),
        ("mlps.police_24h", Some(24), "local_public_security", 20),
        ("pipl.authority_notice", None, "pi_authority", 57),
        ("pipl.user_notice", None, "individuals", 57),
        ("cac-irm.follow_up", None, "original_channel", 7),
        ("cac-irm.summary", None, "original_channel", 8),
    ] {
        let r = report(&v, rid);
        assert_eq!(r["hours"], serde_json::json!(hours), "{rid}");
        assert_eq!(r["recipient"], recipient, "{rid}");
        assert_eq!(r["citations"][0]["article"], article, "{rid}");
        let want = if hours.is_some() {
            "overdue"
        } else {
            "untimed"
        };
        assert_eq!(r["state"], want, "{rid}: nothing sent a month later");
    }
    assert_eq!(
        report(&v, "cac-irm.summary")["waits_for"],
        "handling_ended_at"
    );
    assert_eq!(
        report(&v, "cac-irm.cii.protection_department")["due"],
        "2026-11-01T23:15:00+08:00"
    );

    // Confirm the grade, send each report; the end of handling starts the summary's clock.
    ok(data, &["incident", "grade", &id, "--by", "张三"]);
    for (rid, at) in [
        (
            "cac-irm.cii.protection_department",
            "2026-11-01T22:50:00+08:00",
        ),
        ("cac-irm.cii.public_security", "2026-11-01T23:05:00+08:00"),
        ("mlps.police_24h", "2026-11-02T09:00:00+08:00"),
        ("pipl.authority_notice", "2026-11-02T10:00:00+08:00"),
        ("pipl.user_notice", "2026-11-02T12:00:00+08:00"),
        ("cac-irm.follow_up", "2026-11-05T12:00:00+08:00"),
    ] {
        ok(
            data,
            &[
                "incident",
                "report",
                &id,
                "--report",
                rid,
                "--sent-at",
                at,
                "--by",
                "李四",
                "--channel",
                "书面",
                "--attachment",
                "报告.docx",
            ],
        );
    }
    ok(
        data,
        &[
            "incident",
            "grade",
            &id,
            "--handling-ended-at",
            "2026-11-10T18:00:00+08:00",
            "--by",
            "张三",
        ],
    );
    let out = ok(data, &["incident", "list", "--json"]);
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(
        report(&v[0], "cac-irm.summary")["due"],
        "2026-12-10T18:00:00+08:00"
    );
    ok(
        data,
        &[
            "incident",
            "report",
            &id,
            "--report",
            "cac-irm.summary",
            "--sent-at",
            "2026-11-20T10:00:00+08:00",
            "--by",
            "李四",
            "--channel",
            "书面",
        ],
    );
    let out = ok(
        data,
        &[
            "incident",
            "close",
            &id,
            "--closed-at",
            "2026-11-21T10:00:00+08:00",
            "--by",
            "张三",
            "--json",
        ],
    );
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v[0]["incident"]["state"], "closed");
    for r in v[0]["reports"].as_array().expect("reports") {
        if r["party"] == "operator" {
            assert_eq!(r["state"], "met", "{}", r["id"]);
        }
    }
    // The text says so in each language.
    let zh = ok(data, &["incident", "list"]);
    assert!(
        zh.contains("已结案") && zh.contains("已报送（2026-11-01T22:50:00+08:00，按时）"),
        "{zh}"
    );
    assert!(
        zh.contains("《国家网络安全事件报告管理办法》第四条第二款"),
        "{zh}"
    );
    let en = ok(data, &["--lang", "en", "incident", "list"]);
    assert!(
        en.contains("met (sent 2026-11-01T22:50:00+08:00, on time)"),
        "{en}"
    );
    // Closed, it takes no more changes.
    let (code, _, err) = run(data, &["incident", "grade", &id, "--by", "张三"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("state"), "{err}");
}

#[test]
fn bad_input_exits_2_naming_the_field_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path();
    let net = cii_network(data);
    let base = |over: &[(&str, &str)]| {
        let mut args: Vec<String> = [
            "incident",
            "open",
            "--network",
            &net,
            "--title",
            "拖库",
            "--detected-at",
            "2026-11-01T22:15:00+08:00",
            "--category",
            "data_security",
            "--by",
            "张三",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for (k, v) in over {
            if let Some(i) = args.iter().position(|a| a == k) {
                args[i + 1] = v.to_string();
            } else {
                args.push(k.to_string());
                args.push(v.to_string());
            }
        }
        args
    };
    for (over, field) in [
        (
            vec![("--detected-at", "2026-02-30T10:00:00+08:00")],
            "detected_at",
        ),
        (
            vec![("--personal-info-records", "-1")],
            "personal_info_records",
        ),
        (vec![("--category", "weather")], "category"),
        (vec![("--operator-class", "other")], "operator_class"),
    ] {
        let args = base(&over);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, _, err) = run(data, &refs);
        assert_eq!(code, 2, "{over:?}: {err}");
        assert!(err.contains(field), "{over:?}: {err}");
        let (code, _, en) = run(data, &[&["--lang", "en"], &refs[..]].concat());
        assert_eq!(code, 2);
        assert!(en.contains(field) && en.starts_with("error: "), "{en}");
    }
    assert_eq!(ok(data, &["incident", "list", "--json"]).trim(), "[]");
    assert!(
        !data.join("logs/holds").exists()
            || std::fs::read_dir(data.join("logs/holds"))
                .expect("dir")
                .next()
                .is_none()
    );

    let v = open_leak(data, &net);
    let id = v["incident"]["id"].as_str().expect("id").to_string();
    for (args, field) in [
        (
            vec![
                "--report",
                "mlps.police_24h",
                "--sent-at",
                "2026-11-01T20:00:00+08:00",
            ],
            "sent_at",
        ),
        (
            vec![
                "--report",
                "mlps.secrecy_24h",
                "--sent-at",
                "2026-11-02T10:00:00+08:00",
            ],
            "report",
        ),
    ] {
        let mut all = vec![
            "incident",
            "report",
            &id,
            "--by",
            "李四",
            "--channel",
            "电话",
        ];
        all.extend(args);
        let (code, _, err) = run(data, &all);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(field), "{err}");
    }
    let (code, _, err) = run(
        data,
        &["incident", "grade", &id, "--grade", "major", "--by", "张三"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("reason"), "{err}");
    let (code, _, err) = run(
        data,
        &[
            "incident",
            "close",
            &id,
            "--closed-at",
            "2026-11-21T10:00:00+08:00",
            "--by",
            "张三",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("handling_ended_at"), "{err}");
    let v: Value = serde_json::from_str(&ok(data, &["incident", "list", "--json"])).expect("JSON");
    assert_eq!(v[0]["incident"]["sends"], serde_json::json!([]));
    assert_eq!(v[0]["incident"]["grade_status"], "proposed");
}

#[test]
fn logs_delete_refuses_the_logs_an_open_incident_holds_and_names_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path();
    let net = cii_network(data);
    let samples = repo().join("data/logs/samples/cisco-ios.log");
    ok(
        data,
        &[
            "logs",
            "ingest",
            "--network",
            &net,
            "--received-at",
            "2026-11-25T10:00:00+08:00",
            &samples.to_string_lossy(),
        ],
    );
    let v = open_leak(data, &net);
    let id = v["incident"]["id"].as_str().expect("id").to_string();
    assert!(data.join(format!("logs/holds/incident-{id}.json")).exists());
    let holds = ok(data, &["logs", "holds"]);
    assert!(holds.contains(&format!("incident:{id}")), "{holds}");

    // The Cisco day (2026-05-12) is older than six months, but the incident reaches back to
    // 2026-05-01: the deletion is refused, naming the incident.
    for (lang, words) in [("zh-CN", "拒绝删除"), ("en", "refused to remove")] {
        let out = ok(
            data,
            &[
                "--lang",
                lang,
                "logs",
                "delete",
                "--before",
                "2026-05-20T00:00:00+08:00",
                "--network",
                &net,
            ],
        );
        assert!(out.contains(words) && out.contains(&id), "{out}");
        assert!(out.contains("0 "), "nothing removed: {out}");
    }
}
