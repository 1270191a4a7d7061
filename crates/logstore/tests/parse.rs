//! The parser over real-world syslog header variants: one case per block in
//! `tests/parse_cases.txt`, every field checked, all mismatches reported together.

use dengbao_logstore::{parse, search::flag_names, Format, Record};

const DEFAULT_RECEIVED: &str = "2026-11-25T10:16:00+08:00";

/// `\xHH` → that byte, `\\` → a backslash.
fn unescape(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && b.get(i + 1) == Some(&b'x') {
            let hex = std::str::from_utf8(&b[i + 2..i + 4]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 4;
        } else if b[i] == b'\\' && b.get(i + 1) == Some(&b'\\') {
            out.push(b'\\');
            i += 2;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

fn micros(t: &str) -> i64 {
    t.parse::<jiff::Timestamp>()
        .unwrap_or_else(|e| panic!("{t}: {e}"))
        .as_microsecond()
}

fn opt(v: &str) -> Option<String> {
    (v != "-").then(|| v.to_string())
}

/// The cases: each a map from key to value, in file order.
fn cases() -> Vec<Vec<(String, String)>> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/parse_cases.txt"
    ))
    .unwrap();
    let mut cases = vec![];
    let mut cur: Vec<(String, String)> = vec![];
    for line in text.lines().chain([""]) {
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            if !cur.is_empty() {
                cases.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let (k, v) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("no `key:` in {line:?}"));
        cur.push((k.to_string(), v.strip_prefix(' ').unwrap_or(v).to_string()));
    }
    cases
}

fn check(case: &[(String, String)]) -> Vec<String> {
    let get = |k: &str| {
        case.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let need = |k: &str| get(k).unwrap_or_else(|| panic!("case {case:?} lacks `{k}`"));
    let name = need("name");
    let received_us = micros(get("received").unwrap_or(DEFAULT_RECEIVED));
    let raw = unescape(need("raw"));
    let rec = Record {
        received_us,
        network: "办公网".into(),
        source: "udp:10.1.1.1:514".into(),
        format: Format::Auto,
        raw: raw.clone(),
    };
    let p = parse::parse(&rec);
    let text = parse::decode_text(&rec.raw).0;
    let want_time = match need("time") {
        "received" => received_us,
        t => micros(t),
    };
    let show = |us: i64| {
        jiff::Timestamp::from_microsecond(us)
            .map(|t| t.to_string())
            .unwrap_or_default()
    };
    let want_flags: Vec<&str> = match need("flags") {
        "-" => vec![],
        f => f.split(',').map(str::trim).collect(),
    };
    let sev = |v: &str| opt(v).map(|s| s.parse::<u8>().unwrap());
    let mut bad = vec![];
    let mut cmp = |field: &str, got: String, want: String| {
        if got != want {
            bad.push(format!("{name}: {field}: got {got}, want {want}"));
        }
    };
    cmp("time", show(p.time_us), show(want_time));
    cmp(
        "host",
        format!("{:?}", p.host),
        format!("{:?}", opt(need("host"))),
    );
    cmp(
        "app",
        format!("{:?}", p.app),
        format!("{:?}", opt(need("app"))),
    );
    cmp(
        "pid",
        format!("{:?}", p.pid),
        format!("{:?}", opt(need("pid"))),
    );
    cmp(
        "severity",
        format!("{:?}", p.severity),
        format!("{:?}", sev(need("severity"))),
    );
    cmp(
        "facility",
        format!("{:?}", p.facility),
        format!("{:?}", sev(need("facility"))),
    );
    cmp(
        "format",
        format!("{:?}", p.format),
        format!("{:?}", Format::parse_name(need("format")).unwrap()),
    );
    cmp(
        "flags",
        format!("{:?}", flag_names(p.flags)),
        format!("{want_flags:?}"),
    );
    cmp(
        "message",
        p.message(&text).to_string(),
        need("message").to_string(),
    );
    // The record keeps the bytes it came with.
    cmp("raw", format!("{:?}", rec.raw), format!("{raw:?}"));
    bad
}

#[test]
fn real_world_header_variants() {
    let cases = cases();
    assert!(cases.len() >= 20, "{} cases read", cases.len());
    let bad: Vec<String> = cases.iter().flat_map(|c| check(c)).collect();
    assert!(
        bad.is_empty(),
        "{} mismatches:\n{}",
        bad.len(),
        bad.join("\n")
    );
}
