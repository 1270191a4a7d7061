//! An optional second factor: time-based one-time passwords (RFC 6238 — HMAC-SHA1, 30-second
//! steps, six digits, what authenticator apps do by default; decision 0938).
//!
//! A user begins enrolment (a fresh secret is kept as pending), confirms it with a code
//! from the app (then it is required at every sign-in), and may turn it off with a code.
//! A code is accepted for the step before, the current one and the one after (clock drift)
//! and never twice: the last accepted step is stored.

use data_encoding::BASE32_NOPAD;
use hmac_sha1::{Hmac, Mac};
use jiff::Timestamp;
use sqlx::Row;

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::{secret, Store};

const STEP_SECONDS: i64 = 30;
const DIGITS: u32 = 6;

/// The code for `step` (RFC 4226 dynamic truncation of HMAC-SHA1).
pub fn code_at(secret: &[u8], step: u64) -> Option<u32> {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(secret).ok()?;
    mac.update(&step.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = (h.get(19)? & 0x0f) as usize;
    let b = h.get(offset..offset + 4)?;
    let n = (u32::from(b[0] & 0x7f) << 24)
        | (u32::from(b[1]) << 16)
        | (u32::from(b[2]) << 8)
        | u32::from(b[3]);
    Some(n % 10u32.pow(DIGITS))
}

/// The time step of `t`.
pub fn step_of(t: Timestamp) -> u64 {
    u64::try_from(t.as_second().div_euclid(STEP_SECONDS)).unwrap_or(0)
}

/// The step `code` belongs to, if it is one of the current step ± 1 and after `last`.
fn accepted(secret_b32: &str, code: &str, now: Timestamp, last: Option<u64>) -> Option<u64> {
    let code: u32 = code
        .trim()
        .parse()
        .ok()
        .filter(|_| code.trim().len() == 6)?;
    let secret = BASE32_NOPAD.decode(secret_b32.as_bytes()).ok()?;
    let now = step_of(now);
    [now.checked_sub(1), Some(now), now.checked_add(1)]
        .into_iter()
        .flatten()
        .filter(|s| last.is_none_or(|l| *s > l))
        .find(|s| code_at(&secret, *s) == Some(code))
}

/// What an app needs to add the account: the secret and the `otpauth://` URI.
#[derive(Debug, Clone)]
pub struct Enrolment {
    pub secret: String,
    pub uri: String,
}

fn bad_code() -> StoreError {
    StoreError::invalid(
        "code",
        "验证码不正确或已使用 / the code is wrong or was already used",
    )
}

impl Store {
    /// Whether the user has a confirmed second factor.
    pub async fn has_totp(&self, user_id: &str) -> Result<bool> {
        let row = sqlx::query("SELECT totp_secret FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => r.try_get::<Option<String>, _>("totp_secret")?.is_some(),
            None => false,
        })
    }

    /// A fresh secret for `user_id`, pending until a code confirms it.
    pub async fn totp_begin(&self, user_id: &str, account: &str) -> Result<Enrolment> {
        let bytes = secret::random_bytes(20)?;
        let secret = BASE32_NOPAD.encode(&bytes);
        let n = sqlx::query("UPDATE users SET totp_pending = $1 WHERE id = $2")
            .bind(&secret)
            .bind(user_id)
            .execute(&self.pool)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound {
                what: "user",
                id: user_id.to_string(),
            });
        }
        let label: String = account
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        Ok(Enrolment {
            uri: format!(
                "otpauth://totp/dengbao:{label}?secret={secret}&issuer=dengbao&algorithm=SHA1&digits=6&period=30"
            ),
            secret,
        })
    }

    /// Confirms the pending secret with a code from the app; from then on sign-in needs one.
    pub async fn totp_confirm(&self, user_id: &str, code: &str) -> Result<()> {
        let mut w = WriteTx::begin(self).await?;
        let row = sqlx::query("SELECT totp_pending FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *w.tx)
            .await?;
        let pending: Option<String> = match row {
            Some(r) => r.try_get("totp_pending")?,
            None => None,
        };
        let Some(pending) = pending else {
            return Err(StoreError::invalid(
                "code",
                "请先生成密钥 / begin enrolment first",
            ));
        };
        let step = accepted(&pending, code, self.now(), None).ok_or_else(bad_code)?;
        sqlx::query(
            "UPDATE users SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = $1 WHERE id = $2",
        )
        .bind(step as i64)
        .bind(user_id)
        .execute(&mut *w.tx)
        .await?;
        w.commit(AuditRecord {
            actor: format!("user:{user_id}"),
            org_id: None,
            action: "user.totp_enabled".into(),
            target: format!("user:{user_id}"),
            detail: serde_json::json!({}),
        })
        .await?;
        Ok(())
    }

    /// Turns the second factor off, with a current code (or by an administrator for a user
    /// who lost the device: `code` None and `actor` the administrator).
    pub async fn totp_disable(&self, actor: &str, user_id: &str, code: Option<&str>) -> Result<()> {
        if !self.has_totp(user_id).await? {
            return Err(StoreError::invalid(
                "code",
                "两步验证未启用 / two-step sign-in is not on",
            ));
        }
        let mut w = WriteTx::begin(self).await?;
        if let Some(code) = code {
            let ok = self.totp_check_in(&mut w, user_id, code).await?;
            if !ok {
                return Err(bad_code());
            }
        }
        sqlx::query(
            "UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL WHERE id = $1",
        )
        .bind(user_id)
        .execute(&mut *w.tx)
        .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: None,
            action: "user.totp_disabled".into(),
            target: format!("user:{user_id}"),
            detail: serde_json::json!({"with_code": code.is_some()}),
        })
        .await?;
        Ok(())
    }

    /// Checks `code` against the user's confirmed secret inside `w`, recording the step so
    /// the code cannot be used again. A user without a secret passes.
    pub(crate) async fn totp_check_in(
        &self,
        w: &mut WriteTx,
        user_id: &str,
        code: &str,
    ) -> Result<bool> {
        let row = sqlx::query("SELECT totp_secret, totp_last_step FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *w.tx)
            .await?;
        let Some(row) = row else { return Ok(false) };
        let Some(secret) = row.try_get::<Option<String>, _>("totp_secret")? else {
            return Ok(true);
        };
        let last = row
            .try_get::<Option<i64>, _>("totp_last_step")?
            .and_then(|s| u64::try_from(s).ok());
        let Some(step) = accepted(&secret, code, self.now(), last) else {
            return Ok(false);
        };
        sqlx::query("UPDATE users SET totp_last_step = $1 WHERE id = $2")
            .bind(step as i64)
            .bind(user_id)
            .execute(&mut *w.tx)
            .await?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1, seed "12345678901234567890": the 8-digit codes' last six.
    #[test]
    fn the_rfc_6238_vectors_hold() {
        let seed = b"12345678901234567890";
        for (t, eight) in [
            (59, 94_287_082u32),
            (1_111_111_109, 7_081_804),
            (1_111_111_111, 14_050_471),
            (1_234_567_890, 89_005_924),
            (2_000_000_000, 69_279_037),
        ] {
            let step = step_of(Timestamp::from_second(t).unwrap());
            assert_eq!(code_at(seed, step), Some(eight % 1_000_000), "t = {t}");
        }
    }

    #[test]
    fn a_code_is_accepted_once_and_only_near_its_time() {
        let secret = BASE32_NOPAD.encode(b"12345678901234567890");
        let now = Timestamp::from_second(1_111_111_109).unwrap();
        let code = format!("{:06}", 7_081_804 % 1_000_000);
        let step = accepted(&secret, &code, now, None).expect("accepted");
        assert_eq!(accepted(&secret, &code, now, Some(step)), None, "not twice");
        let later = Timestamp::from_second(1_111_111_109 + 120).unwrap();
        assert_eq!(accepted(&secret, &code, later, None), None, "too late");
        assert_eq!(accepted(&secret, "12345", now, None), None, "six digits");
    }
}
