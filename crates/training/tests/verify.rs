//! Every question of the bank — generated, edited and added — checked against the law
//! corpus, the duty catalog and the case library, re-deriving each key from the question's
//! own words and the cited text (not through the generators): the cited article exists in
//! the cited version, the key is what the article says, no distractor is also right; and a
//! question whose key is moved to a wrong choice fails the same check.

use std::collections::{BTreeMap, BTreeSet};

use dengbao_corpus::{numerals, Citer, Corpus, Statute};
use dengbao_training::quiz::REVIEW_TOML;
use dengbao_training::{score, Bank, Kind, Question};
use dengbao_types::Citation;
use jiff::civil::{date, Date};

/// A day the amended CSL is in force, and one the 2016 text was.
const AMENDED: Date = date(2026, 3, 1);
const FINAL: Date = date(2025, 6, 1);

fn bank(d: Date) -> Bank {
    Bank::build(d).expect("the shipped bank builds")
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn statute<'a>(corpus: &'a Corpus, q: &Question) -> Result<&'a Statute, String> {
    let law = corpus.law(&q.law).ok_or(format!("no law {}", q.law))?;
    let v = law
        .version(&q.version)
        .ok_or(format!("{} has no version {}", q.law, q.version))?;
    Ok(&v.statute)
}

/// The text the citation names, read here from the statute.
fn text_at(s: &Statute, c: &Citation) -> Option<String> {
    let a = s
        .articles
        .iter()
        .find(|a| a.number == c.article && a.suffix == c.suffix)?;
    let whole = format!("{}{}", a.title.clone().unwrap_or_default(), a.text);
    let Some(p) = c.paragraph else {
        return Some(squeeze(&whole));
    };
    let para = a.paragraphs.get(p as usize - 1)?;
    Some(squeeze(&match c.item {
        None => format!("{}{}", para.text, para.items.join("")),
        Some(i) => para.items.get(i as usize - 1)?.clone(),
    }))
}

fn article_words(s: &Statute, n: u32) -> Option<String> {
    let c = Citation::article("x", n);
    text_at(s, &c)
}

/// 《网络安全法》第二十一条 → 21.
fn label_number(choice: &str) -> Option<u32> {
    let tail = choice.rsplit('》').next()?;
    let inner = tail.strip_prefix('第')?.strip_suffix('条')?;
    numerals::parse(inner).and_then(|n| u32::try_from(n).ok())
}

/// The words between the question's first 「 and last 」.
fn quoted(q: &str) -> Option<&str> {
    let start = q.find('「')? + '「'.len_utf8();
    let end = q.rfind('」')?;
    q.get(start..end)
}

/// Article numbers of the choices; the key's first.
fn article_choices(q: &Question) -> Result<(u32, Vec<u32>), String> {
    let nums: Vec<u32> = q
        .choices
        .iter()
        .map(|c| label_number(c).ok_or(format!("choice {c} is not an article")))
        .collect::<Result<_, _>>()?;
    let key = nums[q.answer];
    if key != q.citation.article {
        return Err(format!(
            "key {key} is not the cited article {}",
            q.citation.article
        ));
    }
    let others = nums
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != q.answer)
        .map(|(_, n)| *n)
        .collect();
    Ok((key, others))
}

struct World {
    corpus: &'static Corpus,
    citer: Citer,
    catalog: dengbao_duties::Catalog,
    cases: dengbao_cases::Library,
}

fn world() -> World {
    World {
        corpus: Corpus::shared().expect("corpus"),
        citer: Citer::embedded().expect("citer"),
        catalog: dengbao_duties::Catalog::builtin().expect("catalog"),
        cases: dengbao_cases::Library::embedded().expect("cases"),
    }
}

