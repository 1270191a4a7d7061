//! 以案释法 — the case library: real, public enforcement cases under the Cybersecurity Law
//! and the MLPS (`data/cases/cases.toml`, rules in `data/cases/README.md`), each with its
//! date, authority, facts, the articles applied, the penalty and the page it was read on.
//!
//! [`Library::embedded`] loads the shipped file and validates it against the law corpus and
//! the duty catalog: every citation resolves in the version of its law in force on the
//! case's date (decision 0203: 2016 numbering until 2025-12-31, the amended numbering from
//! 2026-01-01), every duty id exists, dates are real, ids unique, sources have a URL.
//! [`Library::search`] matches by character bigrams (module `search`, decision 1500).
//!
//! No I/O beyond reading a file the caller names ([`Library::from_file`]); the shipped
//! file is embedded.

mod case;
mod check;
mod error;
mod search;
mod view;

use std::path::Path;

pub use case::{Case, CaseDate, DateBasis, Fine, FinedParty, Penalty, PenaltyKind, Source};
pub use check::References;
pub use error::CasesError;
pub use search::Hit;
pub use view::{CaseView, CitedView};

use case::CaseFile;

/// The shipped case file.
pub const CASES_FILE: &str = "data/cases/cases.toml";
const CASES_TOML: &str = include_str!("../../../data/cases/cases.toml");

/// The validated cases, each with the text it is searched in.
#[derive(Debug, Clone)]
pub struct Library {
    cases: Vec<(Case, String)>,
}

impl Library {
    /// The shipped cases, checked against the shipped corpus and duty catalog.
    pub fn embedded() -> Result<Library, CasesError> {
        Library::from_toml(CASES_FILE, CASES_TOML)
    }

    /// Cases from a file (a reviewer's edited copy), checked like the shipped ones.
    pub fn from_file(path: &Path) -> Result<Library, CasesError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| CasesError::Parse {
            file: name.clone(),
            message: e.to_string(),
        })?;
        Library::from_toml(&name, &text)
    }

    /// Cases from TOML text; `file` names it in errors.
    pub fn from_toml(file: &str, text: &str) -> Result<Library, CasesError> {
        let corpus = dengbao_corpus::Corpus::shared().map_err(|e| CasesError::Reference {
            what: "法律语料".into(),
            message: e.to_string(),
        })?;
        let catalog = dengbao_duties::Catalog::builtin().map_err(|e| CasesError::Reference {
            what: "义务目录".into(),
            message: e.to_string(),
        })?;
        Library::check(
            file,
            text,
            &References {
                corpus,
                catalog: &catalog,
            },
        )
    }

    /// Cases from TOML text, checked against the references given.
    pub fn check(file: &str, text: &str, refs: &References<'_>) -> Result<Library, CasesError> {
        let parsed: CaseFile = toml::from_str(text).map_err(|e| CasesError::Parse {
            file: file.to_string(),
            message: e.to_string().trim().replace('\n', " "),
        })?;
        let cases = check::validate(file, parsed.case, refs)?;
        let cases = cases
            .into_iter()
            .map(|c| {
                let titles: Vec<(String, String)> = c
                    .duties
                    .iter()
                    .filter_map(|d| refs.catalog.duty(d))
                    .map(|d| (d.title.clone(), d.title_en.clone()))
                    .collect();
                let text = search::haystack(&c, &titles);
                (c, text)
            })
            .collect();
        Ok(Library { cases })
    }

    /// Every case, in the file's order (oldest first).
    pub fn cases(&self) -> impl Iterator<Item = &Case> {
        self.cases.iter().map(|(c, _)| c)
    }

    pub fn len(&self) -> usize {
        self.cases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cases.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&Case> {
        self.cases().find(|c| c.id == id)
    }

    /// The cases matching every term of `query`, best first.
    pub fn search(&self, query: &str) -> Vec<Hit<'_>> {
        search::search(&self.cases, query)
    }

    /// The cases that illustrate a duty (the duty pages and the quizzes link through this).
    pub fn for_duty<'a>(&'a self, duty: &'a str) -> impl Iterator<Item = &'a Case> + 'a {
        self.cases()
            .filter(move |c| c.duties.iter().any(|d| d == duty))
    }

    /// The cases that apply an article of `law` in the numbering of `version`.
    pub fn for_article<'a>(
        &'a self,
        law: &'a str,
        version: &'a str,
        article: u32,
    ) -> impl Iterator<Item = &'a Case> + 'a {
        self.cases().filter(move |c| {
            c.citations.iter().any(|x| {
                x.law.as_deref() == Some(law)
                    && x.version.as_deref() == Some(version)
                    && x.article == article
            })
        })
    }
}
