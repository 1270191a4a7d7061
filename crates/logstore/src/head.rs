//! The checkpoint chain's head kept outside the store (decision 0925): a small file naming
//! the newest checkpoint a writer committed — its `seq`, signature, tree size and time —
//! with an HMAC-SHA256 under a key the caller supplies (`dengbao` derives it from
//! `<data-dir>/keys/server.key`, and keeps the file at `<data-dir>/keys/log-head.json`,
//! outside `<data-dir>/logs/`).
//!
//! Cutting the newest checkpoints off `checkpoints.log` (and removing the segments they
//! added) leaves a chain that verifies on its own; it no longer reaches the head this file
//! names, and `verify` says which checkpoints are missing. Rewriting the file to name an
//! older checkpoint needs the key; removing it is noticed because every checkpoint written
//! with a head kept says so in its signed body (`head_kept`).
//!
//! The writer advances the file only from a head its own chain still contains: once the
//! chain was cut back or rewritten, the file keeps naming what is missing until someone
//! looks (`dengbao logs reset-head` records the chain as it is, on purpose).

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};

use crate::checkpoint::Checkpoint;
use crate::error::{Error, IoCtx, Result};

/// Where the head is kept and the key that vouches for it.
#[derive(Clone)]
pub struct HeadKeeper {
    path: PathBuf,
    key: [u8; 32],
}

impl fmt::Debug for HeadKeeper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HeadKeeper")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// The file's contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadRecord {
    pub seq: u64,
    /// The checkpoint's signature (hex), which names it uniquely.
    pub sig: String,
    pub tree_size: u64,
    pub time: String,
    /// HMAC-SHA256 over the fields above (hex).
    pub mac: String,
}

fn mac(key: &[u8], parts: &[&[u8]]) -> String {
    let mut m = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(key).expect("any key length"); // ok: HMAC takes keys of any length
    for p in parts {
        m.update(&(p.len() as u64).to_be_bytes());
        m.update(p);
    }
    hex::encode(m.finalize().into_bytes())
}

/// Constant-time equality of two strings.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl HeadKeeper {
    /// The head kept at `path`, vouched for by `key` (32 bytes, the caller's secret).
    pub fn new(path: impl Into<PathBuf>, key: [u8; 32]) -> HeadKeeper {
        HeadKeeper {
            path: path.into(),
            key,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn mac_of(&self, seq: u64, sig: &str, tree_size: u64, time: &str) -> String {
        mac(
            &self.key,
            &[
                b"dengbao-log-head-v1",
                &seq.to_be_bytes(),
                sig.as_bytes(),
                &tree_size.to_be_bytes(),
                time.as_bytes(),
            ],
        )
    }

    /// The record naming `cp`, MAC included (also what the console's database keeps of each
    /// checkpoint, decision 0926).
    pub fn record_of(&self, cp: &Checkpoint) -> HeadRecord {
        HeadRecord {
            seq: cp.seq,
            sig: cp.sig.clone(),
            tree_size: cp.tree_size,
            time: cp.time.clone(),
            mac: self.mac_of(cp.seq, &cp.sig, cp.tree_size, &cp.time),
        }
    }

    /// The head as the file says now (`None`: no file). A file that does not parse or whose
    /// MAC fails is an error naming the file.
    pub fn read(&self) -> Result<Option<HeadRecord>> {
        let bytes = match fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).at(&self.path),
        };
        let r: HeadRecord = serde_json::from_slice(&bytes).map_err(|e| {
            Error::Corrupt(format!(
                "`{}`: {e} / 检查点链头记录 `{}` 无法读取",
                self.path.display(),
                self.path.display()
            ))
        })?;
        let expect = self.mac_of(r.seq, &r.sig, r.tree_size, &r.time);
        if !same(&expect, &r.mac) {
            return Err(Error::Corrupt(format!(
                "`{}`: its MAC does not verify (altered, or written with another server key) / 检查点链头记录 `{}` 的校验码不符（被改动或换了服务器密钥）",
                self.path.display(),
                self.path.display()
            )));
        }
        Ok(Some(r))
    }

    fn write(&self, r: &HeadRecord) -> Result<()> {
        if let Some(d) = self.path.parent() {
            fs::create_dir_all(d).at(d)?;
        }
        let tmp = self
            .path
            .with_extension(format!("json.{}.tmp", std::process::id()));
        let mut text =
            serde_json::to_string_pretty(r).map_err(|e| Error::Corrupt(e.to_string()))?;
        text.push('\n');
        fs::write(&tmp, text).at(&tmp)?;
        fs::File::open(&tmp).and_then(|f| f.sync_all()).at(&tmp)?;
        fs::rename(&tmp, &self.path).at(&self.path)
    }

    /// After `chain`'s last checkpoint committed: name it, when the file is missing and no
    /// earlier checkpoint said a head was kept (the first time), or when the file names a
    /// checkpoint the chain still holds. Anything else is left for `verify` to report.
    pub(crate) fn advance(&self, chain: &[Checkpoint]) -> Result<()> {
        let Some((new, before)) = chain.split_last() else {
            return Ok(());
        };
        let current = match self.read() {
            Ok(r) => r,
            Err(Error::Corrupt(_)) => return Ok(()),
            Err(e) => return Err(e),
        };
        let go = match current {
            None => !before.iter().any(|c| c.body.head_kept),
            Some(r) => r.seq < new.seq && chain.get(r.seq as usize).is_some_and(|c| c.sig == r.sig),
        };
        if go {
            self.write(&self.record_of(new))?;
        }
        Ok(())
    }

    /// Record `chain`'s last checkpoint as the head, whatever the file said (an operator's
    /// decision after looking at what `verify` reported). Returns what it replaced.
    pub fn reset(&self, chain: &[Checkpoint]) -> Result<Option<HeadRecord>> {
        let old = self.read().ok().flatten();
        match chain.last() {
            Some(cp) => self.write(&self.record_of(cp))?,
            None => match fs::remove_file(&self.path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e).at(&self.path),
                _ => {}
            },
        }
        Ok(old)
    }

    /// What is wrong with `chain` as the head sees it (empty: nothing). Each problem names
    /// the checkpoints concerned, in English and Chinese.
    pub fn check(&self, chain: &[Checkpoint]) -> Vec<String> {
        let path = self.path.display();
        let r = match self.read() {
            Ok(r) => r,
            Err(e) => return vec![e.to_string()],
        };
        let Some(r) = r else {
            return match chain.iter().find(|c| c.body.head_kept) {
                Some(c) => vec![format!(
                    "`{}`: the record of the chain's head is missing, though checkpoint #{} says one is kept (removed?) / 检查点链头记录 `{}` 缺失（检查点 #{} 起应有此记录，被删除？）",
                    self.path.display(),
                    c.seq,
                    self.path.display(),
                    c.seq
                )],
                None => Vec::new(),
            };
        };
        let path = path.to_string();
        self.check_record(&r, chain, &path, &path)
    }

    /// What is wrong with `chain` as a head record kept at `place` sees it (the file, or the
    /// console's database, decision 0926): its MAC failing, checkpoints missing from the
    /// end, or the checkpoint at its `seq` being another one.
    /// `place` is named in the English half of each message, `place_zh` in the Chinese one.
    pub fn check_record(
        &self,
        r: &HeadRecord,
        chain: &[Checkpoint],
        place: &str,
        place_zh: &str,
    ) -> Vec<String> {
        let expect = self.mac_of(r.seq, &r.sig, r.tree_size, &r.time);
        if !same(&expect, &r.mac) {
            return vec![format!(
                "`{place}`: the head record's MAC does not verify (altered, or written with another server key) / 检查点链头记录 `{place_zh}` 的校验码不符（被改动或换了服务器密钥）"
            )];
        }
        check_named(r.seq, &r.sig, r.tree_size, &r.time, chain, place, place_zh)
    }
}

