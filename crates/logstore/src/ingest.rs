//! Reading log files into records: one record per line (`\n`, with a `\r` before it
//! treated as part of the line ending), empty lines skipped, bytes kept exactly.

use std::path::Path;

use crate::error::{IoCtx, Result};
use crate::record::{Format, Record};

/// Split `bytes` (the contents of `name`) into records of `network`, all received at `received_us`.
pub fn records_from_bytes(
    bytes: &[u8],
    name: &str,
    network: &str,
    format: Format,
    received_us: i64,
) -> Vec<Record> {
    let mut out = Vec::new();
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        out.push(Record {
            received_us,
            network: network.to_string(),
            source: format!("file:{name}:{}", i + 1),
            format,
            raw: line.to_vec(),
        });
    }
    out
}

pub fn records_from_file(
    path: &Path,
    network: &str,
    format: Format,
    received_us: i64,
) -> Result<Vec<Record>> {
    let bytes = std::fs::read(path).at(path)?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().to_string(),
    );
    Ok(records_from_bytes(
        &bytes,
        &name,
        network,
        format,
        received_us,
    ))
}
