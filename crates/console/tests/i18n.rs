//! The message catalogs: the same keys in both languages, every key the code uses exists,
//! and no template carries a user-visible word that is not from the catalog.

use std::collections::BTreeSet;
use std::path::Path;

use dengbao_console::i18n::{parse_catalog, EN, ZH_CN};

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    files(&root.join("templates"), &mut out);
    files(&root.join("src"), &mut out);
    out.into_iter()
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn i18n_catalogs_have_the_same_keys_and_every_key_used_exists() {
    let zh = parse_catalog("zh-CN.toml", ZH_CN).unwrap();
    let en = parse_catalog("en.toml", EN).unwrap();
    let zk: BTreeSet<_> = zh.keys().collect();
    let ek: BTreeSet<_> = en.keys().collect();
    assert_eq!(
        zk.difference(&ek).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "in zh-CN.toml only"
    );
    assert_eq!(
        ek.difference(&zk).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "in en.toml only"
    );
    let mut missing = Vec::new();
    for (file, text) in sources() {
        for call in [".s(\"", ".f(\"", ".f2(\""] {
            for (i, _) in text.match_indices(call) {
                let rest = &text[i + call.len()..];
                let key = &rest[..rest.find('"').unwrap()];
                let is_key = key.contains('.')
                    && key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
                if is_key && !key.starts_with("area.") && !zh.contains_key(key) {
                    missing.push(format!("{file}: {key}"));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "keys not in the catalogs:\n{}",
        missing.join("\n")
    );
    // Keys built at run time, by family.
    for family in [
        "level.1",
        "level.5",
        "level.none",
        "stage.retired",
        "classified.top_secret",
        "service.telephony",
        "tech.ai",
        "grading.object.national",
        "grading.degree.rights.serious",
        "grading.degree.public.harm",
        "grading.degree_hint.especially_serious",
        "grading.basis.mlps-draft",
        "status.not_applicable",
        "role.auditor",
        "profile.competent_department",
    ] {
        assert!(zh.contains_key(family), "{family}");
    }
}

#[test]
fn templates_have_no_bare_text() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut all = Vec::new();
    files(&root, &mut all);
    let mut bad = Vec::new();
    for p in all {
        let text = std::fs::read_to_string(&p).unwrap();
        // Drop template code, then tags; what is left is the text a user reads.
        let mut s = text.clone();
        for (open, close) in [("{{", "}}"), ("{%", "%}"), ("{#", "#}")] {
            while let Some(i) = s.find(open) {
                let j = s[i..].find(close).map(|j| i + j + 2).unwrap_or(s.len());
                s.replace_range(i..j, " ");
            }
        }
        let mut visible = String::new();
        let mut in_tag = false;
        for ch in s.chars() {
            match ch {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => visible.push(c),
                _ => {}
            }
        }
        for word in visible.split_whitespace() {
            let word = word.trim_matches(|c: char| "·:：,，.()（）|-–".contains(c));
            if word.chars().any(|c| c.is_alphabetic()) && !word.starts_with('&') {
                bad.push(format!("{}: {word}", p.display()));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "bare text in templates:\n{}",
        bad.join("\n")
    );
}
