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
    let (status, a) = common::send_as(
        &w,
        Method::GET,
        &format!("/api/networks/{}/assessment", w.net_a),
        &op,
        None,
    )
    .await;
    assert_eq!(status, 200, "{a}");
    let beside = a["host_checks"]["L3-CES1-06"]
        .as_array()
        .expect("checks of L3-CES1-06");
    let root_login = beside
        .iter()
        .find(|c| c["check"] == "access.ssh_root_login")
        .expect("access.ssh_root_login evidences L3-CES1-06");
    assert_eq!(root_login["host"], "web-01");
    assert_eq!(root_login["review"], "pending");
    assert_eq!(root_login["evidence_id"], stored["evidence_id"]);
    assert!(
        a["host_checks"]["L3-PES1-01"].is_null(),
        "no host check evidences 物理环境"
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
    let (status, a) = common::send_as(
        &w,
        Method::GET,
        &format!("/api/networks/{}/assessment", w.net_a),
        &op,
        None,
    )
    .await;
    assert_eq!(status, 200, "{a}");
    let beside = a["host_checks"]["L3-CES1-02"]
        .as_array()
        .expect("L3-CES1-02");
    let lockout = beside
        .iter()
        .find(|c| c["check"] == "win.lockout.threshold")
        .expect("win.lockout.threshold evidences L3-CES1-02");
    assert_eq!(
        (lockout["host"].as_str(), lockout["status"].as_str()),
        (Some("win-db-01"), Some("fail"))
    );
}
