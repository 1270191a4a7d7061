//! Search quality on a question set: Recall@5 and MRR.
//!
//! Recall@5 of a question = the share of its answer articles found among the first five
//! hits; the set's Recall@5 is the mean over questions. MRR = mean of 1/rank of the first
//! answer article (0 when none is in the first ten).

use serde::{Deserialize, Serialize};

use crate::{SearchError, SearchIndex};

/// How many hits count for recall.
pub const K: usize = 5;
/// How deep the reciprocal rank looks.
pub const MRR_DEPTH: usize = 10;

/// One practitioner question and the articles that answer it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// The question as a practitioner asks it.
    pub q: String,
    /// Answer articles as `law article`, e.g. `csl 21`, `mlps 20`.
    pub answers: Vec<String>,
    /// Where the answer is read in the seeds (seed file + article, item).
    pub source: String,
}

/// The question set (data/search/questions.toml).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionSet {
    pub question: Vec<Question>,
}

/// A question whose answers were not all in the first five hits.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub q: String,
    pub expected: Vec<String>,
    pub missing: Vec<String>,
    /// The first five hits, as `law article`.
    pub got: Vec<String>,
}

/// Recall@5 and MRR over a question set, with the failures.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub questions: usize,
    pub recall_at_5: f64,
    pub mrr: f64,
    pub failures: Vec<Failure>,
}

impl QuestionSet {
    /// Parses a question file; `file` names it in errors.
    pub fn from_toml(text: &str, file: &str) -> Result<QuestionSet, SearchError> {
        let set: QuestionSet = toml::from_str(text).map_err(|e| SearchError::Data {
            file: file.to_string(),
            message: e.to_string(),
        })?;
        for (i, q) in set.question.iter().enumerate() {
            if q.q.trim().is_empty() || q.answers.is_empty() {
                return Err(SearchError::Data {
                    file: file.to_string(),
                    message: format!("question {}: `q` and `answers` must not be empty", i + 1),
                });
            }
            for a in &q.answers {
                if parse_answer(a).is_none() {
                    return Err(SearchError::Data {
                        file: file.to_string(),
                        message: format!(
                            "question {} ({}): answer `{a}` is not `law article`, e.g. `csl 21`",
                            i + 1,
                            q.q
                        ),
                    });
                }
            }
        }
        Ok(set)
    }

    /// The set shipped in the binary.
    pub fn builtin() -> Result<QuestionSet, SearchError> {
        QuestionSet::from_toml(crate::QUESTIONS, "data/search/questions.toml")
    }
}

/// `csl 21` → ("csl", 21).
fn parse_answer(s: &str) -> Option<(String, u32)> {
    let mut parts = s.split_whitespace();
    let law = parts.next()?;
    let article = parts.next()?.parse().ok()?;
    parts.next().is_none().then(|| (law.to_string(), article))
}

fn label(law: &str, article: u32) -> String {
    format!("{law} {article}")
}

/// Runs every question of `set` against `index`.
pub fn evaluate(index: &SearchIndex, set: &QuestionSet) -> Result<EvalReport, SearchError> {
    let mut recall_sum = 0.0;
    let mut rr_sum = 0.0;
    let mut failures = Vec::new();
    for q in &set.question {
        let hits = index.search(&q.q, MRR_DEPTH)?;
        let got: Vec<String> = hits.iter().map(|h| label(&h.law, h.article)).collect();
        let expected: Vec<String> = q
            .answers
            .iter()
            .filter_map(|a| parse_answer(a))
            .map(|(l, n)| label(&l, n))
            .collect();
        let top: Vec<&String> = got.iter().take(K).collect();
        let missing: Vec<String> = expected
            .iter()
            .filter(|e| !top.contains(e))
            .cloned()
            .collect();
        recall_sum += (expected.len() - missing.len()) as f64 / expected.len().max(1) as f64;
        if let Some(rank) = got.iter().position(|g| expected.contains(g)) {
            rr_sum += 1.0 / (rank + 1) as f64;
        }
        if !missing.is_empty() {
            failures.push(Failure {
                q: q.q.clone(),
                expected,
                missing,
                got: top.into_iter().cloned().collect(),
            });
        }
    }
    let n = set.question.len().max(1) as f64;
    Ok(EvalReport {
        questions: set.question.len(),
        recall_at_5: recall_sum / n,
        mrr: rr_sum / n,
        failures,
    })
}
