//! The shipped case library, validated on the real data, and broken copies of it: each
//! break must be refused with a message naming the case and the field.

use std::collections::BTreeSet;
use std::path::Path;

use dengbao_cases::{CasesError, Library};
use dengbao_types::Lang;

fn data_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/cases/cases.toml");
    std::fs::read_to_string(path).expect("data/cases/cases.toml")
}

fn library() -> Library {
    match Library::embedded() {
        Ok(l) => l,
        Err(e) => panic!("{}", e.message(Lang::ZhCn)),
    }
}

/// The raw file as TOML values, to compute expectations independently of the crate.
fn raw_cases() -> Vec<toml::Value> {
    let v: toml::Value = toml::from_str(&data_text()).expect("toml");
    v.get("case")
        .and_then(|c| c.as_array())
        .cloned()
        .expect("[[case]]")
}

#[test]
fn the_shipped_library_has_thirty_sourced_cases_each_linked_to_an_article_and_a_duty() {
    let lib = library();
    assert!(lib.len() >= 30, "only {} cases", lib.len());
    assert_eq!(lib.len(), raw_cases().len());
    for c in lib.cases() {
        assert!(!c.citations.is_empty(), "{}", c.id);
        assert!(!c.duties.is_empty(), "{}", c.id);
        assert!(c.source.url.starts_with("http"), "{}", c.id);
        for cite in &c.citations {
            assert!(cite.version.is_some(), "{}: {cite}", c.id);
        }
    }
}

#[test]
fn citations_use_the_numbering_in_force_on_the_case_date() {
    let lib = library();
    let mut amended = 0;
    for c in lib.cases() {
        let first = c.date.first_day().expect("date");
        for cite in c
            .citations
            .iter()
            .filter(|x| x.law.as_deref() == Some("csl"))
        {
            let want = if first >= jiff::civil::date(2026, 1, 1) {
                amended += 1;
                "amended-2025"
            } else {
                "final"
            };
            assert_eq!(cite.version.as_deref(), Some(want), "{} {cite}", c.id);
        }
    }
    assert!(amended > 0, "no case under the amended text");
}

