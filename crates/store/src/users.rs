//! Users, their roles and organisations, and the one-time setup token (API tokens:
//! `tokens.rs`).

use serde::{Deserialize, Serialize};
use sqlx::{Any, Row};

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::profile::{from_text, to_text};
use crate::secret;
use crate::{now_rfc3339, Store};

/// What a user is. Which organisations it acts for is in [`User::orgs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, every organisation; manages organisations, users and tokens.
    Administrator,
    /// A network operator (网络运营者): reads and changes its one organisation's data.
    Operator,
    /// An assessment body (测评机构): reads the organisations that engaged it, records
    /// events (assessed) and evidence (findings).
    Assessor,
    /// A public-security supervisor (公安机关): reads the organisations filed in its
    /// jurisdiction, records events (reviewed, certified).
    Supervisor,
    /// Read-only across every organisation, including the audit log.
    Auditor,
}

/// A user as shown by the API (never with a secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct User {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub orgs: Vec<String>,
    pub created_at: String,
    /// Disabled: no sign-in, no session, no token (`set_user_disabled`).
    #[serde(default)]
    pub disabled: bool,
}

/// Who is making a request: a user, reached through one of its tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Principal {
    pub user_id: String,
    pub name: String,
    pub role: Role,
    pub orgs: Vec<String>,
    pub token_id: String,
}

impl Principal {
    /// How the audit log names this principal.
    pub fn actor(&self) -> String {
        format!("user:{} {}", self.user_id, self.name)
    }
}

/// A new user: name, role and the organisations it acts for.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub name: String,
    pub role: Role,
    #[serde(default)]
    pub orgs: Vec<String>,
}

/// A freshly issued token; `token` is shown once and never stored.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IssuedToken {
    pub id: String,
    pub user_id: String,
    pub label: String,
    pub token: String,
    /// When it stops working (RFC 3339), if ever.
    pub expires_at: Option<String>,
}

/// A stored role name as a [`Role`]; an unknown one is a corrupt `users` row.
fn role_from_text(user_id: &str, role: &str) -> Result<Role> {
    from_text(role).ok_or_else(|| StoreError::Corrupt {
        table: "users",
        id: user_id.to_string(),
        message: format!("unknown role {role:?}"),
    })
}

/// The principal for a user row, reached through token `token_id`.
pub(crate) fn principal_from(
    user_id: &str,
    name: String,
    role: &str,
    orgs: Vec<String>,
    token_id: &str,
) -> Result<Principal> {
    Ok(Principal {
        role: role_from_text(user_id, role)?,
        user_id: user_id.to_string(),
        name,
        orgs,
        token_id: token_id.to_string(),
    })
}

/// The organisations `user_id` acts for, in id order.
pub(crate) async fn orgs_of<'e, E>(exec: E, user_id: &str) -> Result<Vec<String>>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    Ok(
        sqlx::query("SELECT org_id FROM user_orgs WHERE user_id = $1 ORDER BY org_id")
            .bind(user_id)
            .fetch_all(exec)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>("org_id"))
            .collect::<std::result::Result<Vec<_>, _>>()?,
    )
}

