//! Personal-information requests from the console (decision 0507): without the
//! organisation's own period a request shows no deadline and says the law sets none; with
//! it, the deadline is labelled as the organisation's policy with its source. A refused form
//! is answered 422 naming the field by its label, and writes nothing.

mod common;

use axum::http::StatusCode;
use common::App;

#[tokio::test]
async fn requests_show_no_statutory_deadline_and_the_policy_as_the_organisations() {
    let app = App::new().await;
    let mut b = app.set_up().await;
    let net = app
        .network(
            serde_json::json!({"name": "会员平台", "level": 2, "stage": "running",
            "personal_info": true}),
        )
        .await;
    let base = format!("/networks/{}/pi-requests", net.id);
    let detail = b.get(&format!("/networks/{}", net.id)).await;
    assert!(detail.body.contains(&format!(r#"href="{base}""#)));

    let page = b.get(&base).await;
    assert!(page.body.contains("本单位未设定处理期限"), "{}", page.body);

    let bad = b
        .post(
            &base,
            &[
                ("kind", "delete"),
                ("requester_ref", "GD-1"),
                ("received_at", "2999-01-01"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("收到日期"), "{}", bad.body);
    assert!(app
        .store
        .list_pi_requests(&net.id)
        .await
        .unwrap()
        .is_empty());

    let ok = b
        .post(
            &base,
            &[
                ("kind", "delete"),
                ("requester_ref", "GD-2026-0001"),
                ("received_at", "2026-11-02"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let page = b.get(&base).await;
    assert!(page.body.contains("法律未规定期限"), "{}", page.body);

    // A period without its source: 422 naming the field; then with it.
    let bad = b
        .post(
            &format!("{base}/policy"),
            &[("working_days", "15"), ("source", "")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("期限来源"), "{}", bad.body);
    b.get(&base).await;
    let ok = b
        .post(
            &format!("{base}/policy"),
            &[("working_days", "15"), ("source", "本单位个人信息保护制度")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    b.get(&base).await;
    b.post(
        &base,
        &[
            ("kind", "correct"),
            ("requester_ref", "GD-2026-0002"),
            ("received_at", "2026-11-02"),
        ],
    )
    .await;
    let page = b.get(&base).await;
    assert!(
        page.body.contains("本单位政策：收到后15个工作日"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("本单位个人信息保护制度"),
        "{}",
        page.body
    );

    // Closing with a refusal needs a reason.
    let reqs = app.store.list_pi_requests(&net.id).await.unwrap();
    let close = format!("{base}/{}/close", reqs[0].id);
    let bad = b
        .post(
            &close,
            &[
                ("outcome", "refused"),
                ("reason", ""),
                ("closed_at", "2026-11-05"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("理由"), "{}", bad.body);
    b.get(&base).await;
    let ok = b
        .post(
            &close,
            &[
                ("outcome", "done"),
                ("reason", ""),
                ("closed_at", "2026-11-05"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let en = b.get(&format!("{base}?lang=en")).await;
    assert!(en.body.contains("none set by law"), "{}", en.body);
    assert!(en.body.contains("the organisation"), "{}", en.body);
}
