//! The laws around the Cybersecurity Law (sources 008–013, decision 0204) on the real
//! texts: each parses to its article, chapter and section counts, carries its in-force
//! date, resolves every reference to its own articles, equals its base file article for
//! article, and answers citations (cases in `cases/related_*.toml`).

use dengbao_corpus::text::normalize;
use dengbao_corpus::{article_text, Corpus};
use serde::Deserialize;

fn corpus() -> &'static Corpus {
    match Corpus::shared() {
        Ok(c) => c,
        Err(e) => panic!("corpus failed to load: {e}"),
    }
}

#[derive(Deserialize)]
struct Laws {
    law: Vec<Expected>,
}

#[derive(Deserialize)]
struct Expected {
    id: String,
    articles: usize,
    chapters: usize,
    sections: usize,
    in_force: jiff::civil::Date,
    last: String,
    witness: String,
    unresolved: Vec<String>,
}

fn expected() -> Vec<Expected> {
    match toml::from_str::<Laws>(include_str!("cases/related_laws.toml")) {
        Ok(l) => l.law,
        Err(e) => panic!("cases/related_laws.toml: {e}"),
    }
}

#[test]
fn each_related_law_has_its_articles_chapters_and_sections_numbered_without_gaps() {
    let c = corpus();
    for e in expected() {
        let law = c
            .law(&e.id)
            .unwrap_or_else(|| panic!("{} not in the corpus", e.id));
        let st = law.canonical();
        let numbers: Vec<u32> = st.articles.iter().map(|a| a.number).collect();
        let want: Vec<u32> = (1..=e.articles as u32).collect();
        assert_eq!(numbers, want, "{}: articles", e.id);
        assert_eq!(st.chapters.len(), e.chapters, "{}: chapters", e.id);
        let sections: usize = st.chapters.iter().map(|ch| ch.sections.len()).sum();
        assert_eq!(sections, e.sections, "{}: sections", e.id);
        assert!(
            st.articles.iter().all(|a| !a.text.trim().is_empty()),
            "{}: an empty article",
            e.id
        );
        let last = st
            .articles
            .last()
            .map(|a| a.text.clone())
            .unwrap_or_default();
        assert!(last.contains(&e.last), "{}: last article {last}", e.id);
    }
}

#[test]
fn each_related_law_is_in_force_from_the_date_its_last_article_names() {
    let c = corpus();
    for e in expected() {
        let law = c.law(&e.id).expect("law");
        assert_eq!(law.versions.len(), 1, "{}", e.id);
        let v = law.version_at(e.in_force);
        assert_eq!(v.in_force, Some(e.in_force), "{}", e.id);
        assert_eq!(v.name, law.canonical_version, "{}", e.id);
    }
}

#[test]
fn no_reference_is_unresolved_that_the_text_does_not_cause() {
    let c = corpus();
    for e in expected() {
        let law = c.law(&e.id).expect("law");
        let v = law.version(&law.canonical_version).expect("version");
        let unresolved: Vec<String> = v
            .diagnostics
            .iter()
            .filter(|d| d.message.contains("引用的条款不存在"))
            .map(|d| d.message.clone())
            .collect();
        assert_eq!(unresolved, e.unresolved, "{}", e.id);
    }
}

/// The anchors, link brackets and back-references of the Markdown copies never reach the
/// text a user reads.
#[test]
fn no_markup_of_the_markdown_copies_reaches_the_articles() {
    let c = corpus();
    for e in expected() {
        for a in &c.law(&e.id).expect("law").canonical().articles {
            let t = article_text(a, None);
            for junk in ["<a", "</a>", "<sup", "&thinsp;", "](#", "[1]", "**"] {
                assert!(
                    !t.contains(junk),
                    "{} 第{}条 carries {junk}: {t}",
                    e.id,
                    a.number
                );
            }
        }
    }
}

#[test]
fn each_related_law_equals_its_base_file_article_for_article() {
    let c = corpus();
    for e in expected() {
        let base = c.base_texts(&e.id);
        assert_eq!(base.len(), e.articles, "{}", e.id);
        for (n, s, text) in base {
            let a = c
                .article(&e.id, n, s)
                .unwrap_or_else(|| panic!("{} {n} missing", e.id));
            assert_eq!(normalize(&article_text(a, None)), text, "{} 第{n}条", e.id);
        }
    }
}

/// 网络数据安全管理条例 第二十六条 cites 个人信息保护法 第五十三条: the reference names the
/// law the corpus carries, not a bare title.
#[test]
fn references_to_the_other_laws_name_their_ids() {
    let ndsr = corpus().article("ndsr", 26, None).expect("ndsr 26");
    assert!(
        ndsr.refs
            .iter()
            .any(|r| r.law.as_deref() == Some("pipl") && r.article == 53),
        "{:?}",
        ndsr.refs
    );
    let ciipr = corpus().article("ciipr", 1, None).expect("ciipr 1");
    assert!(ciipr
        .refs
        .iter()
        .all(|r| r.law.as_deref() != Some("中华人民共和国网络安全法")));
}

/// Each law has a second transcription by another project (sources 014–019) that
/// witnesses every article of its base in full, and the two agree word for word: no
/// discrepancy once noise is gone (a changed character in either makes one).
#[test]
fn a_second_transcription_agrees_with_each_base_article_for_article() {
    let c = corpus();
    for e in expected() {
        let cov = c.coverage(&e.id);
        let w = cov
            .iter()
            .find(|v| v.source == e.witness)
            .unwrap_or_else(|| panic!("{}: no witness {}", e.id, e.witness));
        let all: Vec<u32> = (1..=e.articles as u32).collect();
        assert_eq!(w.full, all, "{}: {w:?}", e.id);
        assert!(
            w.partial.is_empty() && w.missing.is_empty(),
            "{}: {w:?}",
            e.id
        );
        let found: Vec<_> = c.discrepancies().iter().filter(|d| d.law == e.id).collect();
        assert!(found.is_empty(), "{}: {found:?}", e.id);
    }
}
