//! Correcting and voiding a network's events from its page: each row of the events table
//! opens a small form (new date, reason); the original stays listed, struck through, with
//! the reason. Refused input (no reason, a future date, a workflow's event) is the form's
//! 422 and writes nothing.

use axum::extract::{Path, State};
use axum::routing::post;
use axum::Router;

use crate::form::Form;
use dengbao_server::auth::AddEvent;
use dengbao_server::AppState;
use dengbao_store::{CorrectionInput, NetworkEvent, VoidInput};

use crate::ctx::Ctx;
use crate::guard::{NetPage, PageResult};
use crate::pages::redirect;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/networks/{id}/events/{event_id}/void", post(void))
        .route("/networks/{id}/events/{event_id}/correct", post(correct))
}

/// A row of the network page's events table.
pub struct EventRow {
    pub id: String,
    pub kind: String,
    pub at: String,
    /// The date as the form's `<input type=date>` wants it, when `at` is a date.
    pub at_iso: String,
    pub note: String,
    pub actor: String,
    /// "作废于…：理由" when the event no longer counts.
    pub voided: Option<String>,
    /// Whether this page's user may correct or void it here (not voided, not written by
    /// a filing, order or engagement).
    pub changeable: bool,
}

impl EventRow {
    pub fn of(c: &Ctx, e: NetworkEvent, may_change: bool, label: String) -> EventRow {
        let voided = e.voided.as_ref().map(|v| {
            let key = if v.replaced_by.is_some() {
                "event.corrected_on"
            } else {
                "event.voided_on"
            };
            format!("{}{}", c.t.f(key, c.t.when(&v.at)), v.reason)
        });
        EventRow {
            changeable: may_change
                && e.voided.is_none()
                && (e.origin.is_empty() || e.origin == "grading"),
            at_iso: if e.at.len() == 10 {
                e.at.clone()
            } else {
                String::new()
            },
            id: e.id,
            kind: label,
            at: c.t.when(&e.at),
            // The register writes its events' notes itself (`网络安全事件 incident <id>`): shown
            // in the page's language instead.
            note: match e.origin.strip_prefix("incident:") {
                Some(id) if e.kind == "incident_reported" => c.t.f("incident.event_sent_note", id),
                Some(id) => c.t.f("incident.event_note", id),
                None => e.note,
            },
            actor: crate::i18n::quoted(c.lang, &crate::pages::audit_rows::person(c, &e.actor)),
            voided,
        }
    }
}

#[derive(serde::Deserialize)]
struct VoidForm {
    reason: String,
}

#[derive(serde::Deserialize)]
struct CorrectForm {
    at: String,
    reason: String,
}

async fn void(
    State(state): State<AppState>,
    page: NetPage<AddEvent>,
    Path((_, event_id)): Path<(String, String)>,
    Form(f): Form<VoidForm>,
) -> PageResult {
    state
        .store
        .void_event(
            &page.actor(),
            &page.network_id,
            &event_id,
            VoidInput { reason: f.reason },
        )
        .await
        .map_err(|e| page.bad(e))?;
    redirect(&format!("/networks/{}#network-events", page.network_id))
}

async fn correct(
    State(state): State<AppState>,
    page: NetPage<AddEvent>,
    Path((_, event_id)): Path<(String, String)>,
    Form(f): Form<CorrectForm>,
) -> PageResult {
    state
        .store
        .correct_event(
            &page.actor(),
            &page.network_id,
            &event_id,
            CorrectionInput {
                at: f.at,
                note: None,
                reason: f.reason,
            },
        )
        .await
        .map_err(|e| page.bad(e))?;
    redirect(&format!("/networks/{}#network-events", page.network_id))
}
