//! `GET /api/networks/{id}/assessment/oscal` (issue 11): the recorded item results as an
//! OSCAL assessment-results document that validates against the pinned OSCAL schema, one
//! finding per item assessed, named for the network and the day.

mod common;

#[path = "../../controls/tests/support/schema.rs"]
mod schema;

use common::world;
use dengbao_controls::{Catalog, Extension};
use dengbao_types::Level;
use serde_json::json;

#[tokio::test]
async fn the_assessment_downloads_as_valid_oscal_with_a_finding_per_item() {
    let w = world().await;
    let net = w.net_a.clone();
    let assessor = w.user_ids[4].clone().unwrap();
    let url = format!("/api/networks/{net}/assessment/oscal");
    let validator = schema::Validator::pinned("oscal_assessment-results_schema.json");

    // Before any result: still a valid document, with no findings.
    let r = w.get(&url, "operator_a").await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.bytes));
    validator.validate(&r.json).unwrap();
    assert!(r.json["assessment-results"]["results"][0]["findings"].is_null());

    let e = w
        .post_json(
            &format!("/api/networks/{net}/engagements"),
            "operator_a",
            json!({"assessor_id": assessor, "engaged_on": "2026-10-09"}),
        )
        .await;
    assert_eq!(e.status, 201, "{}", e.json);
    let scope = Catalog::builtin()
        .unwrap()
        .select(
            Level::new(3).unwrap(),
            &[Extension::General, Extension::Cloud],
        )
        .unwrap()
        .iter()
        .map(|c| c.id.clone())
        .collect::<Vec<_>>();
    // Part of the scope first: 40 items, a mix of results.
    let results: Vec<serde_json::Value> = scope[..40]
        .iter()
        .enumerate()
        .map(|(i, id)| match i % 4 {
            0 => {
                json!({"item": id, "result": "不符合", "risk": "高", "note": "未启用登录失败处理"})
            }
            1 => json!({"item": id, "result": "部分符合", "risk": "低"}),
            2 => json!({"item": id, "result": "不适用", "reason": "无此类设备"}),
            _ => json!({"item": id, "result": "符合"}),
        })
        .collect();
    let r = w
        .post_json(
            &format!("/api/networks/{net}/assessment/items"),
            "assessor",
            json!({ "results": results }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);

    for role in ["operator_a", "assessor", "supervisor", "auditor"] {
        let r = w.get(&url, role).await;
        assert_eq!(r.status, 200, "{role}");
        if let Err(errs) = validator.validate(&r.json) {
            panic!("{role}: {}", errs.join("\n"));
        }
        let result = &r.json["assessment-results"]["results"][0];
        assert_eq!(result["findings"].as_array().unwrap().len(), 40);
        assert_eq!(result["risks"].as_array().unwrap().len(), 20);
        let reviewed = &result["reviewed-controls"]["control-selections"][0]["include-controls"];
        assert_eq!(reviewed.as_array().unwrap().len(), scope.len());
        let disposition = r.headers["content-disposition"].to_str().unwrap();
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        // The Chinese name, percent-encoded (RFC 5987): 测评结果-….
        assert!(
            disposition.contains("filename*=UTF-8''%E6%B5%8B%E8%AF%84%E7%BB%93%E6%9E%9C-"),
            "{disposition}"
        );
        assert_eq!(r.headers["content-type"], "application/json");
    }
    assert_eq!(w.get(&url, "operator_b").await.status, 404);
    assert_eq!(w.get(&url, "anonymous").await.status, 401);

    // Every item: the conclusion and 符合率 appear on the result.
    let rest: Vec<serde_json::Value> = scope[40..]
        .iter()
        .map(|id| json!({"item": id, "result": "符合"}))
        .collect();
    let r = w
        .post_json(
            &format!("/api/networks/{net}/assessment/items"),
            "assessor",
            json!({ "results": rest }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let r = w.get(&url, "operator_a").await;
    validator.validate(&r.json).unwrap();
    let result = &r.json["assessment-results"]["results"][0];
    assert_eq!(result["findings"].as_array().unwrap().len(), scope.len());
    let props = result["props"].as_array().unwrap();
    let conclusion = props.iter().find(|p| p["name"] == "conclusion").unwrap();
    let a = w
        .get(&format!("/api/networks/{net}/assessment"), "operator_a")
        .await;
    assert_eq!(conclusion["value"], a.json["conclusion"]["conclusion"]);
    assert!(props.iter().any(|p| p["name"] == "compliance-rate"));
}
