//! A record block (segment format 2, decision 0720): the canonical records of up to
//! [`crate::segment::BLOCK_BYTES`], stored column-wise so zstd sees like next to like.
//!
//! ```text
//! u32 LE len(A) ‖ zstd(A) ‖ zstd(B)          both frames carry a content checksum
//! A = varint n ‖ varint h ‖ h × (varint len ‖ distinct record header) ‖ n × varint header
//!     number ‖ slot table ‖ templates, each ended by 0x10
//! B = the numbers of the templates, varints, one stream per (shape, slot)
//! ```
//! The record header is the record up to its raw bytes (version, receive time, network,
//! source, format, length) — a handful of distinct ones per block; the template is the raw
//! line with every decimal number (a digit run starting 1–9, at most 18 digits, or a lone
//! `0`) replaced by `0x11`; `0x10`, `0x11`, `0x12` in the line are escaped as `0x12 b`.
//! A template's *shape* is the template with every run of letters, digits, `_` and number
//! marks collapsed to `a` (so `Failed password for root from 1.2.3.4` and `… for admin …`
//! share it); the k-th number of every line of one shape goes to the stream (shape, k), so a
//! stream holds like values — ports with ports, octets with octets — and compresses to
//! near their entropy (decision 0720). The slot table lists, per shape in order of first
//! appearance, the byte length of each slot's stream. Decoding rebuilds each record byte for byte; only those
//! rebuilt bytes are Merkle leaves, so the layout is free to change.

use crate::error::{Error, Result};
use crate::index::{compress, get_varint, put_varint};

const END: u8 = 0x10;
const NUM: u8 = 0x11;
const ESC: u8 = 0x12;

/// Where a canonical record's raw bytes start (the rest is its header).
fn raw_offset(r: &[u8]) -> usize {
    let short = |at: usize| {
        r.get(at..at + 2)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
    };
    let Some(nl) = short(9) else { return r.len() };
    let Some(sl) = short(11 + nl) else {
        return r.len();
    };
    let h = 18 + nl + sl;
    if h <= r.len() {
        h
    } else {
        r.len()
    }
}

fn template(raw: &[u8], templ: &mut Vec<u8>, nums: &mut Vec<u64>) {
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        match b {
            b'0' => {
                templ.push(NUM);
                nums.push(0);
                i += 1;
            }
            b'1'..=b'9' => {
                let mut v = 0u64;
                let mut j = i;
                while j < raw.len() && j - i < 18 && raw[j].is_ascii_digit() {
                    v = v * 10 + u64::from(raw[j] - b'0');
                    j += 1;
                }
                templ.push(NUM);
                nums.push(v);
                i = j;
            }
            END | NUM | ESC => {
                templ.push(ESC);
                templ.push(b);
                i += 1;
            }
            _ => {
                templ.push(b);
                i += 1;
            }
        }
    }
}

/// The shape of one template (its bytes up to, without, the END mark) into `out`.
fn shape(templ: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut run = false;
    let mut i = 0;
    while i < templ.len() {
        let b = templ[i];
        if b == ESC {
            out.push(ESC);
            out.extend(templ.get(i + 1));
            run = false;
            i += 2;
            continue;
        }
        if b.is_ascii_alphanumeric() || b == b'_' || b == NUM {
            if !run {
                out.push(b'a');
            }
            run = true;
        } else {
            out.push(b);
            run = false;
        }
        i += 1;
    }
}

/// Encode and compress the records of one block.
pub fn encode(records: &[&[u8]], level: i32) -> Result<Vec<u8>> {
    let total: usize = records.iter().map(|r| r.len()).sum();
    let mut a = Vec::with_capacity(total + records.len() * 4);
    let mut templ = Vec::with_capacity(total);
    let mut vals: Vec<u64> = Vec::with_capacity(64);
    let mut shapes: rustc_hash::FxHashMap<Vec<u8>, usize> = rustc_hash::FxHashMap::default();
    let mut streams: Vec<Vec<Vec<u8>>> = Vec::new();
    let mut key = Vec::with_capacity(256);
    put_varint(&mut a, records.len() as u64);
    let mut distinct: std::collections::HashMap<&[u8], u64> = std::collections::HashMap::new();
    let mut heads: Vec<&[u8]> = Vec::new();
    let mut ids = Vec::with_capacity(records.len());
    for r in records {
        let (h, raw) = r.split_at(raw_offset(r));
        ids.push(*distinct.entry(h).or_insert_with(|| {
            heads.push(h);
            heads.len() as u64 - 1
        }));
        let t0 = templ.len();
        vals.clear();
        template(raw, &mut templ, &mut vals);
        shape(&templ[t0..], &mut key);
        templ.push(END);
        let id = match shapes.get(&key) {
            Some(id) => *id,
            None => {
                shapes.insert(key.clone(), streams.len());
                streams.push(Vec::new());
                streams.len() - 1
            }
        };
        let slots = &mut streams[id];
        if slots.len() < vals.len() {
            slots.resize_with(vals.len(), Vec::new);
        }
        for (k, v) in vals.iter().enumerate() {
            put_varint(&mut slots[k], *v);
        }
    }
    put_varint(&mut a, heads.len() as u64);
    for h in &heads {
        put_varint(&mut a, h.len() as u64);
        a.extend_from_slice(h);
    }
    for id in ids {
        put_varint(&mut a, id);
    }
    put_varint(&mut a, streams.len() as u64);
    let mut nums = Vec::with_capacity(total / 4);
    for slots in &streams {
        put_varint(&mut a, slots.len() as u64);
        for st in slots {
            put_varint(&mut a, st.len() as u64);
            nums.extend_from_slice(st);
        }
    }
    a.extend_from_slice(&templ);
    let za = compress(&a, level)?;
    let zb = compress(&nums, level)?;
    let mut out = Vec::with_capacity(4 + za.len() + zb.len());
    out.extend_from_slice(&(za.len() as u32).to_le_bytes());
    out.extend_from_slice(&za);
    out.extend_from_slice(&zb);
    Ok(out)
}

