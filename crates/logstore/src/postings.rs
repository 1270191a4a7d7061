//! Per-event postings of segment format 3 (decision 0725): the sorted event ordinals of a
//! term, stored as gaps (the first ordinal, then `next - previous - 1`), bit-packed in
//! groups of [`GROUP`] with one width byte per group; the tail shorter than a group is
//! varints. In an index page an entry is `varint count ‖ varint byte length ‖ bytes`, so a
//! page lookup skips the postings of the terms it does not want without decoding them.
//!
//! Also the sorted-list operations the search runs on postings (intersection, union).

use crate::index::{get_varint, put_varint};

/// Gaps per bit-packed group.
pub const GROUP: usize = 128;

/// Append the encoding of `posts` (strictly increasing) to `out`, without the count.
pub fn encode(posts: &[u32], out: &mut Vec<u8>) {
    let mut gaps = Vec::with_capacity(posts.len());
    let mut prev: Option<u32> = None;
    for p in posts {
        gaps.push(match prev {
            None => *p,
            Some(q) => p.wrapping_sub(q).wrapping_sub(1),
        });
        prev = Some(*p);
    }
    let mut chunks = gaps.chunks_exact(GROUP);
    for g in &mut chunks {
        let width = 32 - g.iter().fold(0u32, |a, b| a | b).leading_zeros();
        out.push(width as u8);
        pack(g, width, out);
    }
    for g in chunks.remainder() {
        put_varint(out, u64::from(*g));
    }
}

/// LSB-first bit stream of `width` bits per value (`GROUP * width / 8` bytes).
fn pack(g: &[u32], width: u32, out: &mut Vec<u8>) {
    let (mut acc, mut bits) = (0u64, 0u32);
    for v in g {
        acc |= u64::from(*v) << bits;
        bits += width;
        while bits >= 8 {
            out.push(acc as u8);
            acc >>= 8;
            bits -= 8;
        }
    }
    if bits > 0 {
        out.push(acc as u8);
    }
}

/// Decode `count` ordinals from `b` (exactly its bytes); `None` when the bytes do not hold
/// them (a damaged page).
pub fn decode(b: &[u8], count: usize) -> Option<Vec<u32>> {
    let mut out = Vec::with_capacity(count.min(b.len() * 8 + GROUP));
    let mut pos = 0usize;
    let mut next: u64 = 0;
    let mut push = |gap: u64, out: &mut Vec<u32>| -> Option<()> {
        let p = next.checked_add(gap)?;
        out.push(u32::try_from(p).ok()?);
        next = p + 1;
        Some(())
    };
    for _ in 0..count / GROUP {
        let width = u32::from(*b.get(pos)?);
        if width > 32 {
            return None;
        }
        pos += 1;
        let len = GROUP * width as usize / 8;
        let bytes = b.get(pos..pos + len)?;
        pos += len;
        let mask = if width == 32 {
            u64::from(u32::MAX)
        } else {
            (1u64 << width) - 1
        };
        let (mut acc, mut bits, mut at) = (0u64, 0u32, 0usize);
        for _ in 0..GROUP {
            while bits < width {
                acc |= u64::from(*bytes.get(at)?) << bits;
                at += 1;
                bits += 8;
            }
            push(acc & mask, &mut out)?;
            acc >>= width;
            bits -= width;
        }
    }
    for _ in 0..count % GROUP {
        let g = get_varint(b, &mut pos)?;
        push(g, &mut out)?;
    }
    (pos == b.len()).then_some(out)
}

/// The ordinals in both sorted lists.
pub fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut out = Vec::with_capacity(small.len());
    let mut j = 0;
    for x in small {
        // Gallop: the large list is skipped by binary search when it is much longer.
        j += large[j..].partition_point(|y| y < x);
        if large.get(j) == Some(x) {
            out.push(*x);
        }
    }
    out
}

/// The ordinals in either sorted list.
pub fn union(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::Rng;

    #[test]
    fn round_trips_dense_sparse_and_edge_values() {
        let mut r = Rng(7);
        let mut cases: Vec<Vec<u32>> = vec![
            vec![],
            vec![0],
            vec![u32::MAX],
            (0..1000).collect(),
            (0..300).map(|i| i * 3).collect(),
            vec![0, u32::MAX],
        ];
        for density in [2u64, 50, 5000, 1 << 20] {
            let mut v = Vec::new();
            let mut p = 0u64;
            while v.len() < 777 {
                p += 1 + r.next() % density;
                v.push(p as u32);
            }
            cases.push(v);
        }
        for c in cases {
            let mut b = Vec::new();
            encode(&c, &mut b);
            assert_eq!(decode(&b, c.len()), Some(c.clone()), "{} postings", c.len());
            // A byte short or long is refused, never misread.
            if !b.is_empty() {
                assert_eq!(decode(&b[..b.len() - 1], c.len()), None);
            }
            b.push(0);
            assert_eq!(decode(&b, c.len()), None);
        }
    }

    #[test]
    fn every_event_costs_one_bit_plus_a_byte_per_group() {
        let all: Vec<u32> = (0..128 * 64).collect();
        let mut b = Vec::new();
        encode(&all, &mut b);
        // Gaps are all 0: width 0, so only the width bytes remain.
        assert_eq!(b.len(), 64);
        let every_other: Vec<u32> = (0..128 * 64).map(|i| i * 2).collect();
        b.clear();
        encode(&every_other, &mut b);
        assert_eq!(b.len(), 64 * (1 + 16));
    }

    #[test]
    fn set_operations() {
        assert_eq!(intersect(&[1, 3, 5, 9], &[0, 3, 4, 9, 10]), [3, 9]);
        assert_eq!(intersect(&[], &[1]), Vec::<u32>::new());
        assert_eq!(union(&[1, 3, 5], &[0, 3, 6]), [0, 1, 3, 5, 6]);
    }
}
