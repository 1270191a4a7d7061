//! Evidence that proves a duty: an uploaded file, kept under `<data-dir>/evidence/` by its
//! SHA-256 (so the record pins the exact bytes), or a link.

use std::io::Write;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::{now_rfc3339, secret, Store};

/// The metadata of a piece of evidence; the bytes, if any, come separately.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceInput {
    /// The duty it proves (an id of the duty catalog).
    pub duty_id: String,
    pub description: String,
    /// A link to evidence kept elsewhere (instead of, or besides, an upload).
    #[serde(default)]
    pub link: Option<String>,
    /// The uploaded file's name.
    #[serde(default)]
    pub file_name: Option<String>,
    /// Until when it proves the duty (`YYYY-MM-DD`).
    #[serde(default)]
    pub expires: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Evidence {
    pub id: String,
    pub network_id: String,
    pub duty_id: String,
    pub description: String,
    pub link: Option<String>,
    pub file_name: Option<String>,
    /// SHA-256 of the uploaded bytes.
    pub sha256: Option<String>,
    pub size: Option<i64>,
    pub actor: String,
    pub recorded_at: String,
    pub expires: Option<String>,
    /// What the uploaded bytes are (`application/pdf`, `image/png` …), checked on upload.
    pub media_type: Option<String>,
    /// `pending` until someone other than the uploader accepts or rejects it.
    pub review: String,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<String>,
    /// Why it was rejected (or a note on acceptance).
    pub review_reason: Option<String>,
    /// Set when it was voided: it stays listed and counts for nothing.
    pub voided: Option<crate::events::Voided>,
    /// An assessor's 不符合 or 部分符合 finding on its duty, recorded after the evidence
    /// was accepted: the evidence no longer meets the duty until the gap is closed (new
    /// evidence accepted after the finding, or a later 符合 finding). Computed on reading.
    pub overridden_by: Option<String>,
}

impl Evidence {
    /// Whether it meets its duty: accepted, not voided and not overridden by a later
    /// finding (an expiry is the engine's).
    pub fn counts(&self) -> bool {
        self.review == "accepted" && self.voided.is_none() && self.overridden_by.is_none()
    }
}

const MAX_FIELD: usize = 2000;

fn check_text(field: &'static str, value: &str, required: bool) -> Result<()> {
    if required && value.trim().is_empty() {
        return Err(StoreError::invalid(field, "must not be empty (不能为空)"));
    }
    crate::text::text(field, value, MAX_FIELD).map(|_| ())
}