/// The log-retention cases are those linked to a log duty; searching 日志 finds them all
/// and nothing else.
#[test]
fn searching_logs_finds_the_log_retention_cases() {
    let want: BTreeSet<String> = raw_cases()
        .iter()
        .filter(|c| {
            c["duties"].as_array().is_some_and(|d| {
                d.iter().any(|x| {
                    matches!(
                        x.as_str(),
                        Some("csl.operator.logs" | "mlps.general.logging")
                    )
                })
            })
        })
        .map(|c| c["id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(want.len() >= 3, "{want:?}");
    let got: BTreeSet<String> = library()
        .search("日志")
        .iter()
        .map(|h| h.case.id.clone())
        .collect();
    assert_eq!(got, want);
}

/// The MLPS cases are those linked to a duty of the MLPS (`mlps.*`); searching 等级保护
/// finds them all and nothing else.
#[test]
fn searching_mlps_finds_the_mlps_cases() {
    let want: BTreeSet<String> = raw_cases()
        .iter()
        .filter(|c| {
            c["duties"].as_array().is_some_and(|d| {
                d.iter()
                    .any(|x| x.as_str().is_some_and(|s| s.starts_with("mlps.")))
            })
        })
        .map(|c| c["id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(want.len() >= 3, "{want:?}");
    let got: BTreeSet<String> = library()
        .search("等级保护")
        .iter()
        .map(|h| h.case.id.clone())
        .collect();
    assert_eq!(got, want);
}

#[test]
fn every_term_must_match() {
    let lib = library();
    let logs = lib.search("日志").len();
    let both = lib.search("日志 罚款");
    assert!(!both.is_empty() && both.len() < logs);
    assert!(both.iter().all(|h| h.case.penalty.text.contains("罚款")));
    assert!(lib.search("区块链挖矿").is_empty());
    assert!(lib.search("   ").is_empty());
}

#[test]
fn duties_and_articles_lead_to_their_cases() {
    let lib = library();
    let logs: Vec<&str> = lib
        .for_duty("csl.operator.logs")
        .map(|c| c.id.as_str())
        .collect();
    assert!(!logs.is_empty());
    let art21 = lib.for_article("csl", "final", 21).count();
    let art23 = lib.for_article("csl", "amended-2025", 23).count();
    assert!(art21 > art23 && art23 > 0, "{art21} {art23}");
}

/// The case the broken copies break: the first one dated to the day (the edits below
/// rewrite its day, and its first citation is of 第二十一条).
fn target() -> String {
    raw_cases()
        .iter()
        .find(|c| c["date"].as_str().is_some_and(|d| d.len() == 10))
        .and_then(|c| c["id"].as_str())
        .expect("a case dated to the day")
        .to_string()
}

/// Breaks the target case by the replacements given (each applied once, inside its table;
/// `{date}` stands for its date and `{year}` for its year), and returns the case's id as
/// the broken copy writes it, and the error.
fn broken(edits: &[(&str, &str)]) -> (String, CasesError) {
    let text = data_text();
    let id = target();
    let start = text
        .find(&format!("[[case]]\nid = \"{id}\""))
        .expect("the target case");
    let end = text[start + 8..]
        .find("[[case]]")
        .map(|e| e + start + 8)
        .unwrap_or(text.len());
    let mut table = text[start..end].to_string();
    let date = raw_cases()
        .iter()
        .find(|c| c["id"].as_str() == Some(id.as_str()))
        .and_then(|c| c["date"].as_str())
        .expect("date")
        .to_string();
    for (from, to) in edits {
        let from = from.replace("{date}", &date).replace("{year}", &date[..4]);
        let to = to.replace("{date}", &date).replace("{year}", &date[..4]);
        assert!(table.contains(&from), "{from} not in {id}");
        table = table.replacen(&from, &to, 1);
    }
    let id = table
        .lines()
        .find_map(|l| l.strip_prefix("id = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("id")
        .to_string();
    let text = format!("{}{}{}", &text[..start], table, &text[end..]);
    match Library::from_toml("cases.toml", &text) {
        Ok(_) => panic!("accepted {edits:?}"),
        Err(e) => (id, e),
    }
}

fn assert_names(id: &str, e: &CasesError, field: &str) {
    assert_eq!(e.case(), Some(id), "{e}");
    assert_eq!(e.field(), Some(field), "{e}");
    let zh = e.message(Lang::ZhCn);
    let en = e.message(Lang::En);
    assert!(
        zh.contains(id) && zh.contains(field) && zh.contains("案例"),
        "{zh}"
    );
    assert!(
        en.contains(id) && en.contains(field) && en.contains("case"),
        "{en}"
    );
}

#[test]
fn an_article_missing_from_the_text_in_force_is_refused() {
    let (id, e) = broken(&[("article = 21,", "article = 210,")]);
    assert_names(&id, &e, "citations");
    assert!(e.message(Lang::ZhCn).contains("第二百一十条"), "{e}");
}

#[test]
fn an_unknown_duty_is_refused() {
    let (id, e) = broken(&[("duties = [\"", "duties = [\"csl.no_such_duty\", \"")]);
    assert_names(&id, &e, "duties");
    assert!(e.to_string().contains("csl.no_such_duty"));
}

#[test]
fn an_impossible_date_is_refused() {
    let (id, e) = broken(&[("date = \"{date}\"", "date = \"{year}-02-30\"")]);
    assert_names(&id, &e, "date");
}

#[test]
fn a_date_in_the_wrong_version_breaks_its_citations() {
    // The same case dated after 2026-01-01 is read in the amended text, where old
    // 第二十一条第（五）项 is 第二十三条第（五）项: 第二十一条 there has no item 5.
    let (id, e) = broken(&[
        ("id = \"{year}-", "id = \"2026-"),
        ("date = \"{date}\"", "date = \"2026-07-20\""),
    ]);
    assert_names(&id, &e, "citations");
    assert!(e.message(Lang::En).contains("amended-2025"), "{e}");
}

#[test]
fn an_id_not_starting_with_the_year_is_refused() {
    let (id, e) = broken(&[("date = \"{date}\"", "date = \"1999-07-20\"")]);
    assert_names(&id, &e, "id");
}

#[test]
fn a_law_cited_before_it_took_effect_is_refused() {
    let (id, e) = broken(&[(
        "citations = [\n",
        "citations = [\n  { law = \"pipl\", article = 66 },\n",
    )]);
    assert_names(&id, &e, "citations");
    assert!(e.to_string().contains("尚未施行"), "{e}");
}

#[test]
fn a_source_without_a_url_is_refused() {
    let (id, e) = broken(&[("url = \"http://", "url = \"")]);
    assert_names(&id, &e, "source.url");
}

#[test]
fn an_unknown_key_is_refused_naming_the_file() {
    let (_, e) = broken(&[("url = \"", "link = \"x\", url = \"")]);
    assert!(matches!(e, CasesError::Parse { .. }), "{e}");
    assert!(
        e.to_string().contains("cases.toml") && e.to_string().contains("link"),
        "{e}"
    );
}

#[test]
fn a_duplicate_id_is_refused() {
    let text = data_text();
    let first = raw_cases()[0]["id"].as_str().expect("id").to_string();
    let second = raw_cases()[1]["id"].as_str().expect("id").to_string();
    let text = text.replacen(
        &format!("id = \"{second}\""),
        &format!("id = \"{first}\""),
        1,
    );
    let e = Library::from_toml("cases.toml", &text).expect_err("duplicate accepted");
    assert_names(&first, &e, "id");
}

#[test]
fn a_fine_without_its_fines_is_refused() {
    let (id, e) = broken(&[("kinds = [\"", "kinds = [\"fine\", \"")]);
    assert_names(&id, &e, "penalty.fines");
}
