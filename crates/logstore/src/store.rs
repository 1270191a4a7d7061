//! The store on local disk: open (recovering the WAL), append with group commit, seal the
//! WAL into segments and sign a checkpoint. Layout under `<data-dir>/logs/`:
//!
//! ```text
//! store.json            suite and creation time
//! keys/signing.key      hex secret (mode 0600)       keys/public.key   sm2:<hex> | ed25519:<hex>
//! checkpoints.log       the signed chain, one JSON line per checkpoint (the catalog)
//! wal/NNN.wal           acknowledged but not yet sealed records
//! segments/<network>/<YYYY-MM-DD>/<id>.seg
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fs::{self, File, OpenOptions as FsOpen};
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::checkpoint::{self, Body, Checkpoint, SegmentEntry};
use crate::clock::Clock;
use crate::crypto::{PublicKey, SigningKey, Suite};
use crate::error::{Error, IoCtx, Result};
use crate::merkle::Frontier;
use crate::parse;
use crate::record::Record;
use crate::segment;
use crate::wal::{self, Wal};

/// Seal automatically once this many records wait in the WAL (bounds memory and WAL size).
pub const SEAL_EVERY: usize = 1 << 20;
/// … or once their bytes reach this: what bounds a writer's memory (decisions 0722, 0729:
/// the seal's working set is about 10× this, so 8 MiB keeps `logs ingest` near 150 MB).
pub const SEAL_BYTES: usize = 8 << 20;

/// How to open a store.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// Suite for a new store (an existing store keeps its own).
    pub suite: Suite,
    /// Report as of this time instead of the system clock (coverage for `duties --at`).
    /// Read-only opens only: a store opened for writing always keeps the system clock, so
    /// nothing a user passes moves a checkpoint's date or the six-month floor (decision 0920).
    pub now: Option<jiff::Timestamp>,
    /// Open for writing: take the lock, recover and seal the WAL, create the store if absent.
    pub write: bool,
    /// Keep the chain's head outside the store (decision 0925): advanced after every
    /// checkpoint this store commits, and checked by [`Store::verify`].
    pub head: Option<crate::head::HeadKeeper>,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            suite: Suite::Sm3Sm2,
            now: None,
            write: false,
            head: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreInfo {
    pub suite: Suite,
    pub created: String,
}

pub use crate::names::{day_of, parse_user_time, validate_network};
pub(crate) use crate::names::{dir_name, shanghai, source_key};

pub use crate::catalog::Catalog;

pub struct Store {
    pub(crate) dir: PathBuf,
    pub(crate) suite: Suite,
    pub(crate) public: PublicKey,
    key: Option<SigningKey>,
    pub(crate) catalog: Catalog,
    wal: Option<Wal>,
    pub(crate) pending: Vec<Vec<u8>>,
    pub(crate) pending_bytes: usize,
    /// Every seal since the store was opened, added up (`append` seals on its own).
    sealed_total: SealReport,
    pub(crate) clock: Clock,
    _lock: Option<File>,
    /// Scale-out backends from `storage.toml` (`None`: everything local).
    pub(crate) remote: Option<crate::backend::Remote>,
    pub(crate) head: Option<crate::head::HeadKeeper>,
    /// The segment format seals write and its per-event threshold: [`segment::FORMAT`] and
    /// [`crate::index::MIN_EVENTS`], or others in tests that mix formats.
    pub(crate) segment_format: (u32, u32),
}

/// A record being sealed: its network and day, parsed fields, source key and indexable text.
struct Pending {
    network: String,
    day: String,
    parsed: parse::Parsed,
    source: String,
    text: String,
}

/// What a seal produced.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SealReport {
    pub events: u64,
    pub segments: Vec<u64>,
    pub parse_failed: u64,
}

impl Store {
    /// Open the store at `dir`. For writing, `opts.now` must be `None`: a writer keeps
    /// the system clock.
    pub fn open(dir: &Path, opts: OpenOptions) -> Result<Store> {
        let clock = match (opts.now, opts.write) {
            (None, _) => Clock::System,
            (Some(t), false) => Clock::Fixed(t),
            (Some(_), true) => {
                return Err(Error::Invalid(
                    "写入时不能指定时间：日志库的检查点和删除只用本机时钟 / a store opened for writing keeps the system clock: `now` is for read-only reports".into(),
                ))
            }
        };
        Store::open_with_clock(dir, opts, clock)
    }

