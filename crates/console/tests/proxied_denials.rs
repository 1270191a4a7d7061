//! Issue 17 item 4: behind the trusted proxy (`serve --trusted-proxy`), anonymous denials
//! are counted against the client the proxy names, as sign-in failures are; from any other
//! peer `X-Forwarded-For` is ignored. (Its own test binary: the trusted proxy is set once
//! per process.)

mod common;

use axum::body::Body;
use axum::http::Request;
use common::{audited, App, Browser};

/// The `source` of every counted denial in the audit log.
async fn sources(app: &App) -> Vec<(String, u64)> {
    audited(&app.store, "denied")
        .await
        .into_iter()
        .filter_map(|e| {
            let d: serde_json::Value = serde_json::from_str(&e.detail).ok()?;
            Some((d["source"].as_str()?.to_string(), d["count"].as_u64()?))
        })
        .collect()
}

#[tokio::test]
async fn anonymous_denials_count_against_the_client_the_trusted_proxy_names() {
    let app = App::new().await;
    app.set_up().await;
    dengbao_server::client::set_trusted_proxy("192.0.2.60".parse().unwrap());

    // Through the proxy: an API call without credentials and a page form without a session.
    let mut proxy = Browser::new(app.router.clone(), "192.0.2.60");
    for uri in ["/api/networks", "/api/users"] {
        let r = proxy
            .send(
                Request::get(uri)
                    .header("x-forwarded-for", "198.51.100.1, 203.0.113.9")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, 401, "{uri}");
    }
    let r = proxy
        .send(
            Request::post("/networks")
                .header("x-forwarded-for", "203.0.113.9")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from("name=x"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 403);

    // A client that is not the proxy cannot choose its address.
    let mut direct = Browser::new(app.router.clone(), "192.0.2.61");
    let r = direct
        .send(
            Request::get("/api/networks")
                .header("x-forwarded-for", "203.0.113.9")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 401);

    let seen = sources(&app).await;
    let count = |s: &str| -> u64 { seen.iter().filter(|(x, _)| x == s).map(|(_, n)| n).sum() };
    assert_eq!(count("203.0.113.9"), 3, "{seen:?}");
    assert_eq!(count("192.0.2.61"), 1, "{seen:?}");
    assert_eq!(
        count("192.0.2.60"),
        0,
        "the proxy itself is not the client: {seen:?}"
    );
    assert_eq!(
        count("198.51.100.1"),
        0,
        "only the address the proxy appended: {seen:?}"
    );
}
