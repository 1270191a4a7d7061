//! Data-driven structure tests: every case in `tests/statutes.toml` names a statute file
//! (a seed in the repository's `data/law/sources/` or a fixture under `tests/fixtures/`) and what a
//! reader would check in it: counts, numbers, titles, paragraphs, items, references, and
//! that the article text is the source text (modulo whitespace). One helper checks all.

use std::collections::BTreeSet;
use std::path::PathBuf;

use dengbao_statute::numerals::to_chinese;
use dengbao_statute::{parse, unresolved_refs, Statute};
use serde::Deserialize;

#[derive(Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Case {
    /// `seed:NAME` (in data/law/sources) or `fixture:NAME` (in tests/fixtures).
    file: String,
    title: Option<String>,
    subtitle: Option<String>,
    header_contains: Option<String>,
    articles: Option<usize>,
    first: Option<u32>,
    last: Option<u32>,
    /// Every number from `first` to `last` is present.
    #[serde(default)]
    contiguous: bool,
    chapters: Option<usize>,
    /// Chapter titles in order.
    chapter_titles: Option<Vec<String>>,
    /// [chapter, number of sections]
    #[serde(default)]
    sections: Vec<(u32, usize)>,
    parts: Option<usize>,
    /// Articles with a 【title】.
    titled: Option<usize>,
    /// [article, chapter] pairs.
    #[serde(default)]
    article_chapter: Vec<(u32, u32)>,
    /// Labels of 之N articles, e.g. "20之1".
    suffixed: Option<Vec<String>>,
    /// [article, paragraphs] pairs.
    #[serde(default)]
    paragraphs: Vec<(u32, usize)>,
    /// [article, paragraph, items] triples.
    #[serde(default)]
    items: Vec<(u32, usize, usize)>,
    /// "ARTICLE: CITATION CITATION …" — the article's refs, exactly, in `Display` form
    /// (e.g. `60: 第22条第1款 第22条第2款 第48条第1款`).
    #[serde(default)]
    refs: Vec<String>,
    /// Unresolved references to this statute, exactly ("ARTICLE → CITATION").
    unresolved: Option<Vec<String>>,
    /// Minimum number of references (all articles).
    refs_at_least: Option<usize>,
    variants: Option<usize>,
    /// Article text (label + 【title】 + text, in order) equals the statute body of the
    /// source modulo whitespace, headings and Markdown marks.
    #[serde(default)]
    faithful: bool,
    /// Substrings that some diagnostic must contain.
    #[serde(default)]
    diagnostics: Vec<String>,
    /// [article, substring of its text]
    #[serde(default)]
    text_contains: Vec<(u32, String)>,
}

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn resolve(file: &str) -> PathBuf {
    if let Some(name) = file.strip_prefix("seed:") {
        crate_dir().join("../../data/law/sources").join(name)
    } else if let Some(name) = file.strip_prefix("fixture:") {
        crate_dir().join("tests/fixtures").join(name)
    } else {
        panic!("file must start with seed: or fixture:, got {file}")
    }
}

fn label(number: u32, suffix: Option<u32>) -> String {
    match suffix {
        Some(s) => format!("{number}之{s}"),
        None => number.to_string(),
    }
}

fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{3000}')
        .collect()
}

/// The statute body of the source as a reader sees it: from the first article to the
/// last article's end, without headings, page numbers, `<br/>`, Markdown marks and
/// whitespace.
fn source_body(text: &str, st: &Statute) -> String {
    let text = text.replace("<br/>", "\n");
    let first = format!("第{}条", to_chinese(st.articles[0].number));
    let mut out = String::new();
    let mut started = false;
    for raw in text.lines() {
        let mut l =
            raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}');
        l = l.trim_start_matches('#').trim_start();
        if !started {
            if l.starts_with(&first) {
                started = true;
            } else {
                continue;
            }
        }
        let s = squeeze(l);
        let heading = ["章", "节", "编"].iter().any(|u| {
            s.starts_with('第')
                && s.chars().count() <= 30
                && s.split(u)
                    .next()
                    .is_some_and(|h| h.len() < 20 && h.len() < s.len())
                && !s.contains('，')
                && !s.contains('。')
        });
        if heading || s.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let s = s.strip_prefix('-').unwrap_or(&s).to_string();
        out.push_str(&s);
    }
    out
}

