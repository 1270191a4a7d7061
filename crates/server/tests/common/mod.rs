//! A world to test the API in: two organisations, a user of every role with a token, a
//! network of organisation A with an event and an uploaded file. Driven with `oneshot`.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use dengbao_server::{app, AppState};
use dengbao_store::orgs::NewOrganisation;
use dengbao_store::users::{NewUser, Role};
use dengbao_store::{EvidenceInput, NetworkProfile, Store};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

pub const ROLES: [&str; 7] = [
    "anonymous",
    "administrator",
    "operator_a",
    "operator_b",
    "assessor",
    "supervisor",
    "auditor",
];

pub struct World {
    pub _dir: tempfile::TempDir,
    pub store: Store,
    pub app: Router,
    pub org_a: String,
    pub org_b: String,
    pub net_a: String,
    pub evidence_a: String,
    /// Token per role (None for anonymous), in ROLES order.
    pub tokens: Vec<Option<String>>,
    pub user_ids: Vec<Option<String>>,
}

pub fn profile(name: &str) -> NetworkProfile {
    serde_json::from_value(serde_json::json!({
        "name": name, "level": 3, "stage": "running", "personal_info": true,
        "services": ["info_publishing"], "new_tech": ["cloud"]
    }))
    .unwrap()
}

/// `dengbao host check --json` of an empty root at `level`: every check run, most of them
/// unknown or failed (nothing to read), as a real report of a bare image would be.
pub fn host_report(level: u8) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let checks = dengbao_hostcheck::Checks::builtin().unwrap();
    let host = dengbao_hostcheck::Host::open(dir.path());
    serde_json::to_value(dengbao_hostcheck::run(&checks, &host, level)).unwrap()
}

pub async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(dir.path()).await.unwrap();
    world_on(dir, store).await
}

