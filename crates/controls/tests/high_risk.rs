//! The shipped 高风险 cases: every case ties to existing items of its own control point,
//! one per level; the expected ties and confirmation marks are data (high_risk_cases.toml);
//! bad case data is refused naming the case and the field or item.

use dengbao_controls::{Catalog, HighRisk};
use serde::Deserialize;

#[derive(Deserialize)]
struct Expect {
    case: Vec<ExpectCase>,
}

#[derive(Deserialize)]
struct ExpectCase {
    id: String,
    point: String,
    confirmed: bool,
    /// Every item the case ties to; `controls show` of each lists the case.
    items: Vec<String>,
    /// Items of the same point the case must not tie to (another letter or a level it skips).
    #[serde(default)]
    not_items: Vec<String>,
}

fn catalog() -> Catalog {
    Catalog::builtin().expect("the shipped catalog loads")
}

#[test]
fn shipped_cases_tie_to_the_expected_items() {
    let cat = catalog();
    let hr = HighRisk::builtin(&cat).expect("the shipped high-risk cases load");
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/high_risk_cases.toml"
    ))
    .expect("tests/high_risk_cases.toml");
    let expect: Expect = toml::from_str(&text).expect("high_risk_cases.toml parses");
    assert_eq!(
        hr.cases().len(),
        expect.case.len(),
        "every shipped case is in the expectations"
    );
    for e in &expect.case {
        let c = hr.get(&e.id).unwrap_or_else(|| panic!("{}", e.id));
        assert_eq!(c.point, e.point, "{}", e.id);
        assert_eq!(c.confirmed, e.confirmed, "{}", e.id);
        assert_eq!(c.items, e.items, "{}", e.id);
        for item in &e.items {
            assert!(
                hr.for_item(item).iter().any(|x| x.id == e.id),
                "{item} lists {}",
                e.id
            );
            assert_eq!(
                cat.get(item).map(|x| x.point.as_str()),
                Some(e.point.as_str())
            );
        }
        for item in &e.not_items {
            assert!(
                hr.for_item(item).iter().all(|x| x.id != e.id),
                "{item} must not list {}",
                e.id
            );
        }
        // Unconfirmed cases say what is unconfirmed; confirmed ones say where they were read.
        if c.confirmed {
            assert!(!c.sources.is_empty(), "{}", e.id);
        } else {
            assert!(c.note.as_deref().is_some_and(|n| !n.is_empty()), "{}", e.id);
        }
    }
}

const OK: &str = r#"
[[case]]
id = "HR-PES-01"
name = "机房出入口访问控制措施缺失"
class = "PES"
point = "物理访问控制"
levels = [2, 3]
items = ["L2-PES1-03", "L3-PES1-03"]
conditions = ["无任何出入口控制"]
compensating = ["受控区域"]
confirmed = true
sources = ["a public copy"]
"#;

#[test]
fn bad_case_data_is_refused_naming_the_case_and_the_field() {
    let cat = catalog();
    assert!(HighRisk::from_source("t.toml", OK, &cat).is_ok());
    let cases = [
        (OK.replace("L3-PES1-03\"]", "L3-PES1-99\"]"), "L3-PES1-99"),
        (
            OK.replace("L3-PES1-03\"]", "L3-PES1-06\"]"),
            "防盗窃和防破坏",
        ),
        (OK.replace("levels = [2, 3]", "levels = [2, 3, 4]"), "items"),
        (OK.replace("levels = [2, 3]", "levels = [3, 2]"), "levels"),
        (
            OK.replace("levels = [2, 3]", "levels = [2]"),
            "not in levels",
        ),
        (OK.replace("sources = [\"a public copy\"]", ""), "sources"),
        (OK.replace("confirmed = true", "confirmed = false"), "note"),
        (OK.replace("\"PES\"", "\"XYZ\""), "class"),
        (OK.replace("[\"无任何出入口控制\"]", "[]"), "conditions"),
        (OK.replace("HR-PES-01", "PES-01"), "HR-"),
        (format!("{OK}{OK}"), "appears twice"),
        (
            OK.replace("confirmed = true", "confirmed = true\nextra = 1"),
            "extra",
        ),
    ];
    for (text, needle) in cases {
        let err = HighRisk::from_source("t.toml", &text, &cat)
            .expect_err(needle)
            .to_string();
        assert!(err.contains(needle), "{needle}: {err}");
        assert!(err.contains("t.toml"), "{err}");
    }
}

#[test]
fn items_rated_high_are_matched_to_their_cases() {
    let cat = catalog();
    let hr = HighRisk::builtin(&cat).expect("cases");
    let r = |item: &str, result: &str, risk: Option<&str>| {
        serde_json::from_value::<dengbao_controls::Submitted>(serde_json::json!({
            "item": item, "result": result, "risk": risk
        }))
        .expect("a result")
    };
    let results = [
        r("L3-PES1-03", "不符合", Some("高")),
        r("L3-PES1-06", "部分符合", Some("中")),
        r("L3-CES1-05", "不符合", Some(" 高 ")),
        r("L3-CES1-01", "符合", None),
    ];
    let m = hr.matches(&results);
    let got: Vec<(&str, Vec<&str>)> = m
        .iter()
        .map(|x| {
            (
                x.item.as_str(),
                x.cases.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    // 中 is not 高; an item rated 高 without a case is kept, with none.
    assert_eq!(
        got,
        vec![("L3-PES1-03", vec!["HR-PES-01"]), ("L3-CES1-05", vec![])]
    );
}
