//! Penalty provisions (罚则) as data: `data/penalties/*.toml`.

use serde::{Deserialize, Serialize};

/// Who a penalty provision reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PenaltyParty {
    /// Network operators, product and service providers: what exposure reports.
    #[default]
    Operator,
    /// Natural persons or organisations acting as such (网络安全法 第六十三条、第六十七条).
    Individual,
    /// Authorities and their staff.
    Authority,
    /// Foreign organisations and persons (第七十五条).
    Foreign,
}

/// A fine of `min`–`max` times an amount (`basis`: 违法所得, 采购金额).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Multiple {
    pub basis: String,
    pub min: u32,
    pub max: u32,
}

/// One penalty provision (an article, or a paragraph of one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Penalty {
    pub id: String,
    pub law: String,
    pub article: u32,
    #[serde(default)]
    pub paragraph: Option<u32>,
    #[serde(default)]
    pub party: PenaltyParty,
    pub who: String,
    #[serde(default)]
    pub covers: Vec<String>,
    #[serde(default)]
    pub condition: Option<String>,
    #[serde(default)]
    pub org_fine: Option<[u64; 2]>,
    #[serde(default)]
    pub person_fine: Option<[u64; 2]>,
    #[serde(default)]
    pub org_fine_multiple: Option<Multiple>,
    #[serde(default)]
    pub org_fine_if_no_income: Option<[u64; 2]>,
    #[serde(default)]
    pub measures: Vec<String>,
    #[serde(default)]
    pub refers_to: Option<String>,
    #[serde(default)]
    pub aggravated: bool,
    #[serde(default)]
    pub note: Option<String>,
    /// The law version whose numbering this provision uses; `None`: the law's canonical
    /// version (the 2016 text for csl).
    #[serde(default)]
    pub version: Option<String>,
    /// The canonical-version penalties whose conduct this provision punishes from its
    /// version's in-force date (decision 0510).
    #[serde(default)]
    pub succeeds: Vec<String>,
    /// A provision the version adds (the alignment's `[[added]]`): it takes over nothing
    /// and punishes no conduct before its version's in-force date (立法法 第一百零四条).
    #[serde(default)]
    pub added: bool,
    /// A fine the organisation may be given at once, before any refusal (可以处…).
    #[serde(default)]
    pub first_fine: Option<[u64; 2]>,
    /// The fines for serious consequences, as text: shown, never counted.
    #[serde(default)]
    pub serious: Option<String>,
    /// The conduct is punished under another law (named); this law sets no fine.
    #[serde(default)]
    pub elsewhere: Option<String>,
}

impl Penalty {
    /// The reference shown on interfaces: `{law, article, paragraph}`.
    pub fn reference(&self) -> PenaltyRef {
        PenaltyRef {
            law: self.law.clone(),
            article: self.article,
            paragraph: self.paragraph,
            version: self.version.clone().or_else(|| {
                crate::cited::citer()
                    .and_then(|c| c.canonical(&self.law))
                    .map(str::to_string)
            }),
        }
    }

    /// The fine on the organisation in yuan: the fixed range, else the range for "没有违法所得的".
    pub fn org_range(&self) -> Option<[u64; 2]> {
        self.org_fine.or(self.org_fine_if_no_income)
    }
}

/// `{"law": "csl", "article": 59, "paragraph": 1}`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PenaltyRef {
    pub law: String,
    pub article: u32,
    pub paragraph: Option<u32>,
    /// The version whose numbering the reference uses (`final`, `amended-2025`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

impl std::fmt::Display for PenaltyRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let law = match self.law.as_str() {
            "csl" => "网络安全法",
            "mlps" => "等保条例",
            "dsl" => "数据安全法",
            "pipl" => "个人信息保护法",
            "ciipr" => "关键信息基础设施安全保护条例",
            "ndsr" => "网络数据安全管理条例",
            "cryptolaw" => "密码法",
            "ccr" => "商用密码管理条例",
            other => other,
        };
        write!(f, "{law}第{}条", self.article)?;
        if let Some(p) = self.paragraph {
            write!(f, "第{p}款")?;
        }
        Ok(())
    }
}

/// A provision with its `refers_to` chain followed: what the duty's breach costs.
#[derive(Debug, Clone)]
pub struct Resolved<'a> {
    /// The provision the duty names (e.g. 条例 第六十三条第二款).
    pub provision: &'a Penalty,
    /// The provision whose fines apply in the end (e.g. 网络安全法 第五十九条第一款).
    pub fine_source: &'a Penalty,
    /// Every provision from `provision` to `fine_source`, in order (both included).
    pub chain: Vec<&'a Penalty>,
    /// Any provision in the chain orders 从重.
    pub aggravated: bool,
    /// Measures of every provision in the chain, in order, without repeats.
    pub measures: Vec<String>,
    /// The first condition in the chain.
    pub condition: Option<String>,
    /// Notes of every provision in the chain.
    pub notes: Vec<String>,
}

impl Resolved<'_> {
    /// The legal basis: the chain as references, from the provision the duty breaks to
    /// the one that sets the range.
    pub fn basis(&self) -> Vec<PenaltyRef> {
        self.chain.iter().map(|p| p.reference()).collect()
    }

    /// The basis as a sentence: 依据……，依照……（从重）处罚.
    pub fn basis_zh(&self) -> String {
        crate::basis::basis_zh(&self.basis(), self.aggravated, true)
    }
}
