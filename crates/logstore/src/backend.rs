//! Scale-out (docs/logs-scale-out.md): segments in S3-compatible object storage with Object
//! Lock, the checkpoint chain in PostgreSQL, chosen by `<logs>/storage.toml`. Without that
//! file nothing here runs and the store is exactly the local one.
//!
//! The local directory stays the working copy: `checkpoints.log` mirrors the shared
//! catalog and `segments/` caches the blobs, so the reader, search, export and verify code
//! is unchanged. What this module adds, at four seams:
//! - open: fetch `store.json`/`public.key` for a new node, mirror the catalog, fetch
//!   missing segments (and upload local ones the bucket lacks: a migration, or a crash
//!   between upload and checkpoint);
//! - commit of a checkpoint: every segment it adds is put first (create-only, COMPLIANCE
//!   retention until its last event + the network's policy), then the checkpoint is
//!   appended by compare-and-swap — a node that lost the race gets `Refused` and its
//!   records stay in its WAL for the next open;
//! - removal: a blob the storage still holds is kept (`kept_by_storage`), and an expired
//!   segment's blob version is deleted;
//! - each node's WAL progress is its own (`wal/node-sealed`), since the shared chain's
//!   `wal_sealed` counts another node's WAL files.

use std::fs;
use std::path::Path;

use dengbao_objstore::{Blob, BlobConfig, Catalog, CatalogConfig, StorageConfig};
use jiff::Timestamp;

use crate::checkpoint::{Checkpoint, SegmentEntry};
use crate::error::{Error, IoCtx, Result};

/// The shared backends of a store in scale-out mode.
pub(crate) struct Remote {
    blobs: Option<Blob>,
    catalog: Option<Box<dyn Catalog>>,
}

fn lib(e: dengbao_objstore::Error) -> Error {
    match e {
        dengbao_objstore::Error::Conflict { .. } => Error::Refused(format!(
            "{e} — another node extended the checkpoint chain; reopen the store and retry (the records stay in the WAL) / 其他节点已追加检查点，请重新打开后重试"
        )),
        dengbao_objstore::Error::Locked { .. } => Error::Refused(e.to_string()),
        dengbao_objstore::Error::Io { path, source } => Error::Io {
            path: path.into(),
            source,
        },
        e => Error::Invalid(format!("storage: {e}")),
    }
}

/// Write `bytes` to `path` atomically (temp file, fsync, rename).
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(d) = path.parent() {
        fs::create_dir_all(d).at(d)?;
    }
    let tmp = path.with_extension("fetch.tmp");
    fs::write(&tmp, bytes).at(&tmp)?;
    fs::File::open(&tmp).and_then(|f| f.sync_all()).at(&tmp)?;
    fs::rename(&tmp, path).at(path)
}

const STORE_FILES: [(&str, &str); 2] = [
    ("store.json", "store/store.json"),
    ("keys/public.key", "store/public.key"),
];

fn blob_key(e: &SegmentEntry) -> String {
    format!("segments/{}", e.file)
}

impl Remote {
    /// The backends `<dir>/storage.toml` names, or `None` when everything is local.
    pub(crate) fn open(dir: &Path) -> Result<Option<Remote>> {
        let cfg = StorageConfig::load(dir).map_err(lib)?;
        if cfg == StorageConfig::default() {
            return Ok(None);
        }
        let (blobs, catalog) = dengbao_objstore::open(&cfg, dir).map_err(lib)?;
        Ok(Some(Remote {
            blobs: matches!(cfg.blobs, BlobConfig::S3(_)).then_some(blobs),
            catalog: matches!(cfg.catalog, CatalogConfig::Postgres { .. }).then_some(catalog),
        }))
    }

    /// A node without `store.json`: take the shared store's identity when there is one.
    pub(crate) fn fetch_store_files(&self, dir: &Path) -> Result<()> {
        let Some(blobs) = &self.blobs else {
            return Ok(());
        };
        if dir.join("store.json").exists() {
            return Ok(());
        }
        for (local, key) in STORE_FILES {
            match blobs.get(key) {
                Ok(bytes) => write_atomic(&dir.join(local), &bytes)?,
                Err(dengbao_objstore::Error::NotFound { .. }) => return Ok(()),
                Err(e) => return Err(lib(e)),
            }
        }
        Ok(())
    }

