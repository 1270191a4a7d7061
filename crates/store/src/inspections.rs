//! Supervision after filing: security inspections (安全检查, 条例 第五十条 — level 3+ at
//! least once a year), rectification orders (责令限期整改, 第五十一条) with the operator's
//! report and the organ's closure, an organisation's industry (行业类别) and the
//! statistics a supervisor reads (networks by level and industry).

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::events::{check_not_future, insert_event, NewEvent};
use crate::filings::{text, validate_date};
use crate::{now_rfc3339, secret, OrgScope, Store};

/// A recorded inspection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Inspection {
    pub id: String,
    pub network_id: String,
    pub inspected_on: String,
    pub note: String,
    pub inspector: String,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InspectionInput {
    /// `YYYY-MM-DD`
    pub inspected_on: String,
    #[serde(default)]
    pub note: String,
}

/// A level 3+ network and when its next yearly inspection falls due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct InspectionDue {
    pub network_id: String,
    pub network_name: String,
    pub org_id: String,
    pub level: u8,
    pub last_inspected: Option<String>,
    /// One year after the last inspection; the date asked about when never inspected.
    pub due: String,
    /// `overdue` (due before the date asked about), `due` (within 30 days) or `scheduled`.
    pub status: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderState {
    Open,
    Reported,
    Closed,
}

impl OrderState {
    fn as_str(self) -> &'static str {
        match self {
            OrderState::Open => "open",
            OrderState::Reported => "reported",
            OrderState::Closed => "closed",
        }
    }
}

/// A rectification order (整改通知).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RectificationOrder {
    pub id: String,
    pub network_id: String,
    pub org_id: String,
    pub state: OrderState,
    pub findings: Vec<String>,
    pub issued_on: String,
    pub due: String,
    /// The deadline was `working_days` working days after `issued_on` (recomputed when
    /// a year's holiday notice is loaded); `None` when the organ set the date.
    pub working_days: Option<u32>,
    pub issued_by: String,
    pub report: String,
    pub reported_on: Option<String>,
    /// The report came after the deadline.
    pub reported_late: bool,
    pub closed_on: Option<String>,
    pub closing_note: String,
}

/// What the organ orders. The deadline is `due`, or `working_days` after `issued_on` (the
/// server computes it on the calendar).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderInput {
    pub findings: Vec<String>,
    pub issued_on: String,
    #[serde(default)]
    pub due: Option<String>,
    #[serde(default)]
    pub working_days: Option<u32>,
}

/// The operator's report or the organ's closure of an order.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderStep {
    pub order_id: String,
    /// `YYYY-MM-DD`
    pub on: String,
    /// The rectification report (整改报告) or the closing note.
    #[serde(default)]
    pub text: String,
}

pub use crate::statistics::{IndustryCount, Statistics};

const ORDER_COLUMNS: &str = "id, network_id, org_id, state, findings, issued_on, due, issued_by, \
    report, reported_on, closed_on, closing_note, working_days";

fn decode_order(row: &AnyRow) -> Result<RectificationOrder> {
    let id: String = row.try_get("id")?;
    let state: String = row.try_get("state")?;
    let findings: String = row.try_get("findings")?;
    let corrupt = |m: String| StoreError::Corrupt {
        table: "rectification_orders",
        id: id.clone(),
        message: m,
    };
    let state = match state.as_str() {
        "open" => OrderState::Open,
        "reported" => OrderState::Reported,
        "closed" => OrderState::Closed,
        other => return Err(corrupt(format!("state {other:?}"))),
    };
    let due: String = row.try_get("due")?;
    let reported_on: Option<String> = row.try_get("reported_on")?;
    Ok(RectificationOrder {
        network_id: row.try_get("network_id")?,
        org_id: row.try_get("org_id")?,
        state,
        findings: serde_json::from_str(&findings).map_err(|e| corrupt(e.to_string()))?,
        issued_on: row.try_get("issued_on")?,
        reported_late: reported_on.as_deref().is_some_and(|r| r > due.as_str()),
        due,
        working_days: row
            .try_get::<Option<i64>, _>("working_days")?
            .and_then(|n| u32::try_from(n).ok()),
        issued_by: row.try_get("issued_by")?,
        report: row.try_get("report")?,
        reported_on,
        closed_on: row.try_get("closed_on")?,
        closing_note: row.try_get("closing_note")?,
        id,
    })
}

