//! Immutable segment files: one network, one calendar day (Asia/Shanghai), a run of
//! consecutive Merkle leaves. Format 2 (decision 0720); format 3 (decision 0725) is the same
//! layout with magic `DBLSEG03` and index postings that name events instead of blocks;
//! format 4 (decision 0736), magic `DBLSEG04`, adds dotted-run terms (addresses) to the
//! index. All three are read; format 4 is written.
//!
//! ```text
//! "DBLSEG02", "DBLSEG03" or "DBLSEG04"
//! block*        record blocks ([`crate::block`]): u32 len ‖ zstd ‖ zstd, CRC-32 in the head
//! head          zstd frame: event count, time base, block table, string dictionary
//! columns       zstd frame: per-event time deltas, host/app/source ids, severity, flags
//! index pages   zstd frames of the sorted term list ([`crate::index`])
//! index dir     zstd frame: first term, offset, length of each page
//! footer        head_off, head_len, cols_off, cols_len, pages_off, dir_off, dir_len (u64 LE) ‖ "DBLSEGND"
//! ```
//! Only the records are Merkle leaves; the whole file's digest is also signed in the
//! checkpoint that adds the segment, so a flipped byte in head, columns or index is caught
//! too. A reader opens the footer and head only; columns and index pages load on demand.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use rayon::prelude::*;

use crate::crypto::{Hash, Suite};
use crate::error::{Error, IoCtx, Result};
use crate::index::{self, put_varint, IndexDir, Page, Postings, Tokenizer};
use crate::parse::Parsed;

mod read;
use read::{read_at, Cursor};

/// The segment format this build writes; it also reads formats 2 and 3.
pub const FORMAT: u32 = 4;
/// The magic of each readable format.
const MAGICS: [(&[u8; 8], u32); 3] = [(b"DBLSEG02", 2), (b"DBLSEG03", 3), (b"DBLSEG04", 4)];
const END: &[u8; 8] = b"DBLSEGND";
const FOOTER: usize = 7 * 8 + 8;
/// Uncompressed record bytes per block: big enough for zstd to find the repeats of a log
/// stream, small enough that a needle decompresses ~1 ms of data (decision 0720).
pub const BLOCK_BYTES: usize = 1 << 20;
/// zstd level of record blocks, columns and index (decision 0720).
pub const ZSTD_LEVEL: i32 = 9;

#[derive(Debug, Clone)]
pub struct BlockInfo {
    pub off: u64,
    pub len: u64,
    /// Ordinal of the block's first event in the segment.
    pub first: u32,
    pub count: u32,
    /// CRC-32 of the stored bytes: localises a flipped byte to a block.
    pub crc: u32,
}

/// Per-event columns (not evidence: derived by [`crate::parse`]).
#[derive(Debug, Clone, Default)]
pub struct SegMeta {
    /// Event times in µs, delta-coded from `time_base`.
    pub time_base: i64,
    pub time_delta: Vec<i64>,
    pub dict: Vec<String>,
    /// Index into `dict` + 1, 0 = absent.
    pub host: Vec<u32>,
    pub app: Vec<u32>,
    /// Source (`host`, else the `source` of the record) for coverage, index into `dict`.
    pub source: Vec<u32>,
    /// 0–7, 255 = absent.
    pub severity: Vec<u8>,
    pub flags: Vec<u8>,
}

impl SegMeta {
    pub fn len(&self) -> usize {
        self.time_delta.len()
    }
    pub fn is_empty(&self) -> bool {
        self.time_delta.is_empty()
    }
    pub fn times(&self) -> Vec<i64> {
        let mut t = self.time_base;
        self.time_delta
            .iter()
            .map(|d| {
                t += d;
                t
            })
            .collect()
    }
    fn name(&self, id: u32) -> Option<&str> {
        id.checked_sub(1)
            .and_then(|i| self.dict.get(i as usize))
            .map(String::as_str)
    }
    pub fn host(&self, i: usize) -> Option<&str> {
        self.name(self.host[i])
    }
    pub fn app(&self, i: usize) -> Option<&str> {
        self.name(self.app[i])
    }
    pub fn source(&self, i: usize) -> Option<&str> {
        self.name(self.source[i])
    }
    pub fn severity(&self, i: usize) -> Option<u8> {
        Some(self.severity[i]).filter(|s| *s < 8)
    }
}

