//! duties pages.

use axum::Router;
use dengbao_server::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
