//! The incident register's other two transitions: a report sent (报送) and closing (结案).
//! A send names the owed report by its rule id; it may not be dated before the incident was
//! found (nor a summary before handling ended), and only the operator's own reports are
//! recorded (a relay is the authority's). Closing needs the end of handling and every timed
//! report of the operator sent — an incident is not closed while a clock it owes is unmet.

use serde::Deserialize;

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::events::{insert_event, NewEvent};
use crate::incidents::{
    get_in, instant, open_only, rules, shanghai, who, IncidentRecord, ReportSent,
};
use crate::{now_rfc3339, secret, Store};

/// A report sent.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendReport {
    /// The owed report's rule id (`dengbao incident list` shows them).
    pub report: String,
    /// When it was sent, RFC 3339 with offset.
    pub sent_at: String,
    pub by: String,
    /// How: 电话, 邮件, 书面, 平台 …
    pub channel: String,
    /// The file sent with it, if any.
    #[serde(default)]
    pub attachment: String,
}

/// Closing an incident.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseIncident {
    /// RFC 3339 with offset.
    pub closed_at: String,
    pub by: String,
    #[serde(default)]
    pub note: String,
}

/// The recipients whose report meets the 24-hour police duty (条例 第二十条（十）) the duty
/// engine reads as `incident_reported`.
const POLICE: &[&str] = &["local_public_security", "public_security"];

