//! Requests to delete or correct personal information through the API (decision 0507): with
//! no policy of the organisation the request shows no deadline and says the law sets none;
//! with one, the deadline is labelled as the organisation's policy with its source, counted in
//! working days; a later change of policy does not move an earlier request; bad input is
//! refused naming the field and writes nothing.

mod common;

use common::world;
use serde_json::json;

#[tokio::test]
async fn a_request_has_no_deadline_unless_the_organisation_set_one() {
    let w = world().await;
    let base = format!("/api/networks/{}/pi-requests", w.net_a);
    let policy = format!("/api/organisations/{}/pi-request-policy", w.org_a);

    let unset = w.get(&policy, "operator_a").await;
    assert_eq!(unset.json, json!({"working_days": null, "source": null}));

    for (body, field) in [
        (
            json!({"kind": "erase", "requester_ref": "GD-1", "received_at": "2026-03-02"}),
            "kind",
        ),
        (
            json!({"kind": "delete", "requester_ref": "", "received_at": "2026-03-02"}),
            "requester_ref",
        ),
        (
            json!({"kind": "delete", "requester_ref": "GD-1", "received_at": "2999-03-02"}),
            "received_at",
        ),
        (
            json!({"kind": "delete", "requester_ref": "GD-1", "received_at": "2026-02-30"}),
            "received_at",
        ),
    ] {
        let r = w.post_json(&base, "operator_a", body).await;
        assert_eq!(r.status, 422, "{}", r.json);
        assert!(
            r.json["error"]["message"].as_str().unwrap().contains(field),
            "{}",
            r.json
        );
    }
    assert_eq!(w.count(&base, "operator_a").await, 0);

    let first = w
        .post_json(
            &base,
            "operator_a",
            json!({"kind": "delete", "requester_ref": "GD-2026-0001", "received_at": "2026-09-28"}),
        )
        .await;
    assert_eq!(first.status, 201, "{}", first.json);
    assert_eq!(first.json["deadline"], serde_json::Value::Null);
    assert_eq!(first.json["deadline_basis"], "none");
    assert_eq!(first.json["clock"], "open");
    assert!(first.json["basis_zh"]
        .as_str()
        .unwrap()
        .contains("法律未规定期限"));

    // A period without its source is refused; with it, it applies from now on.
    let r = w
        .send(
            axum::http::Method::PUT,
            &policy,
            "operator_a",
            Some((
                "application/json",
                json!({"working_days": 15}).to_string().into_bytes(),
            )),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.json);
    assert!(r.json.to_string().contains("source"), "{}", r.json);
    let r = w
        .send(
            axum::http::Method::PUT,
            &policy,
            "operator_a",
            Some((
                "application/json",
                json!({"working_days": 15, "source": "本单位个人信息保护制度（参照 GB/T 35273-2020 8.7）"})
                    .to_string()
                    .into_bytes(),
            )),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);

    let second = w
        .post_json(
            &base,
            "operator_a",
            json!({"kind": "correct", "requester_ref": "GD-2026-0002", "received_at": "2026-09-28"}),
        )
        .await;
    assert_eq!(second.status, 201, "{}", second.json);
    assert_eq!(second.json["deadline_basis"], "organisation_policy");
    // 15 working days from Monday 2026-09-28 (the day itself not counted): 09-29, 09-30,
    // then the National Day holiday 10-01..10-07, 10-08, 10-09, Saturday 10-10 (调休上班),
    // 10-12..10-16, 10-19..10-23.
    assert_eq!(second.json["deadline"], "2026-10-23");
    assert!(second.json["basis_zh"]
        .as_str()
        .unwrap()
        .contains("本单位政策"));
    assert!(second.json["basis_zh"]
        .as_str()
        .unwrap()
        .contains("GB/T 35273-2020"));
    assert_eq!(second.json["clock"], "overdue");

    // The first request keeps no deadline: it was received under no policy.
    let list = w.get(&base, "auditor").await.json;
    let listed = list.as_array().unwrap();
    assert_eq!(listed.len(), 2);
    let one = listed
        .iter()
        .find(|r| r["requester_ref"] == "GD-2026-0001")
        .unwrap();
    assert_eq!(one["deadline"], serde_json::Value::Null);

    // Closing: a refusal needs its reason; a close before receipt is refused.
    let close = format!("{base}/{}/close", second.json["id"].as_str().unwrap());
    for (body, field) in [
        (
            json!({"outcome": "refused", "closed_at": "2026-10-09"}),
            "reason",
        ),
        (
            json!({"outcome": "done", "closed_at": "2026-09-01"}),
            "closed_at",
        ),
        (
            json!({"outcome": "later", "closed_at": "2026-10-09"}),
            "outcome",
        ),
    ] {
        let r = w.post_json(&close, "operator_a", body).await;
        assert_eq!(r.status, 422, "{}", r.json);
        assert!(r.json.to_string().contains(field), "{}", r.json);
    }
    let closed = w
        .post_json(
            &close,
            "operator_a",
            json!({"outcome": "refused", "reason": "请求更正的信息与身份证明不符", "closed_at": "2026-10-09"}),
        )
        .await;
    assert_eq!(closed.status, 200, "{}", closed.json);
    assert_eq!(closed.json["clock"], "closed");
    assert_eq!(closed.json["outcome"], "refused");
    let again = w
        .post_json(
            &close,
            "operator_a",
            json!({"outcome": "done", "closed_at": "2026-10-10"}),
        )
        .await;
    assert_eq!(again.status, 422, "{}", again.json);

    assert_eq!(w.get(&base, "operator_b").await.status, 404);
    let acts: Vec<String> = w
        .store
        .audit_entries(0, 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for a in ["pi_request.add", "pi_request.close", "pi_request.policy"] {
        assert!(acts.iter().any(|x| x == a), "{a}");
    }
}
