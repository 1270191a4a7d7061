//! Assessor engagements (等级测评委托): an organisation engages an assessment body (an
//! assessor user) for one of its networks, which grants the assessor reach to the
//! organisation; the assessor records a finding per duty (conforms / partly / not
//! conforming, text, evidence of the same network) and concludes with 符合 / 基本符合 /
//! 不符合 and an optional score (docs/decisions/0812-assessment-conclusion.md). Concluding
//! records the `last_assessment` event the duty engine reads (条例 第二十三条).

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::events::{check_not_future, insert_event, NewEvent};
use crate::filings::{grant_reach, text, user_with_role, validate_date};
use crate::users::Role;
use crate::{now_rfc3339, secret, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FindingResult {
    /// 符合
    Conforms,
    /// 部分符合
    Partly,
    /// 不符合
    NotConforming,
}

impl FindingResult {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingResult::Conforms => "conforms",
            FindingResult::Partly => "partly",
            FindingResult::NotConforming => "not_conforming",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            FindingResult::Conforms => "符合",
            FindingResult::Partly => "部分符合",
            FindingResult::NotConforming => "不符合",
        }
    }
    fn parse(s: &str) -> Option<FindingResult> {
        Some(match s {
            "conforms" => FindingResult::Conforms,
            "partly" => FindingResult::Partly,
            "not_conforming" => FindingResult::NotConforming,
            _ => return None,
        })
    }
}

/// The assessment's conclusion (测评结论).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Conclusion {
    /// 符合
    Conforms,
    /// 基本符合
    BasicallyConforms,
    /// 不符合
    NotConforming,
}

