//! Who may do what, enforced in one place.
//!
//! Every handler that touches data takes one of the extractors below; each resolves the
//! caller from its bearer token (scripts) or the console's session cookie (browsers) and
//! calls [`enforce`], the only place that decides. A session cookie authenticates an
//! unsafe request (POST, PUT, DELETE …) only when the request proves it came from the
//! console: the `X-CSRF-Token` header (API) or a [`CsrfVerified`] mark set by the console
//! after it checked the form's synchronizer token. A denial is written to the audit log
//! before the response goes out:
//! - no valid token → 401;
//! - another organisation's data (or a network that does not exist) → 404, the same answer
//!   either way, so a caller cannot learn what exists outside its organisations;
//! - an organisation the caller sees but an action its role lacks → 403.

use std::collections::HashMap;
use std::marker::PhantomData;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use dengbao_store::{AnonymousDenial, AuditRecord, OrgScope, Principal, Role};

use crate::error::ApiError;
use crate::AppState;

/// What a request needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Law, calendar, grading: anything signed in.
    Tools,
    /// Read an organisation's data.
    Read,
    /// Create, change or delete a network profile.
    EditNetwork,
    /// Record an event of a network's life.
    AddEvent,
    /// Attach evidence to a duty.
    AddEvidence,
    /// Accept, reject or void evidence (someone other than its uploader).
    ReviewEvidence,
    /// Create organisations, users and tokens.
    ManageAccounts,
    /// Read and verify the audit log.
    ReadAudit,
    /// Load a year's State Council holiday notice into the working-day calendar.
    ManageCalendar,
    /// Submit a filing, report on a rectification order (the operator's side of 备案/整改).
    FileNetwork,
    /// Engage an assessor for a network (等级测评委托).
    Engage,
    /// Review filings, record inspections, issue and close rectification orders (公安机关).
    Supervise,
    /// Record assessment findings and the conclusion (测评机构).
    Assess,
    /// Read the supervisory overview: filings received, inspections due, statistics.
    Oversee,
    /// Open, grade and close an incident, record a report sent (the operator's side of
    /// 网络安全事件报告).
    HandleIncident,
}

/// The role table. Organisation reach is separate ([`sees_org`]).
pub fn role_may(role: Role, need: Need) -> bool {
    use Need::*;
    match role {
        Role::Administrator => true,
        Role::Operator => matches!(
            need,
            Tools
                | Read
                | EditNetwork
                | AddEvent
                | AddEvidence
                | ReviewEvidence
                | FileNetwork
                | Engage
                | HandleIncident
        ),
        // An assessor adds findings and evidence, and a supervisor acts through the filing,
        // inspection and rectification workflows; neither records the operator's own facts
        // (上线运行, 自查, 向公安机关备案 …), which would meet the operator's duties for it.
        Role::Assessor => matches!(need, Tools | Read | AddEvidence | Assess),
        Role::Supervisor => matches!(need, Tools | Read | Supervise | Oversee),
        Role::Auditor => matches!(need, Tools | Read | ReadAudit | Oversee),
    }
}

/// The organisations a principal's queries may see.
pub fn scope(p: &Principal) -> OrgScope {
    match p.role {
        Role::Administrator | Role::Auditor => OrgScope::All,
        _ => OrgScope::Only(p.orgs.clone()),
    }
}

pub fn sees_org(p: &Principal, org: &str) -> bool {
    scope(p).allows(org)
}

/// `networks` without those `p` may not see inside its organisations: an assessor's
/// networks it is not engaged on.
/// The networks `p` reaches when narrower than its organisations (an assessor's engaged
/// networks, a supervisor's filed ones); `None`: all of its organisations'.
pub async fn reached_set(
    state: &AppState,
    p: &Principal,
) -> Result<Option<std::collections::HashSet<String>>, ApiError> {
    Ok(state
        .store
        .networks_reached(p.role, &p.user_id)
        .await?
        .map(|ids| ids.into_iter().collect()))
}

