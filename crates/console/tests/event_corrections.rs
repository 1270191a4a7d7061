//! Events are corrected or voided with a reason, never edited away: the original stays on
//! the page struck through with the reason, the audit log holds both, and deadlines follow
//! the event that counts. A second 上线运行 is refused instead of moving every
//! "before launch" deadline to its date. Refused corrections write nothing.

mod common;

use axum::http::StatusCode;
use common::{audited, App};

#[tokio::test]
async fn a_wrong_launch_date_is_corrected_and_the_original_kept() {
    let app = App::new().await;
    let mut admin = app.set_up().await;
    let net = app
        .network_with_events(
            serde_json::json!({"name": "会员服务平台", "level": 3, "stage": "running"}),
            &[("graded", "2026-03-02"), ("launched", "2026-06-01")],
        )
        .await;
    let page = format!("/networks/{}", net.id);
    let events = |app: &App| {
        let store = app.store.clone();
        let id = net.id.clone();
        async move { store.list_events(&id).await.unwrap() }
    };
    let launch = events(&app)
        .await
        .into_iter()
        .find(|e| e.kind == "launched")
        .unwrap();
    let graded = events(&app)
        .await
        .into_iter()
        .find(|e| e.kind == "graded")
        .unwrap();

    // A second launch is refused, naming the record to correct; nothing is written.
    admin.get(&page).await;
    let dup = admin
        .post(
            &format!("{page}/events"),
            &[("kind", "launched"), ("at", "2026-11-30"), ("note", "")],
        )
        .await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", dup.body);
    assert!(
        dup.body.contains("2026-06-01"),
        "names the recorded launch: {}",
        dup.body
    );
    assert!(dup.body.contains("更正或作废原记录"));
    assert_eq!(events(&app).await.len(), 2);

    // A correction without a reason is refused, and so is a grading moved into the future
    // (a launch may be planned, a grading is done).
    let tomorrow = dengbao_calendar::today_in_shanghai()
        .checked_add(jiff::Span::new().days(1))
        .unwrap()
        .to_string();
    for (event, at, reason, field) in [
        (&launch.id, "2026-05-18", "  ", "reason"),
        (&graded.id, tomorrow.as_str(), "定级日期录错", "at"),
    ] {
        admin.get(&page).await;
        let bad = admin
            .post(
                &format!("{page}/events/{event}/correct"),
                &[("at", at), ("reason", reason)],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.body.contains(field), "{}", bad.body);
    }
    assert!(events(&app).await.iter().all(|e| e.voided.is_none()));
    assert!(audited(&app.store, "event.correct").await.is_empty());

    // The launch was on 18 May: the correction replaces it, the original stays on record.
    admin.get(&page).await;
    let ok = admin
        .post(
            &format!("{page}/events/{}/correct", launch.id),
            &[
                ("at", "2026-05-18"),
                ("reason", "上线日期录入错误，以上线通知为准"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let after = events(&app).await;
    assert_eq!(after.len(), 3);
    let original = after.iter().find(|e| e.id == launch.id).unwrap();
    let voided = original.voided.as_ref().expect("the original is voided");
    assert_eq!(voided.reason, "上线日期录入错误，以上线通知为准");
    let replacement = after
        .iter()
        .find(|e| Some(&e.id) == voided.replaced_by.as_ref())
        .unwrap();
    assert_eq!(
        (replacement.kind.as_str(), replacement.at.as_str()),
        ("launched", "2026-05-18")
    );
    let counted = app.store.profile_events(&net.id).await.unwrap();
    assert_eq!(
        counted.get("launched").map(String::as_str),
        Some("2026-05-18")
    );

    let shown = admin.get(&page).await;
    let row = shown
        .body
        .split(&format!("<tr id=\"event-{}\"", launch.id))
        .nth(1)
        .unwrap();
    assert!(row.starts_with(" class=\"voided\""), "{row}");
    assert!(row.contains("上线日期录入错误"));
    let entries = audited(&app.store, "event.correct").await;
    assert_eq!(entries.len(), 1);
    assert!(entries[0].detail.contains("2026-06-01") && entries[0].detail.contains("2026-05-18"));

    // A voided event no longer counts; voiding it again is refused.
    admin.get(&page).await;
    let void = admin
        .post(
            &format!("{page}/events/{}/void", graded.id),
            &[("reason", "重复录入")],
        )
        .await;
    assert_eq!(void.status, StatusCode::SEE_OTHER, "{}", void.body);
    assert!(!app
        .store
        .profile_events(&net.id)
        .await
        .unwrap()
        .contains_key("graded"));
    admin.get(&page).await;
    let again = admin
        .post(
            &format!("{page}/events/{}/void", graded.id),
            &[("reason", "再次作废")],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(audited(&app.store, "event.void").await.len(), 1);
}
