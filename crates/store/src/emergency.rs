//! Emergency plans and drills of a network (应急预案和演练, decision 0507).
//!
//! A plan is a document with its version and approval (who, on which day), pointing at
//! evidence already on file for the network or at a link; a drill is dated, names its
//! scenario, participants and findings, and is held against a plan of the same network.
//! Recording either writes, in the same transaction as its row and audit entry, the event
//! the duty engine reads (`origin` = `emergency_plan:<id>` / `drill:<id>`): a plan's
//! `emergency_plan_approved` (网络安全法 第二十五条, `csl.incident.plan`), a drill's
//! `last_emergency_drill` (网络安全法 第三十四条第（四）项, 条例 第三十二条第一款: the duties
//! `csl.cii.drills` and `mlps.l3.emergency`, recurring at the cadence of data/duties).
//! Both dates are past tense: a day after today is refused (`events::check_not_future`,
//! through `insert_event`), naming the field; nothing is written.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::events::{insert_event, NewEvent};
use crate::{now_rfc3339, secret, Store};

/// What recording a plan takes.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    pub title: String,
    /// The plan's version as its document names it (V1.0, 2026版 …).
    pub version: String,
    /// The day it was approved, `YYYY-MM-DD`, not after today.
    pub approved_on: String,
    /// Who approved it (a person or a body: 网络安全领导小组).
    pub approved_by: String,
    /// The document: a piece of evidence of this network (uploaded through
    /// `/api/networks/{id}/evidence`) …
    #[serde(default)]
    pub evidence_id: Option<String>,
    /// … or an http(s) link to where it is kept. At least one of the two.
    #[serde(default)]
    pub link: Option<String>,
}

/// A recorded plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct EmergencyPlan {
    pub id: String,
    pub network_id: String,
    pub title: String,
    pub version: String,
    pub approved_on: String,
    pub approved_by: String,
    pub evidence_id: Option<String>,
    pub link: Option<String>,
    /// The network event it wrote (`emergency_plan_approved`).
    pub event_id: String,
    pub actor: String,
    pub recorded_at: String,
}

/// What recording a drill takes.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillInput {
    /// The plan drilled (a plan of the same network).
    pub plan_id: String,
    /// The day it was held, `YYYY-MM-DD`, not after today.
    pub held_on: String,
    pub scenario: String,
    /// Who took part (departments, roles, names as the record keeps them).
    pub participants: String,
    /// What the drill found (problems, improvements); may be empty.
    #[serde(default)]
    pub findings: String,
}

/// A recorded drill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct EmergencyDrill {
    pub id: String,
    pub network_id: String,
    pub plan_id: String,
    pub held_on: String,
    pub scenario: String,
    pub participants: String,
    pub findings: String,
    /// The network event it wrote (`last_emergency_drill`).
    pub event_id: String,
    pub actor: String,
    pub recorded_at: String,
}

/// A past date `YYYY-MM-DD` (the future is refused when its event is written).
fn day(field: &'static str, s: &str) -> Result<String> {
    let s = s.trim();
    match s.parse::<jiff::civil::Date>() {
        Ok(d) if s.len() == 10 => Ok(d.to_string()),
        _ => Err(StoreError::invalid(
            field,
            format!("{s:?} 不是有效日期（YYYY-MM-DD） / is not a date YYYY-MM-DD"),
        )),
    }
}

fn required(field: &'static str, s: &str, max: usize) -> Result<String> {
    crate::text::name(field, s, max).map_err(|_| {
        StoreError::invalid(
            field,
            format!(
                "须填写（1至{max}个字符，单行） / is required (1 to {max} characters, one line)"
            ),
        )
    })
}

fn plan_of(r: &AnyRow) -> Result<EmergencyPlan> {
    Ok(EmergencyPlan {
        id: r.try_get("id")?,
        network_id: r.try_get("network_id")?,
        title: r.try_get("title")?,
        version: r.try_get("version")?,
        approved_on: r.try_get("approved_on")?,
        approved_by: r.try_get("approved_by")?,
        evidence_id: r.try_get("evidence_id")?,
        link: r.try_get("link")?,
        event_id: r.try_get("event_id")?,
        actor: r.try_get("actor")?,
        recorded_at: r.try_get("recorded_at")?,
    })
}

