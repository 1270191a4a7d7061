//! RFC 6962 / RFC 9162 Merkle tree: leaf = H(0x00‖record), node = H(0x01‖left‖right).
//!
//! The store never keeps the whole tree. It keeps the *frontier* (the perfect subtrees that
//! cover `[0, n)`, at most 64 hashes) to append and compute roots, and for expired segments
//! the *compact range* of their leaves, so roots and proofs stay computable after the
//! records themselves are deleted.

use std::collections::HashMap;

use crate::crypto::{Hash, Suite};

/// Perfect subtrees covering `[0, size)`, largest first: `(level, hash)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Frontier {
    pub size: u64,
    pub nodes: Vec<(u8, Hash)>,
}

impl Frontier {
    pub fn push_leaf(&mut self, suite: Suite, leaf: Hash) {
        self.push_node(suite, 0, leaf);
    }

    /// Append a perfect subtree of `2^level` leaves, aligned at `size` (a compact-range node).
    pub fn push_node(&mut self, suite: Suite, level: u8, hash: Hash) {
        let mut cur = (level, hash);
        while let Some(&(l, h)) = self.nodes.last() {
            if l != cur.0 {
                break;
            }
            self.nodes.pop();
            cur = (l + 1, suite.node(&h, &cur.1));
        }
        self.nodes.push(cur);
        self.size += 1u64 << level;
    }

    /// The RFC 6962 root MTH(D[0..size]).
    pub fn root(&self, suite: Suite) -> Hash {
        let mut it = self.nodes.iter().rev();
        let Some(&(_, mut acc)) = it.next() else {
            return suite.hash(&[]);
        };
        for (_, h) in it {
            acc = suite.node(h, &acc);
        }
        acc
    }
}

/// The maximal aligned perfect subtrees covering `[a, b)`: `(level, index)`.
pub fn compact_range(mut a: u64, b: u64) -> Vec<(u8, u64)> {
    let mut out = Vec::new();
    while a < b {
        let mut k = if a == 0 {
            63
        } else {
            a.trailing_zeros().min(63)
        };
        while k > 0 && a + (1u64 << k) > b {
            k -= 1;
        }
        out.push((k as u8, a >> k));
        a += 1u64 << k;
    }
    out
}

/// Enough of a tree to answer proofs: leaf hashes where records are present, and
/// known perfect-subtree hashes (from expired segments' compact ranges).
pub struct Tree {
    suite: Suite,
    size: u64,
    /// levels[l][i] = hash of the perfect subtree of 2^l leaves starting at i·2^l.
    levels: Vec<Vec<Option<Hash>>>,
}

