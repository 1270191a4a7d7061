//! The clocks: when a duty of a network falls due and whether it is met, overdue or
//! unknown, from its clock kind (after an event, every period, before an event or stage),
//! the profile's events and evidence, and the calendar. Each outcome explains itself in
//! both languages (decision 0934).

use dengbao_calendar::Calendar;
use dengbao_types::Text;
use jiff::{Timestamp, ToSpan};

use crate::catalog::{Clock, Duty, IfMissing, Limit};
use crate::engine::{Due, Status};
use crate::profile::{date_of, Profile, Stage};
use crate::time::EventTime;
use crate::words;

pub(crate) struct Outcome {
    pub(crate) status: Status,
    pub(crate) due: Option<Due>,
    pub(crate) reasons: Vec<Text>,
    pub(crate) missing: Vec<String>,
}

thread_local! {
    /// Whether the evaluation running on this thread writes reasons.
    pub(crate) static EXPLAIN: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

impl Outcome {
    pub(crate) fn new(status: Status, due: Option<Due>, reason: impl FnOnce() -> Text) -> Outcome {
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

/// `n` days after `from` (the day itself not counted); a last day that is a rest day moves
/// to the next working day (《民法典》第二百零一条、第二百零三条).
pub fn calendar_days(
    cal: &Calendar,
    from: jiff::civil::Date,
    n: u32,
) -> Result<jiff::civil::Date, Text> {
    let mut d = from
        .checked_add(i64::from(n).days())
        .map_err(out_of_range)?;
    // A rest period is never longer than a few weeks; bound the walk anyway.
    for _ in 0..60 {
        match cal.is_workday(d) {
            Ok(true) => return Ok(d),
            Ok(false) => d = d.tomorrow().map_err(out_of_range)?,
            Err(e) => return Err(Text::from_joined(&e.to_string())),
        }
    }
    Ok(d)
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

pub(crate) fn clock_status(
    d: &Duty,
    clock: Option<&Clock>,
    p: &Profile,
    cal: &Calendar,
    at: Timestamp,
    evidence: &[usize],
) -> Outcome {
    let has_evidence = !evidence.is_empty();
    let evidence_reason = || Text::new("有有效证据", "valid evidence on file");
    match clock {
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
            later_of,
            limit,
            if_missing,
        }) => {
            let Some(first) = p.event(event) else {
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
            // 《信息安全等级保护管理办法》第十五条: from grading, or from going live when graded
            // before it. A network already in operation counts from `event` even without the
            // later date; one not yet live needs that date (a planned one will do).
            let (event, trigger): (&str, EventTime) = match later_of.as_deref() {
                None => (event.as_str(), first),
                Some(l) => match p.event(l) {
                    Some(t) if t.date() > first.date() => (l, t),
                    Some(_) => (event.as_str(), first),
                    None if !matches!(p.stage(), Stage::Planning | Stage::Building) => {
                        (event.as_str(), first)
                    }
                    None => {
                        return Outcome::missing(l, || {
                            let w = words::event(l);
                            Text::new(
                                format!("期限自{}起算（可填计划日期），尚无该日期", w.zh),
                                format!("the deadline runs from “{}” (a planned date will do), which is not given", w.en),
                            )
                        })
                    }
                },
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
                Some(Limit::Days(n)) => match calendar_days(cal, trigger.date(), *n) {
                    Ok(d) => Some(Due::Date(d)),
                    Err(t) => return Outcome::new(Status::Unknown, None, || t),
                },
                Some(Limit::Hours(n)) => match trigger.start().checked_add(i64::from(*n).hours()) {
                    Ok(t) => Some(Due::Time(t)),
                    Err(e) => return Outcome::new(Status::Unknown, None, || out_of_range(e)),
                },
            };
            let started = || happened(event, trigger);
            // Done once the duty arose (`first`): a filing between grading and going live
            // meets a clock that counts from going live.
            if let Some((e, t)) = met_by_event(d, p, Some(first)) {
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
                    .is_some_and(|e| on_or_after(e.when, first))
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
