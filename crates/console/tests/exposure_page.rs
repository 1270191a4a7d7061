//! The penalty exposure's own pages (issue 16 item 5): a network's, and the organisation's
//! with each network's fines apart. A breach overdue since 2025 is fined under the 2016 text
//! and one since 2026 under the amended text, each saying why (从旧兼从轻).

mod common;

use axum::http::StatusCode;
use common::App;

/// The HTML of the element with `id`, up to its `</tr>`.
fn row(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!(r#"id="{id}""#))?;
    let end = html[at..].find("</tr>")? + at;
    Some(html[at..end].to_string())
}

#[tokio::test]
async fn each_fine_shows_its_basis_its_version_and_each_network_its_own_total() {
    let app = App::new().await;
    let mut b = app.set_up().await;
    let old = app
        .network_with_events(
            serde_json::json!({"name": "会员服务平台", "level": 3, "stage": "running"}),
            &[
                ("launched", "2024-06-01"),
                ("last_assessment", "2024-05-20"),
            ],
        )
        .await;
    let new = app
        .network_with_events(
            serde_json::json!({"name": "网上支付平台", "level": 3, "stage": "running"}),
            &[
                ("launched", "2025-06-01"),
                ("last_assessment", "2025-05-20"),
            ],
        )
        .await;

    let page = b
        .get(&format!("/networks/{}/exposure?at=2026-11-25", old.id))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("罚款风险：会员服务平台"),
        "{}",
        page.body
    );
    let yearly = row(
        &page.body,
        &format!("exposure-{}-mlps.assessment.yearly", old.id),
    )
    .expect("the missed yearly assessment");
    // Overdue since 2025-05-20: the 2016 text's 第五十九条, with the reasoning.
    assert!(yearly.contains("2025年5月21日"), "{yearly}");
    assert!(yearly.contains("第五十九条第一款"), "{yearly}");
    assert!(yearly.contains("从旧"), "{yearly}");

    let all = b.get("/exposure?at=2026-11-25").await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    for n in [&old, &new] {
        assert!(
            all.body
                .contains(&format!(r#"id="exposure-total-{}""#, n.id)),
            "a total of its own for {}",
            n.profile.name
        );
    }
    let newer = row(
        &all.body,
        &format!("exposure-{}-mlps.assessment.yearly", new.id),
    )
    .expect("the newer network's missed assessment");
    // Overdue since 2026-05-21: the amended text's 第六十一条第一款.
    assert!(newer.contains("第六十一条第一款"), "{newer}");

    let en = b
        .get(&format!(
            "/networks/{}/exposure?at=2026-11-25&lang=en",
            old.id
        ))
        .await;
    assert_eq!(en.status, StatusCode::OK, "{}", en.body);
    assert!(en.body.contains("Penalty exposure"), "{}", en.body);
}
