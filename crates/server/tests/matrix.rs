//! Every endpoint × every role → the expected status, from tests/matrix.txt; every denial
//! lands in the audit log; every route of the OpenAPI document has a row.

mod common;
#[path = "matrix/requests.rs"]
mod requests;

use std::collections::BTreeSet;

use axum::http::Method;
use common::{world, World, ROLES};
use requests::request;

struct Row {
    line: usize,
    method: Method,
    path: String,
    expected: Vec<u16>,
}

fn rows() -> Vec<Row> {
    let text = include_str!("matrix.txt");
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(
            cols.len(),
            2 + ROLES.len(),
            "matrix.txt line {line_no}: method, path and {} statuses",
            ROLES.len()
        );
        out.push(Row {
            line: line_no,
            method: cols[0]
                .parse()
                .unwrap_or_else(|_| panic!("matrix.txt line {line_no}: method")),
            path: cols[1].to_string(),
            expected: cols[2..]
                .iter()
                .map(|s| {
                    s.parse()
                        .unwrap_or_else(|_| panic!("matrix.txt line {line_no}: status {s}"))
                })
                .collect(),
        });
    }
    out
}

fn template(path: &str) -> &str {
    path.split('?').next().unwrap_or(path)
}

#[tokio::test]
async fn every_endpoint_answers_every_role_as_the_matrix_says_and_denials_are_audited() {
    run_matrix(world().await).await;
}

#[tokio::test]
async fn the_matrix_holds_on_postgresql_too() {
    let dir = tempfile::tempdir().unwrap();
    match dengbao_store::test_support::postgres_store(dir.path())
        .await
        .unwrap()
    {
        Some(store) => run_matrix(common::world_on(dir, store).await).await,
        None => eprintln!("skipped: DENGBAO_TEST_POSTGRES_URL is not set"),
    }
}

