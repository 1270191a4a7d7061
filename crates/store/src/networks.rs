//! Networks (定级对象) and their profiles.

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::profile::{from_text, to_text, NetworkProfile};
use crate::{now_rfc3339, secret, OrgScope, Store};

/// A stored network: its owner, its profile and when it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Network {
    pub id: String,
    pub org_id: String,
    #[serde(flatten)]
    pub profile: NetworkProfile,
    pub created_at: String,
    pub updated_at: String,
}

const COLUMNS: &str = "id, org_id, name, level, stage, cii, classified, personal_info, services, \
    new_tech, overseas_maintenance, cross_border_data, competent_department, grading, \
    created_at, updated_at, important_data, personal_info_people";

fn corrupt(id: &str, message: String) -> StoreError {
    StoreError::Corrupt {
        table: "networks",
        id: id.to_string(),
        message,
    }
}

fn decode(row: &AnyRow) -> Result<Network> {
    let id: String = row.try_get("id")?;
    let enum_col = |col: &str| -> Result<String> { Ok(row.try_get::<String, _>(col)?) };
    let flag = |col: &str| -> Result<bool> { Ok(row.try_get::<i64, _>(col)? != 0) };
    let level: Option<i64> = row.try_get("level")?;
    let level = level
        .map(dengbao_types::Level::try_from)
        .transpose()
        .map_err(|e| corrupt(&id, e.to_string()))?;
    let json_col = |col: &str| -> Result<serde_json::Value> {
        let text: String = row.try_get(col)?;
        serde_json::from_str(&text).map_err(|e| corrupt(&id, format!("{col}: {e}")))
    };
    let grading: Option<String> = row.try_get("grading")?;
    let grading = grading
        .map(|g| serde_json::from_str(&g))
        .transpose()
        .map_err(|e| corrupt(&id, format!("grading: {e}")))?;
    let stage = enum_col("stage")?;
    let classified = enum_col("classified")?;
    let profile = NetworkProfile {
        name: row.try_get("name")?,
        level,
        stage: from_text(&stage).ok_or_else(|| corrupt(&id, format!("stage {stage:?}")))?,
        cii: flag("cii")?,
        classified: from_text(&classified)
            .ok_or_else(|| corrupt(&id, format!("classified {classified:?}")))?,
        personal_info: flag("personal_info")?,
        services: serde_json::from_value(json_col("services")?)
            .map_err(|e| corrupt(&id, format!("services: {e}")))?,
        new_tech: serde_json::from_value(json_col("new_tech")?)
            .map_err(|e| corrupt(&id, format!("new_tech: {e}")))?,
        overseas_maintenance: flag("overseas_maintenance")?,
        cross_border_data: flag("cross_border_data")?,
        competent_department: flag("competent_department")?,
        important_data: flag("important_data")?,
        personal_info_people: row.try_get("personal_info_people")?,
        grading,
    };
    Ok(Network {
        id,
        org_id: row.try_get("org_id")?,
        profile,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// The profile's columns in COLUMNS order after id and org_id, ready to bind.
struct Cols {
    level: Option<i64>,
    stage: String,
    cii: i64,
    classified: String,
    personal_info: i64,
    services: String,
    new_tech: String,
    overseas: i64,
    cross_border: i64,
    competent: i64,
    grading: Option<String>,
}

fn cols(p: &NetworkProfile) -> Cols {
    Cols {
        level: p.level.map(|l| i64::from(l.get())),
        stage: to_text(&p.stage),
        cii: i64::from(p.cii),
        classified: to_text(&p.classified),
        personal_info: i64::from(p.personal_info),
        services: serde_json::to_string(&p.services).unwrap_or_else(|_| "[]".into()),
        new_tech: serde_json::to_string(&p.new_tech).unwrap_or_else(|_| "[]".into()),
        overseas: i64::from(p.overseas_maintenance),
        cross_border: i64::from(p.cross_border_data),
        competent: i64::from(p.competent_department),
        grading: p
            .grading
            .as_ref()
            .and_then(|g| serde_json::to_string(g).ok()),
    }
}

/// Overwrites a live network's profile inside `w`; a missing or retired network is
/// not found.
async fn write_profile(
    w: &mut WriteTx,
    id: &str,
    profile: &NetworkProfile,
    now: &str,
) -> Result<()> {
    let done = bind_profile(
        sqlx::query(
            "UPDATE networks SET name = $1, level = $2, stage = $3, cii = $4, classified = $5, \
         personal_info = $6, services = $7, new_tech = $8, overseas_maintenance = $9, \
         cross_border_data = $10, competent_department = $11, grading = $12, updated_at = $13, \
         important_data = $15, personal_info_people = $16 \
         WHERE id = $14 AND deleted_at IS NULL",
        ),
        profile,
    )
    .bind(now)
    .bind(id)
    .bind(i64::from(profile.important_data))
    .bind(profile.personal_info_people)
    .execute(&mut *w.tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::not_found("network", id));
    }
    Ok(())
}

/// Binds the profile's columns (name, then COLUMNS from level to grading) in order.
fn bind_profile<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    p: &'q NetworkProfile,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    let c = cols(p);
    q.bind(&p.name)
        .bind(c.level)
        .bind(c.stage)
        .bind(c.cii)
        .bind(c.classified)
        .bind(c.personal_info)
        .bind(c.services)
        .bind(c.new_tech)
        .bind(c.overseas)
        .bind(c.cross_border)
        .bind(c.competent)
        .bind(c.grading)
}

impl Store {
    pub async fn create_network(
        &self,
        actor: &str,
        org_id: &str,
        profile: NetworkProfile,
    ) -> Result<Network> {
        let profile = profile.validate()?;
        let mut w = WriteTx::begin(self).await?;
        let org = sqlx::query("SELECT id FROM organisations WHERE id = $1")
            .bind(org_id)
            .fetch_optional(&mut *w.tx)
            .await?;
        if org.is_none() {
            return Err(StoreError::invalid(
                "org_id",
                format!("no organisation {org_id}"),
            ));
        }
        let now = now_rfc3339();
        let net = Network {
            id: secret::new_id()?,
            org_id: org_id.to_string(),
            profile,
            created_at: now.clone(),
            updated_at: now,
        };
        let insert = format!(
            "INSERT INTO networks ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"
        );
        let q = sqlx::query(&insert).bind(&net.id).bind(&net.org_id);
        bind_profile(q, &net.profile)
            .bind(&net.created_at)
            .bind(&net.updated_at)
            .bind(i64::from(net.profile.important_data))
            .bind(net.profile.personal_info_people)
            .execute(&mut *w.tx)
            .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(net.org_id.clone()),
            action: "network.create".into(),
            target: format!("network:{}", net.id),
            detail: serde_json::to_value(&net.profile).unwrap_or_default(),
        })
        .await?;
        Ok(net)
    }

    /// Replaces a network's profile.
    pub async fn update_network(
        &self,
        actor: &str,
        id: &str,
        profile: NetworkProfile,
    ) -> Result<Network> {
        let profile = profile.validate()?;
        let before = self.get_network(id).await?;
        if profile.level != before.profile.level {
            self.level_settled_by_grading(id).await?;
        }
        let mut w = WriteTx::begin(self).await?;
        let now = now_rfc3339();
        write_profile(&mut w, id, &profile, &now).await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(before.org_id.clone()),
            action: "network.update".into(),
            target: format!("network:{id}"),
            detail: serde_json::json!({"before": before.profile, "after": profile}),
        })
        .await?;
        Ok(Network {
            profile,
            updated_at: now,
            ..before
        })
    }

    /// Saves a grading: the profile with its new level and answers, and the `graded` event
    /// dated `graded_on`, in one transaction with one audit entry (`network.grade`). The
    /// date is checked before anything is written, so a refused grading changes nothing.
    pub async fn grade_network(
        &self,
        actor: &str,
        id: &str,
        profile: NetworkProfile,
        graded_on: &str,
        note: &str,
    ) -> Result<Network> {
        let at = crate::events::validate_at("graded_on", graded_on)?;
        crate::events::check_not_future("graded_on", "graded", &at, self.now())?;
        let profile = profile.validate()?;
        let before = self.get_network(id).await?;
        // A grading that changes the level of a network graded before is a regrading
        // (变更安全保护等级): it starts the 备案变更 clock, not the first filing's.
        let kind = if before
            .profile
            .level
            .is_some_and(|l| Some(l) != profile.level)
            && self.profile_events(id).await?.contains_key("graded")
        {
            "regraded"
        } else {
            "graded"
        };
        let mut w = WriteTx::begin(self).await?;
        let now = now_rfc3339();
        write_profile(&mut w, id, &profile, &now).await?;
        let event = crate::events::insert_event(
            &mut w.tx,
            self.now(),
            crate::events::NewEvent {
                field: "graded_on",
                origin: "grading",
                network_id: id,
                kind,
                at: &at,
                note,
                actor,
            },
        )
        .await?
        .id;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(before.org_id.clone()),
            action: "network.grade".into(),
            target: format!("network:{id}"),
            detail: serde_json::json!({
                "before": before.profile, "after": profile, "event": event, "graded_on": at,
            }),
        })
        .await?;
        Ok(Network {
            profile,
            updated_at: now,
            ..before
        })
    }

    /// Refuses a level change outside the grading wizard once the level rests on a grading
    /// or a filing: a level changes through grading → expert review → 备案变更, so the
    /// network, its filing and the supervisor's lists cannot disagree.
    async fn level_settled_by_grading(&self, id: &str) -> Result<()> {
        if self.level_is_settled(id).await? {
            return Err(StoreError::invalid(
                "level",
                "the level was set by grading and is changed only by grading again, then \
                 expert review and 备案变更 (等级已通过定级确定，只能重新定级并办理备案变更)",
            ));
        }
        Ok(())
    }

    /// Whether a user of `role` reaches the network beyond its organisation: an assessor
    /// only the networks it has an engagement for (decision 0935); a supervisor those filed
    /// with it and those of operators an administrator put in its jurisdiction (decision
    /// 0939); every other role is decided by organisation alone.
    pub async fn reaches_network(
        &self,
        role: crate::users::Role,
        user_id: &str,
        network_id: &str,
    ) -> Result<bool> {
        Ok(match self.networks_reached(role, user_id).await? {
            Some(ids) => ids.iter().any(|i| i == network_id),
            None => true,
        })
    }

    /// The networks an assessor or a supervisor reaches (see [`Store::reaches_network`]);
    /// `None` for the roles organisations alone decide.
    pub async fn networks_reached(
        &self,
        role: crate::users::Role,
        user_id: &str,
    ) -> Result<Option<Vec<String>>> {
        // A supervisor reaches the networks filed with it, and every network of an operator
        // an administrator put in its jurisdiction (decision 0939).
        let sql = match role {
            crate::users::Role::Assessor => {
                "SELECT DISTINCT network_id FROM engagements WHERE assessor_id = $1"
            }
            crate::users::Role::Supervisor => {
                "SELECT network_id FROM filings WHERE supervisor_id = $1 \
                 UNION SELECT n.id AS network_id FROM networks n \
                 JOIN user_orgs u ON u.org_id = n.org_id WHERE u.user_id = $1 AND u.via = 'admin'"
            }
            _ => return Ok(None),
        };
        let rows = sqlx::query(sql).bind(user_id).fetch_all(&self.pool).await?;
        Ok(Some(
            rows.iter()
                .map(|r| r.try_get("network_id"))
                .collect::<std::result::Result<_, _>>()?,
        ))
    }

    /// Whether the network's level rests on a grading or a filing, so only the grading
    /// wizard changes it.
    pub async fn level_is_settled(&self, id: &str) -> Result<bool> {
        let graded = self.profile_events(id).await?.contains_key("graded");
        Ok(graded || !self.list_filings(id).await?.is_empty())
    }

    /// Retires a network from the API (kept for the record: events, evidence and the
    /// audit log still point at it).
    pub async fn delete_network(&self, actor: &str, id: &str) -> Result<()> {
        let before = self.get_network(id).await?;
        let mut w = WriteTx::begin(self).await?;
        sqlx::query("UPDATE networks SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL")
            .bind(now_rfc3339())
            .bind(id)
            .execute(&mut *w.tx)
            .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(before.org_id),
            action: "network.delete".into(),
            target: format!("network:{id}"),
            detail: serde_json::json!({"name": before.profile.name}),
        })
        .await?;
        Ok(())
    }

    pub async fn get_network(&self, id: &str) -> Result<Network> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM networks WHERE id = $1 AND deleted_at IS NULL"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::not_found("network", id))?;
        decode(&row)
    }

    /// The organisation that owns a network (deleted ones included), for access checks.
    pub async fn network_org(&self, id: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT org_id FROM networks WHERE id = $1 AND deleted_at IS NULL")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => Some(r.try_get("org_id")?),
            None => None,
        })
    }

    /// Networks in scope, optionally of one organisation, by name.
    pub async fn list_networks(&self, scope: &OrgScope, org: Option<&str>) -> Result<Vec<Network>> {
        let Some((filter, binds)) = live_networks_filter(scope, org) else {
            return Ok(Vec::new());
        };
        let sql = format!("SELECT {COLUMNS} FROM networks WHERE {filter} ORDER BY name, id");
        let mut q = sqlx::query(&sql);
        for b in &binds {
            q = q.bind(b);
        }
        q.fetch_all(&self.pool).await?.iter().map(decode).collect()
    }
}

/// The SQL condition on `networks` for the live networks in `scope` (and `org`, when
/// given), with its bind values in order; `None` when the scope is empty.
pub(crate) fn live_networks_filter(
    scope: &OrgScope,
    org: Option<&str>,
) -> Option<(String, Vec<String>)> {
    let mut sql = "deleted_at IS NULL".to_string();
    let mut binds: Vec<String> = Vec::new();
    if let Some(org) = org {
        binds.push(org.to_string());
        sql.push_str(&format!(" AND org_id = ${}", binds.len()));
    }
    if let OrgScope::Only(ids) = scope {
        if ids.is_empty() {
            return None;
        }
        let mut marks = Vec::new();
        for id in ids {
            binds.push(id.clone());
            marks.push(format!("${}", binds.len()));
        }
        sql.push_str(&format!(" AND org_id IN ({})", marks.join(", ")));
    }
    Some((sql, binds))
}
