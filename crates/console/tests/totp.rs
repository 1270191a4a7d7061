//! The second factor (decision 0938): a user turns it on with a code from the app; from then
//! on the password alone does not sign in, a current code does, a code works once, and the
//! user turns it off with a code. Each step is audited.

mod common;

use axum::http::StatusCode;
use common::{audited, App};

/// The code the app would show now for the base32 `secret`.
fn code_now(secret: &str, offset_steps: i64) -> String {
    let key = data_encoding::BASE32_NOPAD
        .decode(secret.as_bytes())
        .unwrap();
    let step = dengbao_store::totp::step_of(jiff::Timestamp::now()) as i64 + offset_steps;
    format!(
        "{:06}",
        dengbao_store::totp::code_at(&key, step as u64).unwrap()
    )
}

#[tokio::test]
async fn a_second_factor_is_enrolled_then_needed_and_each_code_works_once() {
    let app = App::new().await;
    let mut admin = app.set_up().await;
    admin.get("/account/totp").await;
    let begun = admin.post("/account/totp/begin", &[]).await;
    assert_eq!(begun.status, StatusCode::OK, "{}", begun.body);
    let secret = common::text_of(&begun.body, "totp-secret").expect("the secret is shown");
    assert!(
        begun.body.contains("otpauth://totp/dengbao:"),
        "{}",
        begun.body
    );

    // A wrong code is refused and nothing is enabled.
    let wrong = admin
        .post("/account/totp/confirm", &[("code", "000000")])
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    assert!(audited(&app.store, "user.totp_enabled").await.is_empty());

    admin.get("/account/totp").await;
    let ok = admin
        .post("/account/totp/confirm", &[("code", &code_now(&secret, -1))])
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(audited(&app.store, "user.totp_enabled").await.len(), 1);

    // The password alone no longer signs in; with the current code it does, once.
    let (name, password) = ("admin", common::ADMIN_PASSWORD);
    let store = &app.store;
    let alone = store.sign_in(name, password, "192.0.2.7").await.unwrap();
    assert!(matches!(alone, dengbao_store::SignIn::Wrong));
    let code = code_now(&secret, 0);
    let with = store
        .sign_in_with_code(name, password, &code, "192.0.2.7")
        .await
        .unwrap();
    assert!(matches!(with, dengbao_store::SignIn::Ok { .. }));
    let replay = store
        .sign_in_with_code(name, password, &code, "192.0.2.8")
        .await
        .unwrap();
    assert!(
        matches!(replay, dengbao_store::SignIn::Wrong),
        "a code works once"
    );

    // Turned off with a fresh code.
    admin.get("/account/totp").await;
    let off = admin
        .post("/account/totp/disable", &[("code", &code_now(&secret, 1))])
        .await;
    assert_eq!(off.status, StatusCode::SEE_OTHER, "{}", off.body);
    assert_eq!(audited(&app.store, "user.totp_disabled").await.len(), 1);
    let again = store.sign_in(name, password, "192.0.2.9").await.unwrap();
    assert!(matches!(again, dengbao_store::SignIn::Ok { .. }));
}
