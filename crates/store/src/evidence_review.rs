//! Uploaded is not accepted: what files evidence may be, and the review that lets it meet
//! a duty. Someone other than the uploader accepts or rejects each item (a rejection says
//! why); evidence is never deleted, only voided with a reason. Every step is audited in
//! the same transaction (docs/decisions/0936).

use serde::Deserialize;
use sqlx::Row;

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::evidence::{evidence_of_row, Evidence, EVIDENCE_COLUMNS};
use crate::{now_rfc3339, Store};

/// The files evidence may be, by extension, each with the leading bytes it must start
/// with: documents, scans and screenshots, spreadsheets, OFD (the national e-document
/// format), plain text and logs. HTML, SVG and executables are refused: they would run in
/// the browser, or on the machine, of whoever opens the evidence.
const TYPES: &[(&[&str], &str, Sniff)] = &[
    (&["pdf"], "application/pdf", Sniff::Prefix(b"%PDF-")),
    (&["png"], "image/png", Sniff::Prefix(b"\x89PNG\r\n\x1a\n")),
    (
        &["jpg", "jpeg"],
        "image/jpeg",
        Sniff::Prefix(b"\xff\xd8\xff"),
    ),
    (
        &["docx"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Sniff::Prefix(b"PK\x03\x04"),
    ),
    (
        &["xlsx"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Sniff::Prefix(b"PK\x03\x04"),
    ),
    (&["ofd"], "application/ofd", Sniff::Prefix(b"PK\x03\x04")),
    (&["zip"], "application/zip", Sniff::Prefix(b"PK\x03\x04")),
    (
        &["doc", "xls"],
        "application/x-ole-storage",
        Sniff::Prefix(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    ),
    (
        &["txt", "log", "csv", "json"],
        "text/plain; charset=utf-8",
        Sniff::Utf8Text,
    ),
];

enum Sniff {
    Prefix(&'static [u8]),
    /// UTF-8 without NUL bytes.
    Utf8Text,
}

/// The media type of an upload named `file_name`, or a refusal naming the field: the
/// extension must be one of [`TYPES`] and the bytes must look like it.
pub fn media_type(file_name: &str, bytes: &[u8]) -> Result<&'static str> {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let allowed = || {
        TYPES
            .iter()
            .flat_map(|(exts, _, _)| exts.iter().copied())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some((_, media, sniff)) = TYPES
        .iter()
        .find(|(exts, _, _)| exts.contains(&ext.as_str()))
    else {
        return Err(StoreError::invalid(
            "file",
            format!(
                "{file_name:?}: files of this type are not accepted as evidence; allowed: {} \
                 (不支持的证据文件类型)",
                allowed()
            ),
        ));
    };
    let looks_right = match sniff {
        Sniff::Prefix(p) => bytes.starts_with(p),
        Sniff::Utf8Text => !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok(),
    };
    if !looks_right {
        return Err(StoreError::invalid(
            "file",
            format!("{file_name:?}: the content is not a .{ext} file (文件内容与扩展名不符)"),
        ));
    }
    Ok(media)
}

/// A reviewer's decision on a piece of evidence.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// `accept` or `reject`.
    pub decision: String,
    /// Required to reject; a note when accepting.
    #[serde(default)]
    pub reason: String,
}

impl Store {
    /// Accepts or rejects pending evidence. The reviewer is not its uploader; a rejection
    /// needs a reason. Only accepted evidence meets a duty.
    pub async fn review_evidence(
        &self,
        actor: &str,
        network_id: &str,
        evidence_id: &str,
        input: ReviewInput,
    ) -> Result<Evidence> {
        let accept = match input.decision.trim() {
            "accept" => true,
            "reject" => false,
            other => {
                return Err(StoreError::invalid(
                    "decision",
                    format!("{other:?}: say accept or reject (须选择接受或退回)"),
                ))
            }
        };
        let reason = crate::text::text("reason", &input.reason, 2000)?;
        if !accept && reason.trim().is_empty() {
            return Err(StoreError::invalid(
                "reason",
                "say why the evidence is rejected (退回须填写理由)",
            ));
        }
        let org = self
            .network_org(network_id)
            .await?
            .ok_or_else(|| StoreError::not_found("network", network_id))?;
        let mut w = WriteTx::begin(self).await?;
        let mut ev = live(&mut w.tx, network_id, evidence_id).await?;
        if ev.review != "pending" {
            return Err(StoreError::invalid(
                "evidence_id",
                format!(
                    "evidence {evidence_id} was already {} (该证据已审核)",
                    ev.review
                ),
            ));
        }
        if ev.actor == actor {
            return Err(StoreError::invalid(
                "reviewer",
                "evidence is reviewed by someone other than who uploaded it \
                 (证据须由上传人以外的人员审核)",
            ));
        }
        let now = now_rfc3339();
        ev.review = if accept { "accepted" } else { "rejected" }.into();
        ev.reviewed_by = Some(actor.to_string());
        ev.reviewed_at = Some(now.clone());
        ev.review_reason = Some(reason.clone());
        sqlx::query(
            "UPDATE evidence SET review = $1, reviewed_by = $2, reviewed_at = $3, \
             review_reason = $4 WHERE id = $5 AND review = 'pending'",
        )
        .bind(&ev.review)
        .bind(actor)
        .bind(&now)
        .bind(&reason)
        .bind(evidence_id)
        .execute(&mut *w.tx)
        .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org),
            action: format!("evidence.{}", if accept { "accept" } else { "reject" }),
            target: format!("network:{network_id}"),
            detail: serde_json::json!({
                "evidence": ev.id, "duty": ev.duty_id, "sha256": ev.sha256, "reason": reason,
            }),
        })
        .await?;
        Ok(ev)
    }

    /// Voids evidence with a reason: it stays listed and meets nothing. Evidence is never
    /// deleted.
    pub async fn void_evidence(
        &self,
        actor: &str,
        network_id: &str,
        evidence_id: &str,
        reason: &str,
    ) -> Result<Evidence> {
        let reason = crate::text::text("reason", reason, 2000)?;
        if reason.trim().is_empty() {
            return Err(StoreError::invalid(
                "reason",
                "say why the evidence is voided (作废须填写理由)",
            ));
        }
        let org = self
            .network_org(network_id)
            .await?
            .ok_or_else(|| StoreError::not_found("network", network_id))?;
        let mut w = WriteTx::begin(self).await?;
        let mut ev = live(&mut w.tx, network_id, evidence_id).await?;
        let now = now_rfc3339();
        sqlx::query(
            "UPDATE evidence SET voided_at = $1, voided_by = $2, void_reason = $3 \
             WHERE id = $4 AND voided_at IS NULL",
        )
        .bind(&now)
        .bind(actor)
        .bind(&reason)
        .bind(evidence_id)
        .execute(&mut *w.tx)
        .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org),
            action: "evidence.void".into(),
            target: format!("network:{network_id}"),
            detail: serde_json::json!({
                "evidence": ev.id, "duty": ev.duty_id, "sha256": ev.sha256, "reason": reason,
            }),
        })
        .await?;
        ev.voided = Some(crate::events::Voided {
            at: now,
            by: actor.to_string(),
            reason,
            replaced_by: None,
        });
        Ok(ev)
    }
}