/// Frame A's tables: the distinct headers, each record's header number, the slot stream
/// lengths per shape, and where the templates start.
struct Layout {
    n: usize,
    heads: Vec<(usize, usize)>,
    ids: Vec<usize>,
    slot_lens: Vec<Vec<usize>>,
    templ: usize,
}

fn bad(w: &str) -> Error {
    Error::Corrupt(format!("block {w}"))
}

fn layout(a: &[u8]) -> Result<Layout> {
    let mut pos = 0;
    let v = |w: &str, pos: &mut usize| {
        get_varint(a, pos)
            .map(|x| x as usize)
            .ok_or_else(|| bad(w))
    };
    let n = v("count", &mut pos)?;
    let nh = v("headers", &mut pos)?;
    let mut heads = Vec::with_capacity(nh.min(1 << 20));
    for _ in 0..nh {
        let h = v("header", &mut pos)?;
        let end = pos.checked_add(h).filter(|e| *e <= a.len());
        let end = end.ok_or_else(|| bad("header"))?;
        heads.push((pos, end));
        pos = end;
    }
    let mut ids = Vec::with_capacity(n.min(1 << 20));
    for _ in 0..n {
        let id = v("header number", &mut pos)?;
        if id >= heads.len() {
            return Err(bad("header number"));
        }
        ids.push(id);
    }
    let ns = v("slot table", &mut pos)?;
    let mut slot_lens = Vec::with_capacity(ns.min(1 << 16));
    for _ in 0..ns {
        let k = v("slot table", &mut pos)?;
        let mut slots = Vec::with_capacity(k.min(1 << 16));
        for _ in 0..k {
            slots.push(v("slot table", &mut pos)?);
        }
        slot_lens.push(slots);
    }
    Ok(Layout {
        n,
        heads,
        ids,
        slot_lens,
        templ: pos,
    })
}

