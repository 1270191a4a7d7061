//! The corpus on the real seeds: acceptance (article counts, canonical = base text), the
//! discrepancy report, the draft→final comparison, commentary links, citation cases.

use std::collections::BTreeSet;

use dengbao_corpus::text::normalize;
use dengbao_corpus::{
    article_text, parse_citation, CommentaryKind, Corpus, DiscrepancyKind, FineUnit, Payer,
};
use serde::Deserialize;

fn corpus() -> &'static Corpus {
    match Corpus::shared() {
        Ok(c) => c,
        Err(e) => panic!("corpus failed to load: {e}"),
    }
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn csl_has_79_articles_in_7_chapters_with_two_sections_in_chapter_3() {
    let st = corpus().law("csl").expect("csl").canonical();
    assert_eq!(st.articles.len(), 79);
    assert_eq!(st.chapters.len(), 7);
    let ch3 = st
        .chapters
        .iter()
        .find(|c| c.number == 3)
        .expect("chapter 3");
    assert_eq!(ch3.sections.len(), 2, "{:?}", ch3.sections);
    let numbers: Vec<u32> = st.articles.iter().map(|a| a.number).collect();
    assert_eq!(numbers, (1..=79).collect::<Vec<_>>());
}

#[test]
fn mlps_has_73_titled_articles_in_8_chapters() {
    let st = corpus().law("mlps").expect("mlps").canonical();
    assert_eq!(st.articles.len(), 73);
    assert_eq!(st.chapters.len(), 8);
    let untitled: Vec<u32> = st
        .articles
        .iter()
        .filter(|a| a.title.as_deref().is_none_or(str::is_empty))
        .map(|a| a.number)
        .collect();
    assert!(
        untitled.is_empty(),
        "articles without 【title】: {untitled:?}"
    );
}

/// Each canonical article equals its base seed's text (001 for the law, 004 for the
/// regulation) modulo whitespace and noise.
#[test]
fn canonical_articles_equal_the_base_seed_modulo_whitespace() {
    let c = corpus();
    for law in ["csl", "mlps"] {
        let base = c.base_texts(law);
        let st = c.law(law).expect("law").canonical();
        assert_eq!(base.len(), st.articles.len(), "{law}");
        for (n, s, text) in base {
            let a = c
                .article(law, n, s)
                .unwrap_or_else(|| panic!("{law} {n} missing"));
            // The base copy carries the 【title】; the canonical article holds it apart.
            let expected = match (&a.title, text.strip_prefix('【')) {
                (Some(t), Some(rest)) => rest
                    .strip_prefix(&format!("{t}】"))
                    .unwrap_or_else(|| panic!("{law} {n}: title {t} not in base"))
                    .to_string(),
                _ => text,
            };
            assert_eq!(normalize(&article_text(a, None)), expected, "{law} 第{n}条");
        }
    }
}

#[test]
fn the_report_finds_67_qingjie_yanzhong_in_003_and_68_shanchu() {
    let c = corpus();
    let find = |article: u32, variant: &str| {
        c.discrepancies()
            .iter()
            .find(|d| {
                d.law == "csl"
                    && d.article == article
                    && d.readings[1..].iter().any(|r| r.text.contains(variant))
            })
            .unwrap_or_else(|| panic!("no discrepancy in 第{article}条 with {variant}"))
    };
    let d67 = find(67, "情节严重");
    assert_eq!(d67.paragraph, 1);
    assert_eq!(d67.kind, DiscrepancyKind::Wording);
    assert!(d67.readings[0].text.contains("情节较重"));
    // The base and 002 read 较重; 003's main text reads 严重 but its checklist copy 较重.
    let base_sources: BTreeSet<&str> = d67.readings[0]
        .sources
        .iter()
        .map(|p| p.source.as_str())
        .collect();
    assert_eq!(base_sources, BTreeSet::from(["001", "002", "003"]));
    assert_eq!(d67.readings[1].sources.len(), 1);
    assert_eq!(d67.readings[1].sources[0].source, "003");
    assert!(!d67.outvoted);

    let d68 = find(68, "删除");
    assert!(d68.readings[0].text.contains("消除"));
    // Both 003 copies (law text and checklist) read 删除.
    assert_eq!(d68.readings[1].sources.len(), 2);
    assert!(d68.readings[1].sources.iter().all(|p| p.source == "003"));
}

#[test]
fn noise_is_not_reported() {
    let c = corpus();
    // 003 第五十九条 carries link debris [#21条](#) before 第二十一条; 002 repeats pages and
    // hard-wraps: none of that is a discrepancy.
    assert!(!c.discrepancies().iter().any(|d| d.article == 59));
    for d in c.discrepancies() {
        for r in &d.readings {
            assert!(!r.text.contains('#') && !r.text.contains("<br"), "{d:?}");
        }
    }
    // 003 witnesses every article in full.
    let cov = c.coverage("csl");
    let w003 = cov.iter().find(|w| w.source == "003").expect("003");
    assert_eq!(w003.full.len(), 79);
}

