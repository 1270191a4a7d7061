//! Console accounts: passwords, sessions and sign-in rate limiting
//! (docs/decisions/0801-console-sessions.md).
//!
//! - Passwords are argon2id PHC strings in `users.password_hash` (NULL: API tokens only).
//! - A session is a random 32-byte secret handed to the browser in a cookie; only its
//!   SHA-256 is stored, with the user, a CSRF synchronizer token and an absolute expiry.
//! - Failed sign-ins are counted in `signin_failures`, so the limits survive a restart.
//!   Within [`SIGNIN_WINDOW_MINUTES`]: [`SIGNIN_LIMIT`] failures for one name from one
//!   address stop that pair (never the same account from elsewhere: an attacker cannot
//!   lock an administrator out); [`SIGNIN_SOURCE_LIMIT`] failures from one address, any
//!   names, stop that address; past [`SIGNIN_ACCOUNT_FREE`] failures for one name from
//!   anywhere, each further attempt on it waits longer (back-off, not a lock-out).
//! - Attempts on one name run one at a time (an in-process gate), so parallel tries cannot
//!   all read the count before any failure is written (decision 0922).
//! - Every sign-in, failed sign-in, sign-out and password change is audited in the same
//!   transaction as its change.

use jiff::{Timestamp, ToSpan, Unit};
use sqlx::Row;

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::orgs::{NewOrganisation, Organisation};
use crate::users::{orgs_of, principal_from, Principal, User};
use crate::{secret, Store};

/// Failed sign-ins allowed per (name, address) within the window.
pub const SIGNIN_LIMIT: i64 = 5;
/// Failed sign-ins allowed per address, whatever the names, within the window.
pub const SIGNIN_SOURCE_LIMIT: i64 = 30;
/// Failed sign-ins for one name, from anywhere, before each attempt on it is slowed.
pub const SIGNIN_ACCOUNT_FREE: i64 = 10;
/// The longest back-off of one attempt, in milliseconds.
pub const SIGNIN_BACKOFF_MAX_MS: u64 = 8_000;

/// One gate per account name being signed in to.
#[derive(Debug, Default)]
pub struct Gates(
    std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<tokio::sync::Mutex<()>>>>,
);

impl Gates {
    fn of(&self, name: &str) -> std::sync::Arc<tokio::sync::Mutex<()>> {
        // ok: a poisoned map only means another attempt panicked; the map is still usable.
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // Drop gates nobody holds, so the map does not grow with every name ever tried.
        map.retain(|_, g| std::sync::Arc::strong_count(g) > 1);
        std::sync::Arc::clone(map.entry(name.to_string()).or_default())
    }
}
/// The rate-limiting window, in minutes.
pub const SIGNIN_WINDOW_MINUTES: i64 = 15;
/// How long a session lasts from sign-in (absolute, not sliding), in hours.
pub const SESSION_HOURS: i64 = 8;
/// The shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// What `Principal::token_id` says for a principal reached through a session.
pub const SESSION_TOKEN_ID: &str = "session";

/// A live session, as the console needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// SHA-256 of the cookie's secret (the row id).
    pub id_hash: String,
    pub user_id: String,
    /// The synchronizer token every unsafe request must carry.
    pub csrf: String,
    pub expires_at: String,
}

/// The outcome of a sign-in attempt.
#[derive(Debug)]
pub enum SignIn {
    /// Signed in: the cookie value (shown once, never stored), the session and the user.
    Ok {
        cookie: String,
        session: Session,
        principal: Principal,
    },
    /// Wrong name or password (the same answer for both).
    Wrong,
    /// Too many failures for this name from this address; try again after `until`.
    Limited { until: String },
}

/// Now, to the second, in the stored format (so text comparison is time order).
fn now_s() -> Timestamp {
    Timestamp::now()
        .round(Unit::Second)
        .unwrap_or(Timestamp::now()) // ok: rounding a valid timestamp
}