    pub(crate) fn open_with_clock(dir: &Path, opts: OpenOptions, clock: Clock) -> Result<Store> {
        let now = clock.now();
        let remote = crate::backend::Remote::open(dir)?;
        if let Some(r) = &remote {
            r.fetch_store_files(dir)?;
        }
        let info_path = dir.join("store.json");
        if !info_path.exists() {
            if !opts.write {
                return Err(Error::Invalid(format!(
                    "no log store at {} (ingest something first) / 日志库不存在",
                    dir.display()
                )));
            }
            create(dir, opts.suite, now)?;
            if let Some(r) = &remote {
                r.publish_store_files(dir)?;
            }
        }
        let info: StoreInfo = serde_json::from_slice(&fs::read(&info_path).at(&info_path)?)
            .map_err(|e| Error::Corrupt(format!("{}: {e}", info_path.display())))?;
        let pk_path = dir.join("keys/public.key");
        let public = PublicKey::from_text(&fs::read_to_string(&pk_path).at(&pk_path)?)?;
        let lock = if opts.write {
            let p = dir.join("LOCK");
            let f = FsOpen::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&p)
                .at(&p)?;
            f.try_lock().map_err(|_| {
                Error::Refused(format!(
                    "{} is in use by another dengbao process / 日志库正被占用",
                    dir.display()
                ))
            })?;
            Some(f)
        } else {
            None
        };
        let key = if opts.write {
            let p = dir.join("keys/signing.key");
            let hx = fs::read_to_string(&p).at(&p)?;
            let secret = hex::decode(hx.trim())
                .map_err(|_| Error::Crypto(format!("{}: not hex", p.display())))?;
            let k = SigningKey::from_secret(info.suite, &secret)?;
            if k.public() != public {
                return Err(Error::Crypto(
                    "signing key does not match keys/public.key / 私钥与公钥不匹配".into(),
                ));
            }
            Some(k)
        } else {
            None
        };
        if let Some(r) = &remote {
            r.sync_catalog(dir)?;
        }
        let cp_path = dir.join("checkpoints.log");
        let bytes = fs::read(&cp_path).unwrap_or_default();
        let (cps, torn) = checkpoint::parse_log(&bytes)?;
        if let (Some(at), true) = (torn, opts.write) {
            // A crash while appending: the torn checkpoint never committed; its WAL is still there.
            let f = FsOpen::new().write(true).open(&cp_path).at(&cp_path)?;
            f.set_len(at as u64).at(&cp_path)?;
            f.sync_all().at(&cp_path)?;
        }
        let mut catalog = Catalog::default();
        for cp in cps {
            catalog.apply_owned(cp);
        }
        let mut store = Store {
            dir: dir.to_path_buf(),
            suite: info.suite,
            public,
            key,
            catalog,
            wal: None,
            pending: Vec::new(),
            pending_bytes: 0,
            sealed_total: SealReport::default(),
            clock,
            _lock: lock,
            remote,
            head: opts.head,
            segment_format: (segment::FORMAT, crate::index::MIN_EVENTS),
        };
        let mut wal_sealed = store.catalog.wal_sealed;
        if let Some(r) = &store.remote {
            let live = store.catalog.live.values().map(|e| {
                let until = crate::backend::retain_until(e, store.policy_months(&e.network));
                (e, until)
            });
            r.sync_segments(dir, live, opts.write, store.catalog.next_segment)?;
            if let Some(n) = r.node_wal_sealed(dir, &store.catalog.checkpoints)? {
                wal_sealed = n;
            }
        }
        if opts.write {
            store.remove_unsealed_segment_files()?;
            let wal_key = store
                .wal_key()
                .ok_or_else(|| Error::Refused("no signing key".into()))?;
            let mac_from = store.catalog.wal_mac_from;
            let (w, rec) = Wal::open(&dir.join("wal"), wal_sealed, wal_key, mac_from)?;
            store.wal = Some(w);
            if !rec.records.is_empty() {
                store.pending = rec.records;
                store.seal()?;
            }
        }
        Ok(store)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
    pub fn suite(&self) -> Suite {
        self.suite
    }
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }
    /// The WAL's MAC key (a writer's: derived from the signing key).
    pub(crate) fn wal_key(&self) -> Option<wal::WalKey> {
        let k = self.key.as_ref()?;
        Some(wal::WalKey::from_signing_secret(&k.secret_bytes()))
    }
    /// The store's clock: the system clock, or the read-only report time.
    pub fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }

    /// Append records to the WAL and fsync once (group commit). On `Ok` they are acknowledged.
    pub fn append(&mut self, records: &[Record]) -> Result<()> {
        let wal = self
            .wal
            .as_mut()
            .ok_or_else(|| Error::Refused("store opened read-only / 只读打开".into()))?;
        for r in records {
            validate_network(&r.network)?;
            let b = r.encode();
            wal.push(&b);
            self.pending_bytes += b.len();
            self.pending.push(b);
        }
        wal.commit()?;
        if self.pending.len() >= SEAL_EVERY || self.pending_bytes >= SEAL_BYTES {
            self.seal()?;
        }
        Ok(())
    }

    /// Turn everything in the WAL into segments (one per network and day) and sign a checkpoint.
    pub fn seal(&mut self) -> Result<SealReport> {
        let mut report = SealReport::default();
        if self.pending.is_empty() {
            return Ok(report);
        }
        let pending = std::mem::take(&mut self.pending);
        self.pending_bytes = 0;
        // Decode and parse in parallel (decision 0722).
        let parsed: Vec<Pending> = pending
            .par_iter()
            .map(|bytes| -> Result<Pending> {
                let rec = Record::decode(bytes)?;
                let p = parse::parse(&rec);
                let day = day_of(p.time_us);
                let text = parse::decode_text(&rec.raw).0.into_owned();
                let source = p.host.clone().unwrap_or_else(|| source_key(&rec.source));
                Ok(Pending {
                    network: rec.network,
                    day,
                    parsed: p,
                    source,
                    text,
                })
            })
            .collect::<Result<_>>()?;
        // Group by (network, day), keeping arrival order inside each group.
        let mut groups: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
        for (i, p) in parsed.iter().enumerate() {
            if p.parsed.flags & parse::flags::PARSE_FAILED != 0 {
                report.parse_failed += 1;
            }
            groups.entry((&p.network, &p.day)).or_default().push(i);
        }
        let mut frontier = self.catalog.frontier.clone();
        let mut added = Vec::new();
        let mut id = self.catalog.next_segment;
        #[allow(clippy::explicit_counter_loop)] // `id` continues after the loop
        for ((network, day), evs) in groups {
            let rel = format!("{}/{}/{:012}.seg", dir_name(network), day, id);
            let path = self.dir.join("segments").join(&rel);
            let entries: Vec<segment::Entry<'_>> = evs
                .iter()
                .map(|i| segment::Entry {
                    record: &pending[*i],
                    parsed: &parsed[*i].parsed,
                    source: &parsed[*i].source,
                    text: &parsed[*i].text,
                })
                .collect();
            let written = segment::write_format(
                &path,
                &entries,
                self.suite,
                self.segment_format.0,
                self.segment_format.1,
            )?;
            let first_leaf = frontier.size;
            let mut own = Frontier::default();
            for leaf in &written.leaves {
                frontier.push_leaf(self.suite, *leaf);
                own.push_leaf(self.suite, *leaf);
            }
            let mut sources: HashMap<&str, u64> = HashMap::new();
            for e in &entries {
                *sources.entry(e.source).or_default() += 1;
            }
            let times = entries.iter().map(|e| e.parsed.time_us);
            added.push(SegmentEntry {
                id,
                network: network.to_string(),
                day: day.to_string(),
                first_leaf,
                count: evs.len() as u64,
                min_time_us: times.clone().min().unwrap_or(0),
                max_time_us: times.max().unwrap_or(0),
                root: hex::encode(own.root(self.suite)),
                file: rel,
                file_digest: hex::encode(self.suite.hash(&[&written.bytes])),
                sources: sources
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            });
            report.events += evs.len() as u64;
            report.segments.push(id);
            id += 1;
        }
        let wal_sealed = self.wal.as_ref().map_or(0, |w| w.seq());
        let body = Body {
            added,
            wal_sealed,
            ..Body::default()
        };
        self.commit_checkpoint(body, frontier)?;
        if let Some(w) = self.wal.as_mut() {
            w.rotate_after_seal()?;
        }
        self.sealed_total.events += report.events;
        self.sealed_total.parse_failed += report.parse_failed;
        self.sealed_total.segments.extend(&report.segments);
        Ok(report)
    }

    /// What every seal since this store was opened wrote (those `append` made on its own
    /// when the pending records reached a threshold, and explicit ones).
    pub fn sealed_since_open(&self) -> &SealReport {
        &self.sealed_total
    }

    /// Sign and durably append a checkpoint, then apply it to the catalog.
    pub(crate) fn commit_checkpoint(&mut self, mut body: Body, frontier: Frontier) -> Result<()> {
        let key = self
            .key
            .as_ref()
            .ok_or_else(|| Error::Refused("store opened read-only / 只读打开".into()))?;
        body.frontier = frontier
            .nodes
            .iter()
            .map(|(l, h)| (*l, hex::encode(h)))
            .collect();
        body.store_digest = store_digest(&self.dir, self.suite);
        body.wal_mac_from = match (self.catalog.wal_mac_from, &self.wal) {
            (0, Some(w)) => w.first_seq(),
            (n, _) => n,
        };
        body.head_kept = self.head.is_some();
        let node_sealed = body.wal_sealed;
        if body.wal_sealed == 0 {
            body.wal_sealed = self.catalog.wal_sealed;
        }
        let prev = self.catalog.checkpoints.last();
        let cp = Checkpoint {
            suite: self.suite,
            seq: prev.map_or(0, |p| p.seq + 1),
            time: self.now().to_string(),
            tree_size: frontier.size,
            root: hex::encode(frontier.root(self.suite)),
            prev_sig: prev.map(|p| p.sig.clone()).unwrap_or_default(),
            body,
            sig: String::new(),
        }
        .sign(key)?;
        if let Some(r) = &self.remote {
            // Scale-out: the segments are in the bucket before the checkpoint names them,
            // and the checkpoint is in the shared catalog before the local mirror.
            for a in &cp.body.added {
                let until = crate::backend::retain_until(a, self.policy_months(&a.network));
                r.upload(&self.dir, a, until)?;
            }
            r.append(&self.dir, &cp, &cp.to_line()?, node_sealed)?;
        }
        let path = self.dir.join("checkpoints.log");
        let mut f = FsOpen::new()
            .create(true)
            .append(true)
            .open(&path)
            .at(&path)?;
        f.write_all(format!("{}\n", cp.to_line()?).as_bytes())
            .at(&path)?;
        f.sync_data().at(&path)?;
        self.catalog.apply(&cp);
        match &self.head {
            Some(h) => h.advance(&self.catalog.checkpoints),
            None => Ok(()),
        }
    }

    /// Segment files from a seal that crashed before its checkpoint committed.
    fn remove_unsealed_segment_files(&self) -> Result<()> {
        let known: std::collections::HashSet<&str> = self
            .catalog
            .live
            .values()
            .map(|s| s.file.as_str())
            .collect();
        for (rel, path) in segment_files(&self.dir.join("segments"))? {
            let id = Path::new(&rel)
                .file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.parse::<u64>().ok());
            let from_crashed_seal = path.extension().is_some_and(|e| e == "tmp")
                || (!known.contains(rel.as_str())
                    && id.is_some_and(|i| i >= self.catalog.next_segment));
            if from_crashed_seal {
                fs::remove_file(&path).at(&path)?;
            }
        }
        Ok(())
    }

    pub(crate) fn remove_segment_file(&self, e: &SegmentEntry) -> Result<()> {
        if let Some(r) = &self.remote {
            r.delete(e)?;
        }
        let p = self.dir.join("segments").join(&e.file);
        match fs::remove_file(&p) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(err).at(&p),
            _ => Ok(()),
        }
    }
}