#[test]
fn real_witness_differences_are_reported_with_lines() {
    let c = corpus();
    let has = |article: u32, base: &str, variant: &str, source: &str| {
        c.discrepancies().iter().any(|d| {
            d.article == article
                && d.readings[0].text.contains(base)
                && d.readings[1..].iter().any(|r| {
                    r.text.contains(variant)
                        && r.sources.iter().any(|p| p.source == source && p.line > 0)
                })
        })
    };
    assert!(has(21, "负责人", "负人", "002"));
    assert!(has(58, "公共秩序", "公共利益", "003"));
    assert!(has(16, "和", "and", "003"));
    assert!(has(40, "严格", "必须严格", "002"));
}

#[test]
fn draft_and_final_are_versions_of_csl() {
    let law = corpus().law("csl").expect("csl");
    let draft = law.version("draft").expect("draft");
    assert!(draft.partial);
    let numbers: Vec<u32> = draft.statute.articles.iter().map(|a| a.number).collect();
    assert_eq!(numbers, (51..=64).collect::<Vec<_>>());
    assert_eq!(
        law.version("final").and_then(|v| v.previous.as_deref()),
        Some("draft")
    );
    assert!(law.version("2030").is_none());
}

#[test]
fn draft_54_no_income_fine_of_500k_becomes_1m_in_final_64() {
    let d = corpus().diff("csl", "draft", "final").expect("diff");
    let pair = d
        .pairs
        .iter()
        .find(|p| p.from.number == 54)
        .expect("draft 54");
    assert_eq!(pair.to.number, 64);
    let moved: Vec<(u32, Option<u64>, Option<u64>)> = pair
        .fines
        .iter()
        .filter_map(|f| {
            Some((
                f.from.as_ref()?.paragraph,
                f.from.as_ref()?.max,
                f.to.as_ref()?.max,
            ))
        })
        .collect();
    assert_eq!(
        moved,
        vec![
            (1, Some(500_000), Some(1_000_000)),
            (2, Some(500_000), Some(1_000_000))
        ]
    );
    let f = pair.fines[0].from.as_ref().expect("from");
    assert_eq!(f.unit, FineUnit::Yuan);
    assert_eq!(f.condition.as_deref(), Some("没有违法所得的"));
}

#[test]
fn draft_57_responsible_person_fine_falls_to_10k_100k_in_final_68() {
    let d = corpus().diff("csl", "draft", "final").expect("diff");
    let pair = d
        .pairs
        .iter()
        .find(|p| p.from.number == 57)
        .expect("draft 57");
    assert_eq!(pair.to.number, 68);
    assert_eq!(pair.fines.len(), 1);
    let (a, b) = (
        pair.fines[0].from.as_ref().expect("a"),
        pair.fines[0].to.as_ref().expect("b"),
    );
    assert_eq!(a.payer, Payer::ResponsiblePerson);
    assert_eq!((a.min, a.max), (Some(20_000), Some(200_000)));
    assert_eq!((b.min, b.max), (Some(10_000), Some(100_000)));
    assert!(pair
        .changes
        .iter()
        .any(|c| c.from.contains("撤销") && c.to.contains("吊销")));
}

#[test]
fn every_draft_article_is_aligned_and_the_new_articles_are_listed() {
    let d = corpus().diff("csl", "draft", "final").expect("diff");
    let from: BTreeSet<u32> = d.pairs.iter().map(|p| p.from.number).collect();
    assert_eq!(from, (51..=64).collect());
    let added: Vec<u32> = d.added.iter().map(|u| u.article).collect();
    assert_eq!(added, vec![62, 67, 71, 75]);
    // Identical texts stay silent.
    let p61 = d.pairs.iter().find(|p| p.from.number == 61).expect("61");
    assert!(p61.changes.is_empty() && p61.fines.is_empty());
    // The reverse direction reads the same data.
    let r = corpus().diff("csl", "final", "draft").expect("reverse");
    assert!(r
        .pairs
        .iter()
        .any(|p| p.from.number == 64 && p.to.number == 54));
    assert!(corpus().diff("csl", "draft", "2030").is_err());
}

