//! The audit chain's head in the object store, in scale-out mode (decision 0925):
//! `audit-head/<seq, 20 digits>.json` blobs holding the head kept outside the database
//! (`seq`, `hash`, `keyed_from`) and an HMAC under the audit key.
//!
//! Written by [`Store::mirror_audit_head_if_due`] — `serve` calls it on a timer and at
//! shutdown — at most once a minute and only when the head moved, never per request: an
//! object-store round trip per audit entry would put its latency on every request.
//! Each blob is create-only and, on S3, under Object Lock for [`MIRROR_RETAIN_DAYS`], so
//! neither a database writer nor someone who can write the host's files can take back a
//! head once it is there; older blobs are deleted once their lock has passed.
//! Verification compares the newest blob with the database like the head file.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dengbao_objstore::BlobStore;
use serde::{Deserialize, Serialize};

use crate::error::{Result, StoreError};
use crate::Store;

/// Where the heads go in the bucket.
pub const MIRROR_PREFIX: &str = "audit-head/";
/// How long each head blob is locked against deletion.
pub const MIRROR_RETAIN_DAYS: i64 = 7;
/// The most often a head is written.
pub const MIRROR_EVERY: Duration = Duration::from_secs(60);

/// One mirrored head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MirroredHead {
    pub seq: i64,
    pub hash: String,
    pub keyed_from: i64,
    pub mac: String,
}

/// The object store the heads go to, and what this process wrote last.
pub struct AuditMirror {
    blobs: Arc<dyn BlobStore>,
    last: Mutex<Option<(i64, Instant)>>,
}

fn storage(e: impl std::fmt::Display) -> StoreError {
    StoreError::invalid("storage.toml", format!("object store: {e} (对象存储)"))
}

impl AuditMirror {
    pub fn new(blobs: Arc<dyn BlobStore>) -> AuditMirror {
        AuditMirror {
            blobs,
            last: Mutex::new(None),
        }
    }
}

fn key_of(seq: i64) -> String {
    format!("{MIRROR_PREFIX}{seq:020}.json")
}

impl Store {
    /// This store, mirroring its audit head to `blobs` (scale-out mode).
    pub fn with_audit_mirror(mut self, blobs: Arc<dyn BlobStore>) -> Store {
        self.mirror = Some(Arc::new(AuditMirror::new(blobs)));
        self
    }

    fn mirror_mac(&self, seq: i64, hash: &str, keyed_from: i64) -> String {
        self.keys.audit_mac(&[
            b"dengbao-audit-head-mirror-v1",
            &seq.to_be_bytes(),
            hash.as_bytes(),
            &keyed_from.to_be_bytes(),
        ])
    }

    /// Writes the head kept outside the database to the object store when it moved and the
    /// last write is [`MIRROR_EVERY`] old (or `now` is set); true when a blob was written.
    /// No object store configured: nothing to do.
    pub async fn mirror_audit_head_if_due(&self, now: bool) -> Result<bool> {
        let Some(m) = self.mirror.clone() else {
            return Ok(false);
        };
        let Some(head) = self.head.read()? else {
            return Ok(false);
        };
        let last = m.last.lock().ok().and_then(|l| *l);
        match last {
            Some((seq, _)) if seq >= head.seq => return Ok(false),
            Some((_, at)) if !now && at.elapsed() < MIRROR_EVERY => return Ok(false),
            _ => {}
        }
        let record = MirroredHead {
            seq: head.seq,
            hash: head.hash.clone(),
            keyed_from: head.keyed_from,
            mac: self.mirror_mac(head.seq, &head.hash, head.keyed_from),
        };
        let bytes = serde_json::to_vec(&record).map_err(storage)?;
        let until = jiff::Timestamp::now()
            .checked_add(jiff::SignedDuration::from_hours(MIRROR_RETAIN_DAYS * 24))
            .map_err(storage)?;
        let blobs = m.blobs.clone();
        let key = key_of(head.seq);
        tokio::task::spawn_blocking(
            move || -> std::result::Result<(), dengbao_objstore::Error> {
                match blobs.put(&key, &bytes, Some(until)) {
                    Ok(()) | Err(dengbao_objstore::Error::AlreadyExists { .. }) => {}
                    Err(e) => return Err(e),
                }
                // Older heads whose lock has passed are no longer needed.
                let mut listed = blobs.list(MIRROR_PREFIX)?;
                listed.pop();
                for b in listed.into_iter().filter(|b| b.key < key) {
                    match blobs.delete(&b.key) {
                        Ok(())
                        | Err(dengbao_objstore::Error::Locked { .. })
                        | Err(dengbao_objstore::Error::NotFound { .. }) => {}
                        Err(e) => return Err(e),
                    }
                }
                Ok(())
            },
        )
        .await
        .map_err(storage)?
        .map_err(storage)?;
        if let Ok(mut l) = m.last.lock() {
            *l = Some((head.seq, Instant::now()));
        }
        Ok(true)
    }

    /// The newest head in the object store: `Ok(None)` without an object store or before
    /// the first head was written; an error names a blob that does not parse or whose MAC
    /// fails.
    pub(crate) async fn mirrored_head(
        &self,
    ) -> Result<Option<std::result::Result<MirroredHead, String>>> {
        let Some(m) = self.mirror.clone() else {
            return Ok(None);
        };
        let blobs = m.blobs.clone();
        let newest = tokio::task::spawn_blocking(
            move || -> std::result::Result<Option<(String, Vec<u8>)>, dengbao_objstore::Error> {
                let Some(b) = blobs.list(MIRROR_PREFIX)?.pop() else {
                    return Ok(None);
                };
                let bytes = blobs.get(&b.key)?;
                Ok(Some((b.key, bytes)))
            },
        )
        .await
        .map_err(storage)?
        .map_err(storage)?;
        let Some((key, bytes)) = newest else {
            return Ok(None);
        };
        let where_ = format!("{} {key}", m.blobs.describe());
        let parsed: MirroredHead = match serde_json::from_slice(&bytes) {
            Ok(h) => h,
            Err(e) => {
                return Ok(Some(Err(format!(
                    "the audit head in the object store ({where_}) does not parse: {e} (对象存储中的审计链头损坏)"
                ))))
            }
        };
        let mac = self.mirror_mac(parsed.seq, &parsed.hash, parsed.keyed_from);
        if !crate::keys::same(&mac, &parsed.mac) || key != key_of(parsed.seq) {
            return Ok(Some(Err(format!(
                "the audit head in the object store ({where_}) was not written with this server's key (对象存储中的审计链头校验失败)"
            ))));
        }
        Ok(Some(Ok(parsed)))
    }
}
