//! The stylesheet, embedded: no CDN, no external font or script (isolated networks).

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use dengbao_server::AppState;

pub const CSS: &str = include_str!("../assets/console.css");

pub fn routes() -> Router<AppState> {
    Router::new().route("/assets/console.css", get(css))
}

async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
}