    /// A store was just created here: publish its identity (first node wins).
    pub(crate) fn publish_store_files(&self, dir: &Path) -> Result<()> {
        let Some(blobs) = &self.blobs else {
            return Ok(());
        };
        for (local, key) in STORE_FILES {
            let p = dir.join(local);
            let bytes = fs::read(&p).at(&p)?;
            match blobs.put(key, &bytes, None) {
                Ok(()) => {}
                Err(dengbao_objstore::Error::AlreadyExists { .. })
                    if blobs.get(key).map_err(lib)? == bytes => {}
                Err(dengbao_objstore::Error::AlreadyExists { .. }) => {
                    return Err(Error::Refused(format!(
                        "{}: another node created the shared store first; remove {} and open again / 共享日志库已由其他节点创建",
                        blobs.describe(),
                        dir.display()
                    )))
                }
                Err(e) => return Err(lib(e)),
            }
        }
        Ok(())
    }

    /// Make `<dir>/checkpoints.log` a copy of the shared catalog. A local chain that the
    /// catalog does not have yet is uploaded when the catalog is empty (moving a local
    /// store to PostgreSQL); any other difference is refused.
    pub(crate) fn sync_catalog(&self, dir: &Path) -> Result<()> {
        let Some(cat) = &self.catalog else {
            return Ok(());
        };
        let path = dir.join("checkpoints.log");
        let bytes = fs::read(&path).unwrap_or_default();
        let end = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let local: Vec<&str> = std::str::from_utf8(&bytes[..end])
            .map_err(|_| Error::Corrupt(format!("{}: not UTF-8", path.display())))?
            .lines()
            .collect();
        let node_file = dir.join("wal/node-sealed");
        if !node_file.exists() && !local.is_empty() {
            // This node's own chain so far (a local store moving to the shared catalog):
            // its WAL progress is that chain's.
            let sealed = local
                .iter()
                .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
                .filter_map(|v| v["body"]["wal_sealed"].as_u64())
                .max()
                .unwrap_or(0);
            write_atomic(&node_file, format!("{sealed}\n").as_bytes())?;
        }
        let mut remote: Vec<String> = cat
            .read_all()
            .map_err(lib)?
            .into_iter()
            .map(|e| e.line)
            .collect();
        if remote.is_empty() && !local.is_empty() {
            let mut prev: Option<String> = None;
            for line in &local {
                cat.append(prev.as_deref(), line).map_err(lib)?;
                prev = Some(dengbao_objstore::line_sig(line).map_err(lib)?);
            }
            remote = local.iter().map(|l| l.to_string()).collect();
        }
        if local.len() > remote.len() || local.iter().zip(&remote).any(|(a, b)| *a != b) {
            return Err(Error::Corrupt(format!(
                "{} differs from the shared catalog ({}); move it aside and open again / 本地检查点与共享目录不一致",
                path.display(),
                cat.describe()
            )));
        }
        if local.len() < remote.len() || end < bytes.len() {
            let mut text = String::new();
            for l in &remote {
                text.push_str(l);
                text.push('\n');
            }
            write_atomic(&path, text.as_bytes())?;
        }
        Ok(())
    }