/// An assessor's finding on a duty, as evidence reads it.
#[derive(Debug, Clone)]
pub struct DutyFinding {
    pub network_id: String,
    pub duty_id: String,
    /// `conforms`, `partly` or `not_conforming`.
    pub result: String,
    pub recorded_at: String,
    pub id: String,
}

/// Marks evidence a later 不符合/部分符合 finding overrides: for each (network, duty) the
/// latest finding decides; if it is not 符合, evidence accepted before it stops counting,
/// while evidence accepted after it (the gap closed) counts again. `findings` are in
/// recording order.
pub fn apply_findings(evidence: &mut [Evidence], findings: &[DutyFinding]) {
    for ev in evidence.iter_mut() {
        let latest = findings
            .iter()
            .rev()
            .find(|f| f.network_id == ev.network_id && f.duty_id == ev.duty_id);
        let Some(f) = latest else { continue };
        let accepted = ev.reviewed_at.as_deref().unwrap_or(&ev.recorded_at);
        if f.result != "conforms" && later(&f.recorded_at, accepted) {
            ev.overridden_by = Some(f.id.clone());
        }
    }
}

/// Whether RFC 3339 time `a` is after `b` (as instants; text order otherwise).
fn later(a: &str, b: &str) -> bool {
    match (a.parse::<jiff::Timestamp>(), b.parse::<jiff::Timestamp>()) {
        (Ok(a), Ok(b)) => a > b,
        _ => a > b,
    }
}