pub async fn only_reached(
    state: &AppState,
    p: &Principal,
    networks: Vec<dengbao_store::Network>,
) -> Result<Vec<dengbao_store::Network>, ApiError> {
    Ok(
        match state.store.networks_reached(p.role, &p.user_id).await? {
            Some(ids) => networks
                .into_iter()
                .filter(|n| ids.contains(&n.id))
                .collect(),
            None => networks,
        },
    )
}

/// The one decision point. `org` is the organisation whose data the request touches, when
/// it touches one's. Denials are audited: a signed-in caller's each in an entry of its own,
/// an anonymous caller's counted per source and request class and written once per window
/// (`dengbao_store::denials`), so nobody can fill the audit log without signing in.
pub async fn enforce(
    state: &AppState,
    who: Option<&Principal>,
    org: Option<&str>,
    need: Need,
    request: &Asked,
) -> Result<(), ApiError> {
    enforce_on(state, who, org, None, need, request).await
}

/// [`enforce`] for one network of `org`: an assessor reaches only the networks it is
/// engaged on (issue 16: reach to the organisation alone let it see, and upload evidence
/// to, the operator's other networks).
pub async fn enforce_network(
    state: &AppState,
    who: &Principal,
    org: &str,
    network_id: &str,
    need: Need,
    request: &Asked,
) -> Result<(), ApiError> {
    enforce_on(state, Some(who), Some(org), Some(network_id), need, request).await
}

async fn enforce_on(
    state: &AppState,
    who: Option<&Principal>,
    org: Option<&str>,
    network: Option<&str>,
    need: Need,
    request: &Asked,
) -> Result<(), ApiError> {
    let outside_network = match (who, network) {
        (Some(p), Some(n)) if org.is_none_or(|o| sees_org(p, o)) => {
            !state.store.reaches_network(p.role, &p.user_id, n).await?
        }
        _ => false,
    };
    let (status, reason) = match who {
        None => (StatusCode::UNAUTHORIZED, "no valid API token or session"),
        Some(p) if org.is_some_and(|o| !sees_org(p, o)) => {
            (StatusCode::NOT_FOUND, "another organisation's data")
        }
        Some(_) if outside_network => (
            StatusCode::NOT_FOUND,
            "a network the assessor is not engaged on",
        ),
        Some(p) if !role_may(p.role, need) => (StatusCode::FORBIDDEN, "not allowed for this role"),
        Some(_) => return Ok(()),
    };
    if who.is_none() {
        state
            .store
            .deny_anonymous(AnonymousDenial {
                action: "denied",
                source: &request.source,
                request: &request.line,
                status: status.as_u16(),
                reason,
            })
            .await?;
        return Err(ApiError::unauthenticated());
    }
    state
        .store
        .audit(AuditRecord {
            actor: who
                .map(Principal::actor)
                .unwrap_or_else(|| "anonymous".into()),
            org_id: org.map(str::to_string),
            action: "denied".into(),
            target: request.line.clone(),
            detail: serde_json::json!({
                "status": status.as_u16(),
                "reason": reason,
                "need": format!("{need:?}"),
                "role": who.map(|p| p.role),
            }),
        })
        .await?;
    Err(match status {
        StatusCode::UNAUTHORIZED => ApiError::unauthenticated(),
        StatusCode::NOT_FOUND => ApiError::not_found("resource"),
        _ => ApiError::forbidden(),
    })
}

/// The console's session cookie.
pub const SESSION_COOKIE: &str = "dengbao_session";

/// The header that carries a session's CSRF token on unsafe API requests.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Set on a request by the console once the form's synchronizer token matched the
/// session's, so the session may authenticate an unsafe request.
#[derive(Debug, Clone, Copy)]
pub struct CsrfVerified;

/// The value of cookie `name`, if the request carries it.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// The session the request's cookie stands for (cached on the request), whatever the
/// method: the console reads its CSRF token from it.
pub async fn session(
    parts: &mut Parts,
    state: &AppState,
) -> Result<Option<(Principal, dengbao_store::Session)>, ApiError> {
    type Cached = Option<(Principal, dengbao_store::Session)>;
    if let Some(s) = parts.extensions.get::<Cached>() {
        return Ok(s.clone());
    }
    let s = match cookie(parts, SESSION_COOKIE) {
        Some(c) => state.store.session(c).await?,
        None => None,
    };
    parts.extensions.insert::<Cached>(s.clone());
    Ok(s)
}

