//! The question bank: generated questions (from article texts, values in them, the duty
//! catalog and the case library), the reviewers' edits, retirements and additions from
//! `data/training/questions.toml`, quizzes drawn by a seed, and scoring.

mod cases;
mod cloze;
mod duties;
mod labels;
mod review;
mod score;
mod shuffle;
mod which_article;

use dengbao_corpus::{Citer, Corpus, Statute};
use dengbao_types::Citation;
use jiff::civil::Date;
use serde::Serialize;

pub use labels::{article_label, article_label_en, law_title, law_title_en, place};
pub use review::{Review, REVIEW_FILE, REVIEW_TOML};
pub use score::{score, Attempt, Outcome};
pub use shuffle::hash;

use crate::QuizError;

/// The laws quizzes are drawn from: `csl` (中华人民共和国网络安全法) and `mlps`, the corpus's
/// id of 网络安全等级保护条例（征求意见稿）; the interface's `--law csl|mlps` uses the same ids.
pub const LAWS: [&str; 2] = ["csl", "mlps"];

/// How a question was made, which says how it is verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Which article says 「…」 (an article's title or opening words).
    WhichArticle,
    /// A value (duration, level, fine range) blanked out of the article's own sentence.
    Cloze,
    /// Which article a duty of `data/duties` rests on.
    DutyArticle,
    /// From which level a duty of `data/duties` applies (its condition and its article agree).
    DutyLevel,
    /// Which article a case of `data/cases` applied.
    CaseArticle,
    /// Written by a reviewer in `data/training/questions.toml`.
    Added,
}

/// One question, with its key and where the law says so.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    /// Stable: generator, law, version, article (and paragraph, item, occurrence).
    pub id: String,
    pub kind: Kind,
    pub law: String,
    /// The version of the law the question was generated from (`amended-2025`, `final`,
    /// `draft-for-comment`).
    pub version: String,
    pub question: String,
    pub question_en: String,
    /// All distinct, in an order fixed by the id.
    pub choices: Vec<String>,
    pub choices_en: Vec<String>,
    /// Index of the right choice.
    pub answer: usize,
    pub citation: Citation,
    /// The duty or case a question is about (DutyArticle, DutyLevel, CaseArticle).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    /// Added questions: the words of the article that hold the answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer_in_text: Option<String>,
}

/// The citation as the quiz interface gives it: exactly law, article, paragraph, item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuizCitation {
    pub law: Option<String>,
    pub article: u32,
    pub paragraph: Option<u32>,
    pub item: Option<u32>,
}

/// One question as `dengbao training quiz --json` prints it (the interface scripts use).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuizItem {
    pub question: String,
    pub choices: Vec<String>,
    pub answer: usize,
    pub citation: QuizCitation,
}

impl QuizItem {
    pub fn of(q: &Question) -> QuizItem {
        QuizItem {
            question: q.question.clone(),
            choices: q.choices.clone(),
            answer: q.answer,
            citation: QuizCitation {
                law: q.citation.law.clone(),
                article: q.citation.article,
                paragraph: q.citation.paragraph,
                item: q.citation.item,
            },
        }
    }
}

/// What the generators read: one version of each law, the corpus around it.
pub(crate) struct Sources<'a> {
    pub corpus: &'a Corpus,
    pub citer: &'a Citer,
    pub date: Date,
}

impl Sources<'_> {
    /// The version of `law` in force on the bank's date, and its text.
    pub fn version(&self, law: &str) -> Option<(&str, &Statute)> {
        let l = self.corpus.law(law)?;
        let v = l.version_at(self.date);
        Some((v.name.as_str(), &v.statute))
    }
}

/// Every question for one date, after review.
#[derive(Debug, Clone)]
pub struct Bank {
    questions: Vec<Question>,
    date: Date,
}

impl Bank {
    /// The bank generated from the shipped corpus, catalog and cases for the versions in
    /// force on `date`, reviewed by the shipped `data/training/questions.toml`.
    pub fn build(date: Date) -> Result<Bank, QuizError> {
        Bank::build_with(date, REVIEW_FILE, REVIEW_TOML)
    }

