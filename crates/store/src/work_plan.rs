//! The 2017 law-popularisation work plan as an organisation's checklist (issue 15, decision
//! 1506): per year, each point's status, owner, note and evidence, replaced on each update
//! with its audit entry (`workplan.update`). Which points exist is the caller's to check
//! (`dengbao_training::work_plan`); the store keeps what the organisation recorded.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::training_plan::check_year;
use crate::{now_rfc3339, Store};

/// Where a point stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorkPlanStatus {
    NotStarted,
    InProgress,
    Done,
}

impl WorkPlanStatus {
    pub fn id(self) -> &'static str {
        match self {
            WorkPlanStatus::NotStarted => "not_started",
            WorkPlanStatus::InProgress => "in_progress",
            WorkPlanStatus::Done => "done",
        }
    }

    fn parse(s: &str) -> WorkPlanStatus {
        match s {
            "in_progress" => WorkPlanStatus::InProgress,
            "done" => WorkPlanStatus::Done,
            _ => WorkPlanStatus::NotStarted,
        }
    }
}

/// What the organisation recorded for one point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkPlanTaskInput {
    pub status: WorkPlanStatus,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub note: String,
    /// What shows it was done: a document's name, a link, an evidence id.
    #[serde(default)]
    pub evidence: String,
}

/// A point's record, with who recorded it and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct WorkPlanTask {
    pub point: String,
    pub status: WorkPlanStatus,
    pub owner: String,
    pub note: String,
    pub evidence: String,
    pub actor: String,
    pub recorded_at: String,
}

impl Store {
    /// The organisation's records for `year`, by point.
    pub async fn work_plan(&self, org_id: &str, year: i32) -> Result<Vec<WorkPlanTask>> {
        check_year(year)?;
        let rows = sqlx::query(
            "SELECT point, status, owner, note, evidence, actor, recorded_at \
             FROM work_plan_tasks WHERE org_id = $1 AND year = $2 ORDER BY point",
        )
        .bind(org_id)
        .bind(i64::from(year))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(WorkPlanTask {
                    point: r.try_get("point")?,
                    status: WorkPlanStatus::parse(&r.try_get::<String, _>("status")?),
                    owner: r.try_get("owner")?,
                    note: r.try_get("note")?,
                    evidence: r.try_get("evidence")?,
                    actor: r.try_get("actor")?,
                    recorded_at: r.try_get("recorded_at")?,
                })
            })
            .collect()
    }

    /// Record where point `point` of `year` stands, replacing what was recorded, with its
    /// audit entry. `done` needs evidence: the checklist exists to show it was done.
    pub async fn set_work_plan_task(
        &self,
        actor: &str,
        org_id: &str,
        year: i32,
        point: &str,
        input: &WorkPlanTaskInput,
    ) -> Result<WorkPlanTask> {
        check_year(year)?;
        let owner = crate::text::text("owner", &input.owner, 200)?;
        let note = crate::text::text("note", &input.note, 2000)?;
        let evidence = crate::text::text("evidence", &input.evidence, 1000)?;
        if input.status == WorkPlanStatus::Done && evidence.is_empty() {
            return Err(StoreError::invalid(
                "evidence",
                "已完成的事项须注明证明材料 / a point marked done needs its evidence",
            ));
        }
        let now = now_rfc3339();
        let mut w = WriteTx::begin(self).await?;
        sqlx::query("DELETE FROM work_plan_tasks WHERE org_id = $1 AND year = $2 AND point = $3")
            .bind(org_id)
            .bind(i64::from(year))
            .bind(point)
            .execute(&mut *w.tx)
            .await?;
        sqlx::query(
            "INSERT INTO work_plan_tasks \
             (org_id, year, point, status, owner, note, evidence, actor, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(org_id)
        .bind(i64::from(year))
        .bind(point)
        .bind(input.status.id())
        .bind(&owner)
        .bind(&note)
        .bind(&evidence)
        .bind(actor)
        .bind(&now)
        .execute(&mut *w.tx)
        .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org_id.to_string()),
            action: "workplan.update".into(),
            target: format!("organisation:{org_id}"),
            detail: serde_json::json!({
                "year": year, "point": point, "status": input.status.id(),
                "owner": owner, "evidence": evidence,
            }),
        })
        .await?;
        Ok(WorkPlanTask {
            point: point.to_string(),
            status: input.status,
            owner,
            note,
            evidence,
            actor: actor.to_string(),
            recorded_at: now,
        })
    }
}
