//! The write-ahead log. `append` writes a batch of records and `fdatasync`s once (group
//! commit); when it returns, the batch survives `kill -9` and power loss. Frames:
//! `u32 LE length ‖ u32 LE CRC-32 ‖ record bytes`; each batch is closed by a MAC frame
//! `u32 LE 0xFFFFFFFF ‖ 32-byte HMAC-SHA256` over (`dengbao-wal-v2`, the file's sequence
//! number, the previous batch's MAC — zeros for a file's first — and the batch's frames),
//! keyed with a key derived from the store's signing key (decision 0923). CRC-32 finds a
//! torn write; the MAC finds a frame rewritten (and its CRC fixed) before it was sealed, or
//! a batch removed from the middle of a file. A torn tail (records after the last MAC: a
//! crash while writing an unacknowledged batch) is cut off on open.
//!
//! Files written before the MACs (no MAC frame at all) are read as CRC-only files, but only
//! below `wal_mac_from`, the first MAC'd file the signed checkpoint chain names: from there
//! on a file without MACs is refused.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use hmac::{Hmac, KeyInit, Mac};

use crate::error::{Error, IoCtx, Result};

/// The length field of a MAC frame.
const MAC_MARK: u32 = u32::MAX;
const MAC_LEN: usize = 32;

/// The WAL's MAC key, derived from the store's signing key.
#[derive(Clone)]
pub struct WalKey([u8; 32]);

impl WalKey {
    /// The key for a store whose signing key's secret is `secret`.
    pub fn from_signing_secret(secret: &[u8]) -> WalKey {
        WalKey(mac(b"dengbao wal mac key", &[secret]))
    }

    /// The key of the store at `dir`, when its signing key is readable here.
    pub fn of_store(dir: &Path) -> Option<WalKey> {
        let hx = fs::read_to_string(dir.join("keys/signing.key")).ok()?;
        let secret = hex::decode(hx.trim()).ok()?;
        Some(WalKey::from_signing_secret(&secret))
    }

    fn batch(&self, seq: u64, prev: &[u8; MAC_LEN], frames: &[u8]) -> [u8; MAC_LEN] {
        mac(
            &self.0,
            &[b"dengbao-wal-v2", &seq.to_be_bytes(), prev, frames],
        )
    }
}

fn mac(key: &[u8], parts: &[&[u8]]) -> [u8; MAC_LEN] {
    let mut m = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(key).expect("any key length"); // ok: HMAC takes keys of any length
    for p in parts {
        m.update(p);
    }
    m.finalize().into_bytes().into()
}