/// A link is an `http` or `https` URL with a host: `javascript:`, `data:`, `file:` and
/// the like would run or read something in the browser of whoever opens the evidence.
pub(crate) fn check_link(link: &str) -> Result<()> {
    let refused = |why: &str| {
        StoreError::invalid(
            "link",
            format!("{link:?}: {why}（证据链接须为 http 或 https 网址）"),
        )
    };
    let url = url::Url::parse(link.trim()).map_err(|e| refused(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(refused(&format!(
            "scheme {:?} is not http or https",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(refused("no host"));
    }
    Ok(())
}

impl Store {
    /// Records evidence for a network's duty; `bytes` is the uploaded file, if any.
    /// The evidence row an upload makes, checked (fields, link, file type) and its file
    /// kept, not yet inserted; with the network's organisation.
    pub(crate) async fn prepare_evidence(
        &self,
        actor: &str,
        network_id: &str,
        input: EvidenceInput,
        bytes: Option<&[u8]>,
    ) -> Result<(Evidence, String)> {
        check_text("duty_id", &input.duty_id, true)?;
        check_text("description", &input.description, true)?;
        if let Some(link) = &input.link {
            check_text("link", link, true)?;
            check_link(link)?;
        }
        if let Some(name) = &input.file_name {
            check_text("file_name", name, true)?;
        }
        let expires = input
            .expires
            .as_deref()
            .map(|e| {
                e.parse::<jiff::civil::Date>()
                    .map(|d| d.to_string())
                    .map_err(|_| {
                        StoreError::invalid("expires", format!("{e:?} is not a date YYYY-MM-DD"))
                    })
            })
            .transpose()?;
        if bytes.is_none() && input.link.is_none() {
            return Err(StoreError::invalid(
                "file",
                "upload a file or give a link (请上传文件或提供链接)",
            ));
        }
        let org = self
            .network_org(network_id)
            .await?
            .ok_or_else(|| StoreError::not_found("network", network_id))?;
        let media_type = match bytes {
            Some(b) => Some(crate::evidence_review::media_type(
                input.file_name.as_deref().unwrap_or_default(),
                b,
            )?),
            None => None,
        };
        let (sha, size) = match bytes {
            Some(b) => (Some(self.keep_file(b)?), Some(b.len() as i64)),
            None => (None, None),
        };
        let ev = Evidence {
            id: secret::new_id()?,
            network_id: network_id.to_string(),
            duty_id: input.duty_id.trim().to_string(),
            description: input.description,
            link: input.link,
            file_name: input.file_name,
            sha256: sha,
            size,
            actor: actor.to_string(),
            recorded_at: now_rfc3339(),
            expires,
            media_type: media_type.map(str::to_string),
            review: "pending".into(),
            reviewed_by: None,
            reviewed_at: None,
            review_reason: None,
            voided: None,
            overridden_by: None,
        };
        Ok((ev, org))
    }

    pub async fn add_evidence(
        &self,
        actor: &str,
        network_id: &str,
        input: EvidenceInput,
        bytes: Option<&[u8]>,
    ) -> Result<Evidence> {
        let (ev, org) = self
            .prepare_evidence(actor, network_id, input, bytes)
            .await?;
        let mut w = WriteTx::begin(self).await?;
        insert_evidence(&mut w, &ev).await?;
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org),
            action: "evidence.add".into(),
            target: format!("network:{network_id}"),
            detail: serde_json::json!({
                "evidence": ev.id, "duty": ev.duty_id, "sha256": ev.sha256,
                "link": ev.link, "expires": ev.expires, "media_type": ev.media_type,
            }),
        })
        .await?;
        Ok(ev)
    }

    /// Writes the bytes under evidence/<sha256> (atomically, once) and returns the hash.
    /// A file left behind by a failed transaction is harmless: it is named by its content.
    fn keep_file(&self, bytes: &[u8]) -> Result<String> {
        let sha = hex::encode(Sha256::digest(bytes));
        let dir = self.evidence_dir();
        let io = |path: &PathBuf| {
            let p = path.display().to_string();
            move |source| StoreError::Io { path: p, source }
        };
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        let path = dir.join(&sha);
        if !path.exists() {
            let tmp = dir.join(format!(".{sha}.{}", secret::random_hex(4)?));
            let mut f = std::fs::File::create(&tmp).map_err(io(&tmp))?;
            f.write_all(bytes).map_err(io(&tmp))?;
            f.sync_all().map_err(io(&tmp))?;
            std::fs::rename(&tmp, &path).map_err(io(&path))?;
        }
        Ok(sha)
    }

    pub async fn list_evidence(&self, network_id: &str) -> Result<Vec<Evidence>> {
        let rows = sqlx::query(
            &format!("SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE network_id = $1 ORDER BY recorded_at, id"),
        )
        .bind(network_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = rows
            .iter()
            .map(evidence_of_row)
            .collect::<Result<Vec<_>>>()?;
        let findings = self.duty_findings(Some(network_id), None).await?;
        crate::evidence_review::apply_findings(&mut out, &findings);
        Ok(out)
    }

    /// An uploaded file's bytes, checked against the recorded SHA-256.
    pub async fn evidence_bytes(
        &self,
        network_id: &str,
        evidence_id: &str,
    ) -> Result<(Evidence, Vec<u8>)> {
        let ev = self
            .list_evidence(network_id)
            .await?
            .into_iter()
            .find(|e| e.id == evidence_id)
            .ok_or_else(|| StoreError::not_found("evidence", evidence_id))?;
        let sha = ev
            .sha256
            .clone()
            .ok_or_else(|| StoreError::not_found("evidence file", evidence_id))?;
        let path = self.evidence_dir().join(&sha);
        let bytes = std::fs::read(&path).map_err(|source| StoreError::Io {
            path: path.display().to_string(),
            source,
        })?;
        if hex::encode(Sha256::digest(&bytes)) != sha {
            return Err(StoreError::Corrupt {
                table: "evidence",
                id: evidence_id.to_string(),
                message: format!("file {} no longer matches its SHA-256", path.display()),
            });
        }
        Ok((ev, bytes))
    }
}

/// One `evidence` row (the columns [`EVIDENCE_COLUMNS`] names).
pub(crate) fn evidence_of_row(row: &sqlx::any::AnyRow) -> Result<Evidence> {
    Ok(Evidence {
        id: row.try_get("id")?,
        network_id: row.try_get("network_id")?,
        duty_id: row.try_get("duty_id")?,
        description: row.try_get("description")?,
        link: row.try_get("link")?,
        file_name: row.try_get("file_name")?,
        sha256: row.try_get("sha256")?,
        size: row.try_get("size")?,
        actor: row.try_get("actor")?,
        recorded_at: row.try_get("recorded_at")?,
        expires: row.try_get("expires")?,
        media_type: row.try_get("media_type")?,
        review: row.try_get("review")?,
        reviewed_by: row.try_get("reviewed_by")?,
        reviewed_at: row.try_get("reviewed_at")?,
        review_reason: row.try_get("review_reason")?,
        voided: match row.try_get::<Option<String>, _>("voided_at")? {
            Some(at) => Some(crate::events::Voided {
                at,
                by: row
                    .try_get::<Option<String>, _>("voided_by")?
                    .unwrap_or_default(),
                reason: row
                    .try_get::<Option<String>, _>("void_reason")?
                    .unwrap_or_default(),
                replaced_by: None,
            }),
            None => None,
        },
        overridden_by: None,
    })
}

/// The columns [`evidence_of_row`] reads.
pub(crate) const EVIDENCE_COLUMNS: &str =
    "id, network_id, duty_id, description, link, file_name, sha256, size, actor, recorded_at, \
     expires, media_type, review, reviewed_by, reviewed_at, review_reason, voided_at, voided_by, \
     void_reason";

/// Inserts a prepared evidence row inside `w` (the caller audits and commits): the upload
/// above, and a host-check report with its own row in the same transaction.
pub(crate) async fn insert_evidence(w: &mut WriteTx, ev: &Evidence) -> Result<()> {
    sqlx::query(
            "INSERT INTO evidence (id, network_id, duty_id, description, link, file_name, sha256, size, actor, recorded_at, expires, media_type) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&ev.id)
        .bind(&ev.network_id)
        .bind(&ev.duty_id)
        .bind(&ev.description)
        .bind(&ev.link)
        .bind(&ev.file_name)
        .bind(&ev.sha256)
        .bind(ev.size)
        .bind(&ev.actor)
        .bind(&ev.recorded_at)
        .bind(&ev.expires)
        .bind(&ev.media_type)
        .execute(&mut *w.tx)
        .await?;
    Ok(())
}
