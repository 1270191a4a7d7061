//! Host-check reports sent to the server (issue 12): a report of the network's level is
//! stored as evidence pending review and listed with its host and counts; a report that
//! claims items its checks do not evidence, a check the server does not know, counts that
//! do not add up or another level is refused naming it, and nothing is stored.

mod common;

use axum::http::Method;
use serde_json::json;

#[tokio::test]
async fn a_report_is_stored_as_evidence_and_a_forged_one_is_refused() {
    let w = common::world().await;
    let op = w.tokens[2].clone().unwrap();
    let path = format!("/api/networks/{}/host-reports", w.net_a);
    let report = common::host_report(3);

    let bad = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut r = report.clone();
        f(&mut r);
        json!({"host": "web-01", "report": r})
    };
    let forged = [
        (
            bad(&|r| r["results"][0]["items"] = json!(["L3-CES1-01", "L3-PES1-01"])),
            "items",
        ),
        (
            bad(&|r| r["results"][0]["check"] = json!("shell.rm_rf")),
            "shell.rm_rf",
        ),
        (bad(&|r| r["summary"]["pass"] = json!(999)), "summary.pass"),
        // A genuine level-2 report for a level-3 network.
        (
            json!({"host": "web-01", "report": common::host_report(2)}),
            "report.level",
        ),
        (json!({"host": "", "report": report}), "host"),
    ];
    for (body, names) in forged {
        let (status, answer) = common::send_as(&w, Method::POST, &path, &op, Some(body)).await;
        assert_eq!(status, 422, "{names}: {answer}");
        assert!(answer.to_string().contains(names), "{names}: {answer}");
    }
    let listed = w.store.host_reports(&w.net_a).await.unwrap();
    assert!(listed.is_empty(), "a refused report stores nothing");

    let (status, stored) = common::send_as(
        &w,
        Method::POST,
        &path,
        &op,
        Some(json!({"host": "web-01", "report": report})),
    )
    .await;
    assert_eq!(status, 201, "{stored}");
    assert_eq!(stored["host"], "web-01");
    assert_eq!(stored["review"], "pending", "uploaded is not accepted");
    let fails = report["summary"]["fail"].as_i64().unwrap();
    assert_eq!(stored["failed"], fails);

    // The evidence item: the report's JSON, hashed, named for the host, on the protection duty.
    let evidence = w.store.list_evidence(&w.net_a).await.unwrap();
    let ev = evidence
        .iter()
        .find(|e| e.id == stored["evidence_id"])
        .expect("the evidence");
    assert_eq!(ev.duty_id, "mlps.general.protection");
    assert!(ev
        .file_name
        .as_deref()
        .unwrap()
        .starts_with("主机检查-web-01-"));
    assert!(
        ev.description.contains(&format!("不通过 {fails} 项")),
        "{}",
        ev.description
    );
    assert_eq!(ev.sha256.as_deref().map(str::len), Some(64));

    let (status, list) = common::send_as(&w, Method::GET, &path, &op, None).await;
    assert_eq!(status, 200);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["level"], 3);

    // The assessment shows the host's checks beside the items they evidence.
    let (a, root_login) = beside(&w, &op, "L3-CES1-06", "access.ssh_root_login").await;
    assert_eq!(root_login["host"], "web-01");
    assert_eq!(root_login["review"], "pending");
    assert_eq!(root_login["evidence_id"], stored["evidence_id"]);
    assert!(
        a["host_checks"]["L3-PES1-01"].is_null(),
        "no host check evidences 物理环境"
    );
}

