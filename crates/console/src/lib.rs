//! The web console: server-rendered HTML (askama templates, checked at compile time), no
//! JavaScript, every asset embedded, Simplified Chinese by default and English on request.
//!
//! [`router`] is the whole application: the HTTP API of `dengbao-server` under `/api/`
//! unchanged, and the console's pages everywhere else. Invariants:
//! - access is decided by `dengbao_server::auth::enforce` only; pages reach it through the
//!   extractors of [`guard`] ([`guard::Page`], [`guard::NetPage`]), which turn its answer
//!   into a redirect to the sign-in page (401), a 403 page or a 404 page;
//! - every unsafe request (POST …) to a page carries the synchronizer token `_csrf` in its
//!   form, checked by one middleware ([`csrf`]) before any handler runs; a mismatch is a
//!   403, audited;
//! - every user-visible string comes from the message catalog `data/i18n/<lang>.toml`
//!   ([`i18n`]), through `c.t.s("key")` in templates;
//! - every citation is shown through [`links::cite`], a link to `/law/<law>/<article>`;
//! - while no administrator exists every page redirects to `/setup`.
//!
//! # Adding a page
//!
//! 1. Add the strings to **both** `data/i18n/zh-CN.toml` and `data/i18n/en.toml` (the test
//!    `i18n_catalogs` fails when the key sets differ or a template uses a missing key).
//! 2. Write the template under `templates/<area>/<page>.html`:
//!    ```text
//!    {% extends "layout.html" %}
//!    {% block title %}{{ c.t.s("area.page.title") }}{% endblock %}
//!    {% block main %}<h1 id="page-title">{{ c.t.s("area.page.title") }}</h1>…{% endblock %}
//!    ```
//!    No bare text: every word through `c.t.s(…)` (the test `templates_have_no_bare_text`
//!    scans the files). Forms that POST include `{% include "csrf.html" %}`. Give forms and
//!    the elements tests look for stable `id`/`name` attributes (tests/README-e2e.md).
//! 3. Write the handler in `src/pages/<area>.rs`: take [`guard::Page<R>`] (signed in and
//!    allowed `R`, any `dengbao_server::auth` requirement) or [`guard::NetPage<R>`] (the
//!    network `{id}` of the path, organisation isolation included), build the template
//!    struct with a field `c: Ctx` (`page.c`) and return `render(&tpl)`:
//!    ```ignore
//!    #[derive(askama::Template)]
//!    #[template(path = "area/page.html")]
//!    struct PageTpl { c: Ctx, rows: Vec<Row> }
//!    async fn page(State(state): State<AppState>, page: Page<Read>) -> PageResult {
//!        render(&PageTpl { c: page.c, rows: vec![] })
//!    }
//!    ```
//!    Errors: `?` on a `StoreError`/`ApiError` gives the error page; `PageError::bad(c, msg)`
//!    for a form error.
//! 4. Register it in the area's `routes()` (`pages::<area>::routes()`, merged in
//!    [`pages::routes`]) and, for a top-level area, add a nav entry in [`ctx::nav`].
//! 5. Add its rows to `tests/pages-matrix.txt` (route × role → status).

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use axum::extract::Request;
use axum::Router;
use dengbao_server::AppState;
use tower::ServiceExt;

pub mod assets;
pub mod conn;
pub mod csrf;
pub mod ctx;
pub mod form;
pub mod guard;
pub mod i18n;
pub mod links;
pub mod log_heads;
pub mod logs;
pub mod middleware;
pub mod pages;
pub mod refill;
pub mod svg;

pub use ctx::Ctx;
pub use guard::{NetPage, Page, PageError, PageResult};

/// Whether an administrator exists (cached once true; setup is one-way).
#[derive(Clone, Default)]
pub struct SetupDone(pub Arc<AtomicBool>);

/// The whole application: the API under `/api/` and the console's pages, without a log
/// centre (tests; [`serve`] passes the coverage its background task keeps).
pub fn router(state: AppState) -> Router {
    router_with_logs(state, logs::LogCoverage::default())
}

