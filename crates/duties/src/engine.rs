//! The engine: profile + catalog + calendar + a moment → each duty's status and due date.
//!
//! Invariant: no I/O, no panics; a calendar that does not know a date makes that duty
//! `unknown` (naming the date), never a guess; a working-day deadline in a provisional
//! calendar year is marked [`DutyStatus::provisional`].

use std::collections::HashMap;
use std::sync::Arc;

use dengbao_calendar::Calendar;
use dengbao_types::{Citation, Text};
use jiff::civil::Date;
use jiff::Timestamp;
use serde::{Serialize, Serializer};

use crate::catalog::{Catalog, Clock, Duty, Limit};
use crate::clocks::{clock_status, Outcome, EXPLAIN};
use crate::profile::{date_of, Profile};
pub use crate::status::Status;
use crate::time::{rfc3339_shanghai, EventTime};

/// A deadline: a day (working-day and yearly clocks) or an instant (hour clocks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Due {
    Date(Date),
    Time(Timestamp),
}

impl std::fmt::Display for Due {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Due::Date(d) => write!(f, "{d}"),
            Due::Time(t) => f.write_str(&rfc3339_shanghai(*t)),
        }
    }
}

impl Serialize for Due {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Due {
    /// Passed at `at`: a date deadline runs to the end of that day in Asia/Shanghai.
    pub fn passed(self, at: Timestamp) -> bool {
        match self {
            Due::Date(d) => date_of(at) > d,
            Due::Time(t) => at > t,
        }
    }
}

/// One duty of one network at one moment. Serialises with the duty's `id`, `title`,
/// `title_en`, `citations`, `kind`, `party` and `penalty` inlined.
#[derive(Debug, Clone)]
pub struct DutyStatus {
    /// The catalog entry (shared, not copied).
    pub duty: Arc<Duty>,
    pub status: Status,
    pub due: Option<Due>,
    /// `due` was counted in working days into a year without a loaded State Council
    /// notice, so it may move when the notice is loaded (decision 0409).
    pub provisional: bool,
    /// Why the status is what it is, in Chinese and English; empty when the engine was
    /// asked not to explain ([`Engine::explain`]).
    pub reasons: Vec<Text>,
    /// Events the engine needed and the profile lacks (for `unknown`).
    pub missing_events: Vec<String>,
    /// Indices into the profile's `evidence` that satisfy the duty.
    pub evidence: Vec<usize>,
    /// The recorded breaches of a prohibition (status `breached`), earliest first.
    pub breaches: Vec<crate::profile::Breach>,
    /// The duty's citations as the law in force on the evaluation date numbers them,
    /// each naming its version (decision 0203).
    pub citations: std::sync::Arc<[Citation]>,
    /// The evaluation date (Asia/Shanghai): what the status and citations are as of.
    pub on: Date,
    /// For an MLPS duty whose clock the rule in force also sets: which rule computed `due`
    /// and how the other reads (decision 0205).
    pub basis: Option<crate::rule_basis::RuleBasis>,
}

impl DutyStatus {
    pub fn id(&self) -> &str {
        &self.duty.id
    }
    pub fn title(&self) -> &str {
        &self.duty.title
    }
    /// The citations in the numbering of the version in force on the evaluation date.
    pub fn citations(&self) -> &[Citation] {
        &self.citations
    }
    /// The citations in the law's own form, separated by 、.
    pub fn citations_zh(&self) -> String {
        self.citations()
            .iter()
            .map(crate::basis::cite_zh)
            .collect::<Vec<_>>()
            .join("、")
    }

    /// The citations in English, separated by semicolons.
    pub fn citations_en(&self) -> String {
        self.citations()
            .iter()
            .map(crate::basis::cite_en)
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The citations in `lang`.
    pub fn citations_in(&self, lang: dengbao_types::Lang) -> String {
        if lang.is_en() {
            self.citations_en()
        } else {
            self.citations_zh()
        }
    }
    pub fn penalty(&self) -> Option<&str> {
        self.duty.penalty.as_deref()
    }
}

impl Serialize for DutyStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let d = &self.duty;
        let mut st = s.serialize_struct("DutyStatus", 14)?;
        st.serialize_field("id", &d.id)?;
        st.serialize_field("title", &d.title)?;
        st.serialize_field("title_en", &d.title_en)?;
        st.serialize_field("citations", &*self.citations)?;
        st.serialize_field("status", &self.status)?;
        st.serialize_field("due", &self.due)?;
        st.serialize_field("provisional", &self.provisional)?;
        st.serialize_field("kind", &d.kind)?;
        st.serialize_field("party", &d.party)?;
        st.serialize_field("penalty", &d.penalty)?;
        st.serialize_field("reasons", &self.reasons)?;
        st.serialize_field("missing_events", &self.missing_events)?;
        st.serialize_field("evidence", &self.evidence)?;
        st.serialize_field("breaches", &self.breaches)?;
        st.serialize_field("rule_basis", &self.basis)?;
        st.end()
    }
}

