//! The pages, one module per area; each exports `routes()`.

use askama::Template;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect};
use axum::Router;
use dengbao_server::AppState;

use crate::ctx::Ctx;
use crate::guard::PageError;

pub mod account;
pub mod admin;
pub mod assessment;
pub mod assessor;
pub mod audit_rows;
pub mod calendar;
pub mod cases;
pub mod dashboard;
pub mod duties;
pub mod emergency;
pub mod event_corrections;
pub mod evidence_review;
pub mod exposure;
pub mod grading;
pub mod host_rulings;
pub mod hosts;
pub mod incidents;
pub mod law;
pub mod network_form;
pub mod networks;
pub mod pi_requests;
pub mod quiz;
pub mod supervisor;
pub mod tokens;
pub mod totp;
pub mod training;
pub mod training_plan;

/// Every console page.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(account::routes())
        .merge(dashboard::routes())
        .merge(networks::routes())
        .merge(duties::routes())
        .merge(exposure::routes())
        .merge(assessment::routes())
        .merge(incidents::routes())
        .merge(emergency::routes())
        .merge(training::routes())
        .merge(quiz::routes())
        .merge(pi_requests::routes())
        .merge(hosts::routes())
        .merge(host_rulings::routes())
        .merge(grading::routes())
        .merge(law::routes())
        .merge(cases::routes())
        .merge(admin::routes())
        .merge(calendar::routes())
        .merge(supervisor::routes())
        .merge(assessor::routes())
        .merge(tokens::routes())
        .merge(totp::routes())
}

/// The duties engine's view of a network at `at`: its profile and every duty's status.
/// `None` while the network has neither a protection level nor a grading: every duty
/// depends on the level, so there is nothing to compute yet and the pages say that (and
/// lead to the grading wizard) instead of failing.
///
/// The six-month log duties are decided by the log centre's proof of retention when it
/// holds logs of this network (as `dengbao duties --logs` does).
pub async fn evaluate(
    state: &AppState,
    logs: &crate::logs::LogCoverage,
    net: &dengbao_store::Network,
    at: jiff::Timestamp,
) -> Result<Option<(dengbao_duties::Profile, Vec<dengbao_duties::DutyStatus>)>, PageError> {
    if net.profile.level.is_none() && net.profile.grading.is_none() {
        return Ok(None);
    }
    let profile = dengbao_server::routes::duties::profile_of(state, &net.id).await?;
    let calendar = state.calendar.get();
    let mut engine = dengbao_duties::Engine::new(&state.catalog, &calendar);
    let mut statuses = evaluate_profile(&mut engine, logs.for_network(&net.id), &profile, at);
    dengbao_server::routes::duties::apply_stored_facts(state, &net.id, &profile, &mut statuses)
        .await?;
    Ok(Some((profile, statuses)))
}

/// Every duty's status for a profile at `at`, the log duties from the log centre's facts.
/// Pages that evaluate many networks pass one engine: it remembers which conditions hold
/// for a profile's shape, so 1,000 networks cost milliseconds, not a CEL run per duty each.
pub fn evaluate_profile(
    engine: &mut dengbao_duties::Engine,
    log_retention: Option<dengbao_duties::LogRetention>,
    profile: &dengbao_duties::Profile,
    at: jiff::Timestamp,
) -> Vec<dengbao_duties::DutyStatus> {
    let mut statuses = engine.evaluate(profile, at);
    if let Some(log_retention) = log_retention {
        let facts = dengbao_duties::Facts {
            log_retention: Some(log_retention),
            ..Default::default()
        };
        dengbao_duties::apply_facts(&mut statuses, &facts, profile);
    }
    statuses
}

/// The 404 page for any path no route has.
pub async fn not_found(parts: Parts) -> impl IntoResponse {
    let mut e = PageError::new(axum::http::StatusCode::NOT_FOUND, "error.not_found");
    e.lang = crate::ctx::lang_of(&parts);
    e
}

/// Query parameters shared by pages that evaluate at a date: `?at=YYYY-MM-DD`.
#[derive(Debug, Default, serde::Deserialize)]
pub struct AtQuery {
    pub at: Option<String>,
    pub lang: Option<String>,
}

/// The evaluation instant and its date: `?at=` (a date is its end… start in Asia/Shanghai)
/// or now.
pub fn at_of(c: &Ctx, q: &AtQuery) -> Result<(jiff::Timestamp, jiff::civil::Date), PageError> {
    match q.at.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => {
            let ts = dengbao_duties::parse_at(s)
                .map_err(|_| PageError::bad(c, c.t.f("error.bad_date", s)))?;
            Ok((ts, dengbao_calendar::in_shanghai(ts).date()))
        }
        None => {
            let ts = jiff::Timestamp::now();
            Ok((ts, dengbao_calendar::in_shanghai(ts).date()))
        }
    }
}

