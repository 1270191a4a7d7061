//! Immutable segment files: one network, one calendar day (Asia/Shanghai), a run of
//! consecutive Merkle leaves.
//!
//! ```text
//! "DBLSEG01"
//! block*        zstd frame (with content checksum) of `u32 LE len ‖ record` repeated
//! meta          zstd frame of JSON [`SegMeta`]: block table and per-event columns
//! index         zstd frame of the term index ([`crate::index`])
//! footer        meta_off, meta_len, index_off, index_len (u64 LE) ‖ "DBLSEGND"
//! ```
//! Only the records are Merkle leaves; the whole file's digest is also signed in the
//! checkpoint that adds the segment, so a flipped byte in meta or index is caught too.

use std::fs::{self, File};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, IoCtx, Result};
use crate::index::{IndexBuilder, IndexReader};
use crate::parse::Parsed;

const MAGIC: &[u8; 8] = b"DBLSEG01";
const END: &[u8; 8] = b"DBLSEGND";
const FOOTER: usize = 40;
/// Uncompressed bytes per block: small enough that a needle query decompresses little.
const BLOCK_BYTES: usize = 64 * 1024;
pub const ZSTD_LEVEL: i32 = 9;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BlockInfo {
    pub off: u64,
    pub len: u64,
    /// Ordinal of the block's first event in the segment.
    pub first: u32,
    pub count: u32,
    /// CRC-32 of the compressed bytes: localises a flipped byte to a block.
    pub crc: u32,
}

/// Per-event columns (not evidence: derived by [`crate::parse`]).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SegMeta {
    pub blocks: Vec<BlockInfo>,
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

