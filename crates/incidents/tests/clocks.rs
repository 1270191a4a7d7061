//! The case table (tests/cases/clocks.toml): every operator class × grade of the measure, the
//! boundaries of every threshold, the operator's override and bad input, checked by one helper
//! against the shipped rules.

use std::collections::BTreeMap;

use dengbao_duties::OperatorClass;
use dengbao_incidents::{clocks, Clocks, Grade, Incident, Operator, Rules};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[serde(default = "other")]
    class: String,
    industry: Option<String>,
    incident: String,
    error: Option<String>,
    grade: Option<String>,
    reports: Option<Vec<Expect>>,
    #[serde(default)]
    citations: BTreeMap<String, Vec<String>>,
}

fn other() -> String {
    "other".to_string()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    kind: String,
    recipient: String,
    #[serde(default = "operator")]
    party: String,
    hours: Option<f64>,
    due: Option<String>,
}

fn operator() -> String {
    "operator".to_string()
}

/// `cac-irm 4 2 -`: law, article, paragraph, item ("-" for none).
fn citation_text(c: &dengbao_types::Citation) -> String {
    let opt = |v: Option<u32>| v.map_or("-".to_string(), |n| n.to_string());
    format!(
        "{} {} {} {}",
        c.law.as_deref().unwrap_or("-"),
        c.article,
        opt(c.paragraph),
        opt(c.item)
    )
}

fn run(case: &Case, rules: &Rules) -> Result<Clocks, String> {
    let class = OperatorClass::from_id(&case.class).ok_or("bad class in the case file")?;
    let incident = Incident::from_toml_str(&case.incident, rules).map_err(|e| e.to_string())?;
    let op = Operator {
        class,
        industry: case.industry.as_deref(),
    };
    clocks(&incident, op, rules).map_err(|e| e.to_string())
}

fn check(case: &Case, rules: &Rules) -> Vec<String> {
    let mut fails = Vec::new();
    let result = run(case, rules);
    match (&case.error, result) {
        (Some(field), Err(e)) => {
            if !e.starts_with(field.as_str()) && !e.contains(&format!("`{field}`")) {
                fails.push(format!("error does not name {field}: {e}"));
            }
            // Both languages: a Chinese message and an English one.
            if !e.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) || !e.contains(" / ") {
                fails.push(format!("error is not in Chinese and English: {e}"));
            }
        }
        (Some(field), Ok(c)) => fails.push(format!(
            "expected an error naming {field}, got grade {}",
            c.grade
        )),
        (None, Err(e)) => fails.push(format!("unexpected error: {e}")),
        (None, Ok(c)) => {
            if let Some(g) = &case.grade {
                if c.grade.id() != g {
                    fails.push(format!("grade {} (expected {g})", c.grade));
                }
            }
            // A grade reached by the facts names the annex section of that grade.
            if c.grade == c.computed_grade {
                let section = rules.section(c.grade);
                if !c
                    .grade_reasons
                    .iter()
                    .any(|r| r.annex.is_some_and(|a| a.section == section))
                {
                    fails.push(format!("no reason cites annex section {section}"));
                }
            }
            if let Some(want) = &case.reports {
                let got: Vec<String> = c
                    .reports
                    .iter()
                    .map(|r| {
                        format!(
                            "{} {} by {} {:?} {:?}",
                            r.kind,
                            r.recipient,
                            r.party,
                            r.hours,
                            r.due.map(dengbao_duties::rfc3339_shanghai)
                        )
                    })
                    .collect();
                let want: Vec<String> = want
                    .iter()
                    .map(|e| {
                        format!(
                            "{} {} by {} {:?} {:?}",
                            e.kind, e.recipient, e.party, e.hours, e.due
                        )
                    })
                    .collect();
                if got != want {
                    fails.push(format!(
                        "reports differ:\n    got:  {got:#?}\n    want: {want:#?}"
                    ));
                }
            }
            for (kind, want) in &case.citations {
                for r in c.reports.iter().filter(|r| &r.kind == kind) {
                    let got: Vec<String> = r.citations.iter().map(citation_text).collect();
                    if &got != want {
                        fails.push(format!("{kind} cites {got:?}, expected {want:?}"));
                    }
                }
                if !c.reports.iter().any(|r| &r.kind == kind) {
                    fails.push(format!("no {kind} report to check citations of"));
                }
            }
        }
    }
    fails
}

#[test]
fn case_table() {
    let text = include_str!("cases/clocks.toml");
    let cases: Cases = toml::from_str(text).unwrap_or_else(|e| panic!("case file: {e}"));
    let rules = Rules::builtin().unwrap_or_else(|e| panic!("{e}"));
    let mut failures = Vec::new();
    for case in &cases.case {
        for f in check(case, &rules) {
            failures.push(format!("{}: {f}", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.case.len(),
        failures.join("\n")
    );
}

#[test]
fn the_matrix_covers_every_class_and_grade() {
    let text = include_str!("cases/clocks.toml");
    let cases: Cases = toml::from_str(text).unwrap_or_else(|e| panic!("case file: {e}"));
    for class in OperatorClass::ALL {
        for grade in Grade::ALL {
            let covered = cases.case.iter().any(|c| {
                c.class == class.id()
                    && c.grade.as_deref() == Some(grade.id())
                    && c.reports.is_some()
            });
            assert!(covered, "no case with reports for {class} × {grade}");
        }
    }
}
