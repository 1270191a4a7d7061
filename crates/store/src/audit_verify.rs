//! Verifying the audit chain: all of it ([`Store::verify_audit`], `dengbao audit verify`),
//! or only what was appended since the last verification
//! ([`Store::verify_audit_since_last`], the audit page), decision 0923.
//!
//! Either way the verifier names the first bad entry: a gap (deleted), a `prev_hash` that
//! does not match (moved, replaced, inserted), a hash that does not match the content
//! (edited; for a keyed entry, also re-chained by someone without the key), an unkeyed
//! entry where the chain is keyed (rewritten without the key), a database head that does
//! not match the last entry, and a database shorter than, or different from, the head
//! kept outside it (entries cut from the end).

use serde::Serialize;

use crate::audit::{AuditEntry, GENESIS, KEYED_CHAIN};
use crate::audit_head::ExternalHead;
use crate::error::Result;
use crate::Store;

/// The verifier's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct VerifyReport {
    /// True when every entry chains and both heads match.
    pub ok: bool,
    /// Entries in the chain up to the last good one.
    pub entries: i64,
    /// The hash of the last good entry.
    pub last_hash: String,
    /// The first bad entry's sequence number.
    pub first_bad: Option<i64>,
    /// What is wrong with it, in words.
    pub problem: Option<String>,
    /// Verification started after this entry (0: from the start).
    #[serde(default)]
    pub from: i64,
    /// Entries read from the database by this verification.
    #[serde(default)]
    pub read: i64,
}

/// Rows fetched per query while walking.
const PAGE: i64 = 1000;

struct Walk {
    /// The last good entry: (seq, hash).
    last: (i64, String),
    read: i64,
    from: i64,
    /// What the external head's entry carried, when the walk passed it.
    at_external: Option<String>,
}

impl Walk {
    fn bad(&self, seq: i64, problem: String) -> VerifyReport {
        VerifyReport {
            ok: false,
            entries: self.last.0,
            last_hash: self.last.1.clone(),
            first_bad: Some(seq),
            problem: Some(problem),
            from: self.from,
            read: self.read,
        }
    }
}

impl Store {
    /// Walks the whole chain and names the first bad entry.
    pub async fn verify_audit(&self) -> Result<VerifyReport> {
        let external = self.head.read()?;
        self.verify_from(0, GENESIS.to_string(), external).await
    }

    /// Verifies only the entries appended since the last successful verification (the
    /// entry it ended at is re-read and must be unchanged); the whole chain the first time.
    /// What it cannot see: an old entry edited without re-chaining the entries after it —
    /// the full [`Store::verify_audit`] finds that.
    pub async fn verify_audit_since_last(&self) -> Result<VerifyReport> {
        let external = self.head.read()?;
        let (seq, hash) = match &external {
            Some(h) if h.verified_seq > 0 => (h.verified_seq, h.verified_hash.clone()),
            _ => (0, GENESIS.to_string()),
        };
        self.verify_from(seq, hash, external).await
    }

    async fn verify_from(
        &self,
        from: i64,
        from_hash: String,
        external: Option<ExternalHead>,
    ) -> Result<VerifyReport> {
        let mut walk = Walk {
            last: (from, from_hash),
            read: 0,
            from,
            at_external: None,
        };
        if from > 0 {
            let anchor = self.audit_entries(from - 1, 1).await?;
            walk.read += 1;
            let same = anchor.first().is_some_and(|e| {
                e.seq == from && e.hash == walk.last.1 && self.entry_ok(e, &external).is_none()
            });
            if !same {
                walk.last = (0, GENESIS.to_string());
                return Ok(walk.bad(
                    from,
                    format!(
                        "entry {from} is not the entry verified before: the log was rewritten (审计记录被重写)"
                    ),
                ));
            }
        }
        let external_seq = external.as_ref().map(|h| h.seq);
        if from > 0 && external_seq == Some(from) {
            walk.at_external = Some(walk.last.1.clone());
        }
        loop {
            let page = self.audit_entries(walk.last.0, PAGE).await?;
            if page.is_empty() {
                break;
            }
            walk.read += page.len() as i64;
            for entry in &page {
                let expected = walk.last.0 + 1;
                if entry.seq != expected {
                    return Ok(walk.bad(
                        expected,
                        format!(
                            "entry {expected} is missing (the next stored entry is {}) (审计记录缺失)",
                            entry.seq
                        ),
                    ));
                }
                if entry.prev_hash != walk.last.1 {
                    return Ok(walk.bad(
                        entry.seq,
                        format!(
                            "entry {} does not chain to entry {}: moved, replaced or inserted (审计记录链断裂)",
                            entry.seq,
                            entry.seq - 1
                        ),
                    ));
                }
                if let Some(problem) = self.entry_ok(entry, &external) {
                    return Ok(walk.bad(entry.seq, problem));
                }
                if Some(entry.seq) == external_seq {
                    walk.at_external = Some(entry.hash.clone());
                }
                walk.last = (entry.seq, entry.hash.clone());
            }
        }
        if let Some(bad) = self.heads_ok(&mut walk, &external).await? {
            return Ok(bad);
        }
        self.head.verified(walk.last.0, &walk.last.1)?;
        Ok(VerifyReport {
            ok: true,
            entries: walk.last.0,
            last_hash: walk.last.1,
            first_bad: None,
            problem: None,
            from,
            read: walk.read,
        })
    }

