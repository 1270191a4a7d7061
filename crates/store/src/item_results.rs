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
pub(crate) fn sortable_now() -> String {
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
    /// Ids of evidence of the same network that backs the result (optional); an id that is
    /// not evidence of the network refuses the whole batch.
    #[serde(default)]
    pub evidence: Vec<String>,
}

/// A piece of evidence linked to an item's result, as it stands now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LinkedEvidence {
    pub id: String,
    pub description: String,
    /// `accepted`, `pending`, `rejected`, or `voided`: only `accepted` evidence counts as
    /// proof; pending evidence is linked but not yet reviewed.
    pub review: String,
}

/// Whose assessment: the engaged assessor's (the default, the one that counts) or the
/// operator's own 自查, which predicts but never counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum AssessmentKind {
    #[default]
    #[serde(rename = "assessor")]
    Assessor,
    #[serde(rename = "self")]
    SelfAssessment,
}

impl AssessmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AssessmentKind::Assessor => "assessor",
            AssessmentKind::SelfAssessment => "self",
        }
    }
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
    /// The linked evidence with its review state now.
    pub evidence: Vec<LinkedEvidence>,
    pub recorded_by: String,
    pub recorded_at: String,
}

const RESULTS: [&str; 4] = ["符合", "部分符合", "不符合", "不适用"];

/// One result checked and ready to insert.
pub(crate) struct Checked {
    item: String,
    result: String,
    reason: String,
    risk: Option<String>,
    hazard: bool,
    note: String,
    evidence: Vec<String>,
}

/// Checks what the store can check of a batch (the catalog has checked the rest).
pub(crate) fn check_results(results: Vec<ItemResultInput>) -> Result<Vec<Checked>> {
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
                format!(
                    "{item}: 应为 符合、部分符合、不符合、不适用 之一 / one of the four results"
                ),
            ));
        }
        let mut evidence: Vec<String> = Vec::new();
        for e in &r.evidence {
            let e = text("evidence", e, 100)?;
            if !e.is_empty() && !evidence.contains(&e) {
                evidence.push(e);
            }
        }
        rows.push(Checked {
            item,
            result: r.result.trim().to_string(),
            reason: text("reason", r.reason.as_deref().unwrap_or_default(), 2000)?,
            risk: r
                .risk
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
            hazard: r.major_hazard.unwrap_or(false),
            note: text("note", &r.note, 8000)?,
            evidence,
        });
    }
    Ok(rows)
}

/// Inserts a checked batch in the write's transaction, refusing it when one linked id is
/// not evidence of the network (read in the same transaction, so nothing is written then).
/// `engagement` is the assessor's; `None` is the operator's self-assessment.
pub(crate) async fn insert_results(
    w: &mut WriteTx,
    engagement: Option<&str>,
    network_id: &str,
    actor: &str,
    rows: &[Checked],
) -> Result<()> {
    let known: Vec<String> = sqlx::query("SELECT id FROM evidence WHERE network_id = $1")
        .bind(network_id)
        .fetch_all(&mut *w.tx)
        .await?
        .iter()
        .map(|r| r.try_get::<String, _>("id"))
        .collect::<std::result::Result<_, _>>()?;
    for r in rows {
        if let Some(e) = r.evidence.iter().find(|e| !known.contains(e)) {
            return Err(StoreError::invalid(
                "evidence",
                format!(
                    "{}: {e} 不是本网络的证据 / {e} is not evidence of this network",
                    r.item
                ),
            ));
        }
    }
    let at = sortable_now();
    for r in rows {
        let sql = match engagement {
            Some(_) => {
                "INSERT INTO item_results (id, engagement_id, network_id, item_id, result, reason, \
                 risk, major_hazard, note, evidence, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
            }
            None => {
                "INSERT INTO self_item_results (id, network_id, item_id, result, reason, risk, \
                 major_hazard, note, evidence, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
            }
        };
        let mut q = sqlx::query(sql).bind(secret::new_id()?);
        if let Some(e) = engagement {
            q = q.bind(e.to_string());
        }
        q.bind(network_id.to_string())
            .bind(r.item.clone())
            .bind(r.result.clone())
            .bind(r.reason.clone())
            .bind(r.risk.clone())
            .bind(i64::from(r.hazard))
            .bind(r.note.clone())
            .bind(
                serde_json::to_string(&r.evidence)
                    .map_err(|e| StoreError::invalid("evidence", e.to_string()))?,
            )
            .bind(actor.to_string())
            .bind(at.clone())
            .execute(&mut *w.tx)
            .await?;
    }
    Ok(())
}

