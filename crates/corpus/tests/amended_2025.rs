//! The Cybersecurity Law as amended in 2025 (`amended-2025`, in force 2026-01-01): the
//! text is proof-read against the gazette's own text layer and the amending decision, the
//! alignment with the 2016 text is complete, and citations follow the date asked.

use dengbao_corpus::{article_text, Citation, Citer, Corpus};
use jiff::civil::Date;
use serde::Deserialize;

const GAZETTE: &str = include_str!("../../../data/law/sources/006_csl_amended_2025_gazette.txt");
const DECISION: &str =
    include_str!("../../../data/law/sources/007_csl_amendment_decision_2025.txt");

fn corpus() -> &'static Corpus {
    Corpus::shared().expect("the embedded corpus loads")
}

/// The gazette text layer prints ASCII for the printed full-width marks.
fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            ',' => '，',
            ';' => '；',
            ':' => '：',
            '(' => '（',
            ')' => '）',
            '<' => '〈',
            '>' => '〉',
            c => c,
        })
        .filter(|c| !c.is_whitespace() && *c != '　')
        .collect()
}

/// Articles whose line breaks in the text layer differ from the paragraphs of source 005,
/// which keeps the 2016 paragraphing for these unchanged articles.
const PARAGRAPHING_FROM_2016: &[u32] = &[33];

fn chinese_number(n: u32) -> String {
    dengbao_corpus::numerals::to_chinese(n)
}

#[test]
fn amended_text_has_81_articles_in_7_chapters_and_took_effect_on_2026_01_01() {
    let law = corpus().law("csl").expect("csl");
    let v = law.version("amended-2025").expect("amended-2025 version");
    assert_eq!(v.statute.articles.len(), 81);
    assert_eq!(v.statute.chapters.len(), 7);
    assert_eq!(v.previous.as_deref(), Some("final"));
    let in_force = Date::constant(2026, 1, 1);
    assert_eq!(v.in_force, Some(in_force));
    assert_eq!(law.version_at(in_force).name, "amended-2025");
    assert_eq!(law.version_at(in_force.yesterday().unwrap()).name, "final");
    assert!(
        v.diagnostics
            .iter()
            .all(|d| !d.message.contains("unresolved")),
        "the amended text cites only articles it has: {:?}",
        v.diagnostics
    );
}

/// Every article, paragraph by paragraph, equals the gazette PDF's text layer (one
/// paragraph or item per line) once its ASCII punctuation is mapped.
#[test]
fn every_article_equals_the_gazette_text_layer() {
    let law = corpus().law("csl").expect("csl");
    let v = law.version("amended-2025").expect("amended-2025");
    // Split the gazette at article starts, in order. A line whose predecessor does not
    // end a sentence is the PDF's line wrap (once, inside 第七十五条) and continues it.
    let start = GAZETTE
        .rfind("\n第一条 ")
        .expect("article 1 in the gazette");
    let mut gazette: Vec<Vec<String>> = Vec::new();
    let mut open_line = false;
    for line in GAZETTE[start + 1..].lines() {
        let head = format!("第{}条 ", chinese_number(gazette.len() as u32 + 1));
        let heading = line.starts_with('第') && (line.contains("章 ") || line.contains("节 "));
        if let Some(rest) = line.strip_prefix(&head) {
            gazette.push(vec![full_width(rest)]);
        } else if open_line {
            if let Some(last) = gazette.last_mut().and_then(|a| a.last_mut()) {
                last.push_str(&full_width(line));
            }
        } else if heading {
            continue;
        } else if let Some(a) = gazette.last_mut() {
            a.push(full_width(line));
        }
        open_line = !heading && !line.ends_with(['。', ';', ':', '；', '：']);
    }
    assert_eq!(gazette.len(), 81, "the gazette has 81 articles");
    let mut breaks_differ = Vec::new();
    for a in &v.statute.articles {
        let ours: Vec<String> = article_text(a, None).lines().map(full_width).collect();
        let theirs = &gazette[a.number as usize - 1];
        assert_eq!(
            ours.concat(),
            theirs.concat(),
            "第{}条 differs from the gazette",
            a.number
        );
        if &ours != theirs {
            breaks_differ.push(a.number);
        }
    }
    // The text layer also breaks lines at some sentence ends inside a paragraph, where
    // the printed page cannot be told from a new paragraph; there the 2016 paragraphing
    // of the same words is kept (data/law/sources.toml, source 005).
    assert_eq!(
        breaks_differ, PARAGRAPHING_FROM_2016,
        "articles whose paragraphing differs"
    );
}

