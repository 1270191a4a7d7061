//! The per-segment term index: ASCII tokens (lower-cased runs of letters, digits and `_`)
//! and, for CJK and other non-ASCII letters, character bigrams (a lone character is indexed
//! as itself). No dictionary, no stemming: recall does not depend on word segmentation.
//! The index only narrows candidates; every match is confirmed on the raw text (see
//! [`crate::query`]), so phrases match exactly what `grep -F` would.
//!
//! On disk (format 2, decision 0721) the sorted term list is cut into *pages* of about
//! [`PAGE_BYTES`], each its own zstd frame: `varint nterms`, then per term
//! `varint shared-prefix len ‖ varint suffix len ‖ suffix ‖ varint npostings ‖ delta varints`
//! (postings are block numbers). A directory frame lists each page's first term, offset and
//! length, so a lookup decompresses the directory and one page, never the whole index.
//!
//! Format 3 (decision 0725) keeps the pages and the directory and changes only the postings:
//! `varint (count << 1 | kind) ‖ varint byte length ‖ bytes`. Kind 1: every *event*
//! (segment ordinal) holding the term, as bit-packed gaps ([`crate::postings`]), written for
//! terms in at least [`MIN_EVENTS`] events; kind 0: block numbers as delta varints, for the
//! rarer terms, whose few blocks are cheap to confirm and whose exact ordinals would cost
//! more bytes than they save time, and for [`small_number`]s (IPv4 octets, clock fields),
//! which are in nearly every line and would cost more than all other terms together.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::error::{Error, Result};

/// Uncompressed bytes per index page.
pub const PAGE_BYTES: usize = 16 * 1024;

/// Format 3: a term in at least this many events of a segment gets per-event postings
/// (decision 0725 measured 128 on segments of up to 64 MiB of records; 0729 lowered it to
/// 32 with segments of 8 MiB, so a term as frequent as before still has event postings).
pub const MIN_EVENTS: u32 = 32;

pub use crate::tokenize::{changes_ascii, fold_wide, small_number, terms, Tokenizer};

