//! Facts dengbao gathers itself, which decide a duty's status instead of a tick box.
//!
//! The log centre's proof of retention (`dengbao logs coverage --json`),
//! which decides the six-month log duties (网络安全法 第二十一条（三）, 条例 第二十条（五）) —
//! the duties whose catalog entry says `computed_from = "log_retention"`. Without the fact
//! those duties run on events and evidence like any other; with it, the evidence of record
//! is what the log centre actually holds (docs/decisions/0703-log-duty-from-coverage.md).
//! And the key-post holders' certificates, which decide 持证上岗 (`certificates`, decision 1505).
//!
//! Invariant: no I/O here; the caller reads the coverage and hands it over.

use dengbao_types::Text;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::engine::{DutyStatus, Status};
use crate::profile::Profile;

/// A kind of fact a duty can be computed from (`computed_from` in `data/duties`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fact {
    /// The log centre's proof of retention for the network.
    LogRetention,
    /// The certificates of the network's key-post holders (持证上岗, decision 1505).
    KeyPostCertificates,
}

/// What the log centre proves about one network's logs (one entry of `networks` in the
/// output of `dengbao logs coverage --json`, plus that document's window and time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogRetention {
    /// The log centre's network id.
    pub network: String,
    /// When the coverage was computed (RFC 3339).
    pub generated_at: String,
    /// First day of the six-month window that must be covered.
    pub window_start: Date,
    pub events: u64,
    /// Day of the earliest event still held (Asia/Shanghai).
    pub earliest_retained: Option<Date>,
    pub covers_floor: bool,
    pub days_without_events: Vec<String>,
    pub integrity_ok: bool,
}

/// Every fact known for one network.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facts {
    pub log_retention: Option<LogRetention>,
    /// The certificates of the key-post holders, from the staff records.
    pub key_post_certificates: Option<crate::certificates::KeyPostCertificates>,
}

/// Why a coverage document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FactError {
    #[error("日志覆盖证明无法解析 / the coverage document is not valid: {0}")]
    Json(String),
    #[error("日志覆盖证明字段 `{field}` 无效 / field `{field}` is not valid: {value:?}")]
    Field { field: &'static str, value: String },
}

#[derive(Deserialize)]
struct CoverageDoc {
    generated_at: String,
    window_start: String,
    networks: Vec<CoverageNetwork>,
}

#[derive(Deserialize)]
struct CoverageNetwork {
    network: String,
    events: u64,
    earliest_retained: Option<String>,
    covers_floor: bool,
    #[serde(default)]
    days_without_events: Vec<String>,
    integrity_ok: bool,
}

/// The day of an RFC 3339 / jiff zoned time string as written by the log centre
/// (`2026-05-01T08:00:00+08:00[Asia/Shanghai]`), or a bare `YYYY-MM-DD`.
fn day(field: &'static str, s: &str) -> Result<Date, FactError> {
    s.get(..10)
        .and_then(|d| d.parse::<Date>().ok())
        .ok_or_else(|| FactError::Field {
            field,
            value: s.to_string(),
        })
}

impl LogRetention {
    /// The networks of a `dengbao logs coverage --json` document.
    pub fn from_coverage_json(text: &str) -> Result<Vec<LogRetention>, FactError> {
        let doc: CoverageDoc =
            serde_json::from_str(text).map_err(|e| FactError::Json(e.to_string()))?;
        let window_start = day("window_start", &doc.window_start)?;
        doc.networks
            .into_iter()
            .map(|n| {
                Ok(LogRetention {
                    earliest_retained: match &n.earliest_retained {
                        Some(s) => Some(day("earliest_retained", s)?),
                        None => None,
                    },
                    network: n.network,
                    generated_at: doc.generated_at.clone(),
                    window_start,
                    events: n.events,
                    covers_floor: n.covers_floor,
                    days_without_events: n.days_without_events,
                    integrity_ok: n.integrity_ok,
                })
            })
            .collect()
    }
}

/// Decide the duties computed from a supplied fact; leaves every other duty, and duties that
/// do not apply, as the engine found them.
pub fn apply_facts(statuses: &mut [DutyStatus], facts: &Facts, profile: &Profile) {
    for st in statuses.iter_mut() {
        if st.status == Status::NotApplicable {
            continue;
        }
        match st.duty.computed_from {
            Some(Fact::LogRetention) => {
                if let Some(f) = &facts.log_retention {
                    log_retention(st, f, profile);
                }
            }
            Some(Fact::KeyPostCertificates) => {
                if let Some(f) = &facts.key_post_certificates {
                    crate::certificates::decide(st, f);
                }
            }
            None => {}
        }
    }
}

fn log_retention(st: &mut DutyStatus, f: &LogRetention, profile: &Profile) {
    let source = Text::new(
        format!(
            "据日志中心 {} 的留存证明（网络 {}）",
            f.generated_at, f.network
        ),
        format!(
            "per the log centre's coverage of {} (network {})",
            f.generated_at, f.network
        ),
    );
    let launched = profile.event("launched").map(|t| t.date());
    let mut reasons = vec![source];
    let status = if !f.integrity_ok {
        reasons.push(Text::new(
            "日志完整性校验未通过，留存的日志不能证明未被篡改",
            "the integrity check failed: the logs held cannot be shown unaltered",
        ));
        Status::Overdue
    } else {
        match f.earliest_retained {
            None => {
                reasons.push(Text::new(
                    "日志中心没有该网络的日志",
                    "the log centre holds no logs of this network",
                ));
                if launched.is_some() || profile.stage() == crate::Stage::Running {
                    Status::Overdue
                } else {
                    st.status
                }
            }
            Some(earliest) if f.covers_floor => {
                reasons.push(Text::new(
                    format!(
                        "最早留存日志 {earliest}，覆盖六个月窗口（自 {}）",
                        f.window_start
                    ),
                    format!(
                        "earliest log {earliest} covers the six-month window from {}",
                        f.window_start
                    ),
                ));
                Status::Met
            }
            Some(earliest) => match launched {
                // A network younger than six months cannot have six months of logs: what
                // the law asks is that nothing since launch is missing (one day of slack
                // for a launch late in the day).
                Some(l) if l >= f.window_start && earliest <= l.tomorrow().unwrap_or(l) => {
                    reasons.push(Text::new(
                        format!("上线（{l}）不足六个月，自上线起的日志均在（最早 {earliest}）"),
                        format!("launched {l}, less than six months ago; logs kept since launch (earliest {earliest})"),
                    ));
                    Status::Met
                }
                _ => {
                    reasons.push(Text::new(
                        format!("最早留存日志 {earliest} 晚于六个月窗口起点 {}：留存不足六个月", f.window_start),
                        format!("the earliest log {earliest} is after the window start {}: less than six months kept", f.window_start),
                    ));
                    Status::Overdue
                }
            },
        }
    };
    if let Some(first) = f.days_without_events.first() {
        reasons.push(Text::new(
            format!("窗口内 {} 天没有日志（最早 {first}），请确认设备是否停止发送", f.days_without_events.len()),
            format!("{} days in the window without logs (first {first}): check whether a device stopped sending", f.days_without_events.len()),
        ));
    }
    st.status = status;
    if status == Status::Met {
        st.due = None;
    }
    st.reasons = reasons;
}
