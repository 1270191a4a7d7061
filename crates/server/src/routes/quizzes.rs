//! Quizzes from the law (decision 1503): an organisation's people take quizzes drawn from
//! the question bank of decision 1501. Starting one stores the attempt and returns its
//! questions and choices without the keys; submitting scores the answers from the bank
//! (rebuilt for the attempt's bank date, so the same ids give the same questions) and
//! returns each key with its citation, 《网络安全法》第X条 and the law reader's address. A
//! client never says what is right. Routes are under `/api/organisations/{id}/…` like the
//! people of decision 1502, so the organisation guard isolates them: taking a quiz needs
//! `EditNetwork` (the organisation's own operator or the administrator), reading `Read`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use dengbao_store::{QuizAttempt, QuizStart, StoreError};
use dengbao_training::quiz::{law_title, law_title_en, place, LAWS};
use dengbao_training::{Bank, Question};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{EditNetwork, OrgGuard, Read};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiJson;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(start))
        .routes(routes!(submit))
        .routes(routes!(attempts))
}

/// At most this many questions in one quiz: a quiz is a sitting, not the bank.
pub const MAX_COUNT: usize = 50;

/// What starting a quiz takes.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewQuiz {
    /// How many questions, 1 to 50.
    pub count: usize,
    /// `csl` (网络安全法) or `mlps` (等级保护条例征求意见稿); both when absent.
    #[serde(default)]
    pub law: Option<String>,
    /// The person of the organisation taking it; the signed-in user when absent.
    #[serde(default)]
    pub staff_id: Option<String>,
    /// Draws a known quiz (the same as `dengbao training quiz --seed`); random when absent.
    #[serde(default)]
    pub seed: Option<u64>,
}

/// A question as asked: no key.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AskedQuestion {
    pub id: String,
    pub question: String,
    pub question_en: String,
    pub choices: Vec<String>,
    pub choices_en: Vec<String>,
}

/// A started quiz.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Quiz {
    pub attempt: QuizAttempt,
    pub questions: Vec<AskedQuestion>,
}

/// The answers: question id → chosen index (0-based); a question left out is wrong.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuizAnswers {
    pub answers: BTreeMap<String, usize>,
}

/// One question's result with its key and where the law says so.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QuestionResult {
    pub id: String,
    pub question: String,
    pub question_en: String,
    pub choices: Vec<String>,
    pub choices_en: Vec<String>,
    pub chosen: Option<usize>,
    pub correct: bool,
    /// The right choice's index.
    pub answer: usize,
    pub law: String,
    pub article: u32,
    /// 《网络安全法》第二十一条第一款 …
    pub citation: String,
    /// Article 21, paragraph 1 of the Cybersecurity Law …
    pub citation_en: String,
    /// The law reader's page of the article.
    pub href: String,
}

/// A scored attempt.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QuizResult {
    pub attempt: QuizAttempt,
    pub results: Vec<QuestionResult>,
}

/// The bank of one date, built once: building reads the whole corpus.
fn bank(date: jiff::civil::Date) -> Result<Arc<Bank>, ApiError> {
    static CACHE: OnceLock<Mutex<BTreeMap<jiff::civil::Date, Arc<Bank>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(BTreeMap::new()));
    if let Some(b) = cache.lock().ok().and_then(|c| c.get(&date).cloned()) {
        return Ok(b);
    }
    let b = Arc::new(Bank::build(date).map_err(|e| ApiError::internal(e.to_string()))?);
    if let Ok(mut c) = cache.lock() {
        c.insert(date, b.clone());
    }
    Ok(b)
}

async fn bank_for(date: jiff::civil::Date) -> Result<Arc<Bank>, ApiError> {
    tokio::task::spawn_blocking(move || bank(date))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?
}

/// A seed nobody chose: the clock's nanoseconds, kept within BIGINT.
fn fresh_seed() -> u64 {
    (jiff::Timestamp::now().as_nanosecond() as u64) & (i64::MAX as u64)
}

pub fn result_of(q: &Question, chosen: Option<usize>) -> Result<QuestionResult, ApiError> {
    let citer = dengbao_corpus::Citer::embedded().map_err(|e| ApiError::internal(e.to_string()))?;
    let c = &q.citation;
    let (at, at_en) = place(c.article, c.paragraph, c.item);
    Ok(QuestionResult {
        id: q.id.clone(),
        question: q.question.clone(),
        question_en: q.question_en.clone(),
        choices: q.choices.clone(),
        choices_en: q.choices_en.clone(),
        chosen,
        correct: chosen == Some(q.answer),
        answer: q.answer,
        law: q.law.clone(),
        article: c.article,
        citation: format!("《{}》{at}", law_title(&citer, &q.law)),
        citation_en: format!("{at_en} of the {}", law_title_en(&citer, &q.law)),
        href: format!("/law/{}/{}", q.law, c.article),
    })
}

