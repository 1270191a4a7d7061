//! "哪一条规定了「…」？": from an article's 【title】 (the MLPS draft has them) or, where the
//! law gives none (the CSL), its opening words → the article. Distractors are its
//! neighbours in the same chapter, none of which says the quoted words.

use dengbao_corpus::{Article, Statute};
use dengbao_types::Citation;

use super::labels::{article_label, article_label_en, law_title, law_title_en};
use super::{assemble, squeeze, Kind, Question, Sources};

/// Opening words are cut at the first punctuation after this many characters…
const MIN_OPENING: usize = 12;
/// …and never run longer than this.
const MAX_OPENING: usize = 36;

pub(crate) fn generate(src: &Sources<'_>, law: &str) -> Vec<Question> {
    let Some((version, statute)) = src.version(law) else {
        return Vec::new();
    };
    let title = law_title(src.citer, law);
    let title_en = law_title_en(src.citer, law);
    let mut out = Vec::new();
    for a in &statute.articles {
        if a.suffix.is_some() {
            continue;
        }
        let (snippet, headed) = match a.title.as_deref().map(str::trim) {
            Some(t) if !t.is_empty() => (squeeze(t), true),
            _ => (opening(a), false),
        };
        if snippet.chars().count() < 4 {
            continue;
        }
        let says = |b: &Article| article_words(b).contains(&snippet);
        let others: Vec<u32> = neighbours(statute, a.number, &[a.number])
            .into_iter()
            .filter(|n| statute_article(statute, *n).is_some_and(|b| !says(b)))
            .take(3)
            .collect();
        if others.len() < 3 {
            continue;
        }
        let question = if headed {
            (
                format!("《{title}》的哪一条规定了「{snippet}」？"),
                format!("Which article of the {title_en} is headed 「{snippet}」?"),
            )
        } else {
            (
                format!("《{title}》的哪一条这样开头：「{snippet}……」？"),
                format!("Which article of the {title_en} opens with 「{snippet}…」?"),
            )
        };
        out.push(assemble(
            format!("which-article.{law}.{version}.{}", a.number),
            Kind::WhichArticle,
            law,
            version,
            question,
            label(src, law, a.number),
            others.iter().map(|n| label(src, law, *n)).collect(),
            Citation::article(law, a.number),
        ));
    }
    out
}

pub(crate) fn label(src: &Sources<'_>, law: &str, n: u32) -> (String, String) {
    (
        article_label(src.citer, law, n),
        article_label_en(src.citer, law, n),
    )
}

/// An article's title and text, squeezed: what "says" a snippet is checked against.
pub(crate) fn article_words(a: &Article) -> String {
    squeeze(&format!(
        "{}{}",
        a.title.clone().unwrap_or_default(),
        a.text
    ))
}

pub(crate) fn statute_article(statute: &Statute, n: u32) -> Option<&Article> {
    statute
        .articles
        .iter()
        .find(|a| a.number == n && a.suffix.is_none())
}

/// The article's first words, up to a punctuation mark once there are enough of them.
fn opening(a: &Article) -> String {
    let text = squeeze(a.paragraphs.first().map_or(a.text.as_str(), |p| &p.text));
    let mut out = String::new();
    for c in text.chars() {
        let n = out.chars().count();
        if n >= MAX_OPENING || (n >= MIN_OPENING && "，。；：、".contains(c)) {
            break;
        }
        out.push(c);
    }
    out
}

/// The other articles (without 之N) nearest to `number`: first those of its chapter, by
/// distance, then the rest, by distance; `exclude` never.
pub(crate) fn neighbours(statute: &Statute, number: u32, exclude: &[u32]) -> Vec<u32> {
    let chapter = statute_article(statute, number).map(|a| a.chapter);
    let mut all: Vec<(bool, u32, u32)> = statute
        .articles
        .iter()
        .filter(|a| a.suffix.is_none() && !exclude.contains(&a.number))
        .map(|a| {
            (
                Some(a.chapter) != chapter,
                a.number.abs_diff(number),
                a.number,
            )
        })
        .collect();
    all.sort();
    all.dedup_by_key(|x| x.2);
    all.into_iter().map(|x| x.2).collect()
}
