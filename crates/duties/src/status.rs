//! The status of one duty at a moment (docs/decisions/0503, 0930).

use serde::Serialize;

/// The status of one duty at a moment.
///
/// The operator's positive duties are `met`, `due` or `overdue`; prohibitions (不得……) are
/// `complied` or `breached` and never run a clock; duties of other parties (the public
/// security organ's certificate) are `expected` or `chase` — what the operator may expect
/// and chase, never counted against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    Due,
    Overdue,
    NotApplicable,
    Unknown,
    /// A prohibition with no breach recorded.
    Complied,
    /// A prohibition with a breach recorded (date and description in `breaches`).
    Breached,
    /// Another party's duty, not yet late: what the operator may expect.
    Expected,
    /// Another party's duty past its deadline: what the operator may chase.
    Chase,
}

impl Status {
    /// Every status, in the order interfaces list them.
    pub const ALL: [Status; 9] = [
        Status::Breached,
        Status::Overdue,
        Status::Due,
        Status::Unknown,
        Status::Met,
        Status::Complied,
        Status::Chase,
        Status::Expected,
        Status::NotApplicable,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Due => "due",
            Status::Overdue => "overdue",
            Status::NotApplicable => "not_applicable",
            Status::Unknown => "unknown",
            Status::Complied => "complied",
            Status::Breached => "breached",
            Status::Expected => "expected",
            Status::Chase => "chase",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Status::Met => "已履行",
            Status::Due => "待履行",
            Status::Overdue => "已逾期",
            Status::NotApplicable => "不适用",
            Status::Unknown => "无法判断",
            Status::Complied => "未见违反",
            Status::Breached => "已违反",
            Status::Expected => "待他方履行",
            Status::Chase => "他方逾期，可催办",
        }
    }

    /// Whether it is something the operator has failed to do: counted in overdue totals
    /// and in the penalty exposure.
    pub fn is_operator_failure(self) -> bool {
        matches!(self, Status::Overdue | Status::Breached)
    }
}
