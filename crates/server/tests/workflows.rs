//! The supervisor's and the assessor's workflows through the API: filing (备案) with its
//! review deadline on the working-day calendar, rectification orders, inspections due,
//! assessor engagements with findings and conclusion (statistics: tests/statistics.rs).
//!
//! Dates are real ones across the 2026 National Day holiday (国务院办公厅 2026 notice:
//! 10月1日至7日放假调休, 9月20日（周日）、10月10日（周六）上班).

mod common;

use axum::http::Method;
use common::{send_as, user, world, world_on, World};
use dengbao_store::users::Role;
use serde_json::{json, Value};

fn supervisor_id(w: &World) -> String {
    w.user_ids[5].clone().unwrap()
}

async fn events(w: &World, net: &str) -> Vec<(String, String)> {
    let r = w
        .get(&format!("/api/networks/{net}/events"), "operator_a")
        .await;
    r.json
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_string(),
                e["at"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_filing_received_before_national_day_is_reviewed_by_16_october_rejected_then_certified() {
    a_filing_received_before_national_day_is_reviewed_by_16_october_rejected_then_certified_on(
        world().await,
    )
    .await;
}

async fn a_filing_received_before_national_day_is_reviewed_by_16_october_rejected_then_certified_on(
    w: World,
) {
    let net = w.net_a.clone();
    let url = format!("/api/networks/{net}/filings");
    let submit = |on: &str| {
        json!({"supervisor_id": supervisor_id(&w), "submitted_on": on,
               "form": {"address": "甲市人民路1号", "contact": "张三", "attachments": ["定级报告"]}})
    };
    let r = w.post_json(&url, "operator_a", submit("2026-09-28")).await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!(r.json["state"], "submitted");
    // Received Monday 28 September: 29, 30 Sep, (1–7 Oct holiday), 8, 9, Sat 10 (adjusted
    // workday), 12, 13, 14, 15, 16 Oct = 10 working days (条例 第十九条) — not 12 Oct as a
    // plain count of weekdays would say.
    assert_eq!(r.json["review_due"], "2026-10-16", "{}", r.json);
    let cal = w
        .get(
            "/api/calendar/add-workdays?date=2026-09-28&n=10",
            "operator_a",
        )
        .await;
    assert_eq!(r.json["review_due"], cal.json["date"]);
    assert!(events(&w, &net)
        .await
        .contains(&("filed".into(), "2026-09-28".into())));

    // The filing's event is the filing's: it is changed through the filing, not voided
    // by hand, so the record and the filing cannot disagree.
    let listed = w
        .get(&format!("/api/networks/{net}/events"), "operator_a")
        .await;
    let filed = listed
        .json
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "filed");
    let filed = filed.unwrap();
    assert_eq!(
        filed["origin"],
        format!("filing:{}", r.json["id"].as_str().unwrap())
    );
    let filed_id = filed["id"].as_str().unwrap().to_string();
    let void = w
        .post_json(
            &format!("/api/networks/{net}/events/{filed_id}/void"),
            "operator_a",
            json!({"reason": "想撤回"}),
        )
        .await;
    assert_eq!(void.status, 422, "{}", void.json);
    assert!(void.json["error"]["message"]
        .as_str()
        .unwrap()
        .contains("filing"));

    // No second submission while one is under review.
    let again = w.post_json(&url, "operator_a", submit("2026-09-29")).await;
    assert_eq!(again.status, 422, "{}", again.json);
    assert!(again.json["error"]["message"]
        .as_str()
        .unwrap()
        .contains("审核中"));

    // The operator cannot decide; the supervisor must give reasons to reject.
    let decide = format!("/api/networks/{net}/filings/decision");
    let op = w
        .post_json(
            &decide,
            "operator_a",
            json!({"decision": "certify", "on": "2026-10-09", "certificate_no": "X"}),
        )
        .await;
    assert_eq!(op.status, 403);
    let bare = w
        .post_json(
            &decide,
            "supervisor",
            json!({"decision": "reject", "on": "2026-10-09"}),
        )
        .await;
    assert_eq!(bare.status, 422);
    assert!(bare.json["error"]["message"]
        .as_str()
        .unwrap()
        .contains("reasons"));
    let rej = w
        .post_json(
            &decide,
            "supervisor",
            json!({"decision": "reject", "on": "2026-10-09", "reasons": "缺少专家评审意见"}),
        )
        .await;
    assert_eq!(rej.status, 200, "{}", rej.json);
    assert_eq!(rej.json["state"], "rejected");
    let twice = w
        .post_json(
            &decide,
            "supervisor",
            json!({"decision": "certify", "on": "2026-10-09", "certificate_no": "A1"}),
        )
        .await;
    assert_eq!(
        twice.status, 422,
        "a rejected filing is not under review: {}",
        twice.json
    );

    // Resubmitted Monday 12 October: due 26 October.
    let re = w.post_json(&url, "operator_a", submit("2026-10-12")).await;
    assert_eq!(re.status, 201, "{}", re.json);
    assert_eq!(re.json["review_due"], "2026-10-26");
    let cert = w
        .post_json(&decide, "supervisor", json!({"decision": "certify", "on": "2026-10-23", "certificate_no": "11010843001-26001"}))
        .await;
    assert_eq!(cert.status, 200, "{}", cert.json);
    assert_eq!(cert.json["certificate_no"], "11010843001-26001");
    let ev = events(&w, &net).await;
    assert!(
        ev.contains(&("certified".into(), "2026-10-23".into())),
        "{ev:?}"
    );
    assert!(
        ev.contains(&("filed".into(), "2026-10-12".into())),
        "{ev:?}"
    );

    // Filed at this level already: no new filing until the level changes.
    let dup = w.post_json(&url, "operator_a", submit("2026-11-02")).await;
    assert_eq!(dup.status, 422, "{}", dup.json);

    let received = w.get("/api/filings", "supervisor").await;
    let states: Vec<&str> = received
        .json
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["state"].as_str().unwrap())
        .collect();
    assert_eq!(states.len(), 2, "{}", received.json);
    assert!(states.contains(&"rejected") && states.contains(&"certified"));
    let pending = w.get("/api/filings?state=submitted", "supervisor").await;
    assert_eq!(pending.json.as_array().unwrap().len(), 0);

    let actions: Vec<String> = w
        .store
        .audit_entries(0, 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for a in ["filing.submit", "filing.rejected", "filing.certified"] {
        assert!(actions.iter().any(|x| x == a), "{a} not audited");
    }
    assert!(w.store.verify_audit().await.unwrap().ok);
}

#[tokio::test]
async fn filing_grants_the_named_organ_reach_and_only_that_organ_decides() {
    filing_grants_the_named_organ_reach_and_only_that_organ_decides_on(world().await).await;
}

async fn filing_grants_the_named_organ_reach_and_only_that_organ_decides_on(w: World) {
    let net = w.net_a.clone();
    let (other_id, other_token) = user(&w, "乙区网安大队", Role::Supervisor).await;
    let uri = format!("/api/networks/{net}");
    assert_eq!(
        send_as(&w, Method::GET, &uri, &other_token, None).await.0,
        404
    );
    let r = w
        .post_json(
            &format!("{uri}/filings"),
            "operator_a",
            json!({"supervisor_id": other_id, "submitted_on": "2026-09-28"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    // The grant holds at once, even for a token used a moment ago.
    assert_eq!(
        send_as(&w, Method::GET, &uri, &other_token, None).await.0,
        200
    );
    // The world's supervisor also reaches organisation A, but the filing is not its.
    let body = json!({"decision": "certify", "on": "2026-10-09", "certificate_no": "B-1"});
    let wrong = w
        .post_json(
            &format!("{uri}/filings/decision"),
            "supervisor",
            body.clone(),
        )
        .await;
    assert_eq!(wrong.status, 422, "{}", wrong.json);
    let (s, j) = send_as(
        &w,
        Method::POST,
        &format!("{uri}/filings/decision"),
        &other_token,
        Some(body),
    )
    .await;
    assert_eq!(s, 200, "{j}");

    // Only graded networks of level 2 and above are filed.
    let low = w
        .post_json(
            "/api/networks",
            "operator_a",
            json!({"org_id": w.org_a, "name": "内部通讯录", "level": 1, "stage": "running"}),
        )
        .await;
    let low_id = low.json["id"].as_str().unwrap();
    let r = w
        .post_json(
            &format!("/api/networks/{low_id}/filings"),
            "operator_a",
            json!({"supervisor_id": other_id, "submitted_on": "2026-09-28"}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("level"),
        "{}",
        r.json
    );
    // A receipt date past even the provisional years is refused, never guessed.
    let far = w
        .post_json(
            &format!("{uri}/filings"),
            "operator_a",
            json!({"supervisor_id": other_id, "submitted_on": "2099-03-03"}),
        )
        .await;
    assert_eq!(far.status, 422, "{}", far.json);
    assert!(far.json["error"]["message"]
        .as_str()
        .unwrap()
        .contains("submitted_on"));
    // A receipt dated next month has not happened yet: refused, naming the field.
    let next_month = dengbao_calendar::today_in_shanghai()
        .checked_add(jiff::Span::new().days(30))
        .unwrap();
    let ahead = w
        .post_json(
            &format!("{uri}/filings"),
            "operator_a",
            json!({"supervisor_id": other_id, "submitted_on": next_month.to_string()}),
        )
        .await;
    assert_eq!(ahead.status, 422, "{}", ahead.json);
    let message = ahead.json["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("submitted_on") && message.contains("已发生的事件不能填将来日期"),
        "{message}"
    );
    // Naming a user who is not a supervisor is refused.
    let op = w.user_ids[2].clone().unwrap();
    let bad = w
        .post_json(
            &format!("/api/networks/{low_id}/filings"),
            "operator_a",
            json!({"supervisor_id": op, "submitted_on": "2026-09-28"}),
        )
        .await;
    assert_eq!(bad.status, 422);
}

#[tokio::test]
async fn a_rectification_order_runs_to_its_working_day_deadline_reported_late_then_closed() {
    a_rectification_order_runs_to_its_working_day_deadline_reported_late_then_closed_on(
        world().await,
    )
    .await;
}

async fn a_rectification_order_runs_to_its_working_day_deadline_reported_late_then_closed_on(
    w: World,
) {
    let net = w.net_a.clone();
    let base = format!("/api/networks/{net}/rectifications");
    let issued = w
        .post_json(&base, "supervisor", json!({"findings": ["日志留存不足六个月", "未开展年度等级测评"], "issued_on": "2026-09-28", "working_days": 10}))
        .await;
    assert_eq!(issued.status, 201, "{}", issued.json);
    assert_eq!(
        issued.json["due"], "2026-10-16",
        "10 working days across National Day"
    );
    let id = issued.json["id"].as_str().unwrap().to_string();
    let empty = w
        .post_json(
            &base,
            "supervisor",
            json!({"findings": [], "issued_on": "2026-09-28", "due": "2026-10-30"}),
        )
        .await;
    assert_eq!(empty.status, 422);
    assert_eq!(w.count("/api/rectifications", "supervisor").await, 1);

    // Closing before the operator reports is refused; the operator cannot close.
    let close = format!("{base}/close");
    let early = w
        .post_json(
            &close,
            "supervisor",
            json!({"order_id": id, "on": "2026-10-12"}),
        )
        .await;
    assert_eq!(early.status, 422, "{}", early.json);
    assert_eq!(
        w.post_json(
            &close,
            "operator_a",
            json!({"order_id": id, "on": "2026-10-12"})
        )
        .await
        .status,
        403
    );

    let rep = w
        .post_json(
            &format!("{base}/report"),
            "operator_a",
            json!({"order_id": id, "on": "2026-10-19", "text": "日志策略已改为保留180天"}),
        )
        .await;
    assert_eq!(rep.status, 200, "{}", rep.json);
    assert_eq!(
        rep.json["reported_late"], true,
        "reported after the 16 October deadline"
    );
    let done = w
        .post_json(
            &close,
            "supervisor",
            json!({"order_id": id, "on": "2026-10-20", "text": "复查合格"}),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.json);
    assert_eq!(done.json["state"], "closed");
    assert!(events(&w, &net)
        .await
        .contains(&("rectified".into(), "2026-10-20".into())));
    assert_eq!(
        w.post_json(
            &close,
            "supervisor",
            json!({"order_id": id, "on": "2026-10-21"})
        )
        .await
        .status,
        422
    );
    assert_eq!(w.count("/api/rectifications", "supervisor").await, 0);
}

#[tokio::test]
async fn level_3_networks_fall_due_for_inspection_a_year_after_the_last() {
    level_3_networks_fall_due_for_inspection_a_year_after_the_last_on(world().await).await;
}

async fn level_3_networks_fall_due_for_inspection_a_year_after_the_last_on(w: World) {
    let net = w.net_a.clone();
    let due = w
        .get("/api/inspections/due?at=2026-06-01", "supervisor")
        .await;
    let rows = due.json.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{}", due.json);
    assert_eq!(rows[0]["last_inspected"], Value::Null);
    assert_eq!(rows[0]["status"], "due", "never inspected: due now");
    let r = w
        .post_json(
            &format!("/api/networks/{net}/inspections"),
            "supervisor",
            json!({"inspected_on": "2026-03-10", "note": "年度检查"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let later = w
        .get("/api/inspections/due?at=2026-06-01", "supervisor")
        .await;
    assert_eq!(later.json[0]["due"], "2027-03-10");
    assert_eq!(later.json[0]["status"], "scheduled");
    let next_year = w
        .get("/api/inspections/due?at=2027-03-11", "supervisor")
        .await;
    assert_eq!(next_year.json[0]["status"], "overdue");
    // A level 2 network is not on the list.
    w.post_json(
        "/api/networks",
        "operator_a",
        json!({"org_id": w.org_a, "name": "门户网站", "level": 2, "stage": "running"}),
    )
    .await;
    assert_eq!(
        w.count("/api/inspections/due?at=2026-06-01", "supervisor")
            .await,
        1
    );
}

#[tokio::test]
async fn an_engaged_assessor_records_findings_per_duty_and_concludes() {
    an_engaged_assessor_records_findings_per_duty_and_concludes_on(world().await).await;
}

async fn an_engaged_assessor_records_findings_per_duty_and_concludes_on(w: World) {
    let net = w.net_a.clone();
    let (assessor_id, token) = user(&w, "某等级测评中心", Role::Assessor).await;
    let uri = format!("/api/networks/{net}");
    assert_eq!(send_as(&w, Method::GET, &uri, &token, None).await.0, 404);
    let e = w
        .post_json(
            &format!("{uri}/engagements"),
            "operator_a",
            json!({"assessor_id": assessor_id, "engaged_on": "2026-10-09"}),
        )
        .await;
    assert_eq!(e.status, 201, "{}", e.json);
    assert_eq!(send_as(&w, Method::GET, &uri, &token, None).await.0, 200);

    let findings = format!("{uri}/engagements/findings");
    // The world's assessor reaches the organisation but was not engaged for this network:
    // to it the network does not exist.
    let not_engaged = w
        .post_json(
            &findings,
            "assessor",
            json!({"duty_id": "mlps.filing", "result": "conforms"}),
        )
        .await;
    assert_eq!(not_engaged.status, 404, "{}", not_engaged.json);
    let duties = w
        .get(&format!("{uri}/duties?at=2026-10-09"), "operator_a")
        .await;
    let duty = duties.json[0]["id"].as_str().unwrap().to_string();
    let (s, j) = send_as(&w, Method::POST, &findings, &token,
        Some(json!({"duty_id": duty, "result": "partly", "text": "部分落实", "evidence": [w.evidence_a]}))).await;
    assert_eq!(s, 201, "{j}");
    let (s, _) = send_as(
        &w,
        Method::POST,
        &findings,
        &token,
        Some(json!({"duty_id": "no.such.duty", "result": "conforms"})),
    )
    .await;
    assert_eq!(s, 422);
    let (s, _) = send_as(
        &w,
        Method::POST,
        &findings,
        &token,
        Some(json!({"duty_id": duty, "result": "conforms", "evidence": ["ffff"]})),
    )
    .await;
    assert_eq!(s, 422, "evidence of another network or none");
    let (s, j) = send_as(&w, Method::POST, &format!("{uri}/engagements/conclusion"), &token,
        Some(json!({"conclusion": "basically_conforms", "concluded_on": "2026-11-02", "score": 82.5}))).await;
    assert_eq!(s, 200, "{j}");
    assert_eq!(j["conclusion"], "basically_conforms");
    assert_eq!(j["findings"][0]["result"], "partly");
    assert!(events(&w, &net)
        .await
        .contains(&("last_assessment".into(), "2026-11-02".into())));
    // Concluded: no more findings.
    let (s, _) = send_as(
        &w,
        Method::POST,
        &findings,
        &token,
        Some(json!({"duty_id": duty, "result": "conforms"})),
    )
    .await;
    assert_eq!(s, 422);
    let (s, mine) = send_as(&w, Method::GET, "/api/engagements", &token, None).await;
    assert_eq!((s, mine.as_array().unwrap().len()), (200, 1));
    let x = w
        .get(&format!("{uri}/reports/findings.xlsx"), "operator_a")
        .await;
    assert_eq!(x.status, 200);
    assert!(x.bytes.starts_with(b"PK"), "an XLSX is a zip package");
}

/// The same workflows on PostgreSQL (DENGBAO_TEST_POSTGRES_URL, set by scripts/test.sh).
#[tokio::test]
async fn the_workflows_hold_on_postgresql_too() {
    for run in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let Some(store) = dengbao_store::test_support::postgres_store(dir.path())
            .await
            .unwrap()
        else {
            eprintln!("skipped: DENGBAO_TEST_POSTGRES_URL is not set");
            return;
        };
        let w = world_on(dir, store).await;
        match run {
            0 => a_filing_received_before_national_day_is_reviewed_by_16_october_rejected_then_certified_on(w).await,
            1 => filing_grants_the_named_organ_reach_and_only_that_organ_decides_on(w).await,
            2 => a_rectification_order_runs_to_its_working_day_deadline_reported_late_then_closed_on(w).await,
            3 => level_3_networks_fall_due_for_inspection_a_year_after_the_last_on(w).await,
            4 => an_engaged_assessor_records_findings_per_duty_and_concludes_on(w).await,
            _ => unreachable!(),
        }
    }
}
