//! Anchors: a checkpoint kept outside the store (`dengbao logs checkpoint > anchor.txt`).
//! Checking one proves the store's chain still contains it and that today's tree extends
//! it (an RFC 9162 consistency proof), which catches a store rewritten or cut back as a
//! whole — the one thing `verify` alone cannot see.

use serde::Serialize;

use crate::merkle::verify_consistency;
use crate::store::Store;

#[derive(Debug, Clone, Serialize)]
pub struct AnchorCheck {
    pub ok: bool,
    pub anchor_seq: Option<u64>,
    pub anchor_tree_size: Option<u64>,
    pub current_tree_size: u64,
    /// The consistency proof from the anchor's tree to the current one (hex).
    pub consistency_proof: Vec<String>,
    pub problem: Option<String>,
}

impl Store {
    /// Check an anchor in the form printed by `logs checkpoint` (signed text, then `sig <hex>`).
    pub fn check_anchor(&self, text: &str) -> AnchorCheck {
        let cur = self.catalog.checkpoints.last();
        let mut out = AnchorCheck {
            ok: false,
            anchor_seq: None,
            anchor_tree_size: None,
            current_tree_size: cur.map_or(0, |c| c.tree_size),
            consistency_proof: Vec::new(),
            problem: None,
        };
        let fail = |mut o: AnchorCheck, m: String| {
            o.problem = Some(m);
            o
        };
        let Some((signed, sig_line)) = text.trim_end().rsplit_once('\n') else {
            return fail(
                out,
                "anchor: not the output of `dengbao logs checkpoint` / 锚点格式错误".into(),
            );
        };
        let signed = format!("{signed}\n");
        let Some(sig) = sig_line
            .strip_prefix("sig ")
            .and_then(|h| hex::decode(h.trim()).ok())
        else {
            return fail(out, "anchor: missing `sig` line / 锚点缺少签名".into());
        };
        if !self.public.verify(signed.as_bytes(), &sig) {
            return fail(
                out,
                "anchor: not signed by this store's key / 锚点签名不属于本库".into(),
            );
        }
        let lines: Vec<&str> = signed.lines().collect();
        let size = lines.get(1).and_then(|l| l.parse::<u64>().ok());
        let seq = lines
            .get(3)
            .and_then(|l| l.strip_prefix("seq "))
            .and_then(|s| s.parse::<u64>().ok());
        let old_root = lines.get(2).and_then(|h| crate::checkpoint::decode_hash(h));
        let (Some(size), Some(seq), Some(old_root)) = (size, seq, old_root) else {
            return fail(
                out,
                "anchor: unreadable size, root or seq / 锚点内容不完整".into(),
            );
        };
        (out.anchor_seq, out.anchor_tree_size) = (Some(seq), Some(size));
        let Some(mine) = self.catalog.checkpoints.get(seq as usize) else {
            return fail(out, format!("the store no longer has checkpoint #{seq}: its chain was cut back / 检查点链被截断"));
        };
        if mine.signed_text().ok().as_deref() != Some(signed.as_str())
            || hex::decode(&mine.sig).ok() != Some(sig)
        {
            return fail(out, format!("checkpoint #{seq} differs from the anchor: the chain was rewritten / 检查点链被改写"));
        }
        let Some(cur) = cur else {
            return fail(out, "no checkpoint".into());
        };
        let Some(new_root) = cur.root_hash() else {
            return fail(out, "current root unreadable".into());
        };
        if size > 0 {
            let proof = match self.tree() {
                Ok(t) => t.consistency_proof(size, cur.tree_size),
                Err(e) => return fail(out, e.to_string()),
            };
            let Some(proof) = proof else {
                return fail(
                    out,
                    "no consistency proof can be built / 无法生成一致性证明".into(),
                );
            };
            if !verify_consistency(
                self.suite,
                size,
                cur.tree_size,
                &old_root,
                &new_root,
                &proof,
            ) {
                return fail(
                    out,
                    "the current tree does not extend the anchored one / 一致性证明不成立".into(),
                );
            }
            out.consistency_proof = proof.iter().map(hex::encode).collect();
        }
        out.ok = true;
        out
    }
}
