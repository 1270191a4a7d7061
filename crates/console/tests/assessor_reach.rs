//! An assessor sees only the networks it is engaged on: another network of the same
//! operator is a 404 (as if it did not exist) and is left out of its lists, so it cannot
//! upload evidence there or read its record.

mod common;

use axum::http::StatusCode;
use common::{user_with_password, App};
use dengbao_store::Role;

#[tokio::test]
async fn an_assessor_sees_only_the_networks_it_is_engaged_on() {
    let app = App::new().await;
    let _admin = app.set_up().await;
    let org = app.first_org().await;
    let engaged = app
        .network(serde_json::json!({"name": "会员服务平台", "level": 3, "stage": "running"}))
        .await;
    let other = app
        .network(serde_json::json!({"name": "财务系统", "level": 3, "stage": "running"}))
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
            &engaged.id,
            dengbao_store::engagements::EngagementInput {
                assessor_id: assessor,
                engaged_on: "2026-11-02".into(),
            },
        )
        .await
        .unwrap();
    let mut b = app.browser();
    b.sign_in("测评机构甲", "assessor password 1").await;
    assert_eq!(
        b.get(&format!("/networks/{}", engaged.id)).await.status,
        StatusCode::OK
    );
    for path in [
        format!("/networks/{}", other.id),
        format!("/networks/{}/duties", other.id),
    ] {
        assert_eq!(b.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let list = b.get("/networks").await.body;
    assert!(list.contains("会员服务平台") && !list.contains("财务系统"));
    let dashboard = b.get("/").await.body;
    assert!(!dashboard.contains("财务系统"));
    // The grading wizard does not name a network it does not reach either.
    let wizard = b.get(&format!("/grading?network={}", other.id)).await;
    assert_eq!(wizard.status, StatusCode::OK);
    assert!(!wizard.body.contains("财务系统"), "{}", wizard.body);
    let exposure = b.get("/exposure").await.body;
    assert!(!exposure.contains("财务系统"));
}
