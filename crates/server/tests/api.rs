//! What an API user sees: the network workflow, errors that name the field, bad input that
//! leaves the data as it was, and the engine answers through HTTP.

mod common;

use axum::http::Method;
use common::{multipart, world};

#[tokio::test]
async fn an_operator_creates_a_network_records_filing_and_sees_its_duties() {
    let w = world().await;
    let created = w
        .post_json(
            "/api/networks",
            "operator_a",
            serde_json::json!({
                "org_id": w.org_a, "name": "网上营业厅", "stage": "running", "personal_info": true,
                "grading": {"business": {"object": "order", "degree": "serious"},
                            "service": {"object": "rights", "degree": "serious"}}
            }),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.json);
    let id = created.json["id"].as_str().unwrap().to_string();
    for (kind, at) in [("graded", "2026-09-25"), ("launched", "2026-01-05")] {
        let r = w
            .post_json(
                &format!("/api/networks/{id}/events"),
                "operator_a",
                serde_json::json!({"kind": kind, "at": at}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.json);
    }
    // graded on 2026-09-25, level 3 (order × serious): filing is due 10 working days later,
    // across the National Day holiday.
    let duties = w
        .get(
            &format!("/api/networks/{id}/duties?at=2026-09-28"),
            "operator_a",
        )
        .await;
    assert_eq!(duties.status, 200, "{}", duties.json);
    let filing = duties
        .json
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "mlps.filing")
        .unwrap();
    assert_eq!(filing["status"], "due", "{filing}");
    // The rule in force drives (decision 0205): 30 days from 2026-09-25 end on Sunday
    // 2026-10-25, so the next working day; the draft's 10 working days are beside it.
    assert_eq!(filing["due"], "2026-10-26", "{filing}");
    let expected = w
        .get(
            "/api/calendar/add-workdays?date=2026-09-25&n=10",
            "operator_a",
        )
        .await;
    assert_eq!(
        filing["rule_basis"]["other_due"], expected.json["date"],
        "{filing}"
    );
    assert_eq!(filing["rule_basis"]["driving"], "in_force", "{filing}");
    assert!(filing["citations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["law"] == "mlps" && c["article"] == 18));
    let exposure = w
        .get(
            &format!("/api/networks/{id}/exposure?at=2027-06-01"),
            "operator_a",
        )
        .await;
    assert_eq!(exposure.status, 200, "{}", exposure.json);
    assert!(
        exposure.json["org_fine_total"][1].as_u64().unwrap() > 0,
        "{}",
        exposure.json
    );
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_changes_nothing() {
    let w = world().await;
    let before = w
        .get(&format!("/api/networks/{}", w.net_a), "operator_a")
        .await
        .json;
    let audit_before = w.store.audit_entries(0, 10_000).await.unwrap().len();
    let cases = [
        (
            serde_json::json!({"name": "x", "stage": "running", "level": 6}),
            "level",
        ),
        (serde_json::json!({"name": "x", "stage": "flying"}), "stage"),
        (
            serde_json::json!({"name": "x", "stage": "running", "services": ["fax"]}),
            "services",
        ),
        (
            serde_json::json!({"name": "x", "stage": "running", "colour": "red"}),
            "colour",
        ),
        (serde_json::json!({"name": "", "stage": "running"}), "name"),
        // A NUL would make every DOCX/XLSX export of the network invalid XML.
        (
            serde_json::json!({"name": "会员\u{0}平台", "stage": "running"}),
            "name",
        ),
        (
            serde_json::json!({"name": "两行\n名称", "stage": "running"}),
            "name",
        ),
    ];
    for (body, field) in cases {
        let r = w
            .send(
                Method::PUT,
                &format!("/api/networks/{}", w.net_a),
                "operator_a",
                Some(("application/json", body.to_string().into_bytes())),
            )
            .await;
        assert_eq!(r.status, 422, "{body}: {}", r.json);
        assert_eq!(r.json["error"]["code"], "invalid");
        assert!(
            r.json["error"]["message"].as_str().unwrap().contains(field),
            "{field}: {}",
            r.json
        );
    }
    let r = w
        .post_json(
            &format!("/api/networks/{}/events", w.net_a),
            "operator_a",
            serde_json::json!({"kind": "filed", "at": "2026-02-30"}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.json["error"]["message"].as_str().unwrap().contains("at"),
        "{}",
        r.json
    );
    let r = w
        .send(
            Method::POST,
            "/api/networks",
            "operator_a",
            Some(("application/json", b"{not json".to_vec())),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.json);
    // A year without a notice is answered provisionally, and says so; strict, refused.
    let r = w
        .get("/api/calendar/is-workday?date=2031-01-01", "operator_a")
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["provisional"], true, "{}", r.json);
    assert_eq!(r.json["workday"], false, "元旦: {}", r.json);
    let r = w
        .get(
            "/api/calendar/is-workday?date=2031-01-01&strict=true",
            "operator_a",
        )
        .await;
    assert_eq!(r.status, 422, "strict: never a guess: {}", r.json);
    let r = w
        .get(
            "/api/calendar/add-workdays?date=2026-12-25&n=10",
            "operator_a",
        )
        .await;
    assert_eq!(
        (r.json["date"].as_str(), r.json["provisional"].as_bool()),
        (Some("2027-01-11"), Some(true)),
        "{}",
        r.json
    );
    let r = w
        .get("/api/calendar/is-workday?date=2099-01-05", "operator_a")
        .await;
    assert_eq!(
        r.status, 422,
        "a date past the provisional years is an error, never a guess: {}",
        r.json
    );

    assert_eq!(
        w.get(&format!("/api/networks/{}", w.net_a), "operator_a")
            .await
            .json,
        before
    );
    assert_eq!(
        w.store.audit_entries(0, 10_000).await.unwrap().len(),
        audit_before
    );
}

#[tokio::test]
async fn uploaded_evidence_comes_back_byte_for_byte_with_its_hash() {
    let w = world().await;
    let bytes = "%PDF-1.7 等级测评报告（2026年度）".as_bytes();
    let (ct, body) = multipart(
        &[
            ("duty_id", "mlps.assessment.yearly"),
            ("description", "2026年度测评报告"),
            ("expires", "2027-03-31"),
        ],
        Some(("测评报告.pdf", bytes)),
    );
    let r = w
        .send(
            Method::POST,
            &format!("/api/networks/{}/evidence", w.net_a),
            "operator_a",
            Some((&ct, body)),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!(r.json["size"], bytes.len());
    let id = r.json["id"].as_str().unwrap();
    let file = w
        .get(
            &format!("/api/networks/{}/evidence/{id}/file", w.net_a),
            "operator_a",
        )
        .await;
    assert_eq!(file.status, 200);
    assert_eq!(file.bytes, bytes);
    // an unknown duty is refused
    let (ct, body) = multipart(
        &[("duty_id", "mlps.nonsense"), ("description", "x")],
        Some(("a", b"a")),
    );
    let r = w
        .send(
            Method::POST,
            &format!("/api/networks/{}/evidence", w.net_a),
            "operator_a",
            Some((&ct, body)),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.json["error"]["message"]
        .as_str()
        .unwrap()
        .contains("duty_id"));
}

#[tokio::test]
async fn another_organisations_network_looks_like_no_network_and_the_attempt_is_audited() {
    let w = world().await;
    let theirs = w
        .get(&format!("/api/networks/{}", w.net_a), "operator_b")
        .await;
    let nothing = w.get("/api/networks/0000000000000000", "operator_b").await;
    assert_eq!(
        (theirs.status.as_u16(), nothing.status.as_u16()),
        (404, 404)
    );
    assert_eq!(theirs.json, nothing.json);
    let listed = w.get("/api/networks", "operator_b").await;
    assert_eq!(listed.json.as_array().unwrap().len(), 0);
    let audit = w.get("/api/audit?limit=1000", "auditor").await;
    let denied: Vec<_> = audit
        .json
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "denied")
        .collect();
    assert_eq!(denied.len(), 1, "{denied:?}");
    assert_eq!(denied[0]["org_id"], w.org_a.as_str());
    let verify = w.get("/api/audit/verify", "auditor").await;
    assert_eq!(verify.json["ok"], true);
}

#[tokio::test]
async fn grading_calendar_and_law_answer_through_the_api() {
    let w = world().await;
    let g = w
        .post_json("/api/grade", "operator_a", serde_json::json!({"business": {"object": "rights", "degree": "especially_serious"}, "service": {"object": "rights", "degree": "harm"}}))
        .await;
    assert_eq!(g.status, 200, "{}", g.json);
    assert_eq!(
        g.json["level"], 2,
        "GB/T 22240-2020: rights × especially serious is level 2"
    );
    assert!(g.json["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n.as_str().unwrap().contains("依据分歧")));
    let bad = w.post_json("/api/grade", "operator_a", serde_json::json!({"business": {"object": "rights"}, "service": {"object": "rights", "degree": "harm"}})).await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("business"),
        "{}",
        bad.json
    );
    // 2026-10-01 is National Day (国庆节)
    let holiday = w
        .get("/api/calendar/is-workday?date=2026-10-01", "operator_a")
        .await;
    assert_eq!(holiday.json["workday"], false);
    let law = w.get("/api/law/csl/21", "auditor").await;
    assert_eq!(law.status, 200, "{}", law.json);
    assert!(
        law.json["text"].as_str().unwrap().contains("等级保护"),
        "{}",
        law.json
    );
    let none = w.get("/api/law/csl/999", "auditor").await;
    assert_eq!(none.status, 404);
}
