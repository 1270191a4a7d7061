//! Ranked Chinese full-text search over the law corpus and its commentary, plus lookup by
//! citation.
//!
//! The crate knows nothing of how the corpus is built: it indexes [`SearchDoc`]s (an
//! article, or a piece of commentary that points to its article) and answers
//! [`SearchIndex::search`] with one [`Hit`] per article, best first.
//!
//! Invariant: the index lives in memory and is rebuilt from the documents; it does no I/O.
//! Invariant: everything that says *what words mean* (user dictionary, synonyms, stop
//! words, law aliases, the question set) is data under `data/search/`, embedded here.

mod analyzer;
mod citation;
mod corpus_docs;
mod error;
pub mod eval;
mod expand;
mod index;
mod snippet;

pub use analyzer::{analyze, Kind as TokenKind, Piece};
pub use citation::{parse_citation, zh_number, CitedArticle};
pub use corpus_docs::corpus_docs;
pub use error::SearchError;
pub use eval::{evaluate, EvalReport, Failure, Question, QuestionSet};
pub use expand::QueryRules;
pub use index::SearchIndex;

use serde::Serialize;

/// What a document is: the article's own text, or commentary attached to an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    Article,
    Commentary,
}

/// One searchable document. Commentary points to the article it speaks of through
/// `law`/`article`/`suffix`; a hit on it surfaces that article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    /// Law id: `csl`, `mlps`, …
    pub law: String,
    /// The law's full title, e.g. 中华人民共和国网络安全法.
    pub law_title: String,
    pub article: u32,
    /// 之N articles (第二十条之一 → Some(1)).
    pub suffix: Option<u32>,
    pub kind: DocKind,
    /// The article title (【定级备案】 in the regulation) or the commentary's heading.
    pub title: Option<String>,
    /// The title of the chapter (and section) the article stands in, e.g. 法律责任.
    pub chapter: Option<String>,
    pub text: String,
}

/// One search result: an article, with the best snippet of what matched.
///
/// JSON shape (fixed by the interface): `{"law", "law_title", "article", "score",
/// "snippet"}`; `suffix` appears only for 之N articles.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub law: String,
    pub law_title: String,
    pub article: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suffix: Option<u32>,
    pub score: f32,
    /// A window of the matched text with each match wrapped in `**…**`.
    pub snippet: String,
}

/// The question set shipped with the binary (data/search/questions.toml).
pub const QUESTIONS: &str = include_str!("../../../data/search/questions.toml");