/// One event to write: its canonical record bytes, derived fields and indexable text.
pub struct Entry<'a> {
    pub record: &'a [u8],
    pub parsed: &'a Parsed,
    pub source: &'a str,
    pub text: &'a str,
}

/// What [`write`] produced: the file's bytes (the digest input) and the records' leaf hashes.
pub struct Written {
    pub bytes: Vec<u8>,
    pub leaves: Vec<Hash>,
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}
fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// Write a segment to `path` (via a temporary file, fsynced, renamed). Blocks are encoded,
/// compressed, tokenised and hashed in parallel.
pub fn write<'a>(path: &Path, entries: &[Entry<'a>], suite: Suite) -> Result<Written> {
    write_format(path, entries, suite, FORMAT, index::MIN_EVENTS)
}

/// [`write`] in a given format (2, 3 or 4) and, from 3, with a given threshold of per-event
/// postings ([`index::MIN_EVENTS`]): other values only so tests can mix old segments with new
/// ones and the benchmark can measure the choice.
pub fn write_format<'a>(
    path: &Path,
    entries: &[Entry<'a>],
    suite: Suite,
    format: u32,
    min_events: u32,
) -> Result<Written> {
    let magic = MAGICS
        .iter()
        .find(|(_, f)| *f == format)
        .map(|(m, _)| *m)
        .ok_or_else(|| Error::Invalid(format!("segment format {format} is not written")))?;
    let per_event = format >= 3;
    // Cut blocks by record bytes.
    let mut ranges = Vec::new();
    let (mut start, mut bytes) = (0usize, 0usize);
    for (i, e) in entries.iter().enumerate() {
        bytes += e.record.len();
        if bytes >= BLOCK_BYTES || i + 1 == entries.len() {
            ranges.push(start..i + 1);
            start = i + 1;
            bytes = 0;
        }
    }
    type Done = (Vec<u8>, Tokenizer, Vec<Hash>);
    let done: Vec<Done> = ranges
        .par_iter()
        .map(|r| -> Result<Done> {
            let es = &entries[r.clone()];
            let recs: Vec<&[u8]> = es.iter().map(|e| e.record).collect();
            let z = crate::block::encode(&recs, ZSTD_LEVEL)?;
            // Format 3 postings name events (0725); format 2 postings name blocks (0701).
            let mut tok = Tokenizer::default();
            for (j, e) in es.iter().enumerate() {
                tok.push(e.text);
                if format >= 4 {
                    tok.push_runs(e.text);
                }
                if per_event {
                    tok.tag((r.start + j) as u32);
                }
            }
            if per_event {
                tok.distinct_events();
            } else {
                tok.distinct();
            }
            let leaves = recs.iter().map(|r| suite.leaf(r)).collect();
            Ok((z, tok, leaves))
        })
        .collect::<Result<_>>()?;
    let mut out = Vec::with_capacity(done.iter().map(|d| d.0.len()).sum::<usize>() + 4096);
    out.extend_from_slice(magic);
    let mut head = Vec::new();
    put_varint(&mut head, entries.len() as u64);
    let time_base = entries.first().map_or(0, |e| e.parsed.time_us);
    put_varint(&mut head, zigzag(time_base));
    put_varint(&mut head, done.len() as u64);
    let mut leaves = Vec::with_capacity(entries.len());
    let mut toks = Vec::with_capacity(done.len());
    for (r, (z, tok, l)) in ranges.iter().zip(done) {
        for v in [
            out.len() as u64,
            z.len() as u64,
            r.start as u64,
            r.len() as u64,
        ] {
            put_varint(&mut head, v);
        }
        head.extend_from_slice(&crc32fast::hash(&z).to_le_bytes());
        out.extend_from_slice(&z);
        leaves.extend(l);
        toks.push(tok);
    }
    // Columns.
    let n = entries.len();
    let mut dict: HashMap<&'a str, u32> = HashMap::new();
    let mut names: Vec<&'a str> = Vec::new();
    let mut intern = |s: Option<&'a str>| -> u32 {
        let Some(s) = s else { return 0 };
        *dict.entry(s).or_insert_with(|| {
            names.push(s);
            names.len() as u32
        })
    };
    let mut ids = Vec::with_capacity(n * 3);
    for e in entries {
        ids.push(intern(e.parsed.host.as_deref()));
        ids.push(intern(e.parsed.app.as_deref()));
        ids.push(intern(Some(e.source)));
    }
    put_varint(&mut head, names.len() as u64);
    for s in &names {
        put_varint(&mut head, s.len() as u64);
        head.extend_from_slice(s.as_bytes());
    }
    let mut cols = Vec::with_capacity(n * 8);
    let mut prev = time_base;
    for e in entries {
        put_varint(&mut cols, zigzag(e.parsed.time_us.wrapping_sub(prev)));
        prev = e.parsed.time_us;
    }
    for k in 0..3 {
        for i in 0..n {
            put_varint(&mut cols, u64::from(ids[i * 3 + k]));
        }
    }
    cols.extend(entries.iter().map(|e| e.parsed.severity.unwrap_or(255)));
    cols.extend(entries.iter().map(|e| e.parsed.flags));
    let head_z = index::compress(&head, ZSTD_LEVEL)?;
    let cols_z = index::compress(&cols, ZSTD_LEVEL)?;
    let (pages, dir_z) = index::build(&toks, ZSTD_LEVEL, per_event.then_some(min_events))?;
    let head_off = out.len() as u64;
    out.extend_from_slice(&head_z);
    let cols_off = out.len() as u64;
    out.extend_from_slice(&cols_z);
    let pages_off = out.len() as u64;
    out.extend_from_slice(&pages);
    let dir_off = out.len() as u64;
    out.extend_from_slice(&dir_z);
    for v in [
        head_off,
        head_z.len() as u64,
        cols_off,
        cols_z.len() as u64,
        pages_off,
        dir_off,
        dir_z.len() as u64,
    ] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(END);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).at(dir)?;
    }
    let tmp = path.with_extension("tmp");
    let mut f = File::create(&tmp).at(&tmp)?;
    f.write_all(&out).at(&tmp)?;
    f.sync_all().at(&tmp)?;
    fs::rename(&tmp, path).at(path)?;
    if let Some(dir) = path.parent() {
        crate::wal::sync_dir(dir)?;
    }
    Ok(Written { bytes: out, leaves })
}

