//! Quizzes through the API (decision 1503): a started quiz shows no key; the answers are
//! scored from the bank whatever the client believes, each key cited as 《网络安全法》第X条
//! with the law reader's address; an attempt is submitted once, listed with its score and
//! invisible to another organisation.

mod common;

use std::collections::BTreeMap;

use common::world;
use serde_json::{json, Value};

#[tokio::test]
async fn a_quiz_is_scored_from_the_bank_and_recorded_once() {
    let w = world().await;
    let quizzes = format!("/api/organisations/{}/quizzes", w.org_a);
    let r = w
        .post_json(
            &quizzes,
            "operator_a",
            json!({"count": 5, "law": "csl", "seed": 42}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let asked = r.json["questions"].as_array().unwrap().clone();
    assert_eq!(asked.len(), 5);
    // The keys stay on the server.
    for q in &asked {
        assert!(q.get("answer").is_none(), "a key was sent: {q}");
        assert!(q["id"].as_str().unwrap().contains(".csl."), "{q}");
    }
    let id = r.json["attempt"]["id"].as_str().unwrap().to_string();

    // The same seed draws the same quiz in the bank (what `dengbao training quiz --seed 42`
    // prints): answer three right and two wrong.
    let date = dengbao_duties::date_of(jiff::Timestamp::now());
    let bank = dengbao_training::Bank::build(date).unwrap();
    let drawn = bank.quiz(5, Some("csl"), 42);
    let ids: Vec<&str> = asked.iter().map(|q| q["id"].as_str().unwrap()).collect();
    assert_eq!(ids, drawn.iter().map(|q| q.id.as_str()).collect::<Vec<_>>());
    let mut answers = BTreeMap::new();
    for (n, q) in drawn.iter().enumerate() {
        let wrong = (q.answer + 1) % q.choices.len();
        answers.insert(q.id.clone(), if n < 3 { q.answer } else { wrong });
    }

    // A client's own verdict is not part of an answer: refused, nothing recorded.
    let submit = format!("{quizzes}/{id}/answers");
    let r = w
        .post_json(
            &submit,
            "operator_a",
            json!({"answers": answers, "correct": 5}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.json);
    // Another organisation's operator cannot submit it.
    let theirs = format!("/api/organisations/{}/quizzes/{id}/answers", w.org_b);
    let r = w
        .post_json(&theirs, "operator_b", json!({"answers": answers}))
        .await;
    assert_eq!(r.status, 404, "{}", r.json);

    let r = w
        .post_json(&submit, "operator_a", json!({"answers": answers}))
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["attempt"]["correct"], 3);
    let results = r.json["results"].as_array().unwrap();
    let right: Vec<bool> = results.iter().map(|x| x["correct"] == true).collect();
    assert_eq!(right, [true, true, true, false, false]);
    for (x, q) in results.iter().zip(&drawn) {
        assert_eq!(x["answer"], q.answer);
        let c = x["citation"].as_str().unwrap();
        assert!(c.starts_with("《网络安全法》第"), "{c}");
        assert_eq!(x["href"], format!("/law/csl/{}", q.citation.article), "{x}");
        assert!(
            x["citation_en"]
                .as_str()
                .unwrap()
                .contains("Cybersecurity Law"),
            "{x}"
        );
    }

    // Submitted once: the score stands.
    let all_right: BTreeMap<&str, usize> =
        drawn.iter().map(|q| (q.id.as_str(), q.answer)).collect();
    let r = w
        .post_json(&submit, "operator_a", json!({"answers": all_right}))
        .await;
    assert_eq!(r.status, 409, "{}", r.json);

    let listed = w
        .get(
            &format!("/api/organisations/{}/quiz-attempts", w.org_a),
            "auditor",
        )
        .await;
    assert_eq!(listed.status, 200);
    let one: &Value = &listed.json.as_array().unwrap()[0];
    assert_eq!(one["id"], id);
    assert_eq!(one["correct"], 3);
    assert_eq!(one["questions"], 5);
    assert_eq!(one["answers"][3]["correct"], false);
    let theirs = w
        .get(
            &format!("/api/organisations/{}/quiz-attempts", w.org_b),
            "operator_b",
        )
        .await;
    assert_eq!(theirs.json.as_array().unwrap().len(), 0, "{}", theirs.json);
}

#[tokio::test]
async fn bad_quiz_requests_name_the_field() {
    let w = world().await;
    let quizzes = format!("/api/organisations/{}/quizzes", w.org_a);
    for (body, field) in [
        (json!({"count": 0}), "count"),
        (json!({"count": 51}), "count"),
        (json!({"count": 5, "law": "pipl"}), "law"),
        (json!({"count": 5, "staff_id": "nobody"}), "staff_id"),
    ] {
        let r = w.post_json(&quizzes, "operator_a", body.clone()).await;
        assert_eq!(r.status, 422, "{body}: {}", r.json);
        assert!(r.json.to_string().contains(field), "{body}: {}", r.json);
    }
    let listed = w
        .get(
            &format!("/api/organisations/{}/quiz-attempts", w.org_a),
            "operator_a",
        )
        .await;
    assert_eq!(listed.json.as_array().unwrap().len(), 0);
}