    /// Fetch live segments this node lacks; upload local ones the bucket lacks (when
    /// `upload`); drop cached files the chain no longer names (expired by another node, or
    /// left by a seal that lost the race) among ids below `next_segment` — higher ids may
    /// be a seal of this node in progress.
    pub(crate) fn sync_segments<'a>(
        &self,
        dir: &Path,
        live: impl Iterator<Item = (&'a SegmentEntry, Option<Timestamp>)> + Clone,
        upload: bool,
        next_segment: u64,
    ) -> Result<()> {
        let Some(blobs) = &self.blobs else {
            return Ok(());
        };
        let known: std::collections::HashSet<&str> =
            live.clone().map(|(e, _)| e.file.as_str()).collect();
        for (rel, path) in crate::store::segment_files(&dir.join("segments"))? {
            let id = Path::new(&rel)
                .file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.parse::<u64>().ok());
            if !known.contains(rel.as_str()) && id.is_some_and(|i| i < next_segment) {
                fs::remove_file(&path).at(&path)?;
            }
        }
        let stored: std::collections::HashSet<String> = blobs
            .list("segments/")
            .map_err(lib)?
            .into_iter()
            .map(|b| b.key)
            .collect();
        for (e, until) in live {
            let key = blob_key(e);
            let path = dir.join("segments").join(&e.file);
            match (stored.contains(&key), path.exists()) {
                (true, false) => write_atomic(&path, &blobs.get(&key).map_err(lib)?)?,
                (false, true) if upload => self.upload(dir, e, until)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// Put a sealed segment's file (create-only; a retry after a crash finds its own
    /// bytes there and is fine).
    pub(crate) fn upload(
        &self,
        dir: &Path,
        e: &SegmentEntry,
        until: Option<Timestamp>,
    ) -> Result<()> {
        let Some(blobs) = &self.blobs else {
            return Ok(());
        };
        let path = dir.join("segments").join(&e.file);
        let bytes = fs::read(&path).at(&path)?;
        let key = blob_key(e);
        let until = until.filter(|u| *u > Timestamp::now());
        match blobs.put(&key, &bytes, until) {
            Ok(()) => Ok(()),
            Err(dengbao_objstore::Error::AlreadyExists { .. })
                if blobs.get(&key).map_err(lib)? == bytes =>
            {
                Ok(())
            }
            Err(dengbao_objstore::Error::AlreadyExists { .. }) => Err(Error::Refused(format!(
                "{key}: another node sealed a segment under this name; reopen the store and retry / 段名已被其他节点占用"
            ))),
            Err(e) => Err(lib(e)),
        }
    }

    /// Append a checkpoint line to the shared catalog (compare-and-swap on `prev_sig`).
    /// Before it, note which of this node's WAL files the checkpoint seals, so a crash
    /// right after the append is not mistaken for an unsealed WAL.
    pub(crate) fn append(
        &self,
        dir: &Path,
        cp: &Checkpoint,
        line: &str,
        node_sealed: u64,
    ) -> Result<()> {
        if let Some(cat) = &self.catalog {
            self.append_to_catalog(cat.as_ref(), dir, cp, line, node_sealed)?;
        }
        if let Some(blobs) = &self.blobs {
            // A second copy, not the commit point (crate::head_blob): a failed put leaves the
            // bucket's head one checkpoint behind, which the next checkpoint mends.
            let _ = crate::head_blob::put(blobs.as_ref(), cp, line);
        }
        Ok(())
    }

    fn append_to_catalog(
        &self,
        cat: &dyn Catalog,
        dir: &Path,
        cp: &Checkpoint,
        line: &str,
        node_sealed: u64,
    ) -> Result<()> {
        if node_sealed > 0 {
            let p = dir.join("wal/node-sealed.pending");
            write_atomic(&p, format!("{node_sealed} {}\n", cp.sig).as_bytes())?;
        }
        let prev = (!cp.prev_sig.is_empty()).then_some(cp.prev_sig.as_str());
        cat.append(prev, line).map_err(lib)?;
        if node_sealed > 0 {
            write_atomic(
                &dir.join("wal/node-sealed"),
                format!("{node_sealed}\n").as_bytes(),
            )?;
            let _ = fs::remove_file(dir.join("wal/node-sealed.pending"));
        }
        Ok(())
    }

    /// The last of *this node's* WAL files that a checkpoint sealed (the shared chain's
    /// `wal_sealed` is another node's numbering). `None` with a local catalog.
    pub(crate) fn node_wal_sealed(&self, dir: &Path, cps: &[Checkpoint]) -> Result<Option<u64>> {
        if self.catalog.is_none() {
            return Ok(None);
        }
        let read = |p: &Path| fs::read_to_string(p).ok();
        let mut sealed: u64 = read(&dir.join("wal/node-sealed"))
            .and_then(|t| t.trim().parse().ok())
            .unwrap_or(0);
        let pending = dir.join("wal/node-sealed.pending");
        if let Some(t) = read(&pending) {
            let mut it = t.split_whitespace();
            if let (Some(n), Some(sig)) = (it.next().and_then(|n| n.parse::<u64>().ok()), it.next())
            {
                if cps.iter().any(|c| c.sig == sig) {
                    sealed = sealed.max(n);
                    write_atomic(
                        &dir.join("wal/node-sealed"),
                        format!("{sealed}\n").as_bytes(),
                    )?;
                }
            }
            fs::remove_file(&pending).at(&pending)?;
        }
        Ok(Some(sealed))
    }

    /// Until when the storage itself refuses to delete `e` (`None`: it would not refuse).
    /// An unanswered question counts as "refuses" — never delete on a guess.
    pub(crate) fn locked_until(&self, e: &SegmentEntry) -> Option<String> {
        let blobs = self.blobs.as_ref()?;
        match blobs.retention(&blob_key(e)) {
            Ok(Some(r)) if r.retain_until > Timestamp::now() => Some(r.retain_until.to_string()),
            Ok(_) | Err(dengbao_objstore::Error::NotFound { .. }) => None,
            Err(err) => Some(format!("unknown ({err})")),
        }
    }

    /// Lengthen a segment blob's Object Lock to `until` (a longer policy). Dates already
    /// past, or not later than the current lock, change nothing.
    pub(crate) fn extend(&self, e: &SegmentEntry, until: Option<Timestamp>) -> Result<()> {
        let (Some(blobs), Some(until)) = (&self.blobs, until) else {
            return Ok(());
        };
        if until <= Timestamp::now() {
            return Ok(());
        }
        let key = blob_key(e);
        match blobs.retention(&key).map_err(lib)? {
            Some(r) if r.retain_until >= until => Ok(()),
            _ => blobs.extend_retention(&key, until).map_err(lib),
        }
    }

    /// Remove an expired segment's blob (after its expiry checkpoint committed).
    pub(crate) fn delete(&self, e: &SegmentEntry) -> Result<()> {
        let Some(blobs) = &self.blobs else {
            return Ok(());
        };
        match blobs.delete(&blob_key(e)) {
            Ok(()) | Err(dengbao_objstore::Error::NotFound { .. }) => Ok(()),
            Err(err) => Err(lib(err)),
        }
    }
}

/// The instant until which a segment must be kept: its last event plus `months`
/// (calendar months, Asia/Shanghai) — when the floor/policy check first lets it go.
/// A policy longer than the longest that may be set (one recorded before the bound) locks
/// for that longest.
pub(crate) fn retain_until(e: &SegmentEntry, months: u32) -> Option<Timestamp> {
    let months = months.min(crate::retention::MAX_POLICY_MONTHS);
    let last = Timestamp::from_microsecond(e.max_time_us).ok()?;
    let z = last.to_zoned_datetime(crate::store::shanghai());
    let span = jiff::Span::new().try_months(i64::from(months)).ok()?;
    z.checked_add(span).ok().map(|z| z.timestamp())
}

/// Bring a node's copy up to date before `verify` reads it (no-op for a local store).
/// Returns what the chain's head in the bucket says is wrong with the synced chain.
pub(crate) fn sync_for_verify(dir: &Path) -> Result<Vec<String>> {
    let Some(r) = Remote::open(dir)? else {
        return Ok(Vec::new());
    };
    r.fetch_store_files(dir)?;
    r.sync_catalog(dir)?;
    let bytes = fs::read(dir.join("checkpoints.log")).unwrap_or_default();
    let (cps, _) = crate::checkpoint::parse_log(&bytes)?;
    let mut cat = crate::store::Catalog::default();
    for cp in &cps {
        cat.apply(cp);
    }
    r.sync_segments(
        dir,
        cat.live.values().map(|e| (e, None)),
        false,
        cat.next_segment,
    )?;
    Ok(match &r.blobs {
        Some(blobs) => crate::head_blob::check(blobs.as_ref(), &cps),
        None => Vec::new(),
    })
}
