//! Reading helpers of a segment file: a cursor over varints and byte runs, reads at an
//! offset that name the file when they fail, and unions of many terms' postings.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use crate::error::{IoCtx, Result};
use crate::index::{get_varint, Postings};

use super::SegmentReader;

pub(super) struct Cursor<'a> {
    pub(super) b: &'a [u8],
    pub(super) pos: usize,
}

impl<'a> Cursor<'a> {
    pub(super) fn v(&mut self) -> Option<u64> {
        get_varint(self.b, &mut self.pos)
    }
    pub(super) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.b.get(self.pos..self.pos.checked_add(n)?)?;
        self.pos += n;
        Some(s)
    }
}

pub(super) fn read_at(file: &File, path: &Path, off: u64, len: u64) -> Result<Vec<u8>> {
    let mut buf = vec![0u8; usize::try_from(len).map_err(|_| super::corrupt(path, "length"))?];
    let mut f = file;
    f.seek(SeekFrom::Start(off))
        .and_then(|_| f.read_exact(&mut buf))
        .at(path)?;
    Ok(buf)
}

impl SegmentReader {
    /// Union of the postings of every term starting with `prefix` for which `keep` holds:
    /// events when every one of them names events, else blocks.
    pub fn postings_where(&self, prefix: &str, keep: impl Fn(&[u8]) -> bool) -> Result<Postings> {
        let pre = prefix.as_bytes();
        let dir = self.dir()?;
        let first = dir.page_for(pre).unwrap_or(0);
        let mut found = Vec::new();
        for p in first..dir.pages.len() {
            if p > first && !dir.pages[p].0.starts_with(pre) && dir.pages[p].0.as_slice() > pre {
                break;
            }
            let pg = self.page(p)?;
            for k in 0..pg.len() {
                let t = pg.term(k);
                if t.starts_with(pre) && keep(t) {
                    found.push(pg.postings_at(k)?);
                }
            }
        }
        let events = found.iter().all(|p| p.events);
        let mut list = Vec::new();
        for p in found {
            if events || !p.events {
                list.extend(p.list);
            } else {
                list.extend(p.list.iter().map(|i| self.block_of(*i) as u32));
            }
        }
        list.sort_unstable();
        list.dedup();
        Ok(Postings { events, list })
    }
}
