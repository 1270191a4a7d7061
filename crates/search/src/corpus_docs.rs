//! The shipped corpus as search documents: every canonical article of every law, and
//! every commentary record pointing at its article.

use dengbao_corpus::{Corpus, Statute};

use crate::{DocKind, SearchDoc, SearchError, SearchIndex};

/// The title of an article's chapter and section, e.g. `网络运行安全 关键信息基础设施的运行安全`.
fn chapter_title(statute: &Statute, chapter: u32, section: Option<u32>) -> Option<String> {
    let ch = statute.chapters.iter().find(|c| c.number == chapter)?;
    let mut title = ch.title.clone();
    if let Some(s) = section.and_then(|n| ch.sections.iter().find(|s| s.number == n)) {
        title.push(' ');
        title.push_str(&s.title);
    }
    Some(title)
}

/// Articles (canonical versions) then commentary, in corpus order.
pub fn corpus_docs(corpus: &Corpus) -> Vec<SearchDoc> {
    let mut docs = Vec::new();
    for law in corpus.laws() {
        let statute = law.canonical();
        for a in &statute.articles {
            docs.push(SearchDoc {
                law: law.id.clone(),
                law_title: law.title.clone(),
                article: a.number,
                suffix: a.suffix,
                kind: DocKind::Article,
                title: a.title.clone(),
                chapter: chapter_title(statute, a.chapter, a.section),
                text: a.text.clone(),
            });
        }
    }
    for c in corpus.commentary() {
        let law_title = corpus
            .law(&c.law)
            .map_or_else(|| c.law.clone(), |l| l.title.clone());
        docs.push(SearchDoc {
            law: c.law.clone(),
            law_title,
            article: c.article,
            suffix: c.suffix,
            kind: DocKind::Commentary,
            title: c.title.clone(),
            chapter: None,
            text: c.text.clone(),
        });
    }
    docs
}

impl SearchIndex {
    /// The index over the shipped corpus (articles and commentary).
    pub fn from_corpus(corpus: &Corpus) -> Result<SearchIndex, SearchError> {
        SearchIndex::build(corpus_docs(corpus))
    }
}