impl Store {
    /// Creates a user. Operators must name exactly one organisation; assessors and
    /// supervisors any number; administrators and auditors none (they see all).
    pub async fn create_user(&self, actor: &str, new: NewUser) -> Result<User> {
        let name = crate::text::name("name", &new.name, 200)?;
        let mut orgs = new.orgs.clone();
        orgs.sort();
        orgs.dedup();
        match new.role {
            Role::Operator if orgs.len() != 1 => {
                return Err(StoreError::invalid(
                    "orgs",
                    "an operator belongs to exactly one organisation (运营者只能属于一个单位)",
                ))
            }
            Role::Administrator | Role::Auditor if !orgs.is_empty() => {
                return Err(StoreError::invalid(
                    "orgs",
                    "administrators and auditors see every organisation; leave orgs empty",
                ))
            }
            _ => {}
        }
        let mut w = WriteTx::begin(self).await?;
        for org in &orgs {
            let found = sqlx::query("SELECT id FROM organisations WHERE id = $1")
                .bind(org)
                .fetch_optional(&mut *w.tx)
                .await?;
            if found.is_none() {
                return Err(StoreError::invalid(
                    "orgs",
                    format!("no organisation {org}"),
                ));
            }
        }
        let taken = sqlx::query("SELECT id FROM users WHERE name = $1")
            .bind(&name)
            .fetch_optional(&mut *w.tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Conflict {
                what: "user",
                value: name,
            });
        }
        let user = User {
            id: secret::new_id()?,
            name,
            role: new.role,
            orgs,
            created_at: now_rfc3339(),
            disabled: false,
        };
        sqlx::query(
            "INSERT INTO users (id, name, role, disabled, created_at) VALUES ($1, $2, $3, 0, $4)",
        )
        .bind(&user.id)
        .bind(&user.name)
        .bind(to_text(&user.role))
        .bind(&user.created_at)
        .execute(&mut *w.tx)
        .await?;
        for org in &user.orgs {
            sqlx::query("INSERT INTO user_orgs (user_id, org_id) VALUES ($1, $2)")
                .bind(&user.id)
                .bind(org)
                .execute(&mut *w.tx)
                .await?;
        }
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: None,
            action: "user.create".into(),
            target: format!("user:{}", user.id),
            detail: serde_json::json!({"name": user.name, "role": user.role, "orgs": user.orgs}),
        })
        .await?;
        self.tokens.clear();
        Ok(user)
    }

    pub async fn list_users(&self) -> Result<Vec<User>> {
        let rows =
            sqlx::query("SELECT id, name, role, created_at, disabled FROM users ORDER BY name")
                .fetch_all(&self.pool)
                .await?;
        let grants = sqlx::query("SELECT user_id, org_id FROM user_orgs ORDER BY org_id")
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let id: String = row.try_get("id")?;
            let role: String = row.try_get("role")?;
            let orgs = grants
                .iter()
                .filter(|g| g.try_get::<String, _>("user_id").ok().as_deref() == Some(id.as_str()))
                .filter_map(|g| g.try_get::<String, _>("org_id").ok())
                .collect();
            out.push(User {
                role: role_from_text(&id, &role)?,
                id,
                name: row.try_get("name")?,
                orgs,
                created_at: row.try_get("created_at")?,
                disabled: row.try_get::<i64, _>("disabled")? != 0,
            });
        }
        Ok(out)
    }

    /// Disables a user, or enables one again. Disabling ends every session and revokes every
    /// API token of the user in the same transaction, so access stops at once; the last
    /// active administrator cannot be disabled (nobody could enable anyone again).
    pub async fn set_user_disabled(
        &self,
        actor: &str,
        user_id: &str,
        disabled: bool,
    ) -> Result<()> {
        let mut w = WriteTx::begin(self).await?;
        let row = sqlx::query("SELECT role, disabled FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *w.tx)
            .await?
            .ok_or_else(|| StoreError::not_found("user", user_id))?;
        let role: String = row.try_get("role")?;
        if disabled && role == "administrator" {
            let others = sqlx::query(
                "SELECT COUNT(*) AS n FROM users WHERE role = 'administrator' AND disabled = 0 AND id <> $1",
            )
            .bind(user_id)
            .fetch_one(&mut *w.tx)
            .await?;
            if others.try_get::<i64, _>("n")? == 0 {
                return Err(StoreError::invalid(
                    "user",
                    "the last active administrator cannot be disabled (最后一名管理员不能停用)",
                ));
            }
        }
        let now = now_rfc3339();
        // A literal, not a bound integer: the column is INTEGER on both backends.
        let sql = if disabled {
            "UPDATE users SET disabled = 1 WHERE id = $1"
        } else {
            "UPDATE users SET disabled = 0 WHERE id = $1"
        };
        sqlx::query(sql).bind(user_id).execute(&mut *w.tx).await?;
        let (mut sessions, mut tokens) = (0, 0);
        if disabled {
            sessions = sqlx::query(
                "UPDATE sessions SET ended_at = $1 WHERE user_id = $2 AND ended_at IS NULL",
            )
            .bind(&now)
            .bind(user_id)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
            tokens = sqlx::query(
                "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
            )
            .bind(&now)
            .bind(user_id)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
        }
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: None,
            action: if disabled {
                "user.disable"
            } else {
                "user.enable"
            }
            .into(),
            target: format!("user:{user_id}"),
            detail: serde_json::json!({"sessions_ended": sessions, "tokens_revoked": tokens}),
        })
        .await?;
        self.tokens.clear();
        Ok(())
    }

    /// Whether an administrator exists.
    pub async fn has_administrator(&self) -> Result<bool> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM users WHERE role = 'administrator' AND disabled = 0",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get::<i64, _>("n")? > 0)
    }

    /// While no administrator exists: replaces any earlier setup token with a new one and
    /// returns it (`dbs_<secret>`), to be shown once on the server's console. Returns None
    /// once an administrator exists.
    pub async fn issue_setup_token(&self) -> Result<Option<String>> {
        if self.has_administrator().await? {
            return Ok(None);
        }
        let secret = secret::random_hex(32)?;
        let hash = secret::hash_secret_blocking(secret.clone()).await?;
        let mut w = WriteTx::begin(self).await?;
        sqlx::query("DELETE FROM setup_tokens")
            .execute(&mut *w.tx)
            .await?;
        sqlx::query("INSERT INTO setup_tokens (id, secret_hash, created_at) VALUES ($1, $2, $3)")
            .bind(secret::new_id()?)
            .bind(&hash)
            .bind(now_rfc3339())
            .execute(&mut *w.tx)
            .await?;
        w.commit(AuditRecord {
            actor: "setup".into(),
            org_id: None,
            action: "setup.token_issued".into(),
            target: "setup".into(),
            detail: serde_json::json!({}),
        })
        .await?;
        Ok(Some(format!("dbs_{secret}")))
    }

    /// Uses the setup token once: creates the first administrator and its API token.
    /// Fails (NotFound) when the token is wrong or an administrator already exists.
    pub async fn complete_setup(
        &self,
        setup_token: &str,
        admin_name: &str,
    ) -> Result<(User, IssuedToken)> {
        let user = self
            .setup_administrator(
                setup_token,
                admin_name,
                serde_json::json!({"administrator": admin_name}),
            )
            .await?;
        let token = self.create_token("setup", &user.id, "setup").await?;
        Ok((user, token))
    }

    /// Checks the one-time setup token, consumes it (audited as `setup.token_used` with
    /// `detail`) and creates the first administrator, `admin_name`. NotFound when the token
    /// is wrong or an administrator already exists.
    pub(crate) async fn setup_administrator(
        &self,
        setup_token: &str,
        admin_name: &str,
        detail: serde_json::Value,
    ) -> Result<User> {
        let secret = setup_token
            .strip_prefix("dbs_")
            .unwrap_or_default()
            .to_string();
        let row = sqlx::query("SELECT id, secret_hash FROM setup_tokens")
            .fetch_optional(&self.pool)
            .await?;
        let (ok, id) = match row {
            Some(r) if !secret.is_empty() => {
                let id: String = r.try_get("id")?;
                let phc = r.try_get("secret_hash")?;
                (secret::verify_secret_blocking(secret, phc).await, id)
            }
            _ => (false, String::new()),
        };
        if !ok || self.has_administrator().await? {
            return Err(StoreError::not_found("setup token", "(hidden)"));
        }
        // Consume the token first: of two concurrent attempts only one deletes it.
        let mut w = WriteTx::begin(self).await?;
        let used = sqlx::query("DELETE FROM setup_tokens WHERE id = $1")
            .bind(&id)
            .execute(&mut *w.tx)
            .await?;
        if used.rows_affected() != 1 {
            return Err(StoreError::not_found("setup token", "(hidden)"));
        }
        w.commit(AuditRecord {
            actor: "setup".into(),
            org_id: None,
            action: "setup.token_used".into(),
            target: "setup".into(),
            detail,
        })
        .await?;
        let user = self
            .create_user(
                "setup",
                NewUser {
                    name: admin_name.to_string(),
                    role: Role::Administrator,
                    orgs: vec![],
                },
            )
            .await?;
        Ok(user)
    }
}