/// The caller, from `Authorization: Bearer …` or the session cookie (cached on the
/// request). The cookie counts on an unsafe request only with its CSRF token checked.
pub async fn principal(parts: &mut Parts, state: &AppState) -> Result<Option<Principal>, ApiError> {
    if let Some(p) = parts.extensions.get::<Option<Principal>>() {
        return Ok(p.clone());
    }
    let token = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .map(str::to_string);
    let p = match token {
        Some(t) => state.store.authenticate(&t).await?,
        None => match session(parts, state).await? {
            Some((p, s)) => {
                let header_ok = parts
                    .headers
                    .get(CSRF_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v == s.csrf);
                let proven = parts.method.is_safe()
                    || header_ok
                    || parts.extensions.get::<CsrfVerified>().is_some();
                proven.then_some(p)
            }
            None => None,
        },
    };
    parts.extensions.insert(p.clone());
    Ok(p)
}

/// A request as a denial names it: `GET /api/networks/…`, and where it came from.
#[derive(Debug, Clone)]
pub struct Asked {
    pub line: String,
    /// The client's address (the peer's, or the one the trusted proxy names:
    /// [`crate::client`]), or `unknown`.
    pub source: String,
}

impl std::fmt::Display for Asked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.line)
    }
}

/// The client address of a request: the peer's, or behind the trusted proxy the address it
/// names (`unknown` when served without a peer, as in tests).
pub fn source(parts: &Parts) -> String {
    crate::client::of(parts)
}

/// The client address of a request, as an extractor.
pub struct Source(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Source {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Source(source(parts)))
    }
}

/// How a denial names the request.
pub fn describe(parts: &Parts) -> Asked {
    Asked {
        line: format!("{} {}", parts.method, parts.uri.path()),
        source: source(parts),
    }
}

/// A requirement as a type, for the extractors' type parameter.
pub trait Requirement: Send + Sync + 'static {
    const NEED: Need;
}

macro_rules! requirement {
    ($($name:ident => $need:ident),* $(,)?) => {$(
        #[derive(Debug)]
        pub struct $name;
        impl Requirement for $name {
            const NEED: Need = Need::$need;
        }
    )*};
}
requirement!(
    Tools => Tools,
    Read => Read,
    EditNetwork => EditNetwork,
    AddEvent => AddEvent,
    AddEvidence => AddEvidence,
    ReviewEvidence => ReviewEvidence,
    ManageAccounts => ManageAccounts,
    ReadAudit => ReadAudit,
    ManageCalendar => ManageCalendar,
    FileNetwork => FileNetwork,
    Engage => Engage,
    Supervise => Supervise,
    Assess => Assess,
    Oversee => Oversee,
    HandleIncident => HandleIncident,
);

/// A signed-in caller allowed `R` (no particular organisation): lists filter by
/// [`scope`]; account management and the audit log need the role.
pub struct Caller<R: Requirement> {
    pub principal: Principal,
    _r: PhantomData<R>,
}

impl<R: Requirement> FromRequestParts<AppState> for Caller<R> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let who = principal(parts, state).await?;
        enforce(state, who.as_ref(), None, R::NEED, &describe(parts)).await?;
        match who {
            Some(principal) => Ok(Caller {
                principal,
                _r: PhantomData,
            }),
            None => Err(ApiError::unauthenticated()), // ok: enforce refused already
        }
    }
}

impl<R: Requirement> Caller<R> {
    pub fn scope(&self) -> OrgScope {
        scope(&self.principal)
    }
    pub fn actor(&self) -> String {
        self.principal.actor()
    }
}

/// Access to the network named by the `{id}` path parameter, for `R`.
pub struct NetworkGuard<R: Requirement> {
    pub principal: Principal,
    pub network_id: String,
    pub org_id: String,
    _r: PhantomData<R>,
}