/// A segment opened for reading: footer and head read; columns, index pages and blocks
/// read on demand.
pub struct SegmentReader {
    file: File,
    path: PathBuf,
    /// 2: postings name blocks; 3: postings name events.
    pub format: u32,
    pub count: u32,
    pub time_base: i64,
    pub blocks: Vec<BlockInfo>,
    dict: Vec<String>,
    cols: (u64, u64),
    pages_off: u64,
    dir: (u64, u64),
    meta: OnceCell<SegMeta>,
    index: OnceCell<IndexDir>,
    pages: RefCell<HashMap<usize, Rc<Page>>>,
}

fn corrupt(path: &Path, what: &str) -> Error {
    Error::Corrupt(format!("segment {}: {what} / 段文件损坏", path.display()))
}

impl SegmentReader {
    pub fn open(path: &Path) -> Result<SegmentReader> {
        let file = File::open(path).at(path)?;
        let size = file.metadata().at(path)?.len();
        if size < (8 + FOOTER) as u64 {
            return Err(corrupt(path, "truncated"));
        }
        let footer = read_at(&file, path, size - FOOTER as u64, FOOTER as u64)?;
        if &footer[FOOTER - 8..] != END {
            return Err(corrupt(path, "footer missing (truncated?)"));
        }
        let magic = read_at(&file, path, 0, 8)?;
        let Some(format) = MAGICS
            .iter()
            .find(|(m, _)| m.as_slice() == magic.as_slice())
            .map(|(_, f)| *f)
        else {
            return Err(corrupt(
                path,
                "not a format 2, 3 or 4 segment (magic) / 不是第 2、3 或 4 版段文件",
            ));
        };
        let g =
            |i: usize| u64::from_le_bytes(footer[i * 8..i * 8 + 8].try_into().unwrap_or([0; 8]));
        let (ho, hl, co, cl, po, dof, dl) = (g(0), g(1), g(2), g(3), g(4), g(5), g(6));
        if ho < 8
            || ho.checked_add(hl) != Some(co)
            || co.checked_add(cl) != Some(po)
            || po > dof
            || dof.checked_add(dl) != Some(size - FOOTER as u64)
        {
            return Err(corrupt(path, "footer offsets"));
        }
        let head = crate::index::decompress(&read_at(&file, path, ho, hl)?)
            .ok_or_else(|| corrupt(path, "head"))?;
        let bad = || corrupt(path, "head");
        let mut c = Cursor { b: &head, pos: 0 };
        let count = u32::try_from(c.v().ok_or_else(bad)?).map_err(|_| bad())?;
        let time_base = unzigzag(c.v().ok_or_else(bad)?);
        let nb = c.v().ok_or_else(bad)? as usize;
        let mut blocks = Vec::with_capacity(nb.min(1 << 16));
        let mut next_first = 0u64;
        for _ in 0..nb {
            let mut f = [0u64; 4];
            for x in &mut f {
                *x = c.v().ok_or_else(bad)?;
            }
            let [off, len, first, cnt] = f;
            let crc = c.take(4).ok_or_else(bad)?;
            if first != next_first
                || off < 8
                || off.saturating_add(len) > ho
                || cnt > u64::from(u32::MAX)
            {
                return Err(bad());
            }
            next_first += cnt;
            blocks.push(BlockInfo {
                off,
                len,
                first: first as u32,
                count: cnt as u32,
                crc: u32::from_le_bytes([crc[0], crc[1], crc[2], crc[3]]),
            });
        }
        if next_first != u64::from(count) {
            return Err(bad());
        }
        let nd = c.v().ok_or_else(bad)? as usize;
        let mut dict = Vec::with_capacity(nd.min(1 << 16));
        for _ in 0..nd {
            let l = c.v().ok_or_else(bad)? as usize;
            let s = c.take(l).ok_or_else(bad)?;
            dict.push(String::from_utf8(s.to_vec()).map_err(|_| bad())?);
        }
        if c.pos != head.len() {
            return Err(bad());
        }
        Ok(SegmentReader {
            file,
            path: path.to_path_buf(),
            format,
            count,
            time_base,
            blocks,
            dict,
            cols: (co, cl),
            pages_off: po,
            dir: (dof, dl),
            meta: OnceCell::new(),
            index: OnceCell::new(),
            pages: RefCell::new(HashMap::new()),
        })
    }

