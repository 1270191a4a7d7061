//! Legal holds placed from outside the log centre (decision 0505): one JSON file per hold in
//! `<logs>/holds/`, written by whoever places it (`dengbao incident open`) without taking the
//! writer's lock, so a hold is placed even while `serve` runs the listeners. Every removal
//! reads them (`Store::remove_segments` re-checks them like the chain's own holds), so no
//! path removes a held segment.
//!
//! Fail closed: a hold file that cannot be read or decoded refuses every deletion, naming
//! the file — a damaged hold must not become no hold.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, IoCtx, Result};

/// The directory of hold files under a log store.
pub const DIR: &str = "holds";

/// One hold: a network's logs from `from` to `to` (open-ended when absent), with why and
/// who holds them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileHold {
    pub network: String,
    /// RFC 3339.
    pub from: String,
    /// RFC 3339; absent while the holder (an open incident) has not ended it.
    #[serde(default)]
    pub to: Option<String>,
    /// Shown when a deletion is refused: names the incident.
    pub reason: String,
    /// The holder: `incident:<id>`.
    pub source: String,
}

/// A hold as the retention check uses it.
#[derive(Debug, Clone)]
pub(crate) struct Window {
    pub network: String,
    pub from_us: i64,
    pub to_us: i64,
    pub reason: String,
}

fn dir_of(logs: &Path) -> PathBuf {
    logs.join(DIR)
}

/// A file name for a holder: `incident:ab12` → `incident-ab12.json`.
pub fn file_name(source: &str) -> String {
    let safe: String = source
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{safe}.json")
}

/// Writes (or replaces) a hold file atomically: a reader sees the old hold or the new one.
pub fn write(logs: &Path, h: &FileHold) -> Result<String> {
    crate::names::validate_network(&h.network)?;
    for (field, t) in [("from", Some(&h.from)), ("to", h.to.as_ref())] {
        if let Some(t) = t {
            t.parse::<jiff::Timestamp>().map_err(|_| {
                Error::Invalid(format!("hold {field} {t:?} is not RFC 3339 / 时间无效"))
            })?;
        }
    }
    if h.reason.trim().is_empty() {
        return Err(Error::Invalid(
            "hold: a reason is required / 须写明原因".into(),
        ));
    }
    let dir = dir_of(logs);
    std::fs::create_dir_all(&dir).at(&dir)?;
    let name = file_name(&h.source);
    let path = dir.join(&name);
    let tmp = dir.join(format!(".{name}.tmp"));
    let bytes = serde_json::to_vec_pretty(h).map_err(|e| Error::Invalid(e.to_string()))?;
    std::fs::write(&tmp, bytes).at(&tmp)?;
    std::fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .at(&tmp)?;
    std::fs::rename(&tmp, &path).at(&path)?;
    Ok(name)
}

/// Removes the hold of `source` (a person released it, decision 0505): the six-month floor
/// alone governs those logs again. A hold that is not there is an error naming it.
pub fn release(logs: &Path, source: &str) -> Result<()> {
    let path = dir_of(logs).join(file_name(source));
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::Invalid(format!(
            "no hold of {source} / 没有该来源的保全"
        ))),
        Err(e) => Err(e).at(&path),
    }
}

/// Every hold file, by name. A missing directory is no hold; anything unreadable is an error.
pub fn read_all(logs: &Path) -> Result<Vec<(String, FileHold)>> {
    let dir = dir_of(logs);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).at(&dir),
    };
    let mut out = Vec::new();
    for e in entries {
        let path = e.at(&dir)?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if name.starts_with('.') || !name.ends_with(".json") {
            continue;
        }
        let bytes = std::fs::read(&path).at(&path)?;
        let h: FileHold = serde_json::from_slice(&bytes).map_err(|e| {
            Error::Refused(format!(
                "legal hold file {} cannot be read ({e}); no deletion until it is repaired / 保全文件无法读取，拒绝删除",
                path.display()
            ))
        })?;
        out.push((name, h));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// The windows the retention check applies.
pub(crate) fn windows(logs: &Path) -> Result<Vec<Window>> {
    read_all(logs)?
        .into_iter()
        .map(|(name, h)| {
            let t = |s: &str| {
                s.parse::<jiff::Timestamp>()
                    .map(|t| t.as_microsecond())
                    .map_err(|_| {
                        Error::Refused(format!(
                            "legal hold file {name}: time {s:?} is not RFC 3339; no deletion until it is repaired / 保全文件时间无效，拒绝删除"
                        ))
                    })
            };
            Ok(Window {
                from_us: t(&h.from)?,
                to_us: match &h.to {
                    Some(s) => t(s)?,
                    None => i64::MAX,
                },
                network: h.network,
                reason: h.reason,
            })
        })
        .collect()
}
