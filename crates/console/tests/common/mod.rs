//! A browser without a browser: requests through `tower::ServiceExt::oneshot` on the
//! console's router, with a cookie jar, the CSRF token of the last page seen and a peer
//! address (for the sign-in rate limiter).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use dengbao_server::AppState;
use dengbao_store::Store;
use http_body_util::BodyExt;
use tower::ServiceExt;

pub struct App {
    pub dir: tempfile::TempDir,
    pub store: Store,
    pub state: AppState,
    pub router: Router,
    pub setup_token: String,
}

impl App {
    /// The id of the first organisation (the one `set_up` creates).
    pub async fn first_org(&self) -> String {
        self.store
            .list_orgs(&dengbao_store::OrgScope::All)
            .await
            .unwrap()[0]
            .id
            .clone()
    }

    /// A network of the first organisation, from a profile in JSON.
    pub async fn network(&self, profile: serde_json::Value) -> dengbao_store::Network {
        let org = self.first_org().await;
        let profile: dengbao_store::NetworkProfile = serde_json::from_value(profile).unwrap();
        self.store
            .create_network("test", &org, profile)
            .await
            .unwrap()
    }

    /// A network of the first organisation with dated events, recorded as the operator
    /// would record them (`add_event`).
    pub async fn network_with_events(
        &self,
        profile: serde_json::Value,
        events: &[(&str, &str)],
    ) -> dengbao_store::Network {
        let net = self.network(profile).await;
        for (kind, at) in events {
            self.store
                .add_event(
                    "test",
                    &net.id,
                    dengbao_store::EventInput {
                        kind: kind.to_string(),
                        at: at.to_string(),
                        note: String::new(),
                    },
                )
                .await
                .unwrap();
        }
        net
    }

    pub async fn new() -> App {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_sqlite(dir.path()).await.unwrap();
        App::on(dir, store).await
    }

    /// An app whose store takes "now" to be `now` when it checks that events are not
    /// dated in the future, so a test can record events of a day still to come.
    pub async fn at(now: jiff::Timestamp) -> App {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_sqlite(dir.path())
            .await
            .unwrap()
            .with_fixed_clock(now);
        App::on(dir, store).await
    }

    async fn on(dir: tempfile::TempDir, store: Store) -> App {
        let setup_token = store.issue_setup_token().await.unwrap().unwrap();
        let state = AppState::new(store.clone(), dir.path()).unwrap();
        let router = dengbao_console::router(state.clone());
        App {
            dir,
            store,
            state,
            router,
            setup_token,
        }
    }

    /// The same data directory opened again, as after a restart.
    pub async fn restart(&self) -> App {
        let store = Store::open_sqlite(self.dir.path()).await.unwrap();
        let state = AppState::new(store.clone(), self.dir.path()).unwrap();
        let router = dengbao_console::router(state.clone());
        App {
            dir: tempfile::tempdir().unwrap(),
            store,
            state,
            router,
            setup_token: String::new(),
        }
    }

    pub fn browser(&self) -> Browser {
        Browser::new(self.router.clone(), "192.0.2.10")
    }