fn parsed_body(st: &Statute) -> String {
    let mut out = String::new();
    for a in &st.articles {
        out.push_str(&format!("第{}条", to_chinese(a.number)));
        if let Some(s) = a.suffix {
            out.push_str(&format!("之{}", to_chinese(s)));
        }
        if let Some(t) = &a.title {
            out.push_str(&format!("【{t}】"));
        }
        out.push_str(&squeeze(&a.text));
    }
    out
}

fn check(case: &Case) {
    let path = resolve(&case.file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let (st, diags) = parse(&text);
    let f = &case.file;
    let numbers: Vec<u32> = st.articles.iter().map(|a| a.number).collect();
    if let Some(t) = &case.title {
        assert_eq!(&st.title, t, "{f}: title");
    }
    if let Some(t) = &case.subtitle {
        assert_eq!(st.subtitle.as_ref(), Some(t), "{f}: subtitle");
    }
    if let Some(h) = &case.header_contains {
        assert!(
            st.header.as_deref().unwrap_or("").contains(h.as_str()),
            "{f}: header {:?}",
            st.header
        );
    }
    if let Some(n) = case.articles {
        assert_eq!(
            st.articles.len(),
            n,
            "{f}: article count; numbers {numbers:?}"
        );
    }
    if let Some(n) = case.first {
        assert_eq!(numbers.first(), Some(&n), "{f}: first article");
    }
    if let Some(n) = case.last {
        assert_eq!(numbers.last(), Some(&n), "{f}: last article");
    }
    if case.contiguous {
        let set: BTreeSet<u32> = numbers.iter().copied().collect();
        let (lo, hi) = (numbers[0], numbers[numbers.len() - 1]);
        let missing: Vec<u32> = (lo..=hi).filter(|n| !set.contains(n)).collect();
        assert!(missing.is_empty(), "{f}: missing articles {missing:?}");
    }
    if let Some(n) = case.chapters {
        assert_eq!(st.chapters.len(), n, "{f}: chapters {:?}", st.chapters);
    }
    if let Some(titles) = &case.chapter_titles {
        let got: Vec<&str> = st.chapters.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(&got, titles, "{f}: chapter titles");
    }
    for (chapter, n) in &case.sections {
        let c = st.chapters.iter().find(|c| c.number == *chapter);
        assert_eq!(
            c.map(|c| c.sections.len()),
            Some(*n),
            "{f}: sections of chapter {chapter}"
        );
    }
    if let Some(n) = case.parts {
        assert_eq!(st.parts.len(), n, "{f}: parts");
    }
    if let Some(n) = case.titled {
        assert_eq!(
            st.articles.iter().filter(|a| a.title.is_some()).count(),
            n,
            "{f}: titled articles"
        );
    }
    for (article, chapter) in &case.article_chapter {
        let a = st
            .articles
            .iter()
            .find(|a| a.number == *article && a.suffix.is_none());
        assert_eq!(
            a.map(|a| a.chapter),
            Some(*chapter),
            "{f}: chapter of article {article}"
        );
    }
    if let Some(s) = &case.suffixed {
        let got: Vec<String> = st
            .articles
            .iter()
            .filter(|a| a.suffix.is_some())
            .map(|a| label(a.number, a.suffix))
            .collect();
        assert_eq!(&got, s, "{f}: 之N articles");
    }
    for (article, n) in &case.paragraphs {
        let a = st
            .articles
            .iter()
            .find(|a| a.number == *article && a.suffix.is_none());
        assert_eq!(
            a.map(|a| a.paragraphs.len()),
            Some(*n),
            "{f}: paragraphs of {article}: {:?}",
            a.map(|a| &a.paragraphs)
        );
    }
    for (article, para, n) in &case.items {
        let a = st
            .articles
            .iter()
            .find(|a| a.number == *article && a.suffix.is_none());
        let got = a
            .and_then(|a| a.paragraphs.get(para - 1))
            .map(|p| p.items.len());
        assert_eq!(got, Some(*n), "{f}: items of {article}¶{para}");
    }
    for spec in &case.refs {
        let (article, cites) = spec
            .split_once(':')
            .unwrap_or_else(|| panic!("bad refs spec {spec}"));
        let (number, suffix) = match article.trim().split_once('之') {
            Some((n, s)) => (n.parse::<u32>().ok(), s.parse::<u32>().ok()),
            None => (article.trim().parse::<u32>().ok(), None),
        };
        let a = st
            .articles
            .iter()
            .find(|a| Some(a.number) == number && a.suffix == suffix)
            .unwrap_or_else(|| panic!("{f}: no article {article}"));
        let got: Vec<String> = a.refs.iter().map(|c| c.to_string()).collect();
        let want: Vec<String> = cites
            .split_whitespace()
            .map(|s| s.replace('_', " "))
            .collect();
        assert_eq!(got, want, "{f}: refs of article {article}");
    }
    let total: usize = st.articles.iter().map(|a| a.refs.len()).sum();
    let own: usize = st
        .articles
        .iter()
        .flat_map(|a| &a.refs)
        .filter(|c| c.law.is_none())
        .count();
    let unresolved = unresolved_refs(&st);
    println!(
        "{f}: {} articles, {total} references ({own} to itself, {} unresolved)",
        st.articles.len(),
        unresolved.len()
    );
    if let Some(want) = &case.unresolved {
        let got: Vec<String> = st
            .articles
            .iter()
            .flat_map(|a| {
                a.refs
                    .iter()
                    .filter(|c| c.law.is_none() && !dengbao_statute::citation_exists(&st, c))
                    .map(move |c| format!("{} → {c}", label(a.number, a.suffix)))
            })
            .collect();
        assert_eq!(&got, want, "{f}: unresolved references");
        assert_eq!(unresolved.len(), want.len(), "{f}: unresolved diagnostics");
        for d in &unresolved {
            assert!(diags.contains(d), "{f}: parse() must report {d:?}");
        }
    }
    if let Some(n) = case.refs_at_least {
        assert!(total >= n, "{f}: only {total} references");
    }
    if let Some(n) = case.variants {
        assert_eq!(st.variants.len(), n, "{f}: variants");
    }
    if case.faithful {
        let want = source_body(&text, &st);
        let got = parsed_body(&st);
        if want != got {
            let at = want
                .chars()
                .zip(got.chars())
                .take_while(|(a, b)| a == b)
                .count();
            let ctx = |s: &str| {
                s.chars()
                    .skip(at.saturating_sub(20))
                    .take(60)
                    .collect::<String>()
            };
            panic!(
                "{f}: article text differs from the source at char {at}:\nsource: {}\nparsed: {}",
                ctx(&want),
                ctx(&got)
            );
        }
    }
    for want in &case.diagnostics {
        assert!(
            diags.iter().any(|d| d.message.contains(want.as_str())),
            "{f}: no diagnostic containing {want:?}; got {diags:#?}"
        );
    }
    for (article, s) in &case.text_contains {
        let a = st
            .articles
            .iter()
            .find(|a| a.number == *article && a.suffix.is_none());
        assert!(
            a.is_some_and(|a| a.text.contains(s.as_str())),
            "{f}: article {article} lacks {s:?}"
        );
    }
}

#[test]
fn statutes_parse_as_their_expectations_say() {
    // The seeds' expectations, then one expectations file beside each fixture.
    let mut files = vec![crate_dir().join("tests/statutes.toml")];
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(crate_dir().join("tests/fixtures"))
        .expect("tests/fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 3, "each fixture has an expectations file");
    files.extend(fixtures);
    for path in files {
        let text = std::fs::read_to_string(&path).expect("expectations file");
        let cases: Cases =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(!cases.case.is_empty(), "{}: no case", path.display());
        for case in &cases.case {
            check(case);
        }
    }
}
