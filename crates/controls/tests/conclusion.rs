//! The 2025 conclusion rule on the real level-3 catalog: the cases of
//! tests/conclusion_cases.toml, and the results that are refused, each naming the item.

use dengbao_controls::{conclude, Catalog, Extension, ResultsError, Submitted};
use dengbao_types::Level;
use serde::Deserialize;

#[derive(Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    conforms: usize,
    #[serde(default)]
    partly: usize,
    #[serde(default)]
    not_conforming: usize,
    #[serde(default)]
    hazards: usize,
    rate: String,
    conclusion: String,
}

fn catalog() -> Catalog {
    Catalog::builtin().expect("the shipped catalog loads")
}

fn l3(cat: &Catalog) -> Vec<String> {
    cat.select(Level::THREE, &[])
        .expect("level 3")
        .iter()
        .map(|c| c.id.clone())
        .collect()
}

fn result(item: &str, result: &str) -> Submitted {
    Submitted {
        item: item.into(),
        result: result.into(),
        reason: (result == "不适用").then(|| "本系统无此对象".into()),
        risk: None,
        major_hazard: None,
    }
}

/// The results a case describes, over the level-3 items in catalog order.
fn results_of(case: &Case, ids: &[String]) -> Vec<Submitted> {
    let (c, p, n) = (case.conforms, case.partly, case.not_conforming);
    assert!(
        c + p + n <= ids.len(),
        "{}: more results than items",
        case.name
    );
    ids.iter()
        .enumerate()
        .map(|(i, id)| {
            let mut r = if i < c {
                result(id, "符合")
            } else if i < c + p {
                result(id, "部分符合")
            } else if i < c + p + n {
                result(id, "不符合")
            } else {
                result(id, "不适用")
            };
            if i >= c + p && i < c + p + case.hazards {
                r.risk = Some("高".into());
                r.major_hazard = Some(true);
            }
            r
        })
        .collect()
}

#[test]
fn conclusion_cases_on_the_level_3_catalog() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/conclusion_cases.toml"
    ))
    .expect("tests/conclusion_cases.toml");
    let cases: Cases = toml::from_str(&text).expect("cases parse");
    let cat = catalog();
    let ids = l3(&cat);
    assert_eq!(ids.len(), 211);
    for case in &cases.case {
        let out = conclude(&cat, Level::THREE, &[], &results_of(case, &ids))
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert_eq!(out.conclusion.zh(), case.conclusion, "{}", case.name);
        let (num, den) = case.rate.split_once('/').expect("rate a/b");
        let want = num.parse::<f64>().unwrap() / den.parse::<f64>().unwrap();
        assert!(
            (out.rate - want).abs() < 1e-12,
            "{}: rate {}",
            case.name,
            out.rate
        );
        assert_eq!(out.major_hazards, case.hazards, "{}", case.name);
        assert_eq!(out.counts["符合"], case.conforms, "{}", case.name);
        assert_eq!(
            out.counts["applicable"],
            den.parse::<usize>().unwrap(),
            "{}",
            case.name
        );
        assert!(out.reading.contains("0410"));
    }
}

#[test]
fn refused_results_name_the_item() {
    let cat = catalog();
    let ids = l3(&cat);
    let all = |f: &dyn Fn(&mut Vec<Submitted>)| {
        let mut rs: Vec<Submitted> = ids.iter().map(|id| result(id, "符合")).collect();
        f(&mut rs);
        conclude(&cat, Level::THREE, &[], &rs).expect_err("refused")
    };
    let e = all(&|rs| rs[0].item = "L3-CES1-99".into());
    assert_eq!(
        e,
        ResultsError::UnknownItem {
            item: "L3-CES1-99".into()
        }
    );
    let e = all(&|rs| rs.push(result("L2-CES1-01", "符合")));
    assert!(
        matches!(
            e,
            ResultsError::OtherLevel {
                its: 2,
                level: 3,
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("L2-CES1-01"));
    let e = all(&|rs| rs[5].result = "基本符合".into());
    assert!(
        e.to_string().contains(&ids[5]) && e.to_string().contains("基本符合"),
        "{e}"
    );
    let e = all(&|rs| {
        rs[7].result = "不适用".into();
        rs[7].reason = Some("  ".into());
    });
    assert_eq!(
        e,
        ResultsError::NoReason {
            item: ids[7].clone()
        }
    );
    let e = all(&|rs| {
        rs.remove(30);
        rs.remove(3);
    });
    assert_eq!(
        e,
        ResultsError::Missing {
            items: vec![ids[3].clone(), ids[30].clone()]
        }
    );
    let e = all(&|rs| rs.push(result(&ids[0], "符合")));
    assert_eq!(
        e,
        ResultsError::Duplicate {
            item: ids[0].clone()
        }
    );
    let e = all(&|rs| {
        rs[2].result = "不符合".into();
        rs[2].risk = Some("极高".into());
    });
    assert!(matches!(e, ResultsError::BadRisk { .. }), "{e}");
    let e = all(&|rs| rs[2].major_hazard = Some(true));
    assert!(matches!(e, ResultsError::RiskOnConforming { .. }), "{e}");
    let e = all(&|rs| {
        for r in rs.iter_mut() {
            r.result = "不适用".into();
            r.reason = Some("整机房外包".into());
        }
    });
    assert_eq!(e, ResultsError::NothingApplicable);
}

#[test]
fn an_extension_item_brings_the_whole_extension_into_scope() {
    let cat = catalog();
    let mut rs: Vec<Submitted> = l3(&cat).iter().map(|id| result(id, "符合")).collect();
    rs.push(result("L3-CES2-01", "符合"));
    let ResultsError::Missing { items } = conclude(&cat, Level::THREE, &[], &rs).unwrap_err()
    else {
        panic!("missing cloud items")
    };
    assert_eq!(items.len(), 45);
    assert!(items.iter().all(|i| i.contains("2-")), "{items:?}");
    // Asked for with --ext, the cloud items are required even when none is given.
    let general: Vec<Submitted> = l3(&cat).iter().map(|id| result(id, "符合")).collect();
    let e = conclude(&cat, Level::THREE, &[Extension::Cloud], &general).unwrap_err();
    assert!(
        matches!(e, ResultsError::Missing { ref items } if items.len() == 46),
        "{e}"
    );
}

#[test]
fn level_5_is_refused_with_the_reason() {
    let cat = catalog();
    let e = conclude(&cat, Level::FIVE, &[], &[]).unwrap_err();
    assert!(e.to_string().contains("GB/T 22239-2019"), "{e}");
}
