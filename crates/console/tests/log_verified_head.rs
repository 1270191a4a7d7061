//! The dashboard's log-retention table names, per network, the last verified head of the
//! log store — checkpoint, time and result, as `dengbao logs verify` recorded it in the
//! database (decision 0926) — in Chinese by default and in English with `?lang=en`; and
//! `serve`'s background verify records there what it found.

mod common;

use axum::http::StatusCode;
use common::{App, Browser};
use dengbao_console::logs::LogCoverage;
use dengbao_store::log_heads::LogVerification;

/// The HTML of the table row with `id`, up to its `</tr>`.
fn row(html: &str, id: &str) -> String {
    let at = html
        .find(&format!(r#"id="{id}""#))
        .unwrap_or_else(|| panic!("no row {id}: {html}"));
    let end = html[at..].find("</tr>").unwrap() + at;
    html[at..end].to_string()
}

/// The Linux auth sample in `<data>/logs` under `network`, sealed: one checkpoint.
fn ingest(data: &std::path::Path, network: &str) {
    let mut store = dengbao_logstore::Store::open(
        &data.join("logs"),
        dengbao_logstore::OpenOptions {
            write: true,
            ..Default::default()
        },
    )
    .unwrap();
    let f = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/logs/samples/linux-auth.log");
    let now = jiff::Timestamp::now().as_microsecond();
    let records = dengbao_logstore::ingest::records_from_file(
        &f,
        network,
        dengbao_logstore::Format::Auto,
        now,
    )
    .unwrap();
    store.append(&records).unwrap();
    store.seal().unwrap();
}

#[tokio::test]
async fn each_network_row_names_the_last_verified_head() {
    let app = App::new().await;
    let admin = app.set_up().await;
    let org = app.first_org().await;
    let profile: dengbao_store::NetworkProfile = serde_json::from_value(
        serde_json::json!({"name": "门户网站", "level": 2, "stage": "running"}),
    )
    .unwrap();
    let net = app
        .store
        .create_network("test", &org, profile)
        .await
        .unwrap();
    ingest(app.dir.path(), &net.id);
    let coverage = LogCoverage::default();
    coverage
        .refresh_blocking(&app.dir.path().join("logs"))
        .unwrap();
    let router = dengbao_console::router_with_logs(app.state.clone(), coverage.clone());
    let mut b = Browser::new(router, "192.0.2.12");
    b.cookies = admin.cookies.clone();
    let id = format!("logs-{}", net.id);

    // Never verified: the row says how.
    let never = b.get("/").await;
    assert_eq!(never.status, StatusCode::OK, "{}", never.body);
    assert!(row(&never.body, &id).contains("尚未校验"), "{}", never.body);

    // A passing verify, then a failing one (a wiped store): the newest shows.
    let passed = LogVerification {
        verified_at: "2026-11-30T02:00:00Z".into(),
        ok: true,
        checkpoints: 1,
        head_seq: Some(0),
        tree_size: 9,
        problems: 0,
        first_problem: None,
    };
    app.store.record_log_verification(&passed).await.unwrap();
    let zh = row(&b.get("/").await.body, &id);
    assert!(zh.contains("检查点 #0") && zh.contains("通过"), "{zh}");
    assert!(!zh.contains("未通过"), "{zh}");
    let en = row(&b.get("/?lang=en").await.body, &id);
    assert!(
        en.contains("checkpoint #0") && en.contains("passed"),
        "{en}"
    );

    let failed = LogVerification {
        verified_at: "2026-12-01T02:00:00Z".into(),
        ok: false,
        checkpoints: 0,
        head_seq: None,
        tree_size: 0,
        problems: 1,
        first_problem: Some("checkpoint chain truncated: checkpoint #0 is missing".into()),
    };
    app.store.record_log_verification(&failed).await.unwrap();
    // `?lang=en` is remembered: back to Chinese on purpose.
    let zh = row(&b.get("/?lang=zh-CN").await.body, &id);
    assert!(zh.contains("无检查点") && zh.contains("未通过"), "{zh}");
    assert!(zh.contains("2026"), "the time of the verify: {zh}");
    let en = row(&b.get("/?lang=en").await.body, &id);
    assert!(
        en.contains("no checkpoint") && en.contains("failed"),
        "{en}"
    );
}

/// `serve`'s background refresh is a verify recorded in the database: a store whose
/// segments and chain were deleted, with no head file to compare with, fails it from the
/// database's head, and the dashboard says so even though no network has a log row left.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_background_verify_catches_a_wiped_store_from_the_database() {
    let app = App::new().await;
    let admin = app.set_up().await;
    let data = app.dir.path().to_path_buf();
    let logs = data.join("logs");
    ingest(&data, "接入网");
    let keeper = dengbao_console::log_heads::keeper(&data).unwrap();
    dengbao_console::log_heads::sync(&app.store, &keeper, &logs)
        .await
        .unwrap();
    let coverage = LogCoverage::default();
    let refresh = |coverage: LogCoverage| {
        let (db, logs) = (app.store.clone(), logs.clone());
        let rt = tokio::runtime::Handle::current();
        tokio::task::spawn_blocking(move || coverage.refresh_recorded(&logs, &db, &rt))
    };
    refresh(coverage.clone()).await.unwrap().unwrap();
    let ok = app.store.last_log_verification().await.unwrap().unwrap();
    assert!(ok.ok && ok.head_seq == Some(0), "{ok:?}");
    assert!(coverage.snapshot().unwrap().integrity_ok);

    std::fs::remove_dir_all(logs.join("segments")).unwrap();
    std::fs::remove_file(logs.join("checkpoints.log")).unwrap();
    // This writer kept no head file: only the database can tell.
    assert!(!data.join("keys/log-head.json").exists());
    refresh(coverage.clone()).await.unwrap().unwrap();
    let failed = app.store.last_log_verification().await.unwrap().unwrap();
    assert!(!failed.ok, "{failed:?}");
    assert!(
        failed
            .first_problem
            .as_deref()
            .is_some_and(|p| p.contains("#0") && p.contains("log_heads")),
        "{failed:?}"
    );
    assert!(!coverage.snapshot().unwrap().integrity_ok);

    let router = dengbao_console::router_with_logs(app.state.clone(), coverage.clone());
    let mut b = Browser::new(router, "192.0.2.13");
    b.cookies = admin.cookies.clone();
    let zh = b.get("/").await;
    assert!(zh.body.contains("id=\"logs-verify-failed\""), "{}", zh.body);
    assert!(zh.body.contains("最近一次日志校验"), "{}", zh.body);
    let en = b.get("/?lang=en").await;
    assert!(en.body.contains("The last log verify"), "{}", en.body);
}
