//! `dengbao serve` keeps every checkpoint head its log listeners commit in the console's
//! database (decision 0926), and `/metrics` shows the last verify recorded there: a log
//! directory wiped together with `keys/log-head.json` after the server stopped is still
//! reported by `dengbao logs verify`.

mod common;
mod listen_server;

use std::path::Path;
use std::time::{Duration, Instant};

use listen_server::*;

fn dengbao(data: &Path, args: &[&str]) -> (i32, String, String) {
    common::outcome(
        std::process::Command::new(env!("CARGO_BIN_EXE_dengbao"))
            .env("DENGBAO_LANG", "en")
            .env_remove("DENGBAO_DATABASE_URL")
            .arg("--data-dir")
            .arg(data)
            .args(args)
            .output()
            .unwrap(),
    )
}

fn sample() -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/logs/samples/windows-nxlog.jsonl"),
    )
    .unwrap()
}

/// Poll `/metrics` (≤ 30 s) until a line starts with `prefix`; that line.
fn metric_line(srv: &Server, prefix: &str) -> String {
    let t = Instant::now();
    loop {
        let (code, body) =
            http(srv.addr("logs http"), "GET", "/metrics", Some(TOKEN), b"").unwrap();
        assert_eq!(code, 200, "{body}");
        if let Some(l) = body.lines().find(|l| l.starts_with(prefix)) {
            return l.to_string();
        }
        assert!(t.elapsed() < Duration::from_secs(30), "{prefix}: {body}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serve_keeps_heads_in_the_database_and_metrics_show_the_last_verify() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    write_listen_toml(data);
    let srv = start(data, &["--logs-http", "127.0.0.1:0"]);
    let (code, body) = http(
        srv.addr("logs http"),
        "POST",
        "/ingest",
        Some(TOKEN),
        &sample(),
    )
    .unwrap();
    assert_eq!(code, 200, "{body}");
    assert!(srv.stop().success());

    let (code, out, err) = dengbao(data, &["logs", "verify"]);
    assert_eq!(code, 0, "{out}{err}");
    // The next server hands that verify to /metrics.
    let srv = start(data, &["--logs-http", "127.0.0.1:0"]);
    assert_eq!(
        metric_line(&srv, "dengbao_log_last_verify_ok "),
        "dengbao_log_last_verify_ok 1"
    );
    assert_eq!(
        metric_line(&srv, "dengbao_log_last_verify_checkpoints "),
        "dengbao_log_last_verify_checkpoints 1"
    );
    assert!(srv.stop().success());

    // Wiped, head file too: the database still names the missing checkpoint.
    std::fs::remove_dir_all(data.join("logs/segments")).unwrap();
    std::fs::remove_file(data.join("logs/checkpoints.log")).unwrap();
    std::fs::remove_file(data.join("keys/log-head.json")).unwrap();
    let (code, out, _) = dengbao(data, &["logs", "verify"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("checkpoint #0 is missing"), "{out}");
    assert!(out.contains("log_heads"), "{out}");
}
