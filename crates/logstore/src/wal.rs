//! The write-ahead log. `append` writes a batch of records and `fdatasync`s once (group
//! commit); when it returns, the batch survives `kill -9` and power loss. Frames:
//! `u32 LE length ‖ u32 LE CRC-32 ‖ record bytes`. A torn or corrupt tail (a crash while
//! writing an unacknowledged batch) is cut off on open.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::error::{IoCtx, Result};

pub struct Wal {
    dir: PathBuf,
    seq: u64,
    file: File,
    path: PathBuf,
    unsynced: Vec<u8>,
}

/// What was found in the WAL files on open.
pub struct Recovered {
    /// Sequence numbers of the WAL files found, oldest first.
    pub files: Vec<u64>,
    /// Every intact record, in write order.
    pub records: Vec<Vec<u8>>,
    /// Bytes cut off a torn tail.
    pub torn_bytes: u64,
}

fn wal_path(dir: &Path, seq: u64) -> PathBuf {
    dir.join(format!("{seq:016}.wal"))
}

/// List WAL file sequence numbers in `dir`.
pub fn list(dir: &Path) -> Result<Vec<u64>> {
    let mut out = Vec::new();
    let Ok(rd) = fs::read_dir(dir) else {
        return Ok(out);
    };
    for e in rd {
        let e = e.at(dir)?;
        let name = e.file_name().to_string_lossy().to_string();
        if let Some(n) = name
            .strip_suffix(".wal")
            .and_then(|s| s.parse::<u64>().ok())
        {
            out.push(n);
        }
    }
    out.sort_unstable();
    Ok(out)
}

/// Parse frames; returns the records and the length of the valid prefix.
pub fn read_frames(bytes: &[u8]) -> (Vec<Vec<u8>>, usize) {
    let mut out = Vec::new();
    let mut pos = 0usize;
    while pos + 8 <= bytes.len() {
        let len = u32::from_le_bytes([bytes[pos], bytes[pos + 1], bytes[pos + 2], bytes[pos + 3]])
            as usize;
        let crc = u32::from_le_bytes([
            bytes[pos + 4],
            bytes[pos + 5],
            bytes[pos + 6],
            bytes[pos + 7],
        ]);
        let Some(payload) = bytes.get(pos + 8..pos + 8 + len) else {
            break;
        };
        if crc32fast::hash(payload) != crc {
            break;
        }
        out.push(payload.to_vec());
        pos += 8 + len;
    }
    (out, pos)
}

impl Wal {
    /// Open the WAL directory: read every intact record, cut torn tails, and start a new file.
    /// Files with sequence ≤ `sealed` were already turned into segments and are removed.
    pub fn open(dir: &Path, sealed: u64) -> Result<(Wal, Recovered)> {
        fs::create_dir_all(dir).at(dir)?;
        let mut rec = Recovered {
            files: Vec::new(),
            records: Vec::new(),
            torn_bytes: 0,
        };
        let mut last = sealed;
        for seq in list(dir)? {
            let p = wal_path(dir, seq);
            if seq <= sealed {
                fs::remove_file(&p).at(&p)?;
                continue;
            }
            let mut bytes = Vec::new();
            File::open(&p)
                .and_then(|mut f| f.read_to_end(&mut bytes))
                .at(&p)?;
            let (records, valid) = read_frames(&bytes);
            if valid < bytes.len() {
                rec.torn_bytes += (bytes.len() - valid) as u64;
                let f = OpenOptions::new().write(true).open(&p).at(&p)?;
                f.set_len(valid as u64).at(&p)?;
                f.sync_all().at(&p)?;
            }
            rec.records.extend(records);
            rec.files.push(seq);
            last = last.max(seq);
        }
        let seq = last + 1;
        let path = wal_path(dir, seq);
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .at(&path)?;
        sync_dir(dir)?;
        Ok((
            Wal {
                dir: dir.to_path_buf(),
                seq,
                file,
                path,
                unsynced: Vec::new(),
            },
            rec,
        ))
    }

    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// Buffer one record; nothing is durable until [`Wal::commit`].
    pub fn push(&mut self, record: &[u8]) {
        self.unsynced
            .extend_from_slice(&(record.len() as u32).to_le_bytes());
        self.unsynced
            .extend_from_slice(&crc32fast::hash(record).to_le_bytes());
        self.unsynced.extend_from_slice(record);
    }

    /// Write the buffered records and fsync once. On return they are acknowledged.
    pub fn commit(&mut self) -> Result<()> {
        if self.unsynced.is_empty() {
            return Ok(());
        }
        self.file.write_all(&self.unsynced).at(&self.path)?;
        self.file.sync_data().at(&self.path)?;
        self.unsynced.clear();
        Ok(())
    }

    /// After a seal: remove WAL files up to and including the current one, start the next.
    pub fn rotate_after_seal(&mut self) -> Result<()> {
        for seq in list(&self.dir)? {
            if seq <= self.seq {
                let p = wal_path(&self.dir, seq);
                fs::remove_file(&p).at(&p)?;
            }
        }
        self.seq += 1;
        self.path = wal_path(&self.dir, self.seq);
        self.file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .at(&self.path)?;
        sync_dir(&self.dir)
    }
}

pub fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir).and_then(|d| d.sync_all()).at(dir)
}
