//! What every page's template needs: the language and its messages, who is signed in, the
//! CSRF token for its forms and the navigation.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use dengbao_server::auth;
use dengbao_server::AppState;
use dengbao_store::{Principal, Role};

use crate::i18n::{Lang, Messages, LANG_COOKIE};

/// The cookie that carries the CSRF token of a browser not yet signed in (sign-in and
/// setup forms), compared with the form's `_csrf` (double submit).
pub const PRESESSION_COOKIE: &str = "dengbao_presession";

/// One navigation entry.
#[derive(Debug, Clone)]
pub struct NavItem {
    /// Stable id for tests: `nav-networks`.
    pub id: &'static str,
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

/// The page context: `c` in every template.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub t: &'static Messages,
    /// The signed-in user, if any.
    pub user: Option<Principal>,
    /// The token forms must carry as `_csrf` (the session's, or the pre-session cookie's).
    pub csrf: String,
    /// The request path (for `next=` and the language switch).
    pub path: String,
    pub nav: Vec<NavItem>,
}

impl Ctx {
    /// The signed-in user's role label.
    pub fn role_label(&self) -> &'static str {
        match self.user.as_ref().map(|u| u.role) {
            Some(r) => self.t.s(role_key(r)),
            None => "",
        }
    }

    /// The link that shows this page in the other language.
    pub fn other_lang_href(&self) -> String {
        format!("{}?lang={}", self.path, self.lang.other().code())
    }

    pub fn other_lang_label(&self) -> &'static str {
        self.t.s("layout.other_language")
    }

    pub fn is_admin(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| u.role == Role::Administrator)
    }
}

/// The catalog key of a role's name.
pub fn role_key(r: Role) -> &'static str {
    match r {
        Role::Administrator => "role.administrator",
        Role::Operator => "role.operator",
        Role::Assessor => "role.assessor",
        Role::Supervisor => "role.supervisor",
        Role::Auditor => "role.auditor",
    }
}

/// The console's language when a request names none: Chinese, unless the server was started
/// with `--lang en` (`DENGBAO_LANG`). Set once at start.
static DEFAULT_LANG: std::sync::OnceLock<Lang> = std::sync::OnceLock::new();

/// Sets the default language (the first call wins; `dengbao serve` makes it).
pub fn set_default_lang(lang: Lang) {
    let _ = DEFAULT_LANG.set(lang);
}

/// The language of a request: `?lang=` first, then the cookie, then the server's default.
pub fn lang_of(parts: &Parts) -> Lang {
    let from_query = parts.uri.query().and_then(|q| {
        q.split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == "lang")
            .and_then(|(_, v)| Lang::parse(v))
    });
    from_query
        .or_else(|| auth::cookie(parts, LANG_COOKIE).and_then(Lang::parse))
        .unwrap_or_else(|| DEFAULT_LANG.get().copied().unwrap_or_default())
}

/// The navigation for a role. Supervisor and assessor views are registered by
/// `pages::supervisor::routes()` and `pages::assessor::routes()`.
pub fn nav(t: &'static Messages, role: Option<Role>, path: &str) -> Vec<NavItem> {
    let Some(role) = role else { return vec![] };
    let mut items: Vec<(&'static str, &'static str, &'static str)> = vec![
        ("nav-dashboard", "/", "nav.dashboard"),
        ("nav-networks", "/networks", "nav.networks"),
        ("nav-grading", "/grading", "nav.grading"),
        ("nav-law", "/law", "nav.law"),
        ("nav-cases", "/cases", "nav.cases"),
    ];
    if matches!(role, Role::Supervisor | Role::Administrator) {
        items.push(("nav-supervisor", "/supervisor", "nav.supervisor"));
        items.push((
            "nav-supervised-incidents",
            "/supervisor/incidents",
            "supervisor.incidents_nav",
        ));
    }
    if matches!(role, Role::Assessor | Role::Administrator) {
        items.push(("nav-assessor", "/assessor", "nav.assessor"));
    }
    if role == Role::Administrator {
        items.push(("nav-users", "/admin/users", "nav.users"));
        items.push(("nav-orgs", "/admin/orgs", "nav.orgs"));
        items.push(("nav-calendar", "/admin/calendar", "nav.calendar"));
        items.push(("nav-all-tokens", "/admin/tokens", "nav.all_tokens"));
    }
    if matches!(role, Role::Administrator | Role::Auditor) {
        items.push(("nav-audit", "/admin/audit", "nav.audit"));
    }
    items.push(("nav-tokens", "/tokens", "nav.tokens"));
    items.push(("nav-totp", "/account/totp", "nav.totp"));
    items
        .into_iter()
        .map(|(id, href, key)| NavItem {
            id,
            href,
            label: t.s(key),
            active: if href == "/" {
                path == "/"
            } else {
                path == href || path.starts_with(&format!("{href}/"))
            },
        })
        .collect()
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Ctx, Self::Rejection> {
        let lang = lang_of(parts);
        let t = Messages::get(lang);
        let session = auth::session(parts, state).await.ok().flatten();
        let path = parts.uri.path().to_string();
        let (user, csrf) = match session {
            Some((p, s)) => (Some(p), s.csrf),
            None => (
                None,
                auth::cookie(parts, PRESESSION_COOKIE)
                    .map(str::to_string)
                    .or_else(|| {
                        parts
                            .extensions
                            .get::<PresessionToken>()
                            .map(|p| p.0.clone())
                    })
                    .unwrap_or_default(),
            ),
        };
        let nav = nav(t, user.as_ref().map(|u| u.role), &path);
        Ok(Ctx {
            lang,
            t,
            user,
            csrf,
            path,
            nav,
        })
    }
}

/// A pre-session token the middleware is about to set as a cookie (first visit), so the
/// page rendered in the same response already carries it in its forms.
#[derive(Debug, Clone)]
pub struct PresessionToken(pub String);