impl Store {
    /// Every finding on the duties of one network (or of every network in `filter`), in
    /// recording order.
    pub(crate) async fn duty_findings(
        &self,
        network_id: Option<&str>,
        networks_sql: Option<(&str, &[String])>,
    ) -> Result<Vec<DutyFinding>> {
        let (cond, binds): (String, Vec<String>) = match (network_id, networks_sql) {
            (Some(id), _) => ("e.network_id = $1".into(), vec![id.to_string()]),
            (None, Some((filter, binds))) => (
                format!("e.network_id IN (SELECT id FROM networks WHERE {filter})"),
                binds.to_vec(),
            ),
            (None, None) => ("1 = 1".into(), Vec::new()),
        };
        let sql = format!(
            "SELECT f.id, e.network_id, f.duty_id, f.result, f.recorded_at FROM findings f \
             JOIN engagements e ON e.id = f.engagement_id WHERE {cond} \
             ORDER BY f.recorded_at, f.id"
        );
        let mut q = sqlx::query(&sql);
        for b in &binds {
            q = q.bind(b);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(DutyFinding {
                    id: r.try_get("id")?,
                    network_id: r.try_get("network_id")?,
                    duty_id: r.try_get("duty_id")?,
                    result: r.try_get("result")?,
                    recorded_at: r.try_get("recorded_at")?,
                })
            })
            .collect()
    }
}

/// The network's evidence item, if it is not voided.
async fn live(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    network_id: &str,
    evidence_id: &str,
) -> Result<Evidence> {
    let row = sqlx::query(&format!(
        "SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE id = $1 AND network_id = $2"
    ))
    .bind(evidence_id)
    .bind(network_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| StoreError::not_found("evidence", evidence_id))?;
    let ev = evidence_of_row(&row)?;
    if let Some(v) = &ev.voided {
        return Err(StoreError::invalid(
            "evidence_id",
            format!(
                "evidence {evidence_id} was voided on {} (该证据已作废)",
                v.at
            ),
        ));
    }
    Ok(ev)
}

#[cfg(test)]
mod tests {
    use super::media_type;

    #[test]
    fn files_are_what_their_names_say_and_of_an_allowed_type() {
        assert_eq!(
            media_type("自查报告.PDF", b"%PDF-1.7 ...").unwrap(),
            "application/pdf"
        );
        assert!(media_type("日志留存策略.txt", "保留 180 天\n".as_bytes()).is_ok());
        assert!(
            media_type("report.pdf", b"<html>").is_err(),
            "content must match"
        );
        assert!(
            media_type("page.html", b"<html>").is_err(),
            "HTML runs in a browser"
        );
        assert!(media_type("logo.svg", b"<svg/>").is_err());
        assert!(media_type("tool.exe", b"MZ").is_err());
        assert!(media_type("noext", b"%PDF-").is_err());
        assert!(media_type("bin.txt", b"a\0b").is_err(), "text has no NUL");
    }
}
