//! People and training from the console (decision 1502): the page is linked from the
//! network, speaks Chinese by default and English with `?lang=en`; a person and a session
//! recorded on it turn the CII training duty `met`, with the note that the law sets no
//! period; a refused form is answered 422 naming the field by its label, writing nothing.

mod common;

use axum::http::StatusCode;
use common::App;

fn status(html: &str, duty: &str) -> String {
    let at = html
        .find(&format!(r#"id="duty-{duty}""#))
        .unwrap_or_else(|| panic!("no duty {duty} on the page"));
    let rest = &html[at..];
    let s = rest.find(r#"data-status=""#).unwrap() + r#"data-status=""#.len();
    rest[s..s + rest[s..].find('"').unwrap()].to_string()
}

#[tokio::test]
async fn a_session_recorded_on_the_page_meets_the_cii_training_duty() {
    let app = App::new().await;
    let mut b = app.set_up().await;
    let net = app
        .network_with_events(
            serde_json::json!({"name": "电力调度控制系统", "level": 3, "stage": "running", "cii": true}),
            &[("launched", "2025-06-01")],
        )
        .await;
    let base = format!("/networks/{}/training", net.id);
    let detail = b.get(&format!("/networks/{}", net.id)).await;
    assert!(detail.body.contains(&format!(r#"href="{base}""#)));
    // The duty's row on the duties page leads to the records that meet it.
    let duties = b.get(&format!("/networks/{}/duties", net.id)).await;
    assert!(
        duties
            .body
            .contains(r#"id="training-link-csl.cii.training""#),
        "{}",
        duties.body
    );

    let page = b.get(&base).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(status(&page.body, "csl.cii.training"), "overdue");
    assert!(page.body.contains("未规定周期"), "{}", page.body);
    assert!(page.body.contains("人员与培训"));

    // A person without a name: 422 naming the field by its label; nothing written.
    let bad = b
        .post(
            &format!("{base}/staff"),
            &[("name", " "), ("position", "系统管理员"), ("key_post", "1")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("姓名"), "{}", bad.body);
    let org = app.first_org().await;
    assert!(app.store.list_staff(&org).await.unwrap().is_empty());

    let ok = b
        .post(
            &format!("{base}/staff"),
            &[
                ("name", "李明"),
                ("position", "系统管理员"),
                ("key_post", "1"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let staff = app.store.list_staff(&org).await.unwrap();
    assert_eq!(staff.len(), 1);
    assert!(staff[0].key_post);

    b.get(&base).await;
    let ok = b
        .post(
            &format!("{base}/key-posts"),
            &[("staff_id", staff[0].id.as_str()), ("post", "安全管理员")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(app.store.list_key_posts(&net.id).await.unwrap().len(), 1);
    b.get(&base).await;
    // Ten days ago: within the year the duty counts from, whenever the test runs.
    let recent = jiff::Timestamp::now()
        .in_tz("Asia/Shanghai")
        .unwrap()
        .date()
        .checked_sub(jiff::Span::new().days(10))
        .unwrap()
        .to_string();
    let session = |held_on: &str, hours: &'static str| {
        vec![
            ("held_on", held_on.to_string()),
            ("topic", "关键信息基础设施安全保护条例解读".to_string()),
            ("hours", hours.to_string()),
            ("trainer", "省网络安全协会 王工".to_string()),
            ("attendees", staff[0].id.clone()),
            ("link", String::new()),
        ]
    };
    let bad = b
        .post(
            &format!("{base}/sessions?lang=en"),
            &as_refs(&session(&recent, "30")),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("Hours"), "{}", bad.body);
    assert!(app
        .store
        .list_training_sessions(&net.id)
        .await
        .unwrap()
        .is_empty());
    b.get(&format!("{base}?lang=zh-CN")).await;
    let ok = b
        .post(
            &format!("{base}/sessions"),
            &as_refs(&session(&recent, "3.5")),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);

    let page = b.get(&base).await;
    assert_eq!(status(&page.body, "csl.cii.training"), "met");
    assert!(page.body.contains("关键信息基础设施安全保护条例解读"));
    assert!(page.body.contains("3.5"));
    let en = b.get(&format!("{base}?lang=en")).await;
    assert!(en.body.contains("Record a session"), "{}", en.body);
    assert!(en.body.contains("Training hours per person and year"));
    assert!(!en.body.contains("培训记录"), "{}", en.body);
}

fn as_refs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, x)| (*k, x.as_str())).collect()
}

/// The yearly plan on the training page (decision 1505): an item added with the form shows as
/// held once a session of its month and topic is recorded, another stays not held; the
/// approval is recorded; a month out of range is refused naming the field by its label.
#[tokio::test]
async fn the_yearly_plan_shows_planned_against_held() {
    let app = App::new().await;
    let mut b = app.set_up().await;
    let net = app
        .network_with_events(
            serde_json::json!({"name": "社保业务系统", "level": 3, "stage": "running"}),
            &[("launched", "2024-06-01")],
        )
        .await;
    let org = app.first_org().await;
    let li = app
        .store
        .add_staff(
            "test",
            &org,
            dengbao_store::StaffInput {
                name: "李明".into(),
                position: "系统管理员".into(),
                key_post: true,
            },
        )
        .await
        .unwrap()
        .id;
    app.store
        .add_training_session(
            "test",
            &net.id,
            dengbao_store::SessionInput {
                held_on: "2026-03-12".into(),
                topic: "网络安全法及等级保护制度解读".into(),
                hours: 2.0,
                trainer: "省网络安全协会 王工".into(),
                attendees: vec![li],
                evidence_id: None,
                link: None,
            },
        )
        .await
        .unwrap();
    let base = format!("/networks/{}/training", net.id);
    let page = b.get(&format!("{base}?year=2026")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("2026 年度培训计划"), "{}", page.body);
    assert!(page.body.contains(r#"id="plan-none""#), "{}", page.body);

    let item = |month: &'static str, topic: &'static str| {
        vec![
            ("year", "2026"),
            ("month", month),
            ("planned_on", ""),
            ("topic", topic),
            ("audience", "all"),
            ("role", ""),
            ("hours", "2"),
            ("trainer", "省网络安全协会 王工"),
        ]
    };
    let bad = b
        .post(
            &format!("{base}/plan"),
            &item("13", "网络安全法及等级保护制度解读"),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("计划月份"), "{}", bad.body);
    assert_eq!(
        app.store.training_plan(&org, 2026).await.unwrap().planned,
        0
    );
    for (month, topic) in [
        ("3", "网络安全法及等级保护制度解读"),
        ("9", "数据安全法解读"),
    ] {
        b.get(&format!("{base}?year=2026")).await;
        let ok = b.post(&format!("{base}/plan"), &item(month, topic)).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    }
    b.get(&format!("{base}?year=2026")).await;
    let ok = b
        .post(
            &format!("{base}/plan/approve"),
            &[
                ("year", "2026"),
                ("approved_by", "信息中心主任 刘强"),
                ("approved_on", "2026-01-10"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);

    let page = b.get(&format!("{base}?year=2026")).await;
    let held: Vec<&str> = page
        .body
        .match_indices(r#"data-held=""#)
        .map(|(i, m)| {
            let s = &page.body[i + m.len()..];
            &s[..s.find('"').unwrap()]
        })
        .collect();
    assert_eq!(held, vec!["true", "false"], "{}", page.body);
    assert!(page.body.contains("是（2026-03-12）"), "{}", page.body);
    assert!(page.body.contains("已批准：信息中心主任 刘强 · 2026-01-10"));
    // 持证上岗 is among the page's duties.
    assert!(page.body.contains(r#"id="duty-mlps.l3.certificates""#));
    let en = b.get(&format!("{base}?year=2026&lang=en")).await;
    assert!(en.body.contains("Training plan 2026"), "{}", en.body);
    assert!(en.body.contains("Yes (2026-03-12)"), "{}", en.body);
}

/// The 2017 work plan's 13 points are listed on the training page with what the organisation
/// recorded for the year shown (decision 1506).
#[tokio::test]
async fn the_work_plan_checklist_shows_what_was_recorded() {
    let app = App::new().await;
    let mut b = app.set_up().await;
    let net = app
        .network_with_events(
            serde_json::json!({"name": "政务外网门户", "level": 2, "stage": "running"}),
            &[("launched", "2025-06-01")],
        )
        .await;
    let org = app.first_org().await;
    app.store
        .set_work_plan_task(
            "test",
            &org,
            2026,
            "001-wp-04",
            &dengbao_store::WorkPlanTaskInput {
                status: dengbao_store::WorkPlanStatus::Done,
                owner: "法制科 张敏".into(),
                note: String::new(),
                evidence: "学法用法培训签到表.pdf".into(),
            },
        )
        .await
        .unwrap();
    let page = b
        .get(&format!("/networks/{}/training?year=2026", net.id))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.body.matches("<tr class=\"wp-").count(), 13);
    assert_eq!(page.body.matches("data-status=\"done\"").count(), 1);
    assert!(page.body.contains("学法用法培训签到表.pdf"));
    let other = b
        .get(&format!("/networks/{}/training?year=2025", net.id))
        .await;
    assert_eq!(other.body.matches("data-status=\"done\"").count(), 0);
}
