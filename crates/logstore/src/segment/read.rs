//! Reading helpers of a segment file: a cursor over varints and byte runs, and reads at an
//! offset that name the file when they fail.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use crate::error::{IoCtx, Result};
use crate::index::get_varint;

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
