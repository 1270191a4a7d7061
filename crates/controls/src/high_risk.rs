//! 高风险 cases of 《网络安全等级保护测评高风险判定实施指引》 (T/ISEAA 001-2020) as data
//! (`data/controls/high-risk.toml`), each tied to the requirement items it judges. Checked
//! at load against the control catalog: an id that is not an item, or an item of another
//! control point or level than the case says, would silently tie a case to the wrong
//! requirement, so it is refused.

use std::collections::{BTreeSet, HashSet};

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::class::Class;
use crate::conclude::Submitted;

/// The shipped file, as `(name, text)`.
pub const HIGH_RISK_FILE: (&str, &str) = (
    "high-risk.toml",
    include_str!("../../../data/controls/high-risk.toml"),
);

/// One 高风险 case (判例).
#[derive(Debug, Clone, Serialize)]
pub struct HighRiskCase {
    /// Our stable id: `HR-PES-01`.
    pub id: String,
    /// The case's title as the public copies give it.
    pub name: String,
    #[serde(skip)]
    pub class: Class,
    /// The control point (控制点) the case belongs to.
    pub point: String,
    pub levels: Vec<u8>,
    /// The item ids it ties to, one per level.
    pub items: Vec<String>,
    /// What makes a finding high risk (our summary).
    pub conditions: Vec<String>,
    /// The compensating measures (补偿因素) the guide names.
    pub compensating: Vec<String>,
    /// Whether scope, conditions and compensating measures were read in a public copy.
    pub confirmed: bool,
    pub sources: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    case: Vec<RawCase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    id: String,
    name: String,
    class: String,
    point: String,
    levels: Vec<u8>,
    items: Vec<String>,
    conditions: Vec<String>,
    #[serde(default)]
    compensating: Vec<String>,
    confirmed: bool,
    #[serde(default)]
    sources: Vec<String>,
    note: Option<String>,
}

/// Bad high-risk data; names the file, the case and the field or item (Chinese and English).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HighRiskError {
    #[error("{file}: 无法解析 / cannot parse: {message}")]
    Parse { file: String, message: String },
    #[error("{file}: 判例 {case}：{field} {message_zh} / case {case}: {field} {message_en}")]
    Field {
        file: String,
        case: String,
        field: &'static str,
        message_zh: String,
        message_en: String,
    },
    #[error("{file}: 判例 {case}：要求项 {item} 不在目录中 / case {case}: item {item} is not in the catalog")]
    UnknownItem {
        file: String,
        case: String,
        item: String,
    },
    #[error("{file}: 判例 {case}：要求项 {item} 属于控制点“{its}”，不是“{point}” / case {case}: item {item} belongs to control point {its}, not {point}")]
    OtherPoint {
        file: String,
        case: String,
        item: String,
        its: String,
        point: String,
    },
}

/// The validated cases.
#[derive(Debug, Clone)]
pub struct HighRisk {
    cases: Vec<HighRiskCase>,
}

impl HighRisk {
    /// The shipped cases, checked against `catalog`.
    pub fn builtin(catalog: &Catalog) -> Result<HighRisk, HighRiskError> {
        HighRisk::from_source(HIGH_RISK_FILE.0, HIGH_RISK_FILE.1, catalog)
    }

    /// Cases from one TOML text, checked against `catalog`.
    pub fn from_source(
        file: &str,
        text: &str,
        catalog: &Catalog,
    ) -> Result<HighRisk, HighRiskError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| HighRiskError::Parse {
            file: file.into(),
            message: e.to_string(),
        })?;
        let mut seen = HashSet::new();
        let mut cases = Vec::with_capacity(raw.case.len());
        for c in raw.case {
            cases.push(check(file, c, catalog, &mut seen)?);
        }
        Ok(HighRisk { cases })
    }

    pub fn cases(&self) -> &[HighRiskCase] {
        &self.cases
    }

    pub fn get(&self, id: &str) -> Option<&HighRiskCase> {
        self.cases.iter().find(|c| c.id == id)
    }

    /// The cases tied to one item id (`L3-PES1-03`), in the data's order.
    pub fn for_item(&self, item: &str) -> Vec<&HighRiskCase> {
        self.cases
            .iter()
            .filter(|c| c.items.iter().any(|i| i == item))
            .collect()
    }
}

