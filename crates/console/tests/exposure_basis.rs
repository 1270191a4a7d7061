//! The duty timeline cites each fine's whole legal basis: a level-3 network that missed its
//! yearly assessment (条例 第二十三条) in 2026 shows 第六十三条第二款、第一款, then 依照
//! 《网络安全法》第六十一条第一款 (the amended text in force since 2026-01-01, old 第五十九条),
//! with the 从重 mark — in Chinese and in English; the link opens the amended text.

mod common;

use axum::http::StatusCode;
use common::App;

/// The HTML of the table row with `id`, up to its `</tr>`.
fn row(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!(r#"id="{id}""#))?;
    let end = html[at..].find("</tr>")? + at;
    Some(html[at..end].to_string())
}

#[tokio::test]
async fn a_missed_yearly_assessment_shows_its_basis_chain_and_the_aggravation() {
    let app = App::new().await;
    let mut b = app.set_up().await;
    let net = app
        .network_with_events(
            serde_json::json!({"name": "网上支付平台", "level": 3, "stage": "running"}),
            &[
                ("launched", "2025-06-01"),
                ("last_assessment", "2025-05-20"),
            ],
        )
        .await;

    let zh = b
        .get(&format!("/networks/{}/duties?at=2026-11-25", net.id))
        .await;
    assert_eq!(zh.status, StatusCode::OK, "{}", zh.body);
    let yearly = row(&zh.body, "duty-mlps.assessment.yearly").expect("the yearly assessment");
    assert!(yearly.contains(r#"class="st-overdue""#), "{yearly}");
    assert!(yearly.contains("从重"), "{yearly}");
    let basis = &yearly[yearly.find("class=\"basis\"").expect("a basis")..];
    let order = [
        "依据",
        "第六十三条第二款",
        "、",
        "第六十三条第一款",
        "，依照",
        "《网络安全法》第六十一条第一款",
    ];
    let mut at = 0;
    for want in order {
        let found = basis[at..]
            .find(want)
            .unwrap_or_else(|| panic!("{want} not after byte {at}: {basis}"));
        at += found + want.len();
    }
    assert!(
        basis.contains(r#"href="/law/csl/61?v=amended-2025#p1""#),
        "{basis}"
    );
    assert!(basis.contains(r#"href="/law/mlps/63#p2""#), "{basis}");

    let en = b
        .get(&format!(
            "/networks/{}/duties?at=2026-11-25&lang=en",
            net.id
        ))
        .await;
    assert_eq!(en.status, StatusCode::OK, "{}", en.body);
    let yearly = row(&en.body, "duty-mlps.assessment.yearly").expect("the yearly assessment");
    assert!(yearly.contains("the range of"), "{yearly}");
    assert!(
        yearly.contains(r#"href="/law/csl/61?v=amended-2025#p1""#),
        "{yearly}"
    );

    // The link's target is the amended text's 第六十一条, naming the 2016 article it was.
    let page = b.get("/law/csl/61?v=amended-2025&lang=zh-CN").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("可以处一万元以上五万元以下罚款"),
        "{}",
        page.body
    );
    assert!(page.body.contains("2025年修正文本"), "{}", page.body);
    assert!(
        page.body.contains(r#"href="/law/csl/59#p1""#)
            || page.body.contains(r#"href="/law/csl/59""#),
        "{}",
        page.body
    );
    // Without a version the reader keeps the 2016 text (old links keep their meaning) and
    // points to the text in force.
    let old = b.get("/law/csl/21").await;
    assert!(
        old.body.contains("国家实行网络安全等级保护制度"),
        "{}",
        old.body
    );
    assert!(
        old.body.contains(r#"href="/law/csl/23?v=amended-2025""#),
        "{}",
        old.body
    );
    let en = b.get("/law/csl/23?v=amended-2025&lang=en").await;
    assert!(en.body.contains("text as amended in 2025"), "{}", en.body);
    let missing = b.get("/law/csl/21?v=2030").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}