impl Tree {
    pub fn new(suite: Suite, leaves: Vec<Option<Hash>>, known: &HashMap<(u8, u64), Hash>) -> Tree {
        let size = leaves.len() as u64;
        let mut levels = vec![leaves];
        for (&(_, i), h) in known.iter().filter(|((l, _), _)| *l == 0) {
            if let Some(slot) = levels[0].get_mut(i as usize) {
                *slot = Some(*h);
            }
        }
        let mut l = 0u8;
        while levels[l as usize].len() > 1 {
            let prev = &levels[l as usize];
            let next: Vec<Option<Hash>> = (0..prev.len() / 2)
                .map(|i| {
                    if let Some(h) = known.get(&(l + 1, i as u64)) {
                        return Some(*h);
                    }
                    match (prev[2 * i], prev[2 * i + 1]) {
                        (Some(a), Some(b)) => Some(suite.node(&a, &b)),
                        _ => None,
                    }
                })
                .collect();
            levels.push(next);
            l += 1;
        }
        Tree {
            suite,
            size,
            levels,
        }
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// MTH(D[lo..hi]); `None` when a needed part was expired without a covering node.
    pub fn mth(&self, lo: u64, hi: u64) -> Option<Hash> {
        let n = hi - lo;
        if n == 0 {
            return Some(self.suite.hash(&[]));
        }
        if n.is_power_of_two() && lo.is_multiple_of(n) {
            let l = n.trailing_zeros() as usize;
            return *self.levels.get(l)?.get((lo >> l) as usize)?;
        }
        let k = largest_pow2_below(n);
        Some(
            self.suite
                .node(&self.mth(lo, lo + k)?, &self.mth(lo + k, hi)?),
        )
    }

    pub fn root(&self) -> Option<Hash> {
        self.mth(0, self.size)
    }

    /// RFC 6962 PATH(m, D[0..size]): the audit path for leaf `m` in the tree of `size` leaves.
    pub fn inclusion_proof(&self, m: u64, size: u64) -> Option<Vec<Hash>> {
        if m >= size || size > self.size {
            return None;
        }
        let mut out = Vec::new();
        self.path(m, 0, size, &mut out)?;
        Some(out)
    }

    fn path(&self, m: u64, lo: u64, hi: u64, out: &mut Vec<Hash>) -> Option<()> {
        let n = hi - lo;
        if n == 1 {
            return Some(());
        }
        let k = largest_pow2_below(n);
        if m < k {
            self.path(m, lo, lo + k, out)?;
            out.push(self.mth(lo + k, hi)?);
        } else {
            self.path(m - k, lo + k, hi, out)?;
            out.push(self.mth(lo, lo + k)?);
        }
        Some(())
    }

    /// RFC 6962 PROOF(m, D[0..n]): consistency between the trees of `m` and `n` leaves.
    pub fn consistency_proof(&self, m: u64, n: u64) -> Option<Vec<Hash>> {
        if m == 0 || m > n || n > self.size {
            return None;
        }
        let mut out = Vec::new();
        if m < n {
            self.subproof(m, 0, n, true, &mut out)?;
        }
        Some(out)
    }

    fn subproof(&self, m: u64, lo: u64, hi: u64, b: bool, out: &mut Vec<Hash>) -> Option<()> {
        let n = hi - lo;
        if m == n {
            if !b {
                out.push(self.mth(lo, hi)?);
            }
            return Some(());
        }
        let k = largest_pow2_below(n);
        if m <= k {
            self.subproof(m, lo, lo + k, b, out)?;
            out.push(self.mth(lo + k, hi)?);
        } else {
            self.subproof(m - k, lo + k, hi, false, out)?;
            out.push(self.mth(lo, lo + k)?);
        }
        Some(())
    }
}

fn largest_pow2_below(n: u64) -> u64 {
    debug_assert!(n > 1);
    1u64 << (63 - (n - 1).leading_zeros())
}

/// RFC 9162 §2.1.3.2: does `proof` show `leaf` at `index` in the tree of `size` with `root`?
pub fn verify_inclusion(
    suite: Suite,
    leaf: &Hash,
    index: u64,
    size: u64,
    proof: &[Hash],
    root: &Hash,
) -> bool {
    if index >= size {
        return false;
    }
    let (mut fnode, mut snode, mut r) = (index, size - 1, *leaf);
    for p in proof {
        if snode == 0 {
            return false;
        }
        if fnode & 1 == 1 || fnode == snode {
            r = suite.node(p, &r);
            while fnode & 1 == 0 && fnode != 0 {
                fnode >>= 1;
                snode >>= 1;
            }
        } else {
            r = suite.node(&r, p);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    snode == 0 && r == *root
}

/// RFC 9162 §2.1.4.2: does `proof` show the tree of `m` leaves (`old`) is a prefix of the
/// tree of `n` leaves (`new`)?
pub fn verify_consistency(
    suite: Suite,
    m: u64,
    n: u64,
    old: &Hash,
    new: &Hash,
    proof: &[Hash],
) -> bool {
    if m == 0 || m > n {
        return false;
    }
    if m == n {
        return proof.is_empty() && old == new;
    }
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if m.is_power_of_two() {
        path.push(*old);
    }
    path.extend_from_slice(proof);
    let Some((first, rest)) = path.split_first() else {
        return false;
    };
    let (mut fnode, mut snode) = (m - 1, n - 1);
    while fnode & 1 == 1 {
        fnode >>= 1;
        snode >>= 1;
    }
    let (mut fr, mut sr) = (*first, *first);
    for c in rest {
        if snode == 0 {
            return false;
        }
        if fnode & 1 == 1 || fnode == snode {
            fr = suite.node(c, &fr);
            sr = suite.node(c, &sr);
            while fnode & 1 == 0 && fnode != 0 {
                fnode >>= 1;
                snode >>= 1;
            }
        } else {
            sr = suite.node(&sr, c);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    fr == *old && sr == *new && snode == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(suite: Suite, n: u64) -> Vec<Hash> {
        (0..n)
            .map(|i| suite.leaf(format!("event {i}").as_bytes()))
            .collect()
    }

    /// MTH straight from RFC 6962 §2.1, as the reference.
    fn reference(suite: Suite, d: &[Hash]) -> Hash {
        match d.len() {
            0 => suite.hash(&[]),
            1 => d[0],
            n => {
                let k = largest_pow2_below(n as u64) as usize;
                suite.node(&reference(suite, &d[..k]), &reference(suite, &d[k..]))
            }
        }
    }

    #[test]
    fn sha256_empty_root_and_frontier_match_the_rfc_definition() {
        let s = Suite::Sha256Ed25519;
        assert_eq!(
            hex::encode(Frontier::default().root(s)),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        for n in 1..40u64 {
            let d = leaves(s, n);
            let mut f = Frontier::default();
            for l in &d {
                f.push_leaf(s, *l);
            }
            assert_eq!(f.root(s), reference(s, &d), "n={n}");
        }
    }

    #[test]
    fn proofs_verify_for_every_leaf_and_every_prefix_even_after_expiry() {
        for s in [Suite::Sm3Sm2, Suite::Sha256Ed25519] {
            let n = 37u64;
            let d = leaves(s, n);
            // Expire leaves [3, 13): keep only their compact range.
            let mut known = HashMap::new();
            let full = Tree::new(s, d.iter().map(|h| Some(*h)).collect(), &HashMap::new());
            for (l, i) in compact_range(3, 13) {
                known.insert((l, i), full.mth(i << l, (i + 1) << l).unwrap());
            }
            let partial: Vec<Option<Hash>> = d
                .iter()
                .enumerate()
                .map(|(i, h)| (!(3..13).contains(&i)).then_some(*h))
                .collect();
            let t = Tree::new(s, partial, &known);
            let root = t.root().unwrap();
            assert_eq!(root, reference(s, &d));
            for m in (0..3).chain(13..n) {
                let p = t.inclusion_proof(m, n).unwrap();
                assert!(verify_inclusion(s, &d[m as usize], m, n, &p, &root));
                assert!(!verify_inclusion(
                    s,
                    &d[(m as usize + 1) % n as usize],
                    m,
                    n,
                    &p,
                    &root
                ));
            }
            // Checkpoints fall on segment boundaries, so an expired range is never split.
            for m in (1..=3).chain(13..=n) {
                let old = reference(s, &d[..m as usize]);
                let p = t.consistency_proof(m, n).unwrap();
                assert!(verify_consistency(s, m, n, &old, &root, &p), "m={m}");
                let other = s.leaf(b"forged");
                assert!(!verify_consistency(s, m, n, &other, &root, &p) || m == n && other == root);
            }
            // The frontier fed with compact nodes gives the same root.
            let mut f = Frontier::default();
            for h in d.iter().take(3) {
                f.push_leaf(s, *h);
            }
            for (l, i) in compact_range(3, 13) {
                f.push_node(s, l, known[&(l, i)]);
            }
            for h in &d[13..] {
                f.push_leaf(s, *h);
            }
            assert_eq!(f.root(s), root);
        }
    }
}
