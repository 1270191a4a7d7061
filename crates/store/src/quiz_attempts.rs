//! Quiz attempts (测验记录, decision 1503): a quiz drawn from the question bank of
//! decision 1501 is stored when started (its questions' stable ids, in order, with the seed
//! and bank date that drew them) and scored once when submitted. The store keeps what it is
//! given; the caller (the server) scores from the bank, so a client never says what is
//! right. Both steps are audited as `training.quiz`; every read and write names the
//! organisation, so one organisation never sees or submits another's attempt.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{AuditRecord, WriteTx};
use crate::error::{Result, StoreError};
use crate::{now_rfc3339, secret, Store};

/// What starting an attempt records.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct QuizStart {
    /// The person taking it (the organisation's staff), if named.
    pub staff_id: Option<String>,
    /// `csl`, `mlps` or none (both).
    pub law: Option<String>,
    pub seed: i64,
    /// The bank's date, `YYYY-MM-DD`.
    pub bank_date: String,
    /// The questions asked, in order.
    pub question_ids: Vec<String>,
}

/// One question of an attempt.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct QuizAnswer {
    pub question_id: String,
    /// The chosen index; `None` before submitting or when left unanswered.
    pub chosen: Option<i64>,
    /// The bank's verdict once submitted.
    pub correct: Option<bool>,
}

/// A stored attempt.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct QuizAttempt {
    pub id: String,
    pub org_id: String,
    pub staff_id: Option<String>,
    /// The person's name when `staff_id` is set.
    pub staff_name: Option<String>,
    pub actor: String,
    pub law: Option<String>,
    pub seed: i64,
    pub bank_date: String,
    pub questions: i64,
    /// Right answers; `None` until submitted.
    pub correct: Option<i64>,
    pub started_at: String,
    pub submitted_at: Option<String>,
    pub answers: Vec<QuizAnswer>,
}

fn attempt_of(r: &AnyRow, answers: Vec<QuizAnswer>) -> Result<QuizAttempt> {
    Ok(QuizAttempt {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        staff_id: r.try_get("staff_id")?,
        staff_name: r.try_get("staff_name")?,
        actor: r.try_get("actor")?,
        law: r.try_get("law")?,
        seed: r.try_get("seed")?,
        bank_date: r.try_get("bank_date")?,
        questions: r.try_get("questions")?,
        correct: r.try_get("correct")?,
        started_at: r.try_get("started_at")?,
        submitted_at: r.try_get("submitted_at")?,
        answers,
    })
}

const SELECT: &str = "SELECT q.*, s.name AS staff_name FROM quiz_attempts q \
                      LEFT JOIN staff s ON s.id = q.staff_id";

