//! Training sessions of a network and each person's hours per year (培训记录, decision 1502).
//!
//! A session is dated, has a topic, its hours, a trainer, the people who attended (people of
//! the network's organisation) and optionally its materials (evidence of the network or a
//! link). When its attendees include every key-post person of the network (any attendee
//! when the network names none), it writes the network's `last_training` event in the same
//! transaction as its row and audit entry (`origin` = `training:<id>`): the duty engine then
//! counts `csl.cii.training` (网络安全法 第三十四条第（二）项) as met for the cycle of
//! data/duties. A date after today is refused by the event check, naming `held_on`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::events::{insert_event, NewEvent};
use crate::staff::day;
use crate::{now_rfc3339, secret, Store};

/// What recording a session takes.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionInput {
    /// The day it was held, `YYYY-MM-DD`, not after today.
    pub held_on: String,
    pub topic: String,
    /// Hours, more than 0 and at most 24, to a tenth of an hour.
    pub hours: f64,
    pub trainer: String,
    /// The people who attended (ids of the organisation's staff).
    pub attendees: Vec<String>,
    /// The materials: evidence of this network …
    #[serde(default)]
    pub evidence_id: Option<String>,
    /// … or an http(s) link. Optional.
    #[serde(default)]
    pub link: Option<String>,
}

/// A recorded session.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TrainingSession {
    pub id: String,
    pub network_id: String,
    pub held_on: String,
    pub topic: String,
    pub hours: f64,
    pub trainer: String,
    pub attendees: Vec<String>,
    pub evidence_id: Option<String>,
    pub link: Option<String>,
    /// The `last_training` event it wrote, when it covered the network's key posts.
    pub event_id: Option<String>,
    pub actor: String,
    pub recorded_at: String,
}

/// One person's training hours in one calendar year.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct YearlyHours {
    pub staff_id: String,
    pub name: String,
    pub year: i32,
    pub hours: f64,
    pub sessions: i64,
}

pub(crate) fn tenths(hours: f64) -> Result<i64> {
    let t = (hours * 10.0).round();
    if !hours.is_finite() || !(1.0..=240.0).contains(&t) {
        return Err(StoreError::invalid(
            "hours",
            format!("{hours} 不在 0.1 至 24 小时之间 / is not between 0.1 and 24 hours"),
        ));
    }
    Ok(t as i64)
}

fn session_of(r: &AnyRow, attendees: Vec<String>) -> Result<TrainingSession> {
    Ok(TrainingSession {
        id: r.try_get("id")?,
        network_id: r.try_get("network_id")?,
        held_on: r.try_get("held_on")?,
        topic: r.try_get("topic")?,
        hours: r.try_get::<i64, _>("hours_tenths")? as f64 / 10.0,
        trainer: r.try_get("trainer")?,
        attendees,
        evidence_id: r.try_get("evidence_id")?,
        link: r.try_get("link")?,
        event_id: r.try_get("event_id")?,
        actor: r.try_get("actor")?,
        recorded_at: r.try_get("recorded_at")?,
    })
}

