//! Taking a quiz from the law (decision 1503), under a network's training page: start one
//! (how many questions, which law, who takes it), answer with radio buttons, submit, and see
//! the score, each right answer and its citation linked to the law reader; below, the
//! organisation's past attempts. Drawing and scoring are the API's own functions, so the
//! page and the API score alike, from the bank, never from the form.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use crate::form::Form;
use dengbao_server::auth::{role_may, EditNetwork, Need, Read};
use dengbao_server::routes::quizzes::{
    questions_of, result_of, start_quiz, submit_quiz, NewQuiz, QuestionResult,
};
use dengbao_server::AppState;
use dengbao_store::{QuizAttempt, StaffMember, StoreError};

use crate::guard::{NetPage, PageResult};
use crate::pages::emergency::refused;
use crate::pages::{form_value, redirect, render};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/networks/{id}/training/quiz", get(page).post(start))
        .route("/networks/{id}/training/quiz/answers", post(submit))
}

/// A question as the page asks it, in the page's language.
struct Asked {
    id: String,
    question: String,
    choices: Vec<String>,
}

/// A question's result as the page shows it.
struct Shown {
    question: String,
    chosen: String,
    answer: String,
    correct: bool,
    citation: String,
    href: String,
}

#[derive(Template)]
#[template(path = "network/quiz.html")]
struct PageTpl {
    c: crate::ctx::Ctx,
    network_id: String,
    network: String,
    staff: Vec<StaffMember>,
    may_take: bool,
    /// The attempt opened (`?attempt=`), with its questions or its results.
    attempt: Option<QuizAttempt>,
    asked: Vec<Asked>,
    shown: Vec<Shown>,
    attempts: Vec<QuizAttempt>,
}

impl PageTpl {
    /// Who took an attempt: the person named, else the signed-in user.
    fn who(&self, a: &QuizAttempt) -> String {
        a.staff_name.clone().unwrap_or_else(|| a.actor.clone())
    }
    fn law_label(&self, a: &QuizAttempt) -> String {
        let key = match a.law.as_deref() {
            Some("csl") => "quiz.law_csl",
            Some("mlps") => "quiz.law_mlps",
            _ => "quiz.law_both",
        };
        self.c.t.s(key).to_string()
    }
    /// A date (the day part of the submission or start time).
    fn day(&self, a: &QuizAttempt) -> String {
        let at = a.submitted_at.as_deref().unwrap_or(&a.started_at);
        at.get(..10).unwrap_or(at).to_string()
    }
}

#[derive(Deserialize)]
struct PageQuery {
    #[serde(default)]
    attempt: Option<String>,
}

/// Ａ–Ｄ in Chinese, A–D in English (decision 1501).
fn letter(i: usize, en: bool) -> String {
    let base = if en { 'A' } else { 'Ａ' };
    char::from_u32(base as u32 + i as u32)
        .map(String::from)
        .unwrap_or_default()
}

fn shown(r: QuestionResult, en: bool) -> Shown {
    let (question, choices, citation) = if en {
        (r.question_en, r.choices_en, r.citation_en)
    } else {
        (r.question, r.choices, r.citation)
    };
    let pick = |i: usize| {
        format!(
            "{}. {}",
            letter(i, en),
            choices.get(i).cloned().unwrap_or_default()
        )
    };
    Shown {
        question,
        chosen: r.chosen.map(pick).unwrap_or_else(|| "—".into()),
        answer: pick(r.answer),
        correct: r.correct,
        citation,
        href: r.href,
    }
}

async fn page(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
    page: NetPage<Read>,
) -> PageResult {
    let c = page.c.clone();
    let en = c.lang.is_en();
    let net = state.store.get_network(&page.network_id).await?;
    let attempt = match q.attempt.as_deref().filter(|a| !a.is_empty()) {
        Some(id) => Some(state.store.quiz_attempt(&page.org_id, id).await?),
        None => None,
    };
    let (mut asked, mut shown_rows) = (Vec::new(), Vec::new());
    if let Some(a) = &attempt {
        let questions = questions_of(a).await?;
        if a.submitted_at.is_some() {
            for (qn, ans) in questions.iter().zip(&a.answers) {
                let chosen = ans.chosen.and_then(|x| usize::try_from(x).ok());
                shown_rows.push(shown(result_of(qn, chosen)?, en));
            }
        } else {
            asked = questions
                .into_iter()
                .map(|qn| Asked {
                    id: qn.id,
                    question: if en { qn.question_en } else { qn.question },
                    choices: if en { qn.choices_en } else { qn.choices },
                })
                .collect();
        }
    }
    render(&PageTpl {
        network_id: net.id.clone(),
        network: net.profile.name.clone(),
        staff: state.store.list_staff(&page.org_id).await?,
        may_take: role_may(page.principal.role, Need::EditNetwork),
        attempt,
        asked,
        shown: shown_rows,
        attempts: state.store.list_quiz_attempts(&page.org_id).await?,
        c,
    })
}

async fn start(
    State(state): State<AppState>,
    page: NetPage<EditNetwork>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |k: &str| form_value(&fields, k);
    let count = get("count").trim().parse::<usize>().map_err(|_| {
        refused(
            &page.c,
            "quiz",
            StoreError::invalid("count", "须为 1 至 50 的整数 / a whole number from 1 to 50"),
        )
    })?;
    let input = NewQuiz {
        count,
        law: Some(get("law")).filter(|l| !l.trim().is_empty()),
        staff_id: Some(get("staff_id")).filter(|s| !s.trim().is_empty()),
        seed: None,
    };
    let (attempt, _) = start_quiz(&state, &page.actor(), &page.org_id, input).await?;
    redirect(&format!(
        "/networks/{}/training/quiz?attempt={}",
        page.network_id, attempt.id
    ))
}

async fn submit(
    State(state): State<AppState>,
    page: NetPage<EditNetwork>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let id = form_value(&fields, "attempt");
    // Radio groups are named `q:<question id>`; the value is the chosen index.
    let answers: BTreeMap<String, usize> = fields
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("q:")?.to_string(), v.parse().ok()?)))
        .collect();
    submit_quiz(&state, &page.actor(), &page.org_id, &id, &answers).await?;
    redirect(&format!(
        "/networks/{}/training/quiz?attempt={id}#result",
        page.network_id
    ))
}
