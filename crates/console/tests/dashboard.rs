//! The dashboard on many networks: overdue duties (longest overdue first) and duties due
//! soon (soonest first) in two tables of 50 rows a page, every row dated or saying why not;
//! the 30- and 90-day counts leave the overdue out; fines are given per network, never
//! added up across networks.

mod common;

use common::App;

/// The table `id`'s body rows.
fn rows<'a>(body: &'a str, id: &str) -> Vec<&'a str> {
    let Some(table) = body.split(&format!("<table id=\"{id}\">")).nth(1) else {
        return Vec::new();
    };
    let table = table.split("</table>").next().unwrap_or_default();
    table.split("<tr class=\"st-").skip(1).collect()
}

#[tokio::test]
async fn overdue_and_due_soon_are_listed_apart_paged_and_fined_per_network() {
    let app = App::new().await;
    let mut admin = app.set_up().await;
    // Thirty level-3 networks launched long ago with nothing done: each has many overdue
    // duties, more than one page.
    for i in 0..30 {
        app.network_with_events(
            serde_json::json!({"name": format!("网络{i:02}"), "level": 3, "stage": "running"}),
            &[("graded", "2026-01-05"), ("launched", "2026-02-02")],
        )
        .await;
    }
    // One network graded today: its filing is due within 10 working days, not overdue.
    let today = dengbao_calendar::today_in_shanghai();
    app.network_with_events(
        serde_json::json!({"name": "新定级网络", "level": 2, "stage": "building"}),
        &[("graded", &today.to_string())],
    )
    .await;

    let page = admin.get("/").await.body;
    let overdue = rows(&page, "overdue");
    assert_eq!(overdue.len(), 50, "a page is 50 rows");
    assert!(overdue.iter().all(|r| r.starts_with("overdue")));
    assert!(page.contains("id=\"overdue-pager\"") && page.contains("第1页"));
    let due = rows(&page, "deadlines");
    assert!(
        due.iter().any(|r| r.contains("新定级网络")),
        "the new network's filing is listed as due soon"
    );
    assert!(due.iter().all(|r| r.starts_with("due")));

    // The 30-day count is the due table's near rows, not the overdue.
    let card = |id: &str| -> usize {
        let at = page.find(&format!("id=\"card-{id}\"")).unwrap();
        let num = &page[at..];
        let start = num.find("class=\"num\">").unwrap() + "class=\"num\">".len();
        num[start..start + num[start..].find('<').unwrap()]
            .parse()
            .unwrap()
    };
    assert!(card("due30") >= 1);
    assert!(
        card("due30") < 50,
        "overdue duties are not counted as due in 30 days"
    );
    assert_eq!(card("exposure"), 30, "thirty networks face fines");

    // Page 2 of the overdue table continues; the due table stays where it was.
    let second = admin.get("/?op=2&dp=1").await.body;
    let overdue2 = rows(&second, "overdue");
    assert!(!overdue2.is_empty());
    assert_ne!(overdue2[0], overdue[0]);
    assert!(second.contains("第2页"));

    // Fines per network: one row per exposed network, each its own range.
    let exposure = page.split("<table id=\"exposure\">").nth(1).unwrap();
    assert_eq!(exposure.matches("<tr id=\"exposure-").count(), 30);
    assert!(!exposure.contains("新定级网络"));
}
