//! The yearly training plan of an organisation (年度培训计划, decision 1505): planned items
//! (month or day, topic, audience, hours, trainer) and who approved the plan, saved whole with
//! its audit entry (`training.plan`); read back with each item's state — held or not yet —
//! against the sessions recorded that year.
//!
//! An item counts as held by a session linked to it explicitly (`session_id`), or else by a
//! session of the organisation held in the item's month with the same topic (and, for the key
//! posts of a network, of that network). Each session holds one item at most, so two planned
//! sessions on one topic need two sessions.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::staff::day;
use crate::training_sessions::tenths;
use crate::{now_rfc3339, Store};

/// Who an item is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TrainingAudience {
    /// Every person of the organisation.
    All,
    /// The key posts of one network (`network_id`).
    KeyPosts,
    /// People of one position (`role`).
    Role,
}

impl TrainingAudience {
    fn id(self) -> &'static str {
        match self {
            TrainingAudience::All => "all",
            TrainingAudience::KeyPosts => "key_posts",
            TrainingAudience::Role => "role",
        }
    }
    fn parse(s: &str) -> Result<TrainingAudience> {
        match s {
            "all" => Ok(TrainingAudience::All),
            "key_posts" => Ok(TrainingAudience::KeyPosts),
            "role" => Ok(TrainingAudience::Role),
            _ => Err(StoreError::invalid("audience", s.to_string())),
        }
    }
}

/// One planned item, as saved.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingPlanItemInput {
    /// The month (1–12); may be left out when `planned_on` is given.
    #[serde(default)]
    pub month: Option<u8>,
    /// The day, `YYYY-MM-DD`, when the plan names one.
    #[serde(default)]
    pub planned_on: Option<String>,
    pub topic: String,
    pub audience: TrainingAudience,
    /// For `key_posts`: the network (of this organisation).
    #[serde(default)]
    pub network_id: Option<String>,
    /// For `role`: the position as the staff records name it.
    #[serde(default)]
    pub role: Option<String>,
    /// Planned hours, 0.1 to 24.
    pub hours: f64,
    pub trainer: String,
    /// A recorded session of this organisation and year that holds this item.
    #[serde(default)]
    pub session_id: Option<String>,
}

/// The plan of one year, as saved (`PUT`).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingPlanInput {
    pub items: Vec<TrainingPlanItemInput>,
    /// Who approved it (name and post); with `approved_on`.
    #[serde(default)]
    pub approved_by: Option<String>,
    #[serde(default)]
    pub approved_on: Option<String>,
}

/// One planned item and whether it was held.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TrainingPlanItem {
    pub month: u8,
    pub planned_on: Option<String>,
    pub topic: String,
    pub audience: TrainingAudience,
    pub network_id: Option<String>,
    pub role: Option<String>,
    pub hours: f64,
    pub trainer: String,
    /// The session linked explicitly, if any.
    pub session_id: Option<String>,
    /// The session that holds the item (linked, or matched by topic and month); none: not
    /// held yet.
    pub held_by: Option<String>,
}

/// The plan of one organisation and year; no items and no approval when none was saved.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TrainingPlan {
    pub org_id: String,
    pub year: i32,
    pub approved_by: Option<String>,
    pub approved_on: Option<String>,
    pub items: Vec<TrainingPlanItem>,
    /// Items held / items planned.
    pub held: usize,
    pub planned: usize,
}

/// A session as the matching needs it.
struct Held {
    id: String,
    network_id: String,
    month: u8,
    topic: String,
}

pub(crate) fn check_year(year: i32) -> Result<()> {
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(StoreError::invalid(
            "year",
            format!("{year} 不是有效年份 / is not a valid year"),
        ))
    }
}