    /// Setup through the page: administrator `admin` / `correct horse battery`, first
    /// organisation `示例网络运营单位`; returns the administrator's browser, signed in.
    pub async fn set_up(&self) -> Browser {
        let mut b = self.browser();
        b.get("/setup").await;
        let r = b
            .post(
                "/setup",
                &[
                    ("setup_token", &self.setup_token),
                    ("administrator", "admin"),
                    ("password", ADMIN_PASSWORD),
                    ("password_again", ADMIN_PASSWORD),
                    ("organisation", "示例网络运营单位"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        b.sign_in("admin", ADMIN_PASSWORD).await;
        b
    }
}

pub const ADMIN_PASSWORD: &str = "correct horse battery";

pub struct Resp {
    pub status: StatusCode,
    pub location: String,
    pub set_cookies: Vec<String>,
    pub body: String,
}

pub struct Browser {
    router: Router,
    pub cookies: BTreeMap<String, String>,
    pub csrf: String,
    peer: SocketAddr,
    /// The last page fetched: sent as `Referer` with a form, as a browser does.
    pub page: Option<String>,
}

impl Browser {
    pub fn new(router: Router, ip: &str) -> Browser {
        Browser {
            router,
            cookies: BTreeMap::new(),
            csrf: String::new(),
            peer: format!("{ip}:40000").parse().unwrap(),
            page: None,
        }
    }

    pub async fn send(&mut self, mut req: Request<Body>) -> Resp {
        if !self.cookies.is_empty() {
            let jar = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            req.headers_mut()
                .insert(header::COOKIE, jar.parse().unwrap());
        }
        req.extensions_mut().insert(ConnectInfo(self.peer));
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let location = res
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let set_cookies: Vec<String> = res
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect();
        for c in &set_cookies {
            let first = c.split(';').next().unwrap();
            let (k, v) = first.split_once('=').unwrap();
            if v.is_empty() || c.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), v.to_string());
            }
        }
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let body = String::from_utf8_lossy(&bytes).to_string();
        if let Some(t) = csrf_in(&body) {
            self.csrf = t;
        }
        Resp {
            status,
            location,
            set_cookies,
            body,
        }
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        self.page = Some(path.to_string());
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// A form POST carrying the CSRF token of the last page seen.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let mut all: Vec<(&str, &str)> = vec![("_csrf", "")];
        let token = self.csrf.clone();
        all[0].1 = &token;
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// A form POST with exactly these fields (no token added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let mut req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "console.test");
        if let Some(page) = &self.page {
            req = req.header(header::REFERER, format!("http://console.test{page}"));
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    pub async fn sign_in(&mut self, name: &str, password: &str) -> Resp {
        self.get("/signin").await;
        let r = self
            .post(
                "/signin",
                &[("name", name), ("password", password), ("next", "/")],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "sign-in of {name}: {}",
            r.body
        );
        self.get("/").await;
        r
    }
}

/// The `_csrf` value of the first form of a page.
pub fn csrf_in(html: &str) -> Option<String> {
    let at = html.find(r#"name="_csrf" value=""#)?;
    let rest = &html[at + r#"name="_csrf" value=""#.len()..];
    Some(rest[..rest.find('"')?].to_string())
}

/// The text of the element with `id` (up to its first `<`).
pub fn text_of(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!(r#"id="{id}""#))?;
    let rest = &html[at..];
    let start = rest.find('>')? + 1;
    let end = rest[start..].find('<')? + start;
    Some(rest[start..end].trim().to_string())
}

/// The audit entries whose action is `action`.
/// The audit entries of `action`, anonymous denials counted so far written first.
pub async fn audited(store: &Store, action: &str) -> Vec<dengbao_store::AuditEntry> {
    store.flush_anonymous_denials().await.unwrap();
    store
        .audit_entries(0, 100_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == action)
        .collect()
}

/// Creates a user (actor "test") with the console password `password`; returns its id.
pub async fn user_with_password(
    store: &Store,
    name: &str,
    role: dengbao_store::Role,
    orgs: Vec<String>,
    password: &str,
) -> String {
    let u = store
        .create_user(
            "test",
            dengbao_store::users::NewUser {
                name: name.into(),
                role,
                orgs,
            },
        )
        .await
        .unwrap();
    store.set_password("test", &u.id, password).await.unwrap();
    u.id
}

/// Non-ASCII characters of a path percent-encoded.
pub fn uri(path: &str) -> String {
    let mut out = String::new();
    for ch in path.chars() {
        if ch.is_ascii() {
            out.push(ch);
        } else {
            let mut buf = [0u8; 4];
            for b in ch.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// A general incident of `network` found on 18 November 2026 (it owes the 24-hour police
/// report only); `closable`: handling ended and that report sent, so it may be closed.
#[allow(dead_code)]
pub async fn incident(store: &Store, network: &str, closable: bool) -> String {
    let rec = store
        .open_incident(
            "test",
            dengbao_store::OpenIncident {
                network_id: network.to_string(),
                title: "机房断电".into(),
                detected_at: "2026-11-18T09:30:00+08:00".into(),
                category: "data_security".into(),
                by: "张三".into(),
                ..Default::default()
            },
            |_| Ok(None),
        )
        .await
        .unwrap();
    if closable {
        store
            .grade_incident(
                "test",
                &rec.id,
                dengbao_store::GradeIncident {
                    handling_ended_at: Some("2026-11-18T12:00:00+08:00".into()),
                    by: "张三".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        store
            .record_report(
                "test",
                &rec.id,
                dengbao_store::SendReport {
                    report: "mlps.police_24h".into(),
                    sent_at: "2026-11-18T10:00:00+08:00".into(),
                    by: "张三".into(),
                    channel: "电话".into(),
                    attachment: String::new(),
                },
            )
            .await
            .unwrap();
    }
    rec.id
}

/// A level-3 host report of `network` for `host`, as `dengbao host report` stores it: the
/// checks of a root whose sshd lets root in (`access.ssh_root_login` fails on line 1).
/// Returns the report's evidence id.
#[allow(dead_code)]
pub async fn host_report(store: &Store, network: &str, host: &str) -> String {
    use dengbao_hostcheck::{run, Checks, Host};
    let root = tempfile::tempdir().unwrap();
    let sshd = root.path().join("etc/ssh");
    std::fs::create_dir_all(&sshd).unwrap();
    std::fs::write(sshd.join("sshd_config"), "PermitRootLogin yes\n").unwrap();
    let report = run(&Checks::builtin().unwrap(), &Host::open(root.path()), 3);
    let n = |s: &str| report.summary.get(s).copied().unwrap_or(0) as i64;
    let counts = [n("pass"), n("fail"), n("not_applicable"), n("unknown")];
    let bytes = serde_json::to_vec(&serde_json::json!({"host": host, "report": report})).unwrap();
    store
        .record_host_report(
            "test",
            network,
            dengbao_store::host_reports::HostReportInput {
                host: host.into(),
                level: 3,
                distro: " (unknown)".into(),
                counts,
            },
            dengbao_store::EvidenceInput {
                duty_id: "mlps.general.protection".into(),
                description: format!("主机检查 {host}"),
                file_name: Some(format!("主机检查-{host}.json")),
                ..Default::default()
            },
            &bytes,
        )
        .await
        .unwrap()
        .1
        .evidence_id
}
