//! Ingest/search benchmark on synthetic but realistic syslog traffic (sshd, sudo, kernel
//! firewall, nginx RFC 5424, Cisco ACL, Chinese application lines in UTF-8 and, one in 16, a GBK firewall line), durability on.
//!
//! cargo run --release -p dengbao-logstore --example bench -- EVENTS DIR [sha256] [--mix zipf] [--format 2]
//! Writes DIR/raw.log (the same lines, for `gzip -9` / `zgrep` comparison) and DIR/logs/.
//! `--mix zipf` (anywhere) uses the realistic-shape generator instead
//! (`dengbao_logstore::testkit::realistic`: ~34 templates, Zipf-drawn IPs, users and hosts,
//! needles at 1, 100, 10,000 and 1,000,000 per 10M events) and checks every needle's count.
//! `--format 2` seals segments in format 2 (postings name blocks) to compare with format 3;
//! `--min-events M` sets format 3's threshold of per-event postings (decision 0725).
//! `bench --gen EVENTS FILE` only writes the lines (what scripts/bench-logs.sh sends with loggen);
//! `bench --query DIR QUERY` opens the store at DIR read-only in this fresh process and prints
//! `{"total", "days", "ms"}` for `count QUERY` (`--query DIR --verify` runs a full verify).
//! `bench --session DIR QUERY…` opens the store once and runs each query three times in that
//! process, as a database session does (`top:QUERY` ranks the IPv4 addresses of QUERY's
//! lines); one JSON line per query: `{"query", "total", "ms"}`, the median.

use std::io::Write;
use std::time::Instant;

use dengbao_logstore::testkit::{realistic::Realistic, Rng};
use dengbao_logstore::{query, search::Request, Format, OpenOptions, Record, Store};

/// A sink that only counts the bytes written to it.
struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0 += b.len() as u64;
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

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

/// Which generator: the uniform mix of record (scripts/bench-logs.sh) or the realistic one.
enum Mix {
    Uniform(Rng),
    Zipf(Box<Realistic>),
}