impl<R: Requirement> NetworkGuard<R> {
    pub fn actor(&self) -> String {
        self.principal.actor()
    }
}

async fn path_id(parts: &mut Parts, state: &AppState) -> Result<String, ApiError> {
    let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
        .await
        .map_err(|e| ApiError::invalid(format!("path: {}", e.body_text())))?;
    params
        .get("id")
        .cloned()
        .ok_or_else(|| ApiError::internal("route has no {id} parameter"))
}

impl<R: Requirement> FromRequestParts<AppState> for NetworkGuard<R> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let who = principal(parts, state).await?;
        let id = path_id(parts, state).await?;
        let request = describe(parts);
        let Some(p) = who else {
            enforce(state, None, None, R::NEED, &request).await?;
            return Err(ApiError::unauthenticated()); // ok: enforce refused already
        };
        let Some(org) = state.store.network_org(&id).await? else {
            // Unknown network: the same answer as another organisation's.
            return Err(ApiError::not_found("resource"));
        };
        enforce_network(state, &p, &org, &id, R::NEED, &request).await?;
        Ok(NetworkGuard {
            principal: p,
            network_id: id,
            org_id: org,
            _r: PhantomData,
        })
    }
}

/// Access to the organisation named by the `{id}` path parameter, for `R`.
pub struct OrgGuard<R: Requirement> {
    pub principal: Principal,
    pub org_id: String,
    _r: PhantomData<R>,
}

impl<R: Requirement> FromRequestParts<AppState> for OrgGuard<R> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let who = principal(parts, state).await?;
        let id = path_id(parts, state).await?;
        let request = describe(parts);
        enforce(state, who.as_ref(), Some(&id), R::NEED, &request).await?;
        match who {
            Some(principal) => Ok(OrgGuard {
                principal,
                org_id: id,
                _r: PhantomData,
            }),
            None => Err(ApiError::unauthenticated()), // ok: enforce refused already
        }
    }
}

/// A JSON body that names the organisation it belongs to.
pub trait OrgOwned {
    fn org_id(&self) -> &str;
}

/// A JSON body for an organisation's data (creating a network): parsed, then `R` checked
/// on the organisation it names, by the same [`enforce`].
pub struct OrgBody<R: Requirement, T> {
    pub principal: Principal,
    pub body: T,
    _r: PhantomData<R>,
}

impl<R: Requirement, T: OrgOwned + serde::de::DeserializeOwned + Send>
    axum::extract::FromRequest<AppState> for OrgBody<R, T>
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &AppState) -> Result<Self, ApiError> {
        let (mut parts, body) = req.into_parts();
        let who = principal(&mut parts, state).await?;
        let request = describe(&parts);
        let Some(p) = who else {
            enforce(state, None, None, R::NEED, &request).await?;
            return Err(ApiError::unauthenticated()); // ok: enforce refused already
        };
        let req = axum::extract::Request::from_parts(parts, body);
        let crate::extract::ApiJson(body) =
            crate::extract::ApiJson::<T>::from_request(req, state).await?;
        enforce(state, Some(&p), Some(body.org_id()), R::NEED, &request).await?;
        Ok(OrgBody {
            principal: p,
            body,
            _r: PhantomData,
        })
    }
}

/// Access to the API token named by the `{id}` path parameter: its owner, or whoever may
/// manage accounts (administrators). Anyone else is denied 403 by [`enforce`], audited.
pub struct TokenGuard {
    pub principal: Principal,
    pub token_id: String,
}

impl FromRequestParts<AppState> for TokenGuard {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let who = principal(parts, state).await?;
        let id = path_id(parts, state).await?;
        let request = describe(parts);
        let Some(p) = who else {
            enforce(state, None, None, Need::ManageAccounts, &request).await?;
            return Err(ApiError::unauthenticated()); // ok: enforce refused already
        };
        let Some(owner) = state.store.token_owner(&id).await? else {
            return Err(ApiError::not_found("token"));
        };
        if owner != p.user_id {
            enforce(state, Some(&p), None, Need::ManageAccounts, &request).await?;
        }
        Ok(TokenGuard {
            principal: p,
            token_id: id,
        })
    }
}
