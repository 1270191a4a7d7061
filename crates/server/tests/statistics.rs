//! The supervisors' statistics through the API (decision 0813): networks by level, industry
//! and the conclusion of their latest concluded assessment, counted within the caller's
//! reach only.

mod common;

use common::{world, world_on, World};
use serde_json::json;

#[tokio::test]
async fn statistics_count_networks_by_level_and_industry_within_reach() {
    statistics_count_networks_by_level_and_industry_within_reach_on(world().await).await;
}

async fn statistics_count_networks_by_level_and_industry_within_reach_on(w: World) {
    let r = w
        .send(
            axum::http::Method::PUT,
            &format!("/api/organisations/{}/industry", w.org_a),
            "operator_a",
            Some((
                "application/json",
                json!({"industry": "电力"}).to_string().into_bytes(),
            )),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.json);
    let gas = w
        .post_json(
            "/api/networks",
            "operator_b",
            json!({"org_id": w.org_b, "name": "燃气调度", "level": 2, "stage": "running"}),
        )
        .await;
    let gas = gas.json["id"].as_str().unwrap().to_string();
    let mut org_a_nets = Vec::new();
    for name in ["甲-调度系统", "甲-门户网站"] {
        let r = w
            .post_json(
                "/api/networks",
                "operator_a",
                json!({"org_id": w.org_a, "name": name, "level": 2, "stage": "running"}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.json);
        org_a_nets.push(r.json["id"].as_str().unwrap().to_string());
    }
    // Conclusions: net_a 不符合 then, re-assessed, 符合 (the latest counts); 甲-调度系统
    // 不符合; 甲-门户网站 never assessed; org B's network 基本符合 (out of the supervisor's reach).
    let assessor = w.user_ids[4].clone().unwrap();
    for (net, conclusion, on) in [
        (&w.net_a, "not_conforming", "2025-03-03"),
        (&w.net_a, "conforms", "2025-09-01"),
        (&org_a_nets[0], "not_conforming", "2025-05-06"),
        (&gas, "basically_conforms", "2025-04-01"),
    ] {
        w.store
            .engage(
                "test",
                net,
                serde_json::from_value(
                    json!({"assessor_id": assessor, "engaged_on": "2025-01-02"}),
                )
                .unwrap(),
            )
            .await
            .unwrap();
        w.store
            .conclude(
                "test",
                &assessor,
                net,
                serde_json::from_value(json!({"conclusion": conclusion, "concluded_on": on}))
                    .unwrap(),
            )
            .await
            .unwrap();
    }
    let s = w.get("/api/statistics", "supervisor").await;
    assert_eq!(s.status, 200);
    assert_eq!(
        s.json["networks"], 3,
        "the supervisor sees organisation A only: {}",
        s.json
    );
    assert_eq!(s.json["by_level"]["3"], 1);
    assert_eq!(s.json["by_industry"][0]["industry"], "电力");
    let counts = json!({"conforms": 1, "not_conforming": 1, "not_assessed": 1});
    assert_eq!(s.json["by_conclusion"], counts, "{}", s.json);
    assert_eq!(s.json["by_industry"][0]["by_conclusion"], counts);
    assert_eq!(
        s.json["conclusions_by_level"],
        json!({"2": {"not_conforming": 1, "not_assessed": 1}, "3": {"conforms": 1}})
    );
    let all = w.get("/api/statistics", "auditor").await;
    assert_eq!(all.json["networks"], 4);
    assert_eq!(all.json["by_level"]["2"], 3);
    assert_eq!(
        all.json["by_conclusion"],
        json!({"conforms": 1, "basically_conforms": 1, "not_conforming": 1, "not_assessed": 1})
    );
    assert_eq!(w.get("/api/statistics", "operator_a").await.status, 403);
}

/// The same on PostgreSQL (DENGBAO_TEST_POSTGRES_URL, set by scripts/test.sh).
#[tokio::test]
async fn the_statistics_hold_on_postgresql_too() {
    let dir = tempfile::tempdir().unwrap();
    let Some(store) = dengbao_store::test_support::postgres_store(dir.path())
        .await
        .unwrap()
    else {
        eprintln!("skipped: DENGBAO_TEST_POSTGRES_URL is not set");
        return;
    };
    statistics_count_networks_by_level_and_industry_within_reach_on(world_on(dir, store).await)
        .await;
}