fn drill_of(r: &AnyRow) -> Result<EmergencyDrill> {
    Ok(EmergencyDrill {
        id: r.try_get("id")?,
        network_id: r.try_get("network_id")?,
        plan_id: r.try_get("plan_id")?,
        held_on: r.try_get("held_on")?,
        scenario: r.try_get("scenario")?,
        participants: r.try_get("participants")?,
        findings: r.try_get("findings")?,
        event_id: r.try_get("event_id")?,
        actor: r.try_get("actor")?,
        recorded_at: r.try_get("recorded_at")?,
    })
}

impl Store {
    async fn org_of_network(&self, network_id: &str) -> Result<String> {
        self.network_org(network_id)
            .await?
            .ok_or_else(|| StoreError::not_found("network", network_id))
    }

    /// Records an approved emergency plan; its approval meets `csl.incident.plan`.
    pub async fn add_emergency_plan(
        &self,
        actor: &str,
        network_id: &str,
        input: PlanInput,
    ) -> Result<EmergencyPlan> {
        let title = required("title", &input.title, 200)?;
        let version = required("version", &input.version, 50)?;
        let approved_on = day("approved_on", &input.approved_on)?;
        let approved_by = required("approved_by", &input.approved_by, 200)?;
        let evidence_id = input
            .evidence_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        let link = input
            .link
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        if let Some(l) = &link {
            crate::text::text("link", l, 2000)?;
            crate::evidence::check_link(l)?;
        }
        if evidence_id.is_none() && link.is_none() {
            return Err(StoreError::invalid(
                "evidence_id",
                "须指明预案文件：本网络已上传的证据或文件链接 / name the plan's document: evidence of this network or a link",
            ));
        }
        let org = self.org_of_network(network_id).await?;
        let mut w = WriteTx::begin(self).await?;
        if let Some(e) = &evidence_id {
            let of: Option<String> = sqlx::query("SELECT network_id FROM evidence WHERE id = $1")
                .bind(e)
                .fetch_optional(&mut *w.tx)
                .await?
                .map(|r| r.try_get("network_id"))
                .transpose()?;
            if of.as_deref() != Some(network_id) {
                return Err(StoreError::invalid(
                    "evidence_id",
                    format!("本网络没有证据 {e} / no evidence {e} of this network"),
                ));
            }
        }
        let id = secret::new_id()?;
        let event = insert_event(
            &mut w.tx,
            self.now(),
            NewEvent {
                field: "approved_on",
                origin: &format!("emergency_plan:{id}"),
                network_id,
                kind: "emergency_plan_approved",
                at: &approved_on,
                note: &format!("应急预案 {title} {version}"),
                actor,
            },
        )
        .await?;
        let plan = EmergencyPlan {
            id,
            network_id: network_id.to_string(),
            title,
            version,
            approved_on,
            approved_by,
            evidence_id,
            link,
            event_id: event.id,
            actor: actor.to_string(),
            recorded_at: now_rfc3339(),
        };
        sqlx::query(
            "INSERT INTO emergency_plans (id, network_id, org_id, title, version, approved_on, \
             approved_by, evidence_id, link, event_id, actor, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&plan.id)
        .bind(&plan.network_id)
        .bind(&org)
        .bind(&plan.title)
        .bind(&plan.version)
        .bind(&plan.approved_on)
        .bind(&plan.approved_by)
        .bind(&plan.evidence_id)
        .bind(&plan.link)
        .bind(&plan.event_id)
        .bind(&plan.actor)
        .bind(&plan.recorded_at)
        .execute(&mut *w.tx)
        .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org),
            action: "emergency.plan".into(),
            target: format!("network:{network_id}"),
            detail: serde_json::json!({
                "plan": plan.id, "title": plan.title, "version": plan.version,
                "approved_on": plan.approved_on, "approved_by": plan.approved_by,
                "evidence": plan.evidence_id, "link": plan.link, "event": plan.event_id,
            }),
        })
        .await?;
        Ok(plan)
    }

    /// Records a drill of one of the network's plans; it meets the drill duties until the
    /// cadence of data/duties runs out again.
    pub async fn add_emergency_drill(
        &self,
        actor: &str,
        network_id: &str,
        input: DrillInput,
    ) -> Result<EmergencyDrill> {
        let plan_id = required("plan_id", &input.plan_id, 100)?;
        let held_on = day("held_on", &input.held_on)?;
        let scenario = required("scenario", &input.scenario, 500)?;
        let participants = crate::text::text("participants", &input.participants, 2000)?;
        if participants.is_empty() {
            return Err(StoreError::invalid(
                "participants",
                "须填写参加演练的部门或人员 / name who took part",
            ));
        }
        let findings = crate::text::text("findings", &input.findings, 4000)?;
        let org = self.org_of_network(network_id).await?;
        let mut w = WriteTx::begin(self).await?;
        let plan = sqlx::query("SELECT network_id, approved_on FROM emergency_plans WHERE id = $1")
            .bind(&plan_id)
            .fetch_optional(&mut *w.tx)
            .await?;
        let approved_on: String = match plan {
            Some(r) if r.try_get::<String, _>("network_id")? == network_id => {
                r.try_get("approved_on")?
            }
            _ => {
                return Err(StoreError::invalid(
                    "plan_id",
                    format!(
                    "本网络没有应急预案 {plan_id} / no emergency plan {plan_id} of this network"
                ),
                ))
            }
        };
        if held_on < approved_on {
            return Err(StoreError::invalid(
                "held_on",
                format!("{held_on} 早于预案批准日 {approved_on}：演练的是已批准的预案 / is before the plan was approved ({approved_on})"),
            ));
        }
        let id = secret::new_id()?;
        let event = insert_event(
            &mut w.tx,
            self.now(),
            NewEvent {
                field: "held_on",
                origin: &format!("drill:{id}"),
                network_id,
                kind: "last_emergency_drill",
                at: &held_on,
                note: &format!("应急演练 {scenario}"),
                actor,
            },
        )
        .await?;
        let drill = EmergencyDrill {
            id,
            network_id: network_id.to_string(),
            plan_id,
            held_on,
            scenario,
            participants,
            findings,
            event_id: event.id,
            actor: actor.to_string(),
            recorded_at: now_rfc3339(),
        };
        sqlx::query(
            "INSERT INTO emergency_drills (id, network_id, org_id, plan_id, held_on, scenario, \
             participants, findings, event_id, actor, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(&drill.id)
        .bind(&drill.network_id)
        .bind(&org)
        .bind(&drill.plan_id)
        .bind(&drill.held_on)
        .bind(&drill.scenario)
        .bind(&drill.participants)
        .bind(&drill.findings)
        .bind(&drill.event_id)
        .bind(&drill.actor)
        .bind(&drill.recorded_at)
        .execute(&mut *w.tx)
        .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org),
            action: "emergency.drill".into(),
            target: format!("network:{network_id}"),
            detail: serde_json::json!({
                "drill": drill.id, "plan": drill.plan_id, "held_on": drill.held_on,
                "scenario": drill.scenario, "participants": drill.participants,
                "findings": drill.findings, "event": drill.event_id,
            }),
        })
        .await?;
        Ok(drill)
    }

    /// The network's plans, latest approval first.
    pub async fn list_emergency_plans(&self, network_id: &str) -> Result<Vec<EmergencyPlan>> {
        let rows = sqlx::query(
            "SELECT * FROM emergency_plans WHERE network_id = $1 \
             ORDER BY approved_on DESC, recorded_at DESC, id",
        )
        .bind(network_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(plan_of).collect()
    }

    /// The network's drills, latest first.
    pub async fn list_emergency_drills(&self, network_id: &str) -> Result<Vec<EmergencyDrill>> {
        let rows = sqlx::query(
            "SELECT * FROM emergency_drills WHERE network_id = $1 \
             ORDER BY held_on DESC, recorded_at DESC, id",
        )
        .bind(network_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(drill_of).collect()
    }
}
