//! Deterministic order from a string: choices are shuffled by the question's id and a
//! quiz is drawn by a seed, so the same id (or seed) gives the same order on every machine
//! and every run. FNV-1a feeding a xorshift generator: no randomness crate is needed and
//! none of this has to be unpredictable, only stable.

/// FNV-1a of `s`, then SplitMix64's finaliser: FNV alone changes little in the high bits
/// when only the last characters differ, and ids of one article differ only there — sorted
/// by raw FNV, a quiz would draw its questions from one article.
pub fn hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

/// `items` in an order fixed by `key` (Fisher–Yates).
pub fn shuffled<T>(mut items: Vec<T>, key: &str) -> Vec<T> {
    let mut rng = XorShift(hash(key) | 1);
    for i in (1..items.len()).rev() {
        let j = (rng.next() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_key_same_order_other_key_other_order() {
        let v: Vec<u32> = (0..8).collect();
        assert_eq!(shuffled(v.clone(), "a"), shuffled(v.clone(), "a"));
        assert_ne!(shuffled(v.clone(), "a"), shuffled(v.clone(), "b"));
        let mut s = shuffled(v.clone(), "a");
        s.sort();
        assert_eq!(s, v);
    }

    /// Ids that differ only in their last character land far apart.
    #[test]
    fn neighbouring_ids_spread() {
        let a = hash("7/cloze.csl.amended-2025.61.3.0.0") >> 60;
        let spread: std::collections::BTreeSet<u64> = (0..8)
            .map(|k| hash(&format!("7/cloze.csl.amended-2025.61.3.0.{k}")) >> 60)
            .collect();
        assert!(spread.len() >= 4, "{a} {spread:?}");
    }
}