impl Conclusion {
    pub fn as_str(self) -> &'static str {
        match self {
            Conclusion::Conforms => "conforms",
            Conclusion::BasicallyConforms => "basically_conforms",
            Conclusion::NotConforming => "not_conforming",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Conclusion::Conforms => "符合",
            Conclusion::BasicallyConforms => "基本符合",
            Conclusion::NotConforming => "不符合",
        }
    }
    fn parse(s: &str) -> Option<Conclusion> {
        Some(match s {
            "conforms" => Conclusion::Conforms,
            "basically_conforms" => Conclusion::BasicallyConforms,
            "not_conforming" => Conclusion::NotConforming,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Finding {
    pub id: String,
    pub duty_id: String,
    pub result: FindingResult,
    pub text: String,
    pub evidence: Vec<String>,
    pub recorded_by: String,
    pub recorded_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Engagement {
    pub id: String,
    pub network_id: String,
    pub org_id: String,
    pub assessor_id: String,
    /// `open` or `concluded`.
    pub state: String,
    pub engaged_on: String,
    pub conclusion: Option<Conclusion>,
    /// 0–100, two decimals.
    pub score: Option<f64>,
    pub summary: String,
    pub concluded_on: Option<String>,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EngagementInput {
    pub assessor_id: String,
    /// `YYYY-MM-DD`
    pub engaged_on: String,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingInput {
    /// A duty id of the catalog (checked by the server).
    pub duty_id: String,
    pub result: FindingResult,
    #[serde(default)]
    pub text: String,
    /// Evidence ids of the same network.
    #[serde(default)]
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConclusionInput {
    pub conclusion: Conclusion,
    /// `YYYY-MM-DD`
    pub concluded_on: String,
    #[serde(default)]
    pub score: Option<f64>,
    #[serde(default)]
    pub summary: String,
}

const COLUMNS: &str = "id, network_id, org_id, assessor_id, state, engaged_on, conclusion, \
    score_x100, summary, concluded_on";

fn corrupt(table: &'static str, id: &str, m: String) -> StoreError {
    StoreError::Corrupt {
        table,
        id: id.to_string(),
        message: m,
    }
}

fn decode(row: &AnyRow) -> Result<Engagement> {
    let id: String = row.try_get("id")?;
    let conclusion: Option<String> = row.try_get("conclusion")?;
    let conclusion = match conclusion {
        Some(c) => Some(
            Conclusion::parse(&c)
                .ok_or_else(|| corrupt("engagements", &id, format!("conclusion {c:?}")))?,
        ),
        None => None,
    };
    let score: Option<i64> = row.try_get("score_x100")?;
    Ok(Engagement {
        network_id: row.try_get("network_id")?,
        org_id: row.try_get("org_id")?,
        assessor_id: row.try_get("assessor_id")?,
        state: row.try_get("state")?,
        engaged_on: row.try_get("engaged_on")?,
        conclusion,
        score: score.map(|s| s as f64 / 100.0),
        summary: row.try_get("summary")?,
        concluded_on: row.try_get("concluded_on")?,
        findings: Vec::new(),
        id,
    })
}

fn decode_finding(row: &AnyRow) -> Result<Finding> {
    let id: String = row.try_get("id")?;
    let result: String = row.try_get("result")?;
    let evidence: String = row.try_get("evidence")?;
    Ok(Finding {
        duty_id: row.try_get("duty_id")?,
        result: FindingResult::parse(&result)
            .ok_or_else(|| corrupt("findings", &id, format!("result {result:?}")))?,
        text: row.try_get("text")?,
        evidence: serde_json::from_str(&evidence)
            .map_err(|e| corrupt("findings", &id, e.to_string()))?,
        recorded_by: row.try_get("recorded_by")?,
        recorded_at: row.try_get("recorded_at")?,
        id,
    })
}

impl Store {
    /// The organisation engages an assessor for a network; the assessor gains reach to the
    /// organisation. One open engagement per network and assessor.
    pub async fn engage(
        &self,
        actor: &str,
        network_id: &str,
        input: EngagementInput,
    ) -> Result<Engagement> {
        let on = validate_date("engaged_on", &input.engaged_on)?;
        let org = self
            .network_org(network_id)
            .await?
            .ok_or_else(|| StoreError::not_found("network", network_id))?;
        let mut w = WriteTx::begin(self).await?;
        user_with_role(&mut w.tx, "assessor_id", &input.assessor_id, Role::Assessor).await?;
        let open = sqlx::query(
            "SELECT id FROM engagements WHERE network_id = $1 AND assessor_id = $2 AND state = 'open'",
        )
        .bind(network_id)
        .bind(&input.assessor_id)
        .fetch_optional(&mut *w.tx)
        .await?;
        if let Some(row) = open {
            let id: String = row.try_get("id")?;
            return Err(StoreError::invalid(
                "assessor_id",
                format!("this assessor already has open engagement {id} for the network (已有进行中的测评委托)"),
            ));
        }
        let e = Engagement {
            id: secret::new_id()?,
            network_id: network_id.to_string(),
            org_id: org.clone(),
            assessor_id: input.assessor_id.clone(),
            state: "open".into(),
            engaged_on: on.to_string(),
            conclusion: None,
            score: None,
            summary: String::new(),
            concluded_on: None,
            findings: Vec::new(),
        };
        let now = now_rfc3339();
        sqlx::query(
            "INSERT INTO engagements (id, network_id, org_id, assessor_id, state, engaged_on, engaged_by, \
             summary, recorded_at, updated_at) VALUES ($1, $2, $3, $4, 'open', $5, $6, '', $7, $7)",
        )
        .bind(&e.id)
        .bind(network_id)
        .bind(&org)
        .bind(&e.assessor_id)
        .bind(&e.engaged_on)
        .bind(actor)
        .bind(&now)
        .execute(&mut *w.tx)
        .await?;
        let granted = grant_reach(&mut w.tx, &e.assessor_id, &org).await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org),
            action: "engagement.create".into(),
            target: format!("network:{network_id}"),
            detail: serde_json::json!({"engagement": e.id, "assessor": e.assessor_id, "engaged_on": e.engaged_on, "reach_granted": granted}),
        })
        .await?;
        self.tokens.clear();
        Ok(e)
    }

    /// A network's engagements with their findings, newest first.
    pub async fn list_engagements(&self, network_id: &str) -> Result<Vec<Engagement>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM engagements WHERE network_id = $1 ORDER BY engaged_on DESC, recorded_at DESC"
        ))
        .bind(network_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut e = decode(row)?;
            e.findings = self.findings_of(&e.id).await?;
            out.push(e);
        }
        Ok(out)
    }

    /// The engagements of one assessor, newest first (without findings).
    pub async fn assessor_engagements(&self, assessor_id: &str) -> Result<Vec<Engagement>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM engagements WHERE assessor_id = $1 ORDER BY engaged_on DESC, recorded_at DESC"
        ))
        .bind(assessor_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(decode).collect()
    }

    async fn findings_of(&self, engagement_id: &str) -> Result<Vec<Finding>> {
        let rows = sqlx::query(
            "SELECT id, duty_id, result, text, evidence, recorded_by, recorded_at FROM findings \
             WHERE engagement_id = $1 ORDER BY duty_id",
        )
        .bind(engagement_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(decode_finding).collect()
    }

    /// The caller's open engagement for the network (`assessor_id`), or an error naming why.
    pub(crate) async fn open_engagement_id(
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        network_id: &str,
        assessor_id: &str,
    ) -> Result<String> {
        let row = sqlx::query(
            "SELECT id FROM engagements WHERE network_id = $1 AND assessor_id = $2 AND state = 'open'",
        )
        .bind(network_id)
        .bind(assessor_id)
        .fetch_optional(&mut **tx)
        .await?;
        match row {
            Some(r) => Ok(r.try_get("id")?),
            None => Err(StoreError::invalid(
                "engagement",
                "you have no open engagement for this network (您没有该网络进行中的测评委托)",
            )),
        }
    }

    /// Records (or replaces) the assessor's finding for one duty in its open engagement.
    pub async fn record_finding(
        &self,
        actor: &str,
        assessor_id: &str,
        network_id: &str,
        input: FindingInput,
    ) -> Result<Finding> {
        let body = text("text", &input.text, 8000)?;
        let duty_id = text("duty_id", &input.duty_id, 200)?;
        let evidence_ids = self.list_evidence(network_id).await?;
        for id in &input.evidence {
            if !evidence_ids.iter().any(|e| &e.id == id) {
                return Err(StoreError::invalid(
                    "evidence",
                    format!("{id:?} is not evidence of this network (不是该网络的证据)"),
                ));
            }
        }
        let mut w = WriteTx::begin(self).await?;
        let engagement = Self::open_engagement_id(&mut w.tx, network_id, assessor_id).await?;
        let f = Finding {
            id: secret::new_id()?,
            duty_id,
            result: input.result,
            text: body,
            evidence: input.evidence,
            recorded_by: actor.to_string(),
            recorded_at: now_rfc3339(),
        };
        sqlx::query("DELETE FROM findings WHERE engagement_id = $1 AND duty_id = $2")
            .bind(&engagement)
            .bind(&f.duty_id)
            .execute(&mut *w.tx)
            .await?;
        sqlx::query(
            "INSERT INTO findings (id, engagement_id, duty_id, result, text, evidence, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&f.id)
        .bind(&engagement)
        .bind(&f.duty_id)
        .bind(f.result.as_str())
        .bind(&f.text)
        .bind(serde_json::to_string(&f.evidence).unwrap_or_else(|_| "[]".into()))
        .bind(actor)
        .bind(&f.recorded_at)
        .execute(&mut *w.tx)
        .await?;
        let org = self.network_org(network_id).await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: org,
            action: "finding.record".into(),
            target: format!("network:{network_id}"),
            detail: serde_json::json!({"engagement": engagement, "duty": f.duty_id, "result": f.result, "text": f.text, "evidence": f.evidence}),
        })
        .await?;
        Ok(f)
    }

    /// Concludes the assessor's open engagement and records `last_assessment`.
    pub async fn conclude(
        &self,
        actor: &str,
        assessor_id: &str,
        network_id: &str,
        input: ConclusionInput,
    ) -> Result<Engagement> {
        let on = validate_date("concluded_on", &input.concluded_on)?;
        check_not_future(
            "concluded_on",
            "last_assessment",
            &on.to_string(),
            self.now(),
        )?;
        let summary = text("summary", &input.summary, 8000)?;
        let score = match input.score {
            Some(s) if (0.0..=100.0).contains(&s) => Some((s * 100.0).round() as i64),
            Some(s) => {
                return Err(StoreError::invalid(
                    "score",
                    format!("{s} is not between 0 and 100 (得分须在0至100之间)"),
                ))
            }
            None => None,
        };
        let mut w = WriteTx::begin(self).await?;
        let id = Self::open_engagement_id(&mut w.tx, network_id, assessor_id).await?;
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM engagements WHERE id = $1"))
            .bind(&id)
            .fetch_one(&mut *w.tx)
            .await?;
        let engaged_on: String = row.try_get("engaged_on")?;
        if on.to_string() < engaged_on {
            return Err(StoreError::invalid(
                "concluded_on",
                format!("{on} is before the engagement began on {engaged_on}"),
            ));
        }
        sqlx::query(
            "UPDATE engagements SET state = 'concluded', conclusion = $1, score_x100 = $2, summary = $3, \
             concluded_on = $4, updated_at = $5 WHERE id = $6",
        )
        .bind(input.conclusion.as_str())
        .bind(score)
        .bind(&summary)
        .bind(on.to_string())
        .bind(now_rfc3339())
        .bind(&id)
        .execute(&mut *w.tx)
        .await?;
        let event = insert_event(
            &mut w.tx,
            self.now(),
            NewEvent {
                field: "concluded_on",
                origin: &format!("engagement:{id}"),
                network_id,
                kind: "last_assessment",
                at: &on.to_string(),
                note: &format!("等级测评结论：{}", input.conclusion.zh()),
                actor,
            },
        )
        .await?
        .id;
        let org: String = row.try_get("org_id")?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org),
            action: "engagement.conclude".into(),
            target: format!("network:{network_id}"),
            detail: serde_json::json!({"engagement": id, "conclusion": input.conclusion, "score_x100": score, "on": on.to_string(), "event": event}),
        })
        .await?;
        let mut e = decode(
            &sqlx::query(&format!("SELECT {COLUMNS} FROM engagements WHERE id = $1"))
                .bind(&id)
                .fetch_one(&self.pool)
                .await?,
        )?;
        e.findings = self.findings_of(&id).await?;
        Ok(e)
    }
}
