//! Test-only helpers: a throwaway article splitter over the seed files, used until the
//! corpus crate ships its canonical texts. It is deliberately naive (one article per
//! `第N条` line) and lives in tests only; the product indexes `dengbao_corpus`.
#![allow(dead_code)]

use std::path::PathBuf;

use dengbao_search::{zh_number, DocKind, SearchDoc};

pub fn seeds_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds")
}

fn article_head(line: &str) -> Option<(u32, &str)> {
    let rest = line.strip_prefix('第')?;
    let end = rest.find('条')?;
    let n = zh_number(&rest[..end])?;
    Some((n, &rest[end + '条'.len_utf8()..]))
}

fn is_heading(line: &str) -> bool {
    line.starts_with('第')
        && (line.contains('章') || line.contains('节'))
        && line.chars().count() < 30
}

/// Splits one seed's law text into article documents.
pub fn split(text: &str, law: &str, law_title: &str) -> Vec<SearchDoc> {
    let mut docs: Vec<SearchDoc> = Vec::new();
    let mut started = false;
    for raw in text.lines() {
        let line = raw.trim().trim_start_matches("- ").trim();
        if line.is_empty() || line.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if let Some((n, rest)) = article_head(line) {
            if n == 1 {
                started = true;
            }
            if !started || docs.last().is_some_and(|d| d.article >= n) {
                if started {
                    if let Some(d) = docs.last_mut() {
                        d.text.push_str(line);
                    }
                }
                continue;
            }
            let rest = rest.trim();
            let (title, body) = match rest.strip_prefix('【').and_then(|r| r.split_once('】')) {
                Some((t, b)) => (Some(t.to_string()), b.trim().to_string()),
                None => (None, rest.to_string()),
            };
            docs.push(SearchDoc {
                law: law.to_string(),
                law_title: law_title.to_string(),
                article: n,
                suffix: None,
                kind: DocKind::Article,
                title,
                text: body,
            });
            continue;
        }
        if !started || is_heading(line) {
            continue;
        }
        if let Some(d) = docs.last_mut() {
            let wrapped = d
                .text
                .chars()
                .last()
                .is_some_and(|c| !"。；：，、）)".contains(c));
            if !wrapped {
                d.text.push('\n');
            }
            d.text.push_str(line);
        }
    }
    docs
}

/// Articles of the final law (seed 001) and the regulation draft (seed 004).
pub fn seed_docs() -> Vec<SearchDoc> {
    let read = |name: &str| {
        std::fs::read_to_string(seeds_dir().join(name))
            .unwrap_or_else(|e| panic!("read seed {name}: {e}"))
    };
    let mut docs = split(
        &read("001_c834ab8c02491189.txt"),
        "csl",
        "中华人民共和国网络安全法",
    );
    docs.extend(split(
        &read("004_3eec16215bacfc3b.txt"),
        "mlps",
        "网络安全等级保护条例（征求意见稿）",
    ));
    docs
}
