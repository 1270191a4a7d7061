//! `dengbao serve` with its log listeners: syslog over UDP and TCP and JSON lines over HTTP
//! reach the store and `dengbao logs search`; a second server on the same store is refused;
//! bad flags and a bad listen.toml are bad input (exit 2).

mod common;
mod listen_server;

use std::io::Write;
use std::net::{TcpStream, UdpSocket};
use std::path::Path;
use std::time::{Duration, Instant};

use listen_server::*;

fn samples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/logs/samples")
}

fn lines(name: &str) -> Vec<Vec<u8>> {
    std::fs::read(samples().join(name))
        .unwrap()
        .split(|c| *c == b'\n')
        .filter(|l| !l.is_empty())
        .map(<[u8]>::to_vec)
        .collect()
}

fn dengbao(data: &Path, args: &[&str]) -> (i32, String, String) {
    common::outcome(
        std::process::Command::new(env!("CARGO_BIN_EXE_dengbao"))
            .env("DENGBAO_LANG", "en")
            .arg("--data-dir")
            .arg(data)
            .args(args)
            .output()
            .unwrap(),
    )
}

/// `dengbao serve --listen 127.0.0.1:0` with `extra` arguments, run to its exit.
fn serve(data: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["serve", "--listen", "127.0.0.1:0"];
    args.extend_from_slice(extra);
    dengbao(data, &args)
}

/// Poll `GET /status` until `kind` has stored `n` events.
fn wait_stored(srv: &Server, kind: &str, n: u64) {
    let t = Instant::now();
    loop {
        let (code, body) = http(srv.addr("logs http"), "GET", "/status", Some(TOKEN), b"").unwrap();
        assert_eq!(code, 200, "{body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        if v["listeners"][kind]["stored"].as_u64() >= Some(n) {
            return;
        }
        assert!(t.elapsed() < Duration::from_secs(30), "{kind}: {body}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn search(data: &Path, query: &str) -> Vec<serde_json::Value> {
    let (code, out, err) = dengbao(
        data,
        &["logs", "search", query, "--json", "--limit", "1000"],
    );
    assert_eq!(code, 0, "{err}");
    let mut lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The last line says where the next page starts: none, under 1,000 events.
    assert_eq!(lines.pop(), Some(serde_json::json!({ "next": null })));
    lines
}

#[test]
fn syslog_and_json_lines_reach_logs_search() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    write_listen_toml(data);
    let srv = start(
        data,
        &[
            "--syslog-udp",
            "127.0.0.1:0",
            "--syslog-tcp",
            "127.0.0.1:0",
            "--logs-http",
            "127.0.0.1:0",
        ],
    );
    for kind in ["syslog udp", "syslog tcp", "logs http"] {
        assert_ne!(srv.addr(kind).port(), 0, "{kind}: the real port is printed");
    }

    // TCP, newline framing: the GBK firewall and Cisco samples.
    let tcp_sent: Vec<Vec<u8>> = [lines("gbk-firewall.log"), lines("cisco-ios.log")].concat();
    let mut s = TcpStream::connect(srv.addr("syslog tcp")).unwrap();
    for l in &tcp_sent {
        s.write_all(l).unwrap();
        s.write_all(b"\n").unwrap();
    }
    drop(s);
    // UDP: the kernel sample, one datagram each.
    let udp_sent = lines("linux-kernel.log");
    let u = UdpSocket::bind("127.0.0.1:0").unwrap();
    for l in &udp_sent {
        u.send_to(l, srv.addr("syslog udp")).unwrap();
    }
    // HTTP: the NXLog sample.
    let http_sent = lines("windows-nxlog.jsonl");
    let (code, body) = http(
        srv.addr("logs http"),
        "POST",
        "/ingest",
        Some(TOKEN),
        &http_sent.join(&b'\n'),
    )
    .unwrap();
    assert_eq!(
        (code, body),
        (200, format!("{{\"accepted\":{}}}", http_sent.len()))
    );

    wait_stored(&srv, "syslog tcp", tcp_sent.len() as u64);
    wait_stored(&srv, "syslog udp", udp_sent.len() as u64);
    assert!(srv.stop().success());

    // GBK stored as received, found by its Chinese text; sources and networks recorded.
    let gbk = search(data, "登录失败");
    assert_eq!(gbk.len(), 1, "{gbk:?}");
    assert_eq!(gbk[0]["network"], "测试网");
    assert!(
        gbk[0]["source"]
            .as_str()
            .unwrap()
            .starts_with("tcp:127.0.0.1:"),
        "{gbk:?}"
    );
    let cisco = search(data, "\"%SEC-6-IPACCESSLOGP\"");
    assert_eq!(
        cisco.len(),
        tcp_sent
            .iter()
            .filter(|l| l.windows(19).any(|w| w == b"%SEC-6-IPACCESSLOGP"))
            .count()
    );
    let syslog = search(data, "network:测试网");
    let from = |p: &str| {
        syslog
            .iter()
            .filter(|h| h["source"].as_str().unwrap().starts_with(p))
            .count()
    };
    assert_eq!(
        (from("udp:127.0.0.1:"), from("tcp:127.0.0.1:")),
        (udp_sent.len(), tcp_sent.len())
    );
    let win = search(data, "network:接入网");
    assert_eq!(win.len(), http_sent.len());
    assert!(win.iter().all(|h| h["source"]
        .as_str()
        .unwrap()
        .starts_with("http:client@127.0.0.1:")));
    let (code, out, _) = dengbao(data, &["logs", "verify"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_second_server_on_the_same_log_store_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    write_listen_toml(data);
    let first = start(data, &["--syslog-tcp", "127.0.0.1:0"]);
    let (code, _, err) = serve(data, &["--syslog-tcp", "127.0.0.1:0"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("in use by another dengbao process"), "{err}");
    assert!(first.stop().success());
}

#[test]
fn bad_listener_settings_are_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let (code, _, err) = serve(data, &["--syslog-tls", "127.0.0.1:0"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--tls-cert"), "{err}");
    let (code, _, err) = serve(data, &["--syslog-tcp", "localhost"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--syslog-tcp"), "{err}");
    std::fs::create_dir_all(data.join("logs")).unwrap();
    std::fs::write(
        data.join("logs/listen.toml"),
        "[sources]\n\"10.0.0.0/40\" = \"办公网\"\n",
    )
    .unwrap();
    let (code, _, err) = serve(data, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("10.0.0.0/40") && err.contains("listen.toml"),
        "{err}"
    );
}
