//! The server's secret key, kept in a file beside the data, never in the database
//! (decision 0923): `<data-dir>/keys/server.key`, 32 random bytes as hex, mode 0600,
//! created at first open. Keys are derived from it, one per use, so no use can stand in
//! for another:
//! - the audit chain's key: each entry of chain version 2 carries an HMAC-SHA256, so a
//!   database writer who edits a row cannot re-chain the rows after it;
//! - the API tokens' key: a token's secret is stored as its HMAC-SHA256, so a copy of the
//!   database does not let anyone check guesses offline, and checking costs one MAC
//!   (tokens are 256 random bits: argon2's slowness protects nothing there);
//! - the log centre's head key: the MAC of `<data-dir>/keys/log-head.json`, the newest
//!   checkpoint of the log store kept outside it (decision 0925).
//!
//! Several servers on one PostgreSQL database must share the file (copy it), or each would
//! find the others' entries unverifiable.

use std::io::Write;
use std::path::{Path, PathBuf};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::error::{Result, StoreError};

type HmacSha256 = Hmac<Sha256>;

/// The keys derived from the server key.
#[derive(Clone)]
pub struct ServerKeys {
    audit: [u8; 32],
    tokens: [u8; 32],
    log_head: [u8; 32],
}

/// Where the server key lives under a data directory.
pub fn key_path(data_dir: &Path) -> PathBuf {
    data_dir.join("keys").join("server.key")
}

/// Where the log centre's checkpoint chain head is kept, outside `<data-dir>/logs/`
/// (decision 0925).
pub fn log_head_path(data_dir: &Path) -> PathBuf {
    data_dir.join("keys").join("log-head.json")
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// HMAC-SHA256 of `parts` (concatenated) under `key`.
fn mac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut m = <HmacSha256 as KeyInit>::new_from_slice(key).expect("HMAC accepts any key length"); // ok: HMAC takes keys of any length
    for p in parts {
        m.update(p);
    }
    m.finalize().into_bytes().into()
}

impl ServerKeys {
    /// Reads `<data_dir>/keys/server.key`, creating it (and its directory) when absent.
    pub fn load_or_create(data_dir: &Path) -> Result<ServerKeys> {
        let path = key_path(data_dir);
        let dir = data_dir.join("keys");
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        let mut open = std::fs::OpenOptions::new();
        open.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            open.mode(0o600);
        }
        match open.open(&path) {
            Ok(mut f) => {
                let secret = crate::secret::random_hex(32)?;
                f.write_all(format!("{secret}\n").as_bytes())
                    .and_then(|_| f.sync_all())
                    .map_err(io(&path))?;
            }
            // Another process (or an earlier start) made it: read that one.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io(&path)(e)),
        }
        let text = std::fs::read_to_string(&path).map_err(io(&path))?;
        let secret = hex::decode(text.trim())
            .ok()
            .filter(|s| s.len() == 32)
            .ok_or_else(|| StoreError::Corrupt {
                table: "keys/server.key",
                id: path.display().to_string(),
                message: "not 64 hex digits (服务器密钥文件损坏)".into(),
            })?;
        Ok(ServerKeys::from_secret(&secret))
    }

    /// The keys derived from a 32-byte secret.
    pub fn from_secret(secret: &[u8]) -> ServerKeys {
        ServerKeys {
            audit: mac(secret, &[b"dengbao audit chain v2"]),
            tokens: mac(secret, &[b"dengbao api token"]),
            log_head: mac(secret, &[b"dengbao log checkpoint head"]),
        }
    }

    /// The key that vouches for the log centre's checkpoint head kept outside the log store
    /// (decision 0925): the log store computes its MAC itself.
    pub fn log_head_key(&self) -> [u8; 32] {
        self.log_head
    }

    /// The audit chain's MAC over `parts`, as lowercase hex.
    pub(crate) fn audit_mac(&self, parts: &[&[u8]]) -> String {
        hex::encode(mac(&self.audit, parts))
    }

    /// How a token's secret is stored: `hmac-sha256:<hex>`.
    pub(crate) fn token_digest(&self, secret: &str) -> String {
        format!(
            "{TOKEN_DIGEST_PREFIX}{}",
            hex::encode(mac(&self.tokens, &[secret.as_bytes()]))
        )
    }
}

/// The prefix of a token digest (older tokens carry an argon2id PHC string instead).
pub const TOKEN_DIGEST_PREFIX: &str = "hmac-sha256:";

/// Constant-time equality of two strings.
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_file_is_made_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let a = ServerKeys::load_or_create(dir.path()).unwrap();
        let b = ServerKeys::load_or_create(dir.path()).unwrap();
        assert_eq!(a.token_digest("x"), b.token_digest("x"));
        assert_ne!(a.audit_mac(&[b"x"]), a.token_digest("x"));
        let other = ServerKeys::from_secret(&[7; 32]);
        assert_ne!(a.token_digest("x"), other.token_digest("x"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(key_path(dir.path()))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
