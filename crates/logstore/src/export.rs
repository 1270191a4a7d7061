//! Evidence export: the events a query selects, each with its raw record and an RFC 6962
//! inclusion proof against the latest signed checkpoint, plus the public key — one JSON
//! file that `verify-export` (or any RFC 9162 implementation) checks offline.

use std::collections::HashMap;

use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::checkpoint::{self, Checkpoint};
use crate::crypto::{Hash, PublicKey};
use crate::error::{Error, Result};
use crate::merkle::{verify_inclusion, Tree};
use crate::parse;
use crate::record::Record;
use crate::search::Request;
use crate::store::Store;

pub const FORMAT: &str = "dengbao-log-export/1";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Export {
    pub format: String,
    pub created: String,
    pub query: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub public_key: String,
    pub checkpoint: Checkpoint,
    pub events: Vec<ExportEvent>,
    /// H(leaf hash of every event, in order): what the whole selection was.
    pub events_digest: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportEvent {
    pub leaf: u64,
    /// The canonical record (receive time, network, source, raw bytes), base64.
    pub record: String,
    /// For reading only: the raw bytes decoded (GBK transcoded); checked against `record`.
    pub message: String,
    pub time: String,
    pub proof: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExportReport {
    pub ok: bool,
    pub events: usize,
    pub checkpoint_seq: u64,
    pub tree_size: u64,
    pub root: String,
    pub signed_by: String,
    pub problems: Vec<String>,
}

impl Store {
    /// The whole tree (present leaves + expired compact ranges), for proofs.
    pub fn tree(&self) -> Result<Tree> {
        let size = self.catalog.frontier.size as usize;
        let mut leaves: Vec<Option<Hash>> = vec![None; size];
        for s in self.catalog.live.values() {
            let ls = crate::verify::check_segment(&self.dir, self.suite, s).map_err(|p| {
                Error::Corrupt(format!("{p} — run `dengbao logs verify` / 请先校验"))
            })?;
            for (i, h) in ls.into_iter().enumerate() {
                if let Some(slot) = leaves.get_mut(s.first_leaf as usize + i) {
                    *slot = Some(h);
                }
            }
        }
        let mut known = HashMap::new();
        for (_, e) in self.catalog.expired.values() {
            for (l, i, h) in &e.nodes {
                if let Some(h) = checkpoint::decode_hash(h) {
                    known.insert((*l, *i), h);
                }
            }
        }
        Ok(Tree::new(self.suite, leaves, &known))
    }

    pub fn export(&self, req: &Request, query_text: &str) -> Result<Export> {
        let cp =
            self.catalog.checkpoints.last().cloned().ok_or_else(|| {
                Error::Invalid("the store has no checkpoint yet / 尚无检查点".into())
            })?;
        let tree = self.tree()?;
        let mut events = Vec::new();
        let mut leaf_hashes = Vec::new();
        self.search(req, |h| {
            events.push(h);
            true
        })?;
        let mut out = Vec::new();
        for h in events {
            let proof = tree.inclusion_proof(h.leaf, cp.tree_size).ok_or_else(|| {
                Error::Corrupt(format!(
                    "no inclusion proof for event {} / 无法生成包含证明",
                    h.leaf
                ))
            })?;
            leaf_hashes.push(self.suite.leaf(&h.record));
            out.push(ExportEvent {
                leaf: h.leaf,
                record: base64::engine::general_purpose::STANDARD.encode(&h.record),
                message: h.message,
                time: h.time,
                proof: proof.iter().map(hex::encode).collect(),
            });
        }
        let parts: Vec<&[u8]> = leaf_hashes.iter().map(|h| h.as_slice()).collect();
        Ok(Export {
            format: FORMAT.into(),
            created: self.now().to_string(),
            query: query_text.into(),
            from: req
                .from_us
                .and_then(|t| jiff::Timestamp::from_microsecond(t).ok())
                .map(|t| t.to_string()),
            to: req
                .to_us
                .and_then(|t| jiff::Timestamp::from_microsecond(t).ok())
                .map(|t| t.to_string()),
            public_key: self.public.to_text(),
            checkpoint: cp,
            events: out,
            events_digest: hex::encode(self.suite.hash(&parts)),
        })
    }
}

/// Check an export offline. With `trusted`, the checkpoint must be signed by that key.
pub fn verify_export(bytes: &[u8], trusted: Option<&PublicKey>) -> ExportReport {
    let mut rep = ExportReport {
        ok: false,
        events: 0,
        checkpoint_seq: 0,
        tree_size: 0,
        root: String::new(),
        signed_by: String::new(),
        problems: Vec::new(),
    };
    let ex: Export = match serde_json::from_slice(bytes) {
        Ok(e) => e,
        Err(e) => {
            rep.problems.push(format!(
                "not a dengbao log export: {e} / 不是有效的导出文件"
            ));
            return rep;
        }
    };
    if ex.format != FORMAT {
        rep.problems
            .push(format!("format `{}`, expected `{FORMAT}`", ex.format));
    }
    let cp = &ex.checkpoint;
    (rep.checkpoint_seq, rep.tree_size, rep.root, rep.signed_by) =
        (cp.seq, cp.tree_size, cp.root.clone(), ex.public_key.clone());
    rep.events = ex.events.len();
    let pk = match PublicKey::from_text(&ex.public_key) {
        Ok(pk) => pk,
        Err(e) => {
            rep.problems.push(e.to_string());
            return rep;
        }
    };
    if let Some(t) = trusted {
        if *t != pk {
            rep.problems.push(
                "signed by a different key than the trusted one / 签名公钥与受信公钥不符".into(),
            );
        }
    }
    if !cp.signature_ok(&pk) {
        rep.problems.push(format!(
            "checkpoint #{}: bad signature / 检查点签名无效",
            cp.seq
        ));
    }
    let Some(root) = cp.root_hash() else {
        rep.problems.push("checkpoint root is not a hash".into());
        return rep;
    };
    let suite = cp.suite;
    let mut leaves = Vec::new();
    for (n, e) in ex.events.iter().enumerate() {
        let Ok(rec_bytes) = base64::engine::general_purpose::STANDARD.decode(&e.record) else {
            rep.problems
                .push(format!("event {n} (leaf {}): record is not base64", e.leaf));
            continue;
        };
        let leaf = suite.leaf(&rec_bytes);
        leaves.push(leaf);
        let proof: Option<Vec<Hash>> = e.proof.iter().map(|h| checkpoint::decode_hash(h)).collect();
        if !proof.is_some_and(|p| verify_inclusion(suite, &leaf, e.leaf, cp.tree_size, &p, &root)) {
            rep.problems.push(format!("event {n} (leaf {}): inclusion proof fails — record altered or not in the log / 包含证明不成立", e.leaf));
            continue;
        }
        match Record::decode(&rec_bytes) {
            Ok(r) if parse::decode_text(&r.raw).0.trim_end() == e.message => {}
            _ => rep.problems.push(format!(
                "event {n} (leaf {}): `message` does not match the record / 显示文本与记录不符",
                e.leaf
            )),
        }
    }
    let parts: Vec<&[u8]> = leaves.iter().map(|h| h.as_slice()).collect();
    if hex::encode(suite.hash(&parts)) != ex.events_digest {
        rep.problems.push(
            "events_digest does not match the events (added or removed?) / 事件集合摘要不符".into(),
        );
    }
    rep.ok = rep.problems.is_empty();
    rep
}
