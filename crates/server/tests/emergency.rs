//! Emergency plans and drills through the API (decision 0507): recording them turns the plan
//! and drill duties `met` (the drill duty recurs a year after the drill, the catalog's
//! cadence); bad input is refused naming the field and writes nothing; another
//! organisation's operator does not see them.

mod common;

use common::world;
use serde_json::{json, Value};

fn duty<'a>(duties: &'a Value, id: &str) -> &'a Value {
    duties
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == id)
        .unwrap_or_else(|| panic!("no duty {id}"))
}

#[tokio::test]
async fn a_plan_and_a_drill_meet_the_emergency_duties() {
    let w = world().await;
    let plans = format!("/api/networks/{}/emergency-plans", w.net_a);
    let drills = format!("/api/networks/{}/drills", w.net_a);
    let duties = format!("/api/networks/{}/duties", w.net_a);

    let before = w.get(&duties, "operator_a").await.json;
    assert_ne!(duty(&before, "csl.incident.plan")["status"], "met");
    assert_ne!(duty(&before, "mlps.l3.emergency")["status"], "met");

    // Bad input names the field; nothing is written.
    for (body, field) in [
        (
            json!({"title": "应急预案", "version": "V1", "approved_on": "2999-01-01",
                   "approved_by": "领导小组", "evidence_id": w.evidence_a}),
            "approved_on",
        ),
        (
            json!({"title": "应急预案", "version": "V1", "approved_on": "2026-03-02",
                   "approved_by": "领导小组"}),
            "evidence_id",
        ),
    ] {
        let r = w.post_json(&plans, "operator_a", body).await;
        assert_eq!(r.status, 422, "{}", r.json);
        assert!(r.json.to_string().contains(field), "{}", r.json);
    }
    assert_eq!(w.count(&plans, "operator_a").await, 0);

    let plan = w
        .post_json(
            &plans,
            "operator_a",
            json!({"title": "网络安全事件应急预案", "version": "V2.0",
                   "approved_on": "2026-03-02", "approved_by": "网络安全领导小组",
                   "evidence_id": w.evidence_a}),
        )
        .await;
    assert_eq!(plan.status, 201, "{}", plan.json);
    let plan_id = plan.json["id"].as_str().unwrap().to_string();

    let r = w
        .post_json(
            &drills,
            "operator_a",
            json!({"plan_id": plan_id, "held_on": "2999-01-01", "scenario": "勒索软件",
                   "participants": "信息中心"}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.json);
    assert!(r.json.to_string().contains("held_on"), "{}", r.json);
    assert_eq!(w.count(&drills, "operator_a").await, 0);

    let drill = w
        .post_json(
            &drills,
            "operator_a",
            json!({"plan_id": plan_id, "held_on": "2026-04-15", "scenario": "勒索软件加密核心数据库",
                   "participants": "信息中心、运维部", "findings": "恢复超时"}),
        )
        .await;
    assert_eq!(drill.status, 201, "{}", drill.json);

    let after = w
        .get(&format!("{duties}?at=2026-06-01"), "operator_a")
        .await
        .json;
    assert_eq!(
        duty(&after, "csl.incident.plan")["status"],
        "met",
        "{after}"
    );
    let l3 = duty(&after, "mlps.l3.emergency");
    assert_eq!(l3["status"], "met", "{l3}");
    assert_eq!(l3["due"], "2027-04-15", "{l3}");
    // A year and a day after the drill, the drill duty is owed again.
    let later = w
        .get(&format!("{duties}?at=2027-04-16"), "operator_a")
        .await
        .json;
    assert_eq!(duty(&later, "mlps.l3.emergency")["status"], "overdue");

    assert_eq!(w.count(&plans, "auditor").await, 1);
    assert_eq!(w.count(&drills, "supervisor").await, 1);
    assert_eq!(w.get(&drills, "operator_b").await.status, 404);
}