    /// Like [`Bank::build`], with a reviewers' file of one's own (`file` names it in errors).
    pub fn build_with(date: Date, file: &str, review_toml: &str) -> Result<Bank, QuizError> {
        let corpus = Corpus::shared().map_err(|e| QuizError::Corpus(e.to_string()))?;
        let citer = Citer::embedded().map_err(|e| QuizError::Corpus(e.to_string()))?;
        let catalog =
            dengbao_duties::Catalog::builtin().map_err(|e| QuizError::Catalog(e.to_string()))?;
        let library =
            dengbao_cases::Library::embedded().map_err(|e| QuizError::Cases(e.to_string()))?;
        let src = Sources {
            corpus,
            citer: &citer,
            date,
        };
        let mut generated = Vec::new();
        for law in LAWS {
            generated.extend(which_article::generate(&src, law));
            generated.extend(cloze::generate(&src, law));
            generated.extend(duties::generate(&src, &catalog, law));
            generated.extend(duties::levels(&src, &catalog, law));
        }
        generated.extend(cases::generate(&src, &library));
        let review = Review::parse(file, review_toml)?;
        let questions = review.apply(&src, dedupe(generated))?;
        Ok(Bank { questions, date })
    }

    pub fn date(&self) -> Date {
        self.date
    }

    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    pub fn of_law<'a>(&'a self, law: Option<&'a str>) -> impl Iterator<Item = &'a Question> {
        self.questions
            .iter()
            .filter(move |q| law.is_none_or(|l| q.law == l))
    }

    pub fn get(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// `count` questions of `law` (or of both), the same ones in the same order for the
    /// same seed: ordered by a hash of seed and id, so adding a question elsewhere in the
    /// bank moves few of a seed's picks.
    pub fn quiz<'a>(&'a self, count: usize, law: Option<&'a str>, seed: u64) -> Vec<&'a Question> {
        let mut qs: Vec<&Question> = self.of_law(law).collect();
        qs.sort_by_key(|q| (hash(&format!("{seed}/{}", q.id)), q.id.clone()));
        qs.truncate(count);
        qs
    }
}

/// Drops a question whose text repeats an earlier one (the same sentence in two places
/// makes the same cloze): two identical questions would be one question asked twice.
fn dedupe(qs: Vec<Question>) -> Vec<Question> {
    let mut seen = std::collections::HashSet::new();
    let mut ids = std::collections::HashSet::new();
    qs.into_iter()
        .filter(|q| seen.insert(q.question.clone()) && ids.insert(q.id.clone()))
        .collect()
}

/// Builds a question from its key and distractors: choices shuffled by the id.
#[allow(clippy::too_many_arguments)]
pub(crate) fn assemble(
    id: String,
    kind: Kind,
    law: &str,
    version: &str,
    question: (String, String),
    key: (String, String),
    distractors: Vec<(String, String)>,
    citation: Citation,
) -> Question {
    let mut all = vec![key.clone()];
    all.extend(distractors);
    let all = shuffle::shuffled(all, &id);
    let answer = all.iter().position(|c| *c == key).unwrap_or(0);
    Question {
        id,
        kind,
        law: law.to_string(),
        version: version.to_string(),
        question: question.0,
        question_en: question.1,
        choices: all.iter().map(|c| c.0.clone()).collect(),
        choices_en: all.iter().map(|c| c.1.clone()).collect(),
        answer,
        citation: Citation {
            version: Some(version.to_string()),
            ..citation
        },
        about: None,
        answer_in_text: None,
    }
}

/// Text with whitespace removed: the form every comparison with the law's text uses
/// (hard wraps and odd spaces are not words).
pub fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The text a citation points at in a statute: the article (title and body), a paragraph
/// (its lead and items) or one item, squeezed.
pub fn cited_text(statute: &Statute, c: &Citation) -> Option<String> {
    let a = statute
        .articles
        .iter()
        .find(|a| a.number == c.article && a.suffix == c.suffix)?;
    let Some(p) = c.paragraph else {
        return Some(squeeze(&format!(
            "{}{}",
            a.title.clone().unwrap_or_default(),
            a.text
        )));
    };
    let para = a.paragraphs.get(usize::try_from(p).ok()?.checked_sub(1)?)?;
    match c.item {
        None => Some(squeeze(&format!("{}{}", para.text, para.items.concat()))),
        Some(i) => Some(squeeze(
            para.items.get(usize::try_from(i).ok()?.checked_sub(1)?)?,
        )),
    }
}
