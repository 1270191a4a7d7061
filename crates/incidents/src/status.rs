//! Where each report's clock stands at a moment: the reports an incident owes (`clocks`) and
//! the sends recorded for them → met (on time or late), due (with the hours left), overdue,
//! or no deadline. Pure: the caller gives the moment, so a page and a test agree.

use jiff::Timestamp;
use serde::{Serialize, Serializer};

use crate::clocks::{number_opt, Clocks, Report};

/// A send recorded for an owed report (the rule id of `reporting.toml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub report: String,
    pub sent_at: Timestamp,
}

/// Where one report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    /// Sent by its due time (or sent, where the text sets no time).
    Met,
    /// Sent, after its due time.
    Late,
    /// Not sent; the due time is still ahead.
    Due,
    /// Not sent; the due time has passed.
    Overdue,
    /// Not sent; the text sets no time limit (及时, 立即) or the clock has not started.
    Untimed,
    /// Another party's report (an authority relaying): followed, never the operator's.
    Authority,
}

impl ClockState {
    pub fn id(self) -> &'static str {
        match self {
            ClockState::Met => "met",
            ClockState::Late => "late",
            ClockState::Due => "due",
            ClockState::Overdue => "overdue",
            ClockState::Untimed => "untimed",
            ClockState::Authority => "authority",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            ClockState::Met => "已按时报送",
            ClockState::Late => "已报送（逾期）",
            ClockState::Due => "待报送",
            ClockState::Overdue => "已逾期",
            ClockState::Untimed => "未报送（无法定时限）",
            ClockState::Authority => "主管部门转报",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            ClockState::Met => "met",
            ClockState::Late => "sent late",
            ClockState::Due => "due",
            ClockState::Overdue => "overdue",
            ClockState::Untimed => "not sent (no time limit)",
            ClockState::Authority => "relayed by the authority",
        }
    }
}

/// One report with its state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportClock {
    #[serde(flatten)]
    pub report: Report,
    pub state: ClockState,
    /// The first send recorded, RFC 3339 in +08:00.
    #[serde(serialize_with = "time_opt")]
    pub sent_at: Option<Timestamp>,
    /// How many sends were recorded (follow-ups may be many).
    pub sends: usize,
    /// Hours left until `due` (state `due`), or hours past it (`overdue`, `late`), to the minute.
    #[serde(serialize_with = "number_opt")]
    pub remaining_hours: Option<f64>,
}

/// Each report of `clocks` with its state at `now`. A report is met by its first send: a
/// later send (a correction, a follow-up) never makes an on-time report late.
pub fn states(clocks: &Clocks, sent: &[Sent], now: Timestamp) -> Vec<ReportClock> {
    clocks
        .reports
        .iter()
        .map(|r| {
            let mine: Vec<&Sent> = sent.iter().filter(|s| s.report == r.id).collect();
            let first = mine.iter().map(|s| s.sent_at).min();
            let hours = |a: Timestamp, b: Timestamp| {
                let secs = b.duration_since(a).as_secs_f64();
                (secs / 60.0).round() / 60.0
            };
            let (state, remaining) = match (r.party == "operator", first, r.due) {
                (false, _, _) => (ClockState::Authority, None),
                (true, Some(t), Some(due)) if t > due => (ClockState::Late, Some(hours(due, t))),
                (true, Some(_), _) => (ClockState::Met, None),
                (true, None, Some(due)) if now >= due => {
                    (ClockState::Overdue, Some(hours(due, now)))
                }
                (true, None, Some(due)) => (ClockState::Due, Some(hours(now, due))),
                (true, None, None) => (ClockState::Untimed, None),
            };
            ReportClock {
                report: r.clone(),
                state,
                sent_at: first,
                sends: mine.len(),
                remaining_hours: remaining,
            }
        })
        .collect()
}

fn time_opt<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.collect_str(&dengbao_duties::rfc3339_shanghai(*t)),
        None => s.serialize_none(),
    }
}
