//! The log centre's evidence of an incident (decision 0505): a search run over the held logs
//! (its query and window) and, when one was taken, the export's file and SHA-256 — linked to
//! the incident, audited, never changed.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::incidents::{get_in, instant, shanghai};
use crate::text::text;
use crate::{now_rfc3339, secret, Store};

/// What is linked.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogLinkInput {
    /// The log centre's query (`dengbao logs search` syntax).
    pub query: String,
    /// The window searched, RFC 3339 (optional).
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    /// The export file taken from it, if any, and its SHA-256 (64 hex digits).
    #[serde(default)]
    pub export_file: String,
    #[serde(default)]
    pub export_sha256: String,
    #[serde(default)]
    pub note: String,
}

/// A linked search or export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LogLink {
    pub id: String,
    pub query: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub export_file: String,
    pub export_sha256: String,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

impl Store {
    /// Links a search (and its export) to the incident: one transaction, audited.
    pub async fn link_logs(
        &self,
        actor: &str,
        incident_id: &str,
        input: LogLinkInput,
    ) -> Result<LogLink> {
        let query = text("query", &input.query, 2000)?;
        if query.is_empty() {
            return Err(StoreError::invalid(
                "query",
                "须填写检索条件 / the query is required",
            ));
        }
        let window = |field: &'static str, v: &Option<String>| -> Result<Option<String>> {
            match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(s) => Ok(Some(shanghai(instant(field, s)?))),
                None => Ok(None),
            }
        };
        let from = window("from", &input.from)?;
        let to = window("to", &input.to)?;
        if let (Some(f), Some(t)) = (&from, &to) {
            if t < f {
                return Err(StoreError::invalid("to", "早于起始时间 / before `from`"));
            }
        }
        let export_file = text("export_file", &input.export_file, 300)?;
        let sha = text("export_sha256", &input.export_sha256, 64)?.to_ascii_lowercase();
        let hex64 = sha.len() == 64 && sha.chars().all(|c| c.is_ascii_hexdigit());
        if !(sha.is_empty() || hex64) {
            return Err(StoreError::invalid(
                "export_sha256",
                "应为64位十六进制 SHA-256 / 64 hex digits",
            ));
        }
        if export_file.is_empty() != sha.is_empty() {
            return Err(StoreError::invalid(
                "export_sha256",
                "导出文件与其 SHA-256 须同时填写 / give the export's file and its SHA-256 together",
            ));
        }
        let link = LogLink {
            id: secret::new_id()?,
            query,
            from,
            to,
            export_file,
            export_sha256: sha,
            note: text("note", &input.note, 2000)?,
            recorded_by: actor.to_string(),
            recorded_at: now_rfc3339(),
        };
        let mut w = WriteTx::begin(self).await?;
        let rec = get_in(&mut w.tx, incident_id).await?;
        sqlx::query(
            "INSERT INTO incident_log_links (id, incident_id, query, from_at, to_at, export_file, \
             export_sha256, note, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&link.id)
        .bind(incident_id)
        .bind(&link.query)
        .bind(link.from.clone())
        .bind(link.to.clone())
        .bind(&link.export_file)
        .bind(&link.export_sha256)
        .bind(&link.note)
        .bind(actor)
        .bind(&link.recorded_at)
        .execute(&mut *w.tx)
        .await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(rec.org_id.clone()),
            action: "incident.logs_linked".into(),
            target: format!("incident:{incident_id}"),
            detail: serde_json::json!({"query": link.query, "export_file": link.export_file, "export_sha256": link.export_sha256}),
        })
        .await?;
        Ok(link)
    }

    /// The incident's linked searches and exports, oldest first.
    pub async fn log_links(&self, incident_id: &str) -> Result<Vec<LogLink>> {
        let rows = sqlx::query(
            "SELECT id, query, from_at, to_at, export_file, export_sha256, note, recorded_by, recorded_at \
             FROM incident_log_links WHERE incident_id = $1 ORDER BY recorded_at, id",
        )
        .bind(incident_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(LogLink {
                    id: r.try_get("id")?,
                    query: r.try_get("query")?,
                    from: r.try_get("from_at")?,
                    to: r.try_get("to_at")?,
                    export_file: r.try_get("export_file")?,
                    export_sha256: r.try_get("export_sha256")?,
                    note: r.try_get("note")?,
                    recorded_by: r.try_get("recorded_by")?,
                    recorded_at: r.try_get("recorded_at")?,
                })
            })
            .collect()
    }
}
