//! A public security organ reaches the networks filed with it, not the operator's others
//! (issue 16 item 3, decision 0939); an administrator may still put a whole operator in its
//! jurisdiction (the test world's supervisor was given organisation A that way).

mod common;

use axum::http::Method;
use common::{profile, world};
use dengbao_store::users::Role;
use serde_json::json;

#[tokio::test]
async fn a_supervisor_reaches_only_the_networks_filed_with_it() {
    let w = world().await;
    let (organ_id, token) = common::user(&w, "乙区网安大队", Role::Supervisor).await;
    let other = w
        .store
        .create_network("test", &w.org_a, profile("甲-办公系统"))
        .await
        .unwrap()
        .id;
    let net = w.net_a.clone();
    // Before any filing: neither network.
    let r = w
        .send_token(Method::GET, &format!("/api/networks/{net}"), &token)
        .await;
    assert_eq!(r.status, 404, "{}", r.json);

    let filed = w
        .post_json(
            &format!("/api/networks/{net}/filings"),
            "operator_a",
            json!({"supervisor_id": organ_id, "submitted_on": "2026-09-28"}),
        )
        .await;
    assert_eq!(filed.status, 201, "{}", filed.json);

    let r = w
        .send_token(Method::GET, &format!("/api/networks/{net}"), &token)
        .await;
    assert_eq!(r.status, 200, "the filed network: {}", r.json);
    let r = w
        .send_token(Method::GET, &format!("/api/networks/{other}"), &token)
        .await;
    assert_eq!(r.status, 404, "the operator's other network: {}", r.json);
    let list = w.send_token(Method::GET, "/api/networks", &token).await;
    let ids: Vec<&str> = list
        .json
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|n| n["id"].as_str())
        .collect();
    assert_eq!(ids, vec![net.as_str()], "{}", list.json);

    // The supervisor the administrator gave organisation A still reaches both.
    let r = w.get(&format!("/api/networks/{other}"), "supervisor").await;
    assert_eq!(r.status, 200, "{}", r.json);
}