impl Mix {
    fn new(zipf: bool, n: u64) -> Mix {
        if zipf {
            Mix::Zipf(Box::new(Realistic::new(n, 0x9e3779b97f4a7c15)))
        } else {
            Mix::Uniform(Rng(0x9e3779b97f4a7c15))
        }
    }
    fn line(&mut self, t: jiff::civil::DateTime, i: u64, n: u64) -> Vec<u8> {
        match self {
            Mix::Uniform(r) => pick_line(r, t, i, n),
            Mix::Zipf(g) => g.line(i),
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().collect();
    let zipf = match args.iter().position(|a| a == "--mix") {
        Some(p) if p + 1 < args.len() => {
            let m = args.remove(p + 1);
            args.remove(p);
            match m.as_str() {
                "zipf" => true,
                "uniform" => false,
                _ => return Err(format!("--mix {m}: use zipf or uniform").into()),
            }
        }
        _ => false,
    };
    let format: u32 = match args.iter().position(|a| a == "--format") {
        Some(p) if p + 1 < args.len() => {
            let f = args.remove(p + 1);
            args.remove(p);
            f.parse().map_err(|_| format!("--format {f}: use 2 or 3"))?
        }
        _ => dengbao_logstore::segment::FORMAT,
    };
    let min_events: u32 = match args.iter().position(|a| a == "--min-events") {
        Some(p) if p + 1 < args.len() => {
            let f = args.remove(p + 1);
            args.remove(p);
            f.parse()
                .map_err(|_| format!("--min-events {f}: a number"))?
        }
        _ => dengbao_logstore::index::MIN_EVENTS,
    };
    match args.get(1).map(String::as_str) {
        Some("--gen") => return generate(&args, zipf),
        Some("--query") => return query_cold(&args),
        Some("--session") => return session(&args),
        _ => {}
    }
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
    let mut mix = Mix::new(zipf, n);
    let mut raw = std::io::BufWriter::new(std::fs::File::create(dir.join("raw.log"))?);
    let suite = if args.get(3).is_some_and(|a| a.starts_with("sha")) {
        dengbao_logstore::crypto::Suite::Sha256Ed25519
    } else {
        dengbao_logstore::crypto::Suite::Sm3Sm2
    };
    let mut store = Store::open_with_test_clock(
        &dir.join("logs"),
        OpenOptions {
            now: None,
            write: true,
            suite,
            head: None,
        },
        now,
    )?;
    store.set_test_segment_format(format, min_events);
    let cpu0 = cpu_seconds();
    let step_ms = (30 * 86_400_000) / n.max(1) as i64;
    let mut batch = Vec::with_capacity(8192);
    let mut raw_bytes = 0u64;
    let t0 = Instant::now();
    for i in 0..n {
        let t = start.checked_add(jiff::Span::new().milliseconds(step_ms * i as i64))?;
        let l = mix.line(t, i, n);
        raw_bytes += l.len() as u64 + 1;
        raw.write_all(&l)?;
        raw.write_all(b"\n")?;
        batch.push(Record {
            received_us: now.as_microsecond(),
            network: "bench".into(),
            source: "file:raw.log".into(),
            format: Format::Auto,
            raw: l,
        });
        if batch.len() == 8192 {
            store.append(&batch)?; // fsync per batch: group commit
            batch.clear();
        }
    }
    store.append(&batch)?;
    store.seal()?;
    let ingest = t0.elapsed();
    let cpu = cpu_seconds() - cpu0;
    raw.flush()?;
    drop(raw);
    // The storage aim of issue 14: at or below zstd -3 of the raw text, index included.
    let zstd3 = {
        let mut sink = Counter(0);
        zstd::stream::copy_encode(std::fs::File::open(dir.join("raw.log"))?, &mut sink, 3)?;
        sink.0
    };
    let seg_bytes: u64 = walk(&dir.join("logs/segments"))
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    let mut parts = (0u64, 0u64, 0u64);
    for p in walk(&dir.join("logs/segments")) {
        let r = dengbao_logstore::segment::SegmentReader::open(&p)?;
        let (a, b, c) = r.part_sizes();
        parts = (parts.0 + a, parts.1 + b, parts.2 + c);
    }
    let cp_bytes = std::fs::metadata(dir.join("logs/checkpoints.log"))?.len();
    println!(
        "zstd -3 of raw text    {zstd3} ({:.1} B/event)",
        zstd3 as f64 / n as f64
    );
    let time = |q: &str| -> Result<(u64, f64), Box<dyn std::error::Error>> {
        let req = Request {
            query: Some(query::parse(q)?),
            ..Request::default()
        };
        let t = Instant::now();
        let c = store.count(&req)?;
        Ok((c.total, t.elapsed().as_secs_f64() * 1000.0))
    };
    println!("events                 {n} (segment format {format}, per-event postings from {min_events} events)");
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
        "ingest CPU             {cpu:.2} s user+sys (all threads, generator included): {:.0} events per CPU-second",
        n as f64 / cpu
    );
    println!(
        "segments on disk       {seg_bytes} ({:.1} B/event), checkpoints {cp_bytes} B",
        seg_bytes as f64 / n as f64
    );
    println!(
        "  of which             records {:.1}, head+columns {:.1}, index {:.1} B/event",
        parts.0 as f64 / n as f64,
        parts.1 as f64 / n as f64,
        parts.2 as f64 / n as f64
    );
    let mut queries: Vec<(String, Option<u64>)> = Vec::new();
    if let Mix::Zipf(g) = &mix {
        for nd in g.needles() {
            queries.push((nd.term.to_string(), Some(nd.count)));
            queries.push((format!("\"{}\"", nd.phrase), Some(nd.count)));
        }
        for q in [
            "\"Failed password\"",
            "root",
            "\"Failed password\" root",
            "sshd NOT root",
            "4625 OR 4624",
            "登录失败",
            "被拒绝",
            "host:web01 sshd",
            "",
        ] {
            queries.push((q.to_string(), None));
        }
    }
    let uniform = [
        "needle7f3a",
        "\"Invalid user needle7f3a\"",
        "\"203.0.113.9 port 4242\"",
        "203.0.113.9",
        "sshd",
        "\"Invalid user\"",
        "支付订单",
        "被拒绝",
        "",
    ];
    if queries.is_empty() {
        queries = uniform.iter().map(|q| (q.to_string(), None)).collect();
    }
    let mut wrong = 0;
    for (q, want) in &queries {
        let (c, ms) = time(q)?;
        let check = match want {
            Some(w) if *w == c => " (planted: equal)".to_string(),
            Some(w) => {
                wrong += 1;
                format!(" (planted {w}: WRONG)")
            }
            None => String::new(),
        };
        println!("count {q:<34} {c:>9} matches  {ms:>9.1} ms{check}");
    }
    let t = Instant::now();
    let v = store.verify();
    println!(
        "verify                 ok={} {:.2} s",
        v.ok,
        t.elapsed().as_secs_f64()
    );
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if wrong > 0 {
        return Err(format!("{wrong} needle counts differ from what was planted").into());
    }
    if let Some(l) = status.lines().find(|l| l.starts_with("VmHWM")) {
        println!(
            "peak memory            {}",
            l.trim_start_matches("VmHWM:").trim()
        );
    }
    Ok(())
}

/// user + system CPU seconds of this process so far (all threads), from /proc/self/stat.
fn cpu_seconds() -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = s.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    // Fields 14 and 15 of stat (utime, stime) are at 11 and 12 after the `)`, in clock ticks.
    (f.get(11).unwrap_or(&0.0) + f.get(12).unwrap_or(&0.0)) / 100.0
}

