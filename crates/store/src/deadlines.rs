//! Deadlines kept in the database that were counted in working days: a filing's review
//! (10 working days after submission, 条例 第十九条) and a rectification order given in
//! working days. When a year's State Council holiday notice is loaded, a deadline that was
//! provisional (computed from the statutory holidays, decision 0409) may move; this module
//! recomputes the open ones in one audited transaction.

use jiff::civil::Date;
use serde::Serialize;
use sqlx::Row;

use crate::audit::{AuditRecord, WriteTx};
use crate::error::Result;
use crate::Store;

/// One deadline that moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MovedDeadline {
    /// `filing:<id>` or `rectification:<id>`.
    pub target: String,
    pub network_id: String,
    pub from: String,
    pub to: String,
}

impl Store {
    /// Recomputes the review deadline of every filing under review (`review_days` working
    /// days after submission) and the deadline of every open or reported order issued in
    /// working days, with `add_workdays` (the calendar now in force). Writes one audit
    /// entry, `action` with `detail` and the moved deadlines, in the same transaction.
    /// A deadline `add_workdays` cannot compute keeps its stored value.
    pub async fn recompute_working_day_deadlines(
        &self,
        actor: &str,
        action: &str,
        detail: serde_json::Value,
        review_days: u32,
        add_workdays: &(dyn Fn(Date, u32) -> Option<Date> + Sync),
    ) -> Result<Vec<MovedDeadline>> {
        let mut w = WriteTx::begin(self).await?;
        let mut moved = Vec::new();
        recompute_table(
            &mut w,
            "SELECT id, network_id, submitted_on AS start, review_due AS due FROM filings \
             WHERE state = 'submitted' ORDER BY id",
            "UPDATE filings SET review_due = $1 WHERE id = $2",
            "filing",
            Some(review_days),
            add_workdays,
            &mut moved,
        )
        .await?;
        recompute_table(
            &mut w,
            "SELECT id, network_id, issued_on AS start, due, working_days FROM rectification_orders \
             WHERE state <> 'closed' AND working_days IS NOT NULL ORDER BY id",
            "UPDATE rectification_orders SET due = $1 WHERE id = $2",
            "rectification",
            None,
            add_workdays,
            &mut moved,
        )
        .await?;
        let mut detail = detail;
        if let Some(map) = detail.as_object_mut() {
            map.insert(
                "moved_deadlines".into(),
                serde_json::to_value(&moved).unwrap_or_default(),
            );
        }
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: None,
            action: action.to_string(),
            target: "calendar".into(),
            detail,
        })
        .await?;
        Ok(moved)
    }
}

/// Recomputes the deadlines `select` returns (columns `id`, `network_id`, `start`, `due`,
/// and `working_days` unless `days` is fixed), writing each moved one with `update`.
async fn recompute_table(
    w: &mut WriteTx,
    select: &str,
    update: &str,
    target: &str,
    days: Option<u32>,
    add_workdays: &(dyn Fn(Date, u32) -> Option<Date> + Sync),
    moved: &mut Vec<MovedDeadline>,
) -> Result<()> {
    let rows = sqlx::query(select).fetch_all(&mut *w.tx).await?;
    for row in &rows {
        let (id, network_id, start, due): (String, String, String, String) = (
            row.try_get("id")?,
            row.try_get("network_id")?,
            row.try_get("start")?,
            row.try_get("due")?,
        );
        let days = match days {
            Some(d) => d,
            None => match row
                .try_get::<Option<i64>, _>("working_days")?
                .and_then(|n| u32::try_from(n).ok())
            {
                Some(d) => d,
                None => continue,
            },
        };
        if let Some(new) = recomputed(&start, days, &due, add_workdays) {
            sqlx::query(update)
                .bind(&new)
                .bind(&id)
                .execute(&mut *w.tx)
                .await?;
            moved.push(MovedDeadline {
                target: format!("{target}:{id}"),
                network_id,
                from: due,
                to: new,
            });
        }
    }
    Ok(())
}

/// The new deadline when it differs from the stored one.
fn recomputed(
    start: &str,
    days: u32,
    stored: &str,
    add_workdays: &(dyn Fn(Date, u32) -> Option<Date> + Sync),
) -> Option<String> {
    let start: Date = start.parse().ok()?;
    let new = add_workdays(start, days)?.to_string();
    (new != stored).then_some(new)
}