pub async fn world_on(dir: tempfile::TempDir, store: Store) -> World {
    let org_a = store
        .create_org(
            "test",
            NewOrganisation {
                name: "甲市电力公司".into(),
            },
        )
        .await
        .unwrap()
        .id;
    let org_b = store
        .create_org(
            "test",
            NewOrganisation {
                name: "乙市燃气公司".into(),
            },
        )
        .await
        .unwrap()
        .id;
    let users = [
        ("管理员", Role::Administrator, vec![]),
        ("甲运营者", Role::Operator, vec![org_a.clone()]),
        ("乙运营者", Role::Operator, vec![org_b.clone()]),
        ("测评机构", Role::Assessor, vec![org_a.clone()]),
        ("网安支队", Role::Supervisor, vec![org_a.clone()]),
        ("审计员", Role::Auditor, vec![]),
    ];
    let mut tokens = vec![None];
    let mut user_ids = vec![None];
    for (name, role, orgs) in users {
        let u = store
            .create_user(
                "test",
                NewUser {
                    name: name.into(),
                    role,
                    orgs,
                },
            )
            .await
            .unwrap();
        tokens.push(Some(
            store
                .create_token("test", &u.id, "test")
                .await
                .unwrap()
                .token,
        ));
        user_ids.push(Some(u.id));
    }
    let net_a = store
        .create_network("test", &org_a, profile("甲-营销系统"))
        .await
        .unwrap()
        .id;
    let evidence_a = store
        .add_evidence(
            "test",
            &net_a,
            EvidenceInput {
                duty_id: "mlps.assessment.yearly".into(),
                description: "测评报告".into(),
                file_name: Some("r.pdf".into()),
                ..Default::default()
            },
            Some(b"%PDF-1.4 report"),
        )
        .await
        .unwrap()
        .id;
    let state = AppState::new(store.clone(), dir.path()).unwrap();
    World {
        _dir: dir,
        store,
        app: app(state),
        org_a,
        org_b,
        net_a,
        evidence_a,
        tokens,
        user_ids,
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub json: serde_json::Value,
    pub bytes: Vec<u8>,
    pub headers: axum::http::HeaderMap,
}

impl World {
    pub fn token(&self, role: &str) -> Option<&str> {
        let i = ROLES.iter().position(|r| *r == role).unwrap();
        self.tokens[i].as_deref()
    }

    pub async fn send(
        &self,
        method: Method,
        uri: &str,
        role: &str,
        body: Option<(&str, Vec<u8>)>,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(t) = self.token(role) {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some((ct, bytes)) => req.header(header::CONTENT_TYPE, ct).body(Body::from(bytes)),
            None => req.body(Body::empty()),
        }
        .unwrap();
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
        Reply {
            status,
            json,
            bytes,
            headers,
        }
    }

    /// A request with the bearer token `token` (not a role's).
    pub async fn send_token(&self, method: Method, uri: &str, token: &str) -> Reply {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
        Reply {
            status,
            json,
            bytes,
            headers,
        }
    }

    pub async fn get(&self, uri: &str, role: &str) -> Reply {
        self.send(Method::GET, uri, role, None).await
    }

    /// How many items the JSON array at `uri` lists for `role`.
    pub async fn count(&self, uri: &str, role: &str) -> usize {
        let r = self.get(uri, role).await;
        r.json
            .as_array()
            .map(Vec::len)
            .unwrap_or_else(|| panic!("not a list: {}", r.json))
    }

    pub async fn put_json(&self, uri: &str, role: &str, body: serde_json::Value) -> Reply {
        self.send_json(Method::PUT, uri, role, body).await
    }

    pub async fn post_json(&self, uri: &str, role: &str, body: serde_json::Value) -> Reply {
        self.send_json(Method::POST, uri, role, body).await
    }

    async fn send_json(
        &self,
        method: Method,
        uri: &str,
        role: &str,
        body: serde_json::Value,
    ) -> Reply {
        let body = Some(("application/json", body.to_string().into_bytes()));
        self.send(method, uri, role, body).await
    }

    /// Every denial in the audit log, anonymous ones counted so far written first.
    pub async fn denials(&self) -> Vec<dengbao_store::AuditEntry> {
        self.store.flush_anonymous_denials().await.unwrap();
        self.store
            .audit_entries(0, 100_000)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "denied")
            .collect()
    }
}

pub const BOUNDARY: &str = "dengbao-test-boundary";

/// A multipart body with text fields and one file.
pub fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let mut out = Vec::new();
    for (k, v) in fields {
        out.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        out.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        out.extend_from_slice(bytes);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), out)
}

/// A request with an explicit token, for users made inside a test.
pub async fn send_as(
    w: &World,
    method: Method,
    uri: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    let req = match body {
        Some(b) => req
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    }
    .unwrap();
    let res = w.app.clone().oneshot(req).await.unwrap();
    let status = res.status().as_u16();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// A new user of `role` with no organisations, and its token.
pub async fn user(w: &World, name: &str, role: Role) -> (String, String) {
    let u = w
        .store
        .create_user(
            "test",
            NewUser {
                name: name.into(),
                role,
                orgs: vec![],
            },
        )
        .await
        .unwrap();
    let t = w
        .store
        .create_token("test", &u.id, "t")
        .await
        .unwrap()
        .token;
    (u.id, t)
}

/// The `word/document.xml` of a DOCX (the zip's stored or deflated entry).
pub fn docx_xml(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut entry = zip.by_name("word/document.xml").expect("word/document.xml");
    let mut out = String::new();
    std::io::Read::read_to_string(&mut entry, &mut out).expect("UTF-8 XML");
    out
}

/// Engages the assessor of the world on organisation A's network (as operator A).
pub async fn engage_assessor(w: &World, engaged_on: &str) {
    let assessor = w.user_ids[4].clone().unwrap();
    let r = w
        .post_json(
            &format!("/api/networks/{}/engagements", w.net_a),
            "operator_a",
            serde_json::json!({"assessor_id": assessor, "engaged_on": engaged_on}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
}
