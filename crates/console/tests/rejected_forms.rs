//! A refused form writes nothing: the grading saved with an impossible date answers 422
//! and leaves the network's level, its events and the audit log as they were.

mod common;

use axum::http::StatusCode;
use common::{audited, App};

#[tokio::test]
async fn a_grading_with_an_impossible_date_changes_nothing() {
    let app = App::new().await;
    let mut admin = app.set_up().await;
    let net = app
        .network(serde_json::json!({"name": "会员服务平台", "level": 2, "stage": "running"}))
        .await;
    let form = |graded_on: &'static str| {
        [
            ("basis", "gbt22240-2020"),
            ("bo", "order"),
            ("bd", "serious"),
            ("so", "order"),
            ("sd", "serious"),
            ("graded_on", graded_on),
        ]
    };
    admin.get(&format!("/networks/{}", net.id)).await;
    let bad = admin
        .post(
            &format!("/networks/{}/grading", net.id),
            &form("2026-02-30"),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(
        bad.body.contains("graded_on"),
        "the message names the field"
    );
    let after = app.store.get_network(&net.id).await.unwrap();
    assert_eq!(after.profile, net.profile, "the level is unchanged");
    assert!(app.store.list_events(&net.id).await.unwrap().is_empty());
    assert!(audited(&app.store, "network.grade").await.is_empty());
    assert!(audited(&app.store, "network.update").await.is_empty());

    // The same grading with a real date is saved whole: level 3 and the graded event.
    admin.get(&format!("/networks/{}", net.id)).await;
    let ok = admin
        .post(
            &format!("/networks/{}/grading", net.id),
            &form("2026-02-27"),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let after = app.store.get_network(&net.id).await.unwrap();
    assert_eq!(after.profile.level.map(|l| l.get()), Some(3));
    let events = app.store.list_events(&net.id).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].kind.as_str(), events[0].at.as_str()),
        ("graded", "2026-02-27")
    );
    assert_eq!(audited(&app.store, "network.grade").await.len(), 1);
}
