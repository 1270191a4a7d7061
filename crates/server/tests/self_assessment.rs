//! The operator's own 自查 and evidence per item (issue 11, decision 0412 "自查 and
//! evidence"): the operator's side records results in its self-assessment through
//! `?kind=self`, sees the predicted conclusion by the same rule, and nothing of it reaches the
//! assessor's assessment; linked evidence must be the network's and shows its review state.

mod common;

use axum::http::Method;
use common::{profile, world};
use dengbao_controls::{Catalog, Extension};
use dengbao_store::evidence::EvidenceInput;
use dengbao_store::users::Role;
use dengbao_store::ReviewInput;
use dengbao_types::Level;
use serde_json::json;

fn link(description: &str) -> EvidenceInput {
    EvidenceInput {
        duty_id: "mlps.self_inspection".into(),
        description: description.into(),
        link: Some("https://intranet.example.cn/e.pdf".into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn the_operator_self_assesses_and_the_assessors_assessment_is_untouched() {
    let w = world().await;
    let net = w.net_a.clone();
    let assessor = w.user_ids[4].clone().unwrap();
    let r = w
        .post_json(
            &format!("/api/networks/{net}/engagements"),
            "operator_a",
            json!({"assessor_id": assessor, "engaged_on": "2026-10-09"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let self_items = format!("/api/networks/{net}/assessment/items?kind=self");
    let one = json!({"results": [{"item": "L3-CES1-01", "result": "符合"}]});

    // Only the operator's side records a self-assessment.
    for (role, status) in [
        ("assessor", 403),
        ("supervisor", 403),
        ("auditor", 403),
        ("operator_b", 404),
    ] {
        let r = w.post_json(&self_items, role, one.clone()).await;
        assert_eq!(r.status, status, "{role}: {}", r.json);
    }
    let r = w
        .get(
            &format!("/api/networks/{net}/assessment?kind=other"),
            "operator_a",
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.json);

    // Every item of level 3 general + cloud, eleven 不符合: the predicted conclusion.
    let catalog = Catalog::builtin().unwrap();
    let scope = catalog
        .select(
            Level::new(3).unwrap(),
            &[Extension::General, Extension::Cloud],
        )
        .unwrap();
    let results: Vec<serde_json::Value> = scope
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < 11 {
                json!({"item": c.id, "result": "不符合", "risk": "中"})
            } else {
                json!({"item": c.id, "result": "符合"})
            }
        })
        .collect();
    let r = w
        .post_json(&self_items, "operator_a", json!({ "results": results }))
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!(r.json["kind"], "self");
    assert_eq!(r.json["engagement_id"], serde_json::Value::Null);
    assert_eq!(r.json["assessed"], scope.len());
    assert_eq!(r.json["conclusion"]["conclusion"], "符合");
    assert_eq!(
        r.json["tasks"],
        json!([]),
        "a self-assessment makes no tasks"
    );
    assert_eq!(r.json["history"].as_array().unwrap().len(), 1);
    let audit = w.store.audit_entries(0, 100_000).await.unwrap();
    let last = audit.last().unwrap();
    assert_eq!(last.action, "assessment.self_items", "{last:?}");

    // The assessor's assessment, the engagement and its conclusion are untouched.
    let a = w
        .get(&format!("/api/networks/{net}/assessment"), "operator_a")
        .await;
    assert_eq!(a.status, 200, "{}", a.json);
    assert_eq!(a.json["kind"], "assessor");
    assert_eq!(a.json["assessed"], 0);
    assert_eq!(a.json["conclusion"], serde_json::Value::Null);
    let engagements = w.store.list_engagements(&net).await.unwrap();
    assert!(engagements.iter().all(|e| e.conclusion.is_none()));

    // Whoever may read the network reads the self-assessment: the assessor and the
    // supervisor it is filed with; not another organisation nor a supervisor it is not filed with.
    for (role, status) in [
        ("assessor", 200),
        ("supervisor", 200),
        ("auditor", 200),
        ("operator_b", 404),
    ] {
        let r = w
            .get(&format!("/api/networks/{net}/assessment?kind=self"), role)
            .await;
        assert_eq!(r.status, status, "{role}: {}", r.json);
        if status == 200 {
            assert_eq!(r.json["conclusion"]["conclusion"], "符合", "{role}");
        }
    }
    let (_, token) = common::user(&w, "乙区网安大队", Role::Supervisor).await;
    let r = w
        .send_token(
            Method::GET,
            &format!("/api/networks/{net}/assessment?kind=self"),
            &token,
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.json);

    // The assessor's own recording is unchanged by the self-assessment, and vice versa.
    let r = w
        .post_json(
            &format!("/api/networks/{net}/assessment/items"),
            "assessor",
            json!({"results": [{"item": scope[0].id, "result": "符合"}]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!(r.json["kind"], "assessor");
    assert_eq!(r.json["assessed"], 1);
    let s = w
        .get(
            &format!("/api/networks/{net}/assessment?kind=self"),
            "operator_a",
        )
        .await;
    let first = s.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item"] == scope[0].id.as_str())
        .cloned()
        .unwrap();
    assert_eq!(first["result"], "不符合");
}

#[tokio::test]
async fn linked_evidence_must_be_the_networks_and_shows_its_review_state() {
    let w = world().await;
    let net = w.net_a.clone();
    let accepted = w
        .store
        .add_evidence("test", &net, link("访问控制策略截图"), None)
        .await
        .unwrap()
        .id;
    w.store
        .review_evidence(
            "reviewer",
            &net,
            &accepted,
            ReviewInput {
                decision: "accept".into(),
                reason: String::new(),
            },
        )
        .await
        .unwrap();
    let pending = w
        .store
        .add_evidence("test", &net, link("日志审计记录"), None)
        .await
        .unwrap()
        .id;
    let other_net = w
        .store
        .create_network("test", &w.org_a, profile("甲-办公系统"))
        .await
        .unwrap()
        .id;
    let foreign = w
        .store
        .add_evidence("test", &other_net, link("别的网络的证据"), None)
        .await
        .unwrap()
        .id;
    let items = format!("/api/networks/{net}/assessment/items?kind=self");
    let before = w.store.audit_entries(0, 100_000).await.unwrap().len();

    // A wrong id refuses the whole batch, naming the id; nothing is written.
    for bad in [foreign.as_str(), "no-such-evidence"] {
        let r = w
            .post_json(
                &items,
                "operator_a",
                json!({"results": [
                    {"item": "L3-CES1-01", "result": "符合", "evidence": [accepted]},
                    {"item": "L3-CES1-02", "result": "符合", "evidence": [bad]}
                ]}),
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.json);
        assert!(r.json.to_string().contains(bad), "{}", r.json);
    }
    let s = w
        .get(
            &format!("/api/networks/{net}/assessment?kind=self"),
            "operator_a",
        )
        .await;
    assert_eq!(s.json["assessed"], 0, "{}", s.json);
    assert_eq!(
        w.store.audit_entries(0, 100_000).await.unwrap().len(),
        before
    );

    // Linked: each with its description and review state.
    let r = w
        .post_json(
            &items,
            "operator_a",
            json!({"results": [{"item": "L3-CES1-01", "result": "符合", "evidence": [accepted, pending]}]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let linked = &r.json["items"][0]["evidence"];
    assert_eq!(
        linked,
        &json!([
            {"id": accepted, "description": "访问控制策略截图", "review": "accepted"},
            {"id": pending, "description": "日志审计记录", "review": "pending"}
        ])
    );

    // The assessor links evidence the same way.
    let assessor = w.user_ids[4].clone().unwrap();
    let r = w
        .post_json(
            &format!("/api/networks/{net}/engagements"),
            "operator_a",
            json!({"assessor_id": assessor, "engaged_on": "2026-10-09"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let r = w
        .post_json(
            &format!("/api/networks/{net}/assessment/items"),
            "assessor",
            json!({"results": [{"item": "L3-CES1-01", "result": "符合", "evidence": [foreign]}]}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.json);
    let r = w
        .post_json(
            &format!("/api/networks/{net}/assessment/items"),
            "assessor",
            json!({"results": [{"item": "L3-CES1-01", "result": "符合", "evidence": [pending]}]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!(r.json["items"][0]["evidence"][0]["review"], "pending");
}