/// Ok when the key is right and every distractor wrong; else what is amiss.
fn verify(w: &World, q: &Question) -> Result<(), String> {
    let s = statute(w.corpus, q)?;
    let cited = text_at(s, &q.citation).ok_or("the cited place is not in the version")?;
    if q.answer >= q.choices.len() || q.choices.len() < 3 && q.kind != Kind::Added {
        return Err("too few choices or the key is out of range".into());
    }
    let key = &q.choices[q.answer];
    let distractors: Vec<&String> = q
        .choices
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != q.answer)
        .map(|(_, c)| c)
        .collect();
    match q.kind {
        Kind::WhichArticle => {
            let words = quoted(&q.question).ok_or("no quoted words")?;
            let words = words.trim_end_matches('…');
            let (k, others) = article_choices(q)?;
            let says = |n: u32| article_words(s, n).is_some_and(|t| t.contains(words));
            if !says(k) {
                return Err(format!("article {k} does not say 「{words}」"));
            }
            if let Some(o) = others.iter().find(|n| says(**n)) {
                return Err(format!("distractor article {o} also says 「{words}」"));
            }
        }
        Kind::Cloze => {
            let passage = quoted(&q.question).ok_or("no quoted passage")?;
            let (before, after) = passage.split_once("____").ok_or("no blank")?;
            let reads = |v: &str| cited.contains(&format!("{before}{v}{after}"));
            if !reads(key) {
                return Err(format!("the article does not read 「{key}」 in the blank"));
            }
            if let Some(d) = distractors.iter().find(|d| reads(d)) {
                return Err(format!("distractor 「{d}」 also fits the article"));
            }
        }
        Kind::DutyArticle => {
            let id = q.about.as_deref().ok_or("no duty")?;
            let duty = w.catalog.duty(id).ok_or(format!("no duty {id}"))?;
            let canonical = w.citer.canonical(&q.law).ok_or("no canonical version")?;
            let cited: BTreeSet<u32> = duty
                .citations
                .iter()
                .filter(|c| c.law.as_deref() == Some(q.law.as_str()))
                .flat_map(|c| w.citer.cite_in(c, canonical, &q.version))
                .map(|c| c.article)
                .collect();
            let (k, others) = article_choices(q)?;
            if !cited.contains(&k) {
                return Err(format!("duty {id} does not cite article {k}"));
            }
            if let Some(o) = others.iter().find(|n| cited.contains(n)) {
                return Err(format!("duty {id} also cites distractor article {o}"));
            }
            if !q.question.contains(&duty.title) {
                return Err(format!("the question does not name duty {id}"));
            }
        }
        Kind::DutyLevel => {
            let id = q.about.as_deref().ok_or("no duty")?;
            let duty = w.catalog.duty(id).ok_or(format!("no duty {id}"))?;
            // The catalog's condition, read here: `level >= N` with no alternative.
            let cond = &duty.applies_when;
            let n = cond
                .split_once("level >= ")
                .and_then(|(_, r)| r.chars().next())
                .filter(|_| !cond.contains("||"))
                .ok_or(format!("duty {id} has no level floor"))?;
            let n = numerals::parse(&n.to_string()).ok_or("not a level")? as u32;
            let expected = format!("第{}级以上", numerals::to_chinese(n));
            if *key != expected {
                return Err(format!("duty {id} applies from {expected}, keyed {key}"));
            }
            if !cited.contains(key.as_str()) {
                return Err(format!("the cited article does not say {key}"));
            }
            if let Some(d) = distractors.iter().find(|d| cited.contains(d.as_str())) {
                return Err(format!("the cited article also says {d}"));
            }
        }
        Kind::CaseArticle => {
            let id = q.about.as_deref().ok_or("no case")?;
            let case = w.cases.get(id).ok_or(format!("no case {id}"))?;
            let cited: BTreeSet<u32> = case
                .citations
                .iter()
                .filter(|c| c.law.as_deref() == Some(q.law.as_str()))
                .map(|c| c.article)
                .collect();
            let (k, others) = article_choices(q)?;
            if !cited.contains(&k) {
                return Err(format!("case {id} did not apply article {k}"));
            }
            if let Some(o) = others.iter().find(|n| cited.contains(n)) {
                return Err(format!("case {id} also applied distractor article {o}"));
            }
        }
        Kind::Added => {
            let words = squeeze(q.answer_in_text.as_deref().ok_or("no answer_in_text")?);
            if !cited.contains(&words) || !words.contains(key.as_str()) {
                return Err(format!(
                    "「{words}」 with 「{key}」 is not in the cited text"
                ));
            }
            if let Some(d) = distractors
                .iter()
                .find(|d| cited.contains(&words.replacen(key.as_str(), d, 1)))
            {
                return Err(format!("distractor 「{d}」 also fits the cited text"));
            }
        }
    }
    Ok(())
}

