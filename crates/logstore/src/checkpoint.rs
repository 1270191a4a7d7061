//! The signed checkpoint chain (`checkpoints.log`, one JSON object per line). Each
//! checkpoint states the tree size and root after a change, carries the previous
//! checkpoint's signature (the shape of CloudTrail's digest chain), and records what
//! changed: segments added, segments expired (with the compact range that keeps the tree
//! verifiable), retention policy, legal holds. The chain is the store's only catalog.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::crypto::{Hash, PublicKey, SigningKey, Suite};
use crate::error::{Error, Result};
use crate::merkle::Frontier;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentEntry {
    pub id: u64,
    pub network: String,
    /// Calendar day (Asia/Shanghai) of the events, `YYYY-MM-DD`.
    pub day: String,
    pub first_leaf: u64,
    pub count: u64,
    pub min_time_us: i64,
    pub max_time_us: i64,
    /// MTH over this segment's leaves alone.
    pub root: String,
    /// Path under the store's `segments/` directory.
    pub file: String,
    /// Hash of the whole segment file (records, meta and index).
    pub file_digest: String,
    /// Events per source (host, else the record's source).
    pub sources: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpiryEntry {
    pub id: u64,
    pub first_leaf: u64,
    pub count: u64,
    /// Compact range of the expired leaves: `(level, index, hash)`.
    pub nodes: Vec<(u8, u64, String)>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Note {
    /// Retention for a network, in calendar months (never below the floor).
    Policy {
        network: String,
        months: u32,
    },
    /// Legal hold: nothing with event time in `[from_us, to_us]` may be removed.
    Hold {
        id: u64,
        network: Option<String>,
        from_us: i64,
        to_us: i64,
        reason: String,
    },
    Release {
        id: u64,
        reason: String,
    },
    /// A deletion request that was refused, kept for the audit trail.
    Refused {
        request: String,
        reason: String,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    /// The frontier after this checkpoint: `(level, hash)`, largest first.
    pub frontier: Vec<(u8, String)>,
    pub added: Vec<SegmentEntry>,
    pub expired: Vec<ExpiryEntry>,
    pub notes: Vec<Note>,
    /// WAL files up to this sequence number were sealed into the added segments.
    pub wal_sealed: u64,
    /// H(store.json ‖ keys/public.key): the store's identity files are signed too.
    pub store_digest: String,
    /// WAL files from this sequence number on carry a MAC per batch (decision 0923); absent
    /// (0) in checkpoints written before the MACs.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub wal_mac_from: u64,
    /// Written by a store that keeps the chain's head outside itself (`head`, decision
    /// 0925): from here on, a missing head record means it was removed. Absent (false) in
    /// checkpoints written without one.
    #[serde(default, skip_serializing_if = "is_false")]
    pub head_kept: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    pub suite: Suite,
    pub seq: u64,
    pub time: String,
    pub tree_size: u64,
    pub root: String,
    pub prev_sig: String,
    pub body: Body,
    pub sig: String,
}

impl Checkpoint {
    /// The exact text that is signed (a signed-note-like form, checkable without dengbao):
    ///
    /// ```text
    /// dengbao.log/v1 <suite>
    /// <tree_size>
    /// <root hex>
    /// seq <seq>
    /// time <RFC 3339>
    /// prev <previous signature hex, or ->
    /// body <hex H(JSON of body)>
    /// ```
    pub fn signed_text(&self) -> Result<String> {
        let body = serde_json::to_vec(&self.body)
            .map_err(|e| Error::Corrupt(format!("checkpoint body: {e}")))?;
        let prev = if self.prev_sig.is_empty() {
            "-"
        } else {
            &self.prev_sig
        };
        Ok(format!(
            "dengbao.log/v1 {}\n{}\n{}\nseq {}\ntime {}\nprev {}\nbody {}\n",
            self.suite.name(),
            self.tree_size,
            self.root,
            self.seq,
            self.time,
            prev,
            hex::encode(self.suite.hash(&[&body]))
        ))
    }

    pub fn sign(mut self, key: &SigningKey) -> Result<Checkpoint> {
        self.sig = hex::encode(key.sign(self.signed_text()?.as_bytes())?);
        Ok(self)
    }

    pub fn signature_ok(&self, pk: &PublicKey) -> bool {
        let (Ok(text), Ok(sig)) = (self.signed_text(), hex::decode(&self.sig)) else {
            return false;
        };
        pk.suite == self.suite && pk.verify(text.as_bytes(), &sig)
    }

    pub fn root_hash(&self) -> Option<Hash> {
        decode_hash(&self.root)
    }

    /// The Merkle frontier recorded in the body; entries whose hash does not decode are
    /// left out (callers compare lengths to notice that).
    pub fn frontier(&self) -> Frontier {
        Frontier {
            size: self.tree_size,
            nodes: self
                .body
                .frontier
                .iter()
                .filter_map(|(l, h)| Some((*l, decode_hash(h)?)))
                .collect(),
        }
    }

    pub fn to_line(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::Corrupt(format!("checkpoint: {e}")))
    }
}

pub fn decode_hash(s: &str) -> Option<Hash> {
    let v = hex::decode(s).ok()?;
    (hex::encode(&v) == s).then_some(())?;
    v.try_into().ok()
}

/// Parse `checkpoints.log`. Returns the checkpoints and, if the last line is torn (no
/// newline, a crash mid-append), the byte offset where the intact part ends.
pub fn parse_log(bytes: &[u8]) -> Result<(Vec<Checkpoint>, Option<usize>)> {
    use rayon::prelude::*;
    // Lines are found first, then parsed in parallel: every query opens the store, and a
    // year of daily segments is thousands of lines.
    let mut lines = Vec::new();
    let mut pos = 0;
    let mut torn = None;
    while pos < bytes.len() {
        let Some(nl) = bytes[pos..].iter().position(|b| *b == b'\n') else {
            torn = Some(pos);
            break;
        };
        lines.push((pos, &bytes[pos..pos + nl]));
        pos += nl + 1;
    }
    let out = lines
        .par_iter()
        .enumerate()
        .map(|(n, (pos, line))| -> Result<Checkpoint> {
            let cp: Checkpoint = serde_json::from_slice(line).map_err(|e| {
                Error::Corrupt(format!(
                    "checkpoint #{n} (checkpoints.log byte {pos}): {e} / 检查点损坏"
                ))
            })?;
            // Only the canonical serialisation is accepted, so no byte can change unnoticed.
            if cp.to_line()?.as_bytes() != *line {
                return Err(Error::Corrupt(format!(
                    "checkpoint #{n} (checkpoints.log byte {pos}): not canonical / 检查点被改动"
                )));
            }
            Ok(cp)
        })
        .collect::<Vec<Result<Checkpoint>>>();
    // In order, so the error names the first bad checkpoint, whichever thread found it.
    let out = out.into_iter().collect::<Result<Vec<_>>>()?;
    Ok((out, torn))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines are parsed in parallel; the error still names the first bad one, even
    /// when a later one is found bad sooner (the first is long and slow to reject).
    #[test]
    fn a_corrupt_log_is_reported_at_its_first_bad_checkpoint() {
        let mut bytes = format!("{{\"x\": \"{}\", \"y\": 1}}\n", "a".repeat(8 << 20));
        bytes.push_str(&"x\n".repeat(20_000));
        for _ in 0..3 {
            let e = parse_log(bytes.as_bytes()).unwrap_err().to_string();
            assert!(e.contains("checkpoint #0 (checkpoints.log byte 0)"), "{e}");
        }
        // A torn last line is not an error: it is where the log is cut.
        let (cps, torn) = parse_log(b"{\"torn").unwrap();
        assert!(cps.is_empty());
        assert_eq!(torn, Some(0));
    }
}
