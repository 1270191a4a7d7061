//! Data-driven: the facts of tests/known_answers.toml are each asked by the bank of their
//! date, at their place, with their key.

use dengbao_training::{Bank, Kind};
use serde::Deserialize;

#[derive(Deserialize)]
struct Fact {
    what: String,
    date: jiff::civil::Date,
    law: String,
    article: u32,
    paragraph: Option<u32>,
    item: Option<u32>,
    key: String,
}

#[derive(Deserialize)]
struct Facts {
    fact: Vec<Fact>,
}

#[test]
fn every_known_fact_is_asked_with_its_key() {
    let facts: Facts =
        toml::from_str(include_str!("known_answers.toml")).expect("known_answers.toml");
    assert!(facts.fact.len() >= 5);
    for f in &facts.fact {
        let bank = Bank::build(f.date).expect("bank");
        let asked = bank.questions().iter().any(|q| {
            q.kind == Kind::Cloze
                && q.law == f.law
                && q.citation.article == f.article
                && q.citation.paragraph == f.paragraph
                && q.citation.item == f.item
                && q.choices[q.answer] == f.key
        });
        assert!(asked, "not asked: {}", f.what);
    }
}