fn optional(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl Store {
    /// Records a training session of the network; covering its key posts, it meets the
    /// training duty for the cycle.
    pub async fn add_training_session(
        &self,
        actor: &str,
        network_id: &str,
        input: SessionInput,
    ) -> Result<TrainingSession> {
        let held_on = day("held_on", &input.held_on)?;
        let topic = crate::text::name("topic", &input.topic, 200)?;
        let hours_tenths = tenths(input.hours)?;
        let trainer = crate::text::name("trainer", &input.trainer, 200)?;
        let evidence_id = optional(&input.evidence_id);
        let link = optional(&input.link);
        if let Some(l) = &link {
            crate::text::text("link", l, 2000)?;
            crate::evidence::check_link(l)?;
        }
        let mut attendees: Vec<String> = input
            .attendees
            .iter()
            .map(|a| a.trim().to_string())
            .collect();
        attendees.sort();
        attendees.dedup();
        if attendees.is_empty() {
            return Err(StoreError::invalid(
                "attendees",
                "须至少有一名参加人员 / name at least one attendee",
            ));
        }
        let org = self
            .network_org(network_id)
            .await?
            .ok_or_else(|| StoreError::not_found("network", network_id))?;
        let mut w = WriteTx::begin(self).await?;
        for a in &attendees {
            let of: Option<String> = sqlx::query("SELECT org_id FROM staff WHERE id = $1")
                .bind(a)
                .fetch_optional(&mut *w.tx)
                .await?
                .map(|r| r.try_get("org_id"))
                .transpose()?;
            if of.as_deref() != Some(org.as_str()) {
                return Err(StoreError::invalid(
                    "attendees",
                    format!("本单位没有人员 {a} / no person {a} in this organisation"),
                ));
            }
        }
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
        let key_posts: Vec<String> =
            sqlx::query("SELECT staff_id FROM network_key_posts WHERE network_id = $1")
                .bind(network_id)
                .fetch_all(&mut *w.tx)
                .await?
                .iter()
                .map(|r| r.try_get("staff_id"))
                .collect::<std::result::Result<_, _>>()?;
        // Training that leaves out a key post does not meet a duty about those posts.
        let covers = key_posts.iter().all(|k| attendees.contains(k));
        let id = secret::new_id()?;
        let event_id = if covers {
            Some(
                insert_event(
                    &mut w.tx,
                    self.now(),
                    NewEvent {
                        field: "held_on",
                        origin: &format!("training:{id}"),
                        network_id,
                        kind: "last_training",
                        at: &held_on,
                        note: &format!("网络安全培训 {topic}"),
                        actor,
                    },
                )
                .await?
                .id,
            )
        } else {
            // The date is still checked: a future session is refused either way.
            crate::events::check_not_future("held_on", "last_training", &held_on, self.now())?;
            None
        };
        let session = TrainingSession {
            id,
            network_id: network_id.to_string(),
            held_on,
            topic,
            hours: hours_tenths as f64 / 10.0,
            trainer,
            attendees,
            evidence_id,
            link,
            event_id,
            actor: actor.to_string(),
            recorded_at: now_rfc3339(),
        };
        sqlx::query(
            "INSERT INTO training_sessions (id, network_id, org_id, held_on, topic, \
             hours_tenths, trainer, evidence_id, link, event_id, actor, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&session.id)
        .bind(&session.network_id)
        .bind(&org)
        .bind(&session.held_on)
        .bind(&session.topic)
        .bind(hours_tenths)
        .bind(&session.trainer)
        .bind(&session.evidence_id)
        .bind(&session.link)
        .bind(&session.event_id)
        .bind(&session.actor)
        .bind(&session.recorded_at)
        .execute(&mut *w.tx)
        .await?;
        for a in &session.attendees {
            sqlx::query("INSERT INTO training_attendees (session_id, staff_id) VALUES ($1, $2)")
                .bind(&session.id)
                .bind(a)
                .execute(&mut *w.tx)
                .await?;
        }
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org),
            action: "training.session".into(),
            target: format!("network:{network_id}"),
            detail: serde_json::json!({
                "session": session.id, "held_on": session.held_on, "topic": session.topic,
                "hours": session.hours, "trainer": session.trainer,
                "attendees": session.attendees, "evidence": session.evidence_id,
                "link": session.link, "event": session.event_id,
            }),
        })
        .await?;
        Ok(session)
    }

    /// The network's sessions, latest first.
    pub async fn list_training_sessions(&self, network_id: &str) -> Result<Vec<TrainingSession>> {
        let rows = sqlx::query(
            "SELECT * FROM training_sessions WHERE network_id = $1 \
             ORDER BY held_on DESC, recorded_at DESC, id",
        )
        .bind(network_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: String = r.try_get("id")?;
            let attendees = sqlx::query(
                "SELECT staff_id FROM training_attendees WHERE session_id = $1 ORDER BY staff_id",
            )
            .bind(&id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|a| a.try_get("staff_id"))
            .collect::<std::result::Result<Vec<String>, _>>()?;
            out.push(session_of(r, attendees)?);
        }
        Ok(out)
    }

    /// Each person's hours per calendar year over all the organisation's sessions, by
    /// year (latest first) then name. People with no session do not appear.
    pub async fn training_hours(&self, org_id: &str) -> Result<Vec<YearlyHours>> {
        let rows = sqlx::query(
            "SELECT a.staff_id, s.name, t.held_on, t.hours_tenths FROM training_attendees a \
             JOIN training_sessions t ON t.id = a.session_id \
             JOIN staff s ON s.id = a.staff_id WHERE t.org_id = $1",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        // (year, name, id) → (tenths, sessions): summed here, one portable query above.
        let mut sums: BTreeMap<(std::cmp::Reverse<i32>, String, String), (i64, i64)> =
            BTreeMap::new();
        for r in &rows {
            let held_on: String = r.try_get("held_on")?;
            let year = held_on
                .get(..4)
                .and_then(|y| y.parse::<i32>().ok())
                .ok_or_else(|| StoreError::invalid("held_on", held_on.clone()))?;
            let e = sums
                .entry((
                    std::cmp::Reverse(year),
                    r.try_get("name")?,
                    r.try_get("staff_id")?,
                ))
                .or_default();
            e.0 += r.try_get::<i64, _>("hours_tenths")?;
            e.1 += 1;
        }
        Ok(sums
            .into_iter()
            .map(
                |((std::cmp::Reverse(year), name, staff_id), (t, n))| YearlyHours {
                    staff_id,
                    name,
                    year,
                    hours: t as f64 / 10.0,
                    sessions: n,
                },
            )
            .collect())
    }
}
