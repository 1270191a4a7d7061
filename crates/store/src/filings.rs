//! Filing (备案): an operator files a graded network of level 2+ with a supervising public
//! security organ (条例 第十八条); the organ reviews it and, within 10 working days of
//! receipt, issues the filing certificate (备案证明) or rejects it with reasons (第十九条).
//!
//! Jurisdiction (docs/decisions/0810-filing-and-jurisdiction.md): a filing names the
//! supervisor user (the organ) it goes to; submitting grants that supervisor reach to the
//! operator's organisation (`user_orgs`), so the organ sees what was filed with it.
//!
//! States: `submitted` → `certified` | `rejected`; a rejected filing stays as it was and
//! the operator submits a new one. A certified filing is superseded by a new submission
//! only when the network's level has changed (备案变更, 第十八条第二款). Every transition
//! commits with its audit entry and records the lifecycle event the duty engine reads
//! (`filed` or `filing_changed`, `certified`).

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::events::{check_not_future, insert_event, NewEvent};
use crate::users::Role;
use crate::{now_rfc3339, secret, OrgScope, Store};

/// Where a filing stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FilingState {
    /// Received by the organ, under review.
    Submitted,
    /// The filing certificate (备案证明) was issued.
    Certified,
    /// Rejected with reasons; the operator submits again.
    Rejected,
}

impl FilingState {
    fn as_str(self) -> &'static str {
        match self {
            FilingState::Submitted => "submitted",
            FilingState::Certified => "certified",
            FilingState::Rejected => "rejected",
        }
    }
    fn parse(s: &str) -> Option<FilingState> {
        Some(match s {
            "submitted" => FilingState::Submitted,
            "certified" => FilingState::Certified,
            "rejected" => FilingState::Rejected,
            _ => return None,
        })
    }
}

pub use crate::filing_form::FilingForm;

/// What the operator submits.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FilingInput {
    /// The supervisor user (public security organ) it is filed with.
    pub supervisor_id: String,
    /// The date the organ received it, `YYYY-MM-DD`; its review clock starts here.
    pub submitted_on: String,
    #[serde(default)]
    pub form: FilingForm,
    #[serde(default)]
    pub note: String,
}

/// The organ's decision.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FilingDecision {
    /// `certify` or `reject`.
    pub decision: Decision,
    /// The decision's date `YYYY-MM-DD`.
    pub on: String,
    /// The certificate number (备案证明编号), required to certify.
    #[serde(default)]
    pub certificate_no: Option<String>,
    /// Why it is rejected (驳回理由), required to reject.
    #[serde(default)]
    pub reasons: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Certify,
    Reject,
}

/// A stored filing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Filing {
    pub id: String,
    pub network_id: String,
    pub network_name: String,
    pub org_id: String,
    pub supervisor_id: String,
    pub level: u8,
    pub state: FilingState,
    pub submitted_on: String,
    /// 10 working days after receipt (条例 第十九条), on the State Council's calendar.
    pub review_due: String,
    pub decided_on: Option<String>,
    pub certificate_no: Option<String>,
    pub reasons: String,
    pub form: FilingForm,
    pub note: String,
    pub submitted_by: String,
    pub decided_by: Option<String>,
}

/// A supervisor an operator may file with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Supervisor {
    pub id: String,
    pub name: String,
}

const COLUMNS: &str = "f.id, f.network_id, n.name AS network_name, f.org_id, f.supervisor_id, \
    f.level, f.state, f.submitted_on, f.review_due, f.decided_on, f.certificate_no, f.reasons, \
    f.form, f.note, f.submitted_by, f.decided_by";

fn decode(row: &AnyRow) -> Result<Filing> {
    let id: String = row.try_get("id")?;
    let corrupt = |m: String| StoreError::Corrupt {
        table: "filings",
        id: id.clone(),
        message: m,
    };
    let state: String = row.try_get("state")?;
    let level: i64 = row.try_get("level")?;
    let form: String = row.try_get("form")?;
    Ok(Filing {
        network_id: row.try_get("network_id")?,
        network_name: row.try_get("network_name")?,
        org_id: row.try_get("org_id")?,
        supervisor_id: row.try_get("supervisor_id")?,
        level: u8::try_from(level).map_err(|e| corrupt(e.to_string()))?,
        state: FilingState::parse(&state).ok_or_else(|| corrupt(format!("state {state:?}")))?,
        submitted_on: row.try_get("submitted_on")?,
        review_due: row.try_get("review_due")?,
        decided_on: row.try_get("decided_on")?,
        certificate_no: row.try_get("certificate_no")?,
        reasons: row.try_get("reasons")?,
        form: serde_json::from_str(&form).map_err(|e| corrupt(format!("form: {e}")))?,
        note: row.try_get("note")?,
        submitted_by: row.try_get("submitted_by")?,
        decided_by: row.try_get("decided_by")?,
        id,
    })
}

