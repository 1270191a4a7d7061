//! The audit chain's head kept outside the database (decision 0923):
//! `<data-dir>/logs/audit-head.json`, beside the log centre's checkpoints.
//!
//! - `seq`, `hash`: the newest entry this server wrote. A database writer who cuts entries
//!   from the end (and sets `audit_head` to match) leaves the database shorter than this,
//!   or with another entry at `seq`: the verifier says so.
//! - `keyed_from`: the first entry of the keyed chain (version 2). Entries before it were
//!   written before the switch and verify as SHA-256; every entry from it must be keyed, so
//!   nobody without the key can turn keyed entries back into unkeyed ones.
//! - `verified_seq`, `verified_hash`: how far the chain has been verified, so the audit page
//!   verifies only what was appended since (the entry at `verified_seq` is re-read and must
//!   still carry `verified_hash`; a re-chained log changes it).
//!
//! Advanced after each commit, written whole (a temporary file renamed over it). Several
//! processes on one database each advance it to the newest entry they wrote; it may lag the
//! database by an entry or two, never lead it.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::error::{Result, StoreError};

/// The file's contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalHead {
    pub seq: i64,
    pub hash: String,
    pub keyed_from: i64,
    pub verified_seq: i64,
    pub verified_hash: String,
}

/// The head file of one data directory.
pub struct HeadFile {
    path: PathBuf,
    /// Serialises this process's writers of the file.
    lock: Mutex<()>,
}

/// Where the head file lives under a data directory.
pub fn head_path(data_dir: &Path) -> PathBuf {
    data_dir.join("logs").join("audit-head.json")
}

impl HeadFile {
    pub(crate) fn new(data_dir: &Path) -> HeadFile {
        HeadFile {
            path: head_path(data_dir),
            lock: Mutex::new(()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn io(&self, source: std::io::Error) -> StoreError {
        StoreError::Io {
            path: self.path.display().to_string(),
            source,
        }
    }

    /// The head as the file says now; None when there is no file.
    pub fn read(&self) -> Result<Option<ExternalHead>> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.io(e)),
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| StoreError::Corrupt {
                table: "audit-head.json",
                id: self.path.display().to_string(),
                message: format!("{e} (数据库外的审计链头文件损坏)"),
            })
    }

    fn write(&self, head: &ExternalHead) -> Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| self.io(e))?;
        }
        let tmp = self
            .path
            .with_extension(format!("json.{}.tmp", std::process::id()));
        let mut text = serde_json::to_string_pretty(head).map_err(|e| StoreError::Corrupt {
            table: "audit-head.json",
            id: self.path.display().to_string(),
            message: e.to_string(),
        })?;
        text.push('\n');
        std::fs::write(&tmp, text).map_err(|e| self.io(e))?;
        std::fs::rename(&tmp, &self.path).map_err(|e| self.io(e))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ()> {
        // ok: the guard protects no data, only the order of writes
        self.lock.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// At open: when there is no file and the database holds no keyed entry, start one at
    /// the database's head (`seq`, `hash`), the keyed chain beginning with the next entry.
    /// With keyed entries and no file, the file was removed: it stays missing and the
    /// verifier reports it.
    pub(crate) fn start(&self, seq: i64, hash: &str, has_keyed: bool) -> Result<()> {
        let _g = self.lock();
        if self.read()?.is_some() || has_keyed {
            return Ok(());
        }
        self.write(&ExternalHead {
            seq,
            hash: hash.to_string(),
            keyed_from: seq + 1,
            verified_seq: 0,
            verified_hash: crate::audit::GENESIS.to_string(),
        })
    }

    /// After entry `seq` committed with `hash`: the file names it, unless it names a newer
    /// one already (another process) or is missing (reported by the verifier, not rebuilt).
    pub(crate) fn advance(&self, seq: i64, hash: &str) -> Result<()> {
        let _g = self.lock();
        match self.read()? {
            Some(mut h) if h.seq < seq => {
                h.seq = seq;
                h.hash = hash.to_string();
                self.write(&h)
            }
            _ => Ok(()),
        }
    }

    /// Records that the chain verified up to entry `seq` with `hash`.
    pub(crate) fn verified(&self, seq: i64, hash: &str) -> Result<()> {
        let _g = self.lock();
        match self.read()? {
            Some(mut h) if h.verified_seq != seq || h.verified_hash != hash => {
                h.verified_seq = seq;
                h.verified_hash = hash.to_string();
                self.write(&h)
            }
            _ => Ok(()),
        }
    }
}
