//! Issue 12, "done when": a report posted by `dengbao host report` (here: the API with the
//! operator's token) shows up on the network's duty timeline — its host, counts in the
//! page's language, review state and a link to the hosts page — and beside its items in the
//! assessment, where the engaged assessor accepts or overrules each result (decision 0424);
//! the operator reads the ruling and may not rule; every ruling is audited.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::App;
use dengbao_hostcheck::{run, Checks, Host};
use dengbao_store::Role;

const PASSWORD: &str = "a long enough passphrase";

/// The `<tr>` with `id` (its text up to `</tr>`).
fn row<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!(r#"id="{id}""#))
        .unwrap_or_else(|| panic!("no {id}"));
    let rest = &html[at..];
    &rest[..rest.find("</tr>").unwrap_or(rest.len())]
}

#[tokio::test]
async fn a_posted_report_is_on_the_timeline_and_the_engaged_assessor_rules_on_its_results() {
    let app = App::new().await;
    let mut admin = app.set_up().await;
    let org = app.first_org().await;
    let net = app
        .network(serde_json::json!({"name": "会员服务平台", "level": 3, "stage": "running"}))
        .await;
    let n = net.id.clone();
    let assessor = common::user_with_password(
        &app.store,
        "测评师",
        Role::Assessor,
        vec![org.clone()],
        PASSWORD,
    )
    .await;
    let operator =
        common::user_with_password(&app.store, "运维员", Role::Operator, vec![org], PASSWORD).await;
    app.store
        .engage(
            "test",
            &n,
            dengbao_store::engagements::EngagementInput {
                assessor_id: assessor,
                engaged_on: "2026-09-01".into(),
            },
        )
        .await
        .unwrap();

    // `dengbao host report` posts the checks of a host whose sshd lets root in.
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("etc/ssh")).unwrap();
    std::fs::write(
        root.path().join("etc/ssh/sshd_config"),
        "PermitRootLogin yes\n",
    )
    .unwrap();
    let report = run(&Checks::builtin().unwrap(), &Host::open(root.path()), 3);
    let count = |s: &str| report.summary.get(s).copied().unwrap_or(0);
    let token = app
        .store
        .create_token("test", &operator, "host report")
        .await
        .unwrap()
        .token;
    let mut api = app.browser();
    let sent = api
        .send(
            Request::post(format!("/api/networks/{n}/host-reports"))
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    serde_json::json!({"host": "web-01", "report": report}).to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    let stored: serde_json::Value = serde_json::from_str(&sent.body).unwrap();
    let report_id = stored["evidence_id"].as_str().unwrap().to_string();

    // The duty timeline: the report on the protection duty, in the page's language.
    let mut op = app.browser();
    op.sign_in("运维员", PASSWORD).await;
    let zh = op
        .get(&format!("/networks/{n}/duties?lang=zh-CN"))
        .await
        .body;
    let duty = row(&zh, "duty-mlps.general.protection");
    let line = format!(
        "主机 web-01 的检查报告：通过 {} · 不通过 {} · 不适用 {} · 无法判断 {}",
        count("pass"),
        count("fail"),
        count("not_applicable"),
        count("unknown")
    );
    assert!(duty.contains(&line), "{line}\n{duty}");
    assert!(duty.contains("待审核"), "pending review: {duty}");
    let link = format!(r#"href="/networks/{n}/hosts#report-{report_id}""#);
    assert!(duty.contains(&link), "{duty}");
    let en = op.get(&format!("/networks/{n}/duties?lang=en")).await.body;
    let duty = row(&en, "duty-mlps.general.protection");
    assert!(
        duty.contains(&format!(
            "Host-check report of web-01: Pass {}",
            count("pass")
        )),
        "{duty}"
    );
    assert!(!duty.contains("主机检查"), "one language: {duty}");

    // The operator reads but may not rule: no form, and a forged post is refused.
    let hosts = op
        .get(&format!("/networks/{n}/hosts?lang=zh-CN"))
        .await
        .body;
    assert!(!hosts.contains("ruling-form"), "no form for the operator");
    assert!(row(
        &hosts,
        &format!("finding-{report_id}-access.ssh_root_login")
    )
    .contains("尚未评审"));
    let rulings = format!("/networks/{n}/hosts/{report_id}/rulings");
    let refused = op
        .post(
            &rulings,
            &[("check", "access.ssh_root_login"), ("ruling", "accept")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // The engaged assessor gets a form per result, on the hosts page and the assessment.
    let mut asr = app.browser();
    asr.sign_in("测评师", PASSWORD).await;
    let hosts = asr
        .get(&format!("/networks/{n}/hosts?lang=zh-CN"))
        .await
        .body;
    assert!(hosts.contains(&format!(r#"id="rule-{report_id}-access.ssh_root_login""#)));
    let assessment = asr.get(&format!("/networks/{n}/assessment")).await.body;
    let ruling_row = format!("ruling-L3-CES1-06-{report_id}-access.ssh_root_login");
    assert!(row(&assessment, &ruling_row).contains("ruling-form"));

    // Overruling without a note: refused, shown again with the note's message, nothing stored.
    let r = asr
        .post(
            &rulings,
            &[
                ("check", "access.ssh_root_login"),
                ("from", "assessment"),
                ("item", "L3-CES1-06"),
                ("result", "pass"),
                ("note", ""),
                ("ruling", "overrule"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("改判须说明理由"), "{}", r.body);
    assert!(app.store.host_reports(&n).await.unwrap()[0]
        .rulings
        .is_empty());

    // Overruling with a result a person cannot find (`unknown`): refused, the note kept.
    asr.get(&format!("/networks/{n}/hosts")).await;
    let r = asr
        .post(
            &rulings,
            &[
                ("check", "access.ssh_root_login"),
                ("from", "hosts"),
                ("result", "unknown"),
                ("note", "现场未能登录核查"),
                ("ruling", "overrule"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains(r#"value="现场未能登录核查""#), "{}", r.body);
    assert!(r.body.contains(r#"role="alert""#));
    assert!(app.store.host_reports(&n).await.unwrap()[0]
        .rulings
        .is_empty());
    asr.get(&format!("/networks/{n}/assessment")).await;

    // Overruled from the assessment page; another result accepted on the hosts page.
    let note = "现场核查：sshd_config 已改为 PermitRootLogin no";
    let r = asr
        .post(
            &rulings,
            &[
                ("check", "access.ssh_root_login"),
                ("from", "assessment"),
                ("item", "L3-CES1-06"),
                ("result", "pass"),
                ("note", note),
                ("ruling", "overrule"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        r.location,
        format!("/networks/{n}/assessment#item-L3-CES1-06")
    );
    asr.get(&format!("/networks/{n}/hosts")).await;
    let r = asr
        .post(
            &rulings,
            &[
                ("check", "auth.pass_max_days"),
                ("from", "hosts"),
                // Accepting ignores the result select.
                ("result", "fail"),
                ("note", ""),
                ("ruling", "accept"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        r.location,
        format!("/networks/{n}/hosts#report-{report_id}")
    );

    // The operator reads the assessor's result and note, not the machine's, beside the item.
    let a = op
        .get(&format!("/networks/{n}/assessment?lang=zh-CN"))
        .await
        .body;
    let item = row(&a, "item-L3-CES1-06");
    assert!(
        item.contains("web-01 access.ssh_root_login 通过（已改判）"),
        "{item}"
    );
    assert!(item.contains("测评人员改判为：通过"), "{item}");
    assert!(item.contains(note), "{item}");
    assert!(!item.contains("access.ssh_root_login 不通过"), "{item}");
    let hosts = op
        .get(&format!("/networks/{n}/hosts?lang=zh-CN"))
        .await
        .body;
    let finding = row(
        &hosts,
        &format!("finding-{report_id}-access.ssh_root_login"),
    );
    assert!(finding.contains(r#"data-status="pass""#), "{finding}");
    assert!(finding.contains("机器检查结果：不通过"), "{finding}");
    assert!(finding.contains(note), "{finding}");
    let accepted = row(&hosts, &format!("finding-{report_id}-auth.pass_max_days"));
    assert!(accepted.contains("测评人员已采纳"), "{accepted}");
    let en = op.get(&format!("/networks/{n}/hosts?lang=en")).await.body;
    let finding = row(&en, &format!("finding-{report_id}-access.ssh_root_login"));
    assert!(
        finding.contains("Overruled by the assessor: Pass"),
        "{finding}"
    );
    // The note's Chinese quoted in English, its configuration words as they are.
    assert!(finding.contains("「现场核查：」sshd_config"), "{finding}");

    // Audited: the report once, each ruling.
    assert_eq!(common::audited(&app.store, "host.report").await.len(), 1);
    let ruled = common::audited(&app.store, "host.ruling").await;
    assert_eq!(ruled.len(), 2);
    assert!(ruled.iter().any(|e| e.detail.contains(note)));
    // The audit log in words.
    let log = admin.get("/admin/audit?lang=zh-CN").await.body;
    assert!(log.contains("收到主机检查报告"), "{log}");
    assert!(log.contains("评审主机检查结果"));
}
