//! The conclusion of a level assessment under 公网安〔2025〕1846号 Q20, with the reading of
//! the cases the text leaves open (docs/decisions/0410-assessment-conclusion-reading.md):
//!
//! - 符合率 = 符合 items ÷ applicable items. 部分符合 is not 符合: it counts in the
//!   denominator only. 不适用 (with its reason) leaves both numerator and denominator.
//! - Every boundary goes to the lower conclusion, because each higher one is written with
//!   a strict ">": exactly 90% is 基本符合, exactly 60% is 不符合.
//! - Above 90% with a 重大风险隐患 is 基本符合: the hazard denies 符合, and 不符合 there
//!   would rank a 95% system below a 70% one with the same hazard (which Q20 calls 基本符合).
//!
//! The comparisons are done on whole numbers (10·符合 > 9·applicable), so a rate of
//! exactly 90% is never nudged across the line by floating point.

use std::collections::{BTreeMap, HashSet};

use dengbao_types::Level;
use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, Control, ScopeError};
use crate::class::Extension;

/// The reading the product adopts, returned with every conclusion.
pub const READING: &str = "符合率=符合项数÷(全部要求项−不适用项)，部分符合不计入分子；不适用须说明理由，不计入分子和分母。符合率>90%且无重大风险隐患为符合；>90%但有重大风险隐患为基本符合；60%<符合率≤90%为基本符合；符合率≤60%为不符合（恰为90%、60%时取较低结论）。依据公网安〔2025〕1846号第20问，解读见决定0410 / rate = 符合 ÷ (all items − 不适用); 部分符合 is not counted as 符合; 不适用 needs a reason and leaves the rate. >90% with no major hazard: 符合; >90% with a major hazard: 基本符合; >60% up to 90%: 基本符合; 60% or less: 不符合 (exactly 90% or 60% takes the lower conclusion). Decision 0410.";

/// One item's result as submitted (`--results`): strings are checked here so that every
/// error names the item.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submitted {
    pub item: String,
    pub result: String,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub risk: Option<String>,
    #[serde(default)]
    pub major_hazard: Option<bool>,
}

/// The four results an assessor gives an item (单项测评结果).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Outcome {
    #[serde(rename = "符合")]
    Conforms,
    #[serde(rename = "部分符合")]
    Partly,
    #[serde(rename = "不符合")]
    NotConforming,
    #[serde(rename = "不适用")]
    NotApplicable,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Conforms,
        Outcome::Partly,
        Outcome::NotConforming,
        Outcome::NotApplicable,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            Outcome::Conforms => "符合",
            Outcome::Partly => "部分符合",
            Outcome::NotConforming => "不符合",
            Outcome::NotApplicable => "不适用",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.zh() == s)
    }
}

/// The assessment's conclusion (测评结论).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Verdict {
    #[serde(rename = "符合")]
    Conforms,
    #[serde(rename = "基本符合")]
    BasicallyConforms,
    #[serde(rename = "不符合")]
    NotConforming,
}

impl Verdict {
    pub fn zh(self) -> &'static str {
        match self {
            Verdict::Conforms => "符合",
            Verdict::BasicallyConforms => "基本符合",
            Verdict::NotConforming => "不符合",
        }
    }
}

/// What `assess conclude` computes; nothing is stored.
#[derive(Debug, Clone, Serialize)]
pub struct Conclusion {
    /// 符合 ÷ applicable, 0.0–1.0.
    pub rate: f64,
    pub conclusion: Verdict,
    /// Items per result, plus `applicable` (all − 不适用) and `total`.
    pub counts: BTreeMap<String, usize>,
    pub major_hazards: usize,
    pub reading: &'static str,
}

/// Bad results: each names the item (Chinese and English).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResultsError {
    #[error(transparent)]
    Scope(#[from] ScopeError),
    #[error("{item}: 目录中没有这个要求项 / no such item in the catalog")]
    UnknownItem { item: String },
    #[error("{item}: 这是第{its}级的要求项，不是第{level}级 / an item of level {its}, not of level {level}")]
    OtherLevel { item: String, its: u8, level: u8 },
    #[error("{item}: 结果重复出现 / the item appears twice")]
    Duplicate { item: String },
    #[error("{item}: 结果 {result:?} 不是 符合、部分符合、不符合、不适用 之一 / result must be one of 符合 部分符合 不符合 不适用")]
    BadResult { item: String, result: String },
    #[error("{item}: 不适用须说明理由（reason）/ 不适用 needs a reason")]
    NoReason { item: String },
    #[error("{item}: 风险等级 {risk:?} 不是 高、中、低 之一 / risk must be one of 高 中 低")]
    BadRisk { item: String, risk: String },
    #[error("{item}: {result}的项不能有风险等级或重大风险隐患 / a {result} item carries no risk or major hazard")]
    RiskOnConforming { item: String, result: &'static str },
    #[error("未测评的要求项（共{}项）/ items not assessed ({}): {}", .items.len(), .items.len(), .items.join(", "))]
    Missing { items: Vec<String> },
    #[error(
        "全部要求项均为不适用，无法计算符合率 / every item is 不适用: there is no rate to compute"
    )]
    NothingApplicable,
}