/// What is wrong with `chain` as a head kept at `place` sees it, once the head itself is
/// trusted (its MAC checked, or its blob under Object Lock): checkpoints missing from the
/// end, or the checkpoint at `seq` being another one (empty: nothing).
pub(crate) fn check_named(
    seq: u64,
    sig: &str,
    tree_size: u64,
    time: &str,
    chain: &[Checkpoint],
    place: &str,
    place_zh: &str,
) -> Vec<String> {
    let Some(cp) = chain.get(seq as usize) else {
        let have = match chain.len() {
            0 => "the chain holds no checkpoint".to_string(),
            n => format!("the chain ends at checkpoint #{}", n - 1),
        };
        let have_zh = match chain.len() {
            0 => "链中没有检查点".to_string(),
            n => format!("链只到检查点 #{}", n - 1),
        };
        let first = chain.len() as u64;
        let (missing, missing_zh) = if first == seq {
            (
                format!("checkpoint #{first} is missing"),
                format!("缺少检查点 #{first}"),
            )
        } else {
            (
                format!("checkpoints #{first}–#{} are missing", seq),
                format!("缺少检查点 #{first}–#{}", seq),
            )
        };
        return vec![format!(
            "checkpoint chain truncated: {missing} (the head kept outside the store, `{place}`, names checkpoint #{}, tree size {}, of `{}`; {have}) / 检查点链被截断：{missing_zh}（链外记录 `{place_zh}` 的最新检查点为 #{}，树大小 {}，时间 `{}`；{have_zh}）",
            seq, tree_size, time, seq, tree_size, time
        )];
    };
    if cp.sig != sig {
        return vec![format!(
            "checkpoint #{} is not the one the head kept outside the store (`{place}`) names (tree size {} of `{}`): the chain was rewritten from there / 检查点 #{} 与链外记录 `{place_zh}` 的不同（树大小 {}，时间 `{}`）：链从此处被改写",
            seq, tree_size, time, seq, tree_size, time
        )];
    }
    Vec::new()
}

impl crate::store::Store {
    /// Record this store's newest checkpoint as the head kept outside it, whatever the
    /// record said (`dengbao logs reset-head`). Returns the record it replaced. Refused when
    /// the store was opened without a head keeper.
    pub fn reset_head(&self) -> Result<Option<HeadRecord>> {
        let h = self.head.as_ref().ok_or_else(|| {
            Error::Refused(
                "the store was opened without a head record / 打开日志库时未指定链头记录".into(),
            )
        })?;
        h.reset(&self.catalog.checkpoints)
    }
}
