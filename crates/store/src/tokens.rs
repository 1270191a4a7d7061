//! API tokens: issued with an optional expiry, listed for their owner and for
//! administrators, revoked by either (decision 0923).
//!
//! A token is `dbk_<id>_<secret>`; the database keeps only the HMAC-SHA256 of the secret
//! with the token key derived from `keys/server.key` (`hmac-sha256:<hex>`). Tokens issued
//! before that carry an argon2id PHC string and keep working. A token is refused when it is
//! unknown, revoked, past its expiry, or its user is disabled.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use jiff::{civil::Date, Timestamp, ToSpan};
use serde::Serialize;
use sqlx::Row;

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::keys::{same, TOKEN_DIGEST_PREFIX};
use crate::users::{orgs_of, principal_from, IssuedToken, Principal};
use crate::{now_rfc3339, secret, Store};

/// Tokens verified recently, so a request does not look its token up each time. Holds only
/// the SHA-256 of the secret and the expiry. Revocation and account changes clear it.
#[derive(Default)]
pub struct TokenCache {
    entries: Mutex<HashMap<String, Cached>>,
    /// When this process last wrote each token's `last_used_at`.
    used: Mutex<HashMap<String, Instant>>,
}

struct Cached {
    secret_sha: String,
    principal: Principal,
    expires_at: Option<String>,
    at: Instant,
}

const TOKEN_CACHE_TTL: Duration = Duration::from_secs(60);

/// A token's `last_used_at` is written at most this often per process, so a script calling
/// the API in a loop does not cause a write per request.
pub const LAST_USED_EVERY: Duration = Duration::from_secs(60);

impl TokenCache {
    fn get(&self, id: &str, secret_sha: &str) -> Option<Principal> {
        let map = self.entries.lock().ok()?;
        let c = map.get(id)?;
        let live = !c.expires_at.as_deref().is_some_and(expired);
        (c.secret_sha == secret_sha && c.at.elapsed() < TOKEN_CACHE_TTL && live)
            .then(|| c.principal.clone())
    }
    fn put(&self, id: &str, c: Cached) {
        if let Ok(mut map) = self.entries.lock() {
            map.insert(id.to_string(), c);
        }
    }
    pub(crate) fn clear(&self) {
        if let Ok(mut map) = self.entries.lock() {
            map.clear();
        }
    }
    /// Whether `id`'s use should be written now (and, if so, notes that it was).
    fn use_due(&self, id: &str) -> bool {
        let Ok(mut map) = self.used.lock() else {
            return true;
        };
        if map.get(id).is_some_and(|at| at.elapsed() < LAST_USED_EVERY) {
            return false;
        }
        if map.len() > 100_000 {
            map.retain(|_, at| at.elapsed() < LAST_USED_EVERY);
        }
        map.insert(id.to_string(), Instant::now());
        true
    }
}

/// Whether a stored expiry has passed (an unreadable one counts as passed).
fn expired(expires_at: &str) -> bool {
    expires_at
        .parse::<Timestamp>()
        .map_or(true, |t| t <= Timestamp::now())
}

/// A token as listed (never with its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TokenInfo {
    pub id: String,
    pub user_id: String,
    /// The owner's name.
    pub user_name: String,
    pub label: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
    /// When the token was last used to authenticate (RFC 3339; written at most once a
    /// minute, so it may be up to a minute behind); `None`: never since it was recorded.
    pub last_used: Option<String>,
    /// `active`, `expired` or `revoked`.
    pub state: String,
}

/// The longest a token may be issued for.
pub const MAX_TOKEN_DAYS: i64 = 3660;

/// An expiry as typed: an RFC 3339 time, or a date `YYYY-MM-DD` meaning through the end of
/// that day in Asia/Shanghai. It must lie in the future and within [`MAX_TOKEN_DAYS`].
pub fn parse_expiry(text: &str) -> Result<Timestamp> {
    let text = text.trim();
    let bad = || {
        StoreError::invalid(
            "expires_at",
            format!(
                "{text:?} is not a date like 2027-06-30 or a time like 2027-06-30T18:00:00+08:00 (有效期格式应为日期或时间)"
            ),
        )
    };
    let at = match text.parse::<Timestamp>() {
        Ok(t) => t,
        Err(_) => {
            let day: Date = text.parse().map_err(|_| bad())?;
            day.checked_add(1.day())
                .map_err(|_| bad())?
                .to_datetime(jiff::civil::Time::midnight())
                .in_tz("Asia/Shanghai")
                .map_err(|_| bad())?
                .timestamp()
        }
    };
    let now = Timestamp::now();
    if at <= now {
        return Err(StoreError::invalid(
            "expires_at",
            format!("{text} is not in the future (有效期须晚于现在)"),
        ));
    }
    let latest = now
        .checked_add((MAX_TOKEN_DAYS * 24).hours())
        .map_err(|_| bad())?;
    if at > latest {
        return Err(StoreError::invalid(
            "expires_at",
            format!(
                "{text} is more than {MAX_TOKEN_DAYS} days away (有效期最长{MAX_TOKEN_DAYS}天)"
            ),
        ));
    }
    Ok(at)
}

impl Store {
    /// Issues an API token for `user_id` that never expires. The returned `token` is the
    /// only copy.
    pub async fn create_token(
        &self,
        actor: &str,
        user_id: &str,
        label: &str,
    ) -> Result<IssuedToken> {
        self.create_token_until(actor, user_id, label, None).await
    }