#[test]
fn every_question_is_verified_against_the_corpus() {
    let w = world();
    for d in [AMENDED, FINAL] {
        let b = bank(d);
        let failures: Vec<String> = b
            .questions()
            .iter()
            .filter_map(|q| verify(&w, q).err().map(|e| format!("{}: {e}", q.id)))
            .collect();
        assert!(failures.is_empty(), "{d}: {}", failures.join("\n"));
    }
}

#[test]
fn a_wrong_key_fails_verification() {
    let w = world();
    let b = bank(AMENDED);
    let mut kinds = BTreeSet::new();
    for q in b.questions() {
        for wrong in (0..q.choices.len()).filter(|i| *i != q.answer) {
            let mut m = q.clone();
            m.answer = wrong;
            // A question that keys a wrong choice but cites the right article still fails.
            assert!(verify(&w, &m).is_err(), "{} keyed {wrong} passed", q.id);
        }
        kinds.insert(format!("{:?}", q.kind));
    }
    assert_eq!(kinds.len(), 6, "every kind is exercised: {kinds:?}");
}

#[test]
fn at_least_two_hundred_questions_across_csl_and_mlps() {
    for d in [AMENDED, FINAL] {
        let b = bank(d);
        let csl = b.of_law(Some("csl")).count();
        let mlps = b.of_law(Some("mlps")).count();
        assert!(csl >= 150, "{d}: csl has {csl}");
        assert!(mlps >= 150, "{d}: mlps has {mlps}");
        assert!(csl + mlps >= 200);
        assert_eq!(
            b.questions().len(),
            csl + mlps,
            "only csl and mlps are quizzed"
        );
    }
}

#[test]
fn the_version_follows_the_date() {
    let amended = bank(AMENDED);
    let old = bank(FINAL);
    let versions = |b: &Bank| -> BTreeSet<String> {
        b.of_law(Some("csl"))
            .filter(|q| q.kind != Kind::CaseArticle)
            .map(|q| q.version.clone())
            .collect()
    };
    assert_eq!(
        versions(&amended),
        BTreeSet::from(["amended-2025".to_string()])
    );
    assert_eq!(versions(&old), BTreeSet::from(["final".to_string()]));
    for q in amended.questions() {
        assert_eq!(q.citation.version.as_deref(), Some(q.version.as_str()));
    }
}

#[test]
fn questions_are_distinct_and_choices_distinct() {
    let b = bank(AMENDED);
    let mut texts = BTreeSet::new();
    let mut ids = BTreeSet::new();
    for q in b.questions() {
        assert!(texts.insert(q.question.clone()), "repeated: {}", q.question);
        assert!(ids.insert(q.id.clone()), "repeated id {}", q.id);
        let set: BTreeSet<&String> = q.choices.iter().collect();
        assert_eq!(set.len(), q.choices.len(), "{}: repeated choice", q.id);
        assert_eq!(q.choices.len(), q.choices_en.len(), "{}", q.id);
    }
}

#[test]
fn the_same_bank_every_time_and_keys_spread_over_positions() {
    let a = bank(AMENDED);
    let b = bank(AMENDED);
    assert_eq!(a.questions(), b.questions());
    let mut at: BTreeMap<usize, usize> = BTreeMap::new();
    for q in a.questions() {
        *at.entry(q.answer).or_default() += 1;
    }
    // Shuffled by id: no position holds most keys.
    let total = a.questions().len();
    assert!(at.values().all(|n| *n < total / 2), "{at:?}");
}

