//! Blobs as files under a directory: today's layout (`<root>/<key>`), written to a
//! temporary name, fsynced, linked into place without replacing anything, directory fsynced.
//! A retain-until date is kept beside the blob in `<root>/.objstore-retention/<key>` and
//! enforced by this code only (the filesystem's owner can still remove the file).

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::Timestamp;

use crate::error::At;
use crate::key::{check_key, check_prefix};
use crate::{BlobInfo, BlobStore, Error, LockMode, Result, Retention};

const RETENTION_DIR: &str = ".objstore-retention";

/// Blobs in a local directory.
#[derive(Debug, Clone)]
pub struct LocalDir {
    root: PathBuf,
}

impl LocalDir {
    /// Blobs under `root` (created when missing).
    pub fn new(root: impl Into<PathBuf>) -> Result<Self> {
        let root = root.into();
        fs::create_dir_all(&root).at(&root)?;
        Ok(LocalDir { root })
    }

    /// The file a key is stored in.
    pub fn path_of(&self, key: &str) -> Result<PathBuf> {
        check_key(key)?;
        Ok(self.root.join(key))
    }

    fn retention_path(&self, key: &str) -> PathBuf {
        self.root.join(RETENTION_DIR).join(key)
    }
}

fn not_found(key: &str) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::NotFound {
        key: format!("{key} ({e})"),
    }
}

/// Write `bytes` to `path` only if it does not exist: temp file, fsync, hard link (which
/// fails on an existing name, unlike rename), fsync the directory.
fn write_new(path: &Path, bytes: &[u8], key: &str) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).at(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let tmp = dir.join(format!(
        ".{}.{}-{}.tmp",
        name.unwrap_or_default(),
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let mut f = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&tmp)
        .at(&tmp)?;
    f.write_all(bytes).and_then(|_| f.sync_all()).at(&tmp)?;
    drop(f);
    let linked = fs::hard_link(&tmp, path);
    let _ = fs::remove_file(&tmp);
    match linked {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            return Err(Error::AlreadyExists {
                key: key.to_string(),
            })
        }
        Err(e) => return Err(e).at(path),
    }
    File::open(dir).and_then(|d| d.sync_all()).at(dir)
}

impl BlobStore for LocalDir {
    fn put(&self, key: &str, bytes: &[u8], retain_until: Option<Timestamp>) -> Result<()> {
        let path = self.path_of(key)?;
        if path.exists() {
            return Err(Error::AlreadyExists {
                key: key.to_string(),
            });
        }
        // The retention record goes first: a crash between the two leaves a record without
        // a blob (harmless), never a blob without its protection.
        if let Some(until) = retain_until {
            let rp = self.retention_path(key);
            let _ = fs::remove_file(&rp); // a leftover from a crashed put of this key
            write_new(&rp, until.to_string().as_bytes(), key)?;
        }
        write_new(&path, bytes, key)
    }

    fn get(&self, key: &str) -> Result<Vec<u8>> {
        let path = self.path_of(key)?;
        fs::read(&path).map_err(not_found(key))
    }

    fn get_range(&self, key: &str, offset: u64, len: u64) -> Result<Vec<u8>> {
        let path = self.path_of(key)?;
        let mut f = File::open(&path).map_err(not_found(key))?;
        f.seek(SeekFrom::Start(offset)).at(&path)?;
        let mut out = Vec::new();
        f.take(len).read_to_end(&mut out).at(&path)?;
        Ok(out)
    }

    fn list(&self, prefix: &str) -> Result<Vec<BlobInfo>> {
        check_prefix(prefix)?;
        let mut out = Vec::new();
        walk(&self.root, "", &mut out)?;
        out.retain(|b| b.key.starts_with(prefix));
        out.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(out)
    }

    fn delete(&self, key: &str) -> Result<()> {
        let path = self.path_of(key)?;
        if !path.exists() {
            return Err(Error::NotFound {
                key: key.to_string(),
            });
        }
        if let Some(r) = self.retention(key)? {
            if Timestamp::now() < r.retain_until {
                return Err(Error::locked(key, r.retain_until));
            }
        }
        fs::remove_file(&path).at(&path)?;
        let _ = fs::remove_file(self.retention_path(key));
        if let Some(dir) = path.parent() {
            File::open(dir).and_then(|d| d.sync_all()).at(dir)?;
        }
        Ok(())
    }

    fn extend_retention(&self, key: &str, until: Timestamp) -> Result<()> {
        let path = self.path_of(key)?;
        if !path.exists() {
            return Err(Error::NotFound {
                key: key.to_string(),
            });
        }
        if let Some(r) = self.retention(key)? {
            if until < r.retain_until {
                return Err(Error::locked(key, r.retain_until));
            }
        }
        // Write the new date beside, then rename over the old record (atomic).
        let rp = self.retention_path(key);
        let tmp = rp.with_extension("extend.tmp");
        let _ = fs::remove_file(&tmp);
        write_new(&tmp, until.to_string().as_bytes(), key)?;
        fs::rename(&tmp, &rp).at(&rp)?;
        Ok(())
    }

    fn retention(&self, key: &str) -> Result<Option<Retention>> {
        check_key(key)?;
        let rp = self.retention_path(key);
        let text = match fs::read_to_string(&rp) {
            Ok(t) => t,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).at(&rp),
        };
        let until: Timestamp = text.trim().parse().map_err(|e| Error::Corrupt {
            where_: rp.display().to_string(),
            why: format!("not a timestamp: {e}"),
        })?;
        Ok(Some(Retention {
            mode: LockMode::Software,
            retain_until: until,
        }))
    }

    fn describe(&self) -> String {
        format!("dir {}", self.root.display())
    }
}

/// Every file under `dir` as a key (temp files and the retention records skipped).
fn walk(dir: &Path, rel: &str, out: &mut Vec<BlobInfo>) -> Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).at(dir),
    };
    for entry in entries {
        let entry = entry.at(dir)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let key = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        let meta = entry.metadata().at(&entry.path())?;
        if meta.is_dir() {
            walk(&entry.path(), &key, out)?;
        } else if meta.is_file() {
            out.push(BlobInfo {
                key,
                size: meta.len(),
            });
        }
    }
    Ok(())
}
