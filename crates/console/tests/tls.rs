//! Issue 17 item 7: the console and API over HTTPS (`serve --tls-cert/--tls-key`), the
//! session cookie `Secure` over TLS and behind a trusted proxy that says so, and the
//! security headers on API answers (decision 0924).

mod common;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::http::Request;
use common::{App, Browser, ADMIN_PASSWORD};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

/// A self-signed certificate for `localhost`: the server's acceptor and a client that
/// trusts exactly that certificate.
fn tls_pair() -> (tokio_rustls::TlsAcceptor, tokio_rustls::TlsConnector) {
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let key = rustls::pki_types::PrivateKeyDer::try_from(ck.signing_key.serialize_der()).unwrap();
    let server = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![ck.cert.der().clone()], key)
        .unwrap();
    let mut roots = rustls::RootCertStore::empty();
    roots.add(ck.cert.der().clone()).unwrap();
    let client = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    (
        tokio_rustls::TlsAcceptor::from(Arc::new(server)),
        tokio_rustls::TlsConnector::from(Arc::new(client)),
    )
}

/// One HTTP/1.1 request over a fresh TLS connection; the whole answer as text.
async fn https(connector: &tokio_rustls::TlsConnector, to: SocketAddr, request: String) -> String {
    let tcp = tokio::net::TcpStream::connect(to).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let mut tls = connector.connect(name, tcp).await.unwrap();
    tls.write_all(request.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    tls.read_to_end(&mut out).await.unwrap_or_default();
    String::from_utf8_lossy(&out).into_owned()
}

fn header_values<'a>(answer: &'a str, name: &str) -> Vec<&'a str> {
    let head = answer.split("\r\n\r\n").next().unwrap_or_default();
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .filter(|(k, _)| k.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_answers_over_https_and_its_session_cookie_is_secure() {
    let app = App::new().await;
    app.set_up().await;
    let (acceptor, connector) = tls_pair();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let to = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let state = app.state.clone();
    let logs = app.dir.path().join("logs");
    let server = tokio::spawn(async move {
        dengbao_console::serve_tls(listener, state, logs, Some(acceptor), async {
            let _ = stopped.await;
        })
        .await
        .unwrap();
    });

    // The sign-in page, with its pre-session cookie and form token.
    let page = https(
        &connector,
        to,
        "GET /signin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".into(),
    )
    .await;
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    let presession = header_values(&page, "set-cookie")
        .into_iter()
        .find(|c| c.starts_with("dengbao_presession="))
        .expect("a pre-session cookie")
        .to_string();
    assert!(presession.contains("; Secure"), "{presession}");
    let cookie = presession.split(';').next().unwrap().to_string();
    let csrf = common::csrf_in(&page).unwrap();

    // Signing in over HTTPS: the session cookie is Secure (and HttpOnly, SameSite).
    let form = format!(
        "_csrf={csrf}&name=admin&password={}&next=%2F",
        ADMIN_PASSWORD.replace(' ', "+")
    );
    let answer = https(
        &connector,
        to,
        format!(
            "POST /signin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nCookie: {cookie}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
            form.len()
        ),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 303"), "{answer}");
    let session = header_values(&answer, "set-cookie")
        .into_iter()
        .find(|c| c.starts_with("dengbao_session=") && !c.starts_with("dengbao_session=;"))
        .expect("a session cookie")
        .to_string();
    assert!(session.contains("; Secure"), "{session}");
    assert!(session.contains("HttpOnly"), "{session}");
    assert!(!header_values(&answer, "strict-transport-security").is_empty());

    // The API over the same HTTPS, with the security headers.
    let api = https(
        &connector,
        to,
        "GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".into(),
    )
    .await;
    assert!(api.starts_with("HTTP/1.1 200"), "{api}");
    assert_eq!(header_values(&api, "x-content-type-options"), ["nosniff"]);
    assert_eq!(header_values(&api, "x-frame-options"), ["DENY"]);
    assert!(!header_values(&api, "content-security-policy").is_empty());

    // A client that does not speak TLS gets no page.
    let mut plain = tokio::net::TcpStream::connect(to).await.unwrap();
    plain
        .write_all(b"GET /signin HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let _ = plain.read_to_end(&mut buf).await;
    assert!(!String::from_utf8_lossy(&buf).contains("HTTP/1.1 200"));

    let _ = stop.send(());
    server.await.unwrap();
}

#[tokio::test]
async fn over_plain_http_cookies_are_not_secure_unless_the_trusted_proxy_says_https() {
    let app = App::new().await;
    app.set_up().await;
    // API answers carry the security headers over plain HTTP too (an error's as well).
    for uri in ["/api/health", "/api/networks"] {
        let res = app
            .router
            .clone()
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let h = res.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{uri}");
        assert_eq!(h["x-frame-options"], "DENY", "{uri}");
        assert_eq!(h["cache-control"], "no-store", "{uri}");
        assert!(h.get("strict-transport-security").is_none(), "{uri}");
    }
    let mut b = Browser::new(app.router.clone(), "192.0.2.40");
    let page = b.get("/signin").await;
    assert!(
        page.set_cookies.iter().all(|c| !c.contains("Secure")),
        "{:?}",
        page.set_cookies
    );
    // A client naming itself https is not believed …
    let forged = Request::get("/signin")
        .header("x-forwarded-proto", "https")
        .body(Body::empty())
        .unwrap();
    let mut b = Browser::new(app.router.clone(), "192.0.2.41");
    let r = b.send(forged).await;
    assert!(
        r.set_cookies.iter().all(|c| !c.contains("Secure")),
        "{:?}",
        r.set_cookies
    );
    // … the trusted proxy is.
    dengbao_console::pages::account::set_trusted_proxy("192.0.2.42".parse().unwrap());
    let mut proxy = Browser::new(app.router.clone(), "192.0.2.42");
    let via = Request::get("/signin")
        .header("x-forwarded-proto", "https")
        .body(Body::empty())
        .unwrap();
    let r = proxy.send(via).await;
    assert!(!r.set_cookies.is_empty());
    assert!(
        r.set_cookies.iter().all(|c| c.contains("; Secure")),
        "{:?}",
        r.set_cookies
    );
}
