//! The 2017 work plan's checklist over HTTP (decision 1506): the plan's 13 points from the
//! data, each with the organisation's record; a point marked done needs evidence (422 naming
//! it, nothing recorded); an unknown point is 404; another organisation cannot reach it.

mod common;

use common::world;
use serde_json::json;

#[tokio::test]
async fn the_work_plan_is_a_checklist_an_organisation_records() {
    let w = world().await;
    let base = format!("/api/organisations/{}/work-plan/2026", w.org_a);
    let plan = w.get(&base, "operator_a").await;
    assert_eq!(plan.status, 200, "{}", plan.json);
    let rows = plan.json.as_array().unwrap();
    let points = dengbao_training::work_plan::points().unwrap();
    assert_eq!(rows.len(), points.len());
    assert_eq!(rows.len(), 13);
    for (r, p) in rows.iter().zip(&points) {
        assert_eq!(r["point"]["id"], p.id.as_str());
        assert_eq!(r["point"]["text"], p.text.as_str());
        assert!(r["task"].is_null());
    }

    let point = &points[3].id;
    let refused = w
        .put_json(
            &format!("{base}/{point}"),
            "operator_a",
            json!({"status": "done"}),
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.json);
    assert!(
        refused.json.to_string().contains("evidence"),
        "{}",
        refused.json
    );
    let still = w.get(&base, "operator_a").await;
    assert!(still.json[3]["task"].is_null());

    let ok = w
        .put_json(
            &format!("{base}/{point}"),
            "operator_a",
            json!({"status": "done", "owner": "法制科 张敏", "evidence": "学法用法培训签到表.pdf"}),
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.json);
    let after = w.get(&base, "auditor").await;
    assert_eq!(after.json[3]["task"]["status"], "done");
    assert_eq!(after.json[3]["task"]["evidence"], "学法用法培训签到表.pdf");
    // Other years and other organisations see nothing of it.
    let other_year = w
        .get(
            &format!("/api/organisations/{}/work-plan/2025", w.org_a),
            "operator_a",
        )
        .await;
    assert!(other_year.json[3]["task"].is_null());
    assert_eq!(w.get(&base, "operator_b").await.status, 404);

    let unknown = w
        .put_json(
            &format!("{base}/001-wp-99"),
            "operator_a",
            json!({"status": "in_progress"}),
        )
        .await;
    assert_eq!(unknown.status, 404);
}