/// [`router`], with the log centre's coverage for the dashboard and the log duties.
pub fn router_with_logs(state: AppState, log_coverage: logs::LogCoverage) -> Router {
    let api = dengbao_server::app(state.clone());
    let setup_done = SetupDone::default();
    // The same stack twice: `plain` serves the GET that shows a refused form again, `pages`
    // has the refill inside the CSRF check, so a body is read only after the session,
    // within its limit and deadline (decision 0921), and never by the refill first.
    let stack = |routes: Router<AppState>| {
        routes
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                csrf::check,
            ))
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                middleware::first_run,
            ))
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                middleware::headers,
            ))
            .layer(axum::Extension(setup_done.clone()))
            .layer(axum::Extension(log_coverage.clone()))
            .with_state(state.clone())
    };
    let routes = pages::routes()
        .merge(assets::routes())
        .fallback(pages::not_found);
    let plain = stack(routes.clone());
    let pages = stack(refill::layer(routes, plain));
    // The split is by path prefix in a fallback, not by a `/api/{*rest}` route: a route
    // with a wildcard leaves its captured parameter in the request, and the API's own
    // extractors (`Path<(String, String)>` on `/api/law/{law}/{article}`) would then see
    // one parameter too many and answer 500.
    Router::new()
        .fallback_service(tower::service_fn(move |req: Request| {
            let path = req.uri().path();
            let to_api = path == "/api" || path.starts_with("/api/");
            let target = if to_api { api.clone() } else { pages.clone() };
            target.oneshot(req)
        }))
        .layer(axum::middleware::from_fn(middleware::transport))
}

/// Serves [`router_with_logs`] on `listener` until `shutdown` completes, then lets requests
/// in flight finish ([`conn::serve`]: header deadline, peer address for the sign-in rate
/// limiter). The log centre's
/// coverage is recomputed from `logs_dir` in the background (at start, then every
/// [`logs::REFRESH_EVERY`]).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    logs_dir: std::path::PathBuf,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_tls(listener, state, logs_dir, None, shutdown).await
}

/// [`serve`], over HTTPS when `tls` is given (`serve --tls-cert/--tls-key`).
pub async fn serve_tls(
    listener: tokio::net::TcpListener,
    state: AppState,
    logs_dir: std::path::PathBuf,
    tls: Option<tokio_rustls::TlsAcceptor>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let log_coverage = logs::LogCoverage::default();
    // Each refresh is a verify recorded in the database (decision 0926).
    let refresher = log_coverage.watch(logs_dir, logs::REFRESH_EVERY, Some(state.store.clone()));
    let flusher = flush_denials_every_window(state.store.clone());
    let served = conn::serve_tls(
        listener,
        router_with_logs(state.clone(), log_coverage),
        tls,
        shutdown,
    )
    .await;
    refresher.abort();
    flusher.abort();
    // The last window's anonymous denials are written before the process ends, and the
    // audit head reaches the object store (scale-out mode).
    if let Err(e) = state.store.flush_anonymous_denials().await {
        tracing::error!(error = %e, "writing the counted anonymous denials");
    }
    if let Err(e) = state.store.mirror_audit_head_if_due(true).await {
        tracing::error!(error = %e, "writing the audit head to the object store");
    }
    served
}

/// Writes the anonymous denials counted in a window once it has passed, even when no
/// further denial comes to trigger it (dengbao_store::denials); and, in scale-out mode, the
/// audit head to the object store once a minute when it moved (decision 0925).
fn flush_denials_every_window(store: dengbao_store::Store) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(dengbao_store::denials::DENIAL_WINDOW / 4);
        loop {
            tick.tick().await;
            if let Err(e) = store.flush_anonymous_denials_if_due().await {
                tracing::error!(error = %e, "writing the counted anonymous denials");
            }
            if let Err(e) = store.mirror_audit_head_if_due(false).await {
                tracing::error!(error = %e, "writing the audit head to the object store");
            }
        }
    })
}
