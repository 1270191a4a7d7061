//! Correcting and voiding events: the original stays on record, marked with who voided it,
//! when and why; a correction adds the right event and points the original at it. Both are
//! audited in the same transaction (docs/decisions/0935).

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::events::{
    check_not_future, event_of_row, insert_event, validate_at, NetworkEvent, NewEvent,
    EVENT_COLUMNS,
};
use crate::{now_rfc3339, Store};
use serde::Deserialize;

/// Why an event no longer counts.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoidInput {
    pub reason: String,
}

/// The right date (and note) for an event, and why the recorded one was wrong. The kind
/// stays: an event of the wrong kind is voided and the right one added.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionInput {
    /// A date `YYYY-MM-DD` (Asia/Shanghai) or an RFC 3339 time.
    pub at: String,
    /// The corrected event's note; the original's when absent.
    #[serde(default)]
    pub note: Option<String>,
    pub reason: String,
}

impl Store {
    /// Voids an event: it stops counting for every duty and clock, and stays listed with
    /// the reason.
    pub async fn void_event(
        &self,
        actor: &str,
        network_id: &str,
        event_id: &str,
        input: VoidInput,
    ) -> Result<NetworkEvent> {
        let reason = required_reason(&input.reason)?;
        let org = self.org_of(network_id).await?;
        let mut w = WriteTx::begin(self).await?;
        let mut event = open_event(&mut w.tx, network_id, event_id).await?;
        let voided_at = now_rfc3339();
        mark_voided(&mut w.tx, event_id, actor, &reason, &voided_at).await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org),
            action: "event.void".into(),
            target: format!("network:{network_id}"),
            detail: serde_json::json!({"event": event, "reason": reason}),
        })
        .await?;
        event.voided = Some(crate::events::Voided {
            at: voided_at,
            by: actor.to_string(),
            reason,
            replaced_by: None,
        });
        Ok(event)
    }

    /// Corrects an event's date (and note): the original is voided with the reason and
    /// points at the new event, which is returned.
    pub async fn correct_event(
        &self,
        actor: &str,
        network_id: &str,
        event_id: &str,
        input: CorrectionInput,
    ) -> Result<NetworkEvent> {
        let reason = required_reason(&input.reason)?;
        let at = validate_at("at", &input.at)?;
        if let Some(note) = &input.note {
            crate::text::text("note", note, 2000)?;
        }
        let org = self.org_of(network_id).await?;
        let mut w = WriteTx::begin(self).await?;
        let original = open_event(&mut w.tx, network_id, event_id).await?;
        check_not_future("at", &original.kind, &at, self.now())?;
        let voided_at = now_rfc3339();
        // Voided first, so the once-only rule does not see the original as a duplicate.
        mark_voided(&mut w.tx, event_id, actor, &reason, &voided_at).await?;
        let note = input.note.unwrap_or_else(|| original.note.clone());
        let replacement = insert_event(
            &mut w.tx,
            self.now(),
            NewEvent {
                field: "at",
                origin: &original.origin,
                network_id,
                kind: &original.kind,
                at: &at,
                note: &note,
                actor,
            },
        )
        .await?;
        sqlx::query("UPDATE network_events SET replaced_by = $1 WHERE id = $2")
            .bind(&replacement.id)
            .bind(event_id)
            .execute(&mut *w.tx)
            .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org),
            action: "event.correct".into(),
            target: format!("network:{network_id}"),
            detail: serde_json::json!({
                "original": original, "replacement": replacement, "reason": reason,
            }),
        })
        .await?;
        Ok(replacement)
    }

    async fn org_of(&self, network_id: &str) -> Result<String> {
        self.network_org(network_id)
            .await?
            .ok_or_else(|| StoreError::not_found("network", network_id))
    }
}

fn required_reason(reason: &str) -> Result<String> {
    let reason = crate::text::text("reason", reason, 2000)?;
    if reason.trim().is_empty() {
        return Err(StoreError::invalid(
            "reason",
            "say why the record is wrong (须填写更正或作废的理由)",
        ));
    }
    Ok(reason)
}

/// The event, if it belongs to the network, still counts, and was recorded directly or by
/// the grading wizard: a filing's, an order's or an engagement's events change only through
/// that workflow, so the record and the workflow cannot disagree.
async fn open_event(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    network_id: &str,
    event_id: &str,
) -> Result<NetworkEvent> {
    let row = sqlx::query(&format!(
        "SELECT {EVENT_COLUMNS} FROM network_events WHERE id = $1 AND network_id = $2"
    ))
    .bind(event_id)
    .bind(network_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| StoreError::not_found("event", event_id))?;
    let event = event_of_row(&row)?;
    if let Some(v) = &event.voided {
        return Err(StoreError::invalid(
            "event_id",
            format!(
                "event {event_id} was already voided on {} (该记录已作废)",
                v.at
            ),
        ));
    }
    if !(event.origin.is_empty() || event.origin == "grading") {
        let workflow = event.origin.split(':').next().unwrap_or_default();
        return Err(StoreError::invalid(
            "event_id",
            format!(
                "event {event_id} was recorded by the {workflow} workflow ({}); change it \
                 there (该记录由业务流程生成，请在原流程中处理)",
                event.origin
            ),
        ));
    }
    Ok(event)
}

async fn mark_voided(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    event_id: &str,
    actor: &str,
    reason: &str,
    at: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE network_events SET voided_at = $1, voided_by = $2, void_reason = $3 \
         WHERE id = $4 AND voided_at IS NULL",
    )
    .bind(at)
    .bind(actor)
    .bind(reason)
    .bind(event_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
