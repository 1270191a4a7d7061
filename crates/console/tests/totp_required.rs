//! `serve --require-admin-totp` (decision 0938): an administrator without a second factor
//! is sent to set one up before any other page; other roles are not. (A test file of its
//! own: the setting is process-wide.)

mod common;

use axum::http::StatusCode;
use common::App;

#[tokio::test]
async fn an_administrator_without_a_second_factor_is_sent_to_set_one_up() {
    let app = App::new().await;
    let mut admin = app.set_up().await;
    dengbao_console::guard::require_admin_totp();
    let home = admin.get("/").await;
    assert_eq!(home.status, StatusCode::SEE_OTHER, "{}", home.body);
    assert_eq!(home.location, "/account/totp");
    let setup = admin.get("/account/totp").await;
    assert_eq!(setup.status, StatusCode::OK, "{}", setup.body);
}