impl Store {
    /// Stores a started attempt of the organisation.
    pub async fn start_quiz(
        &self,
        actor: &str,
        org_id: &str,
        start: QuizStart,
    ) -> Result<QuizAttempt> {
        let org = self.get_org(org_id).await?;
        crate::staff::day("bank_date", &start.bank_date)?;
        if start.question_ids.is_empty() {
            return Err(StoreError::invalid(
                "question_ids",
                "测验至少要有一道题 / a quiz has at least one question",
            ));
        }
        if let Some(law) = &start.law {
            crate::text::name("law", law, 40)?;
        }
        let staff_id = start
            .staff_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        let mut w = WriteTx::begin(self).await?;
        if let Some(s) = &staff_id {
            let of: Option<String> = sqlx::query("SELECT org_id FROM staff WHERE id = $1")
                .bind(s)
                .fetch_optional(&mut *w.tx)
                .await?
                .map(|r| r.try_get("org_id"))
                .transpose()?;
            if of.as_deref() != Some(org.id.as_str()) {
                return Err(StoreError::invalid(
                    "staff_id",
                    format!("本单位没有人员 {s} / no person {s} in this organisation"),
                ));
            }
        }
        let id = secret::new_id()?;
        let started_at = now_rfc3339();
        sqlx::query(
            "INSERT INTO quiz_attempts (id, org_id, staff_id, actor, law, seed, bank_date, \
             questions, correct, started_at, submitted_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, NULL)",
        )
        .bind(&id)
        .bind(&org.id)
        .bind(&staff_id)
        .bind(actor)
        .bind(&start.law)
        .bind(start.seed)
        .bind(&start.bank_date)
        .bind(start.question_ids.len() as i64)
        .bind(&started_at)
        .execute(&mut *w.tx)
        .await?;
        for (i, q) in start.question_ids.iter().enumerate() {
            sqlx::query(
                "INSERT INTO quiz_attempt_answers (attempt_id, position, question_id, chosen, \
                 correct) VALUES ($1, $2, $3, NULL, NULL)",
            )
            .bind(&id)
            .bind(i as i64)
            .bind(q)
            .execute(&mut *w.tx)
            .await?;
        }
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org.id.clone()),
            action: "training.quiz".into(),
            target: format!("quiz:{id}"),
            detail: serde_json::json!({
                "step": "start", "staff": staff_id, "law": start.law, "seed": start.seed,
                "bank_date": start.bank_date, "questions": start.question_ids,
            }),
        })
        .await?;
        self.quiz_attempt(&org.id, &id).await
    }

    /// One attempt of the organisation; another organisation's is "not found".
    pub async fn quiz_attempt(&self, org_id: &str, id: &str) -> Result<QuizAttempt> {
        let row = sqlx::query(&format!("{SELECT} WHERE q.id = $1 AND q.org_id = $2"))
            .bind(id)
            .bind(org_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found("quiz attempt", id))?;
        let answers = self.quiz_answers(id).await?;
        attempt_of(&row, answers)
    }

    async fn quiz_answers(&self, id: &str) -> Result<Vec<QuizAnswer>> {
        let rows = sqlx::query(
            "SELECT question_id, chosen, correct FROM quiz_attempt_answers \
             WHERE attempt_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(QuizAnswer {
                    question_id: r.try_get("question_id")?,
                    chosen: r.try_get("chosen")?,
                    correct: r.try_get::<Option<i64>, _>("correct")?.map(|c| c == 1),
                })
            })
            .collect()
    }

    /// Records the scored answers of a started attempt: `verdicts` holds, for each question
    /// in the order asked, the chosen index and whether the bank says it is right. An
    /// attempt is submitted once; a second submission is refused as a conflict.
    pub async fn submit_quiz(
        &self,
        actor: &str,
        org_id: &str,
        id: &str,
        verdicts: &[(Option<i64>, bool)],
    ) -> Result<QuizAttempt> {
        let attempt = self.quiz_attempt(org_id, id).await?;
        if attempt.submitted_at.is_some() {
            return Err(StoreError::Conflict {
                what: "submission of quiz attempt",
                value: id.to_string(),
            });
        }
        if verdicts.len() != attempt.answers.len() {
            return Err(StoreError::invalid(
                "answers",
                format!(
                    "应有 {} 道题的答案，收到 {} / expected answers to {} questions, got {}",
                    attempt.answers.len(),
                    verdicts.len(),
                    attempt.answers.len(),
                    verdicts.len()
                ),
            ));
        }
        let correct = verdicts.iter().filter(|v| v.1).count() as i64;
        let submitted_at = now_rfc3339();
        let mut w = WriteTx::begin(self).await?;
        // The guard on submitted_at makes two racing submissions record only one.
        let done = sqlx::query(
            "UPDATE quiz_attempts SET correct = $1, submitted_at = $2 \
             WHERE id = $3 AND org_id = $4 AND submitted_at IS NULL",
        )
        .bind(correct)
        .bind(&submitted_at)
        .bind(id)
        .bind(org_id)
        .execute(&mut *w.tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict {
                what: "submission of quiz attempt",
                value: id.to_string(),
            });
        }
        for (i, (chosen, right)) in verdicts.iter().enumerate() {
            sqlx::query(
                "UPDATE quiz_attempt_answers SET chosen = $1, correct = $2 \
                 WHERE attempt_id = $3 AND position = $4",
            )
            .bind(*chosen)
            .bind(i64::from(*right))
            .bind(id)
            .bind(i as i64)
            .execute(&mut *w.tx)
            .await?;
        }
        w.commit(AuditRecord {
            actor: actor.to_string(),
            org_id: Some(org_id.to_string()),
            action: "training.quiz".into(),
            target: format!("quiz:{id}"),
            detail: serde_json::json!({
                "step": "submit", "correct": correct, "questions": attempt.questions,
                "chosen": verdicts.iter().map(|v| v.0).collect::<Vec<_>>(),
            }),
        })
        .await?;
        self.quiz_attempt(org_id, id).await
    }

    /// The organisation's attempts, latest first (answers included).
    pub async fn list_quiz_attempts(&self, org_id: &str) -> Result<Vec<QuizAttempt>> {
        let rows = sqlx::query(&format!(
            "{SELECT} WHERE q.org_id = $1 ORDER BY q.started_at DESC, q.id"
        ))
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: String = r.try_get("id")?;
            let answers = self.quiz_answers(&id).await?;
            out.push(attempt_of(r, answers)?);
        }
        Ok(out)
    }
}
