//! The log chain's heads in the console's database as well (issue 14, decision 0926): a
//! wiped log directory whose `keys/log-head.json` went with it is still compared with what
//! the database remembers. Written by the writers that have a database — `serve` (on its
//! timer and at shutdown) and `logs ingest` when a database is configured — and compared
//! by `logs verify`, which also records its result there for the dashboard and `/metrics`.

use dengbao_logstore::verify::chain_of;
use dengbao_logstore::HeadKeeper;
use dengbao_store::log_heads::LogVerification;
use dengbao_store::Store;

use crate::Ctx;

pub use dengbao_console::log_heads::{check_and_record, sync};

/// Whether this data directory has the console's database: `--database` given, or the
/// SQLite file `serve` creates. A bare `logs ingest` into a fresh directory creates none.
pub fn configured(ctx: &Ctx) -> bool {
    ctx.database.is_some() || ctx.data_dir.join("dengbao.db").exists()
}

/// Open the console's database for the log commands.
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
        Ok(r?)
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
            Ok(()) => sync(&db, keeper, &logs).await.map_err(anyhow::Error::from),
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

/// `logs verify` with a database: compare with its head and record the result.
pub fn verify_now(
    ctx: &Ctx,
    keeper: &HeadKeeper,
    logs: &std::path::Path,
    r: &mut dengbao_logstore::verify::VerifyReport,
) -> anyhow::Result<()> {
    if !configured(ctx) {
        return Ok(());
    }
    crate::cmd::incident_register::runtime()?.block_on(async {
        let db = open(ctx).await?;
        let out = check_and_record(&db, keeper, logs, r).await;
        db.close().await;
        Ok(out?)
    })
}

/// `serve`: keep the listeners' checkpoint heads in the database every minute, and hand
/// the last verify recorded there to `/metrics`.
pub(crate) fn spawn_head_sync(
    db: dengbao_store::Store,
    ctx: &Ctx,
    status: std::sync::Arc<dengbao_listen::Status>,
) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let keeper = super::head::keeper(&ctx.data_dir)?;
    let logs = ctx.data_dir.join("logs");
    Ok(tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            if let Err(e) = sync(&db, &keeper, &logs).await {
                tracing::warn!("keeping the log head in the database: {e:#}");
            }
            match db.last_log_verification().await {
                Ok(v) => status.set_last_verify(v.and_then(|v| {
                    Some(dengbao_listen::LastVerify {
                        at_us: v
                            .verified_at
                            .parse::<jiff::Timestamp>()
                            .ok()?
                            .as_microsecond(),
                        ok: v.ok,
                        checkpoints: v.checkpoints,
                    })
                })),
                Err(e) => tracing::warn!("reading the last log verify: {e:#}"),
            }
        }
    }))
}

/// `serve` at shutdown, after the final seal.
pub(crate) async fn sync_heads_once(db: &dengbao_store::Store, ctx: &Ctx) {
    let r = match super::head::keeper(&ctx.data_dir) {
        Ok(k) => sync(db, &k, &ctx.data_dir.join("logs"))
            .await
            .map_err(anyhow::Error::from),
        Err(e) => Err(e),
    };
    if let Err(e) = r {
        tracing::warn!("keeping the log head in the database: {e:#}");
    }
}