    pub fn len(&self) -> usize {
        self.count as usize
    }

    /// Whether postings may name events (format 3); in format 2 they name blocks.
    pub fn per_event(&self) -> bool {
        self.format >= 3
    }

    /// Whether the index holds dotted-run terms (format 4, decision 0736).
    pub fn runs(&self) -> bool {
        self.format >= 4
    }

    /// Bytes on disk by part: (record blocks, head + columns, index pages + directory).
    pub fn part_sizes(&self) -> (u64, u64, u64) {
        let blocks: u64 = self.blocks.iter().map(|b| b.len).sum();
        let index = self.dir.0 + self.dir.1 - self.pages_off;
        (blocks, self.pages_off.saturating_sub(8 + blocks), index)
    }
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The per-event columns (decoded on first use).
    pub fn meta(&self) -> Result<&SegMeta> {
        if let Some(m) = self.meta.get() {
            return Ok(m);
        }
        let bad = || corrupt(&self.path, "columns");
        let raw =
            crate::index::decompress(&read_at(&self.file, &self.path, self.cols.0, self.cols.1)?)
                .ok_or_else(bad)?;
        let n = self.count as usize;
        let mut c = Cursor { b: &raw, pos: 0 };
        let mut m = SegMeta {
            time_base: self.time_base,
            dict: self.dict.clone(),
            ..SegMeta::default()
        };
        m.time_delta.reserve(n);
        for _ in 0..n {
            m.time_delta.push(unzigzag(c.v().ok_or_else(bad)?));
        }
        for col in [&mut m.host, &mut m.app, &mut m.source] {
            col.reserve(n);
            for _ in 0..n {
                let id = u32::try_from(c.v().ok_or_else(bad)?).map_err(|_| bad())?;
                if id as usize > self.dict.len() {
                    return Err(bad());
                }
                col.push(id);
            }
        }
        m.severity = c.take(n).ok_or_else(bad)?.to_vec();
        m.flags = c.take(n).ok_or_else(bad)?.to_vec();
        if c.pos != raw.len() {
            return Err(bad());
        }
        Ok(self.meta.get_or_init(|| m))
    }

