//! The per-segment term index: ASCII tokens (lower-cased runs of letters, digits and `_`)
//! and, for CJK and other non-ASCII letters, character bigrams (a lone character is indexed
//! as itself). No dictionary, no stemming: recall does not depend on word segmentation.
//! The index only narrows candidates; every match is confirmed on the raw text (see
//! [`crate::query`]), so phrases match exactly what `grep -F` would.

use std::collections::BTreeMap;

use crate::error::{Error, Result};

/// Call `f` with every index term of `text`, in order (with repeats).
pub fn terms(text: &str, mut f: impl FnMut(&str)) {
    let mut ascii = String::new();
    let mut wide: Vec<char> = Vec::new();
    let mut buf = [0u8; 8];
    let flush_wide = |wide: &mut Vec<char>, f: &mut dyn FnMut(&str), buf: &mut [u8; 8]| {
        if wide.len() == 1 {
            f(wide[0].encode_utf8(buf));
        } else {
            for w in wide.windows(2) {
                let s: String = w.iter().collect();
                f(&s);
            }
        }
        wide.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            if !wide.is_empty() {
                flush_wide(&mut wide, &mut f, &mut buf);
            }
            ascii.push(c.to_ascii_lowercase());
        } else if !c.is_ascii() && c.is_alphanumeric() {
            if !ascii.is_empty() {
                f(&ascii);
                ascii.clear();
            }
            wide.extend(c.to_lowercase());
        } else {
            if !ascii.is_empty() {
                f(&ascii);
                ascii.clear();
            }
            if !wide.is_empty() {
                flush_wide(&mut wide, &mut f, &mut buf);
            }
        }
    }
    if !ascii.is_empty() {
        f(&ascii);
    }
    if !wide.is_empty() {
        flush_wide(&mut wide, &mut f, &mut buf);
    }
}

/// Builds an index: term → sorted numbers (the segment writer passes block numbers).
#[derive(Default)]
pub struct IndexBuilder {
    map: BTreeMap<String, Vec<u32>>,
}

impl IndexBuilder {
    pub fn add(&mut self, ord: u32, text: &str) {
        terms(text, |t| {
            let v = self.map.entry(t.to_string()).or_default();
            if v.last() != Some(&ord) {
                v.push(ord);
            }
        });
    }

    /// `varint nterms, then per term: varint len, bytes, varint npostings, delta varints`.
    pub fn finish(self) -> Vec<u8> {
        let mut out = Vec::new();
        put_varint(&mut out, self.map.len() as u64);
        for (t, posts) in self.map {
            put_varint(&mut out, t.len() as u64);
            out.extend_from_slice(t.as_bytes());
            put_varint(&mut out, posts.len() as u64);
            let mut prev = 0u32;
            for p in posts {
                put_varint(&mut out, u64::from(p - prev));
                prev = p;
            }
        }
        out
    }
}

/// A loaded index: the bytes and a sorted table of where each term and its postings sit.
pub struct IndexReader {
    bytes: Vec<u8>,
    /// (term start, term len, postings start, postings count)
    table: Vec<(usize, usize, usize, usize)>,
}

impl IndexReader {
    pub fn parse(bytes: Vec<u8>) -> Result<IndexReader> {
        let bad = || Error::Corrupt("segment index / 段索引损坏".into());
        let mut pos = 0;
        let n = get_varint(&bytes, &mut pos).ok_or_else(bad)? as usize;
        let mut table = Vec::with_capacity(n.min(1 << 20));
        for _ in 0..n {
            let tl = get_varint(&bytes, &mut pos).ok_or_else(bad)? as usize;
            let ts = pos;
            pos = pos
                .checked_add(tl)
                .filter(|p| *p <= bytes.len())
                .ok_or_else(bad)?;
            let cnt = get_varint(&bytes, &mut pos).ok_or_else(bad)? as usize;
            let ps = pos;
            for _ in 0..cnt {
                get_varint(&bytes, &mut pos).ok_or_else(bad)?;
            }
            table.push((ts, tl, ps, cnt));
        }
        Ok(IndexReader { bytes, table })
    }

    fn term(&self, i: usize) -> &[u8] {
        let (s, l, ..) = self.table[i];
        &self.bytes[s..s + l]
    }

    /// The sorted numbers (blocks) containing `term` (empty when absent).
    pub fn postings(&self, term: &str) -> Vec<u32> {
        let Ok(i) = self
            .table
            .binary_search_by(|e| self.bytes[e.0..e.0 + e.1].cmp(term.as_bytes()))
        else {
            return Vec::new();
        };
        self.decode(i)
    }

    /// Union of the postings of every term starting with `prefix`.
    pub fn prefix_postings(&self, prefix: &str) -> Vec<u32> {
        let start = self
            .table
            .partition_point(|e| &self.bytes[e.0..e.0 + e.1] < prefix.as_bytes());
        let mut out = Vec::new();
        for i in start..self.table.len() {
            if !self.term(i).starts_with(prefix.as_bytes()) {
                break;
            }
            out.extend(self.decode(i));
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    fn decode(&self, i: usize) -> Vec<u32> {
        let (_, _, mut pos, cnt) = self.table[i];
        let mut out = Vec::with_capacity(cnt);
        let mut prev = 0u32;
        for _ in 0..cnt {
            let d = get_varint(&self.bytes, &mut pos).unwrap_or(0) as u32; // ok: validated in parse
            prev = prev.saturating_add(d);
            out.push(prev);
        }
        out
    }
}

pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub fn get_varint(b: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *b.get(*pos)?;
        *pos += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(v);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        terms(text, |t| v.push(t.to_string()));
        v
    }

    #[test]
    fn ascii_tokens_and_cjk_bigrams() {
        assert_eq!(
            all("Invalid user admin from 10.0.0.1"),
            ["invalid", "user", "admin", "from", "10", "0", "0", "1"]
        );
        assert_eq!(
            all("用户 admin 登录失败，原因"),
            ["用户", "admin", "登录", "录失", "失败", "原因"]
        );
        assert_eq!(all("磁盘 D: 剩余"), ["磁盘", "d", "剩余"]);
        assert_eq!(all("源IP"), ["源", "ip"]);
    }

    #[test]
    fn index_round_trips() {
        let mut b = IndexBuilder::default();
        b.add(0, "sshd Invalid user admin");
        b.add(3, "sudo admin 用户");
        b.add(7, "admin admin");
        let r = IndexReader::parse(b.finish()).unwrap();
        assert_eq!(r.postings("admin"), [0, 3, 7]);
        assert_eq!(r.postings("用户"), [3]);
        assert_eq!(r.postings("root"), Vec::<u32>::new());
        assert_eq!(r.prefix_postings("ss"), [0]);
        assert_eq!(r.prefix_postings("s"), [0, 3]);
    }
}
