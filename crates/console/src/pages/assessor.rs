//! The assessor views (owned by the "workflows" engineer): register routes here; the nav
//! entry `/assessor` is already in `ctx::nav`. Templates go under `templates/assessor/`.

use axum::Router;
use dengbao_server::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