/// One cold query (or verify) on an existing store: open, count, print JSON.
fn query_cold(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(args.get(2).ok_or("usage: bench --query DIR QUERY")?);
    let q = args.get(3).cloned().unwrap_or_default();
    let t = Instant::now();
    let store = Store::open(&dir, OpenOptions::default())?;
    if q == "--verify" {
        let v = store.verify();
        println!(
            "{{\"ok\": {}, \"events\": {}, \"ms\": {:.1}}}",
            v.ok,
            v.events_checked,
            t.elapsed().as_secs_f64() * 1000.0
        );
        return Ok(());
    }
    let c = store.count(&Request {
        query: Some(query::parse(&q)?),
        ..Request::default()
    })?;
    println!(
        "{{\"total\": {}, \"days\": {}, \"ms\": {:.1}}}",
        c.total,
        c.by_day.len(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}

/// Queries in one open store, each three times; the median time of each.
fn session(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(args.get(2).ok_or("usage: bench --session DIR QUERY…")?);
    let store = Store::open(&dir, OpenOptions::default())?;
    for q in &args[3..] {
        let (top, text) = match q.strip_prefix("top:") {
            Some(t) => (true, t),
            None => (false, q.as_str()),
        };
        let req = Request {
            query: Some(query::parse(text)?),
            ..Request::default()
        };
        let mut times = Vec::new();
        let mut total = String::new();
        for _ in 0..3 {
            let t = Instant::now();
            total = if top {
                let r = store.top(&req, dengbao_logstore::stats::TopField::Ip, 10)?;
                r.values
                    .first()
                    .map(|v| v.value.clone())
                    .unwrap_or_default()
            } else {
                store.count(&req)?.total.to_string()
            };
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{}",
            serde_json::json!({"query": q, "total": total, "ms": (times[1] * 10.0).round() / 10.0})
        );
    }
    Ok(())
}

/// The same lines as the benchmark, into FILE (no store).
fn generate(args: &[String], zipf: bool) -> Result<(), Box<dyn std::error::Error>> {
    let n: u64 = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000_000);
    let path = args
        .get(3)
        .cloned()
        .unwrap_or_else(|| "/tmp/dengbao-gen.log".into());
    let start = jiff::civil::date(2026, 10, 26).at(0, 0, 0, 0);
    let mut mix = Mix::new(zipf, n);
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    let step_ms = (30 * 86_400_000) / n.max(1) as i64;
    for i in 0..n {
        let t = start.checked_add(jiff::Span::new().milliseconds(step_ms * i as i64))?;
        out.write_all(&mix.line(t, i, n))?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

fn pick_line(r: &mut Rng, t: jiff::civil::DateTime, i: u64, n: u64) -> Vec<u8> {
    if i == n / 2 {
        return NEEDLE.as_bytes().to_vec();
    }
    if r.next().is_multiple_of(16) {
        // A Chinese firewall sending GBK (the raw bytes are kept; search sees the text).
        let l = format!(
            "<12>{} {:>2} {:02}:{:02}:{:02} fw01 防火墙: 源地址 10.{}.{}.{} 访问 {} 端口 被拒绝，策略 {}",
            MONTHS[t.month() as usize - 1],
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            r.next() % 4,
            r.next() % 256,
            r.next() % 256,
            r.pick(&["22", "3389", "445"]),
            r.pick(&["默认拒绝", "外网访问控制", "高危端口"])
        );
        return encoding_rs::GBK.encode(&l).0.into_owned();
    }
    line(r, t, i).into_bytes()
}

const NEEDLE: &str =
    "<38>Nov 10 12:00:00 web01 sshd[4242]: Invalid user needle7f3a from 203.0.113.9 port 4242";

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
