//! A refused form writes nothing: the grading saved with an impossible date answers 422
//! and leaves the network's level, its events and the audit log as they were.

mod common;

use axum::http::StatusCode;
use common::{audited, App};

#[tokio::test]
async fn a_grading_with_an_impossible_date_changes_nothing() {
    let app = App::new().await;
    let mut admin = app.set_up().await;
    let net = app
        .network(serde_json::json!({"name": "会员服务平台", "level": 2, "stage": "running"}))
        .await;
    let form = |graded_on: &'static str| {
        [
            ("basis", "gbt22240-2020"),
            ("bo", "order"),
            ("bd", "serious"),
            ("so", "order"),
            ("sd", "serious"),
            ("graded_on", graded_on),
        ]
    };
    admin.get(&format!("/networks/{}", net.id)).await;
    let bad = admin
        .post(
            &format!("/networks/{}/grading", net.id),
            &form("2026-02-30"),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(
        bad.body.contains("graded_on"),
        "the message names the field"
    );
    let after = app.store.get_network(&net.id).await.unwrap();
    assert_eq!(after.profile, net.profile, "the level is unchanged");
    assert!(app.store.list_events(&net.id).await.unwrap().is_empty());
    assert!(audited(&app.store, "network.grade").await.is_empty());
    assert!(audited(&app.store, "network.update").await.is_empty());

    // The same grading with a real date is saved whole: level 3 and the graded event.
    admin.get(&format!("/networks/{}", net.id)).await;
    let ok = admin
        .post(
            &format!("/networks/{}/grading", net.id),
            &form("2026-02-27"),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let after = app.store.get_network(&net.id).await.unwrap();
    assert_eq!(after.profile.level.map(|l| l.get()), Some(3));
    let events = app.store.list_events(&net.id).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].kind.as_str(), events[0].at.as_str()),
        ("graded", "2026-02-27")
    );
    assert_eq!(audited(&app.store, "network.grade").await.len(), 1);
}

/// Past-tense events are refused when dated in the future (a grading 20 days ahead, a
/// 最近一次等级测评 in 2030), naming the field and writing nothing; a planned launch may be
/// in the future.
#[tokio::test]
async fn past_tense_events_refuse_future_dates() {
    let app = App::new().await;
    let mut admin = app.set_up().await;
    let net = app
        .network(serde_json::json!({"name": "会员服务平台", "level": 2, "stage": "building"}))
        .await;
    let today = dengbao_calendar::today_in_shanghai();
    let ahead = today
        .checked_add(jiff::Span::new().days(20))
        .unwrap()
        .to_string();
    let page = format!("/networks/{}", net.id);

    admin.get(&page).await;
    let grading = admin
        .post(
            &format!("/networks/{}/grading", net.id),
            &[
                ("basis", "gbt22240-2020"),
                ("bo", "order"),
                ("bd", "serious"),
                ("so", "order"),
                ("sd", "serious"),
                ("graded_on", ahead.as_str()),
            ],
        )
        .await;
    assert_eq!(
        grading.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        grading.body
    );
    assert!(grading.body.contains("graded_on"), "names the field");
    assert!(
        grading.body.contains("已发生的事件不能填将来日期"),
        "{}",
        grading.body
    );
    assert_eq!(
        app.store.get_network(&net.id).await.unwrap().profile,
        net.profile
    );

    for (kind, at) in [("last_assessment", "2030-06-01"), ("filed", ahead.as_str())] {
        admin.get(&page).await;
        let event = admin
            .post(
                &format!("/networks/{}/events", net.id),
                &[("kind", kind), ("at", at), ("note", "")],
            )
            .await;
        assert_eq!(
            event.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{kind}: {}",
            event.body
        );
        assert!(
            event.body.contains("已发生的事件不能填将来日期"),
            "{}",
            event.body
        );
    }
    assert!(app.store.list_events(&net.id).await.unwrap().is_empty());
    assert!(audited(&app.store, "network.grade").await.is_empty());
    assert!(audited(&app.store, "event.add").await.is_empty());

    // Today is not the future, and a launch may be planned.
    for (kind, at) in [
        ("last_self_inspection", today.to_string()),
        ("launched", ahead.clone()),
    ] {
        admin.get(&page).await;
        let event = admin
            .post(
                &format!("/networks/{}/events", net.id),
                &[("kind", kind), ("at", at.as_str()), ("note", "")],
            )
            .await;
        assert_eq!(
            event.status,
            StatusCode::SEE_OTHER,
            "{kind}: {}",
            event.body
        );
    }
    assert_eq!(app.store.list_events(&net.id).await.unwrap().len(), 2);
}

