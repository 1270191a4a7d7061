//! The law corpus: canonical texts reconciled from the seed sources, versions (draft/final),
//! discrepancy and comparison reports, commentary linked to articles.
//!
//! Everything is embedded (data/law/**), so [`Corpus::load`] needs no files at run time.
//! Invariant: only `data/law/` knows what the law says; this crate reads, checks and links
//! it, and never edits a text.

mod citation;
mod citing;
mod commentary;
mod error;
mod fines;
mod load;
pub mod numerals;
mod reconcile;
mod sources;
mod structure;
pub mod text;
mod versions;

use std::sync::OnceLock;

pub use citation::{parse_citation, CitationError, Resolved};
pub use citing::Citer;
pub use commentary::{Commentary, CommentaryKind, LinkBasis};
pub use dengbao_statute::{Article, Chapter, Paragraph, Section, Statute};
pub use dengbao_types::Citation;
pub use error::CorpusError;
pub use fines::{fines_in, Fine, FineUnit, Payer};
pub use reconcile::{Coverage, Discrepancy, DiscrepancyKind, Place, Reading};
pub use sources::{Source, SourcePart};
pub use versions::{
    article_text, AlignedPair, Alignment, ArticleKey, Comparison, FineChange, PairDiff, TextChange,
    Unpaired,
};

use serde::Serialize;

/// A law and its versions.
#[derive(Debug, Clone, Serialize)]
pub struct Law {
    /// `csl`, `mlps`.
    pub id: String,
    pub title: String,
    pub versions: Vec<LawVersion>,
    /// Name of the version [`Law::canonical`] returns (`final` for csl).
    pub canonical_version: String,
}

/// One version of a law: a complete snapshot of its text as one source has it.
#[derive(Debug, Clone, Serialize)]
pub struct LawVersion {
    /// `draft`, `final`, `draft-for-comment`.
    pub name: String,
    /// The seed that is this version's base text.
    pub source: String,
    /// True when the source carries only part of the version (the csl draft: only its
    /// legal-liability chapter).
    pub partial: bool,
    /// The version this one revises, if any (draft → final).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
    /// The day this version took effect; `None` for a draft that never did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_force: Option<jiff::civil::Date>,
    pub statute: Statute,
    /// What the parser found odd in the base text.
    pub diagnostics: Vec<dengbao_statute::Diagnostic>,
}

impl Law {
    /// The canonical (for csl: final) text.
    pub fn canonical(&self) -> &Statute {
        match self.version(&self.canonical_version) {
            Some(v) => &v.statute,
            // ok: load() checks the canonical version exists; first() keeps this total.
            None => &self.versions[0].statute,
        }
    }

    pub fn version(&self, name: &str) -> Option<&LawVersion> {
        self.versions.iter().find(|v| v.name == name)
    }

    /// The error for a version name this law does not have, listing the ones it has.
    pub fn unknown_version(&self, version: &str) -> CorpusError {
        CorpusError::UnknownVersion {
            law: self.id.clone(),
            version: version.to_string(),
            available: self
                .versions
                .iter()
                .map(|v| v.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// The version in force on `date`: the latest whose `in_force` is on or before it.
    /// Before the first version took effect, and for a law no version of which is in
    /// force (the MLPS regulation draft), the canonical version (decision 0203).
    pub fn version_at(&self, date: jiff::civil::Date) -> &LawVersion {
        self.versions
            .iter()
            .filter(|v| v.in_force.is_some_and(|d| d <= date))
            .max_by_key(|v| v.in_force)
            .or_else(|| self.version(&self.canonical_version))
            // ok: load() checks the canonical version exists; first() keeps this total.
            .unwrap_or(&self.versions[0])
    }

    /// The canonical article `number` (之`suffix`).
    pub fn article(&self, number: u32, suffix: Option<u32>) -> Option<&Article> {
        self.canonical()
            .articles
            .iter()
            .find(|a| a.number == number && a.suffix == suffix)
    }
}

/// A law and the names of its versions, as the embedded manifest lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LawListing {
    pub id: String,
    pub title: String,
    pub canonical_version: String,
    pub versions: Vec<VersionListing>,
}

/// One version's name, and whether its source carries only part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionListing {
    pub name: String,
    pub partial: bool,
}

/// The laws and versions this build carries, from the embedded manifest
/// (data/law/sources.toml) without building the corpus: cheap enough for `--version`.
pub fn carried_laws() -> Result<Vec<LawListing>, CorpusError> {
    load::listing()
}

/// The whole corpus: laws, commentary, reports.
#[derive(Debug, Clone)]
pub struct Corpus {
    laws: Vec<Law>,
    sources: Vec<Source>,
    commentary: Vec<Commentary>,
    discrepancies: Vec<Discrepancy>,
    coverage: Vec<(String, Vec<Coverage>)>,
    alignments: Vec<Alignment>,
}

static CORPUS: OnceLock<Result<Corpus, CorpusError>> = OnceLock::new();

impl Corpus {
    /// Builds the corpus from the embedded data (parses, reconciles, links). Takes tens of
    /// milliseconds; call once per process, or use [`Corpus::shared`].
    pub fn load() -> Result<Corpus, CorpusError> {
        load::load()
    }

    /// The process-wide corpus, built on first use.
    pub fn shared() -> Result<&'static Corpus, CorpusError> {
        CORPUS
            .get_or_init(Corpus::load)
            .as_ref()
            .map_err(Clone::clone)
    }

    pub fn laws(&self) -> &[Law] {
        &self.laws
    }

    pub fn law(&self, id: &str) -> Option<&Law> {
        self.laws.iter().find(|l| l.id == id)
    }

    /// The seed files and their roles.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// A canonical article.
    pub fn article(&self, law: &str, number: u32, suffix: Option<u32>) -> Option<&Article> {
        self.law(law)?.article(number, suffix)
    }

    /// All commentary records (one per linked article).
    pub fn commentary(&self) -> &[Commentary] {
        &self.commentary
    }

    /// Commentary attached to one article (any suffix-less article number).
    pub fn commentary_for(&self, law: &str, article: u32) -> Vec<&Commentary> {
        self.commentary
            .iter()
            .filter(|c| c.law == law && c.article == article)
            .collect()
    }

    /// Every place where the sources of a law disagree, by law then article.
    pub fn discrepancies(&self) -> &[Discrepancy] {
        &self.discrepancies
    }

    /// How each witness covers each law.
    pub fn coverage(&self, law: &str) -> &[Coverage] {
        self.coverage
            .iter()
            .find(|(l, _)| l == law)
            .map(|(_, c)| c.as_slice())
            .unwrap_or(&[])
    }

    /// The alignment data between two versions of a law, if any.
    pub fn alignment(&self, law: &str, from: &str, to: &str) -> Option<&Alignment> {
        self.alignments
            .iter()
            .find(|a| a.law == law && a.from == from && a.to == to)
    }

    /// The comparison table (修订对照表) between two versions of a law.
    pub fn diff(&self, law: &str, from: &str, to: &str) -> Result<Comparison, CorpusError> {
        versions::compare(self, law, from, to)
    }

    /// The base source's text of each canonical article of `law`, whitespace and noise
    /// removed (number, suffix, text) — what the canonical text must equal.
    pub fn base_texts(&self, law: &str) -> Vec<(u32, Option<u32>, String)> {
        load::base_texts(self, law)
    }

    /// Resolves a citation to its text (article, paragraph or item).
    pub fn resolve(&self, citation: &Citation) -> Result<Resolved<'_>, CorpusError> {
        citation::resolve(self, citation)
    }
}
