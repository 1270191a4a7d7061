//! In scale-out mode, the checkpoint chain's head kept in the bucket too (issue 14,
//! decision 0926): after each checkpoint is in the shared catalog, its signed line is put
//! at `log-head/<seq, 20 digits>.json`, create-only and under Object Lock for
//! [`HEAD_LOCK_DAYS`]. The chain itself lives in PostgreSQL, where whoever can write the
//! database could cut it; the newest head blob cannot be taken back by them, so `verify`
//! compares the chain with it and names the missing range — also for a catalog wiped whole.
//!
//! The blob is a second copy, never the commit point: a failed put leaves the head in the
//! bucket one checkpoint behind (which `verify` does not report — a head that lags the
//! chain is no evidence of a cut) and the next checkpoint writes a newer one.

use jiff::{Span, Timestamp};

use dengbao_objstore::BlobStore;

use crate::checkpoint::{parse_log, Checkpoint};

/// Where the heads go in the bucket.
pub const HEAD_PREFIX: &str = "log-head/";
/// How long each head blob is locked against deletion (as the audit head's mirror).
pub const HEAD_LOCK_DAYS: i64 = 7;

fn key_of(seq: u64) -> String {
    format!("{HEAD_PREFIX}{seq:020}.json")
}

/// Put `cp` (its signed `line`) as the newest head, then delete older heads whose lock has
/// passed. Best effort (see the module docs): errors are returned for the caller to ignore
/// or report, never to undo the checkpoint.
pub(crate) fn put(
    blobs: &dyn BlobStore,
    cp: &Checkpoint,
    line: &str,
) -> dengbao_objstore::Result<()> {
    let until = Timestamp::now()
        .checked_add(Span::new().hours(24 * HEAD_LOCK_DAYS))
        .ok();
    let key = key_of(cp.seq);
    match blobs.put(&key, format!("{line}\n").as_bytes(), until) {
        Ok(()) | Err(dengbao_objstore::Error::AlreadyExists { .. }) => {}
        Err(e) => return Err(e),
    }
    let older = blobs.list(HEAD_PREFIX)?;
    for b in older.iter().filter(|b| b.key < key) {
        // A blob still locked says `Locked`; it goes on a later checkpoint.
        match blobs.delete(&b.key) {
            Ok(())
            | Err(dengbao_objstore::Error::Locked { .. })
            | Err(dengbao_objstore::Error::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// What is wrong with `chain` as the newest head blob sees it (empty: nothing, or no head
/// in the bucket yet — a store from before heads were kept there).
pub(crate) fn check(blobs: &dyn BlobStore, chain: &[Checkpoint]) -> Vec<String> {
    let place = format!("{} {HEAD_PREFIX}", blobs.describe());
    let newest = match blobs.list(HEAD_PREFIX) {
        Ok(list) => list.into_iter().map(|b| b.key).max(),
        Err(e) => {
            return vec![format!(
                "`{place}`: the chain's head in the bucket could not be read: {e} / 无法读取对象存储中的检查点链头：{e}"
            )]
        }
    };
    let Some(key) = newest else {
        return Vec::new();
    };
    let parsed = blobs
        .get(&key)
        .map_err(|e| e.to_string())
        .and_then(|b| parse_log(&b).map_err(|e| e.to_string()));
    let cp = match parsed {
        Ok((cps, _)) if cps.len() == 1 => cps.into_iter().next(),
        Ok(_) => None,
        Err(_) => None,
    };
    let Some(cp) = cp else {
        return vec![format!(
            "`{place}{}`: the chain's head in the bucket is not one signed checkpoint / 对象存储中的检查点链头 `{key}` 不是一个已签名的检查点",
            key.trim_start_matches(HEAD_PREFIX)
        )];
    };
    let at = format!("{place}{}", key.trim_start_matches(HEAD_PREFIX));
    crate::head::check_named(cp.seq, &cp.sig, cp.tree_size, &cp.time, chain, &at, &at)
}