/// A graded level changes only by grading again: the network form cannot move a graded
/// level-3 CII network down to level 1 (it would drop off the supervisor's inspection list
/// while its filing still says 第三级); grading it again records a regrading (变更等级).
#[tokio::test]
async fn a_graded_level_is_not_edited_in_the_network_form() {
    let app = App::new().await;
    let mut admin = app.set_up().await;
    let net = app
        .network_with_events(
            serde_json::json!({"name": "电力调度系统", "level": 3, "stage": "running", "cii": true}),
            &[("graded", "2026-03-02")],
        )
        .await;
    let edit = format!("/networks/{}/edit", net.id);
    admin.get(&edit).await;
    let down = admin
        .post(
            &edit,
            &[
                ("name", "电力调度系统"),
                ("stage", "running"),
                ("classified", "none"),
                ("level", "1"),
                ("cii", "on"),
            ],
        )
        .await;
    assert_eq!(
        down.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        down.body
    );
    assert!(down.body.contains("level") && down.body.contains("重新定级"));
    let after = app.store.get_network(&net.id).await.unwrap();
    assert_eq!(after.profile.level.map(|l| l.get()), Some(3));
    assert!(audited(&app.store, "network.update").await.is_empty());

    // Grading again to level 2 is a regrading, dated and audited.
    admin.get(&format!("/networks/{}", net.id)).await;
    let regrade = admin
        .post(
            &format!("/networks/{}/grading", net.id),
            &[
                ("basis", "gbt22240-2020"),
                ("bo", "rights"),
                ("bd", "serious"),
                ("so", "rights"),
                ("sd", "serious"),
                ("graded_on", "2026-11-30"),
            ],
        )
        .await;
    assert_eq!(regrade.status, StatusCode::SEE_OTHER, "{}", regrade.body);
    let events = app.store.profile_events(&net.id).await.unwrap();
    assert_eq!(
        events.get("regraded").map(String::as_str),
        Some("2026-11-30")
    );
    assert_eq!(events.get("graded").map(String::as_str), Some("2026-03-02"));
}

