//! The append-only, hash-chained audit log.
//!
//! Every change is written through a [`WriteTx`], which can only be committed together
//! with its audit entry, so no change reaches the database without one. Entry `n` stores
//! the hash of entry `n-1` (`prev_hash`; the first entry chains to 64 zeros) and its own
//! `hash` = SHA-256 over the canonical encoding of (seq, at, actor, org_id, action, target,
//! detail, prev_hash): the tag `dengbao-audit-v1`, then each field as `N` (null) or `S`,
//! its byte length as 8 bytes big-endian, and its UTF-8 bytes. The encoding covers the
//! stored text exactly (the detail JSON is hashed as stored, never re-serialised), so a
//! verifier in any language can recompute it.
//!
//! Triggers make the table refuse UPDATE/DELETE, but a DBA can drop them: the chain is what
//! proves the log intact. [`verify`] names the first entry that was edited, removed or
//! moved, and notices entries cut from the end by comparing with `audit_head`.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::error::{Result, StoreError};
use crate::{now_rfc3339, Store};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a change says about itself; the store adds seq, time and hashes.
#[derive(Debug, Clone)]
pub struct AuditRecord {
    /// Who: `user:<id> <name>`, `anonymous`, `setup`, `cli`.
    pub actor: String,
    /// The organisation whose data it concerns, when there is one.
    pub org_id: Option<String>,
    /// What: `network.create`, `evidence.add`, `denied`, …
    pub action: String,
    /// Which: `network:<id>`, `organisation:<id>`, the request path for denials.
    pub target: String,
    pub detail: serde_json::Value,
}

/// One stored entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub org_id: Option<String>,
    pub action: String,
    pub target: String,
    /// The detail JSON exactly as stored (and hashed).
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEntry {
    /// The hash this entry should carry, recomputed from its fields.
    pub fn compute_hash(&self) -> String {
        entry_hash(
            self.seq,
            &self.at,
            &self.actor,
            self.org_id.as_deref(),
            &self.action,
            &self.target,
            &self.detail,
            &self.prev_hash,
        )
    }

    fn from_row(row: &AnyRow) -> Result<AuditEntry> {
        Ok(AuditEntry {
            seq: row.try_get("seq")?,
            at: row.try_get("at")?,
            actor: row.try_get("actor")?,
            org_id: row.try_get("org_id")?,
            action: row.try_get("action")?,
            target: row.try_get("target")?,
            detail: row.try_get("detail")?,
            prev_hash: row.try_get("prev_hash")?,
            hash: row.try_get("hash")?,
        })
    }
}

#[allow(clippy::too_many_arguments)]
fn entry_hash(
    seq: i64,
    at: &str,
    actor: &str,
    org_id: Option<&str>,
    action: &str,
    target: &str,
    detail: &str,
    prev_hash: &str,
) -> String {
    let mut h = Sha256::new();
    h.update(b"dengbao-audit-v1");
    let seq = seq.to_string();
    for field in [
        Some(seq.as_str()),
        Some(at),
        Some(actor),
        org_id,
        Some(action),
        Some(target),
        Some(detail),
        Some(prev_hash),
    ] {
        match field {
            None => h.update(b"N"),
            Some(s) => {
                h.update(b"S");
                h.update((s.len() as u64).to_be_bytes());
                h.update(s.as_bytes());
            }
        }
    }
    hex::encode(h.finalize())
}

/// A write transaction. It holds the chain's head (so writers are serialised) and is
/// committed only with the audit entry that describes it; dropping it rolls back.
pub struct WriteTx {
    pub(crate) tx: Transaction<'static, Any>,
    seq: i64,
    prev_hash: String,
}

impl WriteTx {
    pub(crate) async fn begin(store: &Store) -> Result<WriteTx> {
        let mut tx = store.pool.begin().await?;
        let row =
            sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
                .fetch_one(&mut *tx)
                .await?;
        Ok(WriteTx {
            tx,
            seq: row.try_get("seq")?,
            prev_hash: row.try_get("hash")?,
        })
    }

    /// Appends the entry and commits the change and the entry together.
    pub(crate) async fn commit(mut self, record: AuditRecord) -> Result<AuditEntry> {
        let detail = serde_json::to_string(&record.detail)
            .map_err(|e| StoreError::invalid("detail", e.to_string()))?;
        let mut entry = AuditEntry {
            seq: self.seq,
            at: now_rfc3339(),
            actor: record.actor,
            org_id: record.org_id,
            action: record.action,
            target: record.target,
            detail,
            prev_hash: self.prev_hash.clone(),
            hash: String::new(),
        };
        entry.hash = entry.compute_hash();
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor, org_id, action, target, detail, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(entry.seq)
        .bind(&entry.at)
        .bind(&entry.actor)
        .bind(&entry.org_id)
        .bind(&entry.action)
        .bind(&entry.target)
        .bind(&entry.detail)
        .bind(&entry.prev_hash)
        .bind(&entry.hash)
        .execute(&mut *self.tx)
        .await?;
        sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
            .bind(&entry.hash)
            .execute(&mut *self.tx)
            .await?;
        self.tx.commit().await?;
        Ok(entry)
    }
}

