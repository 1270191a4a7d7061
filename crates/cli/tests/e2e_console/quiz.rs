//! A law quiz taken in the browser (issue 15, decision 1503): the operator opens the quiz
//! page from the network's training page, starts a 5-question quiz on the Cybersecurity
//! Law, answers three right and two wrong (the keys read from the question bank the CLI's
//! `dengbao training quiz` draws from, by the ids the page shows), submits, and sees 3 / 5,
//! each right answer with its citation linked to the law reader, and the attempt listed — on
//! the page and by the API, with a token the operator makes on the tokens page.

use fantoccini::Locator;

use crate::harness::{Browser, Driver, Server, Shots};
use crate::{
    create_network, create_user, msg, setup_and_sign_in, sign_in, OPERATOR_A, ORG_A, PASSWORD,
};

pub async fn take(op: &Browser, base: &str, net: &str) {
    op.go(&format!("/networks/{net}/training")).await;
    op.click(Locator::Id("to-quiz")).await;
    op.see(Locator::Id("page-title"), &msg("zh-CN", "quiz.open"))
        .await;
    op.el(Locator::Id("attempts-none")).await;
    op.fill("quiz-count", "5").await;
    op.select("quiz-law", "csl").await;
    op.click(Locator::Id("quiz-start")).await;
    op.el(Locator::Id("answers-form")).await;

    let items =
        op.c.find_all(Locator::Css("#quiz-questions li[data-question]"))
            .await
            .expect("the questions");
    let mut ids = Vec::new();
    for li in items {
        ids.push(
            li.attr("data-question")
                .await
                .ok()
                .flatten()
                .expect("an id"),
        );
    }
    assert_eq!(ids.len(), 5, "{ids:?}");
    let today = dengbao_duties::date_of(jiff::Timestamp::now());
    let bank = dengbao_training::Bank::build(today).expect("the question bank");
    for (n, id) in ids.iter().enumerate() {
        assert!(id.contains(".csl."), "a CSL question: {id}");
        let q = bank.get(id).expect("the page's question is in the bank");
        let pick = if n < 3 {
            q.answer
        } else {
            (q.answer + 1) % q.choices.len()
        };
        op.click(Locator::Css(&format!(
            "li[data-question='{id}'] input[value='{pick}']"
        )))
        .await;
    }
    op.shot("quiz-questions").await;
    op.click(Locator::Id("answers-submit")).await;

    let score = op.see(Locator::Id("quiz-score"), "3 / 5").await;
    assert!(score.contains(&msg("zh-CN", "quiz.score")), "{score:?}");
    let wrong =
        op.c.find_all(Locator::Css("#quiz-results li.wrong"))
            .await
            .expect("the results");
    assert_eq!(wrong.len(), 2);
    // Each key cites its article, linked to the law reader.
    let link = op.el(Locator::Css("#quiz-results li a.cite")).await;
    let href = link.attr("href").await.ok().flatten().expect("a link");
    assert!(href.starts_with("/law/csl/"), "{href}");
    let text = link.text().await.expect("the citation");
    assert!(text.starts_with("《网络安全法》第"), "{text}");
    op.see(Locator::Id("quiz-attempts"), "3 / 5").await;
    op.shot("quiz-result").await;

    // The citation opens the article in the law reader.
    op.click(Locator::Css("#quiz-results li a.cite")).await;
    assert!(op.path().await.starts_with("/law/csl/"));

    // The same attempt through the API.
    op.go("/tokens").await;
    op.fill("token-label", "测验核对").await;
    op.click(Locator::Id("token-submit")).await;
    let token = op.see(Locator::Id("token-value"), "").await;
    let token = token.trim().to_string();
    let base = base.to_string();
    let attempts = tokio::task::spawn_blocking(move || {
        let get = |path: &str| -> serde_json::Value {
            let mut reply = ureq::get(&format!("{base}{path}"))
                .header("Authorization", &format!("Bearer {token}"))
                .call()
                .unwrap_or_else(|e| panic!("GET {path}: {e}"));
            let text = reply.body_mut().read_to_string().expect("a body");
            serde_json::from_str(&text).expect("JSON")
        };
        let orgs = get("/api/organisations");
        let org = orgs[0]["id"].as_str().expect("the operator's organisation");
        get(&format!("/api/organisations/{org}/quiz-attempts"))
    })
    .await
    .expect("the API call");
    let list = attempts.as_array().expect("a list");
    assert_eq!(list.len(), 1, "{attempts}");
    assert_eq!(list[0]["correct"], 3);
    assert_eq!(list[0]["questions"], 5);
    assert_eq!(list[0]["law"], "csl");
}

/// A law quiz taken in the browser on its own (`cargo test --test e2e_console quiz`): the
/// setup, an operator and a network, then e2e_console/quiz.rs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quiz_taken_in_chromium() {
    let Some(tools) = crate::harness::tools_or_skip() else {
        return;
    };
    let server = Server::start();
    let driver = Driver::start(&tools);
    let shots = Shots::new();
    let admin = Browser::open(&driver, &server, &shots).await;
    setup_and_sign_in(&admin, &server).await;
    create_user(&admin, OPERATOR_A, "operator", Some(ORG_A)).await;
    let op = Browser::open(&driver, &server, &shots).await;
    sign_in(&op, OPERATOR_A, PASSWORD).await;
    let net = create_network(&op).await;
    take(&op, &server.base, &net).await;
    for b in [admin, op] {
        b.close().await;
    }
}