impl Store {
    /// Records a report sent for an open incident.
    pub async fn record_report(
        &self,
        actor: &str,
        id: &str,
        input: SendReport,
    ) -> Result<IncidentRecord> {
        let rules = rules()?;
        let by = who("by", &input.by)?;
        let channel = who("channel", &input.channel)?;
        let attachment = crate::text::text("attachment", &input.attachment, 300)?;
        let sent_at = instant("sent_at", &input.sent_at)?;
        let mut w = WriteTx::begin(self).await?;
        let mut rec = get_in(&mut w.tx, id).await?;
        open_only(&rec)?;
        let clocks = rec.clocks(&rules)?;
        let owed: Vec<&str> = clocks
            .reports
            .iter()
            .filter(|r| r.party == "operator")
            .map(|r| r.id.as_str())
            .collect();
        let Some(report) = clocks.reports.iter().find(|r| r.id == input.report.trim()) else {
            return Err(StoreError::invalid(
                "report",
                format!(
                    "{:?} 不是本事件应报送的报告；应报送：{} / is not a report this incident owes; owed: {}",
                    input.report,
                    owed.join("、"),
                    owed.join(", ")
                ),
            ));
        };
        if report.party != "operator" {
            return Err(StoreError::invalid(
                "report",
                format!(
                    "{} 是{}的转报，不是运营者的报告 / is relayed by {}, not the operator's report",
                    report.id, report.recipient_zh, report.party
                ),
            ));
        }
        let detected: jiff::Timestamp = rec
            .detected_at
            .parse()
            .map_err(|_| StoreError::invalid("detected_at", rec.detected_at.clone()))?;
        if sent_at < detected {
            return Err(StoreError::invalid(
                "sent_at",
                format!(
                    "{} 早于发现事件的时间 {}：报告不能在事件之前 / is before the incident was found ({}): a report cannot precede the incident",
                    input.sent_at.trim(), rec.detected_at, rec.detected_at
                ),
            ));
        }
        if report.kind == "summary" {
            let Some(ended) = &rec.handling_ended_at else {
                return Err(StoreError::invalid(
                    "handling_ended_at",
                    "总结报告须在处置结束后报送：先登记处置结束时间 / the summary follows the end of handling: record handling_ended_at first",
                ));
            };
            if sent_at < ended.parse().unwrap_or(detected) {
                return Err(StoreError::invalid(
                    "sent_at",
                    format!("早于处置结束时间 {ended} / is before handling ended ({ended})"),
                ));
            }
        }
        let send = ReportSent {
            id: secret::new_id()?,
            report: report.id.clone(),
            kind: report.kind.clone(),
            recipient: report.recipient.clone(),
            sent_at: shanghai(sent_at),
            sent_by: by.clone(),
            channel,
            attachment,
        };
        sqlx::query(
            "INSERT INTO incident_reports (id, incident_id, report, kind, recipient, sent_at, sent_by, \
             channel, attachment, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&send.id)
        .bind(&rec.id)
        .bind(&send.report)
        .bind(&send.kind)
        .bind(&send.recipient)
        .bind(&send.sent_at)
        .bind(&send.sent_by)
        .bind(&send.channel)
        .bind(&send.attachment)
        .bind(now_rfc3339())
        .execute(&mut *w.tx)
        .await?;
        let event = if POLICE.contains(&send.recipient.as_str()) {
            Some(
                insert_event(
                    &mut w.tx,
                    self.now(),
                    NewEvent {
                        field: "sent_at",
                        origin: &format!("incident:{}", rec.id),
                        network_id: &rec.network_id,
                        kind: "incident_reported",
                        at: &send.sent_at,
                        note: &format!("事件报告 incident {} {}", rec.id, send.report),
                        actor,
                    },
                )
                .await?
                .id,
            )
        } else {
            None
        };
        let late = report.due.is_some_and(|d| sent_at > d);
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(rec.org_id.clone()),
            action: "incident.report".into(),
            target: format!("incident:{}", rec.id),
            detail: serde_json::json!({
                "network": rec.network_id, "send": send.id, "report": send.report,
                "kind": send.kind, "recipient": send.recipient, "sent_at": send.sent_at,
                "by": by, "channel": send.channel, "attachment": send.attachment,
                "due": report.due.map(shanghai), "late": late, "event": event,
            }),
        })
        .await?;
        rec.sends.push(send);
        Ok(rec)
    }

    /// Closes an incident. `hold` narrows the log centre's hold to end at the close (logs
    /// after it are not the incident's); it runs inside the transaction.
    pub async fn close_incident(
        &self,
        actor: &str,
        id: &str,
        input: CloseIncident,
        hold: impl FnOnce(&IncidentRecord, jiff::Timestamp) -> Result<()>,
    ) -> Result<IncidentRecord> {
        let rules = rules()?;
        let by = who("by", &input.by)?;
        let note = crate::text::text("note", &input.note, 4000)?;
        let closed_at = instant("closed_at", &input.closed_at)?;
        let mut w = WriteTx::begin(self).await?;
        let mut rec = get_in(&mut w.tx, id).await?;
        open_only(&rec)?;
        let Some(ended) = rec.handling_ended_at.clone() else {
            return Err(StoreError::invalid(
                "handling_ended_at",
                "处置尚未结束：先登记处置结束时间（incident grade --handling-ended-at） / handling has not ended: record handling_ended_at first",
            ));
        };
        if closed_at < ended.parse().unwrap_or(closed_at) {
            return Err(StoreError::invalid(
                "closed_at",
                format!("早于处置结束时间 {ended} / is before handling ended ({ended})"),
            ));
        }
        let clocks = rec.clocks(&rules)?;
        let sent = rec.sent();
        let unsent: Vec<&str> = clocks
            .reports
            .iter()
            .filter(|r| r.party == "operator" && r.due.is_some())
            .filter(|r| !sent.iter().any(|s| s.report == r.id))
            .map(|r| r.id.as_str())
            .collect();
        if !unsent.is_empty() {
            return Err(StoreError::invalid(
                "state",
                format!(
                    "尚有有时限的报告未报送，不能结案：{} / timed reports are not sent yet, the incident cannot close: {}",
                    unsent.join("、"),
                    unsent.join(", ")
                ),
            ));
        }
        hold(&rec, closed_at)?;
        rec.state = "closed".into();
        rec.closed_at = Some(shanghai(closed_at));
        rec.closed_by = Some(by.clone());
        rec.closing_note = note;
        sqlx::query(
            "UPDATE incidents SET state = 'closed', closed_at = $1, closed_by = $2, closing_note = $3, \
             updated_at = $4 WHERE id = $5",
        )
        .bind(&rec.closed_at)
        .bind(&rec.closed_by)
        .bind(&rec.closing_note)
        .bind(now_rfc3339())
        .bind(&rec.id)
        .execute(&mut *w.tx)
        .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(rec.org_id.clone()),
            action: "incident.close".into(),
            target: format!("incident:{}", rec.id),
            detail: serde_json::json!({
                "network": rec.network_id, "closed_at": rec.closed_at, "by": by,
                "note": rec.closing_note, "hold": rec.hold,
            }),
        })
        .await?;
        Ok(rec)
    }

    /// Releases the log centre's hold of a closed incident (the investigation no longer needs
    /// the logs kept beyond the six-month floor): a reason is required, the release is
    /// audited, and `release` (removing the hold file) runs inside the transaction, so a
    /// failed removal records nothing.
    pub async fn release_hold(
        &self,
        actor: &str,
        id: &str,
        reason: &str,
        release: impl FnOnce(&IncidentRecord) -> Result<()>,
    ) -> Result<IncidentRecord> {
        let reason = crate::text::text("reason", reason, 2000)?;
        if reason.is_empty() {
            return Err(StoreError::invalid(
                "reason",
                "须写明解除保全的理由 / say why the hold is released",
            ));
        }
        let mut w = WriteTx::begin(self).await?;
        let mut rec = get_in(&mut w.tx, id).await?;
        if rec.state != "closed" {
            return Err(StoreError::invalid(
                "state",
                "事件尚未结案，日志保全不能解除 / the incident is not closed: its hold stays",
            ));
        }
        let Some(hold) = rec.hold.clone() else {
            return Err(StoreError::invalid(
                "hold",
                "该事件没有日志保全或已解除 / the incident holds no logs (or was released)",
            ));
        };
        release(&rec)?;
        sqlx::query("UPDATE incidents SET hold = NULL, updated_at = $1 WHERE id = $2")
            .bind(crate::now_rfc3339())
            .bind(id)
            .execute(&mut *w.tx)
            .await?;
        rec.hold = None;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(rec.org_id.clone()),
            action: "incident.hold_released".into(),
            target: format!("incident:{id}"),
            detail: serde_json::json!({"hold": hold, "reason": reason}),
        })
        .await?;
        Ok(rec)
    }
}