/// Checks a `YYYY-MM-DD` date field.
pub fn validate_date(field: &'static str, s: &str) -> Result<jiff::civil::Date> {
    let s = s.trim();
    match s.parse::<jiff::civil::Date>() {
        Ok(d) if s.len() == 10 => Ok(d),
        _ => Err(StoreError::invalid(
            field,
            format!("{s:?} is not a date YYYY-MM-DD (日期格式无效)"),
        )),
    }
}

/// A bounded free-text field (no control characters: crate::text).
pub(crate) use crate::text::text;

/// Gives `user_id` reach to `org_id` through a workflow (a filing, an engagement): the
/// organisation, but of its networks only those the workflow names (decision 0939).
/// Idempotent; an administrator's grant stays one. The token cache is cleared by the caller
/// after commit so the grant holds at once.
pub(crate) async fn grant_reach(
    tx: &mut Transaction<'static, Any>,
    user_id: &str,
    org_id: &str,
) -> Result<bool> {
    let has = sqlx::query("SELECT user_id FROM user_orgs WHERE user_id = $1 AND org_id = $2")
        .bind(user_id)
        .bind(org_id)
        .fetch_optional(&mut **tx)
        .await?;
    if has.is_some() {
        return Ok(false);
    }
    sqlx::query("INSERT INTO user_orgs (user_id, org_id, via) VALUES ($1, $2, 'workflow')")
        .bind(user_id)
        .bind(org_id)
        .execute(&mut **tx)
        .await?;
    Ok(true)
}

/// The role of an enabled user, or an `invalid field` error naming what is wrong.
pub(crate) async fn user_with_role(
    tx: &mut Transaction<'static, Any>,
    field: &'static str,
    user_id: &str,
    role: Role,
) -> Result<()> {
    let row = sqlx::query("SELECT role FROM users WHERE id = $1 AND disabled = 0")
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await?;
    let want = crate::profile::to_text(&role);
    match row {
        Some(r) if r.try_get::<String, _>("role")? == want => Ok(()),
        _ => Err(StoreError::invalid(
            field,
            format!("{user_id:?} is not a {want} user (不是{want}用户)"),
        )),
    }
}