/// The reviewers' entries are applied: retired ids gone, edits in, additions present.
#[test]
fn the_review_file_is_applied() {
    let review: toml::Value = toml::from_str(REVIEW_TOML).expect("toml");
    let b = bank(AMENDED);
    let list = |k: &str| review[k].as_array().cloned().unwrap_or_default();
    assert!(!list("retire").is_empty() && !list("edit").is_empty() && list("add").len() >= 3);
    for r in list("retire") {
        let id = r["id"].as_str().expect("id");
        assert!(b.get(id).is_none(), "{id} is retired");
    }
    for e in list("edit") {
        let id = e["id"].as_str().expect("id");
        let q = b.get(id).expect("edited question present");
        assert_eq!(Some(q.question.as_str()), e["question"].as_str());
    }
    for a in list("add") {
        let id = a["id"].as_str().expect("id");
        let q = b.get(id).expect("added question present");
        assert_eq!(q.kind, Kind::Added);
        assert_eq!(Some(q.choices[q.answer].as_str()), a["answer"].as_str());
    }
}

#[test]
fn a_review_naming_an_unknown_question_or_a_wrong_quote_is_refused() {
    let unknown = "[[retire]]\nid = \"which-article.csl.amended-2025.999\"\nreason = \"x\"\n";
    let e = Bank::build_with(AMENDED, "t.toml", unknown).expect_err("unknown id");
    assert!(
        e.to_string().contains("which-article.csl.amended-2025.999"),
        "{e}"
    );
    let wrong = REVIEW_TOML.replace(
        "answer_in_text = \"第三级以上网络的运营者应当每年开展一次网络安全等级测评\"",
        "answer_in_text = \"第三级以上网络的运营者应当每两年开展一次网络安全等级测评\"",
    );
    assert_ne!(wrong, REVIEW_TOML);
    let e = Bank::build_with(AMENDED, "t.toml", &wrong).expect_err("misquote");
    assert!(
        e.to_string()
            .contains("added.mlps.level3-assessment-yearly"),
        "{e}"
    );
}

#[test]
fn scoring_marks_each_answer_and_cites_the_wrong_ones() {
    let b = bank(AMENDED);
    let quiz = b.quiz(10, Some("csl"), 7);
    assert_eq!(quiz.len(), 10);
    assert!(quiz.iter().all(|q| q.law == "csl"));
    assert_eq!(
        quiz.iter().map(|q| &q.id).collect::<Vec<_>>(),
        b.quiz(10, Some("csl"), 7)
            .iter()
            .map(|q| &q.id)
            .collect::<Vec<_>>(),
        "a seed gives the same quiz"
    );
    assert_ne!(
        quiz.iter().map(|q| &q.id).collect::<Vec<_>>(),
        b.quiz(10, Some("csl"), 8)
            .iter()
            .map(|q| &q.id)
            .collect::<Vec<_>>()
    );
    // A draw spreads over the law, not over one article's questions.
    for seed in 0..5 {
        let q20 = b.quiz(20, None, seed);
        let places: BTreeSet<(String, u32)> = q20
            .iter()
            .map(|q| (q.law.clone(), q.citation.article))
            .collect();
        assert!(places.len() >= 12, "seed {seed}: {places:?}");
    }
    // Right on the first five, wrong on the next four, the last unanswered.
    let mut answers = BTreeMap::new();
    for (i, q) in quiz.iter().enumerate().take(9) {
        let a = if i < 5 {
            q.answer
        } else {
            (q.answer + 1) % q.choices.len()
        };
        answers.insert(q.id.clone(), a);
    }
    let attempt = score(&quiz, &answers);
    assert_eq!((attempt.total, attempt.correct), (10, 5));
    for (i, o) in attempt.outcomes.iter().enumerate() {
        assert_eq!(o.right, i < 5);
        assert_eq!(
            o.citation.is_some(),
            i >= 5,
            "a wrong answer cites its article"
        );
    }
    assert_eq!(attempt.outcomes[9].given, None);
}
