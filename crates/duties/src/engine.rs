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
use jiff::{Timestamp, ToSpan};
use serde::{Serialize, Serializer};

use crate::catalog::{Catalog, Clock, Duty, IfMissing, Limit};
use crate::profile::{date_of, Profile, Stage};
pub use crate::status::Status;
use crate::time::{rfc3339_shanghai, EventTime};
use crate::words;

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
        let mut st = s.serialize_struct("DutyStatus", 13)?;
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

type Memo = HashMap<(usize, u128), bool, std::hash::BuildHasherDefault<FoldHasher>>;

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
            let key = cond
                .mask
                .filter(|_| self.memoise)
                .map(|m| (d.condition, sig & m));
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
            .map(|(d, a)| status_of(d, a, p, self.calendar, at, self.explain))
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
            crate::nature::settle(status_of(d, a, profile, calendar, at, true), profile, true)
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

struct Outcome {
    status: Status,
    due: Option<Due>,
    reasons: Vec<Text>,
    missing: Vec<String>,
}

thread_local! {
    /// Whether the evaluation running on this thread writes reasons.
    static EXPLAIN: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

impl Outcome {
    fn new(status: Status, due: Option<Due>, reason: impl FnOnce() -> Text) -> Outcome {
        Outcome {
            status,
            due,
            reasons: if EXPLAIN.get() {
                vec![reason()]
            } else {
                Vec::new()
            },
            missing: Vec::new(),
        }
    }

    fn missing(event: &str, reason: impl FnOnce() -> Text) -> Outcome {
        Outcome {
            status: Status::Unknown,
            due: None,
            reasons: if EXPLAIN.get() {
                vec![reason()]
            } else {
                Vec::new()
            },
            missing: vec![event.to_string()],
        }
    }
}

fn status_of(
    d: &Arc<Duty>,
    applies: Result<bool, String>,
    p: &Profile,
    cal: &Calendar,
    at: Timestamp,
    explain: bool,
) -> DutyStatus {
    EXPLAIN.set(explain);
    let evidence: Vec<usize> = p
        .evidence
        .iter()
        .enumerate()
        .filter(|(_, e)| e.duty == d.id && e.when.start() <= at && !expired(e.expires, at))
        .map(|(i, _)| i)
        .collect();
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
        Ok(true) => clock_status(d, p, cal, at, &evidence),
    };
    let mut reasons = out.reasons;
    let working_days = matches!(
        d.clock,
        Some(Clock::After {
            limit: Some(Limit::WorkingDays(_)),
            ..
        })
    );
    let provisional =
        working_days && matches!(out.due, Some(Due::Date(x)) if cal.is_provisional(x));
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
    DutyStatus {
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

/// Whether `e` happened on or after `trigger` (by day when either is a bare date).
fn on_or_after(e: EventTime, trigger: EventTime) -> bool {
    match (e, trigger) {
        (EventTime::Time(a), EventTime::Time(b)) => a >= b,
        _ => e.date() >= trigger.date(),
    }
}

fn met_by_event<'d>(
    d: &'d Duty,
    p: &Profile,
    since: Option<EventTime>,
) -> Option<(&'d str, EventTime)> {
    d.met_when.iter().find_map(|name| {
        let t = p.event(name)?;
        match since {
            Some(s) if !on_or_after(t, s) => None,
            _ => Some((name.as_str(), t)),
        }
    })
}

fn clock_status(
    d: &Duty,
    p: &Profile,
    cal: &Calendar,
    at: Timestamp,
    evidence: &[usize],
) -> Outcome {
    let has_evidence = !evidence.is_empty();
    let evidence_reason = || Text::new("有有效证据", "valid evidence on file");
    match &d.clock {
        None => {
            if let Some((e, t)) = met_by_event(d, p, None) {
                Outcome::new(Status::Met, None, || happened(e, t))
            } else if has_evidence {
                Outcome::new(Status::Met, None, evidence_reason)
            } else {
                Outcome::new(Status::Due, None, || {
                    Text::new(
                        "持续义务：无法定期限，尚无证据",
                        "a standing duty with no statutory deadline; no evidence on file",
                    )
                })
            }
        }
        Some(Clock::After {
            event,
            limit,
            if_missing,
        }) => {
            let Some(trigger) = p.event(event) else {
                return match if_missing {
                    IfMissing::NotApplicable => Outcome::new(Status::NotApplicable, None, || {
                        let w = words::event(event);
                        Text::new(format!("尚未{}", w.zh), format!("not yet: {}", w.en))
                    }),
                    IfMissing::Unknown => {
                        Outcome::missing(event, || {
                            let w = words::event(event);
                            Text::new(
                            format!("缺少“{}”的日期，无法计算期限", w.zh),
                            format!("the date of “{}” is missing, so the deadline cannot be computed", w.en),
                        )
                        })
                    }
                };
            };
            let due = match limit {
                None => None,
                Some(Limit::WorkingDays(n)) => match cal.add_workdays(trigger.date(), *n) {
                    Ok(d) => Some(Due::Date(d)),
                    Err(e) => {
                        return Outcome::new(Status::Unknown, None, || {
                            Text::from_joined(&e.to_string())
                        })
                    }
                },
                Some(Limit::Days(n)) => match trigger.date().checked_add(i64::from(*n).days()) {
                    Ok(d) => Some(Due::Date(d)),
                    Err(e) => return Outcome::new(Status::Unknown, None, || out_of_range(e)),
                },
                Some(Limit::Hours(n)) => match trigger.start().checked_add(i64::from(*n).hours()) {
                    Ok(t) => Some(Due::Time(t)),
                    Err(e) => return Outcome::new(Status::Unknown, None, || out_of_range(e)),
                },
            };
            let started = || happened(event, trigger);
            if let Some((e, t)) = met_by_event(d, p, Some(trigger)) {
                let late = due.is_some_and(|x| match x {
                    Due::Date(dd) => t.date() > dd,
                    Due::Time(tt) => t.start() > tt,
                });
                let mut o = Outcome::new(Status::Met, due, || {
                    let (a, b) = (started(), happened(e, t));
                    Text::new(format!("{}；{}", a.zh, b.zh), format!("{}; {}", a.en, b.en))
                });
                if late && EXPLAIN.get() {
                    o.reasons
                        .push(Text::new("履行晚于期限", "done after the deadline"));
                }
                return o;
            }
            if evidence.iter().any(|i| {
                p.evidence
                    .get(*i)
                    .is_some_and(|e| on_or_after(e.when, trigger))
            }) {
                return Outcome::new(Status::Met, due, || {
                    let (a, b) = (started(), evidence_reason());
                    Text::new(format!("{}；{}", a.zh, b.zh), format!("{}; {}", a.en, b.en))
                });
            }
            match due {
                Some(x) if x.passed(at) => Outcome::new(Status::Overdue, due, started),
                _ => Outcome::new(Status::Due, due, started),
            }
        }
        Some(Clock::Every {
            period,
            after,
            first_after,
        }) => {
            let mut last = p.event(after).map(EventTime::date);
            for i in evidence {
                if let Some(e) = p.evidence.get(*i) {
                    let w = e.when.date();
                    last = Some(last.map_or(w, |l| l.max(w)));
                }
            }
            if let Some(l) = last {
                return match l.checked_add(period.span()) {
                    Ok(next) if date_of(at) <= next => {
                        Outcome::new(Status::Met, Some(Due::Date(next)), || {
                            Text::new(
                                format!("上次{}：{l}；下次应于 {next} 前", words::event(after).zh),
                                format!("last done {l}; next due {next}"),
                            )
                        })
                    }
                    Ok(next) => Outcome::new(Status::Overdue, Some(Due::Date(next)), || {
                        Text::new(
                            format!("上次{}：{l}", words::event(after).zh),
                            format!("last done {l}"),
                        )
                    }),
                    Err(e) => Outcome::new(Status::Unknown, None, || out_of_range(e)),
                };
            }
            let first = first_after
                .as_deref()
                .and_then(|f| p.event(f).map(|t| (f, t)));
            match first {
                Some((f, t)) => match t.date().checked_add(period.span()) {
                    Ok(next) => {
                        let s = if date_of(at) > next {
                            Status::Overdue
                        } else {
                            Status::Due
                        };
                        Outcome::new(s, Some(Due::Date(next)), || {
                            let w = words::event(f);
                            Text::new(
                                format!("尚未做过，自{}（{t}）起算", w.zh),
                                format!("never done; counted from {} ({t})", w.en),
                            )
                        })
                    }
                    Err(e) => Outcome::new(Status::Unknown, None, || out_of_range(e)),
                },
                None => {
                    let mut o = Outcome::missing(after, || {
                        let mut zh = format!("缺少“{}”", words::event(after).zh);
                        let mut en = format!("the date of “{}”", words::event(after).en);
                        if let Some(f) = first_after.as_deref() {
                            zh.push_str(&format!("和“{}”", words::event(f).zh));
                            en.push_str(&format!(" and of “{}”", words::event(f).en));
                        }
                        Text::new(
                            format!("{zh}的日期，无法判断上次何时履行"),
                            format!("{en} are missing: cannot tell when it was last done"),
                        )
                    });
                    if let Some(f) = first_after {
                        o.missing.push(f.clone());
                    }
                    o
                }
            }
        }
        Some(Clock::Before { event, by_stage }) => {
            if let Some((e, t)) = met_by_event(d, p, None) {
                return Outcome::new(
                    Status::Met,
                    p.event(event).map(|x| Due::Date(x.date())),
                    || happened(e, t),
                );
            }
            if has_evidence {
                return Outcome::new(Status::Met, None, evidence_reason);
            }
            match p.event(event) {
                Some(t) => {
                    let due = Due::Date(t.date());
                    let s = if due.passed(at) {
                        Status::Overdue
                    } else {
                        Status::Due
                    };
                    Outcome::new(s, Some(due), || {
                        let w = words::event(event);
                        Text::new(
                            format!("须在{}（{t}）之前完成", w.zh),
                            format!("due before “{}” ({t})", w.en),
                        )
                    })
                }
                None => stage_status(p.stage(), *by_stage, words::event(event)),
            }
        }
        Some(Clock::ByStage { stage }) => {
            if let Some((e, t)) = met_by_event(d, p, None) {
                return Outcome::new(Status::Met, None, || happened(e, t));
            }
            if has_evidence {
                return Outcome::new(Status::Met, None, evidence_reason);
            }
            stage_status(p.stage(), Some(*stage), words::stage(stage.id()))
        }
    }
}

fn stage_status(now: Stage, by: Option<Stage>, what: Text) -> Outcome {
    match by {
        Some(by) if now >= by => Outcome::new(Status::Overdue, None, || {
            let n = words::stage(now.id());
            Text::new(
                format!("网络已处于“{}”阶段，应在“{}”之前完成", n.zh, what.zh),
                format!(
                    "the network is already “{}”; this was due before “{}”",
                    n.en, what.en
                ),
            )
        }),
        _ => Outcome::new(Status::Due, None, || {
            Text::new(
                format!("须在“{}”之前完成", what.zh),
                format!("due before “{}”", what.en),
            )
        }),
    }
}

/// 上线运行：2025-06-01 / Put into operation: 2025-06-01.
fn happened(event: &str, t: EventTime) -> Text {
    let w = words::event(event);
    Text::new(format!("{}：{t}", w.zh), format!("{}: {t}", w.en))
}

/// A date computation that left the calendar's range (a clock far in the future).
fn out_of_range(e: impl std::fmt::Display) -> Text {
    Text::new(
        format!("期限超出可计算的日期范围：{e}"),
        format!("the deadline is outside the dates that can be computed: {e}"),
    )
}
