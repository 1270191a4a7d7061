//! The pages, one module per area; each exports `routes()`.

use askama::Template;
use axum::http::request::Parts;
use axum::response::IntoResponse;
use axum::Router;
use dengbao_server::AppState;

use crate::ctx::Ctx;
use crate::guard::PageError;

pub mod account;
pub mod admin;
pub mod assessor;
pub mod dashboard;
pub mod duties;
pub mod grading;
pub mod law;
pub mod networks;
pub mod supervisor;

/// Every console page.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(account::routes())
        .merge(dashboard::routes())
        .merge(networks::routes())
        .merge(duties::routes())
        .merge(grading::routes())
        .merge(law::routes())
        .merge(admin::routes())
        .merge(supervisor::routes())
        .merge(assessor::routes())
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

/// Renders a template (see [`crate::guard::render`]).
pub fn render<T: Template>(tpl: &T) -> crate::guard::PageResult {
    crate::guard::render(tpl)
}
