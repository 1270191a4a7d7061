//! Issue 17 item 2: anonymous large bodies and slow connections cannot exhaust the server
//! (decision 0921). A real server on 127.0.0.1, bounded in connections and time:
//! - 32 anonymous posts declaring 63 MiB each (and writing as fast as they can) are refused
//!   413 from their headers, to the console and 401 from the API, and the process grows by
//!   less than [`RSS_GROWTH_BOUND`];
//! - 50 connections trickling their headers are closed within the header deadline;
//! - an anonymous body trickled in is answered 408 within the body deadline;
//! - and the server still answers afterwards.

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::App;
use dengbao_console::conn::HEADER_READ_TIMEOUT;
use dengbao_console::csrf::ANONYMOUS_BODY_TIMEOUT;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// What 32 anonymous 63 MiB posts may add to the resident size of the process (server and
/// these clients together): a few buffers each, never the bodies.
const RSS_GROWTH_BOUND: u64 = 64 << 20;

/// Slack for a loaded machine on top of a deadline.
const SLACK: Duration = Duration::from_secs(5);

fn rss() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

async fn server() -> (App, SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let app = App::new().await;
    app.set_up().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let state = app.state.clone();
    let logs = app.dir.path().join("logs");
    tokio::spawn(async move {
        dengbao_console::serve(listener, state, logs, async {
            let _ = rx.await;
        })
        .await
        .unwrap();
    });
    (app, addr, tx)
}

/// The status line's code of what the server answered, reading at most until `deadline`.
async fn status_of(s: &mut TcpStream, deadline: Duration) -> Option<u16> {
    let mut buf = vec![0u8; 1024];
    let n = tokio::time::timeout(deadline, s.read(&mut buf))
        .await
        .ok()?
        .ok()?;
    let head = String::from_utf8_lossy(&buf[..n]);
    head.split_whitespace().nth(1)?.parse().ok()
}

/// Post `path` declaring a 63 MiB body, then write body bytes until the server stops
/// taking them (or 63 MiB are sent); return the answer's status code.
async fn big_post(addr: SocketAddr, path: &str) -> Option<u16> {
    let mut s = TcpStream::connect(addr).await.ok()?;
    let len = 63u64 << 20;
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {len}\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.ok()?;
    let (mut r, mut w) = s.into_split();
    let writer = tokio::spawn(async move {
        let chunk = vec![b'a'; 64 << 10];
        let mut sent = 0u64;
        while sent < len {
            if w.write_all(&chunk).await.is_err() {
                break;
            }
            sent += chunk.len() as u64;
        }
        sent
    });
    let mut buf = vec![0u8; 1024];
    let n = tokio::time::timeout(Duration::from_secs(10), r.read(&mut buf))
        .await
        .ok()?
        .ok()?;
    let sent = tokio::time::timeout(Duration::from_secs(10), writer)
        .await
        .ok()?
        .ok()?;
    assert!(sent < len, "{path}: the server read the whole 63 MiB body");
    let head = String::from_utf8_lossy(&buf[..n]);
    head.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_large_bodies_are_refused_unread_and_memory_stays_bounded() {
    let (_app, addr, stop) = server().await;
    let before = rss();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..32 {
        let path = if i % 2 == 0 {
            "/signin"
        } else {
            "/api/networks/n1/evidence"
        };
        tasks.push(tokio::spawn(
            async move { (path, big_post(addr, path).await) },
        ));
    }
    for t in tasks {
        let (path, status) = t.await.unwrap();
        let want = if path == "/signin" { 413 } else { 401 };
        assert_eq!(status, Some(want), "{path}");
    }
    let grown = rss().saturating_sub(before);
    assert!(
        grown < RSS_GROWTH_BOUND,
        "resident size grew by {grown} bytes (bound {RSS_GROWTH_BOUND})"
    );
    assert!(started.elapsed() < Duration::from_secs(30));
    // A body without a declared length is cut off at the anonymous limit, not read on.
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"POST /signin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n")
        .await
        .unwrap();
    let chunk = format!("{:x}\r\n{}\r\n", 32 << 10, "a".repeat(32 << 10));
    let _ = s.write_all(chunk.as_bytes()).await;
    assert_eq!(status_of(&mut s, Duration::from_secs(10)).await, Some(413));
    // Still serving.
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /signin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    assert_eq!(status_of(&mut s, Duration::from_secs(10)).await, Some(200));
    let _ = stop.send(());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_connections_are_closed_within_the_deadlines() {
    let (_app, addr, stop) = server().await;
    let started = Instant::now();
    // Slowloris: headers one line a second, never finished.
    let mut tasks = Vec::new();
    for i in 0..50 {
        tasks.push(tokio::spawn(async move {
            let mut s = TcpStream::connect(addr).await.unwrap();
            s.write_all(b"POST /signin HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                .await
                .unwrap();
            let t0 = Instant::now();
            let mut buf = [0u8; 512];
            loop {
                tokio::select! {
                    r = s.read(&mut buf) => {
                        // Closed (0), reset, or a 408 before the close: the server ended it.
                        if matches!(r, Ok(0) | Err(_)) { return t0.elapsed(); }
                    }
                    _ = tokio::time::sleep(Duration::from_secs(1)) => {
                        if s.write_all(format!("X-Slow-{i}: {}\r\n", t0.elapsed().as_secs()).as_bytes()).await.is_err() {
                            return t0.elapsed();
                        }
                    }
                }
                if t0.elapsed() > HEADER_READ_TIMEOUT + SLACK * 2 {
                    return t0.elapsed();
                }
            }
        }));
    }
    // A slow anonymous body: complete headers, then a byte a second.
    let body = tokio::spawn(async move {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"POST /signin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 4096\r\n\r\n")
            .await
            .unwrap();
        let t0 = Instant::now();
        let mut buf = [0u8; 1024];
        loop {
            tokio::select! {
                r = s.read(&mut buf) => {
                    let head = match r { Ok(n) => String::from_utf8_lossy(&buf[..n]).to_string(), Err(_) => String::new() };
                    return (t0.elapsed(), head);
                }
                _ = tokio::time::sleep(Duration::from_secs(1)) => {
                    let _ = s.write_all(b"a").await;
                }
            }
        }
    });
    for t in tasks {
        let held = t.await.unwrap();
        assert!(
            held <= HEADER_READ_TIMEOUT + SLACK,
            "a slow connection was held {held:?} (deadline {HEADER_READ_TIMEOUT:?})"
        );
    }
    let (held, head) = body.await.unwrap();
    assert!(head.starts_with("HTTP/1.1 408"), "{head}");
    assert!(held <= ANONYMOUS_BODY_TIMEOUT + SLACK, "{held:?}");
    assert!(started.elapsed() < Duration::from_secs(40));
    // Still serving.
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /signin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    assert_eq!(status_of(&mut s, Duration::from_secs(10)).await, Some(200));
    let _ = stop.send(());
}
