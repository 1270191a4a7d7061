//! The dated events of a network's life (graded, filed, assessed, incident detected …).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::{now_rfc3339, secret, Store};

/// Checks an event kind: one of the profile's `[events]` keys (`dengbao_duties::EVENTS`:
/// graded, reviewed, approved, filed, certified, launched, last_assessment, …).
pub fn validate_kind(kind: &str) -> Result<String> {
    let kind = kind.trim();
    if dengbao_duties::event_index(kind).is_some() {
        Ok(kind.to_string())
    } else {
        Err(StoreError::invalid(
            "kind",
            format!(
                "unknown event {kind:?} (未知事件); known: {}",
                dengbao_duties::EVENTS
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ))
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    /// One of the profile's `[events]` keys: graded, reviewed, approved, filed, certified,
    /// launched, last_assessment, last_self_inspection, incident_detected, …
    pub kind: String,
    /// A date `YYYY-MM-DD` (Asia/Shanghai) or an RFC 3339 time.
    pub at: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct NetworkEvent {
    pub id: String,
    pub network_id: String,
    pub kind: String,
    pub at: String,
    pub note: String,
    pub actor: String,
    pub recorded_at: String,
    /// The workflow that wrote it: "" when recorded directly, `grading`, `filing:<id>`,
    /// `order:<id>` or `engagement:<id>`.
    pub origin: String,
    /// Set when the event was voided or corrected: it no longer counts, but stays on
    /// record with the reason.
    pub voided: Option<Voided>,
}

/// Who voided an event, when and why; `replaced_by` is the correcting event's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Voided {
    pub at: String,
    pub by: String,
    pub reason: String,
    pub replaced_by: Option<String>,
}

/// The columns [`event_of_row`] reads.
pub(crate) const EVENT_COLUMNS: &str =
    "id, network_id, kind, at, note, actor, recorded_at, origin, voided_at, voided_by, \
     void_reason, replaced_by";

/// When an event's `at` happened, for ordering: a date is its start in Asia/Shanghai.
pub fn instant(at: &str) -> Option<jiff::Timestamp> {
    if let Ok(ts) = at.parse::<jiff::Timestamp>() {
        return Some(ts);
    }
    let date: jiff::civil::Date = at.parse().ok()?;
    date.in_tz("Asia/Shanghai").ok().map(|z| z.timestamp())
}

/// Checks an `at` value: a real date or an RFC 3339 time with an offset.
pub fn validate_at(field: &'static str, at: &str) -> Result<String> {
    let at = at.trim();
    let is_date = at.len() == 10 && at.parse::<jiff::civil::Date>().is_ok();
    if is_date || at.parse::<jiff::Timestamp>().is_ok() {
        Ok(at.to_string())
    } else {
        Err(StoreError::invalid(
            field,
            format!("{at:?} is not a date YYYY-MM-DD or an RFC 3339 time (日期格式无效)"),
        ))
    }
}

/// How far a time may run ahead of the server's clock (a browser's clock, a slip of time
/// zone) before a past-tense event dated then is refused as being in the future.
const CLOCK_SKEW: jiff::SignedDuration = jiff::SignedDuration::from_mins(10);

/// A past-tense event (graded, filed, last_assessment …) records something that has
/// happened: a date after today in Asia/Shanghai, or a time more than [`CLOCK_SKEW`] after
/// `now`, is refused naming `field`. Planned events (`dengbao_duties::PLANNED_EVENTS`: a
/// launch date, an order's deadline) may be in the future.
pub fn check_not_future(
    field: &'static str,
    kind: &str,
    at: &str,
    now: jiff::Timestamp,
) -> Result<()> {
    if dengbao_duties::PLANNED_EVENTS.contains(&kind) {
        return Ok(());
    }
    let today = now
        .in_tz("Asia/Shanghai")
        .map(|z| z.date())
        .map_err(|e| StoreError::invalid(field, e.to_string()))?;
    let future = if let Ok(date) = at.parse::<jiff::civil::Date>() {
        date > today
    } else {
        let ts = at.parse::<jiff::Timestamp>().map_err(|_| {
            StoreError::invalid(
                field,
                format!("{at:?} is not a date YYYY-MM-DD or an RFC 3339 time (日期格式无效)"),
            )
        })?;
        ts.duration_since(now) > CLOCK_SKEW
    };
    if future {
        return Err(StoreError::invalid(
            field,
            format!(
                "{at} is after today ({today}): {kind} records something that has happened \
                 and cannot be dated in the future (已发生的事件不能填将来日期，今天是{today})"
            ),
        ));
    }
    Ok(())
}

/// An event written in the same transaction as the change it belongs to; `field` is the
/// input field its date came from, for the message when the date is refused.
pub(crate) struct NewEvent<'a> {
    pub field: &'static str,
    /// See [`NetworkEvent::origin`].
    pub origin: &'a str,
    pub network_id: &'a str,
    pub kind: &'a str,
    pub at: &'a str,
    pub note: &'a str,
    pub actor: &'a str,
}

/// Writes `event` after checking its date is not in the future (so no path that records
/// an event can skip the check); returns the stored event. The caller's transaction rolls
/// back on error, so a refused date writes nothing.
pub(crate) async fn insert_event(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    now: jiff::Timestamp,
    event: NewEvent<'_>,
) -> Result<NetworkEvent> {
    check_not_future(event.field, event.kind, event.at, now)?;
    if dengbao_duties::ONCE_EVENTS.contains(&event.kind) {
        let earlier = sqlx::query(
            "SELECT id, at FROM network_events \
             WHERE network_id = $1 AND kind = $2 AND voided_at IS NULL",
        )
        .bind(event.network_id)
        .bind(event.kind)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(row) = earlier {
            let (id, at): (String, String) = (row.try_get("id")?, row.try_get("at")?);
            return Err(StoreError::invalid(
                "kind",
                format!(
                    "{kind} happens once and is already recorded on {at} (event {id}): \
                     correct or void that record instead (该事件只发生一次，已记录于{at}；\
                     如有误请更正或作废原记录)",
                    kind = event.kind
                ),
            ));
        }
    }
    let stored = NetworkEvent {
        id: secret::new_id()?,
        network_id: event.network_id.to_string(),
        kind: event.kind.to_string(),
        at: event.at.to_string(),
        note: event.note.to_string(),
        actor: event.actor.to_string(),
        recorded_at: now_rfc3339(),
        origin: event.origin.to_string(),
        voided: None,
    };
    sqlx::query(
        "INSERT INTO network_events (id, network_id, kind, at, note, actor, recorded_at, origin) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&stored.id)
    .bind(&stored.network_id)
    .bind(&stored.kind)
    .bind(&stored.at)
    .bind(&stored.note)
    .bind(&stored.actor)
    .bind(&stored.recorded_at)
    .bind(&stored.origin)
    .execute(&mut **tx)
    .await?;
    Ok(stored)
}

impl Store {
    pub async fn add_event(
        &self,
        actor: &str,
        network_id: &str,
        input: EventInput,
    ) -> Result<NetworkEvent> {
        let kind = validate_kind(&input.kind)?;
        let at = validate_at("at", &input.at)?;
        check_not_future("at", &kind, &at, self.now())?;
        crate::text::text("note", &input.note, 2000)?;
        let org = self
            .network_org(network_id)
            .await?
            .ok_or_else(|| StoreError::not_found("network", network_id))?;
        let mut w = WriteTx::begin(self).await?;
        let event = insert_event(
            &mut w.tx,
            self.now(),
            NewEvent {
                field: "at",
                origin: "",
                network_id,
                kind: &kind,
                at: &at,
                note: &input.note,
                actor,
            },
        )
        .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org),
            action: "event.add".into(),
            target: format!("network:{network_id}"),
            detail: serde_json::json!({"event": event.id, "kind": event.kind, "at": event.at, "note": event.note}),
        })
        .await?;
        Ok(event)
    }

    /// A network's events, oldest first.
    pub async fn list_events(&self, network_id: &str) -> Result<Vec<NetworkEvent>> {
        let rows = sqlx::query(&format!(
            "SELECT {EVENT_COLUMNS} FROM network_events \
             WHERE network_id = $1 ORDER BY recorded_at, id"
        ))
        .bind(network_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = rows.iter().map(event_of_row).collect::<Result<Vec<_>>>()?;
        sort_events(&mut out);
        Ok(out)
    }

    /// The profile's `[events]` table: for each kind, the `at` of the event that counts
    /// (see [`profile_events_of`]).
    pub async fn profile_events(&self, network_id: &str) -> Result<BTreeMap<String, String>> {
        Ok(profile_events_of(self.list_events(network_id).await?))
    }
}