impl Store {
    /// The supervisors (public security organs) an operator may file with.
    pub async fn list_supervisors(&self) -> Result<Vec<Supervisor>> {
        let rows = sqlx::query(
            "SELECT id, name FROM users WHERE role = 'supervisor' AND disabled = 0 ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Supervisor {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                })
            })
            .collect()
    }

    /// Submits a network's filing. `review_due` is the organ's deadline, computed by the
    /// caller from the calendar (10 working days after `submitted_on`, 第十九条).
    pub async fn submit_filing(
        &self,
        actor: &str,
        network_id: &str,
        input: FilingInput,
        review_due: jiff::civil::Date,
    ) -> Result<Filing> {
        let submitted_on = validate_date("submitted_on", &input.submitted_on)?;
        check_not_future(
            "submitted_on",
            "filed",
            &submitted_on.to_string(),
            self.now(),
        )?;
        let note = text("note", &input.note, 2000)?;
        let form = input.form.clone().validated()?;
        let network = self.get_network(network_id).await?;
        let level = match network.profile.level {
            Some(l) if l.get() >= 2 => l.get(),
            Some(_) => return Err(StoreError::invalid(
                "level",
                "only networks of level 2 and above are filed (第二级以上网络备案，条例 第十八条)",
            )),
            None => {
                return Err(StoreError::invalid(
                    "level",
                    "grade the network before filing it (先定级后备案，条例 第十八条)",
                ))
            }
        };
        let mut w = WriteTx::begin(self).await?;
        user_with_role(
            &mut w.tx,
            "supervisor_id",
            &input.supervisor_id,
            Role::Supervisor,
        )
        .await?;
        let current = current_in(&mut w.tx, network_id).await?;
        let kind = match &current {
            Some(f) if f.state == FilingState::Submitted => {
                return Err(StoreError::invalid(
                    "state",
                    format!(
                        "filing {} is still under review (备案正在审核中，不能重复提交)",
                        f.id
                    ),
                ))
            }
            Some(f) if f.state == FilingState::Certified && f.level == level => {
                return Err(StoreError::invalid(
                    "state",
                    format!(
                        "the network is already filed at level {level}, certificate {} (已备案；等级变化后才办理备案变更)",
                        f.certificate_no.as_deref().unwrap_or("")
                    ),
                ))
            }
            Some(f) if f.state == FilingState::Certified => "filing_changed",
            _ => "filed",
        };
        let filing = Filing {
            id: secret::new_id()?,
            network_id: network_id.to_string(),
            network_name: network.profile.name.clone(),
            org_id: network.org_id.clone(),
            supervisor_id: input.supervisor_id.clone(),
            level,
            state: FilingState::Submitted,
            submitted_on: submitted_on.to_string(),
            review_due: review_due.to_string(),
            decided_on: None,
            certificate_no: None,
            reasons: String::new(),
            form,
            note,
            submitted_by: actor.to_string(),
            decided_by: None,
        };
        let form = serde_json::to_string(&filing.form)
            .map_err(|e| StoreError::invalid("form", e.to_string()))?;
        let now = now_rfc3339();
        sqlx::query(
            "INSERT INTO filings (id, network_id, org_id, supervisor_id, level, state, submitted_on, \
             review_due, reasons, form, note, submitted_by, recorded_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'submitted', $6, $7, '', $8, $9, $10, $11, $11)",
        )
        .bind(&filing.id)
        .bind(&filing.network_id)
        .bind(&filing.org_id)
        .bind(&filing.supervisor_id)
        .bind(i64::from(level))
        .bind(&filing.submitted_on)
        .bind(&filing.review_due)
        .bind(form)
        .bind(&filing.note)
        .bind(actor)
        .bind(&now)
        .execute(&mut *w.tx)
        .await?;
        let granted = grant_reach(&mut w.tx, &filing.supervisor_id, &filing.org_id).await?;
        let event = insert_event(
            &mut w.tx,
            self.now(),
            NewEvent {
                field: "submitted_on",
                origin: &format!("filing:{}", filing.id),
                network_id,
                kind,
                at: &filing.submitted_on,
                note: &format!("备案提交 filing {}", filing.id),
                actor,
            },
        )
        .await?
        .id;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(filing.org_id.clone()),
            action: "filing.submit".into(),
            target: format!("network:{network_id}"),
            detail: serde_json::json!({
                "filing": filing.id, "supervisor": filing.supervisor_id, "level": level,
                "submitted_on": filing.submitted_on, "review_due": filing.review_due,
                "event": event, "kind": kind, "reach_granted": granted,
            }),
        })
        .await?;
        self.tokens.clear();
        Ok(filing)
    }

    /// The organ certifies or rejects the network's filing under review.
    pub async fn decide_filing(
        &self,
        actor: &str,
        network_id: &str,
        decision: FilingDecision,
    ) -> Result<Filing> {
        let on = validate_date("on", &decision.on)?;
        check_not_future("on", "certified", &on.to_string(), self.now())?;
        let mut w = WriteTx::begin(self).await?;
        let Some(mut filing) = current_in(&mut w.tx, network_id).await? else {
            return Err(StoreError::invalid(
                "state",
                "the network has no filing to review (该网络没有待审核的备案)",
            ));
        };
        if filing.state != FilingState::Submitted {
            return Err(StoreError::invalid(
                "state",
                format!(
                    "filing {} is {}, not under review (备案不在审核状态)",
                    filing.id,
                    filing.state.as_str()
                ),
            ));
        }
        if on < validate_date("submitted_on", &filing.submitted_on)? {
            return Err(StoreError::invalid(
                "on",
                format!(
                    "{on} is before the filing was received on {} (决定日期早于受理日期)",
                    filing.submitted_on
                ),
            ));
        }
        let (state, event) = match decision.decision {
            Decision::Certify => {
                let no = text(
                    "certificate_no",
                    decision.certificate_no.as_deref().unwrap_or(""),
                    100,
                )?;
                if no.is_empty() {
                    return Err(StoreError::invalid(
                        "certificate_no",
                        "a certificate number is required to certify (须填写备案证明编号)",
                    ));
                }
                let taken = sqlx::query("SELECT id FROM filings WHERE certificate_no = $1")
                    .bind(&no)
                    .fetch_optional(&mut *w.tx)
                    .await?;
                if taken.is_some() {
                    return Err(StoreError::Conflict {
                        what: "certificate number",
                        value: no,
                    });
                }
                filing.certificate_no = Some(no);
                (FilingState::Certified, Some("certified"))
            }
            Decision::Reject => {
                let reasons = text("reasons", decision.reasons.as_deref().unwrap_or(""), 4000)?;
                if reasons.is_empty() {
                    return Err(StoreError::invalid(
                        "reasons",
                        "a rejection names its reasons (驳回须说明理由)",
                    ));
                }
                filing.reasons = reasons;
                (FilingState::Rejected, None)
            }
        };
        filing.state = state;
        filing.decided_on = Some(on.to_string());
        filing.decided_by = Some(actor.to_string());
        sqlx::query(
            "UPDATE filings SET state = $1, decided_on = $2, certificate_no = $3, reasons = $4, \
             decided_by = $5, updated_at = $6 WHERE id = $7",
        )
        .bind(state.as_str())
        .bind(&filing.decided_on)
        .bind(&filing.certificate_no)
        .bind(&filing.reasons)
        .bind(actor)
        .bind(now_rfc3339())
        .bind(&filing.id)
        .execute(&mut *w.tx)
        .await?;
        let event_id = match event {
            Some(kind) => Some(
                insert_event(
                    &mut w.tx,
                    self.now(),
                    NewEvent {
                        field: "on",
                        origin: &format!("filing:{}", filing.id),
                        network_id,
                        kind,
                        at: &on.to_string(),
                        note: &format!(
                            "备案证明 {}",
                            filing.certificate_no.as_deref().unwrap_or_default()
                        ),
                        actor,
                    },
                )
                .await?
                .id,
            ),
            None => None,
        };
        let late = filing.review_due.as_str() < on.to_string().as_str();
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(filing.org_id.clone()),
            action: format!("filing.{}", state.as_str()),
            target: format!("network:{network_id}"),
            detail: serde_json::json!({
                "filing": filing.id, "on": on.to_string(), "certificate_no": filing.certificate_no,
                "reasons": filing.reasons, "review_due": filing.review_due, "late": late,
                "event": event_id,
            }),
        })
        .await?;
        Ok(filing)
    }

    /// A network's filings, newest first.
    pub async fn list_filings(&self, network_id: &str) -> Result<Vec<Filing>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM filings f JOIN networks n ON n.id = f.network_id \
             WHERE f.network_id = $1 ORDER BY f.recorded_at DESC, f.id"
        ))
        .bind(network_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(decode).collect()
    }

    /// The network's latest filing, if any.
    pub async fn current_filing(&self, network_id: &str) -> Result<Option<Filing>> {
        Ok(self.list_filings(network_id).await?.into_iter().next())
    }

    /// Filings of the organisations in `scope` (a supervisor: those filed with it; only
    /// `supervisor_id`'s when given), oldest review deadline first.
    pub async fn filings_received(
        &self,
        scope: &OrgScope,
        supervisor_id: Option<&str>,
        state: Option<FilingState>,
    ) -> Result<Vec<Filing>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM filings f JOIN networks n ON n.id = f.network_id \
             WHERE n.deleted_at IS NULL ORDER BY f.review_due, f.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for row in &rows {
            let f = decode(row)?;
            if scope.allows(&f.org_id)
                && supervisor_id.is_none_or(|s| s == f.supervisor_id)
                && state.is_none_or(|s| s == f.state)
            {
                out.push(f);
            }
        }
        Ok(out)
    }
}

async fn current_in(
    tx: &mut Transaction<'static, Any>,
    network_id: &str,
) -> Result<Option<Filing>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM filings f JOIN networks n ON n.id = f.network_id \
         WHERE f.network_id = $1 ORDER BY f.recorded_at DESC, f.id LIMIT 1"
    ))
    .bind(network_id)
    .fetch_optional(&mut **tx)
    .await?;
    row.as_ref().map(decode).transpose()
}
