//! Requests to delete or correct personal information (网络安全法 第四十三条, decision 0507).
//!
//! The law states no deadline (采取措施予以删除或者更正, no figure), so none is invented: a
//! request has a deadline only when its organisation has set a handling period of its own
//! (in working days, with where that figure comes from — GB/T 35273-2020's 15 working days is
//! a standard's recommendation, not a statute), and it keeps the policy in force when it was
//! received. The requester is named by a reference (a ticket number), not by personal data.
//! Every change commits with its audit entry; bad input names the field and writes nothing.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::events::{check_not_future, instant, validate_at};
use crate::{now_rfc3339, secret, Store};

/// The organisation's own handling period, when it has set one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PiRequestPolicy {
    /// Working days from receipt; absent (null) = no policy, no deadline shown.
    #[serde(default)]
    pub working_days: Option<i64>,
    /// Where the figure comes from (the organisation's rule, a standard it follows); required
    /// with `working_days`.
    #[serde(default)]
    pub source: Option<String>,
}

/// What recording a request takes.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPiRequest {
    /// `delete` or `correct`.
    pub kind: String,
    /// A reference to the requester (ticket or case number): no more personal data than needed.
    pub requester_ref: String,
    /// When it was received: `YYYY-MM-DD` or RFC 3339 with offset, not in the future.
    pub received_at: String,
}

/// How a request was closed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosePiRequest {
    /// `done` or `refused`.
    pub outcome: String,
    /// Why it was refused (required then).
    #[serde(default)]
    pub reason: String,
    /// `YYYY-MM-DD` or RFC 3339 with offset, not in the future, not before receipt.
    pub closed_at: String,
}

/// A stored request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PiRequest {
    pub id: String,
    pub network_id: String,
    pub org_id: String,
    /// `delete` or `correct`.
    pub kind: String,
    pub requester_ref: String,
    pub received_at: String,
    /// The organisation's policy when it was received (none: the law sets no deadline).
    pub policy_working_days: Option<i64>,
    pub policy_source: Option<String>,
    /// `open` or `closed`.
    pub state: String,
    /// `done` or `refused` once closed.
    pub outcome: Option<String>,
    pub reason: String,
    pub closed_at: Option<String>,
    pub closed_by: Option<String>,
    pub actor: String,
    pub recorded_at: String,
}

/// The longest handling period accepted (a year of working days): a larger figure is a typo.
const MAX_DAYS: i64 = 250;

fn check_policy(p: &PiRequestPolicy) -> Result<PiRequestPolicy> {
    let source = p
        .source
        .as_deref()
        .map(|s| crate::text::text("source", s, 500))
        .transpose()?
        .filter(|s| !s.is_empty());
    match p.working_days {
        None => Ok(PiRequestPolicy {
            working_days: None,
            source: None,
        }),
        Some(n) if !(1..=MAX_DAYS).contains(&n) => Err(StoreError::invalid(
            "working_days",
            format!("须为1至{MAX_DAYS}个工作日 / must be 1 to {MAX_DAYS} working days"),
        )),
        Some(_) if source.is_none() => Err(StoreError::invalid(
            "source",
            "须说明期限的来源（本单位制度、所采用的标准） / say where the period comes from (the organisation's rule, a standard it follows)",
        )),
        Some(n) => Ok(PiRequestPolicy {
            working_days: Some(n),
            source,
        }),
    }
}

fn when(field: &'static str, s: &str, now: jiff::Timestamp) -> Result<String> {
    let at = validate_at(field, s).map_err(|_| {
        StoreError::invalid(
            field,
            format!("{:?} 不是日期（YYYY-MM-DD）或带时区偏移的 RFC 3339 时间 / is not a date YYYY-MM-DD or an RFC 3339 time with offset", s.trim()),
        )
    })?;
    check_not_future(field, "pi_request", &at, now).map_err(|_| {
        StoreError::invalid(
            field,
            format!("{at} 在将来：只能登记已经发生的事 / is in the future: only what has happened can be recorded"),
        )
    })?;
    Ok(at)
}

