//! Accounts in the console: first run, sign-in and sign-out, wrong passwords and the rate
//! limit, CSRF rejection, session expiry, the language switch.

mod common;

use axum::http::StatusCode;
use common::{audited, text_of, user_with_password, App, Browser, ADMIN_PASSWORD};

#[tokio::test]
async fn first_run_asks_for_the_setup_token_then_creates_the_administrator_and_organisation() {
    let app = App::new().await;
    let mut b = app.browser();
    // Every page leads to /setup while no administrator exists.
    for path in ["/", "/networks", "/law", "/signin"] {
        let r = b.get(path).await;
        assert_eq!(
            (r.status, r.location.as_str()),
            (StatusCode::SEE_OTHER, "/setup"),
            "{path}"
        );
    }
    let page = b.get("/setup").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"id="setup-form""#));
    // Someone on the network without the token cannot claim the server.
    let wrong = b
        .post(
            "/setup",
            &[
                ("setup_token", "dbs_0000"),
                ("administrator", "mallory"),
                ("password", "0123456789ab"),
                ("password_again", "0123456789ab"),
                ("organisation", "X"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert!(wrong.body.contains("初始化令牌无效或已使用"));
    assert!(audited(&app.store, "denied")
        .await
        .iter()
        .any(|e| e.target == "POST /setup"));
    assert!(!app.store.has_administrator().await.unwrap());

    let mut admin = app.set_up().await;
    let home = admin.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert_eq!(
        text_of(&home.body, "current-user").as_deref(),
        Some("admin")
    );
    assert_eq!(
        text_of(&home.body, "current-role").as_deref(),
        Some("管理员")
    );
    let orgs = admin.get("/admin/orgs").await;
    assert!(orgs.body.contains("示例网络运营单位"));
    // Once done, /setup is closed and the token is spent.
    let again = b.get("/setup").await;
    assert_eq!(
        (again.status, again.location.as_str()),
        (StatusCode::SEE_OTHER, "/signin")
    );
    assert_eq!(audited(&app.store, "setup.token_used").await.len(), 1);
    assert_eq!(audited(&app.store, "signin").await.len(), 1);
}

/// Disabling a user ends its session and revokes its tokens at once; it cannot sign in
/// again until enabled; the last administrator cannot be disabled.
#[tokio::test]
async fn a_disabled_user_loses_its_session_and_tokens_at_once() {
    let app = App::new().await;
    let mut admin = app.set_up().await;
    let org = app.first_org().await;
    let id = user_with_password(
        &app.store,
        "值班员",
        dengbao_store::Role::Operator,
        vec![org],
        "值班员的口令很长很长",
    )
    .await;
    let token = app
        .store
        .create_token("test", &id, "脚本")
        .await
        .expect("a token");
    let mut user = app.browser();
    user.sign_in("值班员", "值班员的口令很长很长").await;
    assert_eq!(user.get("/networks").await.status, StatusCode::OK);
    admin.get("/admin/users").await;
    let r = admin.post(&format!("/admin/users/{id}/disable"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = user.get("/networks").await;
    assert_eq!(
        (r.status, r.location.as_str()),
        (StatusCode::SEE_OTHER, "/signin?next=/networks")
    );
    assert!(app
        .store
        .authenticate(&token.token)
        .await
        .expect("a lookup")
        .is_none());
    let mut again = app.browser();
    again.get("/signin").await;
    let r = again
        .post(
            "/signin",
            &[("name", "值班员"), ("password", "值班员的口令很长很长")],
        )
        .await;
    assert_ne!(r.status, StatusCode::SEE_OTHER, "a disabled user signs in");
    assert_eq!(audited(&app.store, "user.disable").await.len(), 1);
    // The only administrator cannot disable itself.
    let admins = app.store.list_users().await.expect("users");
    let me = admins
        .iter()
        .find(|u| u.name == "admin")
        .expect("the administrator");
    admin.get("/admin/users").await;
    let r = admin
        .post(&format!("/admin/users/{}/disable", me.id), &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = App::new().await;
    let mut admin = app.set_up().await;
    let stolen = admin.cookies.clone();
    let r = admin.post("/signout", &[]).await;
    assert_eq!(
        (r.status, r.location.as_str()),
        (StatusCode::SEE_OTHER, "/signin")
    );
    assert!(!admin.cookies.contains_key("dengbao_session"));
    assert_eq!(audited(&app.store, "signout").await.len(), 1);
    // The old cookie, replayed, no longer works.
    let mut replay = app.browser();
    replay.cookies = stolen;
    let r = replay.get("/networks").await;
    assert_eq!(
        (r.status, r.location.as_str()),
        (StatusCode::SEE_OTHER, "/signin?next=/networks")
    );
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_audited_and_five_failures_lock_the_name_from_that_address()
{
    let app = App::new().await;
    app.set_up().await;
    let mut b = app.browser();
    b.get("/signin").await;
    for n in 1..=5 {
        let r = b
            .post(
                "/signin",
                &[("name", "admin"), ("password", "wrong password!")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {n}");
        assert!(r.body.contains("用户名或密码错误"));
        assert!(!b.cookies.contains_key("dengbao_session"));
    }
    assert_eq!(audited(&app.store, "signin.failed").await.len(), 5);
    // The sixth attempt is refused before the password is even checked — the right one too.
    let r = b
        .post(
            "/signin",
            &[("name", "admin"), ("password", ADMIN_PASSWORD)],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("登录失败次数过多"), "{}", r.body);
    assert!(!b.cookies.contains_key("dengbao_session"));
    assert_eq!(audited(&app.store, "signin.limited").await.len(), 1);
    // Still limited after a restart (the failures are stored) …
    let restarted = app.restart().await;
    let mut b2 = Browser::new(restarted.router.clone(), "192.0.2.10");
    b2.get("/signin").await;
    let r = b2
        .post(
            "/signin",
            &[("name", "admin"), ("password", ADMIN_PASSWORD)],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // … but only for that address: the administrator elsewhere signs in.
    let mut elsewhere = Browser::new(restarted.router.clone(), "198.51.100.7");
    elsewhere.sign_in("admin", ADMIN_PASSWORD).await;
}

#[tokio::test]
async fn a_form_without_the_session_csrf_token_is_refused_and_audited() {
    let app = App::new().await;
    let mut admin = app.set_up().await;
    let org = app.first_org().await;
    let fields = [
        ("org_id", org.as_str()),
        ("name", "门户网站"),
        ("stage", "running"),
        ("classified", "none"),
    ];
    let none = admin.post_raw("/networks/new", &fields).await;
    assert_eq!(none.status, StatusCode::FORBIDDEN);
    assert!(none.body.contains("CSRF"));
    let mut forged = vec![("_csrf", "0".repeat(64))];
    forged.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    let forged: Vec<(&str, &str)> = forged.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let bad = admin.post_raw("/networks/new", &forged).await;
    assert_eq!(bad.status, StatusCode::FORBIDDEN);
    let denials = audited(&app.store, "denied").await;
    assert_eq!(
        denials
            .iter()
            .filter(|e| e.target == "POST /networks/new" && e.detail.contains("CSRF"))
            .count(),
        2
    );
    assert!(app
        .store
        .list_networks(&dengbao_store::OrgScope::All, None)
        .await
        .unwrap()
        .is_empty());
    // With the token the same form works.
    admin.get("/networks/new").await;
    let ok = admin.post("/networks/new", &fields).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    // The session cookie alone does not authenticate an unsafe API request either.
    let api = admin
        .send(
            axum::http::Request::post("/api/organisations")
                .header("content-type", "application/json")
                .body(axum::body::Body::from(r#"{"name":"另一个单位"}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_expired_session_sends_the_user_back_to_the_sign_in_page() {
    let app = App::new().await;
    let mut admin = app.set_up().await;
    assert_eq!(admin.get("/networks").await.status, StatusCode::OK);
    sqlx::query("UPDATE sessions SET expires_at = '2026-01-01T00:00:00Z'")
        .execute(app.store.pool())
        .await
        .unwrap();
    let r = admin.get("/networks").await;
    assert_eq!(
        (r.status, r.location.as_str()),
        (StatusCode::SEE_OTHER, "/signin?next=/networks")
    );
    // The stale cookie does not stand in the way of signing in again.
    admin.sign_in("admin", ADMIN_PASSWORD).await;
    assert_eq!(admin.get("/networks").await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_console_speaks_chinese_by_default_and_english_on_request() {
    let app = App::new().await;
    let mut admin = app.set_up().await;
    let zh = admin.get("/").await;
    assert!(zh.body.contains(r#"<html lang="zh-CN">"#));
    assert_eq!(text_of(&zh.body, "page-title").as_deref(), Some("概览"));
    let en = admin.get("/?lang=en").await;
    assert!(en
        .set_cookies
        .iter()
        .any(|c| c.starts_with("dengbao_lang=en")));
    assert_eq!(
        text_of(&en.body, "page-title").as_deref(),
        Some("Dashboard")
    );
    // Remembered by the cookie.
    let law = admin.get("/law").await;
    assert_eq!(
        text_of(&law.body, "page-title").as_deref(),
        Some("Laws and regulations")
    );
    assert_eq!(
        text_of(&law.body, "nav-networks").as_deref(),
        Some("Networks")
    );
    let back = admin.get("/law?lang=zh-CN").await;
    assert_eq!(
        text_of(&back.body, "page-title").as_deref(),
        Some("法律法规")
    );
}

/// The console router hands `/api/…` to the API untouched: a route with two path
/// parameters answers as it does on the bare API (it once answered 500 here, because
/// the console's `/api/{*rest}` wildcard left a third parameter in the request).
#[tokio::test]
async fn api_routes_with_two_path_parameters_work_behind_the_console() {
    let app = App::new().await;
    let mut admin = app.set_up().await;
    let article = admin.get("/api/law/csl/21").await;
    assert_eq!(article.status, StatusCode::OK, "{}", article.body);
    assert!(article.body.contains("六个月"), "{}", article.body);
    let missing = admin.get("/api/law/csl/999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", missing.body);
}
