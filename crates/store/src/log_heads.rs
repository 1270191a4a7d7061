//! The log store's checkpoint heads and verify results in the console's database (issue 14,
//! decision 0926). Each head a writer commits is also `<data-dir>/keys/log-head.json`
//! (decision 0925); keeping every one here too means a log directory wiped together with
//! that file still leaves something naming what the store held, and `logs verify` says so.
//!
//! The rows carry the same HMAC as the head file, computed by the caller (the log store's
//! `HeadKeeper`): this module stores and returns them and knows nothing of the key.
//! Bookkeeping, not a change someone made: no audit entry, as `api_tokens.last_used_at`.

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::Result;
use crate::item_results::sortable_now;
use crate::{secret, Store};

/// One checkpoint head as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogHead {
    pub seq: u64,
    /// The checkpoint's signature (hex).
    pub sig: String,
    pub tree_size: u64,
    /// The checkpoint's own time (RFC 3339).
    pub time: String,
    /// HMAC over the fields above (hex), as in `log-head.json`.
    pub mac: String,
}

/// What one verify found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogVerification {
    pub verified_at: String,
    pub ok: bool,
    pub checkpoints: u64,
    /// The newest checkpoint the chain held (`None`: none).
    pub head_seq: Option<u64>,
    pub tree_size: u64,
    pub problems: u64,
    /// The first problem as verify printed it.
    pub first_problem: Option<String>,
}

fn i64_of(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn u64_of(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

impl Store {
    /// Keep `head`; a checkpoint already kept (same `seq`) is left as it was, so a
    /// rewritten chain cannot overwrite what the database remembers of the original.
    pub async fn record_log_head(&self, head: &LogHead) -> Result<()> {
        sqlx::query(
            "INSERT INTO log_heads (seq, sig, tree_size, time, mac, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (seq) DO NOTHING",
        )
        .bind(i64_of(head.seq))
        .bind(&head.sig)
        .bind(i64_of(head.tree_size))
        .bind(&head.time)
        .bind(&head.mac)
        .bind(sortable_now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The newest head kept (`None`: no writer with this database committed one).
    pub async fn latest_log_head(&self) -> Result<Option<LogHead>> {
        let row = sqlx::query(
            "SELECT seq, sig, tree_size, time, mac FROM log_heads ORDER BY seq DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| -> Result<LogHead> {
            Ok(LogHead {
                seq: u64_of(r.try_get("seq")?),
                sig: r.try_get("sig")?,
                tree_size: u64_of(r.try_get("tree_size")?),
                time: r.try_get("time")?,
                mac: r.try_get("mac")?,
            })
        })
        .transpose()
    }

    /// Remove the heads above `seq` (all of them with `None`): `logs reset-head`, an
    /// operator recording the chain as it is on purpose after looking.
    pub async fn reset_log_heads(&self, keep_through: Option<u64>) -> Result<u64> {
        let r = match keep_through {
            Some(s) => {
                sqlx::query("DELETE FROM log_heads WHERE seq > $1")
                    .bind(i64_of(s))
                    .execute(&self.pool)
                    .await?
            }
            None => {
                sqlx::query("DELETE FROM log_heads")
                    .execute(&self.pool)
                    .await?
            }
        };
        Ok(r.rows_affected())
    }

    /// Record what a verify found.
    pub async fn record_log_verification(&self, v: &LogVerification) -> Result<()> {
        sqlx::query(
            "INSERT INTO log_verifications \
             (id, verified_at, ok, checkpoints, head_seq, tree_size, problems, first_problem) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(secret::new_id()?)
        .bind(&v.verified_at)
        .bind(i64::from(v.ok))
        .bind(i64_of(v.checkpoints))
        .bind(v.head_seq.map(i64_of))
        .bind(i64_of(v.tree_size))
        .bind(i64_of(v.problems))
        .bind(v.first_problem.as_deref())
        .execute(&self.pool)
        .await?;
        self.prune_log_verifications(&v.verified_at).await
    }

    /// Thin the history so that `serve`'s verify every ten minutes (about 52,000 rows a
    /// year) does not grow it without bound, while keeping what is evidence: every failed
    /// verify, every verify of the last [`VERIFY_HISTORY_FULL_DAYS`] before `now`, and for
    /// older days the first passed verify of each day (UTC) — "verified daily" stays provable.
    async fn prune_log_verifications(&self, now: &str) -> Result<()> {
        let Ok(now) = now.parse::<jiff::Timestamp>() else {
            return Ok(()); // a time we cannot read: keep everything rather than guess
        };
        let Ok(cutoff) = now.checked_sub(jiff::SignedDuration::from_hours(
            24 * VERIFY_HISTORY_FULL_DAYS,
        )) else {
            return Ok(());
        };
        // Rows older than two days before the cutoff were thinned by an earlier call; from
        // the start of that day on, keep the first passed verify of each day.
        let from = cutoff
            .checked_sub(jiff::SignedDuration::from_hours(48))
            .unwrap_or(cutoff)
            .to_string();
        let rows = sqlx::query(
            "SELECT id, verified_at FROM log_verifications \
             WHERE ok = 1 AND verified_at >= $1 AND verified_at < $2 \
             ORDER BY verified_at, id",
        )
        .bind(from.get(..10).unwrap_or(&from))
        .bind(cutoff.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut day_seen: Option<String> = None;
        for r in rows {
            let at: String = r.try_get("verified_at")?;
            let day = at.get(..10).unwrap_or(&at).to_string();
            if day_seen.as_deref() == Some(day.as_str()) {
                let id: String = r.try_get("id")?;
                sqlx::query("DELETE FROM log_verifications WHERE id = $1")
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
            } else {
                day_seen = Some(day);
            }
        }
        Ok(())
    }

    /// Every verify kept, newest first.
    pub async fn log_verification_history(&self) -> Result<Vec<LogVerification>> {
        let rows = sqlx::query(
            "SELECT verified_at, ok, checkpoints, head_seq, tree_size, problems, first_problem \
             FROM log_verifications ORDER BY verified_at DESC, id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(verification_of).collect()
    }

    /// The newest verify recorded (`None`: never).
    pub async fn last_log_verification(&self) -> Result<Option<LogVerification>> {
        let row = sqlx::query(
            "SELECT verified_at, ok, checkpoints, head_seq, tree_size, problems, first_problem \
             FROM log_verifications ORDER BY verified_at DESC, id DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(verification_of).transpose()
    }
}

/// Days of verify history kept whole; older days keep their first passed verify.
pub const VERIFY_HISTORY_FULL_DAYS: i64 = 7;

fn verification_of(r: &AnyRow) -> Result<LogVerification> {
    Ok(LogVerification {
        verified_at: r.try_get("verified_at")?,
        ok: r.try_get::<i64, _>("ok")? == 1,
        checkpoints: u64_of(r.try_get("checkpoints")?),
        head_seq: r.try_get::<Option<i64>, _>("head_seq")?.map(u64_of),
        tree_size: u64_of(r.try_get("tree_size")?),
        problems: u64_of(r.try_get("problems")?),
        first_problem: r.try_get("first_problem")?,
    })
}