/// Checks a new password: at least [`MIN_PASSWORD_CHARS`] characters, not only spaces,
/// and not common, repeated or a run of keys (`password_policy`).
pub fn check_password(password: &str) -> Result<()> {
    if password.trim().chars().count() < MIN_PASSWORD_CHARS {
        return Err(StoreError::invalid(
            "password",
            format!(
                "must be at least {MIN_PASSWORD_CHARS} characters (密码至少{MIN_PASSWORD_CHARS}个字符)"
            ),
        ));
    }
    if password.chars().count() > 200 {
        return Err(StoreError::invalid(
            "password",
            "must be at most 200 characters (密码最多200个字符)",
        ));
    }
    crate::password_policy::check_strength(password)
}

/// A hash of a random secret, checked against when the user does not exist (or has no
/// password) so a wrong name costs the same time as a wrong password.
fn dummy_phc() -> String {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY
        .get_or_init(|| {
            secret::random_hex(16)
                .and_then(|s| secret::hash_secret(&s))
                .unwrap_or_default()
        })
        .clone()
}

impl Store {
    /// Sets (or replaces) a user's console password. Ends the user's sessions and revokes
    /// its API tokens (issue: a reset must cut every way in).
    pub async fn set_password(&self, actor: &str, user_id: &str, password: &str) -> Result<()> {
        check_password(password)?;
        let phc = secret::hash_secret_blocking(password.to_string()).await?;
        let mut w = WriteTx::begin(self).await?;
        let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(&phc)
            .bind(user_id)
            .execute(&mut *w.tx)
            .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::not_found("user", user_id));
        }
        sqlx::query("UPDATE sessions SET ended_at = $1 WHERE user_id = $2 AND ended_at IS NULL")
            .bind(now_s().to_string())
            .bind(user_id)
            .execute(&mut *w.tx)
            .await?;
        // A reset password means the old one may be known: the API tokens go too.
        let revoked = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
        )
        .bind(now_s().to_string())
        .bind(user_id)
        .execute(&mut *w.tx)
        .await?
        .rows_affected();
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: None,
            action: "user.password".into(),
            target: format!("user:{user_id}"),
            detail: serde_json::json!({"tokens_revoked": revoked}),
        })
        .await?;
        self.tokens.clear();
        Ok(())
    }

    /// Signs `name` in with `password` from address `ip`: rate-limited, audited. A user with
    /// a second factor cannot sign in this way (see [`Store::sign_in_with_code`]).
    pub async fn sign_in(&self, name: &str, password: &str, ip: &str) -> Result<SignIn> {
        self.sign_in_with_code(name, password, "", ip).await
    }

    /// [`Store::sign_in`] with the code of the user's second factor (TOTP, decision 0938),
    /// checked only after the password and answered like a wrong password when it fails,
    /// so a guesser learns nothing about which was wrong.
    pub async fn sign_in_with_code(
        &self,
        name: &str,
        password: &str,
        code: &str,
        ip: &str,
    ) -> Result<SignIn> {
        let name = name.trim();
        let gate = self.signin_gates.of(name);
        let _turn = gate.lock().await;
        let now = now_s();
        let since = now
            .checked_sub(SIGNIN_WINDOW_MINUTES.minutes())
            .map_err(|e| StoreError::Hash(e.to_string()))?;
        let failures = sqlx::query(
            "SELECT at FROM signin_failures WHERE name = $1 AND ip = $2 AND at > $3 ORDER BY at",
        )
        .bind(name)
        .bind(ip)
        .bind(since.to_string())
        .fetch_all(&self.pool)
        .await?;
        let from_source = self
            .failures_since(
                "SELECT COUNT(*) FROM signin_failures WHERE ip = $1 AND at > $2",
                ip,
                since,
            )
            .await?;
        let on_account = self
            .failures_since(
                "SELECT COUNT(*) FROM signin_failures WHERE name = $1 AND at > $2",
                name,
                since,
            )
            .await?;
        if failures.len() as i64 >= SIGNIN_LIMIT || from_source >= SIGNIN_SOURCE_LIMIT {
            let oldest: String = match failures.first() {
                Some(r) if failures.len() as i64 >= SIGNIN_LIMIT => r.try_get("at")?,
                _ => now.to_string(),
            };
            let until = oldest
                .parse::<Timestamp>()
                .ok()
                .and_then(|t| t.checked_add(SIGNIN_WINDOW_MINUTES.minutes()).ok())
                .map(|t| t.to_string())
                .unwrap_or_default();
            // Anonymous and repeatable at will: counted, not written one by one (denials.rs).
            let reason = format!("too many failed sign-ins for {name} until {until}");
            self.deny_anonymous(crate::AnonymousDenial {
                action: "signin.limited",
                source: ip,
                request: "POST /signin",
                status: 429,
                reason: &reason,
            })
            .await?;
            return Ok(SignIn::Limited { until });
        }
        // Back-off on an account attacked from many addresses: slower, never locked.
        if on_account >= SIGNIN_ACCOUNT_FREE {
            let steps = (on_account - SIGNIN_ACCOUNT_FREE).min(16) as u32;
            let ms = (250u64 << steps).min(SIGNIN_BACKOFF_MAX_MS);
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        }
        let row =
            sqlx::query("SELECT id, password_hash FROM users WHERE name = $1 AND disabled = 0")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
        let (user_id, phc) = match row {
            Some(r) => (
                Some(r.try_get::<String, _>("id")?),
                r.try_get::<Option<String>, _>("password_hash")?,
            ),
            None => (None, None),
        };
        let ok = secret::verify_secret_blocking(
            password.to_string(),
            phc.clone().unwrap_or_else(dummy_phc),
        )
        .await
            && phc.is_some();
        let mut w = WriteTx::begin(self).await?;
        let ok = match (&user_id, ok) {
            (Some(u), true) => self.totp_check_in(&mut w, u, code).await?,
            _ => false,
        };
        let Some(user_id) = user_id.filter(|_| ok) else {
            sqlx::query("INSERT INTO signin_failures (id, name, ip, at) VALUES ($1, $2, $3, $4)")
                .bind(secret::new_id()?)
                .bind(name)
                .bind(ip)
                .bind(now.to_string())
                .execute(&mut *w.tx)
                .await?;
            w.commit(AuditRecord {
                actor: format!("anonymous {ip}"),
                org_id: None,
                action: "signin.failed".into(),
                target: format!("user-name:{name}"),
                detail: serde_json::json!({"ip": ip, "failures": failures.len() + 1}),
            })
            .await?;
            return Ok(SignIn::Wrong);
        };
        let cookie = secret::random_hex(32)?;
        let session = Session {
            id_hash: secret::sha256_hex(&cookie),
            user_id: user_id.clone(),
            csrf: secret::random_hex(32)?,
            expires_at: now
                .checked_add(SESSION_HOURS.hours())
                .map_err(|e| StoreError::Hash(e.to_string()))?
                .to_string(),
        };
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, csrf, ip, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&session.id_hash)
        .bind(&user_id)
        .bind(&session.csrf)
        .bind(ip)
        .bind(now.to_string())
        .bind(&session.expires_at)
        .execute(&mut *w.tx)
        .await?;
        sqlx::query("DELETE FROM signin_failures WHERE name = $1 AND ip = $2")
            .bind(name)
            .bind(ip)
            .execute(&mut *w.tx)
            .await?;
        let principal = self.principal_in(&mut w, &user_id).await?;
        w.commit(AuditRecord {
            actor: principal.actor(),
            org_id: None,
            action: "signin".into(),
            target: format!("user:{user_id}"),
            detail: serde_json::json!({"ip": ip, "session": &session.id_hash[..16], "expires": session.expires_at}),
        })
        .await?;
        Ok(SignIn::Ok {
            cookie,
            session,
            principal,
        })
    }

    /// A count of failed sign-ins by one key (`sql` binds the key, then the window start).
    async fn failures_since(&self, sql: &'static str, key: &str, since: Timestamp) -> Result<i64> {
        let row = sqlx::query(sql)
            .bind(key)
            .bind(since.to_string())
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<i64, _>(0)?)
    }

    async fn principal_in(&self, w: &mut WriteTx, user_id: &str) -> Result<Principal> {
        let row = sqlx::query("SELECT name, role FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&mut *w.tx)
            .await?;
        let orgs = orgs_of(&mut *w.tx, user_id).await?;
        let role: String = row.try_get("role")?;
        principal_from(user_id, row.try_get("name")?, &role, orgs, SESSION_TOKEN_ID)
    }

    /// The principal and session a session cookie stands for, or None when it is unknown,
    /// ended, expired, or its user is disabled.
    pub async fn session(&self, cookie: &str) -> Result<Option<(Principal, Session)>> {
        if cookie.len() != 64 || !cookie.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let id_hash = secret::sha256_hex(cookie);
        let row = sqlx::query(
            "SELECT s.user_id, s.csrf, s.expires_at, u.name, u.role FROM sessions s \
             JOIN users u ON u.id = s.user_id \
             WHERE s.id_hash = $1 AND s.ended_at IS NULL AND u.disabled = 0",
        )
        .bind(&id_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let expires_at: String = row.try_get("expires_at")?;
        if expires_at.as_str() <= now_s().to_string().as_str() {
            return Ok(None);
        }
        let user_id: String = row.try_get("user_id")?;
        let orgs = orgs_of(&self.pool, &user_id).await?;
        let role: String = row.try_get("role")?;
        let principal = principal_from(
            &user_id,
            row.try_get("name")?,
            &role,
            orgs,
            SESSION_TOKEN_ID,
        )?;
        Ok(Some((
            principal,
            Session {
                id_hash,
                user_id,
                csrf: row.try_get("csrf")?,
                expires_at,
            },
        )))
    }

    /// Ends a session (sign-out), audited.
    pub async fn end_session(&self, actor: &str, id_hash: &str) -> Result<()> {
        let mut w = WriteTx::begin(self).await?;
        sqlx::query("UPDATE sessions SET ended_at = $1 WHERE id_hash = $2 AND ended_at IS NULL")
            .bind(now_s().to_string())
            .bind(id_hash)
            .execute(&mut *w.tx)
            .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: None,
            action: "signout".into(),
            target: format!("session:{}", id_hash.get(..16).unwrap_or(id_hash)),
            detail: serde_json::json!({}),
        })
        .await
        .map(|_| ())
    }

    /// First run from the console: checks the one-time setup token, then creates the first
    /// administrator with a password and the first organisation. Fails with NotFound when
    /// the token is wrong or an administrator exists; with Invalid (before the token is
    /// used) when a name or the password is unacceptable.
    pub async fn complete_console_setup(
        &self,
        setup_token: &str,
        admin_name: &str,
        password: &str,
        org_name: &str,
    ) -> Result<(User, Organisation)> {
        check_password(password)?;
        for (field, value) in [("administrator", admin_name), ("organisation", org_name)] {
            let n = value.trim().chars().count();
            if n == 0 || n > 200 {
                return Err(StoreError::invalid(
                    field,
                    "must be 1 to 200 characters (长度须为1至200个字符)",
                ));
            }
        }
        let user = self
            .setup_administrator(
                setup_token.trim(),
                admin_name,
                serde_json::json!({"administrator": admin_name.trim(), "via": "console"}),
            )
            .await?;
        self.set_password("setup", &user.id, password).await?;
        let org = self
            .create_org(
                &format!("user:{} {}", user.id, user.name),
                NewOrganisation {
                    name: org_name.to_string(),
                },
            )
            .await?;
        Ok((user, org))
    }
}
