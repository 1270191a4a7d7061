//! Denied requests of callers nobody signed in as, counted instead of written one by one
//! (issue 17 item 3, decision 0923). Anyone can send them, as fast as the network allows;
//! one append-only row each made the audit log a sink an anonymous client could fill
//! (50,000 rows in 13 s).
//!
//! Denials are tallied in memory by (action, source address, request class, reason); a
//! request class is the method and the path with id-like segments as `{id}` and at most
//! [`CLASS_SEGMENTS`] segments. Once a window of [`DENIAL_WINDOW`] has passed (checked at
//! each denial, by [`Store::flush_anonymous_denials_if_due`] on a timer, and whenever the
//! audit log is read) each tally becomes one audit entry: action as given (`denied`,
//! `signin.limited`), target the class, detail the count, the first and last time, the
//! source and one full request as an example. At most [`DENIAL_KEYS`] tallies are kept;
//! further ones are merged into one per action and reason with source and class `*`. So a
//! window writes at most `DENIAL_KEYS` + a few rows, however many requests it saw.
//!
//! Denials of signed-in users are not counted here: each is an entry of its own, with the
//! principal (`crate::audit`).

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::audit::AuditRecord;
use crate::error::Result;
use crate::{now_rfc3339, Store};

/// How long anonymous denials are counted before they are written.
pub const DENIAL_WINDOW: Duration = Duration::from_secs(60);
/// The most tallies kept in one window.
pub const DENIAL_KEYS: usize = 256;
/// The most path segments a request class keeps.
pub const CLASS_SEGMENTS: usize = 4;

/// One anonymous denial.
#[derive(Debug, Clone, Copy)]
pub struct AnonymousDenial<'a> {
    /// `denied`, `signin.limited`.
    pub action: &'a str,
    /// The client's address, or `unknown`.
    pub source: &'a str,
    /// `GET /api/networks/…`.
    pub request: &'a str,
    pub status: u16,
    pub reason: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    action: String,
    source: String,
    class: String,
    reason: String,
}

#[derive(Debug)]
struct Tally {
    count: u64,
    status: u16,
    first: String,
    last: String,
    example: String,
}

#[derive(Debug, Default)]
struct Window {
    opened: Option<Instant>,
    tallies: BTreeMap<Key, Tally>,
}

/// The tallies of the current window.
#[derive(Debug, Default)]
pub struct AnonymousDenials(Mutex<Window>);

impl AnonymousDenials {
    fn window(&self) -> std::sync::MutexGuard<'_, Window> {
        // ok: a panic while counting leaves counts, which are still usable
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// `method path` → the request class: query dropped, id-like segments as `{id}`, at most
/// [`CLASS_SEGMENTS`] segments of at most 40 characters each.
pub fn request_class(request: &str) -> String {
    let (method, path) = request.split_once(' ').unwrap_or(("", request));
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let mut out = String::new();
    for s in segments.iter().take(CLASS_SEGMENTS) {
        out.push('/');
        let id_like = s.len() >= 8
            && (s.bytes().any(|b| b.is_ascii_digit()) || s.bytes().all(|b| b.is_ascii_hexdigit()));
        if id_like || s.chars().count() > 40 {
            out.push_str("{id}");
        } else {
            out.push_str(s);
        }
    }
    if segments.len() > CLASS_SEGMENTS {
        out.push_str("/…");
    }
    if out.is_empty() {
        out.push('/');
    }
    let method: String = method.chars().take(10).collect();
    format!("{method} {out}")
}

impl Store {
    /// Counts an anonymous denial; writes the window's tallies when it has passed.
    pub async fn deny_anonymous(&self, d: AnonymousDenial<'_>) -> Result<()> {
        let due = {
            let mut w = self.denials.window();
            let now = now_rfc3339();
            let opened = *w.opened.get_or_insert_with(Instant::now);
            let mut key = Key {
                action: d.action.to_string(),
                source: d.source.chars().take(64).collect(),
                class: request_class(d.request),
                reason: d.reason.to_string(),
            };
            if !w.tallies.contains_key(&key) && w.tallies.len() >= DENIAL_KEYS {
                key.source = "*".into();
                key.class = "*".into();
            }
            let t = w.tallies.entry(key).or_insert_with(|| Tally {
                count: 0,
                status: d.status,
                first: now.clone(),
                last: now.clone(),
                example: d.request.chars().take(300).collect(),
            });
            t.count += 1;
            t.last = now;
            opened.elapsed() >= DENIAL_WINDOW
        };
        if due {
            self.flush_anonymous_denials().await?;
        }
        Ok(())
    }

    /// Writes the current window's tallies now, one audit entry each; returns how many.
    pub async fn flush_anonymous_denials(&self) -> Result<usize> {
        let tallies = {
            let mut w = self.denials.window();
            w.opened = None;
            std::mem::take(&mut w.tallies)
        };
        let n = tallies.len();
        for (k, t) in tallies {
            let actor = if k.source == "unknown" || k.source == "*" {
                "anonymous".to_string()
            } else {
                format!("anonymous {}", k.source)
            };
            self.audit(AuditRecord {
                actor,
                org_id: None,
                action: k.action,
                target: k.class,
                detail: serde_json::json!({
                    "status": t.status,
                    "reason": k.reason,
                    "count": t.count,
                    "first": t.first,
                    "last": t.last,
                    "source": k.source,
                    "example": t.example,
                }),
            })
            .await?;
        }
        Ok(n)
    }

    /// [`Store::flush_anonymous_denials`] when the window has passed (for a timer).
    pub async fn flush_anonymous_denials_if_due(&self) -> Result<usize> {
        let due = self
            .denials
            .window()
            .opened
            .is_some_and(|o| o.elapsed() >= DENIAL_WINDOW);
        if due {
            self.flush_anonymous_denials().await
        } else {
            Ok(0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::request_class;

    #[test]
    fn a_request_class_hides_ids_and_queries() {
        assert_eq!(
            request_class("GET /api/networks/0123abcd4567ef89/events?x=1"),
            "GET /api/networks/{id}/events"
        );
        assert_eq!(request_class("POST /setup"), "POST /setup");
        assert_eq!(request_class("GET /a/b/c/d/e/f"), "GET /a/b/c/d/…");
        assert_eq!(request_class("GET /"), "GET /");
    }
}