/// Issue 12, "done when": a report posted with the API is on the network's duty timeline
/// (the protection duty's evidence, pending review), in the assessment beside its items,
/// and audited; the engaged assessor accepts or overrules each result (audited), and an
/// overruled result counts as the assessor found it wherever the assessment shows it.
#[tokio::test]
async fn a_posted_report_is_on_the_timeline_and_in_the_assessment_where_the_assessor_rules_on_it() {
    let w = common::world().await;
    common::engage_assessor(&w, "2026-09-01").await;
    let net = &w.net_a;
    let report = common::host_report(3);
    let sent = w
        .post_json(
            &format!("/api/networks/{net}/host-reports"),
            "operator_a",
            json!({"host": "db-02", "report": report}),
        )
        .await;
    assert_eq!(sent.status, 201, "{}", sent.json);
    let report_id = sent.json["evidence_id"].as_str().unwrap().to_string();

    // The duty timeline's API: the protection duty applies, and the report is its evidence.
    let duties = w
        .get(&format!("/api/networks/{net}/duties"), "operator_a")
        .await;
    assert!(
        duties
            .json
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["id"] == "mlps.general.protection"),
        "{}",
        duties.json
    );
    let evidence = w
        .get(&format!("/api/networks/{net}/evidence"), "operator_a")
        .await;
    let on_duty = evidence
        .json
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == report_id.as_str())
        .expect("the report is evidence of the network");
    assert_eq!(on_duty["duty_id"], "mlps.general.protection");
    assert_eq!(on_duty["review"], "pending");

    // The machine's result of the root-login check of a bare root, and the items it evidences.
    let machine = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["check"] == "access.ssh_root_login")
        .unwrap()["result"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(machine, "pass", "nothing to read on a bare root");

    let rulings = format!("/api/networks/{net}/host-reports/{report_id}/rulings");
    // Refused: the operator (not an assessor), a check the report does not have, an
    // overruling without a note; nothing written.
    let overrule = json!({"check": "access.ssh_root_login", "ruling": "overrule",
        "result": "pass", "note": "现场核查：sshd_config 第 12 行 PermitRootLogin no"});
    let r = w.post_json(&rulings, "operator_a", overrule.clone()).await;
    assert_eq!(r.status, 403, "{}", r.json);
    let r = w.post_json(&rulings, "operator_b", overrule.clone()).await;
    assert_eq!(r.status, 404, "another organisation's network: {}", r.json);
    let r = w
        .post_json(
            &rulings,
            "assessor",
            json!({"check": "shell.rm_rf", "ruling": "accept"}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.json.to_string().contains("shell.rm_rf"), "{}", r.json);
    let r = w
        .post_json(
            &rulings,
            "assessor",
            json!({"check": "access.ssh_root_login", "ruling": "overrule", "result": "pass"}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.json.to_string().contains("note"), "{}", r.json);
    assert!(w.store.host_reports(net).await.unwrap()[0]
        .rulings
        .is_empty());

    // The assessor overrules one result and accepts another.
    let r = w.post_json(&rulings, "assessor", overrule).await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!(r.json["result"], "pass");
    let r = w
        .post_json(
            &rulings,
            "assessor",
            json!({"check": "auth.pass_max_days", "ruling": "accept", "note": ""}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);

    // The listing carries the rulings.
    let list = w
        .get(&format!("/api/networks/{net}/host-reports"), "operator_a")
        .await;
    let listed = list.json[0]["rulings"].as_array().unwrap();
    assert_eq!(listed.len(), 2, "{}", list.json);

    // The assessment: the overruled result counts as the assessor found it, with the note.
    let a = w
        .get(&format!("/api/networks/{net}/assessment"), "operator_a")
        .await;
    let beside = a.json["host_checks"]["L3-CES1-06"].as_array().unwrap();
    let root = beside
        .iter()
        .find(|c| c["check"] == "access.ssh_root_login" && c["host"] == "db-02")
        .expect("the check beside its item");
    assert_eq!(root["status"], "pass", "{root}");
    assert_eq!(root["machine_status"], machine.as_str());
    assert_eq!(root["ruling"]["ruling"], "overrule");
    assert!(root["ruling"]["note"]
        .as_str()
        .unwrap()
        .contains("PermitRootLogin no"));
    let accepted = a.json["host_checks"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|v| v.as_array().unwrap())
        .find(|c| c["check"] == "auth.pass_max_days")
        .expect("auth.pass_max_days beside its item");
    assert_eq!(accepted["ruling"]["ruling"], "accept");
    assert_eq!(accepted["status"], accepted["machine_status"]);

    // Audited: the report sent, and each ruling with the assessor's result and note.
    let audit = w.get("/api/audit?limit=1000", "auditor").await;
    let entries = audit.json.as_array().expect("the entries");
    let actions: Vec<&str> = entries
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(actions.contains(&"host.report"), "{actions:?}");
    assert_eq!(
        actions.iter().filter(|a| **a == "host.ruling").count(),
        2,
        "{actions:?}"
    );
}

/// A network device's report (`dengbao host check --device`): verified against the device
/// checks, stored like a host's; one naming items its check does not evidence is refused.
#[tokio::test]
async fn a_device_report_is_stored_and_one_with_wrong_items_is_refused() {
    let w = common::world().await;
    let op = w.tokens[2].clone().unwrap();
    let path = format!("/api/networks/{}", w.net_a) + "/host-reports";
    let bytes = include_bytes!("../../hostcheck/tests/devices/h3c-default.cfg");
    let config = dengbao_hostcheck::DeviceConfig::parse("h3c-default.cfg", bytes, None);
    let checks = dengbao_hostcheck::Checks::device_builtin().unwrap();
    let report = serde_json::to_value(dengbao_hostcheck::run_device(&checks, &config, 3)).unwrap();
    assert_eq!(report["platform"], "device");

    let mut forged = report.clone();
    forged["results"][0]["items"] = json!(["L3-CES1-03", "L3-CES1-04"]);
    let (status, answer) = common::send_as(
        &w,
        Method::POST,
        &path,
        &op,
        Some(json!({"host": "S5120-3F-07", "report": forged})),
    )
    .await;
    assert_eq!(status, 422, "{answer}");
    assert!(
        answer.to_string().contains("dev.mgmt.ssh_server"),
        "{answer}"
    );
    // A Linux check id in a device report is not one of the device checks.
    let mut mixed = report.clone();
    mixed["results"][0]["check"] = json!("access.ssh_root_login");
    let (status, answer) = common::send_as(
        &w,
        Method::POST,
        &path,
        &op,
        Some(json!({"host": "S5120-3F-07", "report": mixed})),
    )
    .await;
    assert_eq!(status, 422, "{answer}");
    assert!(w.store.host_reports(&w.net_a).await.unwrap().is_empty());

    let (status, stored) = common::send_as(
        &w,
        Method::POST,
        &path,
        &op,
        Some(json!({"host": "S5120-3F-07", "report": report})),
    )
    .await;
    assert_eq!(status, 201, "{stored}");
    assert_eq!(stored["host"], "S5120-3F-07");
    assert_eq!(stored["failed"], report["summary"]["fail"]);
    assert!(
        stored["distro"].as_str().unwrap().contains("H3C Comware"),
        "{stored}"
    );
}

/// A Windows Server's report (from its exported files) is verified against the Windows
/// checks: accepted as it is and shown beside its items; one naming a Linux check, claiming
/// other items, or a Linux report passed off as Windows is refused naming what is wrong.
#[tokio::test]
async fn a_windows_report_is_verified_against_the_windows_checks() {
    let w = common::world().await;
    let op = w.tokens[2].clone().unwrap();
    let path = format!("/api/networks/{}/host-reports", w.net_a);
    let exports = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../hostcheck/tests/windows/server2016-default-zh");
    let checks = dengbao_hostcheck::Checks::windows_builtin().unwrap();
    let report =
        serde_json::to_value(dengbao_hostcheck::run_windows(&checks, &exports, 3).unwrap())
            .unwrap();
    assert_eq!(report["platform"], "windows");

    let bad = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut r = report.clone();
        f(&mut r);
        json!({"host": "win-db-01", "report": r})
    };
    let mut linux_as_windows = common::host_report(3);
    linux_as_windows["platform"] = json!("windows");
    let refused = [
        (
            bad(&|r| r["results"][0]["check"] = json!("access.ssh_root_login")),
            "access.ssh_root_login",
        ),
        (
            bad(&|r| r["results"][0]["items"] = json!(["L3-CES1-23"])),
            "items",
        ),
        (
            json!({"host": "web-01", "report": linux_as_windows}),
            "results.",
        ),
    ];
    for (body, names) in refused {
        let (status, answer) = common::send_as(&w, Method::POST, &path, &op, Some(body)).await;
        assert_eq!(status, 422, "{names}: {answer}");
        assert!(answer.to_string().contains(names), "{names}: {answer}");
    }
    assert!(w.store.host_reports(&w.net_a).await.unwrap().is_empty());

    let (status, stored) = common::send_as(
        &w,
        Method::POST,
        &path,
        &op,
        Some(json!({"host": "win-db-01", "report": report})),
    )
    .await;
    assert_eq!(status, 201, "{stored}");
    assert_eq!(stored["failed"], report["summary"]["fail"]);
    let (_, lockout) = beside(&w, &op, "L3-CES1-02", "win.lockout.threshold").await;
    assert_eq!(
        (lockout["host"].as_str(), lockout["status"].as_str()),
        (Some("win-db-01"), Some("fail"))
    );
}

/// The network's assessment as `token` reads it, and the result of host check `check` shown
/// beside control item `item` (fails the test when it is not there).
async fn beside(
    w: &common::World,
    token: &str,
    item: &str,
    check: &str,
) -> (serde_json::Value, serde_json::Value) {
    let (status, a) = common::send_as(
        w,
        Method::GET,
        &format!("/api/networks/{}/assessment", w.net_a),
        token,
        None,
    )
    .await;
    assert_eq!(status, 200, "{a}");
    let found = a["host_checks"][item]
        .as_array()
        .unwrap_or_else(|| panic!("no host checks beside {item}"))
        .iter()
        .find(|c| c["check"] == check)
        .unwrap_or_else(|| panic!("{check} is not shown beside {item}"))
        .clone();
    (a, found)
}
