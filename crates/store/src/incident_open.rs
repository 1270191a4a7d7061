//! Opening and grading an incident of the register (`incidents.rs` has the types): both
//! check their input with the engine's own rules before any SQL runs, and commit with
//! their audit entry.

use dengbao_duties::OperatorClass;
use dengbao_incidents::{Grade, Operator};
use jiff::Timestamp;
use sqlx::Row;

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::events::{insert_event, NewEvent};
use crate::incidents::{
    engine_error, engine_incident, get_in, instant, open_only, rules, shanghai, who, Action,
    GradeIncident, IncidentFacts, IncidentRecord, OpenIncident,
};
use crate::{now_rfc3339, secret, Store};

fn facts_text(f: &IncidentFacts) -> [String; 3] {
    [
        f.service_interruption_hours.to_string(),
        f.cii_whole_outage_minutes.to_string(),
        f.portal_unreachable_hours.to_string(),
    ]
}

/// The grade a person gives: an override needs its reason and may not fall below the facts
/// (a lower grade would drop reports the facts make owed: 第十条第二款 漏报).
fn decide(proposed: Grade, g: &GradeIncident) -> Result<(Grade, &'static str, String)> {
    let reason = crate::text::text("reason", &g.reason, 2000)?;
    match g.grade {
        None => Ok((proposed, "confirmed", reason)),
        Some(x) if x == proposed => Ok((x, "confirmed", reason)),
        Some(_) if reason.is_empty() => Err(StoreError::invalid(
            "reason",
            "改定级别须说明理由 / overriding the proposed grade needs a reason",
        )),
        Some(x) if x < proposed => Err(StoreError::invalid(
            "grade",
            format!("{x} 低于事实已达到的级别 {proposed}：不能低于事实定级（漏报，《国家网络安全事件报告管理办法》第十条第二款） / {x} is below {proposed}, the grade the facts reach: a grade cannot go below the facts"),
        )),
        Some(x) => Ok((x, "overridden", reason)),
    }
}

fn action(by: &str, text: &str) -> Vec<Action> {
    if text.is_empty() {
        return Vec::new();
    }
    vec![Action {
        at: shanghai(Timestamp::now()),
        by: by.to_string(),
        text: text.to_string(),
    }]
}

