//! JSON lines over HTTP: `POST /ingest` (one JSON object per line, `Authorization: Bearer
//! <ingest token>`), answered `{"accepted": N}` only once the events are durable; `GET
//! /status` (same tokens) → the counters; `GET /metrics` → the same in the Prometheus text
//! format.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use dengbao_logstore::{Format, Record};
use http_body_util::BodyExt as _;
use serde_json::json;

use crate::config::Token;
use crate::counters::{Counters, OpenGuard};
use crate::net::now_us;
use crate::{Ingest, Status};

#[derive(Clone)]
pub struct HttpState {
    pub ing: Ingest,
    pub counters: Arc<Counters>,
    pub tokens: Arc<Vec<Token>>,
    pub status: Arc<Status>,
}

pub fn router(state: HttpState) -> Router {
    Router::new()
        .route("/ingest", post(ingest))
        .route("/status", get(status))
        .route("/metrics", get(metrics))
        .with_state(state)
}

fn error(code: StatusCode, short: &str, message: &str) -> Response {
    let mut r = (
        code,
        Json(json!({"error": {"code": short, "message": message}})),
    )
        .into_response();
    if code == StatusCode::UNAUTHORIZED {
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer"),
        );
    }
    r
}

/// The token presented, if it is one of ours (compared in constant time).
fn authorize<'a>(headers: &HeaderMap, tokens: &'a [Token]) -> Option<&'a Token> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, given) = v.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let given = given.trim().as_bytes();
    let mut found = None;
    for t in tokens {
        if ct_eq(t.token.as_bytes(), given) {
            found = Some(t);
        }
    }
    found
}

fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn unauthorized(st: &HttpState) -> Response {
    Counters::add(&st.counters.rejected, 1);
    error(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "an ingest token from listen.toml is required: Authorization: Bearer <token> (需要有效的接入令牌)",
    )
}

async fn status(State(st): State<HttpState>, headers: HeaderMap) -> Response {
    if authorize(&headers, &st.tokens).is_none() {
        return unauthorized(&st);
    }
    Json(st.status.report(&st.ing.queue)).into_response()
}

/// The counters in the Prometheus text format (same tokens as `/status`).
async fn metrics(State(st): State<HttpState>, headers: HeaderMap) -> Response {
    if authorize(&headers, &st.tokens).is_none() {
        return unauthorized(&st);
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        crate::metrics::render(&st.status.report(&st.ing.queue), now_us()),
    )
        .into_response()
}

async fn ingest(
    State(st): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let _open = OpenGuard::new(&st.counters);
    let Some(token) = authorize(&headers, &st.tokens) else {
        return unauthorized(&st);
    };
    let max = st.ing.limits.max_body;
    let too_large = || {
        Counters::add(&st.counters.rejected, 1);
        error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            &format!("the body is over {max} bytes; send smaller batches (请求体过大)"),
        )
    };
    let announced = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > max as u64) {
        return too_large();
    }
    let peer = SocketAddr::new(crate::config::canonical(peer.ip()), peer.port());
    let source = format!("http:{}@{peer}", token.name);
    let now = now_us();
    let mut lines = Lines::default();
    let mut records = Vec::new();
    let mut total = 0usize;
    let mut body = body;
    while let Some(frame) = body.frame().await {
        let frame = match frame {
            Ok(f) => f,
            Err(e) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "bad_body",
                    &format!("reading the body failed: {e} (请求体读取失败)"),
                )
            }
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        total += data.len();
        if total > max {
            return too_large();
        }
        lines.feed(&data, |line| {
            records.push(record(line, &token.network, &source, now));
        });
    }
    if let Some(line) = lines.finish() {
        records.push(record(&line, &token.network, &source, now));
    }
    let n = records.len();
    Counters::add(&st.counters.received, n as u64);
    let malformed = records.iter().filter(|r| crate::malformed(r)).count();
    Counters::add(&st.counters.malformed, malformed as u64);
    if n > 0 {
        if let Err(e) = st.ing.queue.submit(records, st.counters.clone()).await {
            return error(
                StatusCode::SERVICE_UNAVAILABLE,
                "store_unavailable",
                &format!("the events were not stored: {e} (事件未能保存，请重试)"),
            );
        }
    }
    Json(json!({ "accepted": n })).into_response()
}

fn record(line: &[u8], network: &str, source: &str, now: i64) -> Record {
    Record {
        received_us: now,
        network: network.to_string(),
        source: source.to_string(),
        format: Format::Jsonl,
        raw: line.to_vec(),
    }
}

/// Splits a body arriving in pieces into lines (LF, a CR before it dropped), skipping blank ones.
#[derive(Default)]
struct Lines {
    partial: Vec<u8>,
}

impl Lines {
    fn feed(&mut self, mut data: &[u8], mut each: impl FnMut(&[u8])) {
        while let Some(p) = data.iter().position(|b| *b == b'\n') {
            let line = if self.partial.is_empty() {
                &data[..p]
            } else {
                self.partial.extend_from_slice(&data[..p]);
                &self.partial[..]
            };
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if !line.iter().all(u8::is_ascii_whitespace) {
                each(line);
            }
            self.partial.clear();
            data = &data[p + 1..];
        }
        self.partial.extend_from_slice(data);
    }

    fn finish(self) -> Option<Vec<u8>> {
        let mut l = self.partial;
        if l.last() == Some(&b'\r') {
            l.pop();
        }
        (!l.iter().all(u8::is_ascii_whitespace)).then_some(l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_across_pieces() {
        let body = b"{\"a\":1}\r\n\n{\"b\":\n2}\n  \n{\"c\":3}";
        for piece in 1..body.len() {
            let mut l = Lines::default();
            let mut out = Vec::new();
            for c in body.chunks(piece) {
                l.feed(c, |x| out.push(String::from_utf8_lossy(x).into_owned()));
            }
            out.extend(l.finish().map(|x| String::from_utf8_lossy(&x).into_owned()));
            assert_eq!(
                out,
                ["{\"a\":1}", "{\"b\":", "2}", "{\"c\":3}"],
                "piece {piece}"
            );
        }
    }

    #[test]
    fn tokens_compare_whole() {
        let t = vec![Token {
            name: "n".into(),
            token: "0123456789abcdef".into(),
            network: "x".into(),
        }];
        let h = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::AUTHORIZATION, v.parse().unwrap());
            h
        };
        assert!(authorize(&h("Bearer 0123456789abcdef"), &t).is_some());
        assert!(authorize(&h("bearer 0123456789abcdef"), &t).is_some());
        assert!(authorize(&h("Bearer 0123456789abcde"), &t).is_none());
        assert!(authorize(&h("Basic 0123456789abcdef"), &t).is_none());
        assert!(authorize(&HeaderMap::new(), &t).is_none());
    }
}
