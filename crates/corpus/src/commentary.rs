//! Commentary as linked data: interpretations (002), compliance advice (002), the role
//! checklist (003) and the 2017 work plan (001), each item attached to the articles it
//! speaks of through the reviewable files in data/law/commentary/.

use serde::{Deserialize, Serialize};

use crate::{Corpus, CorpusError};

pub(crate) const FILES: [(&str, &str); 4] = [
    (
        "data/law/commentary/interpretations.toml",
        include_str!("../../../data/law/commentary/interpretations.toml"),
    ),
    (
        "data/law/commentary/compliance-advice.toml",
        include_str!("../../../data/law/commentary/compliance-advice.toml"),
    ),
    (
        "data/law/commentary/role-checklist.toml",
        include_str!("../../../data/law/commentary/role-checklist.toml"),
    ),
    (
        "data/law/commentary/work-plan.toml",
        include_str!("../../../data/law/commentary/work-plan.toml"),
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CommentaryKind {
    /// 解读 after an article (seed 002).
    Interpretation,
    /// 网络建设合法合规建议 (seed 002).
    ComplianceAdvice,
    /// The checklist by role (seed 003).
    RoleChecklist,
    /// The 2017 普法 work plan's numbered points (seed 001).
    WorkPlan,
}

impl CommentaryKind {
    pub fn zh(self) -> &'static str {
        match self {
            CommentaryKind::Interpretation => "解读",
            CommentaryKind::ComplianceAdvice => "合规建议",
            CommentaryKind::RoleChecklist => "角色清单",
            CommentaryKind::WorkPlan => "普法工作要点",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            CommentaryKind::Interpretation => "interpretation",
            CommentaryKind::ComplianceAdvice => "compliance advice",
            CommentaryKind::RoleChecklist => "role checklist",
            CommentaryKind::WorkPlan => "law popularisation work plan",
        }
    }
}

/// Why an item is attached to an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkBasis {
    /// It directly follows the article in the source.
    Position,
    /// It names or quotes the article.
    Citation,
    /// By subject, as recorded (with a note) in the mapping file.
    Topic,
}

/// One commentary item attached to one article (an item linked to three articles gives
/// three records with the same `item`).
#[derive(Debug, Clone, Serialize)]
pub struct Commentary {
    /// Unique per record: `<item>@<law>.<article>`.
    pub id: String,
    /// The item's id in its data file, e.g. `002-jd-04`.
    pub item: String,
    pub law: String,
    pub article: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suffix: Option<u32>,
    pub kind: CommentaryKind,
    /// The seed file it comes from.
    pub source: String,
    /// Its first line in that file.
    pub line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// For checklists and advice: whom it addresses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    pub basis: LinkBasis,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub text: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct File {
    pub source: String,
    pub kind: CommentaryKind,
    pub item: Vec<Item>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Item {
    pub id: String,
    pub line: u32,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub csl: Vec<u32>,
    #[serde(default)]
    pub mlps: Vec<u32>,
    pub basis: LinkBasis,
    #[serde(default)]
    pub note: Option<String>,
    pub text: String,
}

pub(crate) fn parse_file(name: &str, text: &str) -> Result<File, CorpusError> {
    toml::from_str(text).map_err(|e| CorpusError::Data {
        file: name.into(),
        message: e.to_string(),
    })
}

pub(crate) fn load(corpus: &Corpus) -> Result<Vec<Commentary>, CorpusError> {
    let mut out = Vec::new();
    for (name, text) in FILES {
        let f = parse_file(name, text)?;
        let source = corpus
            .sources()
            .iter()
            .find(|s| s.id == f.source)
            .map(|s| s.file.clone())
            .ok_or_else(|| CorpusError::Data {
                file: name.into(),
                message: format!("unknown source {}", f.source),
            })?;
        for it in f.item {
            for (law, arts) in [("csl", &it.csl), ("mlps", &it.mlps)] {
                for &a in arts {
                    if corpus.article(law, a, None).is_none() {
                        return Err(CorpusError::Data {
                            file: name.into(),
                            message: format!("{}: {law} has no article {a}", it.id),
                        });
                    }
                    out.push(Commentary {
                        id: format!("{}@{law}.{a}", it.id),
                        item: it.id.clone(),
                        law: law.into(),
                        article: a,
                        suffix: None,
                        kind: f.kind,
                        source: source.clone(),
                        line: it.line,
                        title: it.title.clone(),
                        role: it.role.clone(),
                        basis: it.basis,
                        note: it.note.clone(),
                        text: it.text.clone(),
                    });
                }
            }
        }
    }
    Ok(out)
}