#[test]
fn commentary_texts_occur_in_their_seeds() {
    let c = corpus();
    let unlink = |s: &str| -> String {
        // [#21条](#) is debris; [text](#) keeps its text.
        let mut out = String::new();
        let mut rest = s;
        while let Some(open) = rest.find('[') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match (after.find("]("), after.find(')')) {
                (Some(close), Some(end)) if close < end => {
                    let text = &after[..close];
                    if !text.starts_with('#') {
                        out.push_str(text);
                    }
                    rest = &after[end + 1..];
                }
                _ => {
                    out.push('[');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out.replace("**", "")
            .lines()
            .map(|l| {
                l.trim_start()
                    .trim_start_matches("- ")
                    .trim_start_matches("– ")
            })
            .collect::<String>()
    };
    for item in c.commentary() {
        let src = c
            .sources()
            .iter()
            .find(|s| s.file == item.source)
            .expect("source");
        let hay = squeeze(&unlink(src.text));
        assert!(
            hay.contains(&squeeze(&item.text)),
            "{} not in {}: {}",
            item.id,
            item.source,
            item.text
        );
        assert!(
            c.article(&item.law, item.article, item.suffix).is_some(),
            "{}",
            item.id
        );
    }
    for kind in [
        CommentaryKind::Interpretation,
        CommentaryKind::ComplianceAdvice,
        CommentaryKind::RoleChecklist,
        CommentaryKind::WorkPlan,
    ] {
        assert!(c.commentary().iter().any(|x| x.kind == kind), "{kind:?}");
    }
}

#[test]
fn every_jiedu_of_002_is_attached() {
    let c = corpus();
    let src = c.sources().iter().find(|s| s.id == "002").expect("002");
    let items: Vec<String> = c
        .commentary()
        .iter()
        .filter(|x| x.kind == CommentaryKind::Interpretation)
        .map(|x| squeeze(&x.text))
        .collect();
    for (i, line) in src.text.lines().enumerate() {
        let t = squeeze(line);
        let Some(rest) = t.strip_prefix("解读") else {
            continue;
        };
        let rest = rest.trim_start_matches([':', '：', ';', '；']);
        assert!(
            items.iter().any(|x| x.starts_with(rest)),
            "002 line {}: {t}",
            i + 1
        );
    }
}

#[test]
fn links_by_topic_and_citation() {
    let c = corpus();
    // 第十九条 (publicity): the 解读, the work plan's media-publicity point, 003's state duty.
    let kinds: BTreeSet<String> = c
        .commentary_for("csl", 19)
        .iter()
        .map(|x| format!("{:?}", x.kind))
        .collect();
    assert!(
        kinds.contains("Interpretation")
            && kinds.contains("WorkPlan")
            && kinds.contains("RoleChecklist"),
        "{kinds:?}"
    );
    // 第二十一条: the 解读 and the log-storage advice.
    let c21 = c.commentary_for("csl", 21);
    assert!(c21
        .iter()
        .any(|x| x.kind == CommentaryKind::ComplianceAdvice && x.text.contains("日志存储六个月")));
    // The checklist quotes 第六十七条 as its penalty.
    assert!(c
        .commentary_for("csl", 67)
        .iter()
        .any(|x| x.kind == CommentaryKind::RoleChecklist));
    // The work plan reaches the regulation too (条例 第十三条 宣传教育培训).
    assert!(c
        .commentary_for("mlps", 13)
        .iter()
        .any(|x| x.kind == CommentaryKind::WorkPlan));
}

#[derive(Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    law: String,
    cite: String,
    #[serde(default)]
    contains: Option<String>,
    #[serde(default)]
    not: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

#[test]
fn citation_cases() {
    // The CSL and MLPS cases, and those into the laws around them (decision 0204).
    let files = [
        ("cases/resolve.toml", include_str!("cases/resolve.toml")),
        (
            "cases/related_citations.toml",
            include_str!("cases/related_citations.toml"),
        ),
    ];
    let c = corpus();
    for (file, text) in files {
        let cases: Cases = toml::from_str(text).unwrap_or_else(|e| panic!("{file}: {e}"));
        for k in cases.case {
            let got = parse_citation(&k.law, &k.cite)
                .map_err(|e| e.to_string())
                .and_then(|cit| c.resolve(&cit).map(|r| r.text).map_err(|e| e.to_string()));
            match (&k.error, got) {
                (Some(e), Err(msg)) => {
                    assert!(msg.contains(e.as_str()), "{} {}: {msg}", k.law, k.cite)
                }
                (Some(e), Ok(t)) => panic!("{} {}: expected error {e}, got {t}", k.law, k.cite),
                (None, Err(msg)) => panic!("{} {}: {msg}", k.law, k.cite),
                (None, Ok(t)) => {
                    let t = squeeze(&t);
                    if let Some(f) = &k.contains {
                        assert!(t.contains(&squeeze(f)), "{} {}: {t}", k.law, k.cite);
                    }
                    if let Some(f) = &k.not {
                        assert!(!t.contains(&squeeze(f)), "{} {}: {t}", k.law, k.cite);
                    }
                }
            }
        }
    }
}

/// id, title, canonical version, versions (name, partial).
type LawListing = (String, String, String, Vec<(String, bool)>);

#[test]
fn the_carried_law_listing_is_what_the_corpus_builds() {
    let listed = dengbao_corpus::carried_laws().expect("the manifest reads");
    let built: Vec<LawListing> = corpus()
        .laws()
        .iter()
        .map(|l| {
            (
                l.id.clone(),
                l.title.clone(),
                l.canonical_version.clone(),
                l.versions
                    .iter()
                    .map(|v| (v.name.clone(), v.partial))
                    .collect(),
            )
        })
        .collect();
    let listed: Vec<LawListing> = listed
        .into_iter()
        .map(|l| {
            (
                l.id,
                l.title,
                l.canonical_version,
                l.versions
                    .into_iter()
                    .map(|v| (v.name, v.partial))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(listed, built);
    let csl = listed
        .iter()
        .find(|l| l.0 == "csl")
        .expect("csl is carried");
    assert_eq!(csl.2, "final");
    assert!(csl.3.contains(&("draft".to_string(), true)));
}
