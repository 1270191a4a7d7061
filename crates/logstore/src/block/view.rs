//! Reading a block: frame A (headers, shape numbers, templates) when the block is opened,
//! frame B (the numbers) only when a record must be rebuilt, and records rebuilt one at a
//! time — in increasing order, skipping the numbers of those passed over — or all at once.

use super::{shape, END, ESC, NUM, SHAPES_STORED};
use crate::error::{Error, Result};
use crate::index::{decompress, get_varint};

fn bad(w: &str) -> Error {
    Error::Corrupt(format!("block {w}"))
}

/// One block, frame A decoded.
pub struct BlockView {
    a: Vec<u8>,
    heads: Vec<(usize, usize)>,
    /// Per record: its header number, its template's extent in `a`, its shape number.
    head_of: Vec<u32>,
    spans: Vec<(usize, usize)>,
    shape_of: Vec<u32>,
    slot_lens: Vec<Vec<usize>>,
    zb: Vec<u8>,
    nums: Option<Numbers>,
    /// Whether frame A stored the shape numbers (else `numbers` computes them).
    stored: bool,
}

/// Frame B and where each (shape, slot) stream stands.
struct Numbers {
    b: Vec<u8>,
    start: Vec<Vec<(usize, usize)>>,
    at: Vec<Vec<(usize, usize)>>,
    /// Per (shape, slot): numbers of records passed over, not yet stepped over in `at`
    /// (stepped over in one go when a record of that shape is read).
    skip: Vec<Vec<usize>>,
    /// The record the cursors in `at` (and `skip`) stand before.
    next: usize,
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
        let rest = templ.get(e..).ok_or_else(|| bad("template"))?;
        let k = memchr::memchr2(END, ESC, rest).ok_or_else(|| bad("template"))?;
        if rest[k] == END {
            return Ok(e + k);
        }
        e += k + 2;
    }
}

/// How many number marks a template holds (escaped bytes are not marks).
fn count_marks(tp: &[u8]) -> usize {
    // Plain byte counts vectorise; escapes are rare.
    if !tp.contains(&ESC) {
        return tp.iter().filter(|b| **b == NUM).count();
    }
    let (mut n, mut i) = (0, 0);
    while i < tp.len() {
        match tp[i] {
            NUM => n += 1,
            ESC => i += 1,
            _ => {}
        }
        i += 1;
    }
    n
}

/// Step over `n` varints (each ends at a byte below 0x80).
fn skip_varints(b: &[u8], pos: &mut usize, mut n: usize) -> Option<()> {
    let mut p = *pos;
    while n > 0 {
        p += b.get(p..)?.iter().position(|x| x & 0x80 == 0)? + 1;
        n -= 1;
    }
    *pos = p;
    Some(())
}

