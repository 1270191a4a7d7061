//! The log store's checkpoint head kept outside it (decision 0925):
//! `<data-dir>/keys/log-head.json`, vouched for by a key derived from
//! `<data-dir>/keys/server.key`.

use std::path::Path;

use dengbao_logstore::head::HeadRecord;
use dengbao_logstore::HeadKeeper;
use dengbao_store::keys::{key_path, log_head_path, ServerKeys};
use dengbao_types::Lang;

/// The head keeper of a data directory, making the server key when there is none (every
/// writer of the log store keeps the head).
pub fn keeper(data_dir: &Path) -> anyhow::Result<HeadKeeper> {
    let keys = ServerKeys::load_or_create(data_dir)?;
    Ok(HeadKeeper::new(
        log_head_path(data_dir),
        keys.log_head_key(),
    ))
}

/// The head keeper for a reader: `None` when neither the server key nor the head record
/// exists (a data directory no writer has kept a head in), so reading creates nothing.
pub fn keeper_if_kept(data_dir: &Path) -> anyhow::Result<Option<HeadKeeper>> {
    if !key_path(data_dir).exists() && !log_head_path(data_dir).exists() {
        return Ok(None);
    }
    keeper(data_dir).map(Some)
}

/// Whether a head record exists (a store whose files are gone still has something to
/// verify against).
pub fn recorded(data_dir: &Path) -> bool {
    log_head_path(data_dir).exists()
}

/// What `logs reset-head` did.
pub fn reset_done(lang: Lang, old: Option<&HeadRecord>, new_seq: Option<u64>) -> String {
    let old_zh = old.map_or("无".to_string(), |r| format!("检查点 #{}", r.seq));
    let old_en = old.map_or("none".to_string(), |r| format!("checkpoint #{}", r.seq));
    match (lang, new_seq) {
        (Lang::ZhCn, Some(n)) => {
            format!("链外记录的检查点链头已改为检查点 #{n}（原记录：{old_zh}）")
        }
        (Lang::ZhCn, None) => format!("日志库没有检查点，已删除链外记录（原记录：{old_zh}）"),
        (Lang::En, Some(n)) => format!(
            "the head kept outside the store now names checkpoint #{n} (it named: {old_en})"
        ),
        (Lang::En, None) => {
            format!("the store has no checkpoint; the head record was removed (it named: {old_en})")
        }
    }
}