    /// What is wrong with one entry on its own (its version and its hash), if anything.
    fn entry_ok(&self, entry: &AuditEntry, external: &Option<ExternalHead>) -> Option<String> {
        let seq = entry.seq;
        // Without the file the switch point is unknown: keyed entries are checked with the
        // key, and the missing file is reported at the end.
        let keyed_from = external.as_ref().map(|h| h.keyed_from);
        if keyed_from.is_some_and(|k| seq >= k) && entry.chain_version != KEYED_CHAIN {
            return Some(format!(
                "entry {seq} is not keyed although every entry from {} is: it was rewritten without the key (审计记录未用密钥链接，已被改写)",
                keyed_from.unwrap_or_default()
            ));
        }
        if keyed_from.is_some_and(|k| seq < k) && entry.chain_version != 1 {
            return Some(format!(
                "entry {seq} claims the keyed chain, which begins at entry {} (审计记录版本不符)",
                keyed_from.unwrap_or_default()
            ));
        }
        match entry.expected_hash(&self.keys) {
            Some(h) if h == entry.hash => None,
            Some(_) if entry.chain_version == KEYED_CHAIN => Some(format!(
                "entry {seq} was changed after it was written: its keyed hash does not match its content (or keys/server.key is not the key it was written with) (审计记录被篡改)"
            )),
            Some(_) => Some(format!(
                "entry {seq} was changed after it was written: its hash does not match its content (审计记录被篡改)"
            )),
            None => Some(format!(
                "entry {seq} has an unknown chain version {} (审计记录版本未知)",
                entry.chain_version
            )),
        }
    }

    /// Compares the end of the walk with the database's head row and the head outside it.
    async fn heads_ok(
        &self,
        walk: &mut Walk,
        external: &Option<ExternalHead>,
    ) -> Result<Option<VerifyReport>> {
        let count = walk.last.0;
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        use sqlx::Row;
        let head_seq: i64 = head.try_get("seq")?;
        let head_hash: String = head.try_get("hash")?;
        if head_seq != count || head_hash != walk.last.1 {
            return Ok(Some(walk.bad(
                count + 1,
                format!(
                    "the log ends at entry {count} but {head_seq} were written: entries were removed from the end (审计记录被截断)"
                ),
            )));
        }
        let Some(ext) = external else {
            return Ok(Some(walk.bad(
                count + 1,
                format!(
                    "the audit head kept outside the database ({}) is missing, so entries cut from the end cannot be ruled out (数据库外的审计链头缺失)",
                    self.head.path().display()
                ),
            )));
        };
        if ext.seq > count {
            return Ok(Some(walk.bad(
                count + 1,
                format!(
                    "the log ends at entry {count} but the head kept outside the database records entry {}: entries were removed from the end (审计记录被截断)",
                    ext.seq
                ),
            )));
        }
        let at_external = match walk.at_external.take() {
            Some(h) => Some(h),
            None if ext.seq == 0 => Some(GENESIS.to_string()),
            None => {
                // The walk started after it: read that one entry.
                walk.read += 1;
                self.audit_entries(ext.seq - 1, 1)
                    .await?
                    .into_iter()
                    .find(|e| e.seq == ext.seq)
                    .map(|e| e.hash)
            }
        };
        if at_external.as_deref() != Some(ext.hash.as_str()) {
            return Ok(Some(walk.bad(
                ext.seq,
                format!(
                    "entry {} is not the entry the head kept outside the database records: the log was rewritten (审计记录被重写)",
                    ext.seq
                ),
            )));
        }
        self.mirror_ok(walk).await
    }

    /// Compares the end of the walk with the newest head in the object store (scale-out
    /// mode, decision 0925).
    async fn mirror_ok(&self, walk: &mut Walk) -> Result<Option<VerifyReport>> {
        let count = walk.last.0;
        let m = match self.mirrored_head().await? {
            None => return Ok(None),
            Some(Err(problem)) => return Ok(Some(walk.bad(count + 1, problem))),
            Some(Ok(m)) => m,
        };
        if m.seq > count {
            return Ok(Some(walk.bad(
                count + 1,
                format!(
                    "the log ends at entry {count} but the head in the object store records entry {}: entries were removed from the end (审计记录被截断，对象存储中的链头为第 {} 条)",
                    m.seq, m.seq
                ),
            )));
        }
        let at = if m.seq == 0 {
            Some(GENESIS.to_string())
        } else {
            walk.read += 1;
            self.audit_entries(m.seq - 1, 1)
                .await?
                .into_iter()
                .find(|e| e.seq == m.seq)
                .map(|e| e.hash)
        };
        if at.as_deref() != Some(m.hash.as_str()) {
            return Ok(Some(walk.bad(
                m.seq,
                format!(
                    "entry {} is not the entry the head in the object store records: the log was rewritten (审计记录被重写，与对象存储中的链头不符)",
                    m.seq
                ),
            )));
        }
        Ok(None)
    }
}
