//! The yearly training plan through the API (decision 1505): saved whole with its approval and
//! an audit entry; each item held by a session of its month and topic (for the key posts of a
//! network, of that network) or by a session linked to it; bad items refused naming the field
//! with nothing saved; another organisation sees nothing.

mod common;

use common::world;
use serde_json::{json, Value};

fn held(plan: &Value) -> Vec<(String, bool)> {
    plan["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["topic"].as_str().unwrap().to_string(),
                !i["held_by"].is_null(),
            )
        })
        .collect()
}

#[tokio::test]
async fn planned_items_count_as_held_by_the_sessions_of_their_month_and_topic() {
    let w = world().await;
    let net = w.net_a.clone();
    let plan = format!("/api/organisations/{}/training-plan/2026", w.org_a);
    let r = w
        .post_json(
            &format!("/api/organisations/{}/staff", w.org_a),
            "operator_a",
            json!({"name": "李明", "position": "系统管理员", "key_post": true}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let li = r.json["id"].as_str().unwrap().to_string();
    let sessions = format!("/api/networks/{net}/training-sessions");
    let mut recorded = Vec::new();
    for (held_on, topic) in [
        ("2026-03-12", "网络安全法及等级保护制度解读"),
        ("2026-05-20", "网络安全法及等级保护制度解读"),
        ("2026-06-18", "钓鱼邮件识别与处置演练"),
    ] {
        let r = w
            .post_json(
                &sessions,
                "operator_a",
                json!({"held_on": held_on, "topic": topic, "hours": 2.0,
                       "trainer": "省网络安全协会 王工", "attendees": [li]}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.json);
        recorded.push(r.json["id"].as_str().unwrap().to_string());
    }

    // Nothing saved yet: an empty plan, not an error.
    let empty = w.get(&plan, "operator_a").await;
    assert_eq!(empty.status, 200, "{}", empty.json);
    assert_eq!(empty.json["planned"], 0, "{}", empty.json);

    let body = json!({
        "approved_by": "信息中心主任 刘强", "approved_on": "2026-01-10",
        "items": [
            {"month": 3, "topic": "网络安全法及等级保护制度解读", "audience": "all",
             "hours": 2.0, "trainer": "省网络安全协会 王工"},
            // Same topic, planned for April: the May session is not April's.
            {"month": 4, "topic": "网络安全法及等级保护制度解读", "audience": "all",
             "hours": 2.0, "trainer": "省网络安全协会 王工"},
            {"planned_on": "2026-06-18", "topic": "关键岗位安全技能培训", "audience": "key_posts",
             "network_id": net, "hours": 4.0, "trainer": "信息中心 赵工",
             "session_id": recorded[2]},
            {"month": 11, "topic": "数据安全法解读", "audience": "role", "role": "系统管理员",
             "hours": 3.0, "trainer": "律师事务所 孙律师"},
        ]
    });
    let r = w.put_json(&plan, "operator_a", body.clone()).await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(
        held(&r.json),
        vec![
            ("网络安全法及等级保护制度解读".to_string(), true),
            ("网络安全法及等级保护制度解读".to_string(), false),
            ("关键岗位安全技能培训".to_string(), true),
            ("数据安全法解读".to_string(), false),
        ],
        "{}",
        r.json
    );
    assert_eq!(
        (r.json["held"].clone(), r.json["planned"].clone()),
        (json!(2), json!(4))
    );
    assert_eq!(r.json["items"][2]["month"], 6, "{}", r.json);
    assert_eq!(r.json["approved_by"], "信息中心主任 刘强");
    // Read back by the auditor, the same.
    let back = w.get(&plan, "auditor").await;
    assert_eq!(back.json, r.json);
    let audited = w
        .store
        .audit_entries(0, 100_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "training.plan")
        .count();
    assert_eq!(audited, 1);

    // Bad items are refused naming the field, and the plan saved stays as it was.
    for (item, field) in [
        (
            json!({"month": 13, "topic": "x", "audience": "all", "hours": 1.0, "trainer": "王工"}),
            "month",
        ),
        (
            json!({"planned_on": "2027-02-01", "topic": "x", "audience": "all", "hours": 1.0, "trainer": "王工"}),
            "planned_on",
        ),
        (
            json!({"month": 2, "topic": "x", "audience": "key_posts", "hours": 1.0, "trainer": "王工"}),
            "network_id",
        ),
        (
            json!({"month": 2, "topic": "x", "audience": "role", "hours": 1.0, "trainer": "王工"}),
            "role",
        ),
        (
            json!({"month": 2, "topic": "x", "audience": "all", "hours": 30.0, "trainer": "王工"}),
            "hours",
        ),
        (
            json!({"month": 2, "topic": "x", "audience": "all", "hours": 1.0, "trainer": "王工", "session_id": "nope"}),
            "session_id",
        ),
    ] {
        let r = w
            .put_json(&plan, "operator_a", json!({"items": [item]}))
            .await;
        assert_eq!(r.status, 422, "{field}: {}", r.json);
        assert!(r.json.to_string().contains(field), "{field}: {}", r.json);
    }
    let r = w
        .put_json(
            &plan,
            "operator_a",
            json!({"approved_by": "刘强", "items": []}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.json);
    assert!(r.json.to_string().contains("approved_on"), "{}", r.json);
    assert_eq!(w.get(&plan, "operator_a").await.json["planned"], 4);

    // Another organisation's operator: as if there were no such plan.
    assert_eq!(w.get(&plan, "operator_b").await.status, 404);
    assert_eq!(w.put_json(&plan, "operator_b", body).await.status, 404);
    let r = w
        .get(
            &format!("/api/organisations/{}/training-plan/二〇二六", w.org_a),
            "operator_a",
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.json);
    assert!(r.json.to_string().contains("year"), "{}", r.json);
}

/// The workbook for an assessor carries this year's plan (培训计划, with its approval and
/// audiences) and the hours per person (学时统计).
#[tokio::test]
async fn the_records_workbook_carries_this_years_plan_and_the_hours() {
    let w = world().await;
    let net = w.net_a.clone();
    // This year (Asia/Shanghai) and its first day, never in the future whenever the test runs.
    let year = jiff::Timestamp::now()
        .in_tz("Asia/Shanghai")
        .unwrap()
        .date()
        .year();
    let first = format!("{year}-01-01");
    let r = w
        .post_json(
            &format!("/api/organisations/{}/staff", w.org_a),
            "operator_a",
            json!({"name": "周婷", "position": "审计管理员", "key_post": false}),
        )
        .await;
    let zhou = r.json["id"].as_str().unwrap().to_string();
    let r = w
        .post_json(
            &format!("/api/networks/{net}/training-sessions"),
            "operator_a",
            json!({"held_on": first, "topic": "新年网络安全意识教育", "hours": 1.5,
                   "trainer": "信息中心 赵工", "attendees": [zhou]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let r = w
        .put_json(
            &format!("/api/organisations/{}/training-plan/{year}", w.org_a),
            "operator_a",
            json!({"approved_by": "信息中心主任 刘强", "approved_on": first, "items": [
                {"month": 1, "topic": "新年网络安全意识教育", "audience": "all",
                 "hours": 1.5, "trainer": "信息中心 赵工"},
                {"month": 12, "topic": "个人信息保护法解读", "audience": "role",
                 "role": "审计管理员", "hours": 2.0, "trainer": "律师事务所 孙律师"},
            ]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    let xlsx = w
        .get(
            &format!("/api/networks/{net}/training/records.xlsx"),
            "auditor",
        )
        .await;
    assert_eq!(xlsx.status, 200);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&xlsx.bytes)).unwrap();
    let mut read = |name: &str| {
        let mut out = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut out).unwrap();
        out
    };
    let book = read("xl/workbook.xml");
    for sheet in ["学时统计", "培训计划"] {
        assert!(book.contains(sheet), "no sheet {sheet}: {book}");
    }
    let strings = read("xl/sharedStrings.xml");
    for want in [
        format!("{year} 年度培训计划"),
        "信息中心主任 刘强".to_string(),
        "个人信息保护法解读".to_string(),
        "岗位：审计管理员".to_string(),
        first.clone(),
    ] {
        assert!(
            strings.contains(&want),
            "{want} not in the workbook: {strings}"
        );
    }
}
