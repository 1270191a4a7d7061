//! 以案释法: "这个案例适用了哪一条？" — each case of data/cases that cites an article of a
//! quizzed law → the first such article, in the numbering of the version in force on the
//! case's date (the case library's own rule); distractors are neighbours the case does
//! not cite.

use dengbao_cases::Library;
use dengbao_corpus::numerals::to_chinese;
use dengbao_types::Citation;

use super::labels::{law_title, law_title_en};
use super::which_article::{label, neighbours, statute_article};
use super::{assemble, Kind, Question, Sources, LAWS};

/// Facts longer than this are cut (the question is about the article, not the story).
const MAX_FACTS: usize = 120;

pub(crate) fn generate(src: &Sources<'_>, library: &Library) -> Vec<Question> {
    let mut out = Vec::new();
    for case in library.cases() {
        let Some(day) = case.date.last_day() else {
            continue;
        };
        for law in LAWS {
            let cited: Vec<&Citation> = case
                .citations
                .iter()
                .filter(|c| c.law.as_deref() == Some(law))
                .collect();
            let Some(first) = cited.first() else {
                continue;
            };
            let Some(l) = src.corpus.law(law) else {
                continue;
            };
            let v = l.version_at(day);
            let statute = &v.statute;
            if statute_article(statute, first.article).is_none() {
                continue;
            }
            // A case whose facts name the article would give the answer away.
            if case
                .facts
                .contains(&format!("第{}条", to_chinese(first.article)))
            {
                continue;
            }
            let exclude: Vec<u32> = cited.iter().map(|c| c.article).collect();
            let others: Vec<(String, String)> = neighbours(statute, first.article, &exclude)
                .into_iter()
                .take(3)
                .map(|n| label(src, law, n))
                .collect();
            if others.len() < 3 {
                continue;
            }
            let title = law_title(src.citer, law);
            let title_en = law_title_en(src.citer, law);
            let facts: String = case.facts.chars().take(MAX_FACTS).collect();
            let cut = if case.facts.chars().count() > MAX_FACTS {
                "……"
            } else {
                ""
            };
            let mut q = assemble(
                format!("case-article.{law}.{}.{}", v.name, case.id),
                Kind::CaseArticle,
                law,
                &v.name,
                (
                    format!(
                        "案例（{}，{}）：{facts}{cut}——执法机关适用了《{title}》的哪一条？",
                        case.authority, case.date
                    ),
                    format!(
                        "Case {} ({}): which article of the {title_en} did the authority apply?",
                        case.id, case.date
                    ),
                ),
                label(src, law, first.article),
                others,
                Citation {
                    paragraph: first.paragraph,
                    item: first.item,
                    ..Citation::article(law, first.article)
                },
            );
            q.about = Some(case.id.clone());
            out.push(q);
        }
    }
    out
}
