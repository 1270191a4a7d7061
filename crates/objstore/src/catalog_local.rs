//! The catalog as a local file (`checkpoints.log`): one line per entry, `\n`-terminated.
//! A last line without its `\n` is a crash mid-append: it never committed, readers ignore
//! it and the next append cuts it off. Appends hold an exclusive lock on the file, so two
//! processes on one machine cannot both extend the same head.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::PathBuf;

use crate::error::At;
use crate::{line_sig, Catalog, CatalogEntry, Error, Result};

/// The catalog in one local file.
#[derive(Debug, Clone)]
pub struct LocalFile {
    path: PathBuf,
}

impl LocalFile {
    /// The catalog at `path` (created on the first append).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        LocalFile { path: path.into() }
    }

    fn read_bytes(&self) -> Result<Vec<u8>> {
        match fs::read(&self.path) {
            Ok(b) => Ok(b),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(e).at(&self.path),
        }
    }
}

/// The committed lines and the length of the committed part.
fn committed(bytes: &[u8], path: &std::path::Path) -> Result<(Vec<String>, usize)> {
    let end = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let text = std::str::from_utf8(&bytes[..end]).map_err(|e| Error::Corrupt {
        where_: format!("{} byte {}", path.display(), e.valid_up_to()),
        why: "not UTF-8".into(),
    })?;
    Ok((text.lines().map(str::to_string).collect(), end))
}

impl Catalog for LocalFile {
    fn append(&self, expected_prev_sig: Option<&str>, line: &str) -> Result<u64> {
        line_sig(line)?;
        if let Some(dir) = self.path.parent() {
            fs::create_dir_all(dir).at(dir)?;
        }
        let mut f = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&self.path)
            .at(&self.path)?;
        f.lock().at(&self.path)?; // released when `f` is dropped
        let bytes = self.read_bytes()?;
        let (lines, end) = committed(&bytes, &self.path)?;
        let head = match lines.last() {
            Some(l) => Some(line_sig(l).map_err(|e| Error::Corrupt {
                where_: format!("{} line {}", self.path.display(), lines.len()),
                why: e.to_string(),
            })?),
            None => None,
        };
        if head.as_deref() != expected_prev_sig {
            return Err(Error::Conflict {
                expected: expected_prev_sig.unwrap_or("-").to_string(),
                actual: head.unwrap_or_else(|| "-".into()),
            });
        }
        if end < bytes.len() {
            f.set_len(end as u64).at(&self.path)?;
        }
        f.write_all(format!("{line}\n").as_bytes())
            .and_then(|_| f.sync_data())
            .at(&self.path)?;
        if bytes.is_empty() {
            // A new file: make its directory entry durable too.
            if let Some(dir) = self.path.parent() {
                File::open(dir).and_then(|d| d.sync_all()).at(dir)?;
            }
        }
        Ok(lines.len() as u64)
    }

    fn read_since(&self, from: u64) -> Result<Vec<CatalogEntry>> {
        let bytes = self.read_bytes()?;
        let (lines, _) = committed(&bytes, &self.path)?;
        Ok(lines
            .into_iter()
            .enumerate()
            .skip(usize::try_from(from).unwrap_or(usize::MAX))
            .map(|(i, line)| CatalogEntry {
                seq: i as u64,
                line,
            })
            .collect())
    }

    fn describe(&self) -> String {
        format!("file {}", self.path.display())
    }
}
