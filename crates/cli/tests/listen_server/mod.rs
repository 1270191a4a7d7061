//! The real `dengbao serve` with log listeners, for serve_logs.rs and crash_loop.rs: start it,
//! read the addresses it prints, talk HTTP to it, stop it.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub const TOKEN: &str = "crash-loop-ingest-token-0123456789";

/// A `listen.toml` with the test token (network 接入网) and a default network.
pub fn write_listen_toml(data: &Path) {
    let logs = data.join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    std::fs::write(
        logs.join("listen.toml"),
        format!(
            "default_network = \"测试网\"\n[[tokens]]\nname = \"client\"\ntoken = \"{TOKEN}\"\nnetwork = \"接入网\"\n"
        ),
    )
    .unwrap();
}

pub struct Server {
    pub child: Child,
    /// Where the server's stderr goes, shown when it stops with a failure.
    stderr: std::path::PathBuf,
    /// `syslog tcp` → address, as printed (`dengbao: <kind> listening on <addr>`).
    pub addrs: HashMap<String, SocketAddr>,
}

/// Start `dengbao --data-dir DATA serve --listen 127.0.0.1:0 ARGS…` and wait (≤ 60 s) for
/// the API line, collecting the listener lines before it.
pub fn start(data: &Path, args: &[&str]) -> Server {
    let stderr = data.join(format!("serve-{}.stderr", std::process::id()));
    let err_file = std::fs::File::create(&stderr).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dengbao"))
        // The wait reads the English startup lines.
        .env("DENGBAO_LANG", "en")
        .arg("--data-dir")
        .arg(data)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(args)
        .env_remove("DENGBAO_NOW")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(err_file))
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else { return };
            // Keep draining after the test stopped listening: a closed pipe would make
            // the server's next write to stdout fail.
            let _ = tx.send(line);
        }
    });
    let mut addrs = HashMap::new();
    loop {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("dengbao serve printed no API line; listeners: {addrs:?}"));
        if line.starts_with("dengbao: serving the API") {
            break;
        }
        if let Some((kind, at)) = line
            .strip_prefix("dengbao: ")
            .and_then(|l| l.split_once(" listening on "))
        {
            addrs.insert(kind.to_string(), at.parse().unwrap());
        }
    }
    Server {
        child,
        stderr,
        addrs,
    }
}

impl Server {
    pub fn addr(&self, kind: &str) -> SocketAddr {
        self.addrs[kind]
    }

    /// SIGTERM and wait: the graceful stop (drain, seal).
    pub fn stop(mut self) -> std::process::ExitStatus {
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let status = self.child.wait().unwrap();
        if !status.success() {
            let err = std::fs::read_to_string(&self.stderr).unwrap_or_default();
            eprintln!("dengbao serve exited with {status}; its stderr:\n{err}");
        }
        status
    }
}

/// One HTTP/1.1 request with `Connection: close`: `Some((status, body))`, or `None` when the
/// connection failed or the answer was cut off (the server died).
pub fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &[u8],
) -> Option<(u16, String)> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).ok()?;
    s.write_all(body).ok()?;
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).ok()?;
    let text = String::from_utf8(resp).ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    let code = head.split(' ').nth(1)?.parse().ok()?;
    let len: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().to_string())
        })?
        .parse()
        .ok()?;
    (body.len() == len).then(|| (code, body.to_string()))
}
