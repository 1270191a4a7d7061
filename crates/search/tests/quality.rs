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

/// The laws added around the CSL (decision 0204) must not push an answer of a question
/// about csl or mlps out of the first five: every such question finds at least as many of
/// its answers in the full index as in an index of csl and mlps alone.
#[test]
fn the_related_laws_push_no_csl_or_mlps_answer_out_of_the_first_five() {
    let corpus = Corpus::load().expect("corpus loads");
    let full = SearchIndex::from_corpus(&corpus).expect("index builds");
    let old = SearchIndex::build(
        dengbao_search::corpus_docs(&corpus)
            .into_iter()
            .filter(|d| d.law == "csl" || d.law == "mlps"),
    )
    .expect("index builds");
    let mut set = QuestionSet::builtin().expect("question set parses");
    set.question.retain(|q| {
        q.answers
            .iter()
            .all(|a| a.starts_with("csl ") || a.starts_with("mlps "))
    });
    assert!(set.question.len() >= 40, "{} questions", set.question.len());
    let before = evaluate(&old, &set).expect("eval runs");
    let after = evaluate(&full, &set).expect("eval runs");
    eprintln!(
        "csl+mlps questions {}: Recall@5 {:.3} → {:.3}, MRR {:.3} → {:.3}",
        before.questions, before.recall_at_5, after.recall_at_5, before.mrr, after.mrr
    );
    let missing = |r: &dengbao_search::EvalReport, q: &str| -> usize {
        r.failures
            .iter()
            .find(|f| f.q == q)
            .map_or(0, |f| f.missing.len())
    };
    for q in &set.question {
        assert!(
            missing(&after, &q.q) <= missing(&before, &q.q),
            "{}: fewer answers in the first five with the related laws",
            q.q
        );
    }
}