async fn run_matrix(w: World) {
    // The assessor reaches organisation A's network through its engagement (an assessor
    // sees only the networks it is engaged on; a fresh network is another's: 404).
    w.store
        .engage(
            "test",
            &w.net_a,
            dengbao_store::engagements::EngagementInput {
                assessor_id: w.user_ids[4].clone().unwrap(),
                engaged_on: "2026-09-01".into(),
            },
        )
        .await
        .unwrap();
    let rows = rows();
    let mut failures = Vec::new();
    let mut attempt = 0;
    for row in &rows {
        for (r, role) in ROLES.iter().enumerate() {
            attempt += 1;
            let (uri, body) = request(&w, row, attempt).await;
            let denied_before = w.denials().await.len();
            let reply = w
                .send(
                    row.method.clone(),
                    &uri,
                    role,
                    body.as_ref().map(|(ct, b)| (ct.as_str(), b.clone())),
                )
                .await;
            let expected = row.expected[r];
            if reply.status.as_u16() != expected {
                failures.push(format!(
                    "matrix.txt line {}: {} {} as {role}: expected {expected}, got {} {}",
                    row.line,
                    row.method,
                    row.path,
                    reply.status.as_u16(),
                    reply.json
                ));
                continue;
            }
            let denials = w.denials().await;
            if matches!(expected, 401 | 403 | 404) {
                if denials.len() != denied_before + 1 {
                    failures.push(format!(
                        "matrix.txt line {}: {} {} as {role}: denial not audited",
                        row.line, row.method, row.path
                    ));
                } else if expected == 404 {
                    // a cross-organisation attempt (or an assessor's on a network it is not
                    // engaged on) names the organisation it aimed at
                    let last = denials.last().unwrap();
                    assert_eq!(last.org_id.as_deref(), Some(w.org_a.as_str()), "{last:?}");
                    assert!(
                        last.actor.contains("乙运营者") || last.actor.contains("测评机构"),
                        "{last:?}"
                    );
                }
                let code = reply.json["error"]["code"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                assert!(
                    ["unauthenticated", "forbidden", "not_found"].contains(&code.as_str()),
                    "{}",
                    reply.json
                );
            } else if denials.len() != denied_before {
                failures.push(format!(
                    "matrix.txt line {}: {} {} as {role}: allowed but audited as denied",
                    row.line, row.method, row.path
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let report = w.store.verify_audit().await.unwrap();
    assert!(report.ok, "{report:?}");
}

#[test]
fn every_endpoint_is_in_the_matrix() {
    let doc = serde_json::to_value(dengbao_server::openapi()).unwrap();
    let mut routes = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "put", "delete", "patch"].contains(&method.as_str()) {
                routes.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    let in_matrix: BTreeSet<String> = rows()
        .iter()
        .map(|r| format!("{} {}", r.method, template(&r.path)))
        .collect();
    let missing: Vec<_> = routes.difference(&in_matrix).collect();
    let stale: Vec<_> = in_matrix.difference(&routes).collect();
    assert!(
        missing.is_empty(),
        "endpoints without a row in tests/matrix.txt: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "rows in tests/matrix.txt for no endpoint: {stale:?}"
    );
    assert!(routes.len() >= 29, "{routes:?}");
}

#[tokio::test]
async fn a_revoked_token_is_refused_at_once() {
    let w = world().await;
    let issued = w
        .store
        .create_token("test", w.user_ids[2].as_deref().unwrap(), "t")
        .await
        .unwrap();
    let uri = format!("/api/tokens/{}", issued.id);
    assert_eq!(
        w.send(Method::DELETE, &uri, "administrator", None)
            .await
            .status,
        204
    );
    assert!(w.store.authenticate(&issued.token).await.unwrap().is_none());
}

#[tokio::test]
async fn an_expired_token_is_refused_with_401_and_owners_list_their_own_tokens() {
    let w = world().await;
    let operator = w.user_ids[2].as_deref().unwrap();
    let issued = w
        .store
        .create_token_until(
            "test",
            operator,
            "soon",
            Some(jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1)),
        )
        .await
        .unwrap();
    // Time passes: the stored expiry is moved into the past.
    sqlx::query("UPDATE api_tokens SET expires_at = '2026-01-01T00:00:00Z' WHERE id = $1")
        .bind(&issued.id)
        .execute(w.store.pool())
        .await
        .unwrap();
    let reply = w.send_token(Method::GET, "/api/me", &issued.token).await;
    assert_eq!(reply.status, 401);
    // Listed as expired for its owner; an expiry in the past or far off is refused.
    let mine = w.get("/api/tokens", "operator_a").await;
    let listed = mine.json.as_array().unwrap();
    let soon = listed.iter().find(|t| t["label"] == "soon").unwrap();
    assert_eq!(soon["state"], "expired");
    assert!(listed.iter().all(|t| t["user_id"] == operator));
    assert!(!mine.json.to_string().contains(&issued.token[20..]));
    for bad in ["2020-01-01", "2999-01-01", "tomorrow"] {
        let body = serde_json::json!({"label": "x", "expires_at": bad}).to_string();
        let reply = w
            .send(
                Method::POST,
                "/api/tokens",
                "operator_a",
                Some(("application/json", body.into_bytes())),
            )
            .await;
        assert_eq!(reply.status, 422, "{bad}: {}", reply.json);
        assert!(
            reply.json["error"]["message"]
                .as_str()
                .unwrap()
                .contains("expires_at"),
            "{}",
            reply.json
        );
    }
}

#[tokio::test]
async fn ten_thousand_anonymous_denials_leave_a_bounded_number_of_audit_rows() {
    let w = world().await;
    let before = w.denials().await.len();
    for i in 0..10_000 {
        let uri = format!("/api/networks/{:016x}", i);
        assert_eq!(w.get(&uri, "anonymous").await.status, 401);
    }
    let after = w.denials().await;
    let rows = &after[before..];
    // One request class from one (unknown) source: one row per window.
    assert!(rows.len() <= 2, "{} rows", rows.len());
    let counted: u64 = rows
        .iter()
        .map(|e| {
            let d: serde_json::Value = serde_json::from_str(&e.detail).unwrap();
            d["count"].as_u64().unwrap()
        })
        .sum();
    assert_eq!(counted, 10_000);
    // A signed-in caller's denial is still an entry of its own, naming the principal.
    w.get("/api/users", "operator_a").await;
    let last = w.denials().await.pop().unwrap();
    assert!(last.actor.starts_with("user:"), "{last:?}");
    assert_eq!(last.target, "GET /api/users");
}

#[tokio::test]
async fn the_token_listings_say_when_each_token_was_last_used_written_at_most_once_a_minute() {
    let w = world().await;
    let operator = w.user_ids[2].as_deref().unwrap();
    let issued = w
        .store
        .create_token("test", operator, "probe")
        .await
        .unwrap();
    let probe = |list: &serde_json::Value| -> serde_json::Value {
        list.as_array()
            .unwrap()
            .iter()
            .find(|t| t["label"] == "probe")
            .unwrap()
            .clone()
    };
    let mine = w.get("/api/tokens", "operator_a").await;
    assert_eq!(mine.status, 200);
    let t = probe(&mine.json);
    assert!(t.get("last_used").is_some_and(|v| v.is_null()), "{t}");

    assert_eq!(
        w.send_token(Method::GET, "/api/me", &issued.token)
            .await
            .status,
        200
    );
    let all = w.get("/api/tokens/all", "administrator").await;
    assert_eq!(all.status, 200);
    let used: jiff::Timestamp = probe(&all.json)["last_used"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(jiff::Timestamp::now().duration_since(used).as_secs().abs() < 300);

    // Within the minute, further requests write nothing.
    sqlx::query("UPDATE api_tokens SET last_used_at = '2026-01-01T00:00:00Z' WHERE id = $1")
        .bind(&issued.id)
        .execute(w.store.pool())
        .await
        .unwrap();
    for _ in 0..5 {
        w.send_token(Method::GET, "/api/me", &issued.token).await;
    }
    let mine = w.get("/api/tokens", "operator_a").await;
    assert_eq!(probe(&mine.json)["last_used"], "2026-01-01T00:00:00Z");
    // The matrix's own rows still cover both listings.
    let rows = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/matrix.txt"),
    )
    .unwrap();
    for listing in ["GET    /api/tokens ", "GET    /api/tokens/all "] {
        assert!(rows.contains(listing), "{listing}");
    }
}