fn create(dir: &Path, suite: Suite, now: jiff::Timestamp) -> Result<()> {
    let keys = dir.join("keys");
    fs::create_dir_all(&keys).at(&keys)?;
    let key = SigningKey::generate(suite)?;
    let sk = keys.join("signing.key");
    write_private(&sk, hex::encode(key.secret_bytes()).as_bytes())?;
    let pk = keys.join("public.key");
    fs::write(&pk, format!("{}\n", key.public().to_text())).at(&pk)?;
    let info = StoreInfo {
        suite,
        created: now.to_string(),
    };
    let p = dir.join("store.json");
    let json = serde_json::to_vec_pretty(&info).map_err(|e| Error::Corrupt(e.to_string()))?;
    fs::write(&p, json).at(&p)?;
    wal::sync_dir(dir)
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut o = FsOpen::new();
    o.create(true).write(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let mut f = o.open(path).at(path)?;
    f.write_all(bytes).and_then(|_| f.sync_all()).at(path)
}

/// Every file under `segments/`: (path relative to it, full path).
pub(crate) fn segment_files(root: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = fs::read_dir(&d) else { continue };
        for e in rd {
            let p = e.at(&d)?.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(rel) = p.strip_prefix(root) {
                out.push((rel.to_string_lossy().replace('\\', "/"), p.clone()));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Compact-range nodes of an expired segment, from its records (before the file goes).
pub(crate) fn expiry_nodes(
    suite: Suite,
    first_leaf: u64,
    leaves: &[crate::crypto::Hash],
) -> Vec<(u8, u64, String)> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    for (l, i) in crate::merkle::compact_range(first_leaf, first_leaf + leaves.len() as u64) {
        let n = 1usize << l;
        let start = (i << l) - first_leaf;
        debug_assert_eq!(start as usize, pos);
        let t = crate::merkle::Tree::new(
            suite,
            leaves[pos..pos + n].iter().map(|h| Some(*h)).collect(),
            &HashMap::new(),
        );
        let h = t.root().unwrap_or([0; 32]); // ok: a full tree of present leaves always has a root
        out.push((l, i, hex::encode(h)));
        pos += n;
    }
    out
}

/// H(store.json ‖ keys/public.key), as recorded in every checkpoint.
pub(crate) fn store_digest(dir: &Path, suite: Suite) -> String {
    let a = fs::read(dir.join("store.json")).unwrap_or_default();
    let b = fs::read(dir.join("keys/public.key")).unwrap_or_default();
    hex::encode(suite.hash(&[&a, &b]))
}
