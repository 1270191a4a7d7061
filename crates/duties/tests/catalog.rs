//! The embedded catalog loads, and every check it makes at load actually bites.

use std::collections::BTreeSet;

use dengbao_duties::{Catalog, CatalogError, DUTY_FILES, DUTY_SCOPE, PENALTY_FILES, PENALTY_SCOPE};

#[test]
fn builtin_catalog_loads() {
    let c = Catalog::builtin().unwrap_or_else(|e| panic!("{e}"));
    assert!(c.duties().len() >= 60, "{} duties", c.duties().len());
    assert!(c.duty("mlps.filing").is_some());
}

/// Every article in the duty scope is cited by some duty, except the ones whose
/// text imposes nothing on anyone the profile describes (reason given).
#[test]
fn every_article_in_scope_has_a_duty() {
    let c = Catalog::builtin().unwrap();
    let cited: BTreeSet<(String, u32)> = c
        .duties()
        .iter()
        .flat_map(|d| d.citations.iter())
        .map(|c| (c.law.clone().unwrap_or_default(), c.article))
        .collect();
    // 第四十五条: the national cryptography administration sets requirements; nothing for operators.
    let not_duties = [("mlps", 45)];
    for (law, from, to) in DUTY_SCOPE {
        for a in *from..=*to {
            if not_duties.contains(&(law, a)) {
                continue;
            }
            assert!(
                cited.contains(&(law.to_string(), a)),
                "{law} 第{a}条 has no duty"
            );
        }
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
        ("level >= 2 && classified == 'none' && stage != 'retired'\"\nkind = \"event_triggered\"\nclock = { after = \"graded\"", "level >= 2 &&& x\"\nkind = \"event_triggered\"\nclock = { after = \"graded\"", "applies_when"),
        // an unknown variable
        ("applies_when = \"classified == 'none' && stage != 'retired'\"", "applies_when = \"classifed == 'none'\"", "unknown variable"),
        // a citation beyond the last article
        ("article = 18, paragraph = 1", "article = 80, paragraph = 1", "citations"),
        // an unknown penalty
        ("penalty = \"mlps.63.1\"", "penalty = \"mlps.63.9\"", "penalty"),
        // an unknown event
        ("met_when = [\"filed\"]", "met_when = [\"fild\"]", "met_when"),
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