fn frames(bytes: &[u8]) -> Result<(&[u8], &[u8])> {
    let la = bytes
        .get(..4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
        .ok_or_else(|| bad("length"))?;
    let za = bytes.get(4..4 + la).ok_or_else(|| bad("length"))?;
    Ok((za, &bytes[4 + la..]))
}

/// The extent of the template starting at `t` (without its END mark).
fn template_end(templ: &[u8], t: usize) -> Result<usize> {
    let mut e = t;
    loop {
        match *templ.get(e).ok_or_else(|| bad("template"))? {
            END => return Ok(e),
            ESC => e += 2,
            _ => e += 1,
        }
    }
}

/// The templates of a block's records, read from frame A alone (frame B, the numbers, is
/// neither decompressed nor rebuilt). A template is the raw line with each decimal number
/// replaced by [`NUM_MARK`]: a check that involves no digit gives on it the answer it gives
/// on the line (decision 0735).
pub struct Templates {
    a: Vec<u8>,
    spans: Vec<(usize, usize)>,
}

/// The mark standing for one decimal number in a template.
pub const NUM_MARK: u8 = NUM;

impl Templates {
    pub fn read(bytes: &[u8]) -> Result<Templates> {
        let (za, _) = frames(bytes)?;
        let a = zstd::decode_all(za).map_err(|_| bad("frame A"))?;
        let l = layout(&a)?;
        let mut spans = Vec::with_capacity(l.n);
        let mut t = l.templ;
        for _ in 0..l.n {
            let e = template_end(&a, t)?;
            spans.push((t, e));
            t = e + 1;
        }
        if t != a.len() {
            return Err(bad("trailing bytes"));
        }
        Ok(Templates { a, spans })
    }

    /// Record `i`'s template (escapes left in: they stand for bytes a digit-free, mark-free
    /// needle cannot contain).
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        self.spans.get(i).map(|(s, e)| &self.a[*s..*e])
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
}

/// Decompress and rebuild the records of one block; `Err` names what is wrong.
pub fn decode(bytes: &[u8]) -> Result<Vec<Vec<u8>>> {
    let (za, zb) = frames(bytes)?;
    let a = zstd::decode_all(za).map_err(|_| bad("frame A"))?;
    let nums = zstd::decode_all(zb).map_err(|_| bad("frame B"))?;
    let l = layout(&a)?;
    let mut out: Vec<Vec<u8>> = l
        .ids
        .iter()
        .map(|id| {
            let (s, e) = l.heads[*id];
            a[s..e].to_vec()
        })
        .collect();
    // Slot streams: (start, end) in B, per shape in order of first appearance.
    let mut cursors: Vec<Vec<(usize, usize)>> = Vec::with_capacity(l.slot_lens.len());
    let mut at = 0usize;
    for lens in &l.slot_lens {
        let mut slots = Vec::with_capacity(lens.len());
        for len in lens {
            let end = at.checked_add(*len).filter(|e| *e <= nums.len());
            let end = end.ok_or_else(|| bad("slot table"))?;
            slots.push((at, end));
            at = end;
        }
        cursors.push(slots);
    }
    if at != nums.len() {
        return Err(bad("trailing numbers"));
    }
    let pos = l.templ;
    let templ = &a[pos..];
    let mut shapes: rustc_hash::FxHashMap<Vec<u8>, usize> = rustc_hash::FxHashMap::default();
    let mut key = Vec::with_capacity(256);
    let mut t = 0usize;
    let mut digits = [0u8; 20];
    for rec in out.iter_mut() {
        // The template's extent, then its shape.
        let e = template_end(templ, t)?;
        let tp = templ.get(t..e).ok_or_else(|| bad("template"))?;
        shape(tp, &mut key);
        let id = match shapes.get(&key) {
            Some(id) => *id,
            None => {
                let id = shapes.len();
                shapes.insert(key.clone(), id);
                id
            }
        };
        let mut slot = 0usize;
        let mut i = 0usize;
        while i < tp.len() {
            let b = tp[i];
            i += 1;
            match b {
                NUM => {
                    let c = cursors
                        .get_mut(id)
                        .and_then(|s| s.get_mut(slot))
                        .ok_or_else(|| bad("numbers"))?;
                    let mut p = c.0;
                    let mut v = get_varint(&nums[..c.1], &mut p).ok_or_else(|| bad("numbers"))?;
                    c.0 = p;
                    slot += 1;
                    let mut k = digits.len();
                    loop {
                        k -= 1;
                        digits[k] = b'0' + (v % 10) as u8;
                        v /= 10;
                        if v == 0 || k == 0 {
                            break;
                        }
                    }
                    rec.extend_from_slice(&digits[k..]);
                }
                ESC => {
                    rec.push(*tp.get(i).ok_or_else(|| bad("template"))?);
                    i += 1;
                }
                _ => rec.push(b),
            }
        }
        t = e + 1;
    }
    if t != templ.len() || cursors.iter().flatten().any(|c| c.0 != c.1) {
        return Err(bad("trailing bytes"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Format, Record};

    #[test]
    fn records_round_trip_byte_for_byte() {
        let raws: Vec<Vec<u8>> = vec![
            b"<38>Nov 10 12:00:00 web01 sshd[4242]: Invalid user admin from 10.0.0.1 port 007"
                .to_vec(),
            b"".to_vec(),
            b"0 00 100000000000000000000000000099 \x10\x11\x12 end9\n".to_vec(),
            "<14>1 2026-11-10T08:00:00+08:00 app 用户 登录失败 金额 12.50 元"
                .as_bytes()
                .to_vec(),
            vec![0xb5, 0xc7, 0xc2, 0xbc, b'1', 0xff],
        ];
        let recs: Vec<Vec<u8>> = raws
            .iter()
            .enumerate()
            .map(|(i, raw)| {
                Record {
                    received_us: 1_700_000_000_000_000 + i as i64,
                    network: "办公网".into(),
                    source: format!("file:a.log:{i}"),
                    format: Format::Auto,
                    raw: raw.clone(),
                }
                .encode()
            })
            .collect();
        let mut refs: Vec<&[u8]> = recs.iter().map(Vec::as_slice).collect();
        let junk = b"not a record 123".to_vec();
        refs.push(&junk);
        let enc = encode(&refs, 3).unwrap();
        let dec = decode(&enc).unwrap();
        assert_eq!(dec.len(), refs.len());
        for (a, b) in dec.iter().zip(&refs) {
            assert_eq!(a.as_slice(), *b);
        }
        let mut bad = enc.clone();
        let last = bad.len() - 3;
        bad[last] ^= 1;
        assert!(decode(&bad).is_err());
    }
}
