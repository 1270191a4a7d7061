//! Scoring an attempt: the answers given (question id → chosen index) against the bank's
//! keys. Every question is right or wrong; a wrong one carries the right choice and its
//! citation, so the learner can read the article. Storing attempts is later work.

use std::collections::BTreeMap;

use dengbao_types::Citation;
use serde::Serialize;

use super::Question;

/// One question's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub id: String,
    /// The index chosen; `None` when left unanswered.
    pub given: Option<usize>,
    pub right: bool,
    pub answer: usize,
    /// The article to read again: only for a wrong (or missing) answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,
}

/// An attempt's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attempt {
    pub total: usize,
    pub correct: usize,
    pub outcomes: Vec<Outcome>,
}

/// Scores `answers` for `questions` (the quiz as it was asked); an answer to a question not
/// in the quiz is ignored, a question without an answer is wrong.
pub fn score(questions: &[&Question], answers: &BTreeMap<String, usize>) -> Attempt {
    let outcomes: Vec<Outcome> = questions
        .iter()
        .map(|q| {
            let given = answers.get(&q.id).copied();
            let right = given == Some(q.answer);
            Outcome {
                id: q.id.clone(),
                given,
                right,
                answer: q.answer,
                citation: (!right).then(|| q.citation.clone()),
            }
        })
        .collect();
    Attempt {
        total: outcomes.len(),
        correct: outcomes.iter().filter(|o| o.right).count(),
        outcomes,
    }
}