    /// Issues an API token for `user_id`, refused from `expires_at` on when given.
    pub async fn create_token_until(
        &self,
        actor: &str,
        user_id: &str,
        label: &str,
        expires_at: Option<Timestamp>,
    ) -> Result<IssuedToken> {
        if label.chars().count() > 200 {
            return Err(StoreError::invalid(
                "label",
                "must be at most 200 characters (最多200个字符)",
            ));
        }
        let expires_at = expires_at.map(|t| t.to_string());
        let (id, secret, shown) = secret::new_token()?;
        let digest = self.keys.token_digest(&secret);
        let mut w = WriteTx::begin(self).await?;
        let user = sqlx::query("SELECT id FROM users WHERE id = $1 AND disabled = 0")
            .bind(user_id)
            .fetch_optional(&mut *w.tx)
            .await?;
        if user.is_none() {
            return Err(StoreError::not_found("user", user_id));
        }
        sqlx::query(
            "INSERT INTO api_tokens (id, user_id, label, secret_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(user_id)
        .bind(label)
        .bind(&digest)
        .bind(now_rfc3339())
        .bind(&expires_at)
        .execute(&mut *w.tx)
        .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: None,
            action: "token.create".into(),
            target: format!("token:{id}"),
            detail: serde_json::json!({"user": user_id, "label": label, "expires_at": expires_at}),
        })
        .await?;
        Ok(IssuedToken {
            id,
            user_id: user_id.to_string(),
            label: label.to_string(),
            token: shown,
            expires_at,
        })
    }

    /// Tokens, newest first: of one user, or of every user (`None`, for administrators).
    pub async fn list_tokens(&self, user_id: Option<&str>) -> Result<Vec<TokenInfo>> {
        let sql =
            "SELECT t.id, t.user_id, u.name, t.label, t.created_at, t.expires_at, t.revoked_at, t.last_used_at \
                   FROM api_tokens t JOIN users u ON u.id = t.user_id \
                   WHERE $1 = '' OR t.user_id = $1 ORDER BY t.created_at DESC, t.id";
        let rows = sqlx::query(sql)
            .bind(user_id.unwrap_or_default())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let expires_at: Option<String> = r.try_get("expires_at")?;
                let revoked_at: Option<String> = r.try_get("revoked_at")?;
                let state = if revoked_at.is_some() {
                    "revoked"
                } else if expires_at.as_deref().is_some_and(expired) {
                    "expired"
                } else {
                    "active"
                };
                Ok(TokenInfo {
                    id: r.try_get("id")?,
                    user_id: r.try_get("user_id")?,
                    user_name: r.try_get("name")?,
                    label: r.try_get("label")?,
                    created_at: r.try_get("created_at")?,
                    expires_at,
                    revoked_at,
                    last_used: r.try_get("last_used_at")?,
                    state: state.into(),
                })
            })
            .collect()
    }

    /// Whose token `token_id` is (None: no such token).
    pub async fn token_owner(&self, token_id: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT user_id FROM api_tokens WHERE id = $1")
            .bind(token_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("user_id")).transpose()?)
    }

    /// Revokes a token at once (in this process; other processes within a minute).
    pub async fn revoke_token(&self, actor: &str, token_id: &str) -> Result<()> {
        let mut w = WriteTx::begin(self).await?;
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(now_rfc3339())
        .bind(token_id)
        .execute(&mut *w.tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found("token", token_id));
        }
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: None,
            action: "token.revoke".into(),
            target: format!("token:{token_id}"),
            detail: serde_json::json!({}),
        })
        .await?;
        self.tokens.clear();
        Ok(())
    }

    /// The principal a presented token stands for, or None when it is unknown, revoked,
    /// expired, malformed or its user is disabled.
    pub async fn authenticate(&self, token: &str) -> Result<Option<Principal>> {
        let Some((id, secret)) = secret::split_token(token) else {
            return Ok(None);
        };
        let secret_sha = secret::sha256_hex(secret);
        if let Some(p) = self.tokens.get(id, &secret_sha) {
            self.note_token_use(id).await?;
            return Ok(Some(p));
        }
        let row = sqlx::query(
            "SELECT t.secret_hash, t.expires_at, u.id AS user_id, u.name, u.role \
             FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.id = $1 AND t.revoked_at IS NULL AND u.disabled = 0",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let expires_at: Option<String> = row.try_get("expires_at")?;
        if expires_at.as_deref().is_some_and(expired) {
            return Ok(None);
        }
        let stored: String = row.try_get("secret_hash")?;
        let ok = if stored.starts_with(TOKEN_DIGEST_PREFIX) {
            same(&self.keys.token_digest(secret), &stored)
        } else {
            // Issued before tokens were keyed: argon2id, checked on a blocking thread.
            secret::verify_secret_blocking(secret.to_string(), stored).await
        };
        if !ok {
            return Ok(None);
        }
        let user_id: String = row.try_get("user_id")?;
        let role: String = row.try_get("role")?;
        let orgs = orgs_of(&self.pool, &user_id).await?;
        let p = principal_from(&user_id, row.try_get("name")?, &role, orgs, id)?;
        self.tokens.put(
            id,
            Cached {
                secret_sha,
                principal: p.clone(),
                expires_at,
                at: Instant::now(),
            },
        );
        self.note_token_use(id).await?;
        Ok(Some(p))
    }

    /// Records that token `id` was just used, unless this process did so within
    /// [`LAST_USED_EVERY`]. Bookkeeping, not a change anyone made: no audit entry.
    async fn note_token_use(&self, id: &str) -> Result<()> {
        if !self.tokens.use_due(id) {
            return Ok(());
        }
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now_rfc3339())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