/// A multiply-fold hasher for the memo's `(condition, signature)` keys: the keys are
/// already well-mixed bit patterns, so SipHash's DoS resistance buys nothing here.
#[derive(Default, Clone, Copy)]
pub struct FoldHasher(u64);

impl std::hash::Hasher for FoldHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 =
                (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u128(&mut self, n: u128) {
        self.write_u64(n as u64);
        self.write_u64((n >> 64) as u64);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// (condition, the signature bits it reads, the count it reads if any) → its result.
type Memo = HashMap<(usize, u128, i64), bool, std::hash::BuildHasherDefault<FoldHasher>>;

/// Evaluates many profiles against one catalog and calendar, memoising each condition's
/// result per the profile attributes it reads.
pub struct Engine<'c> {
    catalog: &'c Catalog,
    calendar: &'c Calendar,
    memo: Memo,
    /// Off for the benchmark's baseline.
    pub memoise: bool,
    /// Write `reasons` (on by default; batch runs that need only statuses and deadlines
    /// can turn it off).
    pub explain: bool,
}

impl<'c> Engine<'c> {
    pub fn new(catalog: &'c Catalog, calendar: &'c Calendar) -> Engine<'c> {
        Engine {
            catalog,
            calendar,
            memo: Memo::default(),
            memoise: true,
            explain: true,
        }
    }

    /// Which duties apply, in catalog order (`Err` names the duty whose condition failed).
    fn applicability(&mut self, p: &Profile) -> Vec<Result<bool, String>> {
        let sig = crate::cel::signature(p);
        let mut ctx = None;
        let mut out = Vec::with_capacity(self.catalog.duties().len());
        let mut local: Vec<Option<Result<bool, String>>> =
            vec![None; self.catalog.conditions.len()];
        for d in self.catalog.duties() {
            let Some(cond) = self.catalog.conditions.get(d.condition) else {
                out.push(Err("missing condition".to_string()));
                continue;
            };
            let count = if cond.reads_count {
                p.network.personal_info_people.unwrap_or(0)
            } else {
                0
            };
            let key = cond
                .mask
                .filter(|_| self.memoise)
                .map(|m| (d.condition, sig & m, count));
            if let Some(k) = key {
                if let Some(v) = self.memo.get(&k) {
                    out.push(Ok(*v));
                    continue;
                }
            }
            if let Some(Some(r)) = local.get(d.condition) {
                out.push(r.clone());
                continue;
            }
            let ctx = ctx.get_or_insert_with(|| crate::cel::bind(&self.catalog.root, p));
            let r = cond.run(ctx);
            if let (Some(k), Ok(v)) = (key, &r) {
                self.memo.insert(k, *v);
            }
            if let Some(slot) = local.get_mut(d.condition) {
                *slot = Some(r.clone());
            }
            out.push(r);
        }
        out
    }

    /// Every duty of the catalog for this profile at `at`.
    pub fn evaluate(&mut self, p: &Profile, at: Timestamp) -> Vec<DutyStatus> {
        // Only what had happened by `at` counts (planned dates excepted).
        let p = &*p.as_of(at);
        let applies = self.applicability(p);
        self.catalog
            .duties()
            .iter()
            .zip(applies)
            .map(|(d, a)| status_of(d, a, p, self.calendar, at, self.explain, self.catalog.basis))
            .map(|s| crate::nature::settle(s, p, self.explain))
            .collect()
    }
}

