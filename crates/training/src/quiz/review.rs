//! The reviewers' file, `data/training/questions.toml` (rules in data/training/README.md):
//! retire a generated question by id with a reason, reword one, or add a hand-written
//! question that cites an article and quotes the words holding its answer.

use serde::Deserialize;

use super::labels::place;
use super::{assemble, cited_text, squeeze, Kind, Question, Sources, LAWS};
use crate::QuizError;
use dengbao_types::Citation;

pub const REVIEW_FILE: &str = "data/training/questions.toml";
pub const REVIEW_TOML: &str = include_str!("../../../../data/training/questions.toml");

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    #[serde(default)]
    pub retire: Vec<Retire>,
    #[serde(default)]
    pub edit: Vec<Edit>,
    #[serde(default)]
    pub add: Vec<Added>,
    /// The file's name, for errors.
    #[serde(skip)]
    pub file: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retire {
    pub id: String,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    pub id: String,
    pub question: Option<String>,
    pub question_en: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Added {
    pub id: String,
    pub law: String,
    /// The version whose text `answer_in_text` quotes; the question is asked only while
    /// that version is the one quizzed.
    pub version: String,
    pub article: u32,
    pub paragraph: Option<u32>,
    pub item: Option<u32>,
    pub question: String,
    pub question_en: String,
    pub answer: String,
    pub answer_en: String,
    pub distractors: Vec<String>,
    pub distractors_en: Vec<String>,
    /// Words of the cited text that contain `answer`.
    pub answer_in_text: String,
}

impl Review {
    pub fn parse(file: &str, text: &str) -> Result<Review, QuizError> {
        let mut r: Review = toml::from_str(text).map_err(|e| QuizError::Review {
            file: file.to_string(),
            message: format!("无法读取 / cannot be read: {e}"),
        })?;
        r.file = file.to_string();
        Ok(r)
    }

    /// The generated questions with the retirements and edits applied, then the added ones.
    pub(crate) fn apply(
        &self,
        src: &Sources<'_>,
        mut qs: Vec<Question>,
    ) -> Result<Vec<Question>, QuizError> {
        let bad = |message: String| QuizError::Review {
            file: self.file.clone(),
            message,
        };
        for r in &self.retire {
            if r.reason.trim().is_empty() {
                return Err(bad(format!(
                    "[[retire]] {}：缺少 reason / reason is missing",
                    r.id
                )));
            }
            let before = qs.len();
            qs.retain(|q| q.id != r.id);
            if qs.len() == before && expected(src, &r.id) {
                return Err(bad(format!(
                    "[[retire]] {}：没有这个 id 的题目 / no question has this id",
                    r.id
                )));
            }
        }
        for e in &self.edit {
            if e.reason.trim().is_empty() {
                return Err(bad(format!(
                    "[[edit]] {}：缺少 reason / reason is missing",
                    e.id
                )));
            }
            match qs.iter_mut().find(|q| q.id == e.id) {
                Some(q) => {
                    if let Some(t) = &e.question {
                        q.question = t.clone();
                    }
                    if let Some(t) = &e.question_en {
                        q.question_en = t.clone();
                    }
                }
                None if expected(src, &e.id) => {
                    return Err(bad(format!(
                        "[[edit]] {}：没有这个 id 的题目 / no question has this id",
                        e.id
                    )))
                }
                None => {}
            }
        }
        for a in &self.add {
            if let Some(q) = added(src, a).map_err(|m| bad(format!("[[add]] {}：{m}", a.id)))? {
                if qs.iter().any(|o| o.id == q.id) {
                    return Err(bad(format!(
                        "[[add]] {}：id 已被使用 / id already used",
                        a.id
                    )));
                }
                qs.push(q);
            }
        }
        Ok(qs)
    }
}

/// Whether a generated question with this id must exist in a bank for `src`'s date: its
/// id names a version (`kind.law.version.…`); a question of another version of the law
/// (the bank of another date) is simply absent. Case questions use the case's date, so
/// they always exist.
fn expected(src: &Sources<'_>, id: &str) -> bool {
    let parts: Vec<&str> = id.split('.').collect();
    match parts[..] {
        ["case-article", ..] => true,
        [_, law, version, ..] => src.version(law).is_none_or(|(v, _)| v == version),
        _ => true,
    }
}

/// A reviewer's question, checked: its law and version exist, the cited place exists,
/// the quoted words are there and contain the answer. `None` when its version is not the
/// one quizzed on the bank's date.
fn added(src: &Sources<'_>, a: &Added) -> Result<Option<Question>, String> {
    if !LAWS.contains(&a.law.as_str()) {
        return Err(format!(
            "law = \"{}\"：只能是 csl 或 mlps / must be csl or mlps",
            a.law
        ));
    }
    let law = src
        .corpus
        .law(&a.law)
        .ok_or_else(|| format!("law = \"{}\"：语料中没有 / not in the corpus", a.law))?;
    let v = law.version(&a.version).ok_or_else(|| {
        format!(
            "version = \"{}\"：{} 没有这个版本 / {} has no such version",
            a.version, a.law, a.law
        )
    })?;
    let citation = Citation {
        paragraph: a.paragraph,
        item: a.item,
        ..Citation::article(&a.law, a.article)
    };
    let (at, _) = place(a.article, a.paragraph, a.item);
    let text = cited_text(&v.statute, &citation)
        .ok_or_else(|| format!("{at}：该版本中没有 / not in this version"))?;
    let quoted = squeeze(&a.answer_in_text);
    if !quoted.contains(&squeeze(&a.answer)) {
        return Err("answer_in_text 不包含 answer / answer_in_text does not contain answer".into());
    }
    if !text.contains(&quoted) {
        return Err(format!(
            "answer_in_text：{at} 中没有这段文字 / these words are not in the cited text"
        ));
    }
    if a.distractors.is_empty() || a.distractors.len() != a.distractors_en.len() {
        return Err("distractors 与 distractors_en 须一一对应且不为空 / distractors and distractors_en must pair up and not be empty".into());
    }
    let mut seen = vec![a.answer.clone()];
    for d in &a.distractors {
        if seen.contains(d) {
            return Err(format!("distractors：「{d}」重复 / repeated"));
        }
        seen.push(d.clone());
    }
    if src.version(&a.law).is_some_and(|(cur, _)| cur != a.version) {
        return Ok(None);
    }
    let mut q = assemble(
        a.id.clone(),
        Kind::Added,
        &a.law,
        &a.version,
        (a.question.clone(), a.question_en.clone()),
        (a.answer.clone(), a.answer_en.clone()),
        a.distractors
            .iter()
            .cloned()
            .zip(a.distractors_en.iter().cloned())
            .collect(),
        citation,
    );
    q.answer_in_text = Some(a.answer_in_text.clone());
    Ok(Some(q))
}
