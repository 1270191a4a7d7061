//! Errors of the corpus. Messages name the law, version, article, paragraph or data file,
//! in Chinese and English where a user sees them.

/// What can go wrong loading or querying the corpus.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CorpusError {
    /// A data file under data/law/ is malformed or inconsistent (a bug in the shipped data).
    #[error("law data {file}: {message}")]
    Data { file: String, message: String },
    #[error("unknown law '{0}' (未知法律；可用：csl 网络安全法, mlps 网络安全等级保护条例)")]
    UnknownLaw(String),
    #[error("{law} has no version '{version}' (没有此版本；可用：{available})")]
    UnknownVersion {
        law: String,
        version: String,
        available: String,
    },
    #[error("{law} has no article {label} (没有{label})")]
    UnknownArticle { law: String, label: String },
    #[error("{law} {article} has no paragraph {paragraph} (没有第{paragraph}款；该条共{count}款)")]
    UnknownParagraph {
        law: String,
        article: String,
        paragraph: u32,
        count: usize,
    },
    #[error("{law} {article} has no item {item} (没有第（{item}）项；{detail})")]
    UnknownItem {
        law: String,
        article: String,
        item: u32,
        detail: String,
    },
    #[error(
        "no comparison between {law} versions '{from}' and '{to}' (没有这两个版本之间的对照数据)"
    )]
    NoAlignment {
        law: String,
        from: String,
        to: String,
    },
    #[error(transparent)]
    Citation(#[from] crate::citation::CitationError),
}