/// The benchmark's named peer baseline: what a naive rules engine does — parse and
/// interpret every condition from its CEL source for every network — then the same
/// deadline computation as [`Engine::evaluate`].
#[doc(hidden)]
pub fn evaluate_from_source(
    profile: &Profile,
    catalog: &Catalog,
    calendar: &Calendar,
    at: Timestamp,
) -> Vec<DutyStatus> {
    let profile = &*profile.as_of(at);
    let ctx = crate::cel::bind(&catalog.root, profile);
    catalog
        .duties()
        .iter()
        .map(|d| {
            let a = crate::cel::Condition::compile(&d.applies_when).and_then(|c| c.run(&ctx));
            let s = status_of(d, a, profile, calendar, at, true, catalog.basis);
            crate::nature::settle(s, profile, true)
        })
        .collect()
}

/// Every duty of `catalog` for `profile` at `at` (see [`Engine`] for many profiles).
pub fn evaluate(
    profile: &Profile,
    catalog: &Catalog,
    calendar: &Calendar,
    at: Timestamp,
) -> Vec<DutyStatus> {
    Engine::new(catalog, calendar).evaluate(profile, at)
}

/// The operator's duties that are due, overdue, breached or unknown: what is left to do or
/// to find out (other parties' duties are never the operator's gap).
pub fn gaps(statuses: &[DutyStatus]) -> Vec<&DutyStatus> {
    statuses
        .iter()
        .filter(|s| {
            s.duty.party == crate::catalog::Party::Operator
                && matches!(
                    s.status,
                    Status::Due | Status::Overdue | Status::Breached | Status::Unknown
                )
        })
        .collect()
}

fn status_of(
    d: &Arc<Duty>,
    applies: Result<bool, String>,
    p: &Profile,
    cal: &Calendar,
    at: Timestamp,
    explain: bool,
    basis: crate::MlpsBasis,
) -> DutyStatus {
    EXPLAIN.set(explain);
    let rule = crate::rule_basis::choose(d, p, basis);
    let evidence: Vec<usize> = p
        .evidence
        .iter()
        .enumerate()
        .filter(|(_, e)| e.duty == d.id && e.when.start() <= at && !expired(e.expires, at))
        .map(|(i, _)| i)
        .collect();
    let applied = matches!(applies, Ok(true));
    let out = match applies {
        Err(m) => Outcome::new(Status::Unknown, None, || {
            Text::new(
                format!("适用条件无法计算：{m}"),
                format!("the condition could not be evaluated: {m}"),
            )
        }),
        Ok(false) => Outcome::new(Status::NotApplicable, None, || {
            Text::new("不满足适用条件", "the conditions for this duty do not hold")
        }),
        Ok(true) => clock_status(d, rule.clock, p, cal, at, &evidence),
    };
    let mut reasons = out.reasons;
    let counted_in_days = matches!(
        rule.clock,
        Some(Clock::After {
            limit: Some(Limit::WorkingDays(_) | Limit::Days(_)),
            ..
        })
    );
    let provisional =
        counted_in_days && matches!(out.due, Some(Due::Date(x)) if cal.is_provisional(x));
    if provisional && explain {
        reasons.push(Text::new(
            format!("期限暂定：{}", dengbao_calendar::PROVISIONAL_NOTE_ZH),
            format!(
                "provisional deadline: {}",
                dengbao_calendar::PROVISIONAL_NOTE_EN
            ),
        ));
    }
    let stale: Vec<String> = p
        .evidence
        .iter()
        .filter(|e| e.duty == d.id && expired(e.expires, at))
        .filter_map(|e| e.expires.map(|x| x.to_string()))
        .collect();
    for x in stale {
        reasons.push(Text::new(
            format!("证据已于 {x} 过期"),
            format!("evidence expired on {x}"),
        ));
    }
    let basis = if applied {
        rule.describe(d, p, cal, at, &evidence, out.due)
    } else {
        None
    };
    if let (Some(b), true) = (&basis, explain) {
        reasons.push(b.sentence());
    }
    DutyStatus {
        basis,
        duty: Arc::clone(d),
        status: out.status,
        due: out.due,
        provisional,
        reasons,
        missing_events: out.missing,
        evidence,
        breaches: Vec::new(),
        citations: d.dated.at(date_of(at)),
        on: date_of(at),
    }
}

fn expired(expires: Option<EventTime>, at: Timestamp) -> bool {
    match expires {
        None => false,
        Some(EventTime::Date(d)) => date_of(at) > d,
        Some(EventTime::Time(t)) => at > t,
    }
}
