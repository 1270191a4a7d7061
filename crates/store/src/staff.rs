//! The people of an organisation and the key posts of its networks (人员与关键岗位,
//! decision 1502).
//!
//! Only what the duties need is kept: name, position, whether the person holds a key post
//! (关键岗位, 网络安全法 第三十四条第（一）项, 条例 第二十一条第（三）项) and the certificates
//! the person holds with their expiry (持证上岗). A network names which key-post people it
//! relies on; a training session must cover them to meet `csl.cii.training`
//! (see `training_sessions`). Every change writes its audit entry in the same transaction.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::{now_rfc3339, secret, Store};

/// What recording a person takes.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffInput {
    pub name: String,
    /// The position (岗位/职务) as the organisation names it.
    pub position: String,
    /// Whether the person holds a key post (关键岗位).
    #[serde(default)]
    pub key_post: bool,
}

/// A person of the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StaffMember {
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub position: String,
    pub key_post: bool,
    pub certificates: Vec<Certificate>,
}

/// What recording a certificate takes.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificateInput {
    /// The certificate (CISP, 网络安全等级测评师 …).
    pub name: String,
    /// Its number, when the record keeps it.
    #[serde(default)]
    pub number: Option<String>,
    pub issuer: String,
    /// The last day it is valid, `YYYY-MM-DD`.
    pub expires_on: String,
}

/// A certificate a person holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Certificate {
    pub id: String,
    pub staff_id: String,
    pub name: String,
    pub number: Option<String>,
    pub issuer: String,
    pub expires_on: String,
}

/// A key post of a network and who holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct KeyPost {
    pub network_id: String,
    pub staff_id: String,
    pub staff_name: String,
    /// The post (系统管理员, 安全管理员, 审计管理员 …).
    pub post: String,
}

/// What naming a key post of a network takes.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyPostInput {
    pub staff_id: String,
    pub post: String,
}

/// A date `YYYY-MM-DD`, refused naming the field otherwise.
pub(crate) fn day(field: &'static str, s: &str) -> Result<String> {
    let s = s.trim();
    match s.parse::<jiff::civil::Date>() {
        Ok(d) if s.len() == 10 => Ok(d.to_string()),
        _ => Err(StoreError::invalid(
            field,
            format!("{s:?} 不是有效日期（YYYY-MM-DD） / is not a date YYYY-MM-DD"),
        )),
    }
}

fn cert_of(r: &AnyRow) -> Result<Certificate> {
    Ok(Certificate {
        id: r.try_get("id")?,
        staff_id: r.try_get("staff_id")?,
        name: r.try_get("name")?,
        number: r.try_get("number")?,
        issuer: r.try_get("issuer")?,
        expires_on: r.try_get("expires_on")?,
    })
}