/// The audit detail's list of a batch.
pub(crate) fn audited(rows: &[Checked]) -> Vec<serde_json::Value> {
    rows.iter()
        .map(|r| serde_json::json!({"item": r.item, "result": r.result, "evidence": r.evidence}))
        .collect()
}

/// A result row (of either table) with its linked evidence as it stands in `evidence`;
/// `None` leaves the links out (the history's rate does not depend on them).
pub(crate) fn result_of_row(
    r: &sqlx::any::AnyRow,
    evidence: Option<&[crate::Evidence]>,
) -> Result<ItemResult> {
    let ids: String = r.try_get("evidence")?;
    let (ids, evidence): (Vec<String>, &[crate::Evidence]) = match evidence {
        Some(list) => (serde_json::from_str(&ids).unwrap_or_default(), list),
        None => (Vec::new(), &[]),
    };
    Ok(ItemResult {
        item: r.try_get("item_id")?,
        result: r.try_get("result")?,
        reason: r.try_get("reason")?,
        risk: r.try_get("risk")?,
        major_hazard: r.try_get::<i64, _>("major_hazard")? != 0,
        note: r.try_get("note")?,
        evidence: ids
            .into_iter()
            .map(|id| match evidence.iter().find(|e| e.id == id) {
                Some(e) => LinkedEvidence {
                    description: e.description.clone(),
                    review: if e.voided.is_some() {
                        "voided".to_string()
                    } else {
                        e.review.clone()
                    },
                    id,
                },
                None => LinkedEvidence {
                    id,
                    description: String::new(),
                    review: "voided".to_string(),
                },
            })
            .collect(),
        recorded_by: r.try_get("recorded_by")?,
        recorded_at: r.try_get("recorded_at")?,
    })
}

/// The latest result per item of `rows` (oldest first), in item order.
pub(crate) fn latest_of(rows: Vec<ItemResult>) -> Vec<ItemResult> {
    let mut latest: std::collections::BTreeMap<String, ItemResult> = Default::default();
    for r in rows {
        latest.insert(r.item.clone(), r);
    }
    latest.into_values().collect()
}

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
        let rows = check_results(results)?;
        let org = self
            .network_org(network_id)
            .await?
            .ok_or_else(|| StoreError::not_found("network", network_id))?;
        let mut w = WriteTx::begin(self).await?;
        let engagement = Self::open_engagement_id(&mut w.tx, network_id, assessor_id).await?;
        insert_results(&mut w, Some(&engagement), network_id, actor, &rows).await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org),
            action: "assessment.items".into(),
            target: format!("network:{network_id}"),
            detail: serde_json::json!({
                "engagement": engagement,
                "items": audited(&rows),
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
             r.note, r.evidence, r.recorded_by, r.recorded_at FROM item_results r \
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
        let evidence = self.list_evidence(network_id).await?;
        let mut of_engagement = Vec::new();
        for r in &rows {
            if r.try_get::<String, _>("engagement_id")? == engagement {
                of_engagement.push(result_of_row(r, Some(&evidence))?);
            }
        }
        Ok(Some((engagement, latest_of(of_engagement))))
    }

    /// Every recording of the engagement's item results, oldest first (re-tests included):
    /// what the history of its rate is drawn from.
    pub async fn item_result_history(&self, engagement_id: &str) -> Result<Vec<ItemResult>> {
        let rows = sqlx::query(
            "SELECT item_id, result, reason, risk, major_hazard, note, evidence, recorded_by, \
             recorded_at FROM item_results WHERE engagement_id = $1 ORDER BY recorded_at, id",
        )
        .bind(engagement_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| result_of_row(r, None)).collect()
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