/// Build the index section from each block's terms (block number = position). With
/// `min_events` `None` each is a [`Tokenizer`] after [`Tokenizer::distinct`] and postings
/// name blocks (format 2); with `Some(m)`, after [`Tokenizer::tag`] and
/// [`Tokenizer::distinct_events`], and a term in `m` events or more gets per-event postings
/// (format 3). Returns (pages, directory frame); page offsets in the directory are relative
/// to the start of the pages.
pub fn build(
    blocks: &[Tokenizer],
    level: i32,
    min_events: Option<u32>,
) -> Result<(Vec<u8>, Vec<u8>)> {
    let per_event = min_events.is_some();
    let min_events = min_events.unwrap_or(u32::MAX) as usize;
    // k-way merge of the sorted per-block term lists.
    let mut heap: BinaryHeap<Reverse<(&str, u32, usize)>> = BinaryHeap::new();
    for (b, t) in blocks.iter().enumerate() {
        if let Some(s) = t.spans.first() {
            heap.push(Reverse((t.term(*s), b as u32, 0)));
        }
    }
    let mut pages = Vec::new();
    let mut dir = Vec::new();
    let mut ndir = 0u64;
    let mut page = Vec::with_capacity(PAGE_BYTES + 1024);
    let mut page_terms = 0u64;
    let mut page_first: Vec<u8> = Vec::new();
    let mut prev: Vec<u8> = Vec::new();
    let mut posts: Vec<u32> = Vec::new();
    let mut cur: Option<&str> = None;
    let mut flush_page = |page: &mut Vec<u8>,
                          page_terms: &mut u64,
                          page_first: &mut Vec<u8>,
                          pages: &mut Vec<u8>|
     -> Result<()> {
        if *page_terms == 0 {
            return Ok(());
        }
        let mut body = Vec::with_capacity(page.len() + 4);
        put_varint(&mut body, *page_terms);
        body.extend_from_slice(page);
        let z = compress(&body, level)?;
        put_varint(&mut dir, page_first.len() as u64);
        dir.extend_from_slice(page_first);
        put_varint(&mut dir, pages.len() as u64);
        put_varint(&mut dir, z.len() as u64);
        ndir += 1;
        pages.extend_from_slice(&z);
        page.clear();
        *page_terms = 0;
        Ok(())
    };
    let mut blks: Vec<u32> = Vec::new();
    let emit = |term: &str,
                posts: &[u32],
                blks: &[u32],
                page: &mut Vec<u8>,
                page_terms: &mut u64,
                page_first: &mut Vec<u8>,
                prev: &mut Vec<u8>| {
        let t = term.as_bytes();
        let shared = if *page_terms == 0 {
            page_first.clear();
            page_first.extend_from_slice(t);
            0
        } else {
            prev.iter().zip(t).take_while(|(a, b)| a == b).count()
        };
        put_varint(page, shared as u64);
        put_varint(page, (t.len() - shared) as u64);
        page.extend_from_slice(&t[shared..]);
        let deltas = |out: &mut Vec<u8>, list: &[u32]| {
            let mut p0 = 0u32;
            for p in list {
                put_varint(out, u64::from(p - p0));
                p0 = *p;
            }
        };
        if !per_event {
            put_varint(page, posts.len() as u64);
            deltas(page, posts);
        } else {
            let mut bytes = Vec::new();
            // Dotted runs (format 4) always name events: an address in a few events is
            // what an investigator looks for, and its numbers narrow nothing (0736).
            let run = term.starts_with(crate::tokenize::RUN_MARK);
            if run || (posts.len() >= min_events && !small_number(term)) {
                crate::postings::encode(posts, &mut bytes);
                put_varint(page, (posts.len() as u64) << 1 | 1);
            } else {
                deltas(&mut bytes, blks);
                put_varint(page, (blks.len() as u64) << 1);
            }
            put_varint(page, bytes.len() as u64);
            page.extend_from_slice(&bytes);
        }
        prev.clear();
        prev.extend_from_slice(t);
        *page_terms += 1;
    };
    while let Some(Reverse((term, b, i))) = heap.pop() {
        if cur != Some(term) {
            if let Some(c) = cur {
                emit(
                    c,
                    &posts,
                    &blks,
                    &mut page,
                    &mut page_terms,
                    &mut page_first,
                    &mut prev,
                );
                if page.len() >= PAGE_BYTES {
                    flush_page(&mut page, &mut page_terms, &mut page_first, &mut pages)?;
                }
            }
            cur = Some(term);
            posts.clear();
            blks.clear();
        }
        if blks.last() != Some(&b) {
            blks.push(b);
        }
        // Take the block's whole run of this term at once (its events, ascending): the
        // heap orders runs, not (term, event) pairs — comparing terms per pair was the
        // seal's largest cost after SM3 and zstd (decision 0729).
        let t = &blocks[b as usize];
        let run = t.spans.get(i).copied();
        let mut j = i;
        while j < t.spans.len() && t.spans.get(j).copied() == run {
            posts.push(if per_event {
                t.owner.get(j).copied().unwrap_or(0)
            } else {
                b
            });
            j += 1;
        }
        if let Some(s) = t.spans.get(j) {
            heap.push(Reverse((t.term(*s), b, j)));
        }
    }
    if let Some(c) = cur {
        emit(
            c,
            &posts,
            &blks,
            &mut page,
            &mut page_terms,
            &mut page_first,
            &mut prev,
        );
    }
    flush_page(&mut page, &mut page_terms, &mut page_first, &mut pages)?;
    let mut d = Vec::with_capacity(dir.len() + 8);
    put_varint(&mut d, ndir);
    d.extend_from_slice(&dir);
    Ok((pages, compress(&d, level)?))
}

pub(crate) fn compress(b: &[u8], level: i32) -> Result<Vec<u8>> {
    let mut c =
        zstd::bulk::Compressor::new(level).map_err(|e| Error::Corrupt(format!("zstd: {e}")))?;
    c.include_checksum(true)
        .map_err(|e| Error::Corrupt(format!("zstd: {e}")))?;
    c.compress(b)
        .map_err(|e| Error::Corrupt(format!("zstd: {e}")))
}

fn bad() -> Error {
    Error::Corrupt("segment index / 段索引损坏".into())
}

/// Decompress one frame written by [`compress`] (checksum checked). The frame names its
/// size, so the output is allocated once — the streaming decoder grows its buffer and took
/// twice as long on record blocks. `None` when the frame is bad.
pub(crate) fn decompress(z: &[u8]) -> Option<Vec<u8>> {
    // Frames this crate writes are at most a few MiB; a larger claim is not trusted.
    const MAX: u64 = 1 << 30;
    match zstd::zstd_safe::get_frame_content_size(z) {
        Ok(Some(n)) if n <= MAX => {
            thread_local! {
                // One context per thread: creating one costs more than a small frame.
                static DCTX: std::cell::RefCell<Option<zstd::bulk::Decompressor<'static>>> =
                    const { std::cell::RefCell::new(None) };
            }
            let out = DCTX.with(|c| {
                let mut c = c.borrow_mut();
                if c.is_none() {
                    *c = zstd::bulk::Decompressor::new().ok();
                }
                c.as_mut()?.decompress(z, n as usize).ok()
            })?;
            (out.len() as u64 == n).then_some(out)
        }
        _ => zstd::decode_all(z).ok(),
    }
}

