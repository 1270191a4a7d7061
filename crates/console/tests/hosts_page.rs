//! The network's host checks page (issue 12): a report sent by `dengbao host report` shows
//! its host, counts and review state, and each failed check with its reason and the file
//! line that decided it, in the page's language only.

mod common;

use common::App;
use dengbao_hostcheck::{run, Checks, Host};

#[tokio::test]
async fn a_host_report_shows_its_failures_with_the_lines_that_decided_them() {
    let app = App::new().await;
    let mut b = app.set_up().await;
    let net = app
        .network(serde_json::json!({"name": "会员服务平台", "level": 3, "stage": "running"}))
        .await;
    let page = format!("/networks/{}/hosts", net.id);
    let empty = b.get(&page).await;
    assert!(
        empty.body.contains("尚未收到主机检查报告"),
        "{}",
        empty.body
    );

    // A root whose sshd lets root in.
    let root = tempfile::tempdir().unwrap();
    let sshd = root.path().join("etc/ssh");
    std::fs::create_dir_all(&sshd).unwrap();
    std::fs::write(sshd.join("sshd_config"), "PermitRootLogin yes\n").unwrap();
    let report = run(&Checks::builtin().unwrap(), &Host::open(root.path()), 3);
    let fails = report.summary["fail"] as i64;
    let bytes =
        serde_json::to_vec(&serde_json::json!({"host": "web-01", "report": report})).unwrap();
    app.store
        .record_host_report(
            "test",
            &net.id,
            dengbao_store::host_reports::HostReportInput {
                host: "web-01".into(),
                level: 3,
                distro: " (unknown)".into(),
                counts: [
                    report.summary["pass"] as i64,
                    fails,
                    report.summary["not_applicable"] as i64,
                    report.summary["unknown"] as i64,
                ],
            },
            dengbao_store::EvidenceInput {
                duty_id: "mlps.general.protection".into(),
                description: "主机检查 web-01".into(),
                file_name: Some("主机检查-web-01.json".into()),
                ..Default::default()
            },
            &bytes,
        )
        .await
        .unwrap();

    let zh = b.get(&page).await;
    assert!(zh.body.contains("web-01"), "{}", zh.body);
    assert!(
        zh.body.contains("待审核"),
        "the report is evidence pending review"
    );
    assert!(zh.body.contains("access.ssh_root_login"));
    assert!(
        zh.body
            .contains("/etc/ssh/sshd_config:1</code> <code>PermitRootLogin yes</code>"),
        "{}",
        zh.body
    );
    assert!(
        zh.body
            .contains("<code>PermitRootLogin</code> 的生效值为 <code>yes</code>"),
        "{}",
        zh.body
    );
    assert!(!zh.body.contains("is yes; required"), "one language");
    let en = b.get(&format!("{page}?lang=en")).await;
    assert!(
        en.body.contains("PermitRootLogin is yes; required no"),
        "{}",
        en.body
    );
    assert!(!en.body.contains("生效值"), "one language");
    // Beside the items it evidences on the assessment page.
    let a = b
        .get(&format!("/networks/{}/assessment?lang=zh-CN", net.id))
        .await
        .body;
    let row = &a[a.find(r#"id="item-L3-CES1-06""#).expect("the item")..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("web-01 access.ssh_root_login 不通过"), "{row}");
    let detail = b.get(&format!("/networks/{}", net.id)).await;
    assert!(detail.body.contains(&format!(r#"href="{page}""#)));
}