/// The industry of an organisation (行业类别).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndustryInput {
    /// e.g. 电力, 银行, 教育, 卫生 …; empty clears it.
    pub industry: String,
}

impl Store {
    pub async fn set_org_industry(&self, actor: &str, org_id: &str, industry: &str) -> Result<()> {
        let industry = text("industry", industry, 100)?;
        let mut w = WriteTx::begin(self).await?;
        let done = sqlx::query("UPDATE organisations SET industry = $1 WHERE id = $2")
            .bind((!industry.is_empty()).then_some(industry.clone()))
            .bind(org_id)
            .execute(&mut *w.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found("organisation", org_id));
        }
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org_id.to_string()),
            action: "organisation.industry".into(),
            target: format!("organisation:{org_id}"),
            detail: serde_json::json!({"industry": industry}),
        })
        .await?;
        Ok(())
    }

    pub async fn org_industry(&self, org_id: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT industry FROM organisations WHERE id = $1")
            .bind(org_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found("organisation", org_id))?;
        Ok(row.try_get("industry")?)
    }

    pub async fn record_inspection(
        &self,
        actor: &str,
        network_id: &str,
        input: InspectionInput,
    ) -> Result<Inspection> {
        let on = validate_date("inspected_on", &input.inspected_on)?;
        check_not_future("inspected_on", "inspection", &on.to_string(), self.now())?;
        let note = text("note", &input.note, 4000)?;
        let org = self
            .network_org(network_id)
            .await?
            .ok_or_else(|| StoreError::not_found("network", network_id))?;
        let ins = Inspection {
            id: secret::new_id()?,
            network_id: network_id.to_string(),
            inspected_on: on.to_string(),
            note,
            inspector: actor.to_string(),
        };
        let mut w = WriteTx::begin(self).await?;
        sqlx::query(
            "INSERT INTO inspections (id, network_id, org_id, inspected_on, note, inspector, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&ins.id)
        .bind(network_id)
        .bind(&org)
        .bind(&ins.inspected_on)
        .bind(&ins.note)
        .bind(actor)
        .bind(now_rfc3339())
        .execute(&mut *w.tx)
        .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org),
            action: "inspection.record".into(),
            target: format!("network:{network_id}"),
            detail: serde_json::json!({"inspection": ins.id, "on": ins.inspected_on}),
        })
        .await?;
        Ok(ins)
    }

    /// Level 3+ networks in `scope` with their next yearly inspection (第五十条), soonest
    /// first.
    pub async fn inspections_due(
        &self,
        scope: &OrgScope,
        at: jiff::civil::Date,
    ) -> Result<Vec<InspectionDue>> {
        let rows = sqlx::query(
            "SELECT n.id, n.name, n.org_id, n.level, \
             (SELECT MAX(i.inspected_on) FROM inspections i WHERE i.network_id = n.id) AS last \
             FROM networks n WHERE n.deleted_at IS NULL AND n.level >= 3",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for row in &rows {
            let org_id: String = row.try_get("org_id")?;
            if !scope.allows(&org_id) {
                continue;
            }
            let last: Option<String> = row.try_get("last")?;
            let due = match &last {
                Some(l) => validate_date("inspected_on", l)?
                    .checked_add(jiff::Span::new().years(1))
                    .map_err(|e| StoreError::invalid("inspected_on", e.to_string()))?,
                None => at,
            };
            let soon = at
                .checked_add(jiff::Span::new().days(30))
                .map_err(|e| StoreError::invalid("at", e.to_string()))?;
            let status = if due < at {
                "overdue"
            } else if due <= soon {
                "due"
            } else {
                "scheduled"
            };
            let level: i64 = row.try_get("level")?;
            out.push(InspectionDue {
                network_id: row.try_get("id")?,
                network_name: row.try_get("name")?,
                org_id,
                level: u8::try_from(level).unwrap_or(0),
                last_inspected: last,
                due: due.to_string(),
                status: status.to_string(),
            });
        }
        out.sort_by(|a, b| a.due.cmp(&b.due).then(a.network_name.cmp(&b.network_name)));
        Ok(out)
    }

    /// Issues a rectification order with its deadline (`due`, already computed; from
    /// `working_days` after `issued_on` when given, so it can be recomputed).
    pub async fn issue_order(
        &self,
        actor: &str,
        network_id: &str,
        findings: Vec<String>,
        issued_on: jiff::civil::Date,
        due: jiff::civil::Date,
        working_days: Option<u32>,
    ) -> Result<RectificationOrder> {
        let findings = findings
            .iter()
            .map(|f| text("findings", f, 4000))
            .filter(|f| !matches!(f, Ok(s) if s.is_empty()))
            .collect::<Result<Vec<_>>>()?;
        if findings.is_empty() {
            return Err(StoreError::invalid(
                "findings",
                "an order names at least one finding (整改通知须列明问题)",
            ));
        }
        check_not_future(
            "issued_on",
            "rectification_ordered",
            &issued_on.to_string(),
            self.now(),
        )?;
        if due <= issued_on {
            return Err(StoreError::invalid(
                "due",
                format!("the deadline {due} is not after {issued_on} (整改期限须晚于下达日期)"),
            ));
        }
        let org = self
            .network_org(network_id)
            .await?
            .ok_or_else(|| StoreError::not_found("network", network_id))?;
        let order = RectificationOrder {
            id: secret::new_id()?,
            network_id: network_id.to_string(),
            org_id: org.clone(),
            state: OrderState::Open,
            findings,
            issued_on: issued_on.to_string(),
            due: due.to_string(),
            working_days,
            issued_by: actor.to_string(),
            report: String::new(),
            reported_on: None,
            reported_late: false,
            closed_on: None,
            closing_note: String::new(),
        };
        let mut w = WriteTx::begin(self).await?;
        let now = now_rfc3339();
        sqlx::query(
            "INSERT INTO rectification_orders (id, network_id, org_id, state, findings, issued_on, due, \
             issued_by, report, closing_note, recorded_at, updated_at, working_days) \
             VALUES ($1, $2, $3, 'open', $4, $5, $6, $7, '', '', $8, $8, $9)",
        )
        .bind(&order.id)
        .bind(network_id)
        .bind(&org)
        .bind(serde_json::to_string(&order.findings).unwrap_or_else(|_| "[]".into()))
        .bind(&order.issued_on)
        .bind(&order.due)
        .bind(actor)
        .bind(&now)
        .bind(working_days.map(i64::from))
        .execute(&mut *w.tx)
        .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org),
            action: "rectification.issue".into(),
            target: format!("network:{network_id}"),
            detail: serde_json::json!({"order": order.id, "issued_on": order.issued_on, "due": order.due, "findings": order.findings}),
        })
        .await?;
        Ok(order)
    }

    /// Moves an order on: the operator reports (open → reported) or the organ closes it
    /// (reported → closed, recording the `rectified` event).
    pub async fn advance_order(
        &self,
        actor: &str,
        network_id: &str,
        step: OrderStep,
        to: OrderState,
    ) -> Result<RectificationOrder> {
        let on = validate_date("on", &step.on)?;
        check_not_future("on", "rectified", &on.to_string(), self.now())?;
        let body = text("text", &step.text, 8000)?;
        let mut w = WriteTx::begin(self).await?;
        let row = sqlx::query(&format!(
            "SELECT {ORDER_COLUMNS} FROM rectification_orders WHERE id = $1 AND network_id = $2"
        ))
        .bind(&step.order_id)
        .bind(network_id)
        .fetch_optional(&mut *w.tx)
        .await?
        .ok_or_else(|| {
            StoreError::invalid(
                "order_id",
                format!(
                    "no order {:?} for this network (无此整改通知)",
                    step.order_id
                ),
            )
        })?;
        let mut order = decode_order(&row)?;
        let from = match to {
            OrderState::Reported => OrderState::Open,
            OrderState::Closed => OrderState::Reported,
            OrderState::Open => {
                return Err(StoreError::invalid("state", "an order cannot be reopened"))
            }
        };
        if order.state != from {
            return Err(StoreError::invalid(
                "state",
                format!(
                    "order {} is {}, expected {} (整改通知状态不符)",
                    order.id,
                    order.state.as_str(),
                    from.as_str()
                ),
            ));
        }
        if on.to_string() < order.issued_on {
            return Err(StoreError::invalid(
                "on",
                format!("{on} is before the order was issued on {}", order.issued_on),
            ));
        }
        let mut event = None;
        if to == OrderState::Reported {
            if body.is_empty() {
                return Err(StoreError::invalid(
                    "text",
                    "the rectification report is empty (整改报告不能为空)",
                ));
            }
            order.report = body;
            order.reported_on = Some(on.to_string());
            order.reported_late = on.to_string() > order.due;
            sqlx::query(
                "UPDATE rectification_orders SET state = 'reported', report = $1, reported_on = $2, \
                 reported_by = $3, updated_at = $4 WHERE id = $5",
            )
            .bind(&order.report)
            .bind(&order.reported_on)
            .bind(actor)
            .bind(now_rfc3339())
            .bind(&order.id)
            .execute(&mut *w.tx)
            .await?;
        } else {
            order.closing_note = body;
            order.closed_on = Some(on.to_string());
            sqlx::query(
                "UPDATE rectification_orders SET state = 'closed', closing_note = $1, closed_on = $2, \
                 closed_by = $3, updated_at = $4 WHERE id = $5",
            )
            .bind(&order.closing_note)
            .bind(&order.closed_on)
            .bind(actor)
            .bind(now_rfc3339())
            .bind(&order.id)
            .execute(&mut *w.tx)
            .await?;
            event = Some(
                insert_event(
                    &mut w.tx,
                    self.now(),
                    NewEvent {
                        field: "on",
                        origin: &format!("order:{}", order.id),
                        network_id,
                        kind: "rectified",
                        at: &on.to_string(),
                        note: &format!("整改通知 {} 已关闭", order.id),
                        actor,
                    },
                )
                .await?
                .id,
            );
        }
        order.state = to;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(order.org_id.clone()),
            action: format!("rectification.{}", to.as_str()),
            target: format!("network:{network_id}"),
            detail: serde_json::json!({"order": order.id, "on": on.to_string(), "due": order.due, "late": order.reported_late, "event": event}),
        })
        .await?;
        Ok(order)
    }

    /// A network's rectification orders, newest first.
    pub async fn list_orders(&self, network_id: &str) -> Result<Vec<RectificationOrder>> {
        let rows = sqlx::query(&format!(
            "SELECT {ORDER_COLUMNS} FROM rectification_orders WHERE network_id = $1 \
             ORDER BY issued_on DESC, recorded_at DESC"
        ))
        .bind(network_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(decode_order).collect()
    }

    /// Every order in `scope` that is not closed, earliest deadline first.
    pub async fn open_orders(&self, scope: &OrgScope) -> Result<Vec<RectificationOrder>> {
        let rows = sqlx::query(&format!(
            "SELECT {ORDER_COLUMNS} FROM rectification_orders WHERE state <> 'closed' ORDER BY due, id"
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for row in &rows {
            let o = decode_order(row)?;
            if scope.allows(&o.org_id) {
                out.push(o);
            }
        }
        Ok(out)
    }
}
