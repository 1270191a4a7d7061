//! The duty timeline as an operator reads it: prohibitions marked and never late, and the
//! public security organ's certificate in its own table of others' duties, not among the
//! operator's gaps — in both languages.

mod common;

use axum::http::StatusCode;
use common::App;
use dengbao_store::events::EventInput;

/// The HTML of the table row with `id`, up to its `</tr>`.
fn row(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!(r#"id="{id}""#))?;
    let end = html[at..].find("</tr>")? + at;
    Some(html[at..end].to_string())
}

#[tokio::test]
async fn prohibitions_and_others_duties_are_shown_apart() {
    let app = App::new().await;
    let mut b = app.set_up().await;
    let org = app.first_org().await;
    let profile: dengbao_store::NetworkProfile = serde_json::from_value(serde_json::json!({
        "name": "会员系统", "level": 2, "stage": "running", "personal_info": true
    }))
    .unwrap();
    let net = app
        .store
        .create_network("test", &org, profile)
        .await
        .unwrap();
    for (kind, at) in [
        ("graded", "2026-02-10"),
        ("filed", "2026-02-27"),
        ("launched", "2026-01-26"),
    ] {
        let input = EventInput {
            kind: kind.into(),
            at: at.into(),
            note: String::new(),
        };
        app.store.add_event("test", &net.id, input).await.unwrap();
    }
    // 2026-02-27 + 10 working days = 2026-03-12: late on 1 April.
    let page = b
        .get(&format!("/networks/{}/duties?at=2026-04-01", net.id))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let body = &page.body;
    let others_at = body
        .find("id=\"others-duties\"")
        .unwrap_or_else(|| panic!("no table of others' duties: {body}"));
    let cert = row(body, "duty-mlps.filing.certificate").expect("the certificate");
    assert!(
        body.find("id=\"duty-mlps.filing.certificate\"").unwrap() > others_at,
        "the certificate is listed among the operator's own duties"
    );
    assert!(
        cert.contains("st-chase") && cert.contains("公安机关"),
        "{cert}"
    );
    assert!(cert.contains("他方逾期，可催办"), "{cert}");
    // A prohibition: marked, no breach recorded, never a gap.
    let limits = row(body, "duty-mlps.data_limits").expect("the data prohibition");
    assert!(
        limits.contains("class=\"st-complied\"") && limits.contains("禁止性规定"),
        "{limits}"
    );
    assert!(limits.contains("未见违反"), "{limits}");

    let en = b
        .get(&format!(
            "/networks/{}/duties?at=2026-04-01&lang=en",
            net.id
        ))
        .await;
    let cert = row(&en.body, "duty-mlps.filing.certificate").expect("the certificate");
    assert!(
        cert.contains("Other party late: chase") && cert.contains("Public security organ"),
        "{cert}"
    );
    let limits = row(&en.body, "duty-mlps.data_limits").expect("the prohibition");
    assert!(
        limits.contains("No breach recorded") && limits.contains("Prohibition"),
        "{limits}"
    );
}
