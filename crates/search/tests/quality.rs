//! Search quality on the shipped question set (data/search/questions.toml), over the
//! shipped corpus.

use dengbao_corpus::Corpus;
use dengbao_search::{evaluate, QuestionSet, SearchIndex};

#[test]
fn recall_at_5_on_the_question_set_is_at_least_0_9() {
    let corpus = Corpus::load().expect("corpus loads");
    let index = SearchIndex::from_corpus(&corpus).expect("index builds");
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

#[test]
fn every_answer_in_the_question_set_is_an_article_of_the_corpus() {
    let corpus = Corpus::load().expect("corpus loads");
    let set = QuestionSet::builtin().expect("question set parses");
    for q in &set.question {
        for a in &q.answers {
            let (law, n) = a.split_once(' ').expect("`law article`");
            let n: u32 = n.parse().expect("article number");
            assert!(
                corpus.article(law, n, None).is_some(),
                "{}: {a} not in corpus",
                q.q
            );
        }
    }
}
