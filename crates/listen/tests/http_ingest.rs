//! JSON lines over HTTP: acknowledged only once durable, refused without the token (401) or
//! over the size limit (413); the status behind the same token.

mod common;

use common::*;
use dengbao_listen::kind;

async fn call(
    to: std::net::SocketAddr,
    method: &'static str,
    path: &'static str,
    token: Option<&'static str>,
    body: Vec<u8>,
) -> (u16, String) {
    tokio::task::spawn_blocking(move || http(to, method, path, token, &body))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_lines_are_acknowledged_durable_and_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    let svc = start(&logs, config("logs_http = \"127.0.0.1:0\"", "")).await;
    let to = addr(&svc, kind::LOGS_HTTP);
    let mut sent = sample_lines("windows-nxlog.jsonl");
    sent.push(b"{\"truncated json\": \"no closing brace".to_vec());
    let mut body = Vec::new();
    for l in &sent {
        body.extend_from_slice(l);
        body.extend_from_slice(b"\r\n\n");
    }
    let (code, resp) = call(to, "POST", "/ingest", Some(TOKEN), body).await;
    assert_eq!(code, 200, "{resp}");
    let v: serde_json::Value = serde_json::from_str(&resp).unwrap();
    assert_eq!(v["accepted"], sent.len());
    // 200 came after append returned: the writer has already counted them as stored.
    let st = svc.status().unwrap();
    let c = &st.listeners[kind::LOGS_HTTP].counters;
    assert_eq!((c.stored, c.malformed), (sent.len() as u64, 1), "{c:?}");

    let (code, status) = call(to, "GET", "/status", Some(TOKEN), Vec::new()).await;
    assert_eq!(code, 200, "{status}");
    let v: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(v["listeners"]["logs http"]["stored"], sent.len());
    assert_eq!(v["listeners"]["logs http"]["address"], to.to_string());
    // The same counters for a Prometheus scraper.
    let (code, text) = call(to, "GET", "/metrics", Some(TOKEN), Vec::new()).await;
    assert_eq!(code, 200, "{text}");
    let stored_line = format!(
        "dengbao_log_events_stored_total{{transport=\"logs http\"}} {}",
        sent.len()
    );
    assert!(text.lines().any(|l| l == stored_line), "{text}");
    assert!(text.contains("# TYPE dengbao_log_events_stored_total counter"));
    assert!(text.contains("# TYPE dengbao_log_queue_depth gauge"));
    assert!(
        text.lines()
            .any(|l| l == "dengbao_log_events_malformed_total{transport=\"logs http\"} 1"),
        "{text}"
    );
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let (name, value) = line.rsplit_once(' ').unwrap();
        assert!(value.parse::<f64>().is_ok(), "{line}");
        assert!(name.starts_with("dengbao_log_"), "{line}");
    }

    svc.shutdown().await.unwrap();
    assert_stored_and_searchable(&logs, &sent, "http:test@127.0.0.1:");
    assert!(stored(&logs).iter().all(|r| r.network == "接入网"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_token_401_and_over_the_limit_413() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    let svc = start(
        &logs,
        config("logs_http = \"127.0.0.1:0\"", "[limits]\nmax_body = 4096"),
    )
    .await;
    let to = addr(&svc, kind::LOGS_HTTP);
    let line = sample_lines("windows-nxlog.jsonl")[0].clone();
    let (code, body) = call(to, "POST", "/ingest", None, line.clone()).await;
    assert_eq!(code, 401, "{body}");
    assert!(body.contains("unauthorized"), "{body}");
    let (code, _) = call(
        to,
        "POST",
        "/ingest",
        Some("not-the-token-0123456789"),
        line.clone(),
    )
    .await;
    assert_eq!(code, 401);
    let (code, _) = call(to, "GET", "/status", None, Vec::new()).await;
    assert_eq!(code, 401);
    let (code, _) = call(to, "GET", "/metrics", None, Vec::new()).await;
    assert_eq!(code, 401, "the metrics need the token too");
    let big: Vec<u8> = std::iter::repeat_n([line.as_slice(), b"\n"].concat(), 20)
        .flatten()
        .collect();
    assert!(big.len() > 4096);
    let (code, body) = call(to, "POST", "/ingest", Some(TOKEN), big).await;
    assert_eq!(code, 413, "{body}");
    let c = svc.status().unwrap().listeners[kind::LOGS_HTTP]
        .counters
        .clone();
    // Two 401s on /ingest, one each on /status and /metrics, and the 413.
    assert_eq!((c.received, c.stored, c.rejected), (0, 0, 5), "{c:?}");
    svc.shutdown().await.unwrap();
    assert!(stored(&logs).is_empty());
}