/// The index directory: each page's first term, offset (relative to the pages) and length.
pub struct IndexDir {
    pub pages: Vec<(Vec<u8>, u64, u64)>,
}

impl IndexDir {
    pub fn parse(raw: &[u8]) -> Result<IndexDir> {
        let mut pos = 0;
        let n = get_varint(raw, &mut pos).ok_or_else(bad)? as usize;
        let mut pages = Vec::with_capacity(n.min(1 << 20));
        for _ in 0..n {
            let l = get_varint(raw, &mut pos).ok_or_else(bad)? as usize;
            let t = raw.get(pos..pos + l).ok_or_else(bad)?.to_vec();
            pos += l;
            let off = get_varint(raw, &mut pos).ok_or_else(bad)?;
            let len = get_varint(raw, &mut pos).ok_or_else(bad)?;
            pages.push((t, off, len));
        }
        if pos != raw.len() {
            return Err(bad());
        }
        Ok(IndexDir { pages })
    }

    /// The page that would hold `term` (the last page whose first term is ≤ it).
    pub fn page_for(&self, term: &[u8]) -> Option<usize> {
        self.pages
            .partition_point(|p| p.0.as_slice() <= term)
            .checked_sub(1)
    }
}

/// One decompressed page: sorted terms, each with where its postings lie in the page;
/// postings are decoded only for the terms asked for.
pub struct Page {
    raw: Vec<u8>,
    /// Every term's bytes, one after another (one allocation per page, not per term: a
    /// scan of the dotted-run terms reads tens of thousands of them).
    text: Vec<u8>,
    /// Per term: its bytes' range in `text`, the number of postings, their byte range in
    /// `raw`, whether they name events.
    entries: Vec<(std::ops::Range<usize>, usize, std::ops::Range<usize>, bool)>,
}

impl Page {
    /// `format3`: entries carry a kind bit and a byte length (see the module comment).
    pub fn parse(raw: Vec<u8>, format3: bool) -> Result<Page> {
        let mut pos = 0;
        let n = get_varint(&raw, &mut pos).ok_or_else(bad)? as usize;
        let mut entries: Vec<(std::ops::Range<usize>, usize, std::ops::Range<usize>, bool)> =
            Vec::with_capacity(n.min(1 << 16));
        let mut text = Vec::with_capacity(raw.len());
        let mut last = 0..0;
        for _ in 0..n {
            let shared = get_varint(&raw, &mut pos).ok_or_else(bad)? as usize;
            let sl = get_varint(&raw, &mut pos).ok_or_else(bad)? as usize;
            if shared > last.len() {
                return Err(bad());
            }
            let from = text.len();
            text.extend_from_within(last.start..last.start + shared);
            text.extend_from_slice(raw.get(pos..pos + sl).ok_or_else(bad)?);
            last = from..text.len();
            pos += sl;
            let mut cnt = get_varint(&raw, &mut pos).ok_or_else(bad)? as usize;
            let start;
            let mut events = false;
            if format3 {
                events = cnt & 1 == 1;
                cnt >>= 1;
                let len = get_varint(&raw, &mut pos).ok_or_else(bad)? as usize;
                start = pos;
                pos = pos
                    .checked_add(len)
                    .filter(|e| *e <= raw.len())
                    .ok_or_else(bad)?;
            } else {
                start = pos;
                for _ in 0..cnt {
                    get_varint(&raw, &mut pos).ok_or_else(bad)?;
                }
            }
            entries.push((last.clone(), cnt, start..pos, events));
        }
        if pos != raw.len() {
            return Err(bad());
        }
        Ok(Page { raw, text, entries })
    }

    /// The number of terms on the page.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The `k`-th term of the page (empty past the end).
    pub fn term(&self, k: usize) -> &[u8] {
        self.entries
            .get(k)
            .map_or(&[][..], |e| &self.text[e.0.clone()])
    }

    /// The postings of the `k`-th term of the page.
    pub fn postings_at(&self, k: usize) -> Result<Postings> {
        let (_, cnt, range, events) = self.entries.get(k).ok_or_else(bad)?;
        let b = self.raw.get(range.clone()).ok_or_else(bad)?;
        if *events {
            let list = crate::postings::decode(b, *cnt).ok_or_else(bad)?;
            return Ok(Postings { events: true, list });
        }
        let (mut pos, mut p) = (0, 0u32);
        let mut list = Vec::with_capacity((*cnt).min(1 << 16));
        for _ in 0..*cnt {
            let d = get_varint(b, &mut pos).ok_or_else(bad)?;
            p = p.saturating_add(u32::try_from(d).map_err(|_| bad())?);
            list.push(p);
        }
        if pos != b.len() {
            return Err(bad());
        }
        Ok(Postings {
            events: false,
            list,
        })
    }

