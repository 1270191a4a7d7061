//! The console's law reader on the laws around the CSL (decision 0204).

mod common;

use axum::http::StatusCode;
use common::App;

/// Every law the corpus carries is listed, and a related law's one version reads as the
/// text in force — not as the CSL's 2016 text.
#[tokio::test]
async fn the_related_laws_are_listed_and_read_as_the_text_in_force() {
    let app = App::new().await;
    let mut admin = app.set_up().await;
    let list = admin.get("/law?lang=zh-CN").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    for (id, title) in [
        ("dsl", "中华人民共和国数据安全法"),
        ("pipl", "中华人民共和国个人信息保护法"),
        ("ciipr", "关键信息基础设施安全保护条例"),
        ("ndsr", "网络数据安全管理条例"),
        ("cryptolaw", "中华人民共和国密码法"),
        ("ccr", "商用密码管理条例"),
    ] {
        assert!(list.body.contains(title), "{title} not listed");
        assert!(list.body.contains(&format!("/law/{id}")), "{id} not linked");
    }
    let page = admin.get("/law/pipl/52?lang=zh-CN").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("应当指定个人信息保护负责人"),
        "{}",
        page.body
    );
    assert!(page.body.contains("现行文本"), "{}", page.body);
    assert!(!page.body.contains("2016年文本"), "{}", page.body);
    let ccr = admin.get("/law/ccr/38?lang=en").await;
    assert_eq!(ccr.status, StatusCode::OK, "{}", ccr.body);
    assert!(ccr.body.contains("text as revised in 2023"), "{}", ccr.body);
}