/// Write a segment to `path` (via a temporary file, fsynced, renamed). Returns the file digest input: its bytes.
pub fn write(path: &Path, entries: &[Entry<'_>]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(entries.len() * 64 + 64);
    out.extend_from_slice(MAGIC);
    let mut meta = SegMeta {
        time_base: entries.first().map_or(0, |e| e.parsed.time_us),
        ..SegMeta::default()
    };
    let mut dict: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    let mut intern = |s: Option<&str>, dict_vec: &mut Vec<String>| -> u32 {
        let Some(s) = s else { return 0 };
        if let Some(id) = dict.get(s) {
            return *id;
        }
        dict_vec.push(s.to_string());
        let id = dict_vec.len() as u32;
        dict.insert(s.to_string(), id);
        id
    };
    let mut index = IndexBuilder::default();
    let mut block = Vec::with_capacity(BLOCK_BYTES + 4096);
    let mut block_first = 0u32;
    let mut prev_t = meta.time_base;
    for (i, e) in entries.iter().enumerate() {
        block.extend_from_slice(&(e.record.len() as u32).to_le_bytes());
        block.extend_from_slice(e.record);
        meta.time_delta.push(e.parsed.time_us - prev_t);
        prev_t = e.parsed.time_us;
        let mut dv = std::mem::take(&mut meta.dict);
        meta.host.push(intern(e.parsed.host.as_deref(), &mut dv));
        meta.app.push(intern(e.parsed.app.as_deref(), &mut dv));
        meta.source.push(intern(Some(e.source), &mut dv));
        meta.dict = dv;
        meta.severity.push(e.parsed.severity.unwrap_or(255));
        meta.flags.push(e.parsed.flags);
        // Postings name blocks, not events: confirmation scans the block anyway (0701).
        index.add(meta.blocks.len() as u32, e.text);
        if block.len() >= BLOCK_BYTES || i + 1 == entries.len() {
            let count = i as u32 + 1 - block_first;
            push_block(&mut out, &mut meta, &block, block_first, count)?;
            block.clear();
            block_first = i as u32 + 1;
        }
    }
    let meta_json =
        serde_json::to_vec(&meta).map_err(|e| Error::Corrupt(format!("segment meta: {e}")))?;
    let meta_z = compress(&meta_json)?;
    let index_z = compress(&index.finish())?;
    let meta_off = out.len() as u64;
    out.extend_from_slice(&meta_z);
    let index_off = out.len() as u64;
    out.extend_from_slice(&index_z);
    for v in [
        meta_off,
        meta_z.len() as u64,
        index_off,
        index_z.len() as u64,
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
    Ok(out)
}

fn compress(b: &[u8]) -> Result<Vec<u8>> {
    let mut enc = zstd::Encoder::new(Vec::new(), ZSTD_LEVEL)
        .map_err(|e| Error::Corrupt(format!("zstd: {e}")))?;
    let _ = enc.include_checksum(true);
    enc.write_all(b)
        .map_err(|e| Error::Corrupt(format!("zstd: {e}")))?;
    enc.finish()
        .map_err(|e| Error::Corrupt(format!("zstd: {e}")))
}

fn push_block(
    out: &mut Vec<u8>,
    meta: &mut SegMeta,
    block: &[u8],
    first: u32,
    count: u32,
) -> Result<()> {
    let z = compress(block)?;
    meta.blocks.push(BlockInfo {
        off: out.len() as u64,
        len: z.len() as u64,
        first,
        count,
        crc: crc32fast::hash(&z),
    });
    out.extend_from_slice(&z);
    Ok(())
}

/// A segment opened for reading: meta and index loaded, blocks read on demand.
pub struct SegmentReader {
    file: File,
    path: std::path::PathBuf,
    pub meta: SegMeta,
    index_range: (u64, u64),
}

fn corrupt(path: &Path, what: &str) -> Error {
    Error::Corrupt(format!("segment {}: {what} / 段文件损坏", path.display()))
}

impl SegmentReader {
    pub fn open(path: &Path) -> Result<SegmentReader> {
        let mut file = File::open(path).at(path)?;
        let size = file.metadata().at(path)?.len();
        if size < (MAGIC.len() + FOOTER) as u64 {
            return Err(corrupt(path, "truncated"));
        }
        let mut footer = [0u8; FOOTER];
        file.seek(SeekFrom::End(-(FOOTER as i64)))
            .and_then(|_| file.read_exact(&mut footer))
            .at(path)?;
        if &footer[32..] != END {
            return Err(corrupt(path, "footer missing (truncated?)"));
        }
        let g =
            |i: usize| u64::from_le_bytes(footer[i * 8..i * 8 + 8].try_into().unwrap_or([0; 8]));
        let (mo, ml, io, il) = (g(0), g(1), g(2), g(3));
        if mo.checked_add(ml) != Some(io) || io.checked_add(il) != Some(size - FOOTER as u64) {
            return Err(corrupt(path, "footer offsets"));
        }
        let meta_z = read_at(&mut file, path, mo, ml)?;
        let meta_json = zstd::decode_all(&meta_z[..]).map_err(|_| corrupt(path, "meta"))?;
        let meta: SegMeta =
            serde_json::from_slice(&meta_json).map_err(|_| corrupt(path, "meta"))?;
        let n = meta.time_delta.len();
        if [
            meta.host.len(),
            meta.app.len(),
            meta.source.len(),
            meta.severity.len(),
            meta.flags.len(),
        ]
        .iter()
        .any(|l| *l != n)
        {
            return Err(corrupt(path, "meta columns"));
        }
        Ok(SegmentReader {
            file,
            path: path.to_path_buf(),
            meta,
            index_range: (io, il),
        })
    }

    pub fn index(&mut self) -> Result<IndexReader> {
        let z = read_at(
            &mut self.file,
            &self.path,
            self.index_range.0,
            self.index_range.1,
        )?;
        let raw = zstd::decode_all(&z[..]).map_err(|_| corrupt(&self.path, "index"))?;
        IndexReader::parse(raw)
    }

    /// The records of block `b`, checked against its CRC and zstd checksum.
    pub fn block(&mut self, b: usize) -> Result<Vec<Vec<u8>>> {
        let info = self
            .meta
            .blocks
            .get(b)
            .cloned()
            .ok_or_else(|| corrupt(&self.path, "block table"))?;
        let z = read_at(&mut self.file, &self.path, info.off, info.len)?;
        if crc32fast::hash(&z) != info.crc {
            return Err(corrupt(&self.path, &format!("block {b} checksum")));
        }
        let raw =
            zstd::decode_all(&z[..]).map_err(|_| corrupt(&self.path, &format!("block {b}")))?;
        let mut out = Vec::with_capacity(info.count as usize);
        let mut pos = 0;
        while pos + 4 <= raw.len() {
            let l =
                u32::from_le_bytes([raw[pos], raw[pos + 1], raw[pos + 2], raw[pos + 3]]) as usize;
            let rec = raw
                .get(pos + 4..pos + 4 + l)
                .ok_or_else(|| corrupt(&self.path, &format!("block {b} framing")))?;
            out.push(rec.to_vec());
            pos += 4 + l;
        }
        if pos != raw.len() || out.len() != info.count as usize {
            return Err(corrupt(&self.path, &format!("block {b} framing")));
        }
        Ok(out)
    }

    /// Which block holds ordinal `i`.
    pub fn block_of(&self, i: u32) -> usize {
        self.meta.blocks.partition_point(|b| b.first + b.count <= i)
    }
}

fn read_at(file: &mut File, path: &Path, off: u64, len: u64) -> Result<Vec<u8>> {
    let mut buf = vec![0u8; usize::try_from(len).map_err(|_| corrupt(path, "length"))?];
    file.seek(SeekFrom::Start(off))
        .and_then(|_| file.read_exact(&mut buf))
        .at(path)?;
    Ok(buf)
}