fn request_of(r: &AnyRow) -> Result<PiRequest> {
    Ok(PiRequest {
        id: r.try_get("id")?,
        network_id: r.try_get("network_id")?,
        org_id: r.try_get("org_id")?,
        kind: r.try_get("kind")?,
        requester_ref: r.try_get("requester_ref")?,
        received_at: r.try_get("received_at")?,
        policy_working_days: r.try_get("policy_working_days")?,
        policy_source: r.try_get("policy_source")?,
        state: r.try_get("state")?,
        outcome: r.try_get("outcome")?,
        reason: r.try_get("reason")?,
        closed_at: r.try_get("closed_at")?,
        closed_by: r.try_get("closed_by")?,
        actor: r.try_get("actor")?,
        recorded_at: r.try_get("recorded_at")?,
    })
}

impl Store {
    /// The organisation's handling period for personal-information requests.
    pub async fn pi_request_policy(&self, org_id: &str) -> Result<PiRequestPolicy> {
        let row = sqlx::query(
            "SELECT pi_request_working_days, pi_request_policy_source FROM organisations WHERE id = $1",
        )
        .bind(org_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::not_found("organisation", org_id))?;
        Ok(PiRequestPolicy {
            working_days: row.try_get("pi_request_working_days")?,
            source: row.try_get("pi_request_policy_source")?,
        })
    }

