//! Reviewing evidence on a network's duty timeline: each item shows whether it is pending,
//! accepted, rejected or voided, and who decided when and why; a reviewer other than the
//! uploader accepts or rejects it, and anyone who may review voids it with a reason.

use axum::extract::{Path, State};
use axum::routing::post;
use axum::Router;

use crate::form::Form;
use dengbao_server::auth::ReviewEvidence;
use dengbao_server::AppState;
use dengbao_store::{Evidence, ReviewInput};

use crate::ctx::Ctx;
use crate::guard::{NetPage, PageResult};
use crate::pages::redirect;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/networks/{id}/evidence/{evidence_id}/review", post(review))
        .route("/networks/{id}/evidence/{evidence_id}/void", post(void))
}

/// A piece of evidence as the duty timeline shows it.
pub struct EvidenceRow {
    pub id: String,
    pub description: String,
    pub file_name: String,
    pub link: String,
    pub recorded: String,
    pub actor: String,
    /// pending, accepted, overridden (by a later 不符合 finding), rejected or voided: the
    /// badge's class.
    pub review: &'static str,
    pub review_label: String,
    /// Who decided, when, and why.
    pub review_note: String,
    /// This user may accept or reject it (pending, and not the uploader).
    pub can_review: bool,
    /// This user may void it.
    pub can_void: bool,
    /// A host-check report (`dengbao host report`): its host and counts in the page's
    /// language, shown instead of the stored (Chinese) description.
    pub host: Option<String>,
}

impl EvidenceRow {
    /// `may_review`: the user's role may review evidence; `me`: the user's actor name.
    pub fn of(c: &Ctx, e: &Evidence, may_review: bool, me: &str) -> EvidenceRow {
        let who =
            |actor: &str| crate::i18n::quoted(c.lang, &crate::pages::audit_rows::person(c, actor));
        let review: &'static str = match (&e.voided, e.review.as_str()) {
            (Some(_), _) => "voided",
            (None, "accepted") if e.overridden_by.is_some() => "overridden",
            (None, "accepted") => "accepted",
            (None, "rejected") => "rejected",
            _ => "pending",
        };
        let review_note = match (&e.voided, &e.reviewed_at) {
            (Some(v), _) => format!(
                "{} {}{}{}",
                c.t.when(&v.at),
                who(&v.by),
                c.t.s("audit.kv_sep"),
                crate::i18n::quoted(c.lang, &v.reason)
            ),
            (None, Some(at)) => format!(
                "{} {}{}",
                c.t.when(at),
                who(e.reviewed_by.as_deref().unwrap_or_default()),
                e.review_reason
                    .as_deref()
                    .filter(|r| !r.is_empty())
                    .map(|r| format!(
                        "{}{}",
                        c.t.s("audit.kv_sep"),
                        crate::i18n::quoted(c.lang, r)
                    ))
                    .unwrap_or_default()
            ),
            (None, None) => String::new(),
        };
        EvidenceRow {
            id: e.id.clone(),
            // The uploader's words: quoted on an English page (decision 0934).
            description: crate::i18n::quoted(c.lang, &e.description),
            file_name: crate::i18n::quoted(c.lang, e.file_name.as_deref().unwrap_or_default()),
            link: e.link.clone().unwrap_or_default(),
            recorded: c.t.when(&e.recorded_at),
            actor: who(&e.actor),
            review,
            review_label: c.t.s(&format!("evidence.{review}")).to_string(),
            review_note,
            can_review: may_review && review == "pending" && e.actor != me,
            can_void: may_review && review != "voided",
            host: None,
        }
    }
}

#[derive(serde::Deserialize)]
struct ReviewForm {
    decision: String,
    #[serde(default)]
    reason: String,
}

#[derive(serde::Deserialize)]
struct VoidForm {
    reason: String,
}

async fn review(
    State(state): State<AppState>,
    page: NetPage<ReviewEvidence>,
    Path((_, evidence_id)): Path<(String, String)>,
    Form(f): Form<ReviewForm>,
) -> PageResult {
    state
        .store
        .review_evidence(
            &page.actor(),
            &page.network_id,
            &evidence_id,
            ReviewInput {
                decision: f.decision,
                reason: f.reason,
            },
        )
        .await
        .map_err(|e| page.bad(e))?;
    redirect(&format!(
        "/networks/{}/duties#evidence-{evidence_id}",
        page.network_id
    ))
}

async fn void(
    State(state): State<AppState>,
    page: NetPage<ReviewEvidence>,
    Path((_, evidence_id)): Path<(String, String)>,
    Form(f): Form<VoidForm>,
) -> PageResult {
    state
        .store
        .void_evidence(&page.actor(), &page.network_id, &evidence_id, &f.reason)
        .await
        .map_err(|e| page.bad(e))?;
    redirect(&format!(
        "/networks/{}/duties#evidence-{evidence_id}",
        page.network_id
    ))
}
