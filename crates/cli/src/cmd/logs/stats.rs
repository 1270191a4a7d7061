//! `dengbao logs stats [--json]`: what the log centre holds, from its checkpoint chain —
//! per network the live segments, events, bytes on disk, the oldest and newest event, the
//! retention policy and the expired segments; and in total the bytes per event. Read-only;
//! it does not decode a segment (issue 14: "a `dengbao logs stats` summary").

use std::collections::BTreeMap;

use dengbao_logstore::Store;
use dengbao_types::Lang;
use serde::Serialize;

#[derive(Debug, Default, Serialize)]
pub struct NetworkStats {
    pub segments: u64,
    pub events: u64,
    /// Bytes of its live segment files (compressed records, meta and index).
    pub bytes: u64,
    /// The oldest and newest event kept (RFC 3339), if any.
    pub oldest: Option<String>,
    pub newest: Option<String>,
    pub expired_segments: u64,
    /// Retention in months when set (`logs policy`), else the six-month floor applies.
    pub retention_months: Option<u32>,
    pub sources: usize,
    /// The oldest event kept reaches back to the six-month floor (网络安全法 第二十一条（三）).
    pub covers_floor: bool,
    /// Not covering it only because the network's logs begin after the floor's start and
    /// none were removed (a network younger than six months).
    pub younger_than_floor: bool,
}

#[derive(Debug, Default, Serialize)]
pub struct Stats {
    pub networks: BTreeMap<String, NetworkStats>,
    pub events: u64,
    pub bytes: u64,
    pub bytes_per_event: Option<f64>,
    pub checkpoints: usize,
    /// The newest checkpoint's time (RFC 3339).
    pub last_checkpoint: Option<String>,
    /// The start of the six-month window (RFC 3339).
    pub floor_start: Option<String>,
    pub holds: usize,
    /// The last `logs verify` recorded in the console's database (decision 0926).
    pub last_verify: Option<dengbao_store::log_heads::LogVerification>,
}

fn rfc3339(us: i64) -> Option<String> {
    jiff::Timestamp::from_microsecond(us)
        .ok()
        .map(|t| t.to_string())
}

pub fn stats(store: &Store) -> Stats {
    let cat = store.catalog();
    let mut s = Stats {
        checkpoints: cat.checkpoints.len(),
        holds: cat.holds.len(),
        ..Stats::default()
    };
    let segments = store.dir().join("segments");
    let mut span: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let mut sources: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for seg in cat.live.values() {
        let n = s.networks.entry(seg.network.clone()).or_default();
        n.segments += 1;
        n.events += seg.count;
        n.bytes += std::fs::metadata(segments.join(&seg.file))
            .map(|m| m.len())
            .unwrap_or(0);
        let e = span
            .entry(seg.network.clone())
            .or_insert((seg.min_time_us, seg.max_time_us));
        e.0 = e.0.min(seg.min_time_us);
        e.1 = e.1.max(seg.max_time_us);
        sources
            .entry(seg.network.clone())
            .or_default()
            .extend(seg.sources.keys().cloned());
    }
    for (seg, _) in cat.expired.values() {
        s.networks
            .entry(seg.network.clone())
            .or_default()
            .expired_segments += 1;
    }
    for (net, months) in &cat.policies {
        s.networks.entry(net.clone()).or_default().retention_months = Some(*months);
    }
    for (net, n) in s.networks.iter_mut() {
        if let Some((a, b)) = span.get(net) {
            n.oldest = rfc3339(*a);
            n.newest = rfc3339(*b);
        }
        n.sources = sources.get(net).map_or(0, |x| x.len());
    }
    let ops = store.ops_snapshot();
    for f in &ops.networks {
        if let Some(n) = s.networks.get_mut(&f.network) {
            n.covers_floor = f.covers_floor;
            n.younger_than_floor = f.younger_than_floor;
        }
    }
    s.last_checkpoint = ops.last_checkpoint_us.and_then(rfc3339);
    s.floor_start = rfc3339(ops.floor_start_us);
    s.events = s.networks.values().map(|n| n.events).sum();
    s.bytes = s.networks.values().map(|n| n.bytes).sum();
    s.bytes_per_event = (s.events > 0).then(|| s.bytes as f64 / s.events as f64);
    s
}

pub fn print(s: &Stats, lang: Lang) {
    for (net, n) in &s.networks {
        let policy = match n.retention_months {
            Some(m) => format!("{m}{}", lang.pick("个月", " months")),
            None => lang
                .pick("六个月（法定下限）", "six months (the legal floor)")
                .to_string(),
        };
        let floor = match (n.covers_floor, n.younger_than_floor) {
            (true, _) => lang.pick("已覆盖六个月", "six months covered"),
            (false, true) => lang.pick(
                "不足六个月（网络较新）",
                "under six months (younger network)",
            ),
            (false, false) => lang.pick("未覆盖六个月", "six months NOT covered"),
        };
        println!(
            "{net}: {} {}, {} {}, {} {}, {} {} – {}, {floor}, {} {policy}, {} {}",
            n.events,
            lang.pick("条事件", "events"),
            n.segments,
            lang.pick("个分段", "segments"),
            n.bytes,
            lang.pick("字节", "bytes"),
            lang.pick("时间", "from"),
            n.oldest.as_deref().unwrap_or("-"),
            n.newest.as_deref().unwrap_or("-"),
            lang.pick("保存期", "retention"),
            n.expired_segments,
            lang.pick("个分段已过期删除", "segments expired"),
        );
    }
    let per = s
        .bytes_per_event
        .map_or_else(|| "-".to_string(), |b| format!("{b:.1}"));
    println!(
        "{} {} {}, {} {}, {per} {}; {} {}, {} {}",
        lang.pick("合计", "Total"),
        s.events,
        lang.pick("条事件", "events"),
        s.bytes,
        lang.pick("字节", "bytes"),
        lang.pick("字节/事件", "bytes/event"),
        s.checkpoints,
        lang.pick("个签名检查点", "signed checkpoints"),
        s.holds,
        lang.pick("项保全", "legal holds"),
    );
    let last = s
        .last_checkpoint
        .as_deref()
        .map_or_else(|| "-".to_string(), str::to_string);
    println!("{} {last}", lang.pick("最新检查点：", "Newest checkpoint:"));
    match &s.last_verify {
        Some(v) => println!(
            "{} {} {}, {} {}, {}",
            lang.pick("最近校验：", "Last verify:"),
            v.verified_at,
            if v.ok {
                lang.pick("通过", "passed")
            } else {
                lang.pick("未通过", "FAILED")
            },
            v.checkpoints,
            lang.pick("个检查点", "checkpoints"),
            v.first_problem.as_deref().unwrap_or(""),
        ),
        None => println!(
            "{}",
            lang.pick(
                "最近校验：无记录（`dengbao logs verify` 在有数据库时记录结果）",
                "Last verify: none recorded (`dengbao logs verify` records it when there is a database)"
            )
        ),
    }
}
