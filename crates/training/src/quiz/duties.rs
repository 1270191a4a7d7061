//! "义务「…」出自哪一条？": each duty of the catalog (data/duties) whose citations of one law
//! all name one article → that article, as the version in force numbers it. Distractors:
//! the article's neighbours that the duty does not cite.

use std::collections::BTreeMap;

use dengbao_duties::Catalog;
use dengbao_types::Citation;

use super::labels::{law_title, law_title_en};
use super::which_article::{label, neighbours, statute_article};
use super::{assemble, Kind, Question, Sources};

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
