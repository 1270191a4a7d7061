//! The duty catalog: `data/duties/*.toml` and `data/penalties/*.toml`, embedded in the
//! binary, validated at load. Every error names the file and the duty or penalty id.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::facts::Fact;
use cel_interpreter::Context;
use dengbao_types::Citation;
use serde::{Deserialize, Serialize};

use crate::cel::Condition;
use crate::penalty::{Penalty, Resolved};
use crate::profile::{event_index, Stage};

/// The files shipped in the binary, as `(name, text)`.
pub const DUTY_FILES: &[(&str, &str)] = &[
    (
        "mlps-general.toml",
        include_str!("../../../data/duties/mlps-general.toml"),
    ),
    (
        "mlps-level3.toml",
        include_str!("../../../data/duties/mlps-level3.toml"),
    ),
    (
        "mlps-classified.toml",
        include_str!("../../../data/duties/mlps-classified.toml"),
    ),
    (
        "mlps-crypto.toml",
        include_str!("../../../data/duties/mlps-crypto.toml"),
    ),
    (
        "mlps-oversight.toml",
        include_str!("../../../data/duties/mlps-oversight.toml"),
    ),
    (
        "csl-operator.toml",
        include_str!("../../../data/duties/csl-operator.toml"),
    ),
    (
        "csl-cii.toml",
        include_str!("../../../data/duties/csl-cii.toml"),
    ),
    (
        "csl-personal-info.toml",
        include_str!("../../../data/duties/csl-personal-info.toml"),
    ),
    (
        "csl-content.toml",
        include_str!("../../../data/duties/csl-content.toml"),
    ),
    (
        "related-laws.toml",
        include_str!("../../../data/duties/related-laws.toml"),
    ),
];

pub const PENALTY_FILES: &[(&str, &str)] = &[
    ("csl.toml", include_str!("../../../data/penalties/csl.toml")),
    (
        "csl-amended-2025.toml",
        include_str!("../../../data/penalties/csl-amended-2025.toml"),
    ),
    (
        "mlps.toml",
        include_str!("../../../data/penalties/mlps.toml"),
    ),
    (
        "ciipr.toml",
        include_str!("../../../data/penalties/ciipr.toml"),
    ),
    ("dsl.toml", include_str!("../../../data/penalties/dsl.toml")),
    (
        "pipl.toml",
        include_str!("../../../data/penalties/pipl.toml"),
    ),
    ("ccr.toml", include_str!("../../../data/penalties/ccr.toml")),
];

/// Errors loading the catalog. Messages name the file and the duty or penalty id.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{file}: {message}")]
    Parse { file: String, message: String },
    #[error("{file}: duty `{id}`: {field}: {message}")]
    Duty {
        file: String,
        id: String,
        field: String,
        message: String,
    },
    #[error("{file}: penalty `{id}`: {field}: {message}")]
    Penalty {
        file: String,
        id: String,
        field: String,
        message: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    OneOff,
    Recurring,
    EventTriggered,
    Continuous,
    /// 不得……: no clock and nothing to file; `complied` unless a breach is recorded
    /// (`[[breach]]` in the profile), then `breached`.
    Prohibition,
}

/// Who owes a duty. Only `operator` duties count in the penalty exposure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    #[default]
    Operator,
    PublicSecurity,
    CompetentDepartment,
    AssessmentBody,
    ServiceProvider,
}

