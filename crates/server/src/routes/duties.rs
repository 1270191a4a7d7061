//! A stored network's duties and penalty exposure: its profile, events and evidence are
//! assembled into the duties crate's `Profile` and evaluated at a date.

use axum::extract::State;
use axum::Json;
use dengbao_duties::{DutyStatus, Profile};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{NetworkGuard, Read};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiQuery;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(duties))
        .routes(routes!(exposure))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AtQuery {
    /// Evaluate as of this date (`YYYY-MM-DD`, Asia/Shanghai) or RFC 3339 time; now by default.
    pub at: Option<String>,
}

/// A citation as the interface spells it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CitationOut {
    pub law: Option<String>,
    pub article: u32,
    pub paragraph: Option<u32>,
    pub item: Option<u32>,
}

/// A recorded breach of a prohibition.
#[derive(Serialize, utoipa::ToSchema)]
pub struct BreachOut {
    pub when: String,
    pub description: String,
}

/// One duty, as `dengbao duties --json` prints it, plus the reasons for its status.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DutyOut {
    pub id: String,
    pub title: String,
    pub citations: Vec<CitationOut>,
    /// met, due, overdue, not_applicable, unknown; complied or breached for a prohibition;
    /// expected or chase for a duty of another party.
    pub status: String,
    /// A date, or an RFC 3339 time for clocks in hours.
    pub due: Option<String>,
    /// one_off, recurring, event_triggered, continuous, prohibition
    pub kind: String,
    /// operator, or the other party that owes it (public_security, competent_department,
    /// assessment_body, service_provider): never counted against the operator.
    pub party: String,
    /// Recorded breaches of a prohibition: `{"when", "description"}`.
    pub breaches: Vec<BreachOut>,
    pub reasons: Vec<String>,
    /// Events whose dates would settle an `unknown` status.
    pub missing_events: Vec<String>,
}

/// The network's profile for the duties engine, from its stored rows.
pub async fn profile_of(state: &AppState, network_id: &str) -> ApiResult<Profile> {
    let net = state.store.get_network(network_id).await?;
    let events = state.store.profile_events(network_id).await?;
    let evidence = state.store.list_evidence(network_id).await?;
    profile_from(state, &net, &events, &evidence)
}

/// Every duty of a stored network at `at`: the engine's statuses, with 持证上岗 decided by the
/// certificates of the network's key-post holders (decision 1505).
pub async fn statuses_of(
    state: &AppState,
    network_id: &str,
    profile: &Profile,
    at: Timestamp,
) -> ApiResult<Vec<DutyStatus>> {
    let mut statuses = dengbao_duties::evaluate(profile, &state.catalog, &state.calendar.get(), at);
    apply_stored_facts(state, network_id, profile, &mut statuses).await?;
    Ok(statuses)
}

/// Decide the duties computed from what the store knows of the network (today: the key-post
/// holders' certificates).
pub async fn apply_stored_facts(
    state: &AppState,
    network_id: &str,
    profile: &Profile,
    statuses: &mut [DutyStatus],
) -> ApiResult<()> {
    let rule = dengbao_store::CertificateRule::builtin()?;
    let facts = dengbao_duties::Facts {
        key_post_certificates: Some(state.store.key_post_certificates(network_id, &rule).await?),
        ..Default::default()
    };
    dengbao_duties::apply_facts(statuses, &facts, profile);
    Ok(())
}

