use std::fmt;

use serde::{Deserialize, Serialize};

/// The law ids used on every interface: `csl` = 中华人民共和国网络安全法,
/// `mlps` = 网络安全等级保护条例（征求意见稿）, and the laws around them the corpus
/// carries (decision 0204). Other statutes parsed from files get ids of their own.
pub struct LawId;

impl LawId {
    pub const CSL: &'static str = "csl";
    pub const MLPS: &'static str = "mlps";
    /// 中华人民共和国数据安全法.
    pub const DSL: &'static str = "dsl";
    /// 中华人民共和国个人信息保护法.
    pub const PIPL: &'static str = "pipl";
    /// 关键信息基础设施安全保护条例.
    pub const CIIPR: &'static str = "ciipr";
    /// 网络数据安全管理条例.
    pub const NDSR: &'static str = "ndsr";
    /// 中华人民共和国密码法.
    pub const CRYPTOLAW: &'static str = "cryptolaw";
    /// 商用密码管理条例.
    pub const CCR: &'static str = "ccr";
}

/// A pointer into a statute: law, article (with its 之一 suffix), paragraph (款), item (项).
///
/// JSON shape (fixed by the interface): `{"law": str|null, "article": int,
/// "paragraph": int|null, "item": int|null}`; `suffix` appears only for 之N articles, and
/// `version` (`final`, `amended-2025`, …) when the citation names the version whose
/// numbering it uses — every citation printed for a date does (decision 0203).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Citation {
    pub law: Option<String>,
    pub article: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<u32>,
    pub paragraph: Option<u32>,
    pub item: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

impl Citation {
    pub fn article(law: &str, article: u32) -> Citation {
        Citation {
            law: Some(law.to_string()),
            article,
            suffix: None,
            paragraph: None,
            item: None,
            version: None,
        }
    }

    pub fn with_paragraph(mut self, paragraph: u32) -> Citation {
        self.paragraph = Some(paragraph);
        self
    }

    pub fn with_item(mut self, item: u32) -> Citation {
        self.item = Some(item);
        self
    }
}

/// Renders as a human citation: `csl 第21条第1款第(3)项`.
impl fmt::Display for Citation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(law) = &self.law {
            write!(f, "{law} ")?;
        }
        write!(f, "第{}条", self.article)?;
        if let Some(s) = self.suffix {
            write!(f, "之{s}")?;
        }
        if let Some(p) = self.paragraph {
            write!(f, "第{p}款")?;
        }
        if let Some(i) = self.item {
            write!(f, "第({i})项")?;
        }
        Ok(())
    }
}
