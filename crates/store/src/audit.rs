//! The append-only, hash-chained audit log.
//!
//! Every change is written through a [`WriteTx`], which can only be committed together
//! with its audit entry, so no change reaches the database without one. Entry `n` stores
//! the hash of entry `n-1` (`prev_hash`; the first entry chains to 64 zeros) and its own
//! `hash` over the canonical encoding of (seq, at, actor, org_id, action, target, detail,
//! prev_hash): a tag, then each field as `N` (null) or `S`, its byte length as 8 bytes
//! big-endian, and its UTF-8 bytes. The encoding covers the stored text exactly (the
//! detail JSON is hashed as stored, never re-serialised), so a verifier in any language
//! can recompute it.
//!
//! Two chain versions (`chain_version`, decision 0923): version 1 (entries written before
//! the switch) is SHA-256 under the tag `dengbao-audit-v1`; version 2 is HMAC-SHA256 under
//! the tag `dengbao-audit-v2` with the audit key derived from `keys/server.key`, which is
//! never in the database. Every entry from the switch point on (`keyed_from` in the head
//! kept outside the database, [`crate::audit_head`]) must be version 2, so a database
//! writer without the key can neither edit a row and re-chain the rest nor downgrade them.
//!
//! Triggers make the table refuse UPDATE/DELETE, but a DBA can drop them: the chain is what
//! proves the log intact. The verifier ([`crate::audit_verify`]) names the first entry that
//! was edited, removed or moved, and notices entries cut from the end by comparing with
//! `audit_head` and with the head kept outside the database.

use std::sync::Arc;

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::audit_head::HeadFile;
use crate::error::{Result, StoreError};
use crate::keys::ServerKeys;
use crate::{now_rfc3339, Store};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The chain version new entries are written with: HMAC-SHA256 with the audit key.
pub const KEYED_CHAIN: i64 = 2;

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
    /// 1: SHA-256 (before the switch to the keyed chain); 2: HMAC-SHA256 with the audit key.
    pub chain_version: i64,
}

impl AuditEntry {
    /// The unkeyed (version 1) hash of this entry, recomputed from its fields: what anyone,
    /// an attacker included, can compute.
    pub fn compute_hash(&self) -> String {
        hex::encode(Sha256::digest(self.encoding(b"dengbao-audit-v1")))
    }

    /// The keyed (version 2) hash of this entry: needs the audit key.
    pub(crate) fn keyed_hash(&self, keys: &ServerKeys) -> String {
        keys.audit_mac(&[&self.encoding(b"dengbao-audit-v2")])
    }

    /// The hash this entry should carry under its own chain version (None: no such version).
    pub(crate) fn expected_hash(&self, keys: &ServerKeys) -> Option<String> {
        match self.chain_version {
            1 => Some(self.compute_hash()),
            KEYED_CHAIN => Some(self.keyed_hash(keys)),
            _ => None,
        }
    }

    fn encoding(&self, tag: &[u8]) -> Vec<u8> {
        let mut out = tag.to_vec();
        let seq = self.seq.to_string();
        for field in [
            Some(seq.as_str()),
            Some(&self.at),
            Some(&self.actor),
            self.org_id.as_deref(),
            Some(&self.action),
            Some(&self.target),
            Some(&self.detail),
            Some(&self.prev_hash),
        ] {
            match field {
                None => out.push(b'N'),
                Some(s) => {
                    out.push(b'S');
                    out.extend_from_slice(&(s.len() as u64).to_be_bytes());
                    out.extend_from_slice(s.as_bytes());
                }
            }
        }
        out
    }

    pub(crate) fn from_row(row: &AnyRow) -> Result<AuditEntry> {
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
            chain_version: row.try_get("chain_version")?,
        })
    }
}

/// A write transaction. It holds the chain's head (so writers are serialised) and is
/// committed only with the audit entry that describes it; dropping it rolls back.
pub struct WriteTx {
    pub(crate) tx: Transaction<'static, Any>,
    seq: i64,
    prev_hash: String,
    keys: Arc<ServerKeys>,
    head: Arc<HeadFile>,
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
            keys: Arc::clone(&store.keys),
            head: Arc::clone(&store.head),
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
            chain_version: KEYED_CHAIN,
        };
        entry.hash = entry.keyed_hash(&self.keys);
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor, org_id, action, target, detail, prev_hash, hash, chain_version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
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
        .bind(entry.chain_version)
        .execute(&mut *self.tx)
        .await?;
        sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
            .bind(&entry.hash)
            .execute(&mut *self.tx)
            .await?;
        self.tx.commit().await?;
        // After the commit: the head outside the database never names an entry the
        // database does not have (a crash in between leaves it one entry behind).
        self.head.advance(entry.seq, &entry.hash)?;
        Ok(entry)
    }
}

impl Store {
    /// Appends an entry that changes nothing else (a sign-in, a denied request of a
    /// signed-in user; anonymous denials are counted instead, [`crate::denials`]).
    pub async fn audit(&self, record: AuditRecord) -> Result<AuditEntry> {
        WriteTx::begin(self).await?.commit(record).await
    }

    /// Entries with seq > `after`, oldest first, at most `limit`.
    pub async fn audit_entries(&self, after: i64, limit: i64) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT seq, at, actor, org_id, action, target, detail, prev_hash, hash, chain_version \
             FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(AuditEntry::from_row).collect()
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
            chain_version: 1,
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

    #[test]
    fn the_keyed_hash_needs_the_key() {
        let mut e = AuditEntry {
            seq: 1,
            at: "2026-01-05T00:00:00Z".into(),
            actor: "cli".into(),
            org_id: None,
            action: "organisation.create".into(),
            target: "organisation:1".into(),
            detail: "{}".into(),
            prev_hash: GENESIS.into(),
            hash: String::new(),
            chain_version: KEYED_CHAIN,
        };
        let ours = ServerKeys::from_secret(&[1; 32]);
        let theirs = ServerKeys::from_secret(&[2; 32]);
        e.hash = e.keyed_hash(&ours);
        assert_ne!(e.hash, e.compute_hash());
        assert_eq!(e.expected_hash(&ours), Some(e.hash.clone()));
        assert_ne!(e.expected_hash(&theirs), Some(e.hash.clone()));
    }
}