/// The duties engine's profile from a network's stored rows: its profile, its `[events]`
/// table (kind → latest date) and its evidence. Pages that summarise many networks read
/// those rows in bulk ([`dengbao_store::Store::events_in_scope`]) and call this.
pub fn profile_from(
    state: &AppState,
    net: &dengbao_store::Network,
    events: &std::collections::BTreeMap<String, String>,
    evidence: &[dengbao_store::Evidence],
) -> ApiResult<Profile> {
    let mut network = serde_json::to_value(&net.profile).map_err(ApiError::internal)?;
    let grading = network.as_object_mut().and_then(|m| m.remove("grading"));
    // Only accepted evidence meets a duty, from the moment it was accepted (0936).
    let evidence: Vec<_> = evidence
        .iter()
        .filter(|e| e.counts())
        .map(|e| {
            let when = e
                .reviewed_at
                .as_deref()
                .unwrap_or(&e.recorded_at)
                .parse::<Timestamp>()
                .map(|t| {
                    // Down to the second, never up: evidence accepted at 12:00:00.7 must
                    // count on a page asked for at 12:00:00.9.
                    t.round(
                        jiff::TimestampRound::new()
                            .smallest(jiff::Unit::Second)
                            .mode(jiff::RoundMode::Trunc),
                    )
                    .map(|t| t.to_string())
                    .unwrap_or_default()
                })
                .unwrap_or_else(|_| e.recorded_at.clone());
            json!({
                "duty": e.duty_id,
                "description": e.description,
                "file": e.sha256.as_ref().map(|s| format!("evidence/{s}")),
                "link": e.link,
                "who": e.actor,
                "when": when,
                "expires": e.expires,
            })
        })
        .collect();
    let mut raw = json!({"network": network, "events": events, "evidence": evidence});
    if let (Some(g), Some(m)) = (grading, raw.as_object_mut()) {
        m.insert("grading".into(), g);
    }
    let profile = Profile::from_json_str(&raw.to_string())
        .map_err(|e| ApiError::invalid(format!("stored profile: {e}")))?;
    state
        .catalog
        .check_profile(&profile)
        .map_err(|e| ApiError::invalid(format!("stored profile: {e}")))?;
    Ok(profile)
}

fn at_of(q: &AtQuery) -> ApiResult<Timestamp> {
    match &q.at {
        Some(s) => {
            dengbao_duties::parse_at(s).map_err(|e| ApiError::invalid(format!("invalid at: {e}")))
        }
        None => Ok(Timestamp::now()),
    }
}

/// `dengbao duties --json`'s row plus the reasons for the status (the shape of [`DutyOut`]).
fn duty_out(s: &DutyStatus) -> serde_json::Value {
    let mut row = dengbao_duties::report::duty_row(s);
    if let Some(m) = row.as_object_mut() {
        m.insert("reasons".into(), json!(s.reasons));
        m.insert("missing_events".into(), json!(s.missing_events));
    }
    row
}

/// Every duty of the network at a date, with status, due date and citations.
#[utoipa::path(get, path = "/api/networks/{id}/duties", tag = "networks", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id"), AtQuery),
    responses((status = 200, body = Vec<DutyOut>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn duties(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
    ApiQuery(q): ApiQuery<AtQuery>,
) -> ApiResult<Json<Vec<serde_json::Value>>> {
    let at = at_of(&q)?;
    let profile = profile_of(&state, &guard.network_id).await?;
    let statuses = statuses_of(&state, &guard.network_id, &profile, at).await?;
    Ok(Json(statuses.iter().map(duty_out).collect()))
}

/// The penalty exposure of the network's unmet duties, as `dengbao exposure --json`
/// prints it (yuan), plus totals and notes.
#[utoipa::path(get, path = "/api/networks/{id}/exposure", tag = "networks", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id"), AtQuery),
    responses((status = 200, description = "{items, org_fine_total, person_fine_total, org_fine_total_if_due_missed, unknown, notes}; each item's basis runs from the provision the duty breaks to the one that sets the range, basis_text says it in Chinese", body = serde_json::Value),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn exposure(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
    ApiQuery(q): ApiQuery<AtQuery>,
) -> ApiResult<Json<serde_json::Value>> {
    let at = at_of(&q)?;
    let profile = profile_of(&state, &guard.network_id).await?;
    let statuses = statuses_of(&state, &guard.network_id, &profile, at).await?;
    let e = dengbao_duties::exposure(&profile, &state.catalog, &statuses);
    let mut out = dengbao_duties::report::exposure_json(&e);
    if let Some(items) = out.get_mut("items").and_then(|v| v.as_array_mut()) {
        for (row, i) in items.iter_mut().zip(&e.items) {
            if let Some(m) = row.as_object_mut() {
                m.insert("status".into(), json!(i.status.id()));
            }
        }
    }
    if let Some(m) = out.as_object_mut() {
        m.insert("person_fine_total".into(), json!(e.person_fine_total));
        m.insert(
            "org_fine_total_if_due_missed".into(),
            json!(e.org_fine_total_if_due_missed),
        );
        m.insert("unknown".into(), json!(e.unknown));
        m.insert("notes".into(), json!(e.notes));
    }
    Ok(Json(out))
}
