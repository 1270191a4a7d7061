//! A record block (segment format 2, decision 0720): the canonical records of up to
//! [`crate::segment::BLOCK_BYTES`], stored column-wise so zstd sees like next to like.
//!
//! ```text
//! u32 LE len(A) ‖ zstd(A) ‖ zstd(B)          both frames carry a content checksum
//! A = 0x00 0x01 ‖ varint n ‖ varint h ‖ h × (varint len ‖ distinct record header) ‖
//!     n × varint header number ‖ n × varint shape number ‖ slot table ‖
//!     templates, each ended by 0x10
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
//! near their entropy (decision 0720). Shapes are numbered in order of first appearance;
//! the slot table lists, per shape in that order, the byte length of each slot's stream.
//!
//! Each record's shape number is stored (since decision 0735; blocks written before have
//! no `0x00 0x01` mark and their shapes are recomputed when read), so a reader can rebuild
//! one record without computing every earlier record's shape, and can check a digit-free
//! needle on the templates without frame B at all ([`view::BlockView`]). Decoding rebuilds
//! each record byte for byte; only those rebuilt bytes are Merkle leaves, so the layout is
//! free to change.

use crate::error::Result;
use crate::index::{compress, put_varint};

pub mod view;

pub(crate) const END: u8 = 0x10;
pub(crate) const NUM: u8 = 0x11;
pub(crate) const ESC: u8 = 0x12;

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
pub(crate) fn shape(templ: &[u8], out: &mut Vec<u8>) {
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
    encode_with(records, level, true)
}

/// [`encode`], or (`store_shapes` false) the layout before decision 0735, which tests still read.
fn encode_with(records: &[&[u8]], level: i32, store_shapes: bool) -> Result<Vec<u8>> {
    let total: usize = records.iter().map(|r| r.len()).sum();
    let mut a = Vec::with_capacity(total + records.len() * 4);
    let mut templ = Vec::with_capacity(total);
    let mut vals: Vec<u64> = Vec::with_capacity(64);
    let mut shapes: rustc_hash::FxHashMap<Vec<u8>, usize> = rustc_hash::FxHashMap::default();
    let mut streams: Vec<Vec<Vec<u8>>> = Vec::new();
    let mut key = Vec::with_capacity(256);
    if store_shapes {
        a.extend_from_slice(&SHAPES_STORED);
    }
    put_varint(&mut a, records.len() as u64);
    let mut distinct: std::collections::HashMap<&[u8], u64> = std::collections::HashMap::new();
    let mut heads: Vec<&[u8]> = Vec::new();
    let mut ids = Vec::with_capacity(records.len());
    let mut shape_ids = Vec::with_capacity(records.len());
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
        shape_ids.push(id as u64);
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
    for id in shape_ids.into_iter().filter(|_| store_shapes) {
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

/// The mark opening frame A of a block that stores its shape numbers. A block without it
/// starts with its record count, and an empty one with `0x00 0x00`.
const SHAPES_STORED: [u8; 2] = [0x00, 0x01];

/// The mark standing for one decimal number in a template.
pub const NUM_MARK: u8 = NUM;

/// The template of `text` (its numbers marked, reserved bytes escaped): what a line holding
/// `text` with the same digit runs whole has at that place.
pub fn template_of(text: &[u8]) -> Vec<u8> {
    let mut t = Vec::with_capacity(text.len());
    template(text, &mut t, &mut Vec::new());
    t
}

/// Decompress and rebuild the records of one block; `Err` names what is wrong.
pub fn decode(bytes: &[u8]) -> Result<Vec<Vec<u8>>> {
    view::BlockView::read(bytes)?.all()
}

/// Test records of the given raw lines: one network, one file source, a microsecond apart.
#[cfg(test)]
pub(crate) fn test_records(raws: &[Vec<u8>]) -> Vec<Vec<u8>> {
    use crate::record::{Format, Record};
    raws.iter()
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
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let recs = test_records(&raws);
        let mut refs: Vec<&[u8]> = recs.iter().map(Vec::as_slice).collect();
        let junk = b"not a record 123".to_vec();
        refs.push(&junk);
        for shapes in [true, false] {
            let enc = encode_with(&refs, 3, shapes).unwrap();
            let dec = decode(&enc).unwrap();
            assert_eq!(dec.len(), refs.len());
            for (a, b) in dec.iter().zip(&refs) {
                assert_eq!(a.as_slice(), *b);
            }
            // One record at a time, in any order, gives the same bytes.
            let mut v = view::BlockView::read(&enc).unwrap();
            for j in [3, 4, 0, 5, 2, 1, 5] {
                assert_eq!(v.record(j).unwrap().as_slice(), refs[j], "record {j}");
            }
            assert!(v.record(refs.len()).is_err());
        }
        let enc = encode(&refs, 3).unwrap();
        let mut bad = enc.clone();
        let last = bad.len() - 3;
        bad[last] ^= 1;
        assert!(decode(&bad).is_err());
    }
}