/// Checks the results of one assessment at `level` and computes its conclusion. The scope
/// is the general items of the level plus every extension in `exts` or appearing in the
/// results; every item in scope must have a result.
pub fn conclude(
    catalog: &Catalog,
    level: Level,
    exts: &[Extension],
    results: &[Submitted],
) -> Result<Conclusion, ResultsError> {
    let mut scope_exts = exts.to_vec();
    let mut checked = Vec::with_capacity(results.len());
    let mut seen = HashSet::new();
    if level == Level::FIVE {
        return Err(ScopeError::Level5.into());
    }
    for r in results {
        let (control, outcome, hazard) = check_item(catalog, level, r)?;
        let item = control.id.as_str();
        if !seen.insert(item.to_string()) {
            return Err(ResultsError::Duplicate { item: item.into() });
        }
        if !scope_exts.contains(&control.extension) {
            scope_exts.push(control.extension);
        }
        checked.push((outcome, hazard));
    }
    let scope = catalog.select(level, &scope_exts)?;
    if !checked.is_empty() && checked.iter().all(|(o, _)| *o == Outcome::NotApplicable) {
        return Err(ResultsError::NothingApplicable);
    }
    let missing: Vec<String> = scope
        .iter()
        .filter(|c| !seen.contains(&c.id))
        .map(|c| c.id.clone())
        .collect();
    if !missing.is_empty() {
        return Err(ResultsError::Missing { items: missing });
    }
    Ok(tally(&checked))
}

/// One submitted result checked on its own: the item exists and is of `level`, the result
/// is one of the four, 不适用 has a reason, a risk is 高/中/低 and only a finding carries a
/// risk or a major hazard. Returns the item, its outcome and whether it is a major hazard.
pub fn check_item<'c>(
    catalog: &'c Catalog,
    level: Level,
    r: &Submitted,
) -> Result<(&'c Control, Outcome, bool), ResultsError> {
    let item = r.item.trim();
    let control: &Control = catalog
        .get(item)
        .ok_or_else(|| ResultsError::UnknownItem { item: item.into() })?;
    if control.level != level {
        return Err(ResultsError::OtherLevel {
            item: item.into(),
            its: control.level.get(),
            level: level.get(),
        });
    }
    let outcome = Outcome::parse(r.result.trim()).ok_or_else(|| ResultsError::BadResult {
        item: item.into(),
        result: r.result.clone(),
    })?;
    let reason_given = r.reason.as_deref().is_some_and(|s| !s.trim().is_empty());
    if outcome == Outcome::NotApplicable && !reason_given {
        return Err(ResultsError::NoReason { item: item.into() });
    }
    if let Some(risk) = &r.risk {
        if !["高", "中", "低"].contains(&risk.trim()) {
            return Err(ResultsError::BadRisk {
                item: item.into(),
                risk: risk.clone(),
            });
        }
    }
    let hazard = r.major_hazard.unwrap_or(false);
    // A risk or a hazard is a finding; an item that conforms, or does not apply, has none.
    if matches!(outcome, Outcome::Conforms | Outcome::NotApplicable) && (hazard || r.risk.is_some())
    {
        return Err(ResultsError::RiskOnConforming {
            item: item.into(),
            result: outcome.zh(),
        });
    }
    Ok((control, outcome, hazard))
}

/// The rate and conclusion of checked results (outcome, major hazard).
fn tally(checked: &[(Outcome, bool)]) -> Conclusion {
    let count = |o: Outcome| checked.iter().filter(|(x, _)| *x == o).count();
    let conforms = count(Outcome::Conforms);
    let applicable = checked.len() - count(Outcome::NotApplicable);
    let major_hazards = checked.iter().filter(|(_, h)| *h).count();
    let mut counts: BTreeMap<String, usize> = Outcome::ALL
        .into_iter()
        .map(|o| (o.zh().to_string(), count(o)))
        .collect();
    counts.insert("applicable".into(), applicable);
    counts.insert("total".into(), checked.len());
    let rate = if applicable == 0 {
        0.0
    } else {
        conforms as f64 / applicable as f64
    };
    let conclusion = verdict(conforms, applicable, major_hazards);
    Conclusion {
        rate,
        conclusion,
        counts,
        major_hazards,
        reading: READING,
    }
}

/// Q20 as read in decision 0410, on whole numbers: rate > 90% ⇔ 10·c > 9·n.
pub fn verdict(conforms: usize, applicable: usize, major_hazards: usize) -> Verdict {
    if applicable > 0 && 10 * conforms > 9 * applicable && major_hazards == 0 {
        Verdict::Conforms
    } else if applicable > 0 && 10 * conforms > 6 * applicable {
        Verdict::BasicallyConforms
    } else {
        Verdict::NotConforming
    }
}
