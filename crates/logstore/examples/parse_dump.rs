//! Print what the parser makes of each line of the given files (a debugging aid).
use dengbao_logstore::{parse, Format, Record};

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap_or_default();
        for line in bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            let rec = Record {
                received_us: 1_795_000_000_000_000,
                network: "n".into(),
                source: path.clone(),
                format: Format::Auto,
                raw: line.to_vec(),
            };
            let p = parse::parse(&rec);
            let t = jiff::Timestamp::from_microsecond(p.time_us)
                .map(|t| t.to_string())
                .unwrap_or_default();
            println!(
                "{t} host={:?} app={:?} sev={:?} fmt={:?} flags={}",
                p.host, p.app, p.severity, p.format, p.flags
            );
        }
    }
}
