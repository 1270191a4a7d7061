//! The assessment page (decision 0412): the engaged assessor records a class at a time —
//! one result set by hand, the rest of the class marked 不适用 with one reason — and the
//! operator sees the progress and the results, read only.

mod common;

use axum::http::StatusCode;
use common::{user_with_password, App};
use dengbao_store::Role;

#[tokio::test]
async fn an_assessor_records_a_class_and_the_operator_sees_it() {
    let app = App::new().await;
    let mut admin = app.set_up().await;
    let org = app.first_org().await;
    let net = app
        .network(serde_json::json!({"name": "会员服务平台", "level": 3, "stage": "running"}))
        .await;
    let assessor = user_with_password(
        &app.store,
        "测评机构甲",
        Role::Assessor,
        vec![org],
        "assessor password 1",
    )
    .await;
    app.store
        .engage(
            "test",
            &net.id,
            dengbao_store::engagements::EngagementInput {
                assessor_id: assessor,
                engaged_on: "2026-11-02".into(),
            },
        )
        .await
        .unwrap();
    let page = format!("/networks/{}/assessment", net.id);
    let mut b = app.browser();
    b.sign_in("测评机构甲", "assessor password 1").await;
    let before = b.get(&page).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.body);
    assert!(
        before.body.contains(r#"id="form-PES""#),
        "the assessor gets the forms"
    );
    let items: Vec<String> = before
        .body
        .split("name=\"item.L3-PES1-")
        .skip(1)
        .map(|s| format!("L3-PES1-{}", &s[..2]))
        .collect();
    assert!(items.len() >= 10, "{items:?}");
    let mut fields: Vec<(String, String)> = items
        .iter()
        .map(|i| (format!("item.{i}"), "1".to_string()))
        .collect();
    fields.push(("result.L3-PES1-01".into(), "不符合".into()));
    fields.push(("risk.L3-PES1-01".into(), "中".into()));
    fields.push(("rest_na".into(), "1".into()));
    fields.push(("rest_reason".into(), "云上部署，机房由云服务商负责".into()));
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let saved = b.post(&page, &pairs).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    // Filtered, the assessor's form leaves out "the rest of this class 不适用": the rest
    // would be the items the filter hides.
    let filtered = b
        .get(&format!("{page}?result=%E4%B8%8D%E7%AC%A6%E5%90%88"))
        .await
        .body;
    assert!(filtered.contains(r#"id="form-PES""#), "{filtered}");
    assert!(!filtered.contains(r#"name="rest_na""#));

    let seen = admin.get(&page).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(
        seen.body
            .contains(r#"id="item-L3-PES1-01" data-result="不符合""#),
        "{}",
        seen.body
    );
    assert!(seen.body.contains(r#"data-result="不适用""#));
    let progress = common::text_of(&seen.body, "assessment-progress").unwrap();
    assert!(
        progress.contains(&format!("已测评 {} 项", items.len())),
        "{progress}"
    );
    // The report and the results download from beside the conclusion.
    for link in [
        "assessment/report.docx\">下载测评报告（DOCX）",
        "assessment/findings.xlsx\">下载测评结果（XLSX）",
    ] {
        assert!(seen.body.contains(link), "no {link}");
    }
    // Filtered to 不符合: that item only; the other classes (not yet assessed) are hidden.
    let only = admin
        .get(&format!("{page}?result=%E4%B8%8D%E7%AC%A6%E5%90%88"))
        .await
        .body;
    assert!(only.contains(r#"id="item-L3-PES1-01""#), "{only}");
    assert_eq!(only.matches(r#"<tr id="item-"#).count(), 1, "{only}");
    assert!(only.contains("<strong>不符合</strong>"));
    let unassessed = admin
        .get(&format!("{page}?result=%E6%9C%AA%E6%B5%8B%E8%AF%84"))
        .await
        .body;
    assert!(!unassessed.contains(r#"id="item-L3-PES1-01""#));
    assert!(
        unassessed.contains(r#"id="class-CNS""#),
        "the classes without results show"
    );
    // The administrator has no engagement: no forms.
    assert!(!seen.body.contains(r#"id="form-PES""#));
    // The 不符合 item is in the rectification plan; the operator's side plans it.
    assert!(
        seen.body
            .contains(r#"id="task-L3-PES1-01" class="task-unplanned""#),
        "{}",
        seen.body
    );
    let planned = admin
        .post(
            &format!("{page}/tasks/L3-PES1-01"),
            &[("owner", "信息技术部 李强"), ("due", "2026-12-31")],
        )
        .await;
    assert_eq!(planned.status, StatusCode::SEE_OTHER, "{}", planned.body);
    let after = admin.get(&page).await.body;
    assert!(after.contains(r#"value="信息技术部 李强""#), "{after}");
}

/// The operator's 自查 (decision 0412, "自查 and evidence"): the same class forms under the
/// 自查 tab, the conclusion labelled a prediction, evidence linked per item with its review
/// state; the assessor's tab is untouched and the assessor gets no self-assessment form.
#[tokio::test]
async fn the_operator_self_assesses_a_class_and_links_evidence() {
    let app = App::new().await;
    let mut admin = app.set_up().await;
    let org = app.first_org().await;
    let net = app
        .network(serde_json::json!({"name": "会员服务平台", "level": 3, "stage": "running"}))
        .await;
    let evidence = app
        .store
        .add_evidence(
            "test",
            &net.id,
            dengbao_store::EvidenceInput {
                duty_id: "mlps.self_inspection".into(),
                description: "机房门禁记录".into(),
                link: Some("https://intranet.example.cn/door.pdf".into()),
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap()
        .id;
    let page = format!("/networks/{}/assessment?kind=self", net.id);
    let before = admin.get(&page).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.body);
    assert!(before.body.contains(r#"id="self-hint""#), "{}", before.body);
    assert!(
        before.body.contains(&format!(
            r#"action="/networks/{}/assessment/self" id="form-PES""#,
            net.id
        )),
        "the operator's side gets the forms"
    );
    assert!(
        before.body.contains(&format!(
            r#"<option value="{evidence}">机房门禁记录 (待审核)</option>"#
        )),
        "the network's evidence, labelled pending"
    );
    assert!(!before.body.contains("assessment/report.docx"));

    let items: Vec<String> = before
        .body
        .split("name=\"item.L3-PES1-")
        .skip(1)
        .map(|s| format!("L3-PES1-{}", &s[..2]))
        .collect();
    let mut fields: Vec<(String, String)> = items
        .iter()
        .map(|i| (format!("item.{i}"), "1".to_string()))
        .collect();
    fields.push(("result.L3-PES1-01".into(), "符合".into()));
    fields.push(("evidence.L3-PES1-01".into(), evidence.clone()));
    fields.push(("rest_na".into(), "1".into()));
    fields.push(("rest_reason".into(), "云上部署".into()));
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let saved = admin
        .post(&format!("/networks/{}/assessment/self", net.id), &pairs)
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    let seen = admin.get(&page).await.body;
    assert!(
        seen.contains(r#"id="item-L3-PES1-01" data-result="符合""#),
        "{seen}"
    );
    assert!(
        seen.contains(&format!(r#"<option value="{evidence}" selected>"#)),
        "the linked evidence stays selected"
    );
    // The assessor's tab shows nothing of it.
    let assessor_tab = admin
        .get(&format!("/networks/{}/assessment", net.id))
        .await
        .body;
    assert!(!assessor_tab.contains(r#"data-result="#), "{assessor_tab}");

    // An assessor reads the self-assessment, with the evidence and its state, and gets no form.
    let assessor = user_with_password(
        &app.store,
        "测评机构乙",
        Role::Assessor,
        vec![org],
        "assessor password 2",
    )
    .await;
    app.store
        .engage(
            "test",
            &net.id,
            dengbao_store::engagements::EngagementInput {
                assessor_id: assessor,
                engaged_on: "2026-11-02".into(),
            },
        )
        .await
        .unwrap();
    let mut b = app.browser();
    b.sign_in("测评机构乙", "assessor password 2").await;
    let read = b.get(&page).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    assert!(!read.body.contains(r#"id="form-PES""#));
    assert!(
        read.body.contains(&format!(r#"data-evidence="{evidence}">机房门禁记录 <span class="badge ev-pending">待审核</span>"#)),
        "{}",
        read.body
    );
}
