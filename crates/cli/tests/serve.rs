//! `dengbao serve` on a real port: health, the first-run setup token, graceful stop on
//! SIGTERM; then `dengbao audit verify` on what the server wrote.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

fn dengbao() -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("dengbao"));
    // The tests read the English startup lines.
    c.env("DENGBAO_LANG", "en");
    c
}

/// Lines from a child's pipe, as they come.
fn lines(pipe: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Waits (at most a minute) for a line containing `needle`.
fn wait_for(rx: &mpsc::Receiver<String>, needle: &str) -> String {
    loop {
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(line) if line.contains(needle) => return line,
            Ok(_) => continue,
            Err(e) => panic!("no line with {needle:?}: {e}"),
        }
    }
}

fn http(addr: &str, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    let body = body.unwrap_or("");
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = out
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn stop(mut child: Child) -> std::process::ExitStatus {
    let pid = child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    child.wait().unwrap()
}

#[test]
fn serve_answers_health_gives_a_setup_token_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = dengbao()
        .args([
            "--data-dir",
            dir.path().to_str().unwrap(),
            "serve",
            "--listen",
            "127.0.0.1:0",
        ])
        .env_remove("DENGBAO_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = lines(child.stdout.take().unwrap());
    let err = lines(child.stderr.take().unwrap());
    let line = wait_for(&out, "serving the API at http://");
    let addr = line
        .split("http://")
        .nth(1)
        .unwrap()
        .trim_end_matches("/api/")
        .to_string();

    let (status, body) = http(&addr, "GET", "/api/health", None);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"ok\""), "{body}");
    // Started with DENGBAO_LANG=en, the console speaks English to a request naming no
    // language (decision 0934).
    let (_, page) = http(&addr, "GET", "/setup", None);
    assert!(page.contains(r#"<html lang="en">"#), "{page}");

    // The database file was created in WAL mode under --data-dir.
    assert!(dir.path().join("dengbao.db").exists());

    // First run: the setup token printed on stderr makes the first administrator, once.
    let token_line = wait_for(&err, "dbs_");
    let token = token_line.trim().to_string();
    let setup = format!(r#"{{"setup_token": "{token}", "administrator": "管理员"}}"#);
    let (status, body) = http(&addr, "POST", "/api/setup", Some(&setup));
    assert_eq!(status, 201, "{body}");
    assert!(body.contains("dbk_"), "{body}");
    let (status, _) = http(&addr, "POST", "/api/setup", Some(&setup));
    assert_eq!(status, 403);
    let (status, _) = http(&addr, "GET", "/api/networks", None);
    assert_eq!(status, 401);

    let exit = stop(child);
    assert!(exit.success(), "{exit:?}");

    // What the server wrote verifies.
    let verify = dengbao()
        .args([
            "--data-dir",
            dir.path().to_str().unwrap(),
            "audit",
            "verify",
            "--json",
        ])
        .env_remove("DENGBAO_DATABASE_URL")
        .output()
        .unwrap();
    assert!(verify.status.success(), "{verify:?}");
    let report: serde_json::Value = serde_json::from_slice(&verify.stdout).unwrap();
    assert_eq!(report["ok"], true, "{report}");
    // setup token issued, used, administrator and its token created, two denials
    assert!(report["entries"].as_i64().unwrap() >= 6, "{report}");
}

#[test]
fn serve_refuses_a_bad_listen_address_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dengbao()
        .args([
            "--data-dir",
            dir.path().to_str().unwrap(),
            "serve",
            "--listen",
            "localhost",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--listen"));
}

#[test]
fn a_database_url_that_is_not_postgres_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = dengbao()
        .args([
            "--data-dir",
            dir.path().to_str().unwrap(),
            "--database",
            "mysql://x/y",
            "audit",
            "verify",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--database"));
}
