//! The HTTP API (axum) and its OpenAPI document.
//!
//! [`app`] builds the whole router from one [`AppState`]; it is testable without a socket
//! (`tower::ServiceExt::oneshot`). Invariants:
//! - only this crate knows HTTP; handlers are thin over `dengbao-store` and the engine
//!   crates (grading, calendar, duties, corpus);
//! - every route is registered through `utoipa_axum`, so the OpenAPI document served at
//!   `/api/openapi.json` lists exactly the routes the router has;
//! - access is decided in `auth::enforce` only, reached through the extractors in `auth`;
//! - every error leaves through `error::ApiError` as `{"error": {"code", "message"}}`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use axum::Router;
use dengbao_duties::Catalog;
use dengbao_store::Store;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

pub mod auth;
pub mod calendar_cell;
pub mod client;
pub mod error;
pub mod extract;
pub mod incident_view;
pub mod routes;

pub use calendar_cell::CalendarCell;
pub use error::{ApiError, ErrorBody};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub catalog: Arc<Catalog>,
    /// The working-day calendar in force (replaced when a year's notice is loaded).
    pub calendar: CalendarCell,
    /// The log centre's directory (`<data_dir>/logs`): an opened incident's legal hold is
    /// written there, as the CLI writes it.
    pub logs: PathBuf,
    openapi: Arc<OnceLock<serde_json::Value>>,
}

/// Why the application could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("the embedded duty catalog")]
    Catalog(#[source] dengbao_duties::CatalogError),
    #[error("the working-day calendar")]
    Calendar(#[source] dengbao_calendar::CalendarError),
}

impl AppState {
    /// The state for `store`, with the builtin catalog and the calendar (plus overrides
    /// under `<data_dir>/calendar`).
    pub fn new(store: Store, data_dir: &Path) -> Result<AppState, StartError> {
        let catalog = Catalog::builtin().map_err(StartError::Catalog)?;
        let calendar =
            CalendarCell::load(&data_dir.join("calendar")).map_err(StartError::Calendar)?;
        Ok(AppState {
            store,
            catalog: Arc::new(catalog),
            calendar,
            logs: data_dir.join("logs"),
            openapi: Arc::new(OnceLock::new()),
        })
    }

    /// The same state with `basis` driving the MLPS deadlines (`serve --mlps-basis`,
    /// decision 0205); the rule in force drives them by default.
    pub fn with_mlps_basis(
        mut self,
        basis: dengbao_duties::MlpsBasis,
    ) -> Result<AppState, StartError> {
        let catalog = Catalog::builtin().map_err(StartError::Catalog)?;
        self.catalog = Arc::new(catalog.with_mlps_basis(basis));
        Ok(self)
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "dengbao API",
        description = "China's Cybersecurity Law (网络安全法) and the MLPS regulation draft (等级保护条例) as software: \
                       networks, grading, working-day deadlines, duties, evidence, penalty exposure and the audit log. \
                       Authenticate with `Authorization: Bearer dbk_…`."
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "system", description = "health, the OpenAPI document, first-run setup"),
        (name = "accounts", description = "organisations, users, API tokens"),
        (name = "networks", description = "network profiles, events, evidence, duties, exposure"),
        (name = "law", description = "grading, the working-day calendar, the statutes"),
        (name = "audit", description = "the hash-chained audit log"),
        (name = "supervision", description = "filings with the public security organ, their review, inspections and rectification orders"),
        (name = "assessment", description = "assessor engagements, findings per duty, conclusions"),
        (name = "training", description = "people with certificates, key posts per network, training sessions and hours (decision 1502)"),
        (name = "incidents", description = "the incident register: grade, every report owed with its clock, sends, closing, the reports as DOCX"),
        (name = "reports", description = "the grading report and filing form (DOCX), the duty and gap lists (XLSX)"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The router and its OpenAPI document, built together from the route modules.
pub fn router_and_openapi() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let api = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(routes::system::router())
        .merge(routes::accounts::router())
        .merge(routes::networks::router())
        .merge(routes::events::router())
        .merge(routes::evidence::router())
        .merge(routes::evidence_review::router())
        .merge(routes::duties::router())
        .merge(routes::filings::router())
        .merge(routes::supervision::router())
        .merge(routes::engagements::router())
        .merge(routes::assessment::router())
        .merge(routes::reports::router())
        .merge(routes::incidents::router())
        .merge(routes::emergency::router())
        .merge(routes::training::router())
        .merge(routes::quizzes::router())
        .merge(routes::pi_requests::router())
        .merge(routes::host_reports::router())
        .merge(routes::law::router())
        .merge(routes::cases::router())
        .merge(routes::work_plan::router())
        .merge(routes::audit::router());
    api.split_for_parts()
}

/// The OpenAPI document of the API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    router_and_openapi().1
}

/// The largest request body of the API but the evidence upload.
pub const API_BODY_LIMIT: usize = 1024 * 1024;

/// The whole application.
pub fn app(state: AppState) -> Router {
    let (router, doc) = router_and_openapi();
    let _ = state
        .openapi
        .set(serde_json::to_value(&doc).unwrap_or_default());
    router
        .fallback(|| async { ApiError::not_found("endpoint") })
        // Every body is small but the evidence upload's, which sets its own limit
        // (decision 0921); the credentials are checked before any body is read.
        .layer(axum::extract::DefaultBodyLimit::max(API_BODY_LIMIT))
        .with_state(state)
}

/// Serves [`app`] on `listener` until `shutdown` completes, then lets requests in flight
/// finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
}
