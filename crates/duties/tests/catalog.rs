//! The embedded catalog loads, and every check it makes at load actually bites.

use std::collections::BTreeSet;

use dengbao_duties::{
    article_count, Catalog, CatalogError, DUTY_FILES, DUTY_SCOPE, PENALTY_FILES, PENALTY_SCOPE,
};

#[test]
fn builtin_catalog_loads() {
    let c = Catalog::builtin().unwrap_or_else(|e| panic!("{e}"));
    assert!(c.duties().len() >= 60, "{} duties", c.duties().len());
    assert!(c.duty("mlps.filing").is_some());
}

/// The chapters the catalog answers for: the law's 第三章 and 第四章, the draft's 第三章 to
/// 第六章, each as (law, chapter heading, first article, last article). The seeds are checked
/// to agree, so a wrong range here fails rather than hides an article.
const CHAPTERS: &[(&str, &str, u32, u32)] = &[
    ("csl", "第三章", 21, 39),
    ("csl", "第四章", 40, 50),
    ("mlps", "第三章", 15, 34),
    ("mlps", "第四章", 35, 44),
    ("mlps", "第五章", 45, 48),
    ("mlps", "第六章", 49, 62),
];

const SEEDS: &[(&str, &str)] = &[
    (
        "csl",
        include_str!("../../../data/law/sources/001_c834ab8c02491189.txt"),
    ),
    (
        "mlps",
        include_str!("../../../data/law/sources/004_3eec16215bacfc3b.txt"),
    ),
];

const README: &str = include_str!("../../../data/duties/README.md");

/// 第二十一条 → "二十一" (1–99).
fn zh_number(n: u32) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let (tens, ones) = ((n / 10) as usize, (n % 10) as usize);
    match tens {
        0 => D[ones].to_string(),
        1 => format!("十{}", D[ones]),
        _ => format!("{}十{}", D[tens], D[ones]),
    }
}

/// The line on which article `n` starts in a seed, after the chapter heading.
fn article_line(seed: &str, n: u32) -> Option<usize> {
    let head = format!("第{}条", zh_number(n));
    seed.lines().position(|l| {
        l.trim_start().starts_with(&head)
            && !l[l.find(&head).unwrap_or(0) + head.len()..]
                .starts_with(|c: char| "一二三四五六七八九十".contains(c))
    })
}

/// The articles `data/duties/README.md` explains as putting nothing on an operator: rows
/// `| csl | 29 | why |` of its table.
fn explained() -> BTreeSet<(String, u32)> {
    README
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            match cells.as_slice() {
                ["", law, article, why, ""] if ["csl", "mlps"].contains(law) && !why.is_empty() => {
                    Some((law.to_string(), article.parse().ok()?))
                }
                _ => None,
            }
        })
        .collect()
}

#[test]
fn the_chapter_ranges_agree_with_the_seeds() {
    for (law, chapter, first, last) in CHAPTERS {
        let seed = SEEDS
            .iter()
            .find(|(l, _)| l == law)
            .map(|(_, s)| *s)
            .unwrap();
        // The body's heading (the draft repeats its table of contents first: take the last).
        let heading = seed
            .lines()
            .enumerate()
            .filter(|(_, l)| l.trim_start().starts_with(chapter))
            .map(|(i, _)| i)
            .last()
            .unwrap_or_else(|| panic!("{law}: no {chapter}"));
        let first_line = article_line(seed, *first).unwrap_or_else(|| panic!("{law} {first}"));
        let before = article_line(seed, first - 1).unwrap_or_else(|| panic!("{law} {}", first - 1));
        assert!(
            before < heading && heading < first_line,
            "{law} {chapter} does not start at {first}"
        );
        let after = article_line(seed, last + 1).unwrap_or_else(|| panic!("{law} {}", last + 1));
        let next = seed
            .lines()
            .enumerate()
            .skip(heading + 1)
            .find(|(_, l)| {
                let t = l.trim_start();
                t.starts_with('第') && t.chars().nth(2) == Some('章')
                    || t.starts_with('第') && t.chars().nth(3) == Some('章')
            })
            .map(|(i, _)| i)
            .unwrap_or(usize::MAX);
        let last_line = article_line(seed, *last).unwrap();
        assert!(
            last_line < next && next <= after,
            "{law} {chapter} does not end at {last}"
        );
    }
}

