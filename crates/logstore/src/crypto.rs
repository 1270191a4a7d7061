//! The two selectable suites: SM3 + SM2 (国密, GB/T 32905 / GB/T 32918, what a cryptography
//! assessment under 条例 第四十七条 expects) and SHA-256 + Ed25519. A store picks one at
//! creation; every hash and signature in it uses that suite.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub type Hash = [u8; 32];

/// The SM2 distinguishing identifier (the GM/T 0009-2012 default).
const SM2_DISTID: &str = "1234567812345678";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Suite {
    #[serde(rename = "sm3-sm2")]
    Sm3Sm2,
    #[serde(rename = "sha256-ed25519")]
    Sha256Ed25519,
}

impl Suite {
    pub fn name(self) -> &'static str {
        match self {
            Suite::Sm3Sm2 => "sm3-sm2",
            Suite::Sha256Ed25519 => "sha256-ed25519",
        }
    }
    pub fn parse_name(s: &str) -> Option<Suite> {
        match s.to_ascii_lowercase().as_str() {
            "sm3-sm2" | "sm" | "gm" | "guomi" => Some(Suite::Sm3Sm2),
            "sha256-ed25519" | "sha256" | "ed25519" => Some(Suite::Sha256Ed25519),
            _ => None,
        }
    }
    /// H(parts[0] ‖ parts[1] ‖ …).
    pub fn hash(self, parts: &[&[u8]]) -> Hash {
        use sha2::Digest;
        match self {
            Suite::Sm3Sm2 => {
                let mut h = sm3::Sm3::new();
                for p in parts {
                    h.update(p);
                }
                h.finalize().into()
            }
            Suite::Sha256Ed25519 => {
                let mut h = sha2::Sha256::new();
                for p in parts {
                    h.update(p);
                }
                h.finalize().into()
            }
        }
    }
    /// RFC 6962 leaf hash: H(0x00 ‖ record).
    pub fn leaf(self, record: &[u8]) -> Hash {
        self.hash(&[&[0x00], record])
    }
    /// RFC 6962 interior node: H(0x01 ‖ left ‖ right).
    pub fn node(self, l: &Hash, r: &Hash) -> Hash {
        self.hash(&[&[0x01], l, r])
    }
}

enum Inner {
    Sm2(Box<sm2::dsa::SigningKey>),
    Ed(Box<ed25519_dalek::SigningKey>),
}

/// The store's checkpoint-signing key.
pub struct SigningKey {
    suite: Suite,
    inner: Inner,
}

/// A public key in text form `sm2:<hex SEC1 uncompressed>` or `ed25519:<hex>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    pub suite: Suite,
    pub bytes: Vec<u8>,
}

impl SigningKey {
    pub fn generate(suite: Suite) -> Result<SigningKey> {
        for _ in 0..16 {
            let mut secret = [0u8; 32];
            getrandom::fill(&mut secret)
                .map_err(|e| Error::Crypto(format!("no randomness: {e}")))?;
            if let Ok(k) = SigningKey::from_secret(suite, &secret) {
                return Ok(k);
            }
        }
        Err(Error::Crypto(
            "could not generate a key / 无法生成密钥".into(),
        ))
    }

    pub fn from_secret(suite: Suite, secret: &[u8]) -> Result<SigningKey> {
        let bad = || Error::Crypto(format!("invalid {} secret key / 私钥无效", suite.name()));
        let inner = match suite {
            Suite::Sm3Sm2 => Inner::Sm2(Box::new(
                sm2::dsa::SigningKey::from_slice(SM2_DISTID, secret).map_err(|_| bad())?,
            )),
            Suite::Sha256Ed25519 => {
                let s: [u8; 32] = secret.try_into().map_err(|_| bad())?;
                Inner::Ed(Box::new(ed25519_dalek::SigningKey::from_bytes(&s)))
            }
        };
        Ok(SigningKey { suite, inner })
    }