/// The verifier's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct VerifyReport {
    /// True when every entry chains and the head matches the last entry.
    pub ok: bool,
    /// Entries read.
    pub entries: i64,
    /// The hash of the last good entry.
    pub last_hash: String,
    /// The first bad entry's sequence number.
    pub first_bad: Option<i64>,
    /// What is wrong with it, in words.
    pub problem: Option<String>,
}

impl Store {
    /// Appends an entry that changes nothing else (a denied request, a sign-in).
    pub async fn audit(&self, record: AuditRecord) -> Result<AuditEntry> {
        WriteTx::begin(self).await?.commit(record).await
    }

    /// Entries with seq > `after`, oldest first, at most `limit`.
    pub async fn audit_entries(&self, after: i64, limit: i64) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT seq, at, actor, org_id, action, target, detail, prev_hash, hash \
             FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(AuditEntry::from_row).collect()
    }

    /// Walks the whole chain and names the first bad entry.
    pub async fn verify_audit(&self) -> Result<VerifyReport> {
        const PAGE: i64 = 1000;
        let mut expected_seq = 1i64;
        let mut prev = GENESIS.to_string();
        let mut count = 0i64;
        let bad = |seq: i64, count: i64, last: &str, problem: String| VerifyReport {
            ok: false,
            entries: count,
            last_hash: last.to_string(),
            first_bad: Some(seq),
            problem: Some(problem),
        };
        loop {
            let page = self.audit_entries(expected_seq - 1, PAGE).await?;
            if page.is_empty() {
                break;
            }
            for entry in &page {
                if entry.seq != expected_seq {
                    return Ok(bad(
                        expected_seq,
                        count,
                        &prev,
                        format!(
                            "entry {expected_seq} is missing (the next stored entry is {}) (审计记录缺失)",
                            entry.seq
                        ),
                    ));
                }
                if entry.prev_hash != prev {
                    return Ok(bad(
                        entry.seq,
                        count,
                        &prev,
                        format!(
                            "entry {} does not chain to entry {}: moved, replaced or inserted (审计记录链断裂)",
                            entry.seq,
                            entry.seq - 1
                        ),
                    ));
                }
                if entry.compute_hash() != entry.hash {
                    return Ok(bad(
                        entry.seq,
                        count,
                        &prev,
                        format!(
                            "entry {} was changed after it was written: its hash does not match its content (审计记录被篡改)",
                            entry.seq
                        ),
                    ));
                }
                prev = entry.hash.clone();
                count += 1;
                expected_seq += 1;
            }
        }
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        let head_seq: i64 = head.try_get("seq")?;
        let head_hash: String = head.try_get("hash")?;
        if head_seq != count || head_hash != prev {
            return Ok(bad(
                count + 1,
                count,
                &prev,
                format!(
                    "the log ends at entry {count} but {head_seq} were written: entries were removed from the end (审计记录被截断)"
                ),
            ));
        }
        Ok(VerifyReport {
            ok: true,
            entries: count,
            last_hash: prev,
            first_bad: None,
            problem: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_covers_every_field_and_tells_null_from_empty() {
        let base = AuditEntry {
            seq: 1,
            at: "2026-01-05T00:00:00Z".into(),
            actor: "cli".into(),
            org_id: None,
            action: "organisation.create".into(),
            target: "organisation:1".into(),
            detail: "{}".into(),
            prev_hash: GENESIS.into(),
            hash: String::new(),
        };
        let h = base.compute_hash();
        let mut e = base.clone();
        e.org_id = Some(String::new());
        assert_ne!(e.compute_hash(), h);
        let mut e = base.clone();
        e.seq = 2;
        assert_ne!(e.compute_hash(), h);
        let mut e = base.clone();
        e.actor = "cli ".into();
        assert_ne!(e.compute_hash(), h);
        // field boundaries are length-prefixed: moving a character between fields changes it
        let mut e = base.clone();
        e.action = "organisation.creat".into();
        e.target = "eorganisation:1".into();
        assert_ne!(e.compute_hash(), h);
    }
}