/// Every article of those chapters is cited by a duty, or the catalog's README says why it
/// puts nothing on an operator — never both, never neither.
#[test]
fn every_article_of_the_duty_chapters_is_covered_or_explained() {
    let c = Catalog::builtin().unwrap();
    let cited: BTreeSet<(String, u32)> = c
        .duties()
        .iter()
        .flat_map(|d| d.citations.iter())
        .map(|c| (c.law.clone().unwrap_or_default(), c.article))
        .collect();
    let explained = explained();
    let mut missing = Vec::new();
    for (law, _, first, last) in CHAPTERS {
        for a in *first..=*last {
            let key = (law.to_string(), a);
            match (cited.contains(&key), explained.contains(&key)) {
                (false, false) => missing.push(format!(
                    "{law} 第{}条: neither a duty nor explained",
                    zh_number(a)
                )),
                (true, true) => missing.push(format!(
                    "{law} 第{}条: both cited and explained as no duty",
                    zh_number(a)
                )),
                _ => {}
            }
        }
    }
    for (law, a) in &explained {
        let in_chapters = CHAPTERS
            .iter()
            .any(|(l, _, f, t)| l == law && (*f..=*t).contains(a));
        assert!(
            in_chapters,
            "README explains {law} {a}, outside the chapters"
        );
    }
    assert!(missing.is_empty(), "\n{}", missing.join("\n"));
    // The scope the loader checks citations against is the same chapters.
    for (law, _, first, last) in CHAPTERS {
        assert!(
            DUTY_SCOPE
                .iter()
                .any(|(l, f, t)| l == law && f <= first && last <= t),
            "{law} {first}–{last} outside DUTY_SCOPE"
        );
    }
}

/// Every article and paragraph of the liability chapters is a penalty provision.
#[test]
fn every_liability_article_is_a_penalty() {
    let c = Catalog::builtin().unwrap();
    for (law, from, to) in PENALTY_SCOPE {
        for a in *from..=*to {
            assert!(
                c.penalties().any(|p| p.law == *law && p.article == a),
                "{law} 第{a}条 missing from data/penalties"
            );
        }
    }
}

fn with_duty_edit(file: &str, from: &str, to: &str) -> Result<Catalog, CatalogError> {
    let duties: Vec<(String, String)> = DUTY_FILES
        .iter()
        .map(|(n, t)| {
            let t = if *n == file {
                t.replacen(from, to, 1)
            } else {
                t.to_string()
            };
            (n.to_string(), t)
        })
        .collect();
    let pens: Vec<(String, String)> = PENALTY_FILES
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    Catalog::from_sources(&duties, &pens)
}

#[test]
fn load_errors_name_the_duty_and_field() {
    let cases = [
        // a CEL syntax error
        ("level >= 2 && previous_level != 1 && classified == 'none' && stage != 'retired'\"\nkind = \"event_triggered\"\nclock = { after = \"graded\"", "level >= 2 &&& x\"\nkind = \"event_triggered\"\nclock = { after = \"graded\"", "applies_when"),
        // an unknown variable
        ("applies_when = \"classified == 'none' && stage != 'retired'\"", "applies_when = \"classifed == 'none'\"", "unknown variable"),
        // a citation beyond the last article
        ("article = 18, paragraph = 1", "article = 80, paragraph = 1", "citations"),
        // an unknown penalty
        ("penalty = \"mlps.63.1\"", "penalty = \"mlps.63.9\"", "penalty"),
        // an unknown event
        ("met_when = [\"filed\"]", "met_when = [\"fild\"]", "met_when"),
        // a prohibition with a clock: it is breached or not, never late
        ("kind = \"prohibition\"\nevidence = \"数据收集清单", "kind = \"prohibition\"\nclock = { before = \"launched\" }\nevidence = \"数据收集清单", "prohibition"),
        // a type error found by the dry run
        ("applies_when = \"classified == 'none' && stage != 'retired'\"", "applies_when = \"level\"", "applies_when"),
    ];
    for (from, to, field) in cases {
        let err = with_duty_edit("mlps-general.toml", from, to)
            .err()
            .unwrap_or_else(|| panic!("no error for {to}"))
            .to_string();
        assert!(err.contains("mlps-general.toml"), "{err}");
        assert!(err.contains(field), "{field} not in {err}");
        assert!(err.contains("duty `mlps."), "{err}");
    }
}

/// The article counts the catalog checks citations against are the corpus's own, for
/// every law it carries (the laws around the CSL included, decision 0204).
#[test]
fn article_counts_agree_with_the_corpus() {
    let corpus = dengbao_corpus::Corpus::shared().unwrap_or_else(|e| panic!("{e}"));
    for law in corpus.laws() {
        let partial = law
            .version(&law.canonical_version)
            .is_some_and(|v| v.partial);
        if partial {
            // 《信息安全等级保护管理办法》 is shipped as verified excerpts (decision 0205): only
            // the articles the rule-in-force clocks cite, which `in_force` entries may cite.
            let numbers: Vec<u32> = law.canonical().articles.iter().map(|a| a.number).collect();
            assert_eq!(law.id, "mlps2007");
            assert_eq!(numbers, vec![14, 15, 16, 17, 18], "{}", law.id);
            continue;
        }
        let n = law.canonical().articles.len() as u32;
        assert_eq!(article_count(&law.id), Some(n), "{}", law.id);
    }
    let c = Catalog::builtin().unwrap();
    for id in [
        "ciipr.yearly_assessment",
        "data.important.yearly_risk_assessment",
        "pipl.pi_officer",
        "pipl.compliance_audit",
        "ccr.crypto.yearly_assessment",
    ] {
        let d = c.duty(id).unwrap_or_else(|| panic!("{id} missing"));
        assert!(d.penalty.is_some(), "{id} has no penalty");
    }
}