impl Store {
    /// The organisation of a person, or not found.
    pub async fn staff_org(&self, staff_id: &str) -> Result<String> {
        let row = sqlx::query("SELECT org_id FROM staff WHERE id = $1")
            .bind(staff_id)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => Ok(r.try_get("org_id")?),
            None => Err(StoreError::not_found("staff", staff_id)),
        }
    }

    /// Records a person of the organisation.
    pub async fn add_staff(
        &self,
        actor: &str,
        org_id: &str,
        input: StaffInput,
    ) -> Result<StaffMember> {
        let name = crate::text::name("name", &input.name, 100)?;
        let position = crate::text::name("position", &input.position, 100)?;
        let org = self.get_org(org_id).await?;
        let id = secret::new_id()?;
        let mut w = WriteTx::begin(self).await?;
        sqlx::query(
            "INSERT INTO staff (id, org_id, name, position, key_post, actor, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&id)
        .bind(&org.id)
        .bind(&name)
        .bind(&position)
        .bind(i64::from(input.key_post))
        .bind(actor)
        .bind(now_rfc3339())
        .execute(&mut *w.tx)
        .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org.id.clone()),
            action: "staff.add".into(),
            target: format!("staff:{id}"),
            detail: serde_json::json!({
                "name": name, "position": position, "key_post": input.key_post,
            }),
        })
        .await?;
        Ok(StaffMember {
            id,
            org_id: org.id,
            name,
            position,
            key_post: input.key_post,
            certificates: Vec::new(),
        })
    }

    /// Records a certificate of a person.
    pub async fn add_certificate(
        &self,
        actor: &str,
        staff_id: &str,
        input: CertificateInput,
    ) -> Result<Certificate> {
        let name = crate::text::name("name", &input.name, 200)?;
        let issuer = crate::text::name("issuer", &input.issuer, 200)?;
        let number = match input.number.as_deref().map(str::trim) {
            Some(n) if !n.is_empty() => Some(crate::text::name("number", n, 100)?),
            _ => None,
        };
        let expires_on = day("expires_on", &input.expires_on)?;
        let org = self.staff_org(staff_id).await?;
        let cert = Certificate {
            id: secret::new_id()?,
            staff_id: staff_id.to_string(),
            name,
            number,
            issuer,
            expires_on,
        };
        let mut w = WriteTx::begin(self).await?;
        sqlx::query(
            "INSERT INTO staff_certificates (id, staff_id, org_id, name, number, issuer, \
             expires_on, actor, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&cert.id)
        .bind(&cert.staff_id)
        .bind(&org)
        .bind(&cert.name)
        .bind(&cert.number)
        .bind(&cert.issuer)
        .bind(&cert.expires_on)
        .bind(actor)
        .bind(now_rfc3339())
        .execute(&mut *w.tx)
        .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org),
            action: "staff.certificate".into(),
            target: format!("staff:{staff_id}"),
            detail: serde_json::json!({
                "certificate": cert.id, "name": cert.name, "number": cert.number,
                "issuer": cert.issuer, "expires_on": cert.expires_on,
            }),
        })
        .await?;
        Ok(cert)
    }

    /// The organisation's people with their certificates, by name.
    pub async fn list_staff(&self, org_id: &str) -> Result<Vec<StaffMember>> {
        let rows = sqlx::query("SELECT * FROM staff WHERE org_id = $1 ORDER BY name, id")
            .bind(org_id)
            .fetch_all(&self.pool)
            .await?;
        let certs = sqlx::query(
            "SELECT * FROM staff_certificates WHERE org_id = $1 ORDER BY expires_on, id",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        let certs = certs.iter().map(cert_of).collect::<Result<Vec<_>>>()?;
        rows.iter()
            .map(|r| {
                let id: String = r.try_get("id")?;
                Ok(StaffMember {
                    certificates: certs.iter().filter(|c| c.staff_id == id).cloned().collect(),
                    org_id: r.try_get("org_id")?,
                    name: r.try_get("name")?,
                    position: r.try_get("position")?,
                    key_post: r.try_get::<i64, _>("key_post")? != 0,
                    id,
                })
            })
            .collect()
    }

    /// Names a key-post person of the network's organisation as holding a key post of the
    /// network. A person of another organisation, or one not marked as holding a key post,
    /// is refused naming `staff_id`.
    pub async fn set_key_post(
        &self,
        actor: &str,
        network_id: &str,
        input: KeyPostInput,
    ) -> Result<KeyPost> {
        let post = crate::text::name("post", &input.post, 100)?;
        let org = self
            .network_org(network_id)
            .await?
            .ok_or_else(|| StoreError::not_found("network", network_id))?;
        let person = sqlx::query("SELECT org_id, name, key_post FROM staff WHERE id = $1")
            .bind(input.staff_id.trim())
            .fetch_optional(&self.pool)
            .await?;
        let staff_name: String = match person {
            Some(r)
                if r.try_get::<String, _>("org_id")? == org
                    && r.try_get::<i64, _>("key_post")? != 0 =>
            {
                r.try_get("name")?
            }
            Some(r) if r.try_get::<String, _>("org_id")? == org => {
                return Err(StoreError::invalid(
                    "staff_id",
                    "此人未登记为关键岗位人员 / this person is not recorded as holding a key post",
                ))
            }
            _ => {
                return Err(StoreError::invalid(
                    "staff_id",
                    format!(
                        "本单位没有人员 {} / no person {} in this organisation",
                        input.staff_id, input.staff_id
                    ),
                ))
            }
        };
        let staff_id = input.staff_id.trim().to_string();
        let mut w = WriteTx::begin(self).await?;
        sqlx::query("DELETE FROM network_key_posts WHERE network_id = $1 AND staff_id = $2")
            .bind(network_id)
            .bind(&staff_id)
            .execute(&mut *w.tx)
            .await?;
        sqlx::query(
            "INSERT INTO network_key_posts (network_id, staff_id, post, actor, recorded_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(network_id)
        .bind(&staff_id)
        .bind(&post)
        .bind(actor)
        .bind(now_rfc3339())
        .execute(&mut *w.tx)
        .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org),
            action: "staff.key_post".into(),
            target: format!("network:{network_id}"),
            detail: serde_json::json!({ "staff": staff_id, "post": post }),
        })
        .await?;
        Ok(KeyPost {
            network_id: network_id.to_string(),
            staff_id,
            staff_name,
            post,
        })
    }

    /// The key posts of a network, by post.
    pub async fn list_key_posts(&self, network_id: &str) -> Result<Vec<KeyPost>> {
        let rows = sqlx::query(
            "SELECT k.network_id, k.staff_id, k.post, s.name FROM network_key_posts k \
             JOIN staff s ON s.id = k.staff_id WHERE k.network_id = $1 ORDER BY k.post, s.name",
        )
        .bind(network_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(KeyPost {
                    network_id: r.try_get("network_id")?,
                    staff_id: r.try_get("staff_id")?,
                    staff_name: r.try_get("name")?,
                    post: r.try_get("post")?,
                })
            })
            .collect()
    }
}
