//! The MLPS rule in force beside the draft (decision 0205).
//!
//! The MLPS regulation is still a 征求意见稿; the binding rules are 《信息安全等级保护管理办法》
//! (公通字〔2007〕43号, law id `mlps2007`, shipped as verified excerpts). A duty of the draft
//! whose clock that text also sets carries `[[duty.in_force]]` entries: the article, the
//! levels the entry is for (the 2007 text sets level-4 cadences apart), and its clock.
//! [`MlpsBasis`] says which of the two drives the deadline; the other is shown beside it.

use dengbao_types::{Citation, Text};
use serde::{Deserialize, Serialize};

use super::check::{check_article, derr, validate_clock};
use super::{CatalogError, Clock, Limit, RawClock};
use crate::words;

/// Which rule drives an MLPS deadline: the rule in force (the default) or the draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MlpsBasis {
    #[default]
    InForce,
    Draft,
}

impl MlpsBasis {
    /// `in-force` or `draft` (the flag's spelling; `_` accepted too).
    pub fn parse(s: &str) -> Option<MlpsBasis> {
        match s.replace('_', "-").as_str() {
            "in-force" => Some(MlpsBasis::InForce),
            "draft" => Some(MlpsBasis::Draft),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            MlpsBasis::InForce => "in-force",
            MlpsBasis::Draft => "draft",
        }
    }
}

/// `[[duty.in_force]]` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawInForce {
    law: String,
    article: u32,
    #[serde(default)]
    paragraph: Option<u32>,
    /// The levels this entry is for; empty: every level the duty applies to.
    #[serde(default)]
    levels: Vec<u8>,
    /// Absent: the rule gives no figure (定期, 依据特殊安全需求).
    #[serde(default)]
    clock: Option<RawClock>,
}

/// One rule in force for a duty.
#[derive(Debug, Clone, Serialize)]
pub struct InForce {
    pub citation: Citation,
    pub levels: Vec<u8>,
    pub clock: Option<Clock>,
}

impl InForce {
    fn covers(&self, level: u8) -> bool {
        self.levels.is_empty() || self.levels.contains(&level)
    }
}

/// The laws an `in_force` entry may cite, with their article count and the version cited:
/// the rules in force beside the draft.
const IN_FORCE_LAWS: &[(&str, u32, &str)] = &[("mlps2007", 44, "2007")];

pub(super) fn validate(
    file: &str,
    id: &str,
    raw: Vec<RawInForce>,
) -> Result<Vec<InForce>, CatalogError> {
    let mut out: Vec<InForce> = Vec::new();
    for r in raw {
        let field = "in_force";
        let version = match IN_FORCE_LAWS.iter().find(|(l, _, _)| *l == r.law) {
            Some((_, n, v)) if (1..=*n).contains(&r.article) => *v,
            Some((l, n, _)) => {
                return Err(derr(
                    file,
                    id,
                    field,
                    &format!("{l} has articles 1–{n}, not {}", r.article),
                ))
            }
            None => {
                // A law of the catalog's own set is not a rule beside the draft.
                let known = check_article(&r.law, r.article).is_ok();
                let why = if known {
                    format!("`{}` is cited in `citations`, not here", r.law)
                } else {
                    format!("unknown law `{}` (mlps2007)", r.law)
                };
                return Err(derr(file, id, field, &why));
            }
        };
        if r.levels.iter().any(|l| !(1..=5).contains(l)) {
            return Err(derr(file, id, "in_force.levels", "levels are 1–5"));
        }
        if out.iter().any(|o| {
            r.levels.is_empty()
                || o.levels.is_empty()
                || o.levels.iter().any(|l| r.levels.contains(l))
        }) {
            return Err(derr(
                file,
                id,
                "in_force.levels",
                "two entries cover the same level",
            ));
        }
        let clock = match r.clock {
            Some(c) => Some(validate_clock(file, id, c)?),
            None => None,
        };
        out.push(InForce {
            citation: Citation {
                law: Some(r.law),
                article: r.article,
                suffix: None,
                paragraph: r.paragraph,
                item: None,
                version: Some(version.to_string()),
            },
            levels: r.levels,
            clock,
        });
    }
    Ok(out)
}

/// The entry for a network of `level`, if the rule in force speaks to it.
pub(crate) fn rule_for(rules: &[InForce], level: u8) -> Option<&InForce> {
    rules.iter().find(|r| r.covers(level))
}

/// A clock in words: 定级后10个工作日内, 每年一次, 上线运行前.
pub fn clock_words(c: Option<&Clock>) -> Text {
    let Some(c) = c else {
        return Text::new("未规定具体期限", "no figure given");
    };
    match c {
        Clock::After {
            event,
            later_of,
            limit,
            ..
        } => {
            let e = words::event(event);
            let (zh_from, en_from) = match later_of {
                Some(l) => {
                    let w = words::event(l);
                    (
                        format!("{}或{}（以较晚者为准）后", e.zh, w.zh),
                        format!("after “{}” or “{}”, whichever is later", e.en, w.en),
                    )
                }
                None => (format!("{}后", e.zh), format!("after “{}”", e.en)),
            };
            match limit {
                Some(Limit::WorkingDays(n)) => Text::new(
                    format!("{zh_from}{n}个工作日内"),
                    format!("within {n} working days {en_from}"),
                ),
                Some(Limit::Days(n)) => Text::new(
                    format!("{zh_from}{n}日内"),
                    format!("within {n} days {en_from}"),
                ),
                Some(Limit::Hours(n)) => Text::new(
                    format!("{zh_from}{n}小时内"),
                    format!("within {n} hours {en_from}"),
                ),
                None => Text::new(format!("{zh_from}及时"), format!("promptly {en_from}")),
            }
        }
        Clock::Every { period, .. } => match (period.years, period.months, period.days) {
            (1, 0, 0) => Text::new("每年至少一次", "at least once a year"),
            (y, 0, 0) => Text::new(
                format!("每{y}年至少一次"),
                format!("at least every {y} years"),
            ),
            (0, 6, 0) => Text::new("每半年至少一次", "at least every six months"),
            (0, m, 0) => Text::new(
                format!("每{m}个月至少一次"),
                format!("at least every {m} months"),
            ),
            (_, _, d) => Text::new(
                format!("每{d}日至少一次"),
                format!("at least every {d} days"),
            ),
        },
        Clock::Before { event, .. } => {
            let e = words::event(event);
            Text::new(format!("{}前", e.zh), format!("before “{}”", e.en))
        }
        Clock::ByStage { stage } => {
            let id = match stage {
                crate::Stage::Planning => "planning",
                crate::Stage::Building => "building",
                crate::Stage::Running => "running",
                crate::Stage::Retired => "retired",
            };
            let s = words::stage(id);
            Text::new(
                format!("进入{}阶段前", s.zh),
                format!("before the {} stage", s.en),
            )
        }
    }
}
