//! The supervisor views (owned by the "workflows" engineer): register routes here; the nav
//! entry `/supervisor` is already in `ctx::nav`. Templates go under `templates/supervisor/`.

use axum::Router;
use dengbao_server::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