/// The related laws' two profile facts are kept from the form: important data, and how many
/// people's personal information the network handles; a negative count is refused.
#[tokio::test]
async fn the_network_form_keeps_important_data_and_the_people_count() {
    let app = App::new().await;
    let mut admin = app.set_up().await;
    let net = app
        .network(serde_json::json!({"name": "会员服务平台", "level": 3, "stage": "running"}))
        .await;
    let edit = format!("/networks/{}/edit", net.id);
    let form = |people: &'static str| {
        [
            ("name", "会员服务平台"),
            ("stage", "running"),
            ("classified", "none"),
            ("level", "3"),
            ("flag", "personal_info"),
            ("flag", "important_data"),
            ("personal_info_people", people),
        ]
    };
    admin.get(&edit).await;
    let bad = admin.post(&edit, &form("-5")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("personal_info_people"));
    // The form comes back as sent, the message beside the field, in Chinese only.
    assert!(
        bad.body.contains(r#"id="error-personal_info_people""#),
        "{}",
        bad.body
    );
    assert!(bad.body.contains(r#"value="-5""#), "{}", bad.body);
    assert!(
        bad.body
            .contains(r#"value="important_data" id="flag-important_data" checked"#),
        "{}",
        bad.body
    );
    assert!(!bad.body.contains("invalid"), "{}", bad.body);
    assert!(
        !app.store
            .get_network(&net.id)
            .await
            .unwrap()
            .profile
            .important_data
    );
    admin.get(&edit).await;
    let ok = admin.post(&edit, &form("12000000")).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let p = app.store.get_network(&net.id).await.unwrap().profile;
    assert!(p.important_data);
    assert_eq!(p.personal_info_people, Some(12_000_000));
    // The duty engine reads them: the important-data duties now apply to the network.
    let duties = admin
        .get(&format!("/networks/{}/duties", net.id))
        .await
        .body;
    let row = duties
        .split("<tr id=\"duty-data.important.security_officer\"")
        .nth(1)
        .expect("the important-data duty is listed");
    assert!(
        !row.starts_with(" class=\"st-not_applicable\""),
        "{}",
        &row[..80]
    );
    // The form shows them back.
    let shown = admin.get(&edit).await.body;
    assert!(
        shown.contains("value=\"12000000\"")
            && shown.contains("id=\"flag-important_data\" checked")
    );
}

/// The filing form, refused for one field, comes back with every value typed and the
/// message beside that field, in the page's language.
#[tokio::test]
async fn a_refused_filing_comes_back_whole_with_the_message_beside_its_field() {
    let app = App::new().await;
    let mut admin = app.set_up().await;
    let net = app
        .network(serde_json::json!({"name": "会员服务平台", "level": 3, "stage": "running"}))
        .await;
    let organ = common::user_with_password(
        &app.store,
        "网安支队",
        dengbao_store::Role::Supervisor,
        vec![],
        "a long enough passphrase",
    )
    .await;
    let page = format!("/filing/{}", net.id);
    admin.get(&page).await;
    let bad = admin
        .post(
            &page,
            &[
                ("supervisor_id", organ.as_str()),
                ("submitted_on", "2026-09-28"),
                ("credit_code", "914403001922038217"),
                ("address", "甲市人民路1号"),
                ("unit_type", "企业"),
                ("boundary", "互联网出口防火墙以内"),
                ("attachments", "定级报告"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(
        bad.body.contains(r#"id="error-credit_code""#),
        "{}",
        bad.body
    );
    for kept in [
        r#"value="914403001922038217""#,
        r#"value="甲市人民路1号""#,
        r#"<option value="企业" selected>"#,
        "互联网出口防火墙以内</textarea>",
        r#"value="定级报告" checked"#,
    ] {
        assert!(bad.body.contains(kept), "{kept} not kept:\n{}", bad.body);
    }
    assert!(bad.body.contains("校验码"), "{}", bad.body);
    assert!(
        !bad.body.contains("check character"),
        "one language: {}",
        bad.body
    );
    assert!(app.store.list_filings(&net.id).await.unwrap().is_empty());
}

/// A refused form comes back on its own page, in the page's language, with what was typed
/// and the message beside the field it names (issue 16 item 5) — in English here.
#[tokio::test]
async fn a_refused_event_comes_back_filled_in_with_the_message_beside_the_date() {
    let app = App::new().await;
    let mut admin = app.set_up().await;
    let net = app
        .network(serde_json::json!({"name": "会员服务平台", "level": 2, "stage": "running"}))
        .await;
    let page = format!("/networks/{}?lang=en", net.id);
    admin.get(&page).await;
    let r = admin
        .post(
            &format!("/networks/{}/events", net.id),
            &[
                ("kind", "last_assessment"),
                ("at", "2030-06-01"),
                ("note", "报告 <第 7 号> & 附件"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let body = &r.body;
    assert!(body.contains("<nav"), "the navigation is kept");
    assert!(body.contains(r#"<html lang="en""#), "{body}");
    // The date typed, marked invalid, the message right after it, in English only.
    let at = body
        .find(r#"value="2030-06-01""#)
        .expect("the date is kept");
    let tag_end = at + body[at..].find('>').unwrap();
    assert!(
        body[at..tag_end].contains(r#"aria-invalid="true""#),
        "{body}"
    );
    let note = &body[tag_end + 1..];
    assert!(
        note.starts_with(r#"<span class="error field-error" id="error-at" role="alert">"#),
        "{}",
        &note[..200.min(note.len())]
    );
    let message = &note[..note.find("</span>").unwrap()];
    assert!(message.contains("future"), "{message}");
    assert!(!message.contains("已发生"), "one language: {message}");
    assert!(
        body.contains("<option value=\"last_assessment\" selected>"),
        "the kind is kept"
    );
    assert!(
        body.contains("报告 &lt;第 7 号&gt; &amp; 附件"),
        "the note is kept, escaped"
    );
    assert!(app.store.list_events(&net.id).await.unwrap().is_empty());
}
