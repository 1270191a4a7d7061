//! Per-item assessment results (issue 11, decision 0412): the engaged assessor records the
//! GB/T 22239-2019 items of a level-3 cloud network; every refused result names its item and
//! writes nothing; once every item in scope has a result the conclusion follows the 2025
//! rule; a re-test of an item replaces its result in the rate and keeps the earlier one.

mod common;

use common::world;
use dengbao_controls::{Catalog, Extension};
use dengbao_types::Level;
use serde_json::json;

#[tokio::test]
async fn an_assessor_records_every_item_and_the_conclusion_follows() {
    let w = world().await;
    let net = w.net_a.clone();
    common::engage_assessor(&w, "2026-10-09").await;
    let items_url = format!("/api/networks/{net}/assessment/items");

    // Refused, naming the item; nothing written.
    for (body, names) in [
        (
            json!({"results": [{"item": "L3-XXX1-99", "result": "符合"}]}),
            "L3-XXX1-99",
        ),
        (
            json!({"results": [{"item": "L2-CES1-01", "result": "符合"}]}),
            "L2-CES1-01",
        ),
        (
            json!({"results": [{"item": "L3-CES1-01", "result": "大致符合"}]}),
            "L3-CES1-01",
        ),
        (
            json!({"results": [{"item": "L3-CES1-01", "result": "不适用"}]}),
            "L3-CES1-01",
        ),
    ] {
        let r = w.post_json(&items_url, "assessor", body).await;
        assert_eq!(r.status, 422, "{}", r.json);
        assert!(r.json.to_string().contains(names), "{}", r.json);
    }
    let a = w
        .get(&format!("/api/networks/{net}/assessment"), "operator_a")
        .await;
    assert_eq!(a.status, 200, "{}", a.json);
    assert_eq!(a.json["assessed"], 0);
    assert_eq!(a.json["extensions"], json!(["general", "cloud"]));

    // Every item of level 3 general + cloud: all 符合 but eleven 不符合 — a rate just under 95%.
    let catalog = Catalog::builtin().unwrap();
    let level = Level::new(3).unwrap();
    let scope = catalog
        .select(level, &[Extension::General, Extension::Cloud])
        .unwrap();
    assert_eq!(a.json["in_scope"], scope.len());
    let results: Vec<serde_json::Value> = scope
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < 11 {
                json!({"item": c.id, "result": "不符合", "risk": "中", "note": "未见配置"})
            } else {
                json!({"item": c.id, "result": "符合"})
            }
        })
        .collect();
    let r = w
        .post_json(&items_url, "assessor", json!({ "results": results }))
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!(r.json["assessed"], scope.len());
    let applicable = scope.len() as f64;
    let rate = r.json["conclusion"]["rate"].as_f64().unwrap();
    assert!(
        (rate - (applicable - 11.0) / applicable).abs() < 1e-9,
        "{rate}"
    );
    assert_eq!(r.json["conclusion"]["conclusion"], "符合");

    // A re-test marks one item a 重大风险隐患: the conclusion drops to 基本符合.
    let first = &scope[0].id;
    let r = w
        .post_json(
            &items_url,
            "assessor",
            json!({"results": [{"item": first, "result": "不符合", "risk": "高", "major_hazard": true}]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!(r.json["conclusion"]["conclusion"], "基本符合");
    assert_eq!(r.json["conclusion"]["major_hazards"], 1);
    // Both moments are in the history, oldest first; the re-test kept the first result.
    let history: Vec<&str> = r.json["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["conclusion"].as_str())
        .collect();
    assert_eq!(history, vec!["符合", "基本符合"], "{}", r.json["history"]);
    // The rectification plan: the operator plans the high-risk item; the assessor may not;
    // an item never found wanting is not a task.
    let task_url = format!("/api/networks/{net}/assessment/tasks/{first}");
    let plan = json!({"owner": "信息技术部 李强", "due": "2026-12-31"});
    let r = w.put_json(&task_url, "assessor", plan.clone()).await;
    assert_eq!(r.status, 403, "{}", r.json);
    let r = w.put_json(&task_url, "operator_a", plan).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let task = r.json["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["item"] == first.as_str())
        .cloned()
        .unwrap();
    assert_eq!(
        (task["owner"].as_str(), task["due"].as_str()),
        (Some("信息技术部 李强"), Some("2026-12-31"))
    );
    assert_ne!(task["state"], "fixed");
    assert_eq!(r.json["tasks"].as_array().unwrap().len(), 11);
    let last = &scope[scope.len() - 1].id;
    let r = w
        .put_json(
            &format!("/api/networks/{net}/assessment/tasks/{last}"),
            "operator_a",
            json!({"owner": "某人", "due": "2026-12-31"}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.json);
    // A re-test 符合 closes the task.
    let r = w
        .post_json(
            &items_url,
            "assessor",
            json!({"results": [{"item": first, "result": "符合"}]}),
        )
        .await;
    let task = r.json["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["item"] == first.as_str())
        .cloned()
        .unwrap();
    assert_eq!(task["state"], "fixed", "{task}");

    // The operator may read, not record.
    let r = w
        .post_json(
            &items_url,
            "operator_a",
            json!({"results": [{"item": first, "result": "符合"}]}),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.json);
}