    pub fn get(&self, term: &[u8]) -> Result<Option<Postings>> {
        match self
            .entries
            .binary_search_by(|e| self.text[e.0.clone()].cmp(term))
        {
            Ok(k) => self.postings_at(k).map(Some),
            Err(_) => Ok(None),
        }
    }
}

/// A term's postings: sorted event ordinals (`events`) or block numbers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Postings {
    pub events: bool,
    pub list: Vec<u32>,
}

impl Postings {
    /// No term at all: nothing to confirm, and exact.
    pub fn none() -> Postings {
        Postings {
            events: true,
            list: Vec::new(),
        }
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
        assert_eq!(all("IP源地址"), ["ip", "源地", "地址"]);
        // The Kelvin sign is not folded to the ASCII `k` (exact term postings).
        assert_eq!(all("\u{212A} K"), ["\u{212A}", "k"]);
    }

    fn block(texts: &[&str]) -> Tokenizer {
        let mut t = Tokenizer::default();
        for x in texts {
            t.push(x);
        }
        t.distinct();
        t
    }

    #[test]
    fn index_round_trips_across_pages() {
        let mut many = Vec::new();
        for i in 0..5000 {
            many.push(format!("host{i:05} 用户{i}"));
        }
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        let blocks = [
            block(&["sshd Invalid user admin"]),
            block(&refs),
            block(&["sudo admin 用户"]),
            block(&["admin admin host00007"]),
        ];
        let (pages, dir) = build(&blocks, 3, None).unwrap();
        let dir = IndexDir::parse(&zstd::decode_all(&dir[..]).unwrap()).unwrap();
        assert!(dir.pages.len() > 2, "{} pages", dir.pages.len());
        let look = |t: &str| -> Vec<u32> {
            let Some(p) = dir.page_for(t.as_bytes()) else {
                return Vec::new();
            };
            let (_, off, len) = &dir.pages[p];
            let raw = zstd::decode_all(&pages[*off as usize..(*off + *len) as usize]).unwrap();
            Page::parse(raw, false)
                .unwrap()
                .get(t.as_bytes())
                .unwrap()
                .unwrap_or_default()
                .list
        };
        assert_eq!(look("admin"), [0, 2, 3]);
        assert_eq!(look("用户"), [1, 2]);
        assert_eq!(look("host00007"), [1, 3]);
        assert_eq!(look("host04999"), [1]);
        assert_eq!(look("root"), Vec::<u32>::new());
        assert_eq!(look("aaa"), Vec::<u32>::new());
    }

    #[test]
    fn per_event_postings_name_each_event_once() {
        // Two blocks: events 0–2 and 3–4 of one segment.
        let mut blocks = Vec::new();
        for (first, texts) in [
            (0u32, vec!["sshd admin admin 22", "sudo", "用户 admin"]),
            (3, vec!["Admin 用户 22 3306", "root 3306"]),
        ] {
            let mut t = Tokenizer::default();
            for (j, x) in texts.iter().enumerate() {
                t.push(x);
                t.tag(first + j as u32);
            }
            t.distinct_events();
            blocks.push(t);
        }
        // Terms in 2 events or more get per-event postings; rarer ones name blocks.
        let (pages, dir) = build(&blocks, 3, Some(2)).unwrap();
        let dir = IndexDir::parse(&zstd::decode_all(&dir[..]).unwrap()).unwrap();
        assert_eq!(dir.pages.len(), 1);
        let page = Page::parse(zstd::decode_all(&pages[..]).unwrap(), true).unwrap();
        let look = |t: &str| {
            let p = page.get(t.as_bytes()).unwrap().unwrap_or_default();
            (p.events, p.list)
        };
        assert_eq!(look("admin"), (true, vec![0, 2, 3]));
        assert_eq!(look("用户"), (true, vec![2, 3]));
        assert_eq!(look("root"), (false, vec![1]));
        assert_eq!(look("sudo"), (false, vec![0]));
        // A small number names blocks however often it occurs; a larger one does not.
        assert_eq!(look("22"), (false, vec![0, 1]));
        assert_eq!(look("3306"), (true, vec![3, 4]));
        assert_eq!(look("su"), (false, vec![]));
    }
}