/// An item an assessment rated 高 risk, and the cases of the guide tied to it. An item
/// rated 高 with no case tied is kept (with no cases): Q17 lets the assessor judge by
/// "similar cases", and the report must still show that no listed case backs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HighRiskMatch {
    pub item: String,
    pub cases: Vec<String>,
}

impl HighRisk {
    /// The items of `results` rated 高 (`"risk": "高"`), each with the ids of its cases,
    /// in the order of the results.
    pub fn matches(&self, results: &[Submitted]) -> Vec<HighRiskMatch> {
        results
            .iter()
            .filter(|r| r.risk.as_deref().map(str::trim) == Some("高"))
            .map(|r| {
                let item = r.item.trim().to_string();
                let cases = self.for_item(&item).iter().map(|c| c.id.clone()).collect();
                HighRiskMatch { item, cases }
            })
            .collect()
    }
}

fn check(
    file: &str,
    c: RawCase,
    catalog: &Catalog,
    seen: &mut HashSet<String>,
) -> Result<HighRiskCase, HighRiskError> {
    let field = |field: &'static str, zh: &str, en: &str| HighRiskError::Field {
        file: file.into(),
        case: c.id.clone(),
        field,
        message_zh: zh.into(),
        message_en: en.into(),
    };
    let id_ok = c.id.starts_with("HR-")
        && c.id.len() > 3
        && c.id
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-');
    if !id_ok {
        return Err(field(
            "id",
            "须为 HR- 加字母数字",
            "must be HR- then letters and digits",
        ));
    }
    if !seen.insert(c.id.clone()) {
        return Err(field("id", "重复", "appears twice"));
    }
    if c.name.trim().is_empty() || c.point.trim().is_empty() {
        return Err(field("name/point", "不能为空", "must not be empty"));
    }
    let class = Class::from_code(&c.class)
        .ok_or_else(|| field("class", "不是已知的安全类代码", "is not a known class code"))?;
    let sorted = c.levels.windows(2).all(|w| w[0] < w[1]);
    if c.levels.is_empty() || !sorted || c.levels.iter().any(|l| !(1..=4).contains(l)) {
        return Err(field(
            "levels",
            "须为 1–4 级、升序、不重复",
            "must be levels 1–4, ascending, each once",
        ));
    }
    if c.conditions.iter().all(|s| s.trim().is_empty()) {
        return Err(field(
            "conditions",
            "至少给出一项判定条件",
            "needs at least one condition",
        ));
    }
    // A case marked confirmed says where it was read; one not confirmed says what is missing.
    if c.confirmed && c.sources.is_empty() {
        return Err(field(
            "sources",
            "已确认的判例须注明来源",
            "a confirmed case needs its sources",
        ));
    }
    if !c.confirmed && c.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
        return Err(field(
            "note",
            "未确认的判例须说明未确认什么",
            "an unconfirmed case must say what is unconfirmed",
        ));
    }
    let mut levels_tied = BTreeSet::new();
    for item in &c.items {
        let control = catalog
            .get(item)
            .ok_or_else(|| HighRiskError::UnknownItem {
                file: file.into(),
                case: c.id.clone(),
                item: item.clone(),
            })?;
        if control.point != c.point || control.class != class {
            return Err(HighRiskError::OtherPoint {
                file: file.into(),
                case: c.id.clone(),
                item: item.clone(),
                its: format!("{}·{}", control.class.zh(), control.point),
                point: format!("{}·{}", class.zh(), c.point),
            });
        }
        let level = control.level.get();
        if !c.levels.contains(&level) || !levels_tied.insert(level) {
            return Err(field(
                "items",
                &format!("{item} 的等级不在 levels 中或该等级已有要求项"),
                &format!("{item} is of a level not in levels, or of a level already tied"),
            ));
        }
    }
    if levels_tied.len() != c.levels.len() {
        return Err(field(
            "items",
            "levels 中每一级须各有一个要求项",
            "needs one item for each of its levels",
        ));
    }
    Ok(HighRiskCase {
        id: c.id,
        name: c.name,
        class,
        point: c.point,
        levels: c.levels,
        items: c.items,
        conditions: c.conditions,
        compensating: c.compensating,
        confirmed: c.confirmed,
        sources: c.sources,
        note: c.note,
    })
}
