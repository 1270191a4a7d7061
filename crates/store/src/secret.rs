//! Random ids, API-token secrets and their argon2id hashes.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};

use crate::error::{Result, StoreError};

/// `n` random bytes from the operating system.
pub fn random_bytes(n: usize) -> Result<Vec<u8>> {
    let mut buf = vec![0u8; n];
    getrandom::getrandom(&mut buf).map_err(|e| StoreError::Hash(format!("no randomness: {e}")))?;
    Ok(buf)
}

/// `n` random bytes from the operating system, as lowercase hex.
pub fn random_hex(n: usize) -> Result<String> {
    Ok(hex::encode(random_bytes(n)?))
}

/// A new row id: 16 random hex digits (64 bits), unguessable and free of ordering.
pub fn new_id() -> Result<String> {
    random_hex(8)
}

/// The argon2id (default parameters, random salt) PHC string of `secret`.
pub fn hash_secret(secret: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|e| StoreError::Hash(format!("no randomness: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| StoreError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Hash(e.to_string()))
}

/// Whether `secret` matches the stored PHC string. A malformed stored hash never matches.
pub fn verify_secret(secret: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(secret.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// [`hash_secret`] on a blocking thread: argon2 is slow on purpose.
pub(crate) async fn hash_secret_blocking(secret: String) -> Result<String> {
    tokio::task::spawn_blocking(move || hash_secret(&secret))
        .await
        .map_err(|e| StoreError::Hash(e.to_string()))?
}

/// [`verify_secret`] on a blocking thread; false when the thread fails.
pub(crate) async fn verify_secret_blocking(secret: String, phc: String) -> bool {
    tokio::task::spawn_blocking(move || verify_secret(&secret, &phc))
        .await
        .unwrap_or(false)
}

/// The SHA-256 of `s` as lowercase hex (session ids, cached token secrets).
pub(crate) fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// A presented API token split into its id and secret: `dbk_<id>_<secret>`.
pub fn split_token(token: &str) -> Option<(&str, &str)> {
    let rest = token.strip_prefix("dbk_")?;
    let (id, secret) = rest.split_once('_')?;
    let hexish = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit());
    (hexish(id) && hexish(secret) && id.len() == 16 && secret.len() == 64).then_some((id, secret))
}

/// A fresh token: (id, secret, the string handed to the user).
pub fn new_token() -> Result<(String, String, String)> {
    let id = new_id()?;
    let secret = random_hex(32)?;
    let shown = format!("dbk_{id}_{secret}");
    Ok((id, secret, shown))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_round_trips_and_a_wrong_secret_fails() {
        let (id, secret, shown) = new_token().unwrap();
        assert_eq!(split_token(&shown), Some((id.as_str(), secret.as_str())));
        let phc = hash_secret(&secret).unwrap();
        assert!(verify_secret(&secret, &phc));
        let wrong = random_hex(32).unwrap();
        assert!(!verify_secret(&wrong, &phc));
        assert_eq!(split_token("Bearer x"), None);
        assert_eq!(split_token("dbk_zz_yy"), None);
    }
}
