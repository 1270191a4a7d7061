//! The working-day calendar on the console: a deadline that runs into a year without a
//! State Council notice is shown as provisional, with the note; an administrator loads the
//! year's notice through the form (validated, audited, nothing written when refused), and
//! the deadline on the network page, a filing's review deadline and a rectification order's
//! deadline are recomputed with it.

mod common;

use axum::http::StatusCode;
use common::{audited, App};
use dengbao_store::events::EventInput;
use dengbao_store::filings::FilingInput;
use dengbao_store::Role;

fn zh_date(d: jiff::civil::Date) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

#[tokio::test]
async fn a_provisional_deadline_is_marked_and_corrected_when_the_notice_is_loaded() {
    // The first year without a notice (2027 while the builtin data ends with 2026).
    let builtin = dengbao_calendar::Calendar::builtin().unwrap();
    let year = *builtin
        .provisional_years()
        .expect("provisional years")
        .start();
    let graded: jiff::civil::Date = format!("{}-12-24", year - 1).parse().unwrap();
    // Grading is past-tense: the store is set to the day the page is looked at.
    let looked_at: jiff::civil::Date = format!("{}-12-28", year - 1).parse().unwrap();
    let app = App::at(
        looked_at
            .to_zoned_datetime(dengbao_calendar::shanghai())
            .unwrap()
            .timestamp(),
    )
    .await;
    let mut admin = app.set_up().await;
    let cal = app.state.calendar.get();
    let filing_due = cal.deadline(graded, 10).unwrap();
    assert!(filing_due.provisional, "{filing_due:?}");

    let net = app
        .network(serde_json::json!({"name": "会员服务平台", "level": 3, "stage": "running"}))
        .await
        .id;
    app.store
        .add_event(
            "test",
            &net,
            EventInput {
                kind: "graded".into(),
                at: graded.to_string(),
                note: String::new(),
            },
        )
        .await
        .unwrap();
    let supervisor = common::user_with_password(
        &app.store,
        "网安支队",
        Role::Supervisor,
        vec![],
        "supervisor password 1",
    )
    .await;
    let filing = app
        .store
        .submit_filing(
            "test",
            &net,
            FilingInput {
                supervisor_id: supervisor,
                submitted_on: graded.to_string(),
                form: Default::default(),
                note: String::new(),
            },
            filing_due.date,
        )
        .await
        .unwrap();
    let order_due = cal.deadline(graded, 15).unwrap();
    let order = app
        .store
        .issue_order(
            "test",
            &net,
            vec!["日志留存不足".into()],
            graded,
            order_due.date,
            Some(15),
        )
        .await
        .unwrap();

    // Before the notice: the network page shows the date, marked provisional, with the note.
    let at = format!("/networks/{net}?at={}-12-28", year - 1);
    let page = admin.get(&at).await;
    assert_eq!(page.status, StatusCode::OK);
    let row = page
        .body
        .split("<tr id=\"deadline-")
        .find(|r| r.contains(&zh_date(filing_due.date)))
        .unwrap_or_else(|| panic!("{} on the page", zh_date(filing_due.date)));
    assert!(row.contains("badge provisional"), "{row}");
    assert!(page
        .body
        .contains("暂按法定节假日和周末计算，待国务院通知发布后校正"));
    let calendar_page = admin.get("/admin/calendar").await;
    assert_eq!(calendar_page.status, StatusCode::OK);
    assert!(calendar_page
        .body
        .contains(&format!("<tr id=\"year-{year}\" class=\"provisional\"")));

    // A refused notice writes nothing: an adjusted workday on a weekday.
    let file = app.dir.path().join(format!("calendar/{year}.toml"));
    let bad = admin
        .post(
            "/admin/calendar",
            &[
                ("year", &year.to_string()),
                ("title", "测试用通知（非真实通知）"),
                ("published", &format!("{}-11-01", year - 1)),
                (
                    "holidays",
                    &format!("元旦 {year}-01-01 {year}-01-08 {year}-01-05"),
                ),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("第1行"),
        "the message names the form line"
    );
    assert!(!file.exists());
    assert!(audited(&app.store, "calendar.load").await.is_empty());
    assert!(app.state.calendar.get().is_provisional(filing_due.date));

    // The notice (a test fixture: New Year off 1–8 January) replaces the provisional year.
    let ok = admin
        .post(
            "/admin/calendar",
            &[
                ("year", &year.to_string()),
                ("title", "测试用通知（非真实通知）"),
                ("number", "测试〔0〕1号"),
                ("published", &format!("{}-11-01", year - 1)),
                ("holidays", &format!("元旦 {year}-01-01 {year}-01-08")),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert!(file.exists());
    let now = app.state.calendar.get();
    assert!(!now.is_provisional(filing_due.date));
    let corrected = now.deadline(graded, 10).unwrap();
    assert!(!corrected.provisional);
    assert!(
        corrected.date > filing_due.date,
        "{corrected:?} after {filing_due:?}"
    );

    let page = admin.get(&at).await;
    let row = page
        .body
        .split("<tr id=\"deadline-")
        .find(|r| r.contains(&zh_date(corrected.date)))
        .unwrap_or_else(|| panic!("{} on the page", zh_date(corrected.date)));
    assert!(!row.contains("badge provisional"), "{row}");
    assert!(!page.body.contains(&zh_date(filing_due.date)));

    // The stored deadlines moved with it, in one audited change.
    let filings = app.store.list_filings(&net).await.unwrap();
    let f = filings.iter().find(|f| f.id == filing.id).unwrap();
    assert_eq!(f.review_due, corrected.date.to_string());
    let orders = app.store.list_orders(&net).await.unwrap();
    let o = orders.iter().find(|o| o.id == order.id).unwrap();
    assert_eq!(o.due, now.add_workdays(graded, 15).unwrap().to_string());
    assert_ne!(o.due, order_due.date.to_string());
    let entries = audited(&app.store, "calendar.load").await;
    assert_eq!(entries.len(), 1);
    let detail: serde_json::Value = serde_json::from_str(&entries[0].detail).unwrap();
    let moved = detail["moved_deadlines"].as_array().unwrap();
    assert_eq!(moved.len(), 2, "{moved:?}");

    // A restart reads the loaded notice from the data directory.
    let again = app.restart().await;
    assert!(!again.state.calendar.get().is_provisional(filing_due.date));
}
