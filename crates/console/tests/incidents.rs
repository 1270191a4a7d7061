//! One incident driven through the console from opening to the summary: a level-3 CII
//! operator's 较大 leak of personal information owes several reports at once (1 hour to the
//! protection department and the police, 24 hours to the local police, the notices of
//! 个人信息保护法 第五十七条, follow-ups, the summary within 30 days of the end of handling);
//! each send recorded on the page turns its clock to met. Refused input names the field in
//! the page's language and writes nothing; the reports download as DOCX.

mod common;

use axum::http::StatusCode;
use common::{text_of, App};

/// The state (`data-state`) of the report `id` on an incident page.
fn clock(html: &str, id: &str) -> String {
    let at = html
        .find(&format!(r#"id="clock-{id}""#))
        .unwrap_or_else(|| panic!("no report {id} on the page"));
    let rest = &html[at..];
    let s = rest.find(r#"data-state=""#).unwrap() + r#"data-state=""#.len();
    rest[s..s + rest[s..].find('"').unwrap()].to_string()
}

/// The reports the send form offers (the operator's own).
fn owed(html: &str) -> Vec<String> {
    let start = html.find(r#"id="send-report""#).unwrap();
    let end = start + html[start..].find("</select>").unwrap();
    html[start..end]
        .split(r#"<option value=""#)
        .skip(1)
        .map(|o| o[..o.find('"').unwrap()].to_string())
        .collect()
}

#[tokio::test]
async fn a_cii_leak_is_opened_reported_clock_by_clock_and_closed_from_the_console() {
    let app = App::new().await;
    let mut b = app.set_up().await;
    let net = app
        .network(
            serde_json::json!({"name": "会员平台", "level": 3, "stage": "running",
            "cii": true, "personal_info": true}),
        )
        .await;
    let base = format!("/networks/{}/incidents", net.id);
    let detail = b.get(&format!("/networks/{}", net.id)).await;
    assert!(detail.body.contains(&format!(r#"href="{base}""#)));

    // A negative count is refused naming the field in Chinese; nothing is written.
    b.get(&base).await;
    let bad = b
        .post(
            &base,
            &[
                ("title", "会员数据库遭拖库"),
                ("detected_at", "2026-05-31T22:15"),
                ("category", "data_security"),
                ("personal_info_records", "-5"),
                ("by", "张三"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("个人信息泄露人数"), "{}", bad.body);
    assert!(app
        .store
        .list_incidents(Some(&net.id))
        .await
        .unwrap()
        .is_empty());

    let opened = b
        .post(
            &base,
            &[
                ("title", "会员数据库遭拖库"),
                ("detected_at", "2026-05-31T22:15"),
                ("category", "data_security"),
                ("personal_info_records", "1000000"),
                ("affected_data", "姓名、手机号码"),
                ("by", "张三"),
            ],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let page = opened.location.clone();
    let html = b.get(&page).await.body;
    assert_eq!(text_of(&html, "incident-grade").as_deref(), Some("较大"));
    assert!(html.contains("泄露100万人以上公民个人信息"), "the reason");
    assert!(html.contains("《国家网络安全事件报告管理办法》第四条第二款"));
    for id in [
        "cac-irm.cii.protection_department",
        "cac-irm.cii.public_security",
        "mlps.police_24h",
    ] {
        assert_eq!(clock(&html, id), "overdue", "{id}");
    }
    assert_eq!(clock(&html, "pipl.user_notice"), "untimed");
    let reports = owed(&html);
    for id in [
        "cac-irm.cii.protection_department",
        "cac-irm.cii.public_security",
        "mlps.police_24h",
        "cac-irm.follow_up",
        "cac-irm.summary",
        "pipl.authority_notice",
        "pipl.user_notice",
    ] {
        assert!(reports.contains(&id.to_string()), "{id} in {reports:?}");
    }

    // The summary waits for the end of handling; once it is recorded, every send turns
    // its report's clock to met.
    let graded = b
        .post(
            &format!("{page}/grade"),
            &[("handling_ended_at", "2026-06-03T18:00"), ("by", "李四")],
        )
        .await;
    assert_eq!(graded.status, StatusCode::SEE_OTHER, "{}", graded.body);
    for id in &reports {
        let at = if id == "cac-irm.summary" {
            "2026-06-10T10:00"
        } else {
            "2026-05-31T22:50"
        };
        b.get(&page).await;
        let sent = b
            .post(
                &format!("{page}/reports"),
                &[
                    ("report", id),
                    ("sent_at", at),
                    ("channel", "书面"),
                    ("by", "张三"),
                ],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{id}: {}", sent.body);
        let html = b.get(&page).await.body;
        assert_eq!(clock(&html, id), "met", "{id}");
    }
    let en = b.get(&format!("{page}?lang=en")).await.body;
    assert!(en.contains("met (sent"), "{en}");
    b.get(&format!("{page}?lang=zh-CN")).await;

    // The reports download as DOCX from the page's links.
    let html = b.get(&page).await.body;
    for kind in ["initial", "follow_up", "summary", "user_notice"] {
        let href = format!(
            "/api/networks/{}/incidents/{}/reports/{kind}.docx",
            net.id,
            page.rsplit('/').next().unwrap()
        );
        assert!(html.contains(&href), "{kind} link");
        let d = b.get(&href).await;
        assert_eq!(d.status, StatusCode::OK, "{kind}");
    }

    let closed = b
        .post(
            &format!("{page}/close"),
            &[("closed_at", "2026-06-11T09:00"), ("by", "李四")],
        )
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.body);
    let html = b.get(&page).await.body;
    assert_eq!(text_of(&html, "incident-state").as_deref(), Some("已结案"));
    assert!(!html.contains(r#"id="incident-send-form""#));
}

#[tokio::test]
async fn a_report_not_yet_due_shows_the_hours_left() {
    let app = App::new().await;
    let mut b = app.set_up().await;
    let net = app
        .network(serde_json::json!({"name": "办公系统", "level": 2, "stage": "running"}))
        .await;
    let base = format!("/networks/{}/incidents", net.id);
    let an_hour_ago =
        dengbao_calendar::in_shanghai(jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1))
            .strftime("%Y-%m-%dT%H:%M")
            .to_string();
    b.get(&base).await;
    let opened = b
        .post(
            &base,
            &[
                ("title", "机房断电"),
                ("detected_at", &an_hour_ago),
                ("category", "data_security"),
                ("by", "张三"),
            ],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let html = b.get(&opened.location).await.body;
    assert_eq!(clock(&html, "mlps.police_24h"), "due");
    assert!(html.contains("待报送（剩余"), "{html}");
}
