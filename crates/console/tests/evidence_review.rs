//! Uploaded is not accepted: evidence meets its duty only once someone other than the
//! uploader accepts it. A rejection needs a reason; evidence is voided, never deleted; a
//! file that is not what its name says, or that would run in a browser, is refused.

mod common;

use axum::http::StatusCode;
use common::{audited, App};
use dengbao_store::{EvidenceInput, ReviewInput};

/// The duty row's status on the timeline (`data-status`).
fn status(body: &str, duty: &str) -> String {
    let row = body
        .split(&format!("<tr id=\"duty-{duty}\""))
        .nth(1)
        .unwrap_or_else(|| panic!("no row for {duty}"));
    let start = row.find("data-status=\"").unwrap() + "data-status=\"".len();
    row[start..start + row[start..].find('"').unwrap()].to_string()
}

#[tokio::test]
async fn evidence_meets_its_duty_only_once_another_person_accepts_it() {
    let app = App::new().await;
    let mut admin = app.set_up().await;
    // Launch is planned two months ahead: the rules are due before it.
    let launch = dengbao_calendar::today_in_shanghai()
        .checked_add(jiff::Span::new().days(60))
        .unwrap()
        .to_string();
    let net = app
        .network_with_events(
            serde_json::json!({"name": "会员服务平台", "level": 3, "stage": "building"}),
            &[("graded", "2026-03-02"), ("launched", launch.as_str())],
        )
        .await;
    let duty = "csl.operator.rules";
    let page = format!("/networks/{}/duties", net.id);
    let before = status(&admin.get(&page).await.body, duty);
    assert_ne!(before, "met");

    let upload = |name: &'static str, bytes: &'static [u8]| {
        let store = app.store.clone();
        let id = net.id.clone();
        async move {
            store
                .add_evidence(
                    "安全管理员",
                    &id,
                    EvidenceInput {
                        duty_id: duty.into(),
                        description: "网络安全管理制度（2026版）".into(),
                        file_name: Some(name.into()),
                        ..Default::default()
                    },
                    Some(bytes),
                )
                .await
        }
    };
    // Not what the name says, or a type that runs in a browser: refused, nothing kept.
    for (name, bytes) in [
        ("管理制度.pdf", &b"<html><script>x</script>"[..]),
        ("管理制度.html", &b"<html></html>"[..]),
    ] {
        let err = upload(name, bytes).await.unwrap_err();
        assert!(err.to_string().contains("file"), "{err}");
    }
    assert!(app.store.list_evidence(&net.id).await.unwrap().is_empty());

    let ev = upload("管理制度.pdf", b"%PDF-1.7 management rules")
        .await
        .unwrap();
    assert_eq!(ev.review, "pending");
    assert_eq!(ev.media_type.as_deref(), Some("application/pdf"));
    let shown = admin.get(&page).await.body;
    assert_eq!(
        status(&shown, duty),
        before,
        "pending evidence meets nothing"
    );
    assert!(shown.contains("待审核"));

    // The uploader cannot accept their own upload.
    let own = app
        .store
        .review_evidence(
            "安全管理员",
            &net.id,
            &ev.id,
            ReviewInput {
                decision: "accept".into(),
                reason: String::new(),
            },
        )
        .await
        .unwrap_err();
    assert!(own.to_string().contains("reviewer"), "{own}");

    // A rejection without a reason is refused and changes nothing.
    let review = format!("/networks/{}/evidence/{}/review", net.id, ev.id);
    admin.get(&page).await;
    let bad = admin
        .post(&review, &[("decision", "reject"), ("reason", "")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("reason"));
    assert_eq!(
        app.store.list_evidence(&net.id).await.unwrap()[0].review,
        "pending"
    );

    // Accepted by the administrator: the duty is met, and the page says who accepted it.
    admin.get(&page).await;
    let ok = admin
        .post(&review, &[("decision", "accept"), ("reason", "已核对原件")])
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let shown = admin.get(&page).await.body;
    assert_eq!(status(&shown, duty), "met");
    assert!(shown.contains("已接受") && shown.contains("已核对原件"));
    assert_eq!(audited(&app.store, "evidence.accept").await.len(), 1);

    // An engaged assessor finds the rules not conforming: the accepted evidence stops
    // counting until the gap is closed by new evidence accepted after the finding.
    let assessor = common::user_with_password(
        &app.store,
        "测评师",
        dengbao_store::Role::Assessor,
        vec![],
        "assessor password 1",
    )
    .await;
    app.store
        .engage(
            "test",
            &net.id,
            dengbao_store::engagements::EngagementInput {
                assessor_id: assessor.clone(),
                engaged_on: "2026-11-02".into(),
            },
        )
        .await
        .unwrap();
    app.store
        .record_finding(
            "测评师",
            &assessor,
            &net.id,
            dengbao_store::engagements::FindingInput {
                duty_id: duty.into(),
                result: dengbao_store::engagements::FindingResult::NotConforming,
                text: "制度未覆盖日志审计".into(),
                evidence: vec![ev.id.clone()],
            },
        )
        .await
        .unwrap();
    let shown = admin.get(&page).await.body;
    assert_eq!(status(&shown, duty), before, "the finding overrides met");
    assert!(shown.contains("测评发现不符合"));
    let fixed = upload("管理制度-修订.pdf", b"%PDF-1.7 revised rules")
        .await
        .unwrap();
    app.store
        .review_evidence(
            "复核人",
            &net.id,
            &fixed.id,
            ReviewInput {
                decision: "accept".into(),
                reason: "已补充日志审计条款".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        status(&admin.get(&page).await.body, duty),
        "met",
        "the gap is closed"
    );

    // Voided with a reason: it stays listed and the duty is no longer met by it.
    let void = format!("/networks/{}/evidence/{}/void", net.id, ev.id);
    admin.get(&page).await;
    let ok = admin.post(&void, &[("reason", "制度已废止")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let shown = admin.get(&page).await.body;
    assert!(shown.contains("已作废") && shown.contains("制度已废止"));
    assert_eq!(app.store.list_evidence(&net.id).await.unwrap().len(), 2);
    assert_eq!(audited(&app.store, "evidence.void").await.len(), 1);
}
