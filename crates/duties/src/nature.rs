//! What a duty's clock status means for who owes it and what it asks
//! (docs/decisions/0930-prohibitions-and-others-duties.md):
//!
//! - a prohibition (不得……, `kind = "prohibition"`) is `complied` until a breach is recorded
//!   (`[[breach]]` in the profile, dated on or before `at`), then `breached`; it never runs
//!   a clock, so it is never `due` or `overdue`;
//! - another party's duty (`party` ≠ `operator`) is `expected` while not late and `chase`
//!   once its deadline has passed — never `due`/`overdue`, so never in the operator's
//!   overdue counts or its penalty exposure;
//! - a duty whose penalty reference cannot be resolved says so for a lawyer.

use crate::catalog::{Kind, Party};
use crate::engine::DutyStatus;
use crate::profile::Profile;
use crate::status::Status;
use dengbao_types::Text;

/// Settles the status the clock gave into the duty's nature (see the module doc).
pub(crate) fn settle(mut s: DutyStatus, p: &Profile, explain: bool) -> DutyStatus {
    if matches!(s.status, Status::NotApplicable) {
        return s;
    }
    if let Some(u) = &s.duty.penalty_unresolved {
        if explain {
            s.reasons.push(Text::new(
                format!("罚则引用待律师确认：{u}"),
                format!("penalty reference unresolved, for a lawyer: {u}"),
            ));
        }
    }
    if s.duty.kind == Kind::Prohibition {
        if s.status == Status::Unknown {
            return s;
        }
        s.due = None;
        s.missing_events.clear();
        s.breaches = p
            .breaches
            .iter()
            .filter(|b| b.duty == s.duty.id)
            .cloned()
            .collect();
        s.breaches.sort_by_key(|b| b.when.start());
        if s.breaches.is_empty() {
            s.status = Status::Complied;
            if explain {
                s.reasons = vec![Text::new(
                    "禁止性规定，未记录违反",
                    "a prohibition; no breach recorded",
                )];
            }
        } else {
            s.status = Status::Breached;
            if explain {
                s.reasons = s
                    .breaches
                    .iter()
                    .map(|b| {
                        Text::new(
                            format!("{} 违反（{}）：{}", b.when, s.citations_zh(), b.description),
                            format!(
                                "breached on {} ({}): {}",
                                b.when,
                                s.citations_en(),
                                b.description
                            ),
                        )
                    })
                    .collect();
            }
        }
        return s;
    }
    if s.duty.party != Party::Operator {
        s.status = match s.status {
            Status::Due => Status::Expected,
            Status::Overdue => Status::Chase,
            other => other,
        };
        if explain && matches!(s.status, Status::Expected | Status::Chase) {
            s.reasons.push(Text::new(
                "他方义务：运营者可期待、可催办，不计入运营者的逾期和罚款",
                "another party's duty: the operator may expect and chase it; never counted \
                 against the operator",
            ));
        }
    }
    s
}
