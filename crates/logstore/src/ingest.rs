//! Reading log files into records: one record per line (`\n`, with a `\r` before it
//! treated as part of the line ending), empty lines skipped, bytes kept exactly.

use std::io::{BufRead, BufReader};
use std::path::Path;

use crate::error::{IoCtx, Result};
use crate::record::{Format, Record};

/// The record of line `number` (1-based) of file `name`, `None` for a blank line. A `\r`
/// before the line's `\n` belongs to the line ending.
fn record_of(
    line: &[u8],
    name: &str,
    number: usize,
    network: &str,
    format: Format,
    received_us: i64,
) -> Option<Record> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.iter().all(|b| b.is_ascii_whitespace()) {
        return None;
    }
    Some(Record {
        received_us,
        network: network.to_string(),
        source: format!("file:{name}:{number}"),
        format,
        raw: line.to_vec(),
    })
}

/// Split `bytes` (the contents of `name`) into records of `network`, all received at `received_us`.
pub fn records_from_bytes(
    bytes: &[u8],
    name: &str,
    network: &str,
    format: Format,
    received_us: i64,
) -> Vec<Record> {
    bytes
        .split(|b| *b == b'\n')
        .enumerate()
        .filter_map(|(i, line)| record_of(line, name, i + 1, network, format, received_us))
        .collect()
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().to_string(),
    )
}

pub fn records_from_file(
    path: &Path,
    network: &str,
    format: Format,
    received_us: i64,
) -> Result<Vec<Record>> {
    let bytes = std::fs::read(path).at(path)?;
    Ok(records_from_bytes(
        &bytes,
        &file_name(path),
        network,
        format,
        received_us,
    ))
}

/// Read `path` line by line and hand its records to `each` in batches of at most `batch`
/// (the same records as [`records_from_file`], in order), so a file of any size is read
/// in bounded memory. Returns the number of records. Stops at the first error of `each`.
/// `each` also gets the bytes of the file read so far (for progress).
pub fn for_each_batch<E>(
    path: &Path,
    network: &str,
    format: Format,
    received_us: i64,
    batch: usize,
    mut each: impl FnMut(&[Record], u64) -> std::result::Result<(), E>,
) -> std::result::Result<usize, BatchError<E>> {
    let file = std::fs::File::open(path)
        .at(path)
        .map_err(BatchError::Read)?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let name = file_name(path);
    let mut line = Vec::new();
    let mut out = Vec::with_capacity(batch.min(1 << 16));
    let (mut number, mut total, mut read) = (0usize, 0usize, 0u64);
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .at(path)
            .map_err(BatchError::Read)?;
        if n == 0 {
            break;
        }
        read += n as u64;
        number += 1;
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        if let Some(r) = record_of(text, &name, number, network, format, received_us) {
            out.push(r);
        }
        if out.len() >= batch.max(1) {
            each(&out, read).map_err(BatchError::Each)?;
            total += out.len();
            out.clear();
        }
    }
    if !out.is_empty() {
        each(&out, read).map_err(BatchError::Each)?;
        total += out.len();
    }
    Ok(total)
}

/// Why [`for_each_batch`] stopped: the file could not be read, or the caller's `each` failed.
#[derive(Debug)]
pub enum BatchError<E> {
    Read(crate::Error),
    Each(E),
}
