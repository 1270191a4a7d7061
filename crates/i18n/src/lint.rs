//! One language at a time, checked (decision 0934): what in a text is not in the language
//! it should be in. The rules every interface is tested against:
//!
//! - Chinese text may hold an ASCII word only when it is an id or path (it has a digit or
//!   one of `._/:-#@+=`), a single item letter, or a proper name of [`PROPER`]; text
//!   inside quotes (“…”, 「…」, 《…》) and `code` is the user's or the law's own.
//! - English text may hold Chinese only inside those quotes or on a line quoting the law
//!   (`> `).

use crate::Lang;

/// ASCII words a Chinese sentence may carry: units, formats, protocols, algorithms and
/// product names that have no Chinese form in use.
/// The names of the interface languages, each written in itself.
pub const LANGUAGE_NAMES: &[&str] = &["中文", "简体中文", "English"];

pub const PROPER: &[&str] = &[
    "JSON",
    "JSONL",
    "HTTP",
    "HTTPS",
    "TLS",
    "URL",
    "UTC",
    "RFC",
    "GB",
    "T",
    "SQLite",
    "PostgreSQL",
    "S3",
    "SM2",
    "SM3",
    "Ed25519",
    "SHA",
    "sha256",
    "zstd",
    "syslog",
    "rsyslog",
    "OSCAL",
    "CII",
    "ID",
    "DOCX",
    "XLSX",
    "PDF",
    "KiB",
    "MiB",
    "GiB",
    "B",
    "ms",
    "s",
    "h",
    "min",
    "MRR",
    "Recall",
    "dengbao",
    "Merkle",
    "WAL",
    "API",
    "CEL",
    "IP",
    "TCP",
    "UDP",
    "sig",
    "sm3",
    "sm2",
    "ed25519",
    "Windows",
    "Linux",
    "Cisco",
    "IOS",
    "nxlog",
    "MLPS",
    "CSL",
    "ASCII",
    "UTF",
    "GBK",
    "Asia",
    "Shanghai",
    "true",
    "false",
    "VPN",
    "SSL",
    "HTML",
    "Markdown",
    "LawRefBook",
];

/// An ASCII word: letters, then letters, digits and the characters ids are made of.
fn ascii_words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for ch in line.chars().chain(std::iter::once(' ')) {
        if ch.is_ascii_alphanumeric() || "._-/:#@+=".contains(ch) {
            cur.push(ch);
        } else {
            if cur.chars().any(|c| c.is_ascii_alphabetic()) {
                // A trailing full stop or colon is punctuation; a leading `--` marks a flag.
                out.push(cur.trim_end_matches(['.', ':']).to_string());
            }
            cur.clear();
        }
    }
    out
}

/// Allowed in Chinese text: an id or path (has `.`, `_`, `/`, `:`, `-`, `#`, `@` or a
/// digit), a listed proper name, or an upper-case abbreviation of one.
fn allowed_in_chinese(word: &str) -> bool {
    word.is_empty()
        || (word.len() == 1 && word.chars().all(|c| c.is_ascii_lowercase()))
        || word
            .chars()
            .any(|c| c.is_ascii_digit() || "._/:-#@+=".contains(c))
        || PROPER.contains(&word)
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x3000..=0x303F | 0xFF00..=0xFFEF)
}

/// The line with its quoted parts removed (“…”, 《…》, 「…」), for the English check.
fn unquoted(line: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for ch in line.chars() {
        match ch {
            '“' | '《' | '「' => depth += 1,
            '”' | '》' | '」' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The line without `code` spans (ids and commands quoted as code).
fn without_code(line: &str) -> String {
    line.split('`').step_by(2).collect::<Vec<_>>().join(" ")
}

/// What is wrong with `out` as text in `lang`, one finding per line.
pub fn findings(out: &str, lang: Lang) -> Vec<String> {
    let lang = if lang.is_en() { "en" } else { "zh" };
    let mut bad = Vec::new();
    for line in out.lines() {
        // The language switch names the other language in that language.
        if LANGUAGE_NAMES.contains(&line.trim()) {
            continue;
        }
        let line = &without_code(line);
        if lang == "zh" {
            // A name in quotes (“payments”) is the user's own, in any language.
            let words: Vec<String> = ascii_words(&unquoted(line))
                .into_iter()
                .filter(|w| !allowed_in_chinese(w))
                .collect();
            if !words.is_empty() {
                bad.push(format!("{words:?} in: {line}"));
            }
        } else {
            if line.trim_start().starts_with("> ") {
                continue;
            }
            // Full-width punctuation alone (（）：，) is allowed in English only inside quotes too.
            if unquoted(line).chars().any(is_cjk) {
                bad.push(format!("Chinese outside a quote in: {line}"));
            }
        }
    }
    bad
}
