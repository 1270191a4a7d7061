//! The message catalogs: `data/i18n/zh-CN.toml` (default) and `data/i18n/en.toml`,
//! embedded in the binary. Keys are the TOML tables' dotted paths (`nav.networks`).
//! A missing key shows as the key itself (the catalog test fails on one).
//!
//! One vocabulary for every interface: the console's pages, the CLI's text output and the
//! explanations the duty engine writes (event and stage names) all read these catalogs, so
//! a term is translated once (decision 0934).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use jiff::civil::Date;

pub const ZH_CN: &str = include_str!("../../../data/i18n/zh-CN.toml");
pub const EN: &str = include_str!("../../../data/i18n/en.toml");

pub use dengbao_types::Lang;

pub mod lint;

/// The catalog key naming `version` of `law` (`law.version.amended-2025`): `final` is the
/// 2016 text only for the Cybersecurity Law; a law around it carries one version, the text
/// in force (decision 0204).
pub fn version_key(law: &str, version: &str) -> String {
    match (law, version) {
        ("csl", v) | (_, v @ ("draft" | "draft-for-comment" | "revised-2023")) => {
            format!("law.version.{v}")
        }
        _ => "law.version.current".to_string(),
    }
}
mod quote;
pub use quote::quoted;
pub mod bilingual;
pub use bilingual::one_language;

/// One language's messages.
#[derive(Debug)]
pub struct Messages {
    pub lang: Lang,
    map: BTreeMap<String, String>,
}

/// Why a catalog does not load (a test and the first request would show it).
#[derive(Debug, thiserror::Error)]
#[error("message catalog data/i18n/{file}: {message}")]
pub struct CatalogError {
    pub file: &'static str,
    pub message: String,
}

/// Flattens a catalog's TOML into `dotted.key → text`.
pub fn parse_catalog(
    file: &'static str,
    text: &str,
) -> Result<BTreeMap<String, String>, CatalogError> {
    let value: toml::Table = toml::from_str(text).map_err(|e| CatalogError {
        file,
        message: e.to_string(),
    })?;
    let mut out = BTreeMap::new();
    flatten(file, "", &value, &mut out)?;
    Ok(out)
}

fn flatten(
    file: &'static str,
    prefix: &str,
    table: &toml::Table,
    out: &mut BTreeMap<String, String>,
) -> Result<(), CatalogError> {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            toml::Value::Table(t) => flatten(file, &key, t, out)?,
            _ => {
                return Err(CatalogError {
                    file,
                    message: format!("{key}: every message must be a string"),
                })
            }
        }
    }
    Ok(())
}

impl Messages {
    /// The catalog of `lang` (parsed once per process).
    pub fn get(lang: Lang) -> &'static Messages {
        static ZH: OnceLock<Messages> = OnceLock::new();
        static EN_: OnceLock<Messages> = OnceLock::new();
        let (cell, file, text) = match lang {
            Lang::ZhCn => (&ZH, "zh-CN.toml", ZH_CN),
            Lang::En => (&EN_, "en.toml", EN),
        };
        cell.get_or_init(|| Messages {
            lang,
            map: parse_catalog(file, text).unwrap_or_else(|e| {
                tracing::error!(%e, "message catalog");
                BTreeMap::new()
            }),
        })
    }

    /// The message `key` (the key itself when missing).
    pub fn s<'a>(&'a self, key: &'a str) -> &'a str {
        self.map.get(key).map(String::as_str).unwrap_or(key)
    }

    /// The message `key` as HTML: escaped, and each `…` span (a command, a file, a key) in
    /// `<code>`, so the page marks what the user types.
    pub fn code_html(&self, key: &str) -> String {
        code_spans_html(self.s(key))
    }

    /// The message `key` with `{0}` replaced by `a`.
    pub fn f(&self, key: &str, a: impl std::fmt::Display) -> String {
        self.s(key).replace("{0}", &a.to_string())
    }

    /// The message `key` with `{0}` and `{1}` replaced.
    pub fn f2(&self, key: &str, a: impl std::fmt::Display, b: impl std::fmt::Display) -> String {
        self.f(key, a).replace("{1}", &b.to_string())
    }

    /// A date as people write it: `2026年11月25日`, or `25 Nov 2026`.
    pub fn date(&self, d: Date) -> String {
        match self.lang {
            Lang::ZhCn => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
            Lang::En => d.strftime("%-d %b %Y").to_string(),
        }
    }

    /// A stored date or time text shown as a date (times in Asia/Shanghai, with the time).
    pub fn when(&self, text: &str) -> String {
        if let Ok(d) = text.parse::<Date>() {
            return self.date(d);
        }
        match text.parse::<jiff::Timestamp>() {
            Ok(t) => {
                let z = dengbao_calendar::in_shanghai(t);
                format!("{} {}", self.date(z.date()), z.strftime("%H:%M"))
            }
            Err(_) => text.to_string(),
        }
    }

    /// A yuan amount with thousands separators: 1,000,000.
    pub fn yuan(&self, n: u64) -> String {
        let s = n.to_string();
        let mut out = String::new();
        for (i, ch) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(ch);
        }
        self.f("common.yuan", out)
    }

    /// A fine range `[min, max]` in yuan.
    pub fn range(&self, r: [u64; 2]) -> String {
        if r[0] == r[1] {
            self.yuan(r[1])
        } else {
            format!("{}–{}", self.yuan(r[0]), self.yuan(r[1]))
        }
    }

    /// Every key, for the catalog test.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }
}

/// `text` as HTML: escaped, and each `…` span in `<code>`.
pub fn code_spans_html(text: &str) -> String {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    escaped
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{part}</code>")
            } else {
                part.to_string()
            }
        })
        .collect()
}