/// The profile's `[events]` table from a network's events in time order: voided events do
/// not count; for an event that happens once (`dengbao_duties::ONCE_EVENTS`) the first
/// counts, for any other kind the latest.
pub fn profile_events_of(
    events: impl IntoIterator<Item = NetworkEvent>,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for e in events.into_iter().filter(|e| e.voided.is_none()) {
        if dengbao_duties::ONCE_EVENTS.contains(&e.kind.as_str()) {
            out.entry(e.kind).or_insert(e.at);
        } else {
            out.insert(e.kind, e.at);
        }
    }
    out
}

/// One `network_events` row ([`EVENT_COLUMNS`]).
pub(crate) fn event_of_row(row: &sqlx::any::AnyRow) -> Result<NetworkEvent> {
    let voided_at: Option<String> = row.try_get("voided_at")?;
    Ok(NetworkEvent {
        id: row.try_get("id")?,
        network_id: row.try_get("network_id")?,
        kind: row.try_get("kind")?,
        at: row.try_get("at")?,
        note: row.try_get("note")?,
        actor: row.try_get("actor")?,
        recorded_at: row.try_get("recorded_at")?,
        origin: row.try_get("origin")?,
        voided: match voided_at {
            Some(at) => Some(Voided {
                at,
                by: row
                    .try_get::<Option<String>, _>("voided_by")?
                    .unwrap_or_default(),
                reason: row
                    .try_get::<Option<String>, _>("void_reason")?
                    .unwrap_or_default(),
                replaced_by: row.try_get("replaced_by")?,
            }),
            None => None,
        },
    })
}

/// Sorts a network's events by the instant they happened (`at` may be a date or a time).
pub(crate) fn sort_events(events: &mut [NetworkEvent]) {
    events.sort_by_key(|e| instant(&e.at));
}