/// Starts a quiz: the questions and choices, without the keys.
#[utoipa::path(post, path = "/api/organisations/{id}/quizzes", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path, description = "organisation id")), request_body = NewQuiz,
    responses((status = 201, body = Quiz), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn start(
    State(state): State<AppState>,
    guard: OrgGuard<EditNetwork>,
    ApiJson(input): ApiJson<NewQuiz>,
) -> ApiResult<(StatusCode, Json<Quiz>)> {
    let (attempt, questions) =
        start_quiz(&state, &guard.principal.actor(), &guard.org_id, input).await?;
    Ok((StatusCode::CREATED, Json(Quiz { attempt, questions })))
}

/// Draws and stores a quiz for the organisation (the console uses it too).
pub async fn start_quiz(
    state: &AppState,
    actor: &str,
    org_id: &str,
    input: NewQuiz,
) -> Result<(QuizAttempt, Vec<AskedQuestion>), ApiError> {
    if !(1..=MAX_COUNT).contains(&input.count) {
        return Err(StoreError::invalid(
            "count",
            format!("题数须在 1 至 {MAX_COUNT} 之间 / count must be between 1 and {MAX_COUNT}"),
        )
        .into());
    }
    let law = input
        .law
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty());
    if let Some(l) = &law {
        if !LAWS.contains(&l.as_str()) {
            return Err(StoreError::invalid(
                "law",
                format!("{l}：题库只涵盖 csl 和 mlps / quizzes cover csl and mlps"),
            )
            .into());
        }
    }
    let seed = input.seed.unwrap_or_else(fresh_seed) & (i64::MAX as u64);
    let date = dengbao_duties::date_of(jiff::Timestamp::now());
    let bank = bank_for(date).await?;
    let drawn = bank.quiz(input.count, law.as_deref(), seed);
    let attempt = state
        .store
        .start_quiz(
            actor,
            org_id,
            QuizStart {
                staff_id: input.staff_id,
                law: law.clone(),
                seed: seed as i64,
                bank_date: date.to_string(),
                question_ids: drawn.iter().map(|q| q.id.clone()).collect(),
            },
        )
        .await?;
    let questions = drawn
        .iter()
        .map(|q| AskedQuestion {
            id: q.id.clone(),
            question: q.question.clone(),
            question_en: q.question_en.clone(),
            choices: q.choices.clone(),
            choices_en: q.choices_en.clone(),
        })
        .collect();
    Ok((attempt, questions))
}

/// The questions of a stored attempt, from the bank of its date.
pub async fn questions_of(attempt: &QuizAttempt) -> Result<Vec<Question>, ApiError> {
    let date: jiff::civil::Date = attempt
        .bank_date
        .parse()
        .map_err(|e| ApiError::internal(format!("bank_date {}: {e}", attempt.bank_date)))?;
    let bank = bank_for(date).await?;
    attempt
        .answers
        .iter()
        .map(|a| {
            bank.get(&a.question_id).cloned().ok_or_else(|| {
                ApiError::internal(format!(
                    "question {} is no longer in the bank",
                    a.question_id
                ))
            })
        })
        .collect()
}

/// Submits the answers: scored from the bank, stored once, each key with its citation.
#[utoipa::path(post, path = "/api/organisations/{id}/quizzes/{quiz_id}/answers", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path, description = "organisation id"), ("quiz_id" = String, Path, description = "attempt id")),
    request_body = QuizAnswers,
    responses((status = 200, body = QuizResult), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn submit(
    State(state): State<AppState>,
    guard: OrgGuard<EditNetwork>,
    Path((_, quiz_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<QuizAnswers>,
) -> ApiResult<Json<QuizResult>> {
    Ok(Json(
        submit_quiz(
            &state,
            &guard.principal.actor(),
            &guard.org_id,
            &quiz_id,
            &input.answers,
        )
        .await?,
    ))
}

/// Scores and stores an attempt's answers (the console uses it too).
pub async fn submit_quiz(
    state: &AppState,
    actor: &str,
    org_id: &str,
    quiz_id: &str,
    answers: &BTreeMap<String, usize>,
) -> Result<QuizResult, ApiError> {
    let attempt = state.store.quiz_attempt(org_id, quiz_id).await?;
    let questions = questions_of(&attempt).await?;
    let verdicts: Vec<(Option<i64>, bool)> = questions
        .iter()
        .map(|q| {
            let given = answers.get(&q.id).copied();
            (given.map(|g| g as i64), given == Some(q.answer))
        })
        .collect();
    let attempt = state
        .store
        .submit_quiz(actor, org_id, quiz_id, &verdicts)
        .await?;
    let results = questions
        .iter()
        .map(|q| result_of(q, answers.get(&q.id).copied()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(QuizResult { attempt, results })
}

/// The organisation's quiz attempts, latest first.
#[utoipa::path(get, path = "/api/organisations/{id}/quiz-attempts", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path, description = "organisation id")),
    responses((status = 200, body = Vec<QuizAttempt>), (status = 404, body = ErrorBody)))]
async fn attempts(
    State(state): State<AppState>,
    guard: OrgGuard<Read>,
) -> ApiResult<Json<Vec<QuizAttempt>>> {
    Ok(Json(state.store.list_quiz_attempts(&guard.org_id).await?))
}
