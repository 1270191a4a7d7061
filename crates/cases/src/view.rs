//! The JSON shape scripts rely on (`dengbao cases list --json`): `id`, `date`, `authority`,
//! `facts`, `citations`, `penalty`, `source`, and beside them the case's other keys.
//! `citations` are the corpus's citation objects (`law`, `article`, `paragraph`, `item`,
//! `version`) with the rendered `text` (《网络安全法》第二十一条) and `text_en`; `penalty` is
//! an object: `kinds`, `text`, `fines`, `detention_days`.

use dengbao_types::Citation;
use serde::Serialize;

use crate::case::{Case, DateBasis, Penalty, Source};

/// A citation with its rendering in the law's own form.
#[derive(Debug, Clone, Serialize)]
pub struct CitedView {
    #[serde(flatten)]
    pub citation: Citation,
    /// 《网络安全法》第二十一条第（三）项
    pub text: String,
    /// Cybersecurity Law art. 21, item (3)
    pub text_en: String,
}

impl CitedView {
    pub fn of(c: &Citation) -> CitedView {
        CitedView {
            citation: c.clone(),
            text: dengbao_duties::basis::cite_zh(c),
            text_en: dengbao_duties::basis::cite_en(c),
        }
    }
}

/// One case as JSON.
#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    pub id: String,
    pub date: String,
    pub date_basis: DateBasis,
    pub authority: String,
    pub place: String,
    pub party: String,
    pub facts: String,
    pub facts_en: String,
    pub citations: Vec<CitedView>,
    pub articles_stated: bool,
    pub duties: Vec<String>,
    pub penalty: Penalty,
    pub source: Source,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl CaseView {
    pub fn of(c: &Case) -> CaseView {
        CaseView {
            id: c.id.clone(),
            date: c.date.to_string(),
            date_basis: c.date_basis,
            authority: c.authority.clone(),
            place: c.place.clone(),
            party: c.party.clone(),
            facts: c.facts.clone(),
            facts_en: c.facts_en.clone(),
            citations: c.citations.iter().map(CitedView::of).collect(),
            articles_stated: c.articles_stated,
            duties: c.duties.clone(),
            penalty: c.penalty.clone(),
            source: c.source.clone(),
            note: c.note.clone(),
        }
    }
}
