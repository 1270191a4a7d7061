//! Where the log store keeps its immutable blobs (segments) and its catalog (the signed
//! checkpoint chain), behind two small synchronous traits:
//!
//! - [`BlobStore`]: create-only `put` (with an optional retain-until date), whole and
//!   ranged `get`, `list` by prefix, `delete`, and the `retention` a blob carries.
//!   [`LocalDir`] keeps files under a directory (the embedded default); [`S3`] talks to any
//!   S3-compatible endpoint and sets Object Lock COMPLIANCE retention on each put, so the
//!   storage itself refuses an early delete, even to an administrator.
//! - [`Catalog`]: an append-only list of JSON lines, each carrying its own `sig`, appended by
//!   compare-and-swap on the previous line's `sig`, so several stateless nodes share one
//!   linear chain. [`LocalFile`] is today's `checkpoints.log`; [`Postgres`] is a table.
//!
//! Both traits are blocking. The PostgreSQL catalog runs a private current-thread tokio
//! runtime; call it from a thread that is not already driving a tokio runtime (in async
//! code, through `spawn_blocking`).

mod catalog_local;
mod catalog_pg;
mod config;
mod error;
mod key;
mod local;
mod s3;
mod s3_xml;

pub use catalog_local::LocalFile;
pub use catalog_pg::Postgres;
pub use config::{open, BlobConfig, CatalogConfig, S3Config, StorageConfig};
pub use error::{Error, Result};
pub use key::check_key;
pub use local::LocalDir;
pub use s3::S3;

use jiff::Timestamp;

/// A boxed blob store, as [`open`] returns it.
pub type Blob = Box<dyn BlobStore>;

/// How a blob is protected against deletion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockMode {
    /// Object Lock COMPLIANCE: nobody, the root account included, can delete the blob or
    /// shorten its retention before the date.
    Compliance,
    /// Object Lock GOVERNANCE: users with a special permission can bypass it.
    Governance,
    /// Kept by this program's own check (the local directory): the filesystem's owner can
    /// still remove the file.
    Software,
}

/// The retention a blob carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub mode: LockMode,
    pub retain_until: Timestamp,
}

/// One listed blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobInfo {
    pub key: String,
    pub size: u64,
}

/// Immutable blobs addressed by a `/`-separated key (see [`check_key`]).
pub trait BlobStore: Send + Sync {
    /// Store `bytes` under `key`, only if no blob has that key (`Error::AlreadyExists`
    /// otherwise). With `retain_until`, the blob cannot be deleted before that instant.
    /// Returns once the blob is durable.
    fn put(&self, key: &str, bytes: &[u8], retain_until: Option<Timestamp>) -> Result<()>;
    /// The whole blob.
    fn get(&self, key: &str) -> Result<Vec<u8>>;
    /// `len` bytes from `offset` (fewer only at the end of the blob).
    fn get_range(&self, key: &str, offset: u64, len: u64) -> Result<Vec<u8>>;
    /// Every blob whose key starts with `prefix`, in key order.
    fn list(&self, prefix: &str) -> Result<Vec<BlobInfo>>;
    /// Remove the blob's bytes. `Error::Locked` before its retain-until date,
    /// `Error::NotFound` when there is no such blob.
    fn delete(&self, key: &str) -> Result<()>;
    /// Move the blob's retain-until date later (a network's policy was lengthened). A date
    /// earlier than the current one is refused (`Error::Locked`): retention only grows.
    fn extend_retention(&self, key: &str, until: Timestamp) -> Result<()>;
    /// The retention the blob carries, `None` when it has none.
    fn retention(&self, key: &str) -> Result<Option<Retention>>;
    /// A short description for messages: `dir /var/lib/…` or `s3 http://…/bucket`.
    fn describe(&self) -> String;
}

/// One catalog line and its position (0 = first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogEntry {
    pub seq: u64,
    pub line: String,
}

/// An append-only chain of JSON lines; each line is an object with a string field `sig`,
/// and a new line is accepted only when the caller saw the latest one.
pub trait Catalog: Send + Sync {
    /// Append `line` if the last line's `sig` is `expected_prev_sig` (`None`: the catalog
    /// is empty). Otherwise `Error::Conflict` (another node appended first): read again,
    /// rebuild the line on the new head, retry. Returns the new line's `seq` once durable.
    fn append(&self, expected_prev_sig: Option<&str>, line: &str) -> Result<u64>;
    /// Every line, oldest first.
    fn read_all(&self) -> Result<Vec<CatalogEntry>> {
        self.read_since(0)
    }
    /// The lines with `seq >= from`, oldest first.
    fn read_since(&self, from: u64) -> Result<Vec<CatalogEntry>>;
    /// A short description for messages.
    fn describe(&self) -> String;
}

/// The `sig` field of a catalog line.
pub fn line_sig(line: &str) -> Result<String> {
    let bad = |why: &str| Error::BadLine(format!("{why} / 目录行无效"));
    if line.contains('\n') {
        return Err(bad("line contains a newline"));
    }
    let v: serde_json::Value =
        serde_json::from_str(line).map_err(|e| bad(&format!("not JSON: {e}")))?;
    match v.get("sig").and_then(|s| s.as_str()) {
        Some(s) if !s.is_empty() => Ok(s.to_string()),
        _ => Err(bad("no string field `sig`")),
    }
}