/// A network page at `?at=`: the evaluation instant, its date and the network.
pub async fn network_at<R: dengbao_server::auth::Requirement>(
    state: &AppState,
    page: &crate::guard::NetPage<R>,
    q: &AtQuery,
) -> Result<(jiff::Timestamp, jiff::civil::Date, dengbao_store::Network), PageError> {
    let (at, today) = at_of(&page.c, q)?;
    let net = state.store.get_network(&page.network_id).await?;
    Ok((at, today, net))
}

/// The catalog text of a stored state or result: the key is `<prefix>.<its API name>`
/// (`supervisor.order.open` for [`dengbao_store::inspections::OrderState::Open`]).
pub fn enum_label<T: serde::Serialize>(
    t: &crate::i18n::Messages,
    prefix: &str,
    value: T,
) -> String {
    let name = match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    };
    t.s(&format!("{prefix}.{name}")).to_string()
}

/// The first value of the form field `name` ("" when the form has none).
pub fn form_value(fields: &[(String, String)], name: &str) -> String {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// Every value of the form field `name` (checkboxes), in form order.
pub fn form_values(fields: &[(String, String)], name: &str) -> Vec<String> {
    fields
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
        .collect()
}

/// Where the browser goes once a form is accepted (303 See Other).
pub fn redirect(to: &str) -> crate::guard::PageResult {
    Ok(Redirect::to(to).into_response())
}

/// Renders a template with `status` (a form shown again with its error).
pub fn render_status<T: Template>(
    tpl: &T,
    status: axum::http::StatusCode,
) -> crate::guard::PageResult {
    let mut r = crate::guard::render(tpl)?;
    *r.status_mut() = status;
    Ok(r)
}

/// Renders a template (see [`crate::guard::render`]).
pub fn render<T: Template>(tpl: &T) -> crate::guard::PageResult {
    crate::guard::render(tpl)
}

#[cfg(test)]
mod tests {
    use dengbao_store::engagements::{Conclusion, FindingResult};
    use dengbao_store::filings::FilingState;
    use dengbao_store::inspections::OrderState;

    use super::enum_label;
    use crate::i18n::{Lang, Messages};

    #[test]
    fn every_state_and_result_has_a_label_in_both_languages() {
        for lang in [Lang::ZhCn, Lang::En] {
            let t = Messages::get(lang);
            let states = [
                FilingState::Submitted,
                FilingState::Certified,
                FilingState::Rejected,
            ]
            .map(|v| enum_label(t, "supervisor.state", v));
            let orders = [OrderState::Open, OrderState::Reported, OrderState::Closed]
                .map(|v| enum_label(t, "supervisor.order", v));
            let results = [
                FindingResult::Conforms,
                FindingResult::Partly,
                FindingResult::NotConforming,
            ]
            .map(|v| enum_label(t, "assessor.result", v));
            let conclusions = [
                Conclusion::Conforms,
                Conclusion::BasicallyConforms,
                Conclusion::NotConforming,
            ]
            .map(|v| enum_label(t, "assessor.conclusion", v));
            let labels = states
                .into_iter()
                .chain(orders)
                .chain(results)
                .chain(conclusions);
            // Every duty status (complied, breached, expected, chase included) and every
            // party a duty can have.
            let statuses = dengbao_duties::Status::ALL
                .map(|v| t.s(crate::pages::dashboard::status_key(v)).to_string());
            let parties = [
                dengbao_duties::Party::Operator,
                dengbao_duties::Party::PublicSecurity,
                dengbao_duties::Party::CompetentDepartment,
                dengbao_duties::Party::AssessmentBody,
                dengbao_duties::Party::ServiceProvider,
            ]
            .map(|v| enum_label(t, "party", v));
            let events = dengbao_duties::EVENTS
                .iter()
                .map(|(k, _)| t.s(&format!("event_kind.{k}")).to_string());
            for label in statuses.iter().chain(parties.iter()).cloned().chain(events) {
                assert!(
                    !label.starts_with("status.")
                        && !label.starts_with("party.")
                        && !label.starts_with("event_kind."),
                    "{lang:?}: no catalog text for {label}"
                );
            }
            for label in labels {
                // A missing key shows as the key itself.
                assert!(
                    !label.starts_with("supervisor.") && !label.starts_with("assessor."),
                    "{lang:?}: no catalog text for {label}"
                );
            }
        }
        let zh = Messages::get(Lang::ZhCn);
        assert_eq!(
            enum_label(zh, "assessor.conclusion", Conclusion::BasicallyConforms),
            "基本符合"
        );
    }
}