fn optional(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The month of a `YYYY-MM-DD` day.
fn month_of(d: &str) -> u8 {
    d.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(0)
}

/// Mark each item held by its linked session, else by an unused session of its month and topic.
fn match_held(items: &mut [TrainingPlanItem], sessions: &[Held]) {
    let mut used = vec![false; sessions.len()];
    for item in items.iter_mut() {
        if let Some(id) = &item.session_id {
            if let Some(i) = sessions.iter().position(|s| &s.id == id) {
                used[i] = true;
                item.held_by = Some(id.clone());
            }
        }
    }
    for item in items.iter_mut().filter(|i| i.held_by.is_none()) {
        let found = sessions.iter().enumerate().find(|(i, s)| {
            !used[*i]
                && s.month == item.month
                && s.topic.trim() == item.topic.trim()
                && (item.audience != TrainingAudience::KeyPosts
                    || item.network_id.as_deref() == Some(s.network_id.as_str()))
        });
        if let Some((i, s)) = found {
            used[i] = true;
            item.held_by = Some(s.id.clone());
        }
    }
}

fn item_of(r: &AnyRow) -> Result<TrainingPlanItem> {
    let month: i64 = r.try_get("month")?;
    Ok(TrainingPlanItem {
        month: u8::try_from(month).map_err(|_| StoreError::invalid("month", month.to_string()))?,
        planned_on: r.try_get("planned_on")?,
        topic: r.try_get("topic")?,
        audience: TrainingAudience::parse(&r.try_get::<String, _>("audience")?)?,
        network_id: r.try_get("network_id")?,
        role: r.try_get("role")?,
        hours: r.try_get::<i64, _>("hours_tenths")? as f64 / 10.0,
        trainer: r.try_get("trainer")?,
        session_id: r.try_get("session_id")?,
        held_by: None,
    })
}

impl Store {
    /// The organisation's plan for `year`, each item marked held or not.
    pub async fn training_plan(&self, org_id: &str, year: i32) -> Result<TrainingPlan> {
        check_year(year)?;
        let head = sqlx::query(
            "SELECT approved_by, approved_on FROM training_plans WHERE org_id = $1 AND year = $2",
        )
        .bind(org_id)
        .bind(i64::from(year))
        .fetch_optional(&self.pool)
        .await?;
        let (approved_by, approved_on) = match &head {
            Some(r) => (r.try_get("approved_by")?, r.try_get("approved_on")?),
            None => (None, None),
        };
        let rows = sqlx::query(
            "SELECT * FROM training_plan_items WHERE org_id = $1 AND year = $2 ORDER BY position",
        )
        .bind(org_id)
        .bind(i64::from(year))
        .fetch_all(&self.pool)
        .await?;
        let mut items = rows.iter().map(item_of).collect::<Result<Vec<_>>>()?;
        let sessions = sqlx::query(
            "SELECT id, network_id, held_on, topic FROM training_sessions \
             WHERE org_id = $1 AND held_on >= $2 AND held_on <= $3 ORDER BY held_on, id",
        )
        .bind(org_id)
        .bind(format!("{year:04}-01-01"))
        .bind(format!("{year:04}-12-31"))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            let held_on: String = r.try_get("held_on")?;
            Ok(Held {
                id: r.try_get("id")?,
                network_id: r.try_get("network_id")?,
                month: month_of(&held_on),
                topic: r.try_get("topic")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        match_held(&mut items, &sessions);
        Ok(TrainingPlan {
            org_id: org_id.to_string(),
            year,
            approved_by,
            approved_on,
            held: items.iter().filter(|i| i.held_by.is_some()).count(),
            planned: items.len(),
            items,
        })
    }

    /// The day each of the organisation's sessions was held, by session id (what a held
    /// plan item shows).
    pub async fn training_sessions_of_org(
        &self,
        org_id: &str,
    ) -> Result<std::collections::BTreeMap<String, String>> {
        sqlx::query("SELECT id, held_on FROM training_sessions WHERE org_id = $1")
            .bind(org_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("held_on")?)))
            .collect()
    }

    /// Replaces the organisation's plan for `year` with `input`, with its audit entry.
    pub async fn save_training_plan(
        &self,
        actor: &str,
        org_id: &str,
        year: i32,
        input: TrainingPlanInput,
    ) -> Result<TrainingPlan> {
        check_year(year)?;
        let approved_by = optional(&input.approved_by)
            .map(|s| crate::text::name("approved_by", &s, 200))
            .transpose()?;
        let approved_on = optional(&input.approved_on)
            .map(|s| day("approved_on", &s))
            .transpose()?;
        if approved_by.is_some() != approved_on.is_some() {
            return Err(StoreError::invalid(
                "approved_on",
                "批准人和批准日期须同时填写 / give both who approved the plan and when",
            ));
        }
        if input.items.len() > 200 {
            return Err(StoreError::invalid(
                "items",
                "计划最多 200 项 / at most 200 items",
            ));
        }
        let mut w = WriteTx::begin(self).await?;
        let mut rows = Vec::with_capacity(input.items.len());
        for (n, it) in input.items.iter().enumerate() {
            let at = |m: String| format!("第 {} 项：{m} / item {}", n + 1, n + 1);
            let planned_on = optional(&it.planned_on)
                .map(|s| day("planned_on", &s))
                .transpose()?;
            let month = match (&planned_on, it.month) {
                (Some(d), m) => {
                    if !d.starts_with(&format!("{year:04}-")) {
                        return Err(StoreError::invalid(
                            "planned_on",
                            at(format!("{d} 不在 {year} 年 / is not in {year}")),
                        ));
                    }
                    if m.is_some_and(|m| m != month_of(d)) {
                        return Err(StoreError::invalid(
                            "month",
                            at(format!("与日期 {d} 不符 / does not agree with {d}")),
                        ));
                    }
                    month_of(d)
                }
                (None, Some(m)) if (1..=12).contains(&m) => m,
                (None, m) => {
                    return Err(StoreError::invalid(
                        "month",
                        at(format!(
                            "{m:?} 须为 1 至 12，或填写日期 / give a month 1–12 or a day"
                        )),
                    ))
                }
            };
            let topic = crate::text::name("topic", &it.topic, 200)?;
            let trainer = crate::text::name("trainer", &it.trainer, 200)?;
            let hours_tenths = tenths(it.hours)?;
            let network_id = optional(&it.network_id);
            let role = optional(&it.role);
            match it.audience {
                TrainingAudience::KeyPosts => {
                    let n_id = network_id.clone().ok_or_else(|| {
                        StoreError::invalid(
                            "network_id",
                            at("关键岗位须指明网络 / key posts of which network?".into()),
                        )
                    })?;
                    let of: Option<String> =
                        sqlx::query("SELECT org_id FROM networks WHERE id = $1")
                            .bind(&n_id)
                            .fetch_optional(&mut *w.tx)
                            .await?
                            .map(|r| r.try_get("org_id"))
                            .transpose()?;
                    if of.as_deref() != Some(org_id) {
                        return Err(StoreError::invalid(
                            "network_id",
                            at(format!("本单位没有网络 {n_id} / no network {n_id} here")),
                        ));
                    }
                }
                TrainingAudience::Role if role.is_none() => {
                    return Err(StoreError::invalid(
                        "role",
                        at("须填写岗位 / name the position".into()),
                    ))
                }
                _ => {}
            }
            let session_id = optional(&it.session_id);
            if let Some(s) = &session_id {
                let of = sqlx::query("SELECT org_id, held_on FROM training_sessions WHERE id = $1")
                    .bind(s)
                    .fetch_optional(&mut *w.tx)
                    .await?;
                let fits = match &of {
                    Some(r) => {
                        r.try_get::<String, _>("org_id")? == org_id
                            && r.try_get::<String, _>("held_on")?
                                .starts_with(&format!("{year:04}-"))
                    }
                    None => false,
                };
                if !fits {
                    return Err(StoreError::invalid(
                        "session_id",
                        at(format!(
                            "本单位 {year} 年没有培训记录 {s} / no session {s} of this organisation in {year}"
                        )),
                    ));
                }
            }
            let role = if it.audience == TrainingAudience::Role {
                role
            } else {
                None
            };
            let network_id = if it.audience == TrainingAudience::KeyPosts {
                network_id
            } else {
                None
            };
            rows.push((
                month,
                planned_on,
                topic,
                it.audience,
                network_id,
                role,
                hours_tenths,
                trainer,
                session_id,
            ));
        }
        let now = now_rfc3339();
        for table in ["training_plan_items", "training_plans"] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE org_id = $1 AND year = $2"
            ))
            .bind(org_id)
            .bind(i64::from(year))
            .execute(&mut *w.tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO training_plans (org_id, year, approved_by, approved_on, actor, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(org_id)
        .bind(i64::from(year))
        .bind(&approved_by)
        .bind(&approved_on)
        .bind(actor)
        .bind(&now)
        .execute(&mut *w.tx)
        .await?;
        for (pos, r) in rows.iter().enumerate() {
            sqlx::query(
                "INSERT INTO training_plan_items (org_id, year, position, month, planned_on, \
                 topic, audience, network_id, role, hours_tenths, trainer, session_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(org_id)
            .bind(i64::from(year))
            .bind(pos as i64)
            .bind(i64::from(r.0))
            .bind(&r.1)
            .bind(&r.2)
            .bind(r.3.id())
            .bind(&r.4)
            .bind(&r.5)
            .bind(r.6)
            .bind(&r.7)
            .bind(&r.8)
            .execute(&mut *w.tx)
            .await?;
        }
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org_id.to_string()),
            action: "training.plan".into(),
            target: format!("organisation:{org_id}"),
            detail: serde_json::json!({
                "year": year, "items": rows.len(),
                "approved_by": approved_by, "approved_on": approved_on,
            }),
        })
        .await?;
        self.training_plan(org_id, year).await
    }
}
