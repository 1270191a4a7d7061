//! "义务「…」出自哪一条？": each duty of the catalog (data/duties) whose citations of one law
//! all name one article → that article, as the version in force numbers it. Distractors:
//! the article's neighbours that the duty does not cite. And "义务「…」从第几级网络起适用？":
//! a duty whose condition reads `level >= N` → 第N级以上, when its article says so.

use std::collections::BTreeMap;

use dengbao_duties::Catalog;
use dengbao_types::Citation;

use super::labels::{law_title, law_title_en};
use super::which_article::{label, neighbours, statute_article};
use dengbao_corpus::numerals::to_chinese;

use super::{assemble, cited_text, Kind, Question, Sources};

pub(crate) fn generate(src: &Sources<'_>, catalog: &Catalog, law: &str) -> Vec<Question> {
    let Some((version, statute)) = src.version(law) else {
        return Vec::new();
    };
    let Some(canonical) = src.citer.canonical(law) else {
        return Vec::new();
    };
    let title = law_title(src.citer, law);
    let title_en = law_title_en(src.citer, law);
    // A title two duties share with different articles would have two right answers.
    // title → (article, duty id, English title) of every duty with that title.
    let mut by_title: BTreeMap<&str, Vec<(u32, &str, &str)>> = BTreeMap::new();
    for d in catalog.duties() {
        let cited: Vec<Citation> = d
            .citations
            .iter()
            .filter(|c| c.law.as_deref() == Some(law))
            .flat_map(|c| src.citer.cite_in(c, canonical, version))
            .filter(|c| c.version.as_deref() == Some(version))
            .collect();
        let mut articles: Vec<u32> = cited.iter().map(|c| c.article).collect();
        articles.sort();
        articles.dedup();
        let [article] = articles[..] else { continue };
        if statute_article(statute, article).is_none() {
            continue;
        }
        by_title.entry(d.title.as_str()).or_default().push((
            article,
            d.id.as_str(),
            d.title_en.as_str(),
        ));
    }
    let mut out = Vec::new();
    for (duty_title, entries) in by_title {
        let Some((article, id, duty_en)) = entries.first() else {
            continue;
        };
        if entries.iter().any(|e| e.0 != *article) {
            continue;
        }
        let others: Vec<(String, String)> = neighbours(statute, *article, &[*article])
            .into_iter()
            .take(3)
            .map(|n| label(src, law, n))
            .collect();
        if others.len() < 3 {
            continue;
        }
        let mut q = assemble(
            format!("duty-article.{law}.{version}.{id}"),
            Kind::DutyArticle,
            law,
            version,
            (
                format!("义务「{duty_title}」出自《{title}》的哪一条？"),
                format!("Which article of the {title_en} does the duty “{duty_en}” rest on?"),
            ),
            label(src, law, *article),
            others,
            Citation::article(law, *article),
        );
        q.about = Some(id.to_string());
        out.push(q);
    }
    out
}

/// Levels a quiz offers for "from which level": the law's own phrase, 第N级以上.
fn from_level(n: u32) -> String {
    format!("第{}级以上", to_chinese(n))
}

/// The N of `level >= N` in a duty's condition; none when the condition has an
/// alternative (`||`), which would let the duty apply below N.
fn level_floor(applies_when: &str) -> Option<u32> {
    if applies_when.contains("||") {
        return None;
    }
    let rest = applies_when.split("level >= ").nth(1)?;
    rest.chars().next()?.to_digit(10)
}

pub(crate) fn levels(src: &Sources<'_>, catalog: &Catalog, law: &str) -> Vec<Question> {
    let Some((version, statute)) = src.version(law) else {
        return Vec::new();
    };
    let Some(canonical) = src.citer.canonical(law) else {
        return Vec::new();
    };
    let title = law_title(src.citer, law);
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for d in catalog.duties() {
        let Some(n) = level_floor(&d.applies_when) else {
            continue;
        };
        let cited: Vec<Citation> = d
            .citations
            .iter()
            .filter(|c| c.law.as_deref() == Some(law))
            .flat_map(|c| src.citer.cite_in(c, canonical, version))
            .filter(|c| c.version.as_deref() == Some(version))
            .collect();
        let [c] = &cited[..] else { continue };
        let Some(text) = cited_text(statute, c) else {
            continue;
        };
        let key = from_level(n);
        // The article must say the level itself, and no other 第M级以上.
        let others: Vec<String> = (1..=4).filter(|m| *m != n).map(from_level).collect();
        if !text.contains(&key)
            || others.iter().any(|o| text.contains(o))
            || d.title.contains(&key)
            || !seen.insert(d.title.clone())
        {
            continue;
        }
        let mut q = assemble(
            format!("duty-level.{law}.{version}.{}", d.id),
            Kind::DutyLevel,
            law,
            version,
            (
                format!("依照《{title}》，义务「{}」从第几级网络起适用？", d.title),
                format!(
                    "From which protection level on does the duty “{}” apply?",
                    d.title_en
                ),
            ),
            (key, format!("level {n} and above")),
            (1..=4)
                .filter(|m| *m != n)
                .map(|m| (from_level(m), format!("level {m} and above")))
                .collect(),
            Citation {
                version: None,
                ..c.clone()
            },
        );
        q.about = Some(d.id.clone());
        out.push(q);
    }
    out
}