    pub fn secret_bytes(&self) -> Vec<u8> {
        match &self.inner {
            Inner::Sm2(k) => k.to_bytes().to_vec(),
            Inner::Ed(k) => k.to_bytes().to_vec(),
        }
    }

    pub fn public(&self) -> PublicKey {
        let bytes = match &self.inner {
            Inner::Sm2(k) => k.verifying_key().to_sec1_bytes().to_vec(),
            Inner::Ed(k) => k.verifying_key().to_bytes().to_vec(),
        };
        PublicKey {
            suite: self.suite,
            bytes,
        }
    }

    pub fn sign(&self, msg: &[u8]) -> Result<Vec<u8>> {
        use ed25519_dalek::Signer;
        match &self.inner {
            Inner::Sm2(k) => {
                let sig: sm2::dsa::Signature = k
                    .try_sign(msg)
                    .map_err(|e| Error::Crypto(format!("SM2 sign: {e}")))?;
                Ok(sig.to_bytes().to_vec())
            }
            Inner::Ed(k) => Ok(k.sign(msg).to_bytes().to_vec()),
        }
    }
}

impl PublicKey {
    pub fn to_text(&self) -> String {
        let alg = match self.suite {
            Suite::Sm3Sm2 => "sm2",
            Suite::Sha256Ed25519 => "ed25519",
        };
        format!("{alg}:{}", hex::encode(&self.bytes))
    }

    pub fn from_text(s: &str) -> Result<PublicKey> {
        let bad = || {
            Error::Invalid(format!(
                "public key `{}`: expected sm2:<hex> or ed25519:<hex> / 公钥格式错误",
                s.trim()
            ))
        };
        let (alg, hx) = s.trim().split_once(':').ok_or_else(bad)?;
        let suite = match alg {
            "sm2" => Suite::Sm3Sm2,
            "ed25519" => Suite::Sha256Ed25519,
            _ => return Err(bad()),
        };
        let bytes = hex::decode(hx).map_err(|_| bad())?;
        if hex::encode(&bytes) != hx {
            return Err(bad()); // only the canonical lower-case form
        }
        Ok(PublicKey { suite, bytes })
    }

    /// True when `sig` is this key's signature over `msg`.
    pub fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        use ed25519_dalek::Verifier;
        match self.suite {
            Suite::Sm3Sm2 => {
                let (Ok(vk), Ok(s)) = (
                    sm2::dsa::VerifyingKey::from_sec1_bytes(SM2_DISTID, &self.bytes),
                    sm2::dsa::Signature::from_slice(sig),
                ) else {
                    return false;
                };
                vk.verify(msg, &s).is_ok()
            }
            Suite::Sha256Ed25519 => {
                let Ok(pk) = <[u8; 32]>::try_from(self.bytes.as_slice()) else {
                    return false;
                };
                let Ok(vk) = ed25519_dalek::VerifyingKey::from_bytes(&pk) else {
                    return false;
                };
                let Ok(s) = ed25519_dalek::Signature::from_slice(sig) else {
                    return false;
                };
                vk.verify(msg, &s).is_ok()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sm3_matches_the_standard_vector() {
        // GB/T 32905-2016 example 1: SM3("abc").
        assert_eq!(
            hex::encode(Suite::Sm3Sm2.hash(&[b"abc"])),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
    }

    #[test]
    fn both_suites_sign_and_reject_a_changed_message() {
        for suite in [Suite::Sm3Sm2, Suite::Sha256Ed25519] {
            let k = SigningKey::generate(suite).unwrap();
            let pk = PublicKey::from_text(&k.public().to_text()).unwrap();
            let sig = k.sign(b"checkpoint 7").unwrap();
            assert!(pk.verify(b"checkpoint 7", &sig), "{suite:?}");
            assert!(!pk.verify(b"checkpoint 8", &sig), "{suite:?}");
            let again = SigningKey::from_secret(suite, &k.secret_bytes()).unwrap();
            assert_eq!(again.public(), k.public());
        }
    }
}
