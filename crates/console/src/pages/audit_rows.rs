//! The audit log as people read it: the person's name rather than the stored
//! `user:<id> <name>`, the action and the detail keys in words, the network by its name.
//! The stored values stay on the row (as a title and a collapsed raw view), so an auditor
//! can still compare them with `dengbao audit verify`.

use std::collections::BTreeMap;

use dengbao_store::AuditEntry;

use crate::ctx::Ctx;
use crate::pages::admin::AuditRow;

/// One `label：value` of an entry's detail; a `*_code` part is an identifier shown as code
/// (a stored key or value the catalog has no words for).
pub struct DetailItem {
    pub label: String,
    pub label_code: bool,
    pub value: String,
    pub value_code: bool,
}

/// Whether `s` is an identifier-like ASCII word (`running`, `cii`, `setup`) rather than
/// a number, a date, a hash or text in the page's language.
fn is_code_word(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-:/[]{}\",".contains(c))
        && !s.chars().all(|c| c.is_ascii_hexdigit())
        && s.parse::<jiff::Timestamp>().is_err()
}

/// One audit entry as a row; `networks` maps network ids to names.
pub fn row(c: &Ctx, networks: &BTreeMap<String, String>, e: AuditEntry) -> AuditRow {
    let action_key = format!("audit.act.{}", e.action.replace('.', "_"));
    let action = match c.t.s(&action_key) {
        k if k == action_key => e.action.clone(),
        label => label.to_string(),
    };
    let (target, target_href) = match e.target.strip_prefix("network:") {
        Some(id) => match networks.get(id) {
            Some(name) => (
                crate::i18n::quoted(c.lang, name),
                Some(format!("/networks/{id}")),
            ),
            None => (e.target.clone(), None),
        },
        None => (e.target.clone(), None),
    };
    let actor = crate::i18n::quoted(c.lang, &person(c, &e.actor));
    AuditRow {
        seq: e.seq,
        at: c.t.when(&e.at),
        denied: e.action == "denied" || e.action.starts_with("signin."),
        actor_code: is_code_word(&actor),
        actor,
        actor_raw: e.actor,
        action,
        action_code: e.action,
        target,
        target_href,
        detail: detail(c, networks, &e.detail),
        detail_raw: e.detail,
    }
}

/// `user:<id> <name>` → the name; `cli` → 命令行; anything else as stored.
pub fn person(c: &Ctx, actor: &str) -> String {
    if let Some(rest) = actor.strip_prefix("user:") {
        return rest
            .split_once(' ')
            .map(|(_, name)| name.to_string())
            .unwrap_or_else(|| rest.to_string());
    }
    match actor {
        "cli" => c.t.s("audit.cli").to_string(),
        "system" => c.t.s("audit.system").to_string(),
        other => other.to_string(),
    }
}

/// The top-level fields of the JSON detail as (label, value) pairs in words: known keys
/// from the catalog (`audit.key.*`), nested values as compact text, network ids named.
fn detail(c: &Ctx, networks: &BTreeMap<String, String>, raw: &str) -> Vec<DetailItem> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(raw) else {
        return if raw.is_empty() || raw == "null" {
            Vec::new()
        } else {
            vec![DetailItem {
                label: String::new(),
                label_code: false,
                value: raw.to_string(),
                value_code: true,
            }]
        };
    };
    map.into_iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| {
            let key = format!("audit.key.{k}");
            let (label, label_code) = match c.t.s(&key) {
                l if l == key => (k.clone(), true),
                l => (l.to_string(), false),
            };
            let value = match &v {
                serde_json::Value::String(s) if k == "kind" => {
                    crate::pages::networks::event_label(c, s)
                }
                serde_json::Value::String(s) => {
                    networks.get(s).cloned().unwrap_or_else(|| s.clone())
                }
                serde_json::Value::Bool(b) => {
                    c.t.s(if *b { "common.yes" } else { "common.no" })
                        .to_string()
                }
                other => other.to_string(),
            };
            let value_code = is_code_word(&value) || value.starts_with(['{', '[']);
            DetailItem {
                label,
                label_code,
                value: if value_code {
                    value
                } else {
                    crate::i18n::quoted(c.lang, &value)
                },
                value_code,
            }
        })
        .collect()
}
