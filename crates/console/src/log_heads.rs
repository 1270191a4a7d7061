//! The log chain's heads and verify results in the console's database (decision 0926),
//! shared by the console's background verify and the CLI's writers and `logs verify`: keep
//! the chain's new checkpoints, compare the chain with the newest one kept, record a result.

use std::path::Path;

use dengbao_logstore::head::HeadRecord;
use dengbao_logstore::verify::{chain_of, VerifyReport};
use dengbao_logstore::HeadKeeper;
use dengbao_store::log_heads::{LogHead, LogVerification};
use dengbao_store::{Store, StoreError};

/// Where the comparison names the database copy in its messages (English, Chinese).
pub const PLACE: (&str, &str) = ("database table log_heads", "数据库表 log_heads");

/// The head keeper of `data_dir` (`keys/log-head.json` under the server key's MAC).
pub fn keeper(data_dir: &Path) -> Result<HeadKeeper, StoreError> {
    let keys = dengbao_store::keys::ServerKeys::load_or_create(data_dir)?;
    Ok(HeadKeeper::new(
        dengbao_store::keys::log_head_path(data_dir),
        keys.log_head_key(),
    ))
}

/// Keep every checkpoint of the chain at `logs` newer than the database's head — only while
/// the chain still holds that head (as the head file is advanced, decision 0925): over a
/// chain cut back or rewritten, the database keeps naming what is missing.
pub async fn sync(db: &Store, keeper: &HeadKeeper, logs: &Path) -> Result<(), StoreError> {
    let chain = chain_of(logs);
    let from = match db.latest_log_head().await? {
        None => 0,
        Some(h) => match chain.get(h.seq as usize) {
            Some(cp) if cp.sig == h.sig => h.seq + 1,
            _ => return Ok(()),
        },
    };
    for cp in chain.iter().filter(|c| c.seq >= from) {
        let r = keeper.record_of(cp);
        db.record_log_head(&LogHead {
            seq: r.seq,
            sig: r.sig,
            tree_size: r.tree_size,
            time: r.time,
            mac: r.mac,
        })
        .await?;
    }
    Ok(())
}

/// What the database's head says about the chain at `logs` (empty: nothing wrong, or no
/// head kept there).
pub async fn check(
    db: &Store,
    keeper: &HeadKeeper,
    logs: &Path,
) -> Result<Vec<String>, StoreError> {
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
    Ok(keeper.check_record(&r, &chain_of(logs), PLACE.0, PLACE.1))
}

/// Record what a verify found (the first problem as printed), timed now.
pub async fn record(db: &Store, r: &VerifyReport) -> Result<(), StoreError> {
    let t = jiff::Timestamp::now();
    db.record_log_verification(&LogVerification {
        // Fixed width, so the text sorts as the time does (`ORDER BY verified_at`).
        verified_at: format!(
            "{}.{:09}Z",
            t.strftime("%Y-%m-%dT%H:%M:%S"),
            t.subsec_nanosecond()
        ),
        ok: r.ok,
        checkpoints: r.checkpoints as u64,
        head_seq: r.checkpoints.checked_sub(1).map(|s| s as u64),
        tree_size: r.tree_size,
        problems: r.problems.len() as u64,
        first_problem: r.problems.first().map(|p| p.what.clone()),
    })
    .await
}

/// Compare the chain at `logs` with the database's head (adding what it finds to `r`) and
/// record the result: the whole of a verify's database side.
pub async fn check_and_record(
    db: &Store,
    keeper: &HeadKeeper,
    logs: &Path,
    r: &mut VerifyReport,
) -> Result<(), StoreError> {
    let found = check(db, keeper, logs).await?;
    r.problems.extend(
        found
            .into_iter()
            .map(dengbao_logstore::verify::Problem::plain),
    );
    r.ok = r.problems.is_empty();
    record(db, r).await
}
