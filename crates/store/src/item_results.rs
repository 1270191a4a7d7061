//! Per-item results of an assessment (decision 0412): what the assessor found for each
//! GB/T 22239-2019 requirement item in its open engagement. Whether an item exists, is of the
//! network's level and carries a valid result is the control catalog's to say (the API
//! checks it with `dengbao_controls::check_item` before calling here); the store keeps every
//! recording, and the latest per item counts.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::text::text;
use crate::{secret, Store};

/// Now in UTC with nine fractional digits, so that the text sorts as time does (the
/// history orders recordings by it).
fn sortable_now() -> String {
    let t = jiff::Timestamp::now();
    format!(
        "{}.{:09}Z",
        t.strftime("%Y-%m-%dT%H:%M:%S"),
        t.subsec_nanosecond()
    )
}

/// One item's result as recorded.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemResultInput {
    /// The requirement item, e.g. `L3-CES1-01`.
    pub item: String,
    /// 符合, 部分符合, 不符合 or 不适用.
    pub result: String,
    /// Why 不适用 (required for it).
    #[serde(default)]
    pub reason: Option<String>,
    /// 高, 中 or 低, for 部分符合 and 不符合.
    #[serde(default)]
    pub risk: Option<String>,
    /// A 重大风险隐患 (only for 部分符合 and 不符合).
    #[serde(default)]
    pub major_hazard: Option<bool>,
    /// The assessor's note: what was checked and seen.
    #[serde(default)]
    pub note: String,
}

/// One item's latest result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ItemResult {
    pub item: String,
    pub result: String,
    pub reason: String,
    pub risk: Option<String>,
    pub major_hazard: bool,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

const RESULTS: [&str; 4] = ["符合", "部分符合", "不符合", "不适用"];

impl Store {
    /// Records `results` in the assessor's open engagement of the network, in one
    /// transaction with one audit entry. Returns the engagement's id.
    pub async fn record_item_results(
        &self,
        actor: &str,
        assessor_id: &str,
        network_id: &str,
        results: Vec<ItemResultInput>,
    ) -> Result<String> {
        if results.is_empty() {
            return Err(StoreError::invalid(
                "results",
                "至少一项 / at least one item",
            ));
        }
        let mut rows = Vec::with_capacity(results.len());
        for r in results {
            let item = text("item", &r.item, 40)?;
            if !RESULTS.contains(&r.result.trim()) {
                return Err(StoreError::invalid(
                    "result",
                    format!("{item}: 应为 符合、部分符合、不符合、不适用 之一 / one of the four results"),
                ));
            }
            rows.push((
                item,
                r.result.trim().to_string(),
                text("reason", r.reason.as_deref().unwrap_or_default(), 2000)?,
                r.risk
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty()),
                r.major_hazard.unwrap_or(false),
                text("note", &r.note, 8000)?,
            ));
        }
        let org = self
            .network_org(network_id)
            .await?
            .ok_or_else(|| StoreError::not_found("network", network_id))?;
        let mut w = WriteTx::begin(self).await?;
        let engagement = Self::open_engagement_id(&mut w.tx, network_id, assessor_id).await?;
        let at = sortable_now();
        for (item, result, reason, risk, hazard, note) in &rows {
            sqlx::query(
                "INSERT INTO item_results (id, engagement_id, network_id, item_id, result, reason, \
                 risk, major_hazard, note, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(secret::new_id()?)
            .bind(&engagement)
            .bind(network_id)
            .bind(item)
            .bind(result)
            .bind(reason)
            .bind(risk.clone())
            .bind(i64::from(*hazard))
            .bind(note)
            .bind(actor)
            .bind(&at)
            .execute(&mut *w.tx)
            .await?;
        }
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org),
            action: "assessment.items".into(),
            target: format!("network:{network_id}"),
            detail: serde_json::json!({
                "engagement": engagement,
                "items": rows.iter().map(|r| serde_json::json!({"item": r.0, "result": r.1})).collect::<Vec<_>>(),
            }),
        })
        .await?;
        Ok(engagement)
    }

    /// The latest engagement of the network that has item results, and the latest result
    /// of each item in it; `None` before any.
    pub async fn item_results(
        &self,
        network_id: &str,
    ) -> Result<Option<(String, Vec<ItemResult>)>> {
        let rows = sqlx::query(
            "SELECT r.engagement_id, r.item_id, r.result, r.reason, r.risk, r.major_hazard, \
             r.note, r.recorded_by, r.recorded_at FROM item_results r \
             JOIN engagements e ON e.id = r.engagement_id \
             WHERE r.network_id = $1 ORDER BY e.engaged_on, e.recorded_at, r.recorded_at, r.id",
        )
        .bind(network_id)
        .fetch_all(&self.pool)
        .await?;
        let Some(last) = rows.last() else {
            return Ok(None);
        };
        let engagement: String = last.try_get("engagement_id")?;
        let mut latest: std::collections::BTreeMap<String, ItemResult> = Default::default();
        for r in &rows {
            if r.try_get::<String, _>("engagement_id")? != engagement {
                continue;
            }
            let item: String = r.try_get("item_id")?;
            latest.insert(
                item.clone(),
                ItemResult {
                    item,
                    result: r.try_get("result")?,
                    reason: r.try_get("reason")?,
                    risk: r.try_get("risk")?,
                    major_hazard: r.try_get::<i64, _>("major_hazard")? != 0,
                    note: r.try_get("note")?,
                    recorded_by: r.try_get("recorded_by")?,
                    recorded_at: r.try_get("recorded_at")?,
                },
            );
        }
        Ok(Some((engagement, latest.into_values().collect())))
    }

    /// Every recording of the engagement's item results, oldest first (re-tests included):
    /// what the history of its rate is drawn from.
    pub async fn item_result_history(&self, engagement_id: &str) -> Result<Vec<ItemResult>> {
        let rows = sqlx::query(
            "SELECT item_id, result, reason, risk, major_hazard, note, recorded_by, recorded_at \
             FROM item_results WHERE engagement_id = $1 ORDER BY recorded_at, id",
        )
        .bind(engagement_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ItemResult {
                    item: r.try_get("item_id")?,
                    result: r.try_get("result")?,
                    reason: r.try_get("reason")?,
                    risk: r.try_get("risk")?,
                    major_hazard: r.try_get::<i64, _>("major_hazard")? != 0,
                    note: r.try_get("note")?,
                    recorded_by: r.try_get("recorded_by")?,
                    recorded_at: r.try_get("recorded_at")?,
                })
            })
            .collect()
    }
}

