//! An assessor's ruling on each check result of a host report (issue 12, decision 0424):
//! the engaged assessor accepts what the machine found, or overrules it with the result
//! they found and a note. A ruling belongs to the assessor's open engagement, is audited in
//! its transaction (`host.ruling`), and is never replaced: the latest per (report, check)
//! counts, the earlier ones stay as the history.
//!
//! Whether the check is one of the report's results is the server's to say (it reads the
//! report); the store checks the rest: the report is the network's and not voided, the
//! ruling and its result are known words, an overruling says why, and the caller is engaged.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::item_results::sortable_now;
use crate::text::text;
use crate::{secret, Store};

/// What an assessor sends about one check result.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RulingInput {
    /// The check's id, e.g. `access.ssh_root_login`.
    pub check: String,
    /// `accept` (the machine's result stands) or `overrule`.
    pub ruling: String,
    /// When overruling: `pass`, `fail` or `not_applicable`, the result the assessor found.
    #[serde(default)]
    pub result: Option<String>,
    /// Why; required to overrule.
    #[serde(default)]
    pub note: String,
}

/// A ruling as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct HostCheckRuling {
    /// The host report (its evidence item).
    pub report_id: String,
    pub check: String,
    /// `accept` or `overrule`.
    pub ruling: String,
    /// The assessor's result when overruled; null when accepted.
    pub result: Option<String>,
    pub note: String,
    pub engagement_id: String,
    pub ruled_by: String,
    pub ruled_at: String,
}

/// The results an assessor may find. `unknown` is what a machine says when it cannot see;
/// a person who looked says what they saw.
const RESULTS: [&str; 3] = ["pass", "fail", "not_applicable"];

/// The input checked: `(check, ruling, result, note)`.
fn checked(input: &RulingInput) -> Result<(String, &'static str, Option<String>, String)> {
    let check = text("check", &input.check, 100)?;
    if check.is_empty() {
        return Err(StoreError::invalid(
            "check",
            "name the check you rule on (请指明检查项)",
        ));
    }
    let note = text("note", &input.note, 2000)?;
    let result = input
        .result
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    match input.ruling.trim() {
        "accept" => {
            if result.is_some() {
                return Err(StoreError::invalid(
                    "result",
                    "accepting keeps the machine's result; give a result only to overrule \
                     (采纳时无需填写结果)",
                ));
            }
            Ok((check, "accept", None, note))
        }
        "overrule" => {
            let Some(result) = result.filter(|r| RESULTS.contains(r)) else {
                return Err(StoreError::invalid(
                    "result",
                    "to overrule, give the result you found: pass, fail or not_applicable \
                     (改判须填写核查结果：通过、不通过或不适用)",
                ));
            };
            if note.is_empty() {
                return Err(StoreError::invalid(
                    "note",
                    "say why you overrule the machine's result (改判须说明理由)",
                ));
            }
            Ok((check, "overrule", Some(result.to_string()), note))
        }
        _ => Err(StoreError::invalid(
            "ruling",
            "accept or overrule (应为采纳或改判)",
        )),
    }
}

fn ruling_of_row(r: &sqlx::any::AnyRow) -> Result<HostCheckRuling> {
    Ok(HostCheckRuling {
        report_id: r.try_get("evidence_id")?,
        check: r.try_get("check_id")?,
        ruling: r.try_get("ruling")?,
        result: r.try_get("result")?,
        note: r.try_get("note")?,
        engagement_id: r.try_get("engagement_id")?,
        ruled_by: r.try_get("ruled_by")?,
        ruled_at: r.try_get("ruled_at")?,
    })
}

impl Store {
    /// Records the ruling of `assessor_id` (its open engagement of the network) on one
    /// check result of the host report `report_id`, audited as `host.ruling`. The caller has
    /// checked that the report has a result for `input.check`.
    pub async fn rule_host_check(
        &self,
        actor: &str,
        assessor_id: &str,
        network_id: &str,
        report_id: &str,
        input: &RulingInput,
    ) -> Result<HostCheckRuling> {
        let (check, ruling, result, note) = checked(input)?;
        let org = self
            .network_org(network_id)
            .await?
            .ok_or_else(|| StoreError::not_found("network", network_id))?;
        let mut w = WriteTx::begin(self).await?;
        let report = sqlx::query(
            "SELECT e.voided_at FROM host_reports h JOIN evidence e ON e.id = h.evidence_id \
             WHERE h.evidence_id = $1 AND h.network_id = $2",
        )
        .bind(report_id)
        .bind(network_id)
        .fetch_optional(&mut *w.tx)
        .await?
        .ok_or_else(|| StoreError::not_found("host report", report_id))?;
        if report.try_get::<Option<String>, _>("voided_at")?.is_some() {
            return Err(StoreError::invalid(
                "report",
                "the report was voided; rule on the host's current report (该报告已作废)",
            ));
        }
        let engagement = Self::open_engagement_id(&mut w.tx, network_id, assessor_id).await?;
        let stored = HostCheckRuling {
            report_id: report_id.to_string(),
            check,
            ruling: ruling.to_string(),
            result,
            note,
            engagement_id: engagement,
            ruled_by: actor.to_string(),
            ruled_at: sortable_now(),
        };
        sqlx::query(
            "INSERT INTO host_check_rulings (id, evidence_id, network_id, engagement_id, check_id, \
             ruling, result, note, ruled_by, ruled_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(secret::new_id()?)
        .bind(&stored.report_id)
        .bind(network_id)
        .bind(&stored.engagement_id)
        .bind(&stored.check)
        .bind(&stored.ruling)
        .bind(stored.result.as_deref())
        .bind(&stored.note)
        .bind(&stored.ruled_by)
        .bind(&stored.ruled_at)
        .execute(&mut *w.tx)
        .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org),
            action: "host.ruling".into(),
            target: format!("network:{network_id}"),
            detail: serde_json::json!({
                "report": stored.report_id, "check": stored.check, "ruling": stored.ruling,
                "result": stored.result, "note": stored.note, "engagement": stored.engagement_id,
            }),
        })
        .await?;
        Ok(stored)
    }

    /// The latest ruling on each check of each of the network's host reports, by report
    /// then check.
    pub async fn host_check_rulings(&self, network_id: &str) -> Result<Vec<HostCheckRuling>> {
        let rows = sqlx::query(
            "SELECT evidence_id, check_id, ruling, result, note, engagement_id, ruled_by, ruled_at \
             FROM host_check_rulings WHERE network_id = $1 ORDER BY ruled_at, id",
        )
        .bind(network_id)
        .fetch_all(&self.pool)
        .await?;
        let mut latest: std::collections::BTreeMap<(String, String), HostCheckRuling> =
            Default::default();
        for r in &rows {
            let ruling = ruling_of_row(r)?;
            latest.insert((ruling.report_id.clone(), ruling.check.clone()), ruling);
        }
        Ok(latest.into_values().collect())
    }
}
