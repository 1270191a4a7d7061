//! Organisations (单位): the owners of networks and the unit of isolation.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::{now_rfc3339, secret, OrgScope, Store};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrganisation {
    /// The organisation's name (1–200 characters), unique.
    pub name: String,
}

impl Store {
    pub async fn create_org(&self, actor: &str, new: NewOrganisation) -> Result<Organisation> {
        let name = crate::text::name("name", &new.name, 200)?;
        let mut w = WriteTx::begin(self).await?;
        let taken = sqlx::query("SELECT id FROM organisations WHERE name = $1")
            .bind(&name)
            .fetch_optional(&mut *w.tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Conflict {
                what: "organisation",
                value: name,
            });
        }
        let org = Organisation {
            id: secret::new_id()?,
            name,
            created_at: now_rfc3339(),
        };
        sqlx::query("INSERT INTO organisations (id, name, created_at) VALUES ($1, $2, $3)")
            .bind(&org.id)
            .bind(&org.name)
            .bind(&org.created_at)
            .execute(&mut *w.tx)
            .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org.id.clone()),
            action: "organisation.create".into(),
            target: format!("organisation:{}", org.id),
            detail: serde_json::json!({"name": org.name}),
        })
        .await?;
        Ok(org)
    }

    pub async fn get_org(&self, id: &str) -> Result<Organisation> {
        let row = sqlx::query("SELECT id, name, created_at FROM organisations WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found("organisation", id))?;
        Ok(Organisation {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            created_at: row.try_get("created_at")?,
        })
    }

    pub async fn list_orgs(&self, scope: &OrgScope) -> Result<Vec<Organisation>> {
        let rows = sqlx::query("SELECT id, name, created_at FROM organisations ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::new();
        for row in rows {
            let id: String = row.try_get("id")?;
            if scope.allows(&id) {
                out.push(Organisation {
                    id,
                    name: row.try_get("name")?,
                    created_at: row.try_get("created_at")?,
                });
            }
        }
        Ok(out)
    }
}