/// A planned fix of one item (整改): who and by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TaskPlan {
    pub item: String,
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub due: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

impl Store {
    /// Plans (or re-plans) the fix of `item` in the engagement: one transaction, audited.
    pub async fn plan_task(
        &self,
        actor: &str,
        network_id: &str,
        engagement_id: &str,
        item: &str,
        owner: &str,
        due: &str,
    ) -> Result<TaskPlan> {
        let owner = text("owner", owner, 100)?;
        if owner.is_empty() {
            return Err(StoreError::invalid(
                "owner",
                "须填写负责人 / name who fixes it",
            ));
        }
        let due = crate::filings::validate_date("due", due)?.to_string();
        let org = self
            .network_org(network_id)
            .await?
            .ok_or_else(|| StoreError::not_found("network", network_id))?;
        let plan = TaskPlan {
            item: text("item", item, 40)?,
            owner,
            due,
            recorded_by: actor.to_string(),
            recorded_at: sortable_now(),
        };
        let mut w = WriteTx::begin(self).await?;
        sqlx::query("DELETE FROM rectification_tasks WHERE engagement_id = $1 AND item_id = $2")
            .bind(engagement_id)
            .bind(&plan.item)
            .execute(&mut *w.tx)
            .await?;
        sqlx::query(
            "INSERT INTO rectification_tasks (id, engagement_id, network_id, item_id, owner, due, \
             recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(secret::new_id()?)
        .bind(engagement_id)
        .bind(network_id)
        .bind(&plan.item)
        .bind(&plan.owner)
        .bind(&plan.due)
        .bind(actor)
        .bind(&plan.recorded_at)
        .execute(&mut *w.tx)
        .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org),
            action: "assessment.task".into(),
            target: format!("network:{network_id}"),
            detail: serde_json::json!({"engagement": engagement_id, "item": plan.item, "owner": plan.owner, "due": plan.due}),
        })
        .await?;
        Ok(plan)
    }

    /// The planned fixes of the engagement.
    pub async fn task_plans(&self, engagement_id: &str) -> Result<Vec<TaskPlan>> {
        let rows = sqlx::query(
            "SELECT item_id, owner, due, recorded_by, recorded_at FROM rectification_tasks \
             WHERE engagement_id = $1 ORDER BY item_id",
        )
        .bind(engagement_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TaskPlan {
                    item: r.try_get("item_id")?,
                    owner: r.try_get("owner")?,
                    due: r.try_get("due")?,
                    recorded_by: r.try_get("recorded_by")?,
                    recorded_at: r.try_get("recorded_at")?,
                })
            })
            .collect()
    }
}
