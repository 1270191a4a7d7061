//! Incident grading and reporting clocks (网络安全事件分级与报告时限): the pure computation of
//! 《国家网络安全事件报告管理办法》 (国家互联网信息办公室, in force 2025-11-01) and its annex
//! 《网络安全事件分级指南》, with the 24-hour police report of 条例 第二十条第（十）项 and the
//! breach notices of 个人信息保护法 第五十七条.
//!
//! ```text
//! incident TOML ──► Incident (checked: instant, category, counts, override)
//!                      │ grade(): annex thresholds (以上 includes the number) ► Grade + reasons
//! profile ► Operator ──┤
//! data/incidents ► Rules ─► clocks(): reports owed, due = detected_at + hours, sorted
//! ```
//!
//! Invariant: no I/O and no panic on any input; thresholds, time limits, recipients and
//! citations are data (`data/incidents/`), checked at load. Nothing is stored here.
//! `status` says where each report stands given the sends recorded and a moment; `hold` is
//! the log centre's legal hold an opened incident places (both pure).
//! Deliberately absent: the incident register itself (the store's).

mod clocks;
mod grade;
mod hold;
mod incident;
mod render;
mod rules;
mod status;

pub use clocks::{clocks, Clocks, Note, Operator, Report};
pub use grade::{annex_en, annex_zh, grade, Grade, Graded, Reason};
pub use hold::{HoldRule, HOLD_FILE};
pub use incident::{Incident, IncidentError, RawIncident, TimeText};
pub use render::{cite_en, cite_zh, cites, kind_label, text, Lang};
pub use rules::{
    AnnexRef, Category, Clock, ReportRule, Rules, RulesError, Threshold, CATEGORIES_FILE,
    CONDITIONS, FACTS, KINDS, PORTALS, REPORTING_FILE,
};
pub use status::{states, ClockState, ReportClock, Sent};
