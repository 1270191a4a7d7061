//! A network flagged as critical information infrastructure and graded below level 3 is
//! warned on its page, citing 公网安〔2020〕1960号, in the page's language; at level 3 it
//! is not.

mod common;

use common::App;

#[tokio::test]
async fn a_cii_network_below_level_3_is_warned_with_its_source() {
    let app = App::new().await;
    let mut admin = app.set_up().await;
    let low = app
        .network(
            serde_json::json!({"name": "调度系统", "level": 2, "stage": "running", "cii": true}),
        )
        .await;
    let page = admin.get(&format!("/networks/{}", low.id)).await.body;
    let warning = page
        .split("class=\"notice warning level-warning\">")
        .nth(1)
        .expect("the warning");
    assert!(warning.contains("公网安〔2020〕1960号"), "{warning}");
    assert!(warning.contains("不低于第三级"));
    let en = admin
        .get(&format!("/networks/{}?lang=en", low.id))
        .await
        .body;
    assert!(en.contains("below level 3") && en.contains("No. 1960"));

    let ok = app
        .network(
            serde_json::json!({"name": "门户网站", "level": 3, "stage": "running", "cii": true}),
        )
        .await;
    let page = admin.get(&format!("/networks/{}", ok.id)).await.body;
    assert!(!page.contains("level-warning"));
}
