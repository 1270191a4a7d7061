//! The log chain's heads in the console's database as well (issue 14, decision 0926): a
//! wiped log directory whose `keys/log-head.json` went with it is still compared with what
//! the database remembers. Written by the writers that have a database — `serve` (on its
//! timer and at shutdown) and `logs ingest` when a database is configured — and compared
//! by `logs verify`, which also records its result there for the dashboard and `/metrics`.

use std::path::Path;

use dengbao_logstore::head::HeadRecord;
use dengbao_logstore::verify::{chain_of, VerifyReport};
use dengbao_logstore::HeadKeeper;
use dengbao_store::log_heads::{LogHead, LogVerification};
use dengbao_store::Store;

use crate::Ctx;

/// Where the comparison names the database copy in its messages.
pub const PLACE: &str = "database table log_heads / 数据库表 log_heads";

/// Whether this data directory has the console's database: `--database` given, or the
/// SQLite file `serve` creates. A bare `logs ingest` into a fresh directory creates none.
pub fn configured(ctx: &Ctx) -> bool {
    ctx.database.is_some() || ctx.data_dir.join("dengbao.db").exists()
}

fn row_of(r: HeadRecord) -> LogHead {
    LogHead {
        seq: r.seq,
        sig: r.sig,
        tree_size: r.tree_size,
        time: r.time,
        mac: r.mac,
    }
}

/// Keep every checkpoint of the chain at `logs` newer than the database's head — only while
/// the chain still holds that head (as the head file is advanced, decision 0925): over a
/// chain cut back or rewritten, the database keeps naming what is missing.
pub async fn sync(db: &Store, keeper: &HeadKeeper, logs: &Path) -> anyhow::Result<()> {
    let chain = chain_of(logs);
    let from = match db.latest_log_head().await? {
        None => 0,
        Some(h) => match chain.get(h.seq as usize) {
            Some(cp) if cp.sig == h.sig => h.seq + 1,
            _ => return Ok(()),
        },
    };
    for cp in chain.iter().filter(|c| c.seq >= from) {
        db.record_log_head(&row_of(keeper.record_of(cp))).await?;
    }
    Ok(())
}

/// What the database's head says about the chain at `logs` (empty: nothing wrong, or no
/// head kept there).
pub async fn check(db: &Store, keeper: &HeadKeeper, logs: &Path) -> anyhow::Result<Vec<String>> {
    let Some(h) = db.latest_log_head().await? else {
        return Ok(Vec::new());
    };
    let r = HeadRecord {
        seq: h.seq,
        sig: h.sig,
        tree_size: h.tree_size,
        time: h.time,
        mac: h.mac,
    };
    Ok(keeper.check_record(&r, &chain_of(logs), PLACE))
}

/// Record what a verify found (the first problem as printed).
pub async fn record(db: &Store, r: &VerifyReport) -> anyhow::Result<()> {
    let head_seq = r.checkpoints.checked_sub(1).map(|s| s as u64);
    db.record_log_verification(&LogVerification {
        // Fixed width, so the text sorts as the time does (`ORDER BY verified_at`).
        verified_at: {
            let t = jiff::Timestamp::now();
            format!(
                "{}.{:09}Z",
                t.strftime("%Y-%m-%dT%H:%M:%S"),
                t.subsec_nanosecond()
            )
        },
        ok: r.ok,
        checkpoints: r.checkpoints as u64,
        head_seq,
        tree_size: r.tree_size,
        problems: r.problems.len() as u64,
        first_problem: r.problems.first().map(|p| p.what.clone()),
    })
    .await?;
    Ok(())
}

/// Open the console's database for the log commands (no mirror: heads are not audit).
pub async fn open(ctx: &Ctx) -> anyhow::Result<Store> {
    crate::cmd::incident_register::open_store(ctx).await
}

/// `logs ingest`/`logs reset-head` with a database: bring its heads up to the chain.
pub fn sync_now(ctx: &Ctx, keeper: &HeadKeeper) -> anyhow::Result<()> {
    if !configured(ctx) {
        return Ok(());
    }
    let logs = ctx.data_dir.join("logs");
    crate::cmd::incident_register::runtime()?.block_on(async {
        let db = open(ctx).await?;
        let r = sync(&db, keeper, &logs).await;
        db.close().await;
        r
    })
}

/// `logs reset-head` with a database: forget the heads above the chain as it is now, then
/// keep the chain's own.
pub fn reset_now(ctx: &Ctx, keeper: &HeadKeeper, newest: Option<u64>) -> anyhow::Result<()> {
    if !configured(ctx) {
        return Ok(());
    }
    let logs = ctx.data_dir.join("logs");
    crate::cmd::incident_register::runtime()?.block_on(async {
        let db = open(ctx).await?;
        let chain = chain_of(&logs);
        // Heads above the chain's newest go; a rewritten checkpoint at a kept seq is
        // caught below, and then all go, to be written again from the chain.
        let mut r = db.reset_log_heads(newest).await.map(|_| ());
        if r.is_ok() {
            if let Some(h) = db.latest_log_head().await? {
                if chain.get(h.seq as usize).is_none_or(|c| c.sig != h.sig) {
                    r = db.reset_log_heads(None).await.map(|_| ());
                }
            }
        }
        let out = match r {
            Ok(()) => sync(&db, keeper, &logs).await,
            Err(e) => Err(e.into()),
        };
        db.close().await;
        out
    })
}

/// The last verify recorded, when the data directory has a database (`logs stats`).
pub fn last_verify(ctx: &Ctx) -> anyhow::Result<Option<LogVerification>> {
    if !configured(ctx) {
        return Ok(None);
    }
    crate::cmd::incident_register::runtime()?.block_on(async {
        let db = open(ctx).await?;
        let r = db.last_log_verification().await;
        db.close().await;
        Ok(r?)
    })
}
