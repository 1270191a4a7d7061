//! Ingest/search benchmark on synthetic but realistic syslog traffic (sshd, sudo, kernel
//! firewall, nginx RFC 5424, Cisco ACL, GBK-free Chinese app lines), durability on.
//!
//! cargo run --release -p dengbao-logstore --example bench -- EVENTS DIR
//! Writes DIR/raw.log (the same lines, for `gzip -9` / `zgrep` comparison) and DIR/logs/.

use std::io::Write;
use std::time::Instant;

use dengbao_logstore::{query, search::Request, testkit::Rng, Format, OpenOptions, Record, Store};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn line(r: &mut Rng, t: jiff::civil::DateTime, i: u64) -> String {
    let users = [
        "admin", "root", "oracle", "deploy", "zhangsan", "lisi", "test", "backup", "git", "ubuntu",
    ];
    let hosts = ["web01", "web02", "db01", "gw01", "app01", "app02"];
    let ip = format!("10.{}.{}.{}", r.next() % 4, r.next() % 256, r.next() % 256);
    let ext = format!(
        "{}.{}.{}.{}",
        1 + r.next() % 223,
        r.next() % 256,
        r.next() % 256,
        r.next() % 256
    );
    let port = 1024 + r.next() % 64000;
    let bsd = format!(
        "{} {:>2} {:02}:{:02}:{:02}",
        MONTHS[t.month() as usize - 1],
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    let host = r.pick(&hosts);
    let pid = 1000 + r.next() % 30000;
    match r.next() % 8 {
        0 => format!("<38>{bsd} {host} sshd[{pid}]: Failed password for {} from {ext} port {port} ssh2", r.pick(&users)),
        1 => format!("<38>{bsd} {host} sshd[{pid}]: Invalid user {} from {ext} port {port}", r.pick(&users)),
        2 => format!("<38>{bsd} {host} sshd[{pid}]: Accepted publickey for {} from {ip} port {port} ssh2: ED25519 SHA256:{:x}", r.pick(&users), r.next()),
        3 => format!("<85>{bsd} {host} sudo:   {} : TTY=pts/{} ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx", r.pick(&users), r.next() % 9),
        4 => format!("<4>{bsd} gw01 kernel: [{}.{:06}] IPTABLES-DROP: IN=eth0 OUT= SRC={ext} DST={ip} LEN=60 TTL=51 ID={} DF PROTO=TCP SPT={port} DPT={} SYN", i / 100, r.next() % 1000000, r.next() % 65535, r.pick(&["22", "23", "445", "3389", "80"])),
        5 => format!("<134>1 {}+08:00 {host}.example.cn nginx {pid} ACCESS - {ip} - - \"GET /api/v1/orders/{} HTTP/1.1\" {} {} \"-\" \"Mozilla/5.0\"", t.strftime("%Y-%m-%dT%H:%M:%S%.3f"), r.next() % 100000, r.pick(&["200", "200", "200", "304", "404", "500"]), r.next() % 20000),
        6 => format!("<189>{}: *{bsd}: %SEC-6-IPACCESSLOGP: list 110 denied tcp {ext}({port}) -> {ip}({}), 1 packet", i % 100000, r.pick(&["22", "23", "445"])),
        _ => format!("<14>1 {}+08:00 {host}.example.cn payment {pid} AUDIT - 用户 {} 支付订单 {} 成功，金额 {}.{:02} 元", t.strftime("%Y-%m-%dT%H:%M:%S"), r.pick(&users), r.next() % 1000000, r.next() % 5000, r.next() % 100),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let n: u64 = args
        .get(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let dir = std::path::PathBuf::from(
        args.get(2)
            .cloned()
            .unwrap_or_else(|| "/tmp/dengbao-bench".into()),
    );
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let now: jiff::Timestamp = "2026-11-25T02:00:00Z".parse()?;
    let start = jiff::civil::date(2026, 10, 26).at(0, 0, 0, 0);
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let mut raw = std::io::BufWriter::new(std::fs::File::create(dir.join("raw.log"))?);
    let mut store = Store::open(
        &dir.join("logs"),
        OpenOptions {
            now: Some(now),
            write: true,
            ..OpenOptions::default()
        },
    )?;
    let step_ms = (30 * 86_400_000) / n.max(1) as i64;
    let mut batch = Vec::with_capacity(8192);
    let mut raw_bytes = 0u64;
    let t0 = Instant::now();
    for i in 0..n {
        let t = start.checked_add(jiff::Span::new().milliseconds(step_ms * i as i64))?;
        let mut l = line(&mut rng, t, i);
        if i == n / 2 {
            l = "<38>Nov 10 12:00:00 web01 sshd[4242]: Invalid user needle7f3a from 203.0.113.9 port 4242".to_string();
        }
        raw_bytes += l.len() as u64 + 1;
        writeln!(raw, "{l}")?;
        batch.push(Record {
            received_us: now.as_microsecond(),
            network: "bench".into(),
            source: "file:raw.log".into(),
            format: Format::Auto,
            raw: l.into_bytes(),
        });
        if batch.len() == 8192 {
            store.append(&batch)?; // fsync per batch: group commit
            batch.clear();
        }
    }
    store.append(&batch)?;
    store.seal()?;
    let ingest = t0.elapsed();
    raw.flush()?;
    let seg_bytes: u64 = walk(&dir.join("logs/segments"))
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    let cp_bytes = std::fs::metadata(dir.join("logs/checkpoints.log"))?.len();
    let time = |q: &str| -> Result<(u64, f64), Box<dyn std::error::Error>> {
        let req = Request {
            query: Some(query::parse(q)?),
            ..Request::default()
        };
        let t = Instant::now();
        let c = store.count(&req)?;
        Ok((c.total, t.elapsed().as_secs_f64() * 1000.0))
    };
    println!("events                 {n}");
    println!(
        "raw text bytes         {raw_bytes} ({:.1} B/event)",
        raw_bytes as f64 / n as f64
    );
    println!(
        "ingest (durable)       {:.2} s, {:.0} events/s (single thread)",
        ingest.as_secs_f64(),
        n as f64 / ingest.as_secs_f64()
    );
    println!(
        "segments on disk       {seg_bytes} ({:.1} B/event), checkpoints {cp_bytes} B",
        seg_bytes as f64 / n as f64
    );
    for q in [
        "needle7f3a",
        "\"Invalid user needle7f3a\"",
        "\"203.0.113.9 port 4242\"",
        "sshd",
        "\"Invalid user\"",
        "支付订单",
        "",
    ] {
        let (c, ms) = time(q)?;
        println!("count {q:<28} {c:>9} matches  {ms:>9.1} ms");
    }
    let t = Instant::now();
    let v = store.verify();
    println!(
        "verify                 ok={} {:.2} s",
        v.ok,
        t.elapsed().as_secs_f64()
    );
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if let Some(l) = status.lines().find(|l| l.starts_with("VmHWM")) {
        println!(
            "peak memory            {}",
            l.trim_start_matches("VmHWM:").trim()
        );
    }
    Ok(())
}

fn walk(d: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(d) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p))
            } else {
                out.push(p)
            }
        }
    }
    out
}
