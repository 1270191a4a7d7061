//! The log centre on the console: the dashboard's log-retention table and the six-month
//! log duty computed from the log centre's proof of retention (not from a tick), with the
//! real sample logs in a real log store.

mod common;

use axum::http::StatusCode;
use common::{App, Browser};
use dengbao_console::logs::LogCoverage;

/// The HTML of the table row with `id`, up to its `</tr>`.
fn row(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!(r#"id="{id}""#))?;
    let end = html[at..].find("</tr>")? + at;
    Some(html[at..end].to_string())
}

fn samples() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/logs/samples");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// Ingests every sample file into `<data>/logs` under `network` and seals.
fn ingest(data: &std::path::Path, network: &str) -> usize {
    let mut store = dengbao_logstore::Store::open(
        &data.join("logs"),
        dengbao_logstore::OpenOptions {
            write: true,
            ..Default::default()
        },
    )
    .unwrap();
    let now = jiff::Timestamp::now().as_microsecond();
    let mut n = 0;
    for f in samples() {
        let records = dengbao_logstore::ingest::records_from_file(
            &f,
            network,
            dengbao_logstore::Format::Auto,
            now,
        )
        .unwrap();
        n += records.len();
        store.append(&records).unwrap();
    }
    store.seal().unwrap();
    n
}

#[tokio::test]
async fn the_dashboard_shows_log_retention_and_the_log_duty_follows_it() {
    let app = App::new().await;
    let admin = app.set_up().await;
    let org = app.first_org().await;
    let profile: dengbao_store::NetworkProfile = serde_json::from_value(serde_json::json!({
        "name": "门户网站", "level": 2, "stage": "running", "personal_info": true,
        "services": ["info_publishing"]
    }))
    .unwrap();
    let net = app
        .store
        .create_network("test", &org, profile)
        .await
        .unwrap();
    let other: dengbao_store::NetworkProfile = serde_json::from_value(
        serde_json::json!({"name": "办公网", "level": 2, "stage": "running"}),
    )
    .unwrap();
    let quiet = app.store.create_network("test", &org, other).await.unwrap();

    let coverage = LogCoverage::default();
    let router = dengbao_console::router_with_logs(app.state.clone(), coverage.clone());
    let mut b = Browser::new(router, "192.0.2.11");
    b.cookies = admin.cookies.clone();

    // No log store yet: the dashboard says how to feed it.
    coverage
        .refresh_blocking(&app.dir.path().join("logs"))
        .unwrap();
    let empty = b.get("/").await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.body);
    assert!(empty.body.contains("id=\"logs-none\""), "{}", empty.body);

    let sent = ingest(app.dir.path(), &net.id);
    coverage
        .refresh_blocking(&app.dir.path().join("logs"))
        .unwrap();
    let snap = coverage
        .snapshot()
        .expect("a snapshot once the store exists");
    let fact = coverage.for_network(&net.id).expect("the network's logs");
    assert_eq!(fact.events as usize, sent);
    assert!(fact.integrity_ok && snap.integrity_ok);

    let dash = b.get("/").await;
    assert_eq!(dash.status, StatusCode::OK, "{}", dash.body);
    let log_row = row(&dash.body, &format!("logs-{}", net.id))
        .unwrap_or_else(|| panic!("no log row for the network: {}", dash.body));
    assert!(
        log_row.contains("门户网站") && log_row.contains(&sent.to_string()),
        "{log_row}"
    );
    // A network without logs in the centre gets no row (and no invented one).
    assert!(!dash.body.contains(&format!("logs-{}", quiet.id)));

    // The duty page: the log duty's status is what the log centre proves, and says so.
    let duties = b.get(&format!("/networks/{}/duties", net.id)).await;
    assert_eq!(duties.status, StatusCode::OK, "{}", duties.body);
    let duty = row(&duties.body, "duty-csl.operator.logs").expect("the log duty");
    assert!(duty.contains("日志中心"), "{duty}");
    let want = if fact.covers_floor { "met" } else { "overdue" };
    assert!(
        duties.body.contains(&format!(
            "id=\"duty-csl.operator.logs\" class=\"st-{want}\""
        )),
        "expected {want}: {duty}"
    );
}

/// A scale-out log store (S3 + PostgreSQL) is not opened by the console; the dashboard says
/// so instead of claiming the centre is empty.
#[tokio::test]
async fn a_scale_out_log_store_is_named_not_read() {
    let app = App::new().await;
    let admin = app.set_up().await;
    let logs = app.dir.path().join("logs");
    ingest(app.dir.path(), "any");
    std::fs::write(
        logs.join("storage.toml"),
        "[blobs]\nkind = \"s3\"\nendpoint = \"http://127.0.0.1:1\"\nbucket = \"b\"\n",
    )
    .unwrap();
    let coverage = LogCoverage::default();
    coverage.refresh_blocking(&logs).unwrap();
    assert!(coverage.is_scale_out());
    assert!(coverage.snapshot().is_none());
    let mut b = Browser::new(
        dengbao_console::router_with_logs(app.state.clone(), coverage),
        "192.0.2.12",
    );
    b.cookies = admin.cookies.clone();
    let dash = b.get("/").await;
    assert_eq!(dash.status, StatusCode::OK, "{}", dash.body);
    assert!(dash.body.contains("id=\"logs-scale-out\""), "{}", dash.body);
    assert!(!dash.body.contains("id=\"logs-none\""));
}
