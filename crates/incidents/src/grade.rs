//! The grade of an incident under the annex 《网络安全事件分级指南》: the quantitative
//! thresholds ("通常情况下，满足下列条件之一的，可判别为……"), each met at or above its
//! number (注：本指南中的"以上"均包括本数), and an operator's judgment (`grade`) for the
//! qualitative criteria, which may raise the grade and never lower it below the facts.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::incident::Incident;
use crate::rules::{AnnexRef, Rules};

/// The four grades, mildest first so that `Ord` is severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// 一般
    General,
    /// 较大
    RelativelyMajor,
    /// 重大
    Major,
    /// 特别重大
    EspeciallyMajor,
}

impl Grade {
    pub const ALL: [Grade; 4] = [
        Grade::EspeciallyMajor,
        Grade::Major,
        Grade::RelativelyMajor,
        Grade::General,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Grade::General => "general",
            Grade::RelativelyMajor => "relatively_major",
            Grade::Major => "major",
            Grade::EspeciallyMajor => "especially_major",
        }
    }

    pub fn from_id(id: &str) -> Option<Grade> {
        Grade::ALL.into_iter().find(|g| g.id() == id)
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Why the incident has its grade: a threshold met (fact, value, the number, the annex
/// clause), the operator's judgment, or nothing met at all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    pub grade: Grade,
    /// The incident fact measured; `grade` for the operator's judgment; null when nothing
    /// reached a threshold.
    pub fact: Option<String>,
    #[serde(serialize_with = "crate::clocks::number_opt")]
    pub value: Option<f64>,
    #[serde(serialize_with = "crate::clocks::number_opt")]
    pub threshold: Option<f64>,
    pub annex: Option<AnnexRef>,
    pub zh: String,
    pub en: String,
}

/// The grade and its reasons.
#[derive(Debug, Clone, PartialEq)]
pub struct Graded {
    pub grade: Grade,
    /// What the facts alone reach.
    pub computed: Grade,
    pub reasons: Vec<Reason>,
}

/// A fact's name and unit in both languages, for the reasons.
fn label(fact: &str) -> (&'static str, &'static str, &'static str, &'static str) {
    match fact {
        "personal_info_records" => (
            "个人信息泄露",
            "人",
            "personal information leaked",
            "people",
        ),
        "direct_loss_yuan" => ("直接经济损失", "元", "direct economic loss", "yuan"),
        "cii_whole_outage_minutes" => (
            "关键信息基础设施整体中断",
            "分钟",
            "CII wholly out of operation",
            "minutes",
        ),
        "cii_main_function_outage_minutes" => (
            "关键信息基础设施主要功能中断",
            "分钟",
            "CII main functions out of operation",
            "minutes",
        ),
        "people_affected" => (
            "影响工作、生活的人数",
            "人",
            "daily life or work affected",
            "people",
        ),
        "portal_unreachable_hours" => ("门户网站不能访问", "小时", "portal unreachable", "hours"),
        _ => ("", "", "", ""),
    }
}

/// 分级指南三、较大网络安全事件（通常情况下）第5项 / grading guide part 3 (relatively major), typical condition 5.
pub fn annex_zh(rules: &Rules, a: AnnexRef) -> String {
    let sec = ["一", "二", "三", "四"]
        .get(a.section.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("?");
    let grade = rules
        .grade_of_section(a.section)
        .map(|g| rules.grade_zh(g))
        .unwrap_or("");
    match a.item {
        Some(i) => {
            format!("《网络安全事件分级指南》{sec}、{grade}网络安全事件（通常情况下）第{i}项")
        }
        None => format!("《网络安全事件分级指南》{sec}、{grade}网络安全事件"),
    }
}

pub fn annex_en(rules: &Rules, a: AnnexRef) -> String {
    let grade = rules
        .grade_of_section(a.section)
        .map(|g| rules.grade_en(g))
        .unwrap_or("");
    match a.item {
        Some(i) => format!(
            "grading guide part {} ({grade}), typical condition {i}",
            a.section
        ),
        None => format!("grading guide part {} ({grade})", a.section),
    }
}

/// Writes a number without a trailing `.0` (1000000, 0.5).
pub(crate) fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Grades an incident: every threshold its facts meet, the highest per fact in the reasons;
/// the override (`grade`) counts only when it is higher than what the facts reach, because
/// a lower grade would drop reports the facts already make owed (第十条第二款 punishes 漏报).
pub fn grade(incident: &Incident, rules: &Rules) -> Graded {
    let mut reasons: Vec<Reason> = Vec::new();
    for fact in crate::rules::FACTS {
        let Some(value) = incident.fact(fact) else {
            continue;
        };
        // Of the thresholds this fact meets, the highest grade counts.
        let met = rules
            .thresholds
            .iter()
            .filter(|t| t.fact == *fact)
            .filter(|t| {
                t.portals.is_empty()
                    || incident
                        .portal
                        .as_deref()
                        .is_some_and(|p| t.portals.iter().any(|x| x == p))
            })
            .filter(|t| meets(value, t.at_least))
            .max_by_key(|t| t.grade);
        let Some(t) = met else { continue };
        let (name_zh, unit_zh, name_en, unit_en) = label(fact);
        reasons.push(Reason {
            grade: t.grade,
            fact: Some(fact.to_string()),
            value: Some(value),
            threshold: Some(t.at_least),
            annex: Some(t.annex),
            zh: format!(
                "{name_zh}{}{unit_zh}，达到{}事件的指标“{}”（{}）",
                num(value),
                rules.grade_zh(t.grade),
                t.zh,
                annex_zh(rules, t.annex)
            ),
            en: format!(
                "{name_en}: {} {unit_en}, meets the {} threshold “{}” ({})",
                num(value),
                rules.grade_en(t.grade),
                t.en,
                annex_en(rules, t.annex)
            ),
        });
    }
    reasons.sort_by_key(|r| std::cmp::Reverse(r.grade));
    let computed = reasons
        .iter()
        .map(|r| r.grade)
        .max()
        .unwrap_or(Grade::General);
    if reasons.is_empty() {
        let a = AnnexRef {
            section: rules.section(Grade::General),
            item: None,
        };
        reasons.push(Reason {
            grade: Grade::General,
            fact: None,
            value: None,
            threshold: None,
            annex: Some(a),
            zh: format!(
                "未达到较大以上任何定量指标，为一般事件（{}）",
                annex_zh(rules, a)
            ),
            en: format!(
                "no quantitative threshold of relatively major or above is met: general ({})",
                annex_en(rules, a)
            ),
        });
    }
    let mut grade = computed;
    if let Some(o) = incident.grade {
        let why = incident.grade_reason.as_deref().unwrap_or("").trim();
        let (zh, en) = if o > computed {
            grade = o;
            (
                format!("运营者研判定为{}事件{}", rules.grade_zh(o), suffix_zh(why)),
                format!(
                    "graded {} by the operator's judgment{}",
                    rules.grade_en(o),
                    suffix_en(why)
                ),
            )
        } else if o < computed {
            (
                format!(
                    "运营者研判为{}，低于事实已达到的{}：按{}计（定量指标已满足，降级会漏报）",
                    rules.grade_zh(o),
                    rules.grade_zh(computed),
                    rules.grade_zh(computed)
                ),
                format!(
                    "the operator's judgment ({}) is below what the facts reach ({}): {} stands (a lower grade would drop reports the facts make owed)",
                    rules.grade_en(o),
                    rules.grade_en(computed),
                    rules.grade_en(computed)
                ),
            )
        } else {
            (
                format!("运营者研判同为{}事件{}", rules.grade_zh(o), suffix_zh(why)),
                format!(
                    "the operator's judgment agrees: {}{}",
                    rules.grade_en(o),
                    suffix_en(why)
                ),
            )
        };
        reasons.insert(
            0,
            Reason {
                grade: o,
                fact: Some("grade".to_string()),
                value: None,
                threshold: None,
                annex: None,
                zh,
                en,
            },
        );
    }
    Graded {
        grade,
        computed,
        reasons,
    }
}

fn suffix_zh(why: &str) -> String {
    if why.is_empty() {
        String::new()
    } else {
        format!("：{why}")
    }
}

fn suffix_en(why: &str) -> String {
    if why.is_empty() {
        String::new()
    } else {
        format!(": {why}")
    }
}

/// "以上" includes the number. Values are integers or hours/minutes written by a person; the
/// tolerance only absorbs binary rounding of decimals (0.1 h × 60), never a real shortfall.
fn meets(value: f64, at_least: f64) -> bool {
    value + at_least.abs() * 1e-12 >= at_least
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_at_a_threshold_meets_it_and_just_below_does_not() {
        assert!(meets(1_000_000.0, 1_000_000.0));
        assert!(!meets(999_999.0, 1_000_000.0));
        assert!(meets(0.5 * 60.0, 30.0));
        assert!(!meets(29.99, 30.0));
        // 10 minutes written as hours: 1/6 h × 60 may round below 10 in binary.
        assert!(meets((1.0 / 6.0) * 60.0, 10.0));
    }

    #[test]
    fn grades_are_ordered_by_severity() {
        assert!(Grade::EspeciallyMajor > Grade::Major);
        assert!(Grade::RelativelyMajor > Grade::General);
        assert_eq!(
            Grade::from_id("relatively_major"),
            Some(Grade::RelativelyMajor)
        );
        assert_eq!(Grade::from_id("big"), None);
    }
}