impl Store {
    /// Opens an incident. `hold` places the log centre's legal hold for the new incident and
    /// returns its name; it runs inside the transaction, so an incident is never recorded
    /// without its hold (a hold left by a failed commit only keeps logs longer).
    pub async fn open_incident(
        &self,
        actor: &str,
        input: OpenIncident,
        hold: impl FnOnce(&IncidentRecord) -> Result<Option<String>>,
    ) -> Result<IncidentRecord> {
        let rules = rules()?;
        let by = who("by", &input.by)?;
        let title = crate::text::name("title", &input.title, 200)?;
        let affected_systems =
            crate::text::text("affected_systems", &input.affected_systems, 4000)?;
        let affected_data = crate::text::text("affected_data", &input.affected_data, 4000)?;
        let first = crate::text::text("action", &input.action, 4000)?;
        let detected = instant("detected_at", &input.detected_at)?;
        let inc = engine_incident(
            &rules,
            &input.detected_at,
            &input.category,
            &input.facts,
            None,
            None,
        )?;
        let network = self
            .get_network(&input.network_id)
            .await
            .map_err(|e| match e {
                StoreError::NotFound { .. } => StoreError::invalid(
                    "network_id",
                    format!(
                        "没有网络 {} / no network {}",
                        input.network_id, input.network_id
                    ),
                ),
                other => other,
            })?;
        let cii = network.profile.cii;
        let class = input.operator_class.unwrap_or(if cii {
            OperatorClass::Cii
        } else {
            OperatorClass::Other
        });
        if cii != (class == OperatorClass::Cii) {
            return Err(StoreError::invalid(
                "operator_class",
                "与网络是否为关键信息基础设施（cii）不一致 / contradicts whether the network is critical information infrastructure (cii)",
            ));
        }
        let mut w = WriteTx::begin(self).await?;
        let industry: Option<String> =
            sqlx::query("SELECT industry FROM organisations WHERE id = $1")
                .bind(&network.org_id)
                .fetch_one(&mut *w.tx)
                .await?
                .try_get("industry")?;
        let op = Operator {
            class,
            industry: industry.as_deref(),
        };
        let clocks = dengbao_incidents::clocks(&inc, op, &rules).map_err(engine_error)?;
        let mut record = IncidentRecord {
            id: secret::new_id()?,
            network_id: network.id.clone(),
            network_name: network.profile.name.clone(),
            org_id: network.org_id.clone(),
            title,
            operator_class: class,
            industry: industry.clone(),
            detected_at: shanghai(detected),
            category: inc.category.clone(),
            facts: input.facts.clone(),
            handling_ended_at: None,
            proposed_grade: clocks.grade,
            proposed_reasons: serde_json::to_value(&clocks.grade_reasons)
                .map_err(|e| StoreError::invalid("grade", e.to_string()))?,
            grade: clocks.grade,
            grade_status: "proposed".into(),
            grade_by: None,
            grade_reason: String::new(),
            affected_systems,
            affected_data,
            actions: action(&by, &first),
            state: "open".into(),
            closed_at: None,
            closed_by: None,
            closing_note: String::new(),
            hold: None,
            opened_by: by.clone(),
            sends: Vec::new(),
        };
        let now = now_rfc3339();
        let [sih, cwm, puh] = facts_text(&record.facts);
        let f = &record.facts;
        sqlx::query(
            "INSERT INTO incidents (id, network_id, org_id, title, operator_class, industry, detected_at, \
             category, personal_info_records, direct_loss_yuan, service_interruption_hours, \
             cii_function_lost, state_secrets_leaked, cii_whole_outage_minutes, people_affected, portal, \
             portal_unreachable_hours, suspected_crime, proposed_grade, proposed_reasons, grade, \
             grade_status, grade_reason, affected_systems, affected_data, actions, state, closing_note, \
             opened_by, recorded_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
             $12, $13, $14, $15, $16, $17, $18, $19, $20, $19, 'proposed', '', $21, $22, $23, 'open', '', \
             $24, $25, $25)",
        )
        .bind(&record.id)
        .bind(&record.network_id)
        .bind(&record.org_id)
        .bind(&record.title)
        .bind(crate::profile::to_text(&class))
        .bind(&record.industry)
        .bind(&record.detected_at)
        .bind(&record.category)
        .bind(f.personal_info_records)
        .bind(f.direct_loss_yuan)
        .bind(sih)
        .bind(i64::from(f.cii_function_lost))
        .bind(i64::from(f.state_secrets_leaked))
        .bind(cwm)
        .bind(f.people_affected)
        .bind(&f.portal)
        .bind(puh)
        .bind(i64::from(f.suspected_crime))
        .bind(record.proposed_grade.id())
        .bind(record.proposed_reasons.to_string())
        .bind(&record.affected_systems)
        .bind(&record.affected_data)
        .bind(serde_json::to_string(&record.actions).unwrap_or_else(|_| "[]".into()))
        .bind(&by)
        .bind(&now)
        .execute(&mut *w.tx)
        .await?;
        let event = insert_event(
            &mut w.tx,
            self.now(),
            NewEvent {
                field: "detected_at",
                origin: &format!("incident:{}", record.id),
                network_id: &record.network_id,
                kind: "incident_detected",
                at: &record.detected_at,
                note: &format!("网络安全事件 incident {}", record.id),
                actor,
            },
        )
        .await?
        .id;
        record.hold = hold(&record)?;
        sqlx::query("UPDATE incidents SET hold = $1 WHERE id = $2")
            .bind(&record.hold)
            .bind(&record.id)
            .execute(&mut *w.tx)
            .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(record.org_id.clone()),
            action: "incident.open".into(),
            target: format!("incident:{}", record.id),
            detail: serde_json::json!({
                "network": record.network_id, "detected_at": record.detected_at,
                "category": record.category, "facts": record.facts,
                "proposed_grade": record.proposed_grade, "operator_class": class,
                "by": by, "event": event, "hold": record.hold,
            }),
        })
        .await?;
        Ok(record)
    }

    /// Grades an incident: new facts and the end of handling recompute the proposal; the
    /// person confirms it or overrides it with a reason.
    pub async fn grade_incident(
        &self,
        actor: &str,
        id: &str,
        g: GradeIncident,
    ) -> Result<IncidentRecord> {
        let rules = rules()?;
        let by = who("by", &g.by)?;
        let text = crate::text::text("action", &g.action, 4000)?;
        let mut w = WriteTx::begin(self).await?;
        let mut rec = get_in(&mut w.tx, id).await?;
        open_only(&rec)?;
        if let Some(f) = &g.facts {
            rec.facts = f.clone();
        }
        if let Some(t) = &g.handling_ended_at {
            rec.handling_ended_at = Some(shanghai(instant("handling_ended_at", t)?));
        }
        let inc = engine_incident(
            &rules,
            &rec.detected_at,
            &rec.category,
            &rec.facts,
            rec.handling_ended_at.as_deref(),
            None,
        )?;
        let clocks =
            dengbao_incidents::clocks(&inc, rec.operator(), &rules).map_err(engine_error)?;
        let (grade, status, reason) = decide(clocks.grade, &g)?;
        rec.proposed_grade = clocks.grade;
        rec.proposed_reasons = serde_json::to_value(&clocks.grade_reasons)
            .map_err(|e| StoreError::invalid("grade", e.to_string()))?;
        rec.grade = grade;
        rec.grade_status = status.into();
        rec.grade_by = Some(by.clone());
        rec.grade_reason = reason;
        rec.actions.extend(action(&by, &text));
        let [sih, cwm, puh] = facts_text(&rec.facts);
        let f = &rec.facts;
        sqlx::query(
            "UPDATE incidents SET personal_info_records = $1, direct_loss_yuan = $2, \
             service_interruption_hours = $3, cii_function_lost = $4, state_secrets_leaked = $5, \
             cii_whole_outage_minutes = $6, people_affected = $7, portal = $8, \
             portal_unreachable_hours = $9, suspected_crime = $10, handling_ended_at = $11, \
             proposed_grade = $12, proposed_reasons = $13, grade = $14, grade_status = $15, \
             grade_by = $16, grade_reason = $17, actions = $18, updated_at = $19 WHERE id = $20",
        )
        .bind(f.personal_info_records)
        .bind(f.direct_loss_yuan)
        .bind(sih)
        .bind(i64::from(f.cii_function_lost))
        .bind(i64::from(f.state_secrets_leaked))
        .bind(cwm)
        .bind(f.people_affected)
        .bind(&f.portal)
        .bind(puh)
        .bind(i64::from(f.suspected_crime))
        .bind(&rec.handling_ended_at)
        .bind(rec.proposed_grade.id())
        .bind(rec.proposed_reasons.to_string())
        .bind(rec.grade.id())
        .bind(&rec.grade_status)
        .bind(&rec.grade_by)
        .bind(&rec.grade_reason)
        .bind(serde_json::to_string(&rec.actions).unwrap_or_else(|_| "[]".into()))
        .bind(now_rfc3339())
        .bind(&rec.id)
        .execute(&mut *w.tx)
        .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(rec.org_id.clone()),
            action: "incident.grade".into(),
            target: format!("incident:{}", rec.id),
            detail: serde_json::json!({
                "network": rec.network_id, "facts": rec.facts, "proposed_grade": rec.proposed_grade,
                "grade": rec.grade, "grade_status": rec.grade_status, "reason": rec.grade_reason,
                "handling_ended_at": rec.handling_ended_at, "by": by,
            }),
        })
        .await?;
        Ok(rec)
    }

    /// One incident with its sends.
    pub async fn get_incident(&self, id: &str) -> Result<IncidentRecord> {
        let mut tx = self.pool.begin().await?;
        let rec = get_in(&mut tx, id).await;
        tx.rollback().await?;
        rec
    }

    /// The incidents of a network (all networks when `None`), newest detection first.
    pub async fn list_incidents(&self, network_id: Option<&str>) -> Result<Vec<IncidentRecord>> {
        let mut tx = self.pool.begin().await?;
        // Two statements rather than `$1 IS NULL OR …`: PostgreSQL cannot type a NULL parameter.
        let ids =
            match network_id {
                Some(n) => sqlx::query(
                    "SELECT id FROM incidents WHERE network_id = $1 ORDER BY detected_at DESC, id",
                )
                .bind(n)
                .fetch_all(&mut *tx)
                .await?,
                None => {
                    sqlx::query("SELECT id FROM incidents ORDER BY detected_at DESC, id")
                        .fetch_all(&mut *tx)
                        .await?
                }
            };
        let mut out = Vec::with_capacity(ids.len());
        for r in &ids {
            let id: String = r.try_get("id")?;
            out.push(get_in(&mut tx, &id).await?);
        }
        tx.rollback().await?;
        Ok(out)
    }
}