impl BlockView {
    pub fn read(bytes: &[u8]) -> Result<BlockView> {
        let (za, zb) = frames(bytes)?;
        let a = decompress(za).ok_or_else(|| bad("frame A"))?;
        let stored = a.starts_with(&SHAPES_STORED);
        let mut pos = if stored { SHAPES_STORED.len() } else { 0 };
        let v = |w: &str, pos: &mut usize| {
            get_varint(&a, pos)
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
        let mut head_of = Vec::with_capacity(n.min(1 << 20));
        for _ in 0..n {
            let id = v("header number", &mut pos)?;
            if id >= heads.len() {
                return Err(bad("header number"));
            }
            head_of.push(id as u32);
        }
        let mut shape_of = Vec::with_capacity(n.min(1 << 20));
        if stored {
            for _ in 0..n {
                shape_of.push(v("shape number", &mut pos)? as u32);
            }
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
        if shape_of.iter().any(|s| *s as usize >= ns) {
            return Err(bad("shape number"));
        }
        let mut spans = Vec::with_capacity(n.min(1 << 20));
        let mut t = pos;
        for _ in 0..n {
            let e = template_end(&a, t)?;
            spans.push((t, e));
            t = e + 1;
        }
        if t != a.len() {
            return Err(bad("trailing bytes"));
        }
        Ok(BlockView {
            a,
            heads,
            head_of,
            spans,
            shape_of,
            slot_lens,
            zb: zb.to_vec(),
            nums: None,
            stored,
        })
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Record `j`'s template (escapes left in).
    pub fn template(&self, j: usize) -> Option<&[u8]> {
        self.spans.get(j).map(|(s, e)| &self.a[*s..*e])
    }

    fn numbers(&mut self) -> Result<&mut Numbers> {
        if self.nums.is_none() {
            if !self.stored {
                self.number_shapes()?;
            }
            let b = decompress(&self.zb).ok_or_else(|| bad("frame B"))?;
            let mut start = Vec::with_capacity(self.slot_lens.len());
            let mut at = 0usize;
            for lens in &self.slot_lens {
                let mut slots = Vec::with_capacity(lens.len());
                for len in lens {
                    let end = at.checked_add(*len).filter(|e| *e <= b.len());
                    let end = end.ok_or_else(|| bad("slot table"))?;
                    slots.push((at, end));
                    at = end;
                }
                start.push(slots);
            }
            if at != b.len() {
                return Err(bad("trailing numbers"));
            }
            self.nums = Some(Numbers {
                b,
                at: start.clone(),
                skip: start.iter().map(|s| vec![0; s.len()]).collect(),
                start,
                next: 0,
            });
        }
        self.nums.as_mut().ok_or_else(|| bad("frame B"))
    }

    /// A block written before shapes were stored: number them in order of first appearance.
    fn number_shapes(&mut self) -> Result<()> {
        let mut known: rustc_hash::FxHashMap<Vec<u8>, u32> = Default::default();
        let mut key = Vec::with_capacity(256);
        self.shape_of.clear();
        for (s, e) in &self.spans {
            shape(&self.a[*s..*e], &mut key);
            let next = known.len() as u32;
            self.shape_of
                .push(*known.entry(key.clone()).or_insert(next));
        }
        if known.len() != self.slot_lens.len() {
            return Err(bad("slot table"));
        }
        self.stored = true;
        Ok(())
    }

    /// Move the number streams to record `j` and give `each` the numbers of its marks, in
    /// order. Cheapest in increasing `j`: the numbers of the records passed over are
    /// skipped, not decoded; a smaller `j` starts the streams again.
    fn numbers_for(&mut self, j: usize, mut each: impl FnMut(u64)) -> Result<()> {
        if j >= self.len() {
            return Err(bad("record number"));
        }
        self.numbers()?;
        let Self {
            a,
            spans,
            shape_of,
            nums,
            ..
        } = self;
        let nums = nums.as_mut().ok_or_else(|| bad("frame B"))?;
        if j < nums.next {
            nums.at.clone_from(&nums.start);
            nums.skip.iter_mut().flatten().for_each(|n| *n = 0);
            nums.next = 0;
        }
        for k in nums.next..j {
            let (s, e) = spans[k];
            let pass = nums
                .skip
                .get_mut(shape_of[k] as usize)
                .and_then(|p| p.get_mut(..count_marks(&a[s..e])))
                .ok_or_else(|| bad("numbers"))?;
            pass.iter_mut().for_each(|n| *n += 1);
        }
        let (s, e) = spans[j];
        let marks = count_marks(&a[s..e]);
        let shape = shape_of[j] as usize;
        let (cur, pass) = match (nums.at.get_mut(shape), nums.skip.get_mut(shape)) {
            (Some(c), Some(p)) if c.len() >= marks => (&mut c[..marks], &mut p[..marks]),
            _ => return Err(bad("numbers")),
        };
        for (c, n) in cur.iter_mut().zip(pass) {
            let stream = &nums.b[..c.1];
            skip_varints(stream, &mut c.0, std::mem::take(n)).ok_or_else(|| bad("numbers"))?;
            each(get_varint(stream, &mut c.0).ok_or_else(|| bad("numbers"))?);
        }
        nums.next = j + 1;
        Ok(())
    }

    /// Record `j`'s template and, in `vals`, the numbers its marks stand for, in order:
    /// what [`BlockView::record`] puts together, for readers that need only some numbers.
    pub fn template_numbers(&mut self, j: usize, vals: &mut Vec<u64>) -> Result<&[u8]> {
        vals.clear();
        self.numbers_for(j, |v| vals.push(v))?;
        self.template(j).ok_or_else(|| bad("record number"))
    }

    /// Rebuild record `j` (header, then the template with its numbers written out).
    pub fn record(&mut self, j: usize) -> Result<Vec<u8>> {
        let mut vals = Vec::with_capacity(16);
        self.numbers_for(j, |v| vals.push(v))?;
        let (hs, he) = self.heads[self.head_of[j] as usize];
        let (s, e) = self.spans[j];
        let (a, tp) = (&self.a, &self.a[s..e]);
        // Sized once: numbers are a few digits longer than their marks.
        let mut rec = Vec::with_capacity(he - hs + tp.len() + 24);
        rec.extend_from_slice(&a[hs..he]);
        let mut vals = vals.into_iter();
        let mut digits = [0u8; 20];
        let mut i = 0usize;
        while i < tp.len() {
            let run = memchr::memchr2(NUM, ESC, &tp[i..]).unwrap_or(tp.len() - i);
            rec.extend_from_slice(&tp[i..i + run]);
            i += run;
            let Some(&b) = tp.get(i) else { break };
            i += 1;
            if b == ESC {
                rec.push(*tp.get(i).ok_or_else(|| bad("template"))?);
                i += 1;
                continue;
            }
            let mut v = vals.next().ok_or_else(|| bad("numbers"))?;
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
        Ok(rec)
    }

    /// Every record, in order; every number must be used exactly.
    pub fn all(mut self) -> Result<Vec<Vec<u8>>> {
        let out = (0..self.len())
            .map(|j| self.record(j))
            .collect::<Result<Vec<_>>>()?;
        let nums = self.numbers()?;
        if nums.at.iter().flatten().any(|c| c.0 != c.1) {
            return Err(bad("trailing bytes"));
        }
        Ok(out)
    }
}
