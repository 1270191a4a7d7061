//! Search quality on the shipped question set (data/search/questions.toml).

mod common;

use dengbao_search::{evaluate, QuestionSet, SearchIndex};

#[test]
fn recall_at_5_on_the_question_set_is_at_least_0_9() {
    let index = SearchIndex::build(common::seed_docs()).expect("index builds");
    let set = QuestionSet::builtin().expect("question set parses");
    assert!(set.question.len() >= 40, "at least 40 questions");
    let report = evaluate(&index, &set).expect("eval runs");
    for f in &report.failures {
        eprintln!("MISS {} expected {:?} got {:?}", f.q, f.expected, f.got);
    }
    eprintln!(
        "questions {} Recall@5 {:.3} MRR {:.3}",
        report.questions, report.recall_at_5, report.mrr
    );
    assert!(
        report.recall_at_5 >= 0.9,
        "Recall@5 {:.3} < 0.9",
        report.recall_at_5
    );
}
