//! Which rule drives an MLPS duty's deadline, and the other one shown beside it
//! (decision 0205): "现行：《信息安全等级保护管理办法》第十五条，……；条例（征求意见稿）：……".

use dengbao_calendar::Calendar;
use dengbao_types::{Citation, Text};
use jiff::Timestamp;
use serde::Serialize;

use crate::catalog::in_force::{clock_words, rule_for, InForce, MlpsBasis};
use crate::catalog::{Clock, Duty};
use crate::clocks::{clock_status, EXPLAIN};
use crate::engine::Due;
use crate::profile::Profile;

/// The clock chosen for one duty of one network.
pub(crate) struct Chosen<'d> {
    pub(crate) clock: Option<&'d Clock>,
    driving: MlpsBasis,
    rule: Option<&'d InForce>,
}

/// The clock that drives `d` for `p` under `basis`: the rule in force's where it gives a
/// figure for the network's level, else the draft's (the catalog's own `clock`).
pub(crate) fn choose<'d>(d: &'d Duty, p: &Profile, basis: MlpsBasis) -> Chosen<'d> {
    let rule = rule_for(&d.in_force, p.level.get());
    match rule {
        Some(r) if basis == MlpsBasis::InForce && r.clock.is_some() => Chosen {
            clock: r.clock.as_ref(),
            driving: MlpsBasis::InForce,
            rule,
        },
        _ => Chosen {
            clock: d.clock.as_ref(),
            driving: MlpsBasis::Draft,
            rule,
        },
    }
}

/// What a duty status says about its basis (JSON `basis`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleBasis {
    /// `in_force` or `draft`: which rule's clock gave `due`.
    pub driving: MlpsBasis,
    /// The rule in force for this level (`None`: the verified text says nothing for it).
    pub in_force: Option<Citation>,
    /// The rule in force's clock in words (`None` where it gives no figure: 定期, 依据特殊安全需求).
    pub in_force_clock: Option<Text>,
    /// The draft's clock in words (the draft's articles are the duty's `citations`).
    pub draft_clock: Text,
    /// The two rules give the same clock.
    pub same: bool,
    /// The deadline under the rule that does not drive, when it differs.
    pub other_due: Option<Due>,
}

impl Chosen<'_> {
    /// The basis of a duty that has rules in force; `None` for every other duty.
    pub(crate) fn describe(
        &self,
        d: &Duty,
        p: &Profile,
        cal: &Calendar,
        at: Timestamp,
        evidence: &[usize],
        due: Option<Due>,
    ) -> Option<RuleBasis> {
        if d.in_force.is_empty() {
            return None;
        }
        let rule_clock = self.rule.and_then(|r| r.clock.as_ref());
        let same = self.rule.is_some() && rule_clock == d.clock.as_ref();
        let other_clock = match self.driving {
            MlpsBasis::InForce => d.clock.as_ref(),
            MlpsBasis::Draft => rule_clock,
        };
        let other_due = if same || other_clock.is_none() {
            None
        } else {
            // Only its date is wanted: no reasons.
            let explain = EXPLAIN.get();
            EXPLAIN.set(false);
            let o = clock_status(d, other_clock, p, cal, at, evidence);
            EXPLAIN.set(explain);
            o.due.filter(|x| Some(*x) != due)
        };
        Some(RuleBasis {
            driving: self.driving,
            in_force: self.rule.map(|r| r.citation.clone()),
            in_force_clock: rule_clock.map(|c| clock_words(Some(c))),
            draft_clock: clock_words(d.clock.as_ref()),
            same,
            other_due,
        })
    }
}

impl RuleBasis {
    /// One sentence for the reasons: which rule counted the deadline and how the other reads.
    pub fn sentence(&self) -> Text {
        let draft_zh = "《网络安全等级保护条例（征求意见稿）》";
        let other = |lang_zh: bool| match self.other_due {
            Some(d) if lang_zh => format!("（至 {d}）"),
            Some(d) => format!(" (until {d})"),
            None => String::new(),
        };
        let Some(c) = &self.in_force else {
            return Text::new(
                format!("现行规定对本等级未作具体规定，期限按{draft_zh}计算"),
                "the rule in force sets nothing for this level: the deadline follows the MLPS Regulation (draft for comment)",
            );
        };
        let (rule_zh, rule_en) = (crate::basis::cite_zh(c), crate::basis::cite_en(c));
        let Some(words) = &self.in_force_clock else {
            return Text::new(
                format!(
                    "现行{rule_zh}未规定具体期限，期限按{draft_zh}计算：{}",
                    self.draft_clock.zh
                ),
                format!(
                    "the rule in force ({rule_en}) gives no figure; the deadline follows the draft regulation: {}",
                    self.draft_clock.en
                ),
            );
        };
        if self.same {
            return Text::new(
                format!("现行{rule_zh}与{draft_zh}一致：{}", words.zh),
                format!(
                    "the rule in force ({rule_en}) and the draft regulation agree: {}",
                    words.en
                ),
            );
        }
        match self.driving {
            MlpsBasis::InForce => Text::new(
                format!(
                    "期限依据现行{rule_zh}：{}；{draft_zh}为{}{}",
                    words.zh,
                    self.draft_clock.zh,
                    other(true)
                ),
                format!(
                    "deadline by the rule in force, {rule_en}: {}; the draft regulation says {}{}",
                    words.en,
                    self.draft_clock.en,
                    other(false)
                ),
            ),
            MlpsBasis::Draft => Text::new(
                format!(
                    "期限按设置依据{draft_zh}：{}；现行{rule_zh}为{}{}",
                    self.draft_clock.zh,
                    words.zh,
                    other(true)
                ),
                format!(
                    "deadline by the draft regulation, as set: {}; the rule in force, {rule_en}, says {}{}",
                    self.draft_clock.en,
                    words.en,
                    other(false)
                ),
            ),
        }
    }
}