impl Party {
    /// Who it is, in Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            Party::Operator => "网络运营者",
            Party::PublicSecurity => "公安机关",
            Party::CompetentDepartment => "行业主管部门",
            Party::AssessmentBody => "测评机构",
            Party::ServiceProvider => "服务提供者",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCitation {
    law: String,
    article: u32,
    #[serde(default)]
    paragraph: Option<u32>,
    #[serde(default)]
    item: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDuty {
    id: String,
    title: String,
    title_en: String,
    #[serde(default)]
    party: Party,
    citations: Vec<RawCitation>,
    applies_when: String,
    kind: Kind,
    #[serde(default)]
    clock: Option<RawClock>,
    #[serde(default)]
    met_when: Vec<String>,
    evidence: String,
    #[serde(default)]
    penalty: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    penalty_unresolved: Option<String>,
    #[serde(default)]
    computed_from: Option<Fact>,
    #[serde(default)]
    same_act: Option<String>,
    #[serde(default)]
    in_force: Vec<in_force::RawInForce>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DutyFile {
    duty: Vec<RawDuty>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PenaltyFile {
    penalty: Vec<Penalty>,
}

/// One duty of the catalog.
#[derive(Debug, Clone, Serialize)]
pub struct Duty {
    pub id: String,
    pub title: String,
    pub title_en: String,
    pub party: Party,
    pub citations: Vec<Citation>,
    pub applies_when: String,
    pub kind: Kind,
    pub clock: Option<Clock>,
    pub met_when: Vec<String>,
    pub evidence: String,
    pub penalty: Option<String>,
    pub note: Option<String>,
    /// A penalty provision the text points at but that cannot be resolved (a paragraph the
    /// draft does not have): shown for a lawyer to settle, never fined.
    pub penalty_unresolved: Option<String>,
    /// A fact gathered by dengbao itself that decides the status when it is supplied
    /// (see [`crate::facts`]); evidence and events decide otherwise.
    pub computed_from: Option<Fact>,
    /// The duty whose breach is the same act as this one's (the CII yearly assessment under
    /// 网络安全法 第三十八条 and 关键信息基础设施安全保护条例 第十七条): one act is fined once,
    /// at the higher range (行政处罚法 第二十九条).
    pub same_act: Option<String>,
    /// The rule in force beside the MLPS draft (《信息安全等级保护管理办法》), per level
    /// where it differs by level (decision 0205); empty when no verified text gives one.
    pub in_force: Vec<in_force::InForce>,
    /// The data file it comes from.
    pub source: String,
    /// Index of its compiled condition (shared between duties with the same text).
    #[serde(skip)]
    pub(crate) condition: usize,
    /// `citations` as each version in force numbers them (decision 0203).
    #[serde(skip)]
    pub dated: crate::cited::Dated,
}

/// The duty and penalty catalogs, validated, with every condition compiled once.
pub struct Catalog {
    duties: Vec<Arc<Duty>>,
    penalties: BTreeMap<String, Penalty>,
    pub(crate) conditions: Vec<Condition>,
    /// Holds CEL's functions; each evaluation binds the profile in a child scope.
    pub(crate) root: Context<'static>,
    /// Which rule drives an MLPS deadline (decision 0205).
    pub(crate) basis: in_force::MlpsBasis,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("duties", &self.duties.len())
            .field("penalties", &self.penalties.len())
            .finish()
    }
}

impl Catalog {
    /// The catalog shipped in the binary.
    pub fn builtin() -> Result<Catalog, CatalogError> {
        Catalog::from_sources(DUTY_FILES, PENALTY_FILES)
    }

    /// A catalog from `(file name, TOML text)` pairs (tests, overrides).
    pub fn from_sources<A: AsRef<str>, B: AsRef<str>>(
        duty_files: &[(A, B)],
        penalty_files: &[(A, B)],
    ) -> Result<Catalog, CatalogError> {
        let mut penalties = BTreeMap::new();
        let mut penalty_file = HashMap::new();
        for (file, text) in penalty_files {
            let file = file.as_ref();
            let parsed: PenaltyFile =
                toml::from_str(text.as_ref()).map_err(|e| CatalogError::Parse {
                    file: file.to_string(),
                    message: e.to_string(),
                })?;
            for p in parsed.penalty {
                validate_penalty(file, &p)?;
                penalty_file.insert(p.id.clone(), file.to_string());
                if penalties.insert(p.id.clone(), p.clone()).is_some() {
                    return Err(perr(file, &p.id, "id", "defined twice"));
                }
            }
        }
        for (id, p) in &penalties {
            let file = penalty_file.get(id).map(String::as_str).unwrap_or("?");
            for old in &p.succeeds {
                match penalties.get(old) {
                    Some(o) if o.version.is_none() && o.law == p.law => {}
                    _ => {
                        return Err(perr(
                            file,
                            id,
                            "succeeds",
                            &format!("no penalty `{old}` of the same law's canonical version"),
                        ))
                    }
                }
            }
            let mut seen = vec![id.as_str()];
            let mut cur = p;
            while let Some(next) = &cur.refers_to {
                if seen.contains(&next.as_str()) {
                    return Err(perr(file, id, "refers_to", "circular reference"));
                }
                cur = penalties
                    .get(next)
                    .ok_or_else(|| perr(file, id, "refers_to", &format!("no penalty `{next}`")))?;
                seen.push(next);
            }
        }

        let mut duties: Vec<Arc<Duty>> = Vec::new();
        let mut conditions: Vec<Condition> = Vec::new();
        let mut by_source: HashMap<String, usize> = HashMap::new();
        for (file, text) in duty_files {
            let file = file.as_ref();
            let parsed: DutyFile =
                toml::from_str(text.as_ref()).map_err(|e| CatalogError::Parse {
                    file: file.to_string(),
                    message: e.to_string(),
                })?;
            for raw in parsed.duty {
                if duties.iter().any(|d| d.id == raw.id) {
                    return Err(derr(file, &raw.id, "id", "defined twice"));
                }
                let condition = match by_source.get(&raw.applies_when) {
                    Some(i) => *i,
                    None => {
                        let c = Condition::compile(&raw.applies_when)
                            .map_err(|m| derr(file, &raw.id, "applies_when", &m))?;
                        conditions.push(c);
                        by_source.insert(raw.applies_when.clone(), conditions.len() - 1);
                        conditions.len() - 1
                    }
                };
                let duty = validate_duty(file, raw, &penalties, condition)?;
                duties.push(Arc::new(duty));
            }
        }
        for d in &duties {
            if let Some(other) = &d.same_act {
                if !duties.iter().any(|x| &x.id == other && x.id != d.id) {
                    return Err(derr(
                        &d.source,
                        &d.id,
                        "same_act",
                        &format!("no other duty `{other}`"),
                    ));
                }
            }
        }
        let catalog = Catalog {
            duties,
            penalties,
            conditions,
            root: Context::default(),
            basis: in_force::MlpsBasis::default(),
        };
        catalog.dry_run()?;
        Ok(catalog)
    }

    /// Runs every condition once against a sample profile so that a type error (a
    /// comparison of an int with a string, a non-boolean result) fails at load.
    fn dry_run(&self) -> Result<(), CatalogError> {
        let sample = crate::Profile::from_toml_str(
            "[network]\nlevel = 3\nstage = \"running\"\nservices = [\"info_publishing\"]\n",
        )
        .map_err(|e| CatalogError::Parse {
            file: "builtin sample profile".into(),
            message: e.to_string(),
        })?;
        let ctx = crate::cel::bind(&self.root, &sample);
        for d in &self.duties {
            if let Some(c) = self.conditions.get(d.condition) {
                c.run(&ctx)
                    .map_err(|m| derr(&d.source, &d.id, "applies_when", &m))?;
            }
        }
        Ok(())
    }

    /// The same catalog with `basis` driving the MLPS deadlines.
    pub fn with_mlps_basis(mut self, basis: in_force::MlpsBasis) -> Catalog {
        self.basis = basis;
        self
    }

    /// Which rule drives the MLPS deadlines.
    pub fn mlps_basis(&self) -> in_force::MlpsBasis {
        self.basis
    }

    pub fn duties(&self) -> &[Arc<Duty>] {
        &self.duties
    }

    pub fn duty(&self, id: &str) -> Option<&Arc<Duty>> {
        self.duties.iter().find(|d| d.id == id)
    }

    pub fn penalties(&self) -> impl Iterator<Item = &Penalty> {
        self.penalties.values()
    }

    pub fn penalty(&self, id: &str) -> Option<&Penalty> {
        self.penalties.get(id)
    }

    /// `id` and the provisions its `refers_to` leads to, in order.
    pub(crate) fn chain_of(&self, id: &str) -> Option<Vec<&Penalty>> {
        let mut cur = self.penalties.get(id)?;
        let mut chain = Vec::new();
        // Validated at load: the chain ends and has no cycle; bound it anyway.
        for _ in 0..8 {
            chain.push(cur);
            match cur.refers_to.as_deref().and_then(|r| self.penalties.get(r)) {
                Some(next) => cur = next,
                None => break,
            }
        }
        Some(chain)
    }

    /// Follows `refers_to` to the provision whose fines apply.
    pub fn resolve(&self, id: &str) -> Option<Resolved<'_>> {
        self.chain_of(id).and_then(Resolved::of)
    }
}

impl<'a> Resolved<'a> {
    /// A chain's measures, condition, notes and 从重, gathered in order.
    pub(crate) fn of(chain: Vec<&'a Penalty>) -> Option<Resolved<'a>> {
        let provision = *chain.first()?;
        let cur = *chain.last()?;
        let mut aggravated = false;
        let mut measures: Vec<String> = Vec::new();
        let mut condition = None;
        let mut notes = Vec::new();
        for cur in &chain {
            for m in &cur.measures {
                if !measures.contains(m) {
                    measures.push(m.clone());
                }
            }
            if condition.is_none() {
                condition = cur.condition.clone();
            }
            if let Some(n) = &cur.note {
                notes.push(n.clone());
            }
            aggravated |= cur.aggravated;
        }
        Some(Resolved {
            provision,
            fine_source: cur,
            chain,
            aggravated,
            measures,
            condition,
            notes,
        })
    }
}

impl Catalog {
    /// Checks a profile's references into the catalog (evidence duty ids).
    pub fn check_profile(&self, p: &crate::Profile) -> Result<(), crate::ProfileError> {
        for (i, e) in p.evidence.iter().enumerate() {
            if self.duty(&e.duty).is_none() {
                return Err(crate::ProfileError::new(
                    format!("evidence[{i}].duty"),
                    format!(
                        "目录中没有义务 {:?} / no duty with this id in the catalog",
                        e.duty
                    ),
                ));
            }
        }
        for (i, b) in p.breaches.iter().enumerate() {
            match self.duty(&b.duty) {
                Some(d) if d.kind == Kind::Prohibition => {}
                Some(_) => {
                    return Err(crate::ProfileError::new(
                        format!("breach[{i}].duty"),
                        format!(
                            "{:?} 不是禁止性规定：未履行的义务按期限判断，不记录违反 / not a \
                             prohibition: an unmet duty is judged by its deadline, not recorded as a breach",
                            b.duty
                        ),
                    ))
                }
                None => {
                    return Err(crate::ProfileError::new(
                        format!("breach[{i}].duty"),
                        format!(
                            "目录中没有义务 {:?} / no duty with this id in the catalog",
                            b.duty
                        ),
                    ))
                }
            }
        }
        Ok(())
    }
}

mod check;
mod clock;
pub use clock::{Clock, IfMissing, Limit, Period, RawClock};
pub mod in_force;
mod scope;
use scope::in_scope;
pub use scope::{article_count, DUTY_SCOPE, PENALTY_SCOPE};

use check::{derr, perr, validate_duty, validate_penalty};