    /// Sets (or, with `working_days` absent, clears) the organisation's handling period.
    pub async fn set_pi_request_policy(
        &self,
        actor: &str,
        org_id: &str,
        policy: PiRequestPolicy,
    ) -> Result<PiRequestPolicy> {
        let p = check_policy(&policy)?;
        let mut w = WriteTx::begin(self).await?;
        let done = sqlx::query(
            "UPDATE organisations SET pi_request_working_days = $1, pi_request_policy_source = $2 \
             WHERE id = $3",
        )
        .bind(p.working_days)
        .bind(&p.source)
        .bind(org_id)
        .execute(&mut *w.tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found("organisation", org_id));
        }
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org_id.to_string()),
            action: "pi_request.policy".into(),
            target: format!("organisation:{org_id}"),
            detail: serde_json::json!({"working_days": p.working_days, "source": p.source}),
        })
        .await?;
        Ok(p)
    }

    /// Records a request received; it keeps the organisation's policy in force now.
    pub async fn add_pi_request(
        &self,
        actor: &str,
        network_id: &str,
        input: NewPiRequest,
    ) -> Result<PiRequest> {
        let kind = match input.kind.trim() {
            k @ ("delete" | "correct") => k.to_string(),
            _ => {
                return Err(StoreError::invalid(
                    "kind",
                    "须为 delete（删除）或 correct（更正） / must be delete or correct",
                ))
            }
        };
        let requester_ref = crate::text::name("requester_ref", &input.requester_ref, 100)
            .map_err(|_| {
                StoreError::invalid(
                    "requester_ref",
                    "须填写请求人的编号（工单号等，1至100个字符，不填个人信息） / give a reference to the requester (a ticket number, 1 to 100 characters, no personal data)",
                )
            })?;
        let received_at = when("received_at", &input.received_at, self.now())?;
        let org = self
            .network_org(network_id)
            .await?
            .ok_or_else(|| StoreError::not_found("network", network_id))?;
        let policy = self.pi_request_policy(&org).await?;
        let mut w = WriteTx::begin(self).await?;
        let req = PiRequest {
            id: secret::new_id()?,
            network_id: network_id.to_string(),
            org_id: org.clone(),
            kind,
            requester_ref,
            received_at,
            policy_working_days: policy.working_days,
            policy_source: policy.source,
            state: "open".into(),
            outcome: None,
            reason: String::new(),
            closed_at: None,
            closed_by: None,
            actor: actor.to_string(),
            recorded_at: now_rfc3339(),
        };
        sqlx::query(
            "INSERT INTO pi_requests (id, network_id, org_id, kind, requester_ref, received_at, \
             policy_working_days, policy_source, state, reason, actor, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', '', $9, $10)",
        )
        .bind(&req.id)
        .bind(&req.network_id)
        .bind(&req.org_id)
        .bind(&req.kind)
        .bind(&req.requester_ref)
        .bind(&req.received_at)
        .bind(req.policy_working_days)
        .bind(&req.policy_source)
        .bind(&req.actor)
        .bind(&req.recorded_at)
        .execute(&mut *w.tx)
        .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org),
            action: "pi_request.add".into(),
            target: format!("pi_request:{}", req.id),
            detail: serde_json::json!({
                "network": req.network_id, "kind": req.kind, "requester_ref": req.requester_ref,
                "received_at": req.received_at, "policy_working_days": req.policy_working_days,
            }),
        })
        .await?;
        Ok(req)
    }

    /// Closes a request: done, or refused with the reason.
    pub async fn close_pi_request(
        &self,
        actor: &str,
        id: &str,
        input: ClosePiRequest,
    ) -> Result<PiRequest> {
        let outcome = match input.outcome.trim() {
            o @ ("done" | "refused") => o.to_string(),
            _ => {
                return Err(StoreError::invalid(
                    "outcome",
                    "须为 done（已处理）或 refused（拒绝） / must be done or refused",
                ))
            }
        };
        let reason = crate::text::text("reason", &input.reason, 2000)?;
        if outcome == "refused" && reason.is_empty() {
            return Err(StoreError::invalid(
                "reason",
                "拒绝须说明理由 / a refusal needs its reason",
            ));
        }
        let closed_at = when("closed_at", &input.closed_at, self.now())?;
        let mut w = WriteTx::begin(self).await?;
        let mut req = sqlx::query("SELECT * FROM pi_requests WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *w.tx)
            .await?
            .map(|r| request_of(&r))
            .transpose()?
            .ok_or_else(|| StoreError::not_found("pi_request", id))?;
        if req.state == "closed" {
            return Err(StoreError::invalid(
                "state",
                format!("请求 {id} 已办结 / request {id} is already closed"),
            ));
        }
        if instant(&closed_at) < instant(&req.received_at) {
            return Err(StoreError::invalid(
                "closed_at",
                format!(
                    "{closed_at} 早于收到请求的时间 {} / is before the request was received",
                    req.received_at
                ),
            ));
        }
        sqlx::query(
            "UPDATE pi_requests SET state = 'closed', outcome = $1, reason = $2, closed_at = $3, \
             closed_by = $4 WHERE id = $5",
        )
        .bind(&outcome)
        .bind(&reason)
        .bind(&closed_at)
        .bind(actor)
        .bind(id)
        .execute(&mut *w.tx)
        .await?;
        req.state = "closed".into();
        req.outcome = Some(outcome);
        req.reason = reason;
        req.closed_at = Some(closed_at);
        req.closed_by = Some(actor.to_string());
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(req.org_id.clone()),
            action: "pi_request.close".into(),
            target: format!("pi_request:{id}"),
            detail: serde_json::json!({
                "network": req.network_id, "outcome": req.outcome, "reason": req.reason,
                "closed_at": req.closed_at,
            }),
        })
        .await?;
        Ok(req)
    }

    pub async fn get_pi_request(&self, id: &str) -> Result<PiRequest> {
        sqlx::query("SELECT * FROM pi_requests WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| request_of(&r))
            .transpose()?
            .ok_or_else(|| StoreError::not_found("pi_request", id))
    }

    /// The network's requests, latest received first.
    pub async fn list_pi_requests(&self, network_id: &str) -> Result<Vec<PiRequest>> {
        let rows = sqlx::query(
            "SELECT * FROM pi_requests WHERE network_id = $1 ORDER BY received_at DESC, id",
        )
        .bind(network_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(request_of).collect()
    }
}
