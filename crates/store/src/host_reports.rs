//! Host-check reports (issue 12, decision 0420): a report is stored as evidence — its JSON
//! the file, reviewed and accepted or rejected like any upload — and as a row naming the
//! host and its counts. Both in one transaction with one audit entry.

use serde::Serialize;
use sqlx::Row;

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::evidence::{insert_evidence, Evidence, EvidenceInput};
use crate::host_check_rulings::HostCheckRuling;
use crate::Store;

/// What the server learnt from a verified report.
#[derive(Debug, Clone)]
pub struct HostReportInput {
    pub host: String,
    pub level: u8,
    /// `PRETTY_NAME (family)`.
    pub distro: String,
    /// pass, fail, not_applicable, unknown.
    pub counts: [i64; 4],
}

/// A stored report, with its evidence's review state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct HostReport {
    pub evidence_id: String,
    pub host: String,
    pub level: u8,
    pub distro: String,
    pub passed: i64,
    pub failed: i64,
    pub not_applicable: i64,
    pub unknown: i64,
    pub received_at: String,
    /// `pending`, `accepted` or `rejected` (the evidence review).
    pub review: String,
    pub voided: bool,
    /// The assessors' latest ruling on each of its check results that has one (decision 0424).
    pub rulings: Vec<HostCheckRuling>,
}

impl Store {
    /// Stores a verified report on `network_id`: the evidence item (`input` and the report's
    /// bytes) and the host row, audited as `host.report`.
    pub async fn record_host_report(
        &self,
        actor: &str,
        network_id: &str,
        report: HostReportInput,
        input: EvidenceInput,
        bytes: &[u8],
    ) -> Result<(Evidence, HostReport)> {
        let host = report.host.trim().to_string();
        if host.is_empty() || host.chars().count() > 253 || host.chars().any(char::is_control) {
            return Err(StoreError::invalid(
                "host",
                "give the host's name, at most 253 characters (主机名)",
            ));
        }
        let (ev, org) = self
            .prepare_evidence(actor, network_id, input, Some(bytes))
            .await?;
        let mut w = WriteTx::begin(self).await?;
        insert_evidence(&mut w, &ev).await?;
        let [passed, failed, not_applicable, unknown] = report.counts;
        sqlx::query(
            "INSERT INTO host_reports (evidence_id, network_id, host, level, distro, passed, failed, not_applicable, unknown, received_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&ev.id)
        .bind(network_id)
        .bind(&host)
        .bind(i64::from(report.level))
        .bind(&report.distro)
        .bind(passed)
        .bind(failed)
        .bind(not_applicable)
        .bind(unknown)
        .bind(&ev.recorded_at)
        .execute(&mut *w.tx)
        .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org),
            action: "host.report".into(),
            target: format!("network:{network_id}"),
            detail: serde_json::json!({
                "evidence": ev.id, "host": host, "level": report.level, "sha256": ev.sha256,
                "pass": passed, "fail": failed, "not_applicable": not_applicable, "unknown": unknown,
            }),
        })
        .await?;
        let stored = HostReport {
            evidence_id: ev.id.clone(),
            host,
            level: report.level,
            distro: report.distro,
            passed,
            failed,
            not_applicable,
            unknown,
            received_at: ev.recorded_at.clone(),
            review: ev.review.clone(),
            voided: false,
            rulings: Vec::new(),
        };
        Ok((ev, stored))
    }

    /// The network's host reports, newest first, each with the latest ruling on each of its
    /// checks.
    pub async fn host_reports(&self, network_id: &str) -> Result<Vec<HostReport>> {
        let mut rulings = self.host_check_rulings(network_id).await?;
        let rows = sqlx::query(
            "SELECT h.evidence_id, h.host, h.level, h.distro, h.passed, h.failed, h.not_applicable, \
                    h.unknown, h.received_at, e.review, e.voided_at \
             FROM host_reports h JOIN evidence e ON e.id = h.evidence_id \
             WHERE h.network_id = $1 ORDER BY h.received_at DESC, h.evidence_id",
        )
        .bind(network_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let level: i64 = r.try_get("level")?;
                let voided: Option<String> = r.try_get("voided_at")?;
                let evidence_id: String = r.try_get("evidence_id")?;
                let (of_report, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut rulings)
                    .into_iter()
                    .partition(|x| x.report_id == evidence_id);
                rulings = rest;
                Ok(HostReport {
                    rulings: of_report,
                    evidence_id,
                    host: r.try_get("host")?,
                    level: u8::try_from(level).unwrap_or(0),
                    distro: r.try_get("distro")?,
                    passed: r.try_get("passed")?,
                    failed: r.try_get("failed")?,
                    not_applicable: r.try_get("not_applicable")?,
                    unknown: r.try_get("unknown")?,
                    received_at: r.try_get("received_at")?,
                    review: r.try_get("review")?,
                    voided: voided.is_some(),
                })
            })
            .collect()
    }
}