    fn dir(&self) -> Result<&IndexDir> {
        if let Some(d) = self.index.get() {
            return Ok(d);
        }
        let raw =
            crate::index::decompress(&read_at(&self.file, &self.path, self.dir.0, self.dir.1)?)
                .ok_or_else(|| corrupt(&self.path, "index directory"))?;
        let d = IndexDir::parse(&raw)?;
        Ok(self.index.get_or_init(|| d))
    }

    fn page(&self, p: usize) -> Result<Rc<Page>> {
        if let Some(pg) = self.pages.borrow().get(&p) {
            return Ok(pg.clone());
        }
        let (_, off, len) = self
            .dir()?
            .pages
            .get(p)
            .ok_or_else(|| corrupt(&self.path, "index directory"))?;
        let at = self
            .pages_off
            .checked_add(*off)
            .filter(|e| e.saturating_add(*len) <= self.dir.0);
        let at = at.ok_or_else(|| corrupt(&self.path, "index directory"))?;
        let raw = crate::index::decompress(&read_at(&self.file, &self.path, at, *len)?)
            .ok_or_else(|| corrupt(&self.path, "index page"))?;
        let pg = Rc::new(Page::parse(raw, self.per_event())?);
        self.pages.borrow_mut().insert(p, pg.clone());
        Ok(pg)
    }

    /// The postings of `term`: the events holding it (format 3, a frequent term) or the
    /// blocks (format 2, or a rare term); an absent term has no events.
    pub fn postings(&self, term: &str) -> Result<Postings> {
        let Some(p) = self.dir()?.page_for(term.as_bytes()) else {
            return Ok(Postings::none());
        };
        Ok(self
            .page(p)?
            .get(term.as_bytes())?
            .unwrap_or_else(Postings::none))
    }

    /// Union of the postings of every term starting with `prefix`: events when every one of
    /// them names events, else blocks.
    pub fn prefix_postings(&self, prefix: &str) -> Result<Postings> {
        self.postings_where(prefix, |_| true)
    }

    /// The records of block `b`, checked against its CRC and zstd checksums.
    pub fn block(&self, b: usize) -> Result<Vec<Vec<u8>>> {
        let (info, z) = self.block_bytes(b)?;
        let out = crate::block::decode(&z)
            .map_err(|e| corrupt(&self.path, &format!("block {b}: {e}")))?;
        if out.len() != info.count as usize {
            return Err(corrupt(&self.path, &format!("block {b} framing")));
        }
        Ok(out)
    }

    /// Block `b` with frame A read (templates, shapes), checked like [`Self::block`];
    /// records are rebuilt from it on demand.
    pub fn view(&self, b: usize) -> Result<crate::block::view::BlockView> {
        let (info, z) = self.block_bytes(b)?;
        let out = crate::block::view::BlockView::read(&z)
            .map_err(|e| corrupt(&self.path, &format!("block {b}: {e}")))?;
        if out.len() != info.count as usize {
            return Err(corrupt(&self.path, &format!("block {b} framing")));
        }
        Ok(out)
    }

    /// Block `b`'s stored bytes, checked against its CRC.
    fn block_bytes(&self, b: usize) -> Result<(BlockInfo, Vec<u8>)> {
        let info = self
            .blocks
            .get(b)
            .cloned()
            .ok_or_else(|| corrupt(&self.path, "block table"))?;
        let z = read_at(&self.file, &self.path, info.off, info.len)?;
        if crc32fast::hash(&z) != info.crc {
            return Err(corrupt(&self.path, &format!("block {b} checksum")));
        }
        Ok((info, z))
    }

    /// Which block holds ordinal `i`.
    pub fn block_of(&self, i: u32) -> usize {
        self.blocks.partition_point(|b| b.first + b.count <= i)
    }
}