/// Each article the decision adds or rewrites is quoted in it: the quote equals the text.
#[test]
fn the_decisions_quotes_equal_the_consolidated_articles() {
    let law = corpus().law("csl").expect("csl");
    let v = law.version("amended-2025").expect("amended-2025");
    let text = |n: u32, p: Option<u32>| {
        let a = v
            .statute
            .articles
            .iter()
            .find(|a| a.number == n)
            .expect("article");
        full_width(&article_text(a, p))
    };
    // The decision's numbered items (一、…十四、), each with its quoted text: a quote
    // spans lines, each quoted paragraph opening with “ and only the last closing with ”.
    let starts_item = |l: &str| {
        let n = l
            .chars()
            .take_while(|c| "一二三四五六七八九十".contains(*c))
            .count();
        n > 0 && l.chars().nth(n) == Some('、')
    };
    let mut blocks: Vec<String> = Vec::new();
    let amendments = DECISION
        .lines()
        .skip_while(|l| !l.starts_with("一、"))
        .take_while(|l| !l.starts_with("本决定"));
    for l in amendments {
        match blocks.last_mut() {
            Some(last) if !starts_item(l) => {
                last.push('\n');
                last.push_str(l);
            }
            _ => blocks.push(l.to_string()),
        }
    }
    let mut checked = Vec::new();
    for block in &blocks {
        let Some(open) = block.find('“') else {
            continue;
        };
        let quote = full_width(&block[open..].replace(['“', '”'], ""));
        let head = &block[..open];
        if head.contains("其中的") {
            continue; // 决定第八项 replaces a phrase, not the article
        }
        // The new number: "作为第N条" or "改为第N条"; "增加一款，作为第二款" adds paragraph 2.
        let number = ["作为第", "改为第"]
            .iter()
            .filter_map(|k| head.rfind(k).map(|i| &head[i + k.len()..]))
            .filter_map(|rest| rest.split_once('条').map(|(n, _)| n))
            .filter_map(dengbao_corpus::numerals::parse)
            .map(|n| n as u32)
            .next_back()
            .expect("the item names the new article");
        if head.contains("增加一款") {
            assert_eq!(text(number, Some(2)), quote, "决定: 第{number}条第二款");
        } else {
            assert_eq!(text(number, None), quote, "决定: 第{number}条");
        }
        checked.push(number);
    }
    checked.sort();
    assert_eq!(checked, vec![3, 20, 42, 61, 62, 63, 65, 67, 69, 71, 73, 77]);
}

#[test]
fn every_2016_article_is_carried_and_every_new_one_accounted_for() {
    let c = corpus();
    let law = c.law("csl").expect("csl");
    let al = c
        .alignment("csl", "final", "amended-2025")
        .expect("alignment");
    for a in &law.version("final").expect("final").statute.articles {
        assert!(
            al.pairs.iter().any(|p| p.from == a.number),
            "old 第{}条 is not aligned",
            a.number
        );
    }
    for a in &law
        .version("amended-2025")
        .expect("amended")
        .statute
        .articles
    {
        assert!(
            al.pairs.iter().any(|p| p.to == a.number)
                || al.added.iter().any(|u| u.article == a.number),
            "new 第{}条 is neither aligned nor listed as added",
            a.number
        );
    }
    let mut added: Vec<u32> = al.added.iter().map(|u| u.article).collect();
    added.sort();
    assert_eq!(added, vec![3, 20, 63, 73]);
}

#[test]
fn the_comparison_shows_the_new_fine_tiers_of_61() {
    let cmp = corpus().diff("csl", "final", "amended-2025").expect("diff");
    let row = cmp
        .pairs
        .iter()
        .find(|p| p.from.number == 59)
        .expect("59 → 61");
    assert_eq!(row.to.number, 61);
    let new: Vec<String> = row
        .fines
        .iter()
        .filter_map(|f| f.to.as_ref())
        .map(|f| format!("{}-{}", f.min.unwrap_or(0), f.max.unwrap_or(0)))
        .collect();
    // 第二款's refusal tier and 第三款's two tiers are new ranges.
    for r in ["10000-50000", "500000-2000000", "2000000-10000000"] {
        assert!(
            new.iter().any(|x| x == r),
            "61 shows the range {r}: {new:?}"
        );
    }
}

#[derive(Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    why: String,
    date: Date,
    cite: String,
    expect: Vec<String>,
}

fn parse_cite(s: &str) -> Citation {
    let (law, rest) = s.split_once(' ').expect("law and number");
    let mut parts = rest.split('.');
    let num = |p: Option<&str>| {
        p.filter(|x| !x.is_empty())
            .map(|x| x.parse::<u32>().expect("number"))
    };
    let article = num(parts.next()).expect("article");
    let mut c = Citation::article(law, article);
    c.paragraph = num(parts.next());
    c.item = num(parts.next());
    c
}

fn show(c: &Citation) -> String {
    let n = |x: Option<u32>| x.map(|v| v.to_string()).unwrap_or_default();
    format!(
        "{} {} {}.{}.{}",
        c.version.as_deref().unwrap_or("?"),
        c.law.as_deref().unwrap_or("?"),
        c.article,
        n(c.paragraph),
        n(c.item)
    )
}

#[test]
fn citations_follow_the_version_in_force_on_the_date() {
    let citer = Citer::embedded().expect("manifest and alignments");
    let cases: Cases = toml::from_str(include_str!("cases/citations_by_date.toml")).expect("cases");
    assert!(cases.case.len() >= 10);
    for k in cases.case {
        let got: Vec<String> = citer
            .cite_at(&parse_cite(&k.cite), k.date)
            .iter()
            .map(show)
            .collect();
        assert_eq!(got, k.expect, "{} ({} on {})", k.why, k.cite, k.date);
    }
}