pub struct Wal {
    dir: PathBuf,
    seq: u64,
    /// The first file this writer wrote (with MACs): what a checkpoint claims as
    /// `wal_mac_from` when the chain names none yet.
    first_seq: u64,
    file: File,
    path: PathBuf,
    unsynced: Vec<u8>,
    key: WalKey,
    /// The MAC of the last batch written to the current file.
    prev_mac: [u8; MAC_LEN],
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

/// Parse CRC-only frames (no MACs); returns the records and the length of the valid prefix.
pub fn read_frames(bytes: &[u8]) -> (Vec<Vec<u8>>, usize) {
    let mut out = Vec::new();
    let mut pos = 0usize;
    while let Some((payload, next)) = crc_frame(bytes, pos) {
        out.push(payload.to_vec());
        pos = next;
    }
    (out, pos)
}

/// The CRC-checked frame at `pos`: its payload and where the next frame starts.
fn crc_frame(bytes: &[u8], pos: usize) -> Option<(&[u8], usize)> {
    let head = bytes.get(pos..pos + 8)?;
    let len = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
    if len == MAC_MARK {
        return None;
    }
    let crc = u32::from_le_bytes([head[4], head[5], head[6], head[7]]);
    let payload = bytes.get(pos + 8..pos + 8 + len as usize)?;
    (crc32fast::hash(payload) == crc).then_some((payload, pos + 8 + len as usize))
}

/// Reads WAL file number `seq`: the records of every batch whose MAC holds, and the length
/// of that prefix (what follows the last MAC is a torn tail). A batch whose MAC does not
/// hold is an error naming the file and byte: it was rewritten. A file without any MAC
/// frame is read CRC-only when `legacy_ok` (written before the MACs), else refused.
pub fn read_file(
    bytes: &[u8],
    seq: u64,
    key: &WalKey,
    legacy_ok: bool,
) -> Result<(Vec<Vec<u8>>, usize)> {
    let name = format!("wal/{seq:016}.wal");
    let mut out = Vec::new();
    let mut batch = Vec::new();
    let (mut pos, mut start, mut valid) = (0usize, 0usize, 0usize);
    let mut prev = [0u8; MAC_LEN];
    let mut macs = 0usize;
    loop {
        let is_mac = bytes
            .get(pos..pos + 4)
            .is_some_and(|h| u32::from_le_bytes([h[0], h[1], h[2], h[3]]) == MAC_MARK);
        if is_mac {
            let Some(got) = bytes.get(pos + 4..pos + 4 + MAC_LEN) else {
                break;
            };
            let want = key.batch(seq, &prev, &bytes[start..pos]);
            if !subtle_eq(got, &want) {
                return Err(Error::Corrupt(format!(
                    "{name}: the batch at byte {start} does not match its MAC: it was changed after it was written / 预写日志批次校验失败，已被改写"
                )));
            }
            out.append(&mut batch);
            prev = want;
            macs += 1;
            pos += 4 + MAC_LEN;
            start = pos;
            valid = pos;
            continue;
        }
        match crc_frame(bytes, pos) {
            Some((payload, next)) => {
                batch.push(payload.to_vec());
                pos = next;
            }
            None => break,
        }
    }
    if macs == 0 && !bytes.is_empty() {
        if !legacy_ok {
            return Err(Error::Corrupt(format!(
                "{name}: no batch carries a MAC, though every file from this one on must: its MACs were stripped / 预写日志缺少校验码"
            )));
        }
        // Written before the MACs: CRC-only, as it was.
        return Ok((batch, pos));
    }
    Ok((out, valid))
}

/// One batch of `records` as the first batch of WAL file `seq` writes it: CRC frames,
/// then the MAC frame (for tools and tests that build a WAL file).
pub fn batch_bytes(key: &WalKey, seq: u64, records: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for r in records {
        out.extend_from_slice(&(r.len() as u32).to_le_bytes());
        out.extend_from_slice(&crc32fast::hash(r).to_le_bytes());
        out.extend_from_slice(r);
    }
    let mac = key.batch(seq, &[0; MAC_LEN], &out);
    out.extend_from_slice(&MAC_MARK.to_le_bytes());
    out.extend_from_slice(&mac);
    out
}

/// Constant-time equality of two MACs.
fn subtle_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Wal {
    /// Open the WAL directory: read every intact record, cut torn tails, and start a new file.
    /// Files with sequence ≤ `sealed` were already turned into segments and are removed.
    /// Files from `mac_from` on (0: none named yet) must carry MACs.
    pub fn open(dir: &Path, sealed: u64, key: WalKey, mac_from: u64) -> Result<(Wal, Recovered)> {
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
            let legacy_ok = mac_from == 0 || seq < mac_from;
            let (records, valid) = read_file(&bytes, seq, &key, legacy_ok)?;
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
                first_seq: seq,
                file,
                path,
                unsynced: Vec::new(),
                key,
                prev_mac: [0; MAC_LEN],
            },
            rec,
        ))
    }

    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// The first file this writer wrote, all of whose batches carry MACs.
    pub fn first_seq(&self) -> u64 {
        self.first_seq
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
        let mac = self.key.batch(self.seq, &self.prev_mac, &self.unsynced);
        self.unsynced.extend_from_slice(&MAC_MARK.to_le_bytes());
        self.unsynced.extend_from_slice(&mac);
        self.file.write_all(&self.unsynced).at(&self.path)?;
        self.prev_mac = mac;
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
        self.prev_mac = [0; MAC_LEN];
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
