//! The key-post certificates of a network decide 持证上岗 (条例（征求意见稿）第二十一条第（三）项,
//! level 3 and above) — the duty whose catalog entry says
//! `computed_from = "key_post_certificates"` (decision 1505).
//!
//! A certificate owes its renewal by its last valid day: `due` from `warn_days` before it
//! (the notice is the training catalog's value, `data/training/certificates.toml`; the text
//! gives none), `overdue` from the day after, and `met` again once a newer certificate of the
//! same name is recorded for the same person.
//!
//! Invariant: no I/O here; the caller reads the staff records and hands them over.

use std::collections::BTreeMap;

use dengbao_types::Text;
use jiff::civil::Date;
use serde::Serialize;

use crate::engine::{Due, DutyStatus, Status};

/// One certificate held by a person on a key post of the network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldCertificate {
    /// The person's name, as the reasons name them.
    pub holder: String,
    /// The person's id in the records: two people of the same name are two holders.
    pub holder_id: String,
    /// The certificate's name (CISP, 网络安全等级测评师 …): a later one of the same name
    /// renews an earlier one.
    pub certificate: String,
    /// Its last valid day.
    pub expires: Date,
}

/// The certificates of the network's key-post holders and the notice period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyPostCertificates {
    /// Days before the last valid day from which a renewal is due.
    pub warn_days: i64,
    pub held: Vec<HeldCertificate>,
}

/// What one certificate (the latest of its holder and name) means on `today`.
fn state_of(expires: Date, today: Date, warn_days: i64) -> Status {
    if expires < today {
        return Status::Overdue;
    }
    // Date − Date is a span in days: the calendar days left, the last valid day included.
    let days_left = i64::from((expires - today).get_days());
    if days_left <= warn_days {
        Status::Due
    } else {
        Status::Met
    }
}

/// Decide the status of 持证上岗 from the certificates; without any certificate recorded the
/// engine's status (events and evidence) stands.
pub(crate) fn decide(st: &mut DutyStatus, f: &KeyPostCertificates) {
    if f.held.is_empty() {
        return;
    }
    // The latest certificate of each holder and name: a renewal replaces what it renews.
    let mut latest: BTreeMap<(&str, &str), &HeldCertificate> = BTreeMap::new();
    for c in &f.held {
        let slot = latest
            .entry((c.holder_id.as_str(), c.certificate.as_str()))
            .or_insert(c);
        if c.expires > slot.expires {
            *slot = c;
        }
    }
    let today = st.on;
    let mut worst = Status::Met;
    let mut due: Option<Date> = None;
    let mut reasons = Vec::new();
    for c in latest.values() {
        let s = state_of(c.expires, today, f.warn_days);
        let (who, what, x) = (&c.holder, &c.certificate, c.expires);
        reasons.push(match s {
            Status::Overdue => Text::new(
                format!("{who} 的「{what}」已于 {x} 到期，未见更新的证书"),
                format!(
                    "「{who}」's certificate 「{what}」 expired on {x} and no renewal is recorded"
                ),
            ),
            Status::Due => Text::new(
                format!("{who} 的「{what}」将于 {x} 到期，请在到期前更新"),
                format!("「{who}」's certificate 「{what}」 expires on {x}: renew it before then"),
            ),
            _ => Text::new(
                format!("{who} 的「{what}」有效至 {x}"),
                format!("「{who}」's certificate 「{what}」 is valid until {x}"),
            ),
        });
        if s != Status::Met {
            due = Some(due.map_or(x, |d| d.min(x)));
            if s == Status::Overdue || worst == Status::Met {
                worst = s;
            }
        }
    }
    reasons.push(Text::new(
        format!(
            "到期前 {} 天起提示更新：本目录的取值，条例未规定提前期",
            f.warn_days
        ),
        format!(
            "renewal is due from {} days before expiry: this catalog's value; the draft gives no notice period",
            f.warn_days
        ),
    ));
    st.status = worst;
    st.due = due.map(Due::Date);
    st.provisional = false;
    st.missing_events.clear();
    st.reasons = reasons;
}
