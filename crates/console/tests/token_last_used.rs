//! Issue 17: the console's token pages say when each token was last used (`/admin/tokens`
//! for an administrator, `/tokens` for the owner), in Chinese and English.

mod common;

use common::App;

/// The row of token `id` on a tokens page.
fn row<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!(r#"id="token-{id}""#))
        .unwrap_or_else(|| panic!("token {id} not listed"));
    let end = html[at..].find("</tr>").unwrap() + at;
    &html[at..end]
}

#[tokio::test]
async fn the_token_pages_show_when_a_token_was_last_used() {
    let app = App::new().await;
    let mut admin = app.set_up().await;
    let me = app
        .store
        .list_users()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.name == "admin")
        .unwrap();
    let issued = app
        .store
        .create_token("test", &me.id, "nightly backup")
        .await
        .unwrap();

    let page = admin.get("/admin/tokens").await;
    assert!(page.body.contains("<th>最近使用</th>"), "{}", page.body);
    assert!(row(&page.body, &issued.id).contains("尚未使用"));
    let page = admin.get("/admin/tokens?lang=en").await;
    assert!(page.body.contains("<th>Last used</th>"));
    assert!(row(&page.body, &issued.id).contains("not used yet"));

    assert!(app
        .store
        .authenticate(&issued.token)
        .await
        .unwrap()
        .is_some());
    let used = app.store.list_tokens(Some(&me.id)).await.unwrap();
    let at = used[0].last_used.clone().expect("recorded");
    // (The browser reads English since `?lang=en` above.)
    let shown = dengbao_i18n::Messages::get(dengbao_types::Lang::En).when(&at);
    for path in ["/admin/tokens", "/tokens"] {
        let page = admin.get(path).await;
        let r = row(&page.body, &issued.id);
        assert!(!r.contains("not used yet"), "{path}: {r}");
        assert!(r.contains(&shown), "{path}: {shown} not in {r}");
    }
}
