//! The supervisor's incident list (issue 10): the incidents of the networks it reaches, read
//! only; an operator's other network is not listed to an organ that received only one filing.

mod common;

use axum::http::StatusCode;
use common::{user_with_password, App};
use dengbao_store::Role;

#[tokio::test]
async fn an_organ_lists_the_incidents_of_the_networks_filed_with_it() {
    let app = App::new().await;
    let _admin = app.set_up().await;
    let filed = app
        .network(serde_json::json!({"name": "会员服务平台", "level": 3, "stage": "running"}))
        .await;
    let other = app
        .network(serde_json::json!({"name": "财务系统", "level": 3, "stage": "running"}))
        .await;
    let organ = user_with_password(
        &app.store,
        "网安支队",
        Role::Supervisor,
        vec![],
        "organ password 1",
    )
    .await;
    app.store
        .submit_filing(
            "test",
            &filed.id,
            dengbao_store::filings::FilingInput {
                supervisor_id: organ,
                submitted_on: "2026-09-01".into(),
                form: Default::default(),
                note: String::new(),
            },
            jiff::civil::date(2026, 9, 15),
        )
        .await
        .unwrap();
    let seen = common::incident(&app.store, &filed.id, false).await;
    let hidden = common::incident(&app.store, &other.id, false).await;
    let mut b = app.browser();
    b.sign_in("网安支队", "organ password 1").await;
    let page = b.get("/supervisor/incidents").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains(&format!(r#"id="incident-{seen}""#)),
        "{}",
        page.body
    );
    assert!(!page.body.contains(&format!(r#"id="incident-{hidden}""#)));
    assert!(!page.body.contains("财务系统"));
}
