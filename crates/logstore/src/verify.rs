//! `verify`: recompute everything from the raw records and the signed chain. It checks each
//! checkpoint's signature and link to the previous one, each segment file's digest and
//! Merkle root, every checkpoint's tree root from the leaves (which is the consistency of
//! the whole chain), that expired ranges are covered by their recorded compact ranges, and
//! that no segment file is missing or unexplained. It names the first bad segment and the
//! leaf (event) range affected.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::Path;

use serde::Serialize;

use crate::checkpoint::{self, Checkpoint, SegmentEntry};
use crate::crypto::{Hash, PublicKey, SigningKey, Suite};
use crate::merkle::{compact_range, Frontier};
use crate::segment::SegmentReader;
use crate::store::{segment_files, Store, StoreInfo};

#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub what: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub day: Option<String>,
    /// Leaf (event) numbers affected, inclusive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<(u64, u64)>,
}

impl Problem {
    pub fn plain(what: impl Into<String>) -> Problem {
        Problem {
            what: what.into(),
            segment: None,
            network: None,
            day: None,
            events: None,
        }
    }
    fn seg(s: &SegmentEntry, what: impl Into<String>, events: Option<(u64, u64)>) -> Problem {
        Problem {
            what: what.into(),
            segment: Some(s.id),
            network: Some(s.network.clone()),
            day: Some(s.day.clone()),
            events: events.or(Some((
                s.first_leaf,
                s.first_leaf + s.count.saturating_sub(1),
            ))),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(id) = self.segment {
            write!(f, "segment {id:012}")?;
            if let (Some(n), Some(d)) = (&self.network, &self.day) {
                write!(f, " ({n} {d})")?;
            }
            if let Some((a, b)) = self.events {
                write!(f, " events {a}–{b}")?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.what)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub ok: bool,
    pub suite: Suite,
    pub checkpoints: usize,
    pub tree_size: u64,
    pub root: String,
    pub segments_checked: usize,
    pub events_checked: u64,
    pub expired_segments: usize,
    pub unsealed_wal_records: usize,
    /// In leaf order; the first is the first bad place.
    pub problems: Vec<Problem>,
}

/// Verify the store at `dir` (read-only; needs no secret).
pub fn verify(dir: &Path) -> VerifyReport {
    let mut problems = Vec::new();
    // Scale-out: check the shared catalog and segments, not a stale local copy.
    match crate::backend::sync_for_verify(dir) {
        Ok(head) => problems.extend(head.into_iter().map(Problem::plain)),
        Err(e) => problems.push(Problem::plain(format!("shared storage: {e} / 共享存储"))),
    }
    let info: Option<StoreInfo> = fs::read(dir.join("store.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    let suite = info.as_ref().map_or(Suite::Sm3Sm2, |i| i.suite);
    let mut report = VerifyReport {
        ok: false,
        suite,
        checkpoints: 0,
        tree_size: 0,
        root: String::new(),
        segments_checked: 0,
        events_checked: 0,
        expired_segments: 0,
        unsealed_wal_records: 0,
        problems: Vec::new(),
    };
    if info.is_none() {
        problems.push(Problem::plain(
            "store.json missing or altered / 库信息文件缺失或被改动",
        ));
    }
    let pk = fs::read_to_string(dir.join("keys/public.key"))
        .ok()
        .and_then(|t| {
            let pk = PublicKey::from_text(&t).ok()?;
            (t == format!("{}\n", pk.to_text())).then_some(pk)
        });
    let Some(pk) = pk else {
        problems.push(Problem::plain(
            "keys/public.key missing or altered / 公钥缺失或被改动",
        ));
        report.problems = problems;
        return report;
    };
    if pk.suite != suite {
        problems.push(Problem::plain(
            "keys/public.key does not match the store's suite / 公钥算法不符",
        ));
    }
    if let Ok(raw) = fs::read(dir.join("keys/signing.key")) {
        let hx = String::from_utf8_lossy(&raw);
        let same = hex::decode(hx.trim())
            .ok()
            .and_then(|s| SigningKey::from_secret(suite, &s).ok())
            .is_some_and(|k| k.public() == pk && hx == hex::encode(k.secret_bytes()).as_str());
        if !same {
            problems.push(Problem::plain(
                "keys/signing.key does not match keys/public.key / 私钥被改动",
            ));
        }
    }
    let bytes = fs::read(dir.join("checkpoints.log")).unwrap_or_default();
    let cps = match checkpoint::parse_log(&bytes) {
        Ok((cps, None)) => cps,
        Ok((cps, Some(at))) => {
            problems.push(Problem::plain(format!(
                "checkpoints.log: torn or truncated after byte {at} / 检查点日志尾部被截断"
            )));
            cps
        }
        Err(e) => {
            problems.push(Problem::plain(e.to_string()));
            report.problems = problems;
            return report;
        }
    };
    report.checkpoints = cps.len();
    if cps
        .last()
        .is_some_and(|c| c.body.store_digest != crate::store::store_digest(dir, suite))
    {
        problems.push(Problem::plain(
            "store.json or keys/public.key altered since the last checkpoint / 库信息或公钥被改动",
        ));
    }
    check_chain(&cps, &pk, &mut problems);
    let mut catalog = crate::store::Catalog::default();
    for cp in &cps {
        catalog.apply(cp);
    }
    report.tree_size = catalog.frontier.size;
    report.root = cps.last().map(|c| c.root.clone()).unwrap_or_default();
    // Every segment ever added, in leaf order.
    let mut all: Vec<&SegmentEntry> = cps.iter().flat_map(|c| c.body.added.iter()).collect();
    all.sort_by_key(|s| s.first_leaf);
    let roots: BTreeMap<u64, Vec<&Checkpoint>> = cps.iter().fold(BTreeMap::new(), |mut m, c| {
        m.entry(c.tree_size).or_insert_with(Vec::new).push(c);
        m
    });
    let mut frontier = Frontier::default();
    let mut tree_ok = true;
    let check_roots = |frontier: &Frontier, problems: &mut Vec<Problem>, after: &SegmentEntry| {
        for cp in roots.get(&frontier.size).into_iter().flatten() {
            if cp.root_hash() != Some(frontier.root(suite)) {
                problems.push(Problem::seg(
                    after,
                    format!(
                        "checkpoint #{} root does not match the records / 根哈希不符",
                        cp.seq
                    ),
                    None,
                ));
            }
        }
    };
    for s in &all {
        if s.first_leaf != frontier.size {
            problems.push(Problem::seg(
                s,
                "leaf numbering has a gap or overlap / 叶子编号不连续",
                None,
            ));
            tree_ok = false;
        }
        if let Some((_, exp)) = catalog.expired.get(&s.id) {
            report.expired_segments += 1;
            let expect = compact_range(s.first_leaf, s.first_leaf + s.count);
            let got: Vec<(u8, u64)> = exp.nodes.iter().map(|(l, i, _)| (*l, *i)).collect();
            if expect != got {
                problems.push(Problem::seg(
                    s,
                    "expiry record does not cover the expired events / 过期记录不完整",
                    None,
                ));
                tree_ok = false;
            }
            for (l, _, h) in &exp.nodes {
                match checkpoint::decode_hash(h) {
                    Some(h) if tree_ok => frontier.push_node(suite, *l, h),
                    _ => tree_ok = false,
                }
            }
        } else {
            report.segments_checked += 1;
            match check_segment(dir, suite, s) {
                Ok(leaves) => {
                    report.events_checked += leaves.len() as u64;
                    if tree_ok {
                        for l in leaves {
                            frontier.push_leaf(suite, l);
                        }
                    }
                }
                Err(p) => {
                    problems.push(p);
                    tree_ok = false;
                }
            }
        }
        if tree_ok {
            check_roots(&frontier, &mut problems, s);
        }
    }
    // Files nobody signed for: a planted segment, or the tail of a truncated chain.
    let known: HashSet<&str> = catalog.live.values().map(|s| s.file.as_str()).collect();
    for (rel, _) in segment_files(&dir.join("segments")).unwrap_or_default() {
        if !known.contains(rel.as_str()) && !rel.ends_with(".tmp") {
            problems.push(Problem::plain(format!(
                "segments/{rel}: file is in no checkpoint (planted, or the chain was truncated) / 段文件不在检查点链中"
            )));
        }
    }
    // Unsealed WAL batches are checked against their MACs when the signing key is readable
    // here (the key the MACs derive from); without it, by CRC only.
    let wal_key = crate::wal::WalKey::of_store(dir);
    for seq in crate::wal::list(&dir.join("wal")).unwrap_or_default() {
        if seq <= catalog.wal_sealed {
            continue;
        }
        let p = dir.join("wal").join(format!("{seq:016}.wal"));
        let b = fs::read(&p).unwrap_or_default();
        let legacy_ok = catalog.wal_mac_from == 0 || seq < catalog.wal_mac_from;
        let (recs, valid) = match &wal_key {
            Some(k) => match crate::wal::read_file(&b, seq, k, legacy_ok) {
                Ok(read) => read,
                Err(e) => {
                    problems.push(Problem::plain(e.to_string()));
                    continue;
                }
            },
            None => crate::wal::read_frames(&b),
        };
        report.unsealed_wal_records += recs.len();
        if valid < b.len() {
            problems.push(Problem::plain(format!(
                "wal/{seq:016}.wal: damaged after byte {valid} / 预写日志损坏"
            )));
        }
    }
    report.ok = problems.is_empty();
    report.problems = problems;
    report
}

fn check_chain(cps: &[Checkpoint], pk: &PublicKey, problems: &mut Vec<Problem>) {
    let mut prev: Option<&Checkpoint> = None;
    let mut size = 0u64;
    for (i, cp) in cps.iter().enumerate() {
        if cp.seq != i as u64 {
            problems.push(Problem::plain(format!(
                "checkpoint #{i}: sequence number {} / 检查点序号不连续",
                cp.seq
            )));
        }
        if !cp.signature_ok(pk) {
            problems.push(Problem::plain(format!(
                "checkpoint #{i}: bad signature / 检查点签名无效"
            )));
        }
        let expect_prev = prev.map(|p| p.sig.as_str()).unwrap_or("");
        if cp.prev_sig != expect_prev {
            problems.push(Problem::plain(format!("checkpoint #{i}: does not carry the previous signature (chain broken) / 签名链断裂")));
        }
        size += cp.body.added.iter().map(|a| a.count).sum::<u64>();
        if cp.tree_size != size {
            problems.push(Problem::plain(format!(
                "checkpoint #{i}: tree size {} but segments add up to {size} / 树大小不符",
                cp.tree_size
            )));
        }
        let f = cp.frontier();
        if f.nodes.len() != cp.body.frontier.len() || cp.root_hash() != Some(f.root(cp.suite)) {
            problems.push(Problem::plain(format!(
                "checkpoint #{i}: frontier does not give its root / 检查点前沿不符"
            )));
        }
        prev = Some(cp);
    }
    problems.extend(
        crate::clock::backwards_times(cps)
            .into_iter()
            .map(Problem::plain),
    );
}

/// Check one segment file against its signed entry; return its leaf hashes.
pub(crate) fn check_segment(
    dir: &Path,
    suite: Suite,
    s: &SegmentEntry,
) -> Result<Vec<Hash>, Problem> {
    let path = dir.join("segments").join(&s.file);
    let Ok(bytes) = fs::read(&path) else {
        return Err(Problem::seg(
            s,
            format!("segments/{}: file missing (deleted?) / 段文件缺失", s.file),
            None,
        ));
    };
    let digest_ok = hex::encode(suite.hash(&[&bytes])) == s.file_digest;
    let r = SegmentReader::open(&path).map_err(|e| Problem::seg(s, e.to_string(), None))?;
    let mut leaves = Vec::with_capacity(s.count as usize);
    for b in 0..r.blocks.len() {
        let info = r.blocks[b].clone();
        let range = Some((
            s.first_leaf + u64::from(info.first),
            s.first_leaf + u64::from(info.first + info.count).saturating_sub(1),
        ));
        let recs = r
            .block(b)
            .map_err(|e| Problem::seg(s, e.to_string(), range))?;
        leaves.extend(recs.iter().map(|rec| suite.leaf(rec)));
    }
    if leaves.len() as u64 != s.count {
        return Err(Problem::seg(
            s,
            format!(
                "{} events, checkpoint says {} / 事件数不符",
                leaves.len(),
                s.count
            ),
            None,
        ));
    }
    let mut own = Frontier::default();
    for l in &leaves {
        own.push_leaf(suite, *l);
    }
    if hex::encode(own.root(suite)) != s.root {
        return Err(Problem::seg(
            s,
            "records altered: Merkle root does not match / 记录被篡改",
            None,
        ));
    }
    if !digest_ok {
        return Err(Problem::seg(
            s,
            "meta or index altered (records intact; index can be rebuilt) / 索引被改动",
            None,
        ));
    }
    Ok(leaves)
}

/// [`verify`], and with `head` the chain is also checked against the head kept outside the
/// store (decision 0925): a chain cut back, rewritten from the head's checkpoint, or the
/// record missing.
pub fn verify_with_head(dir: &Path, head: Option<&crate::head::HeadKeeper>) -> VerifyReport {
    let mut r = verify(dir);
    if let Some(h) = head {
        let cps = chain_of(dir);
        r.problems
            .extend(h.check(&cps).into_iter().map(Problem::plain));
        r.ok = r.problems.is_empty();
    }
    r
}

/// The checkpoints `checkpoints.log` at `dir` holds as far as they parse (none: no file),
/// for comparing with a head kept elsewhere; [`verify`] reports what does not parse.
pub fn chain_of(dir: &Path) -> Vec<checkpoint::Checkpoint> {
    let bytes = fs::read(dir.join("checkpoints.log")).unwrap_or_default();
    checkpoint::parse_log(&bytes)
        .map(|(cps, _)| cps)
        .unwrap_or_default()
}

impl Store {
    /// [`verify_with_head`] with the head this store was opened with, if any.
    pub fn verify(&self) -> VerifyReport {
        verify_with_head(&self.dir, self.head.as_ref())
    }
}
