//! The shipped control catalog: counts per level, extension and class against the figures
//! in tests/counts.toml, the GB/T 28448-2019 numbering, the links to the duty catalog, and
//! the checks made at load.

use std::collections::BTreeMap;

use dengbao_controls::{Catalog, CatalogError, Class, Extension, Kind, ScopeError};
use dengbao_types::Level;
use serde::Deserialize;

#[derive(Deserialize)]
struct Counts {
    count: Vec<Count>,
}

#[derive(Deserialize)]
struct Count {
    level: u8,
    ext: String,
    status: String,
    total: usize,
    technical: Option<usize>,
    management: Option<usize>,
    points_total: Option<usize>,
    unconfirmed_total: Option<usize>,
    tolerance: Option<usize>,
    items: BTreeMap<String, usize>,
    #[serde(default)]
    points: BTreeMap<String, usize>,
    #[serde(default)]
    reference_items: BTreeMap<String, usize>,
}

fn catalog() -> Catalog {
    Catalog::builtin().expect("the shipped catalog loads")
}

fn level(n: u8) -> Level {
    Level::new(n).expect("level")
}

#[test]
fn counts_per_level_extension_and_class_match_the_figures() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/counts.toml"))
        .expect("tests/counts.toml");
    let counts: Counts = toml::from_str(&text).expect("counts.toml parses");
    let cat = catalog();
    for want in counts.count {
        let ext = Extension::from_name(&want.ext).expect("extension");
        let items: Vec<_> = cat
            .controls()
            .iter()
            .filter(|c| c.level.get() == want.level && c.extension == ext)
            .collect();
        let at = format!("level {} {}", want.level, want.ext);
        let mut by_class: BTreeMap<String, usize> = BTreeMap::new();
        let mut points: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for c in &items {
            *by_class.entry(c.class.code().to_string()).or_default() += 1;
            let p = points.entry(c.class.code().to_string()).or_default();
            if !p.contains(&c.point.as_str()) {
                p.push(&c.point);
            }
        }
        assert_eq!(by_class, want.items, "{at}: items per class");
        assert_eq!(items.len(), want.total, "{at}: total");
        let of_kind = |k: Kind| items.iter().filter(|c| c.kind() == k).count();
        if let Some(t) = want.technical {
            assert_eq!(of_kind(Kind::Technical), t, "{at}: technical");
        }
        if let Some(m) = want.management {
            assert_eq!(of_kind(Kind::Management), m, "{at}: management");
        }
        if let Some(p) = want.points_total {
            let n: usize = points.values().map(Vec::len).sum();
            assert_eq!(n, p, "{at}: control points");
        }
        for (class, n) in &want.points {
            assert_eq!(
                points.get(class).map(Vec::len),
                Some(*n),
                "{at}: {class} points"
            );
        }
        // Where the catalog departs from the reference split, it only moves items between
        // the named classes: their sum is the reference's.
        if !want.reference_items.is_empty() {
            let ours: usize = want.reference_items.keys().map(|k| by_class[k]).sum();
            let theirs: usize = want.reference_items.values().sum();
            assert_eq!(
                ours, theirs,
                "{at}: departure from the reference moves items only"
            );
        }
        match want.status.as_str() {
            "reference" => assert!(want.unconfirmed_total.is_none()),
            "encoded" => {
                if let Some(u) = want.unconfirmed_total {
                    let tol = want.tolerance.expect("tolerance");
                    assert!(
                        items.len().abs_diff(u) <= tol,
                        "{at}: {} items, the unconfirmed figure is {u}",
                        items.len()
                    );
                }
            }
            other => panic!("{at}: unknown status {other}"),
        }
    }
}

#[test]
fn ids_and_clauses_follow_gbt28448_and_the_standards_numbering() {
    let cat = catalog();
    let c = cat.get("L3-CES1-01").expect("L3-CES1-01");
    assert_eq!(
        (c.class, c.point.as_str(), c.letter),
        (Class::Ces, "身份鉴别", 'a')
    );
    assert_eq!(c.clause_item(), "8.1.4.1 a)");
    assert_eq!(c.levels, vec![1, 2, 3, 4]);
    // The fourth item of 身份鉴别 (two-factor with cryptography) is level 3 and up only.
    let d = cat.get("L3-CES1-04").expect("L3-CES1-04");
    assert_eq!((d.point.as_str(), d.letter), ("身份鉴别", 'd'));
    assert!(cat
        .controls()
        .iter()
        .filter(|c| c.level.get() == 2 && c.point == "身份鉴别" && c.class == Class::Ces)
        .all(|c| c.letter <= 'c'));
    // Level 2's 安全管理中心 has two control points, numbered from 7.1.5.1.
    let smc2: Vec<_> = cat
        .controls()
        .iter()
        .filter(|c| c.level.get() == 2 && c.class == Class::Smc)
        .map(|c| c.clause_item())
        .collect();
    assert_eq!(
        smc2,
        ["7.1.5.1 a)", "7.1.5.1 b)", "7.1.5.2 a)", "7.1.5.2 b)"]
    );
    // An item that tightens is one item with that level's wording under that level's id.
    let l4 = cat.get("L4-CES1-13").expect("L4-CES1-13");
    assert_eq!(l4.point, "安全审计");
    assert!(l4.requirement.contains("主体标识"), "{}", l4.requirement);
    let l3 = cat.get("L3-CES1-13").expect("L3-CES1-13");
    assert_eq!((l3.point.as_str(), l3.letter), ("安全审计", 'b'));
    assert!(!l3.requirement.contains("主体标识"));
    // The cloud extension: digit 2, clause 8.2.
    let cloud = cat.get("L3-CES2-01").expect("L3-CES2-01");
    assert_eq!(
        (cloud.extension, cloud.point.as_str()),
        (Extension::Cloud, "身份鉴别")
    );
    assert_eq!(cloud.clause_item(), "8.2.4.1 a)");
    let last = cat.get("L3-MMS1-48").expect("L3-MMS1-48");
    assert_eq!((last.point.as_str(), last.letter), ("外包运维管理", 'd'));
    assert!(cat.get("L3-MMS1-49").is_none());
}

#[test]
fn audit_and_identity_items_evidence_the_duties_that_require_them() {
    let cat = catalog();
    // 安全审计 → 《网络安全法》第二十一条第（三）项 and the log-retention duty.
    for c in cat
        .controls()
        .iter()
        .filter(|c| c.point == "安全审计" && c.extension == Extension::General)
    {
        assert!(
            c.duties.iter().any(|d| d == "csl.operator.logs"),
            "{}",
            c.id
        );
        assert!(
            c.citations
                .iter()
                .any(|x| x.law.as_deref() == Some("csl") && x.article == 21 && x.item == Some(3)),
            "{}",
            c.id
        );
    }
    // 安全计算环境 身份鉴别 → 条例 第二十条第（四）项.
    let c = cat.get("L3-CES1-01").expect("L3-CES1-01");
    assert!(c
        .citations
        .iter()
        .any(|x| x.law.as_deref() == Some("mlps") && x.article == 20 && x.item == Some(4)));
    // Every item at every level has duties (with citations) or a reason.
    for c in cat.controls() {
        assert!(
            !c.citations.is_empty() || c.no_duty_reason.is_some(),
            "{}",
            c.id
        );
    }
}

#[test]
fn level_1_items_are_numbered_in_clause_6_1_with_their_own_wording() {
    let cat = catalog();
    // (id, clause and letter, control point, a phrase of the level-1 wording)
    let cases = [
        (
            "L1-PES1-01",
            "6.1.1.1 a)",
            "物理访问控制",
            "专人值守或电子门禁",
        ),
        ("L1-PES1-04", "6.1.1.4 a)", "防火", "灭火设备"),
        ("L1-CNS1-01", "6.1.2.1 a)", "通信传输", "校验技术"),
        ("L1-CES1-01", "6.1.4.1 a)", "身份鉴别", "标识唯一"),
        ("L1-CES1-11", "6.1.4.7 a)", "数据备份恢复", "本地备份"),
        // No 安全管理中心 at level 1: 安全管理制度 is the fifth class.
        ("L1-PSS1-01", "6.1.5.1 a)", "管理制度", "日常管理活动"),
        ("L1-ORS1-01", "6.1.6.1 a)", "岗位设置", "系统管理员等岗位"),
        ("L1-CMS1-05", "6.1.8.5 a)", "测试验收", "安全性测试验收"),
        ("L1-MMS1-13", "6.1.9.8 b)", "安全事件处置", "报告和处置流程"),
    ];
    for (id, clause, point, phrase) in cases {
        let c = cat.get(id).unwrap_or_else(|| panic!("{id}"));
        assert_eq!(
            (c.clause_item().as_str(), c.point.as_str()),
            (clause, point),
            "{id}"
        );
        assert!(c.requirement.contains(phrase), "{id}: {}", c.requirement);
    }
    assert!(cat.get("L1-SMC1-01").is_none());
    assert!(cat.get("L1-MMS1-14").is_none());
}

#[test]
fn level_5_and_items_not_yet_encoded_are_refused_not_listed_partially() {
    let cat = catalog();
    let e = cat.select(Level::FIVE, &[]).unwrap_err();
    assert_eq!(e, ScopeError::Level5);
    assert!(e.to_string().contains("第五级"));
    // Level 1: the general items are encoded, its extensions are not (refused whole).
    assert_eq!(cat.select(level(1), &[]).map(|v| v.len()), Ok(55));
    assert!(matches!(
        cat.select(level(1), &[Extension::Cloud]),
        Err(ScopeError::NotEncoded {
            level: 1,
            ext: Extension::Cloud
        })
    ));
    let all = [
        Extension::Cloud,
        Extension::Mobile,
        Extension::Iot,
        Extension::Ics,
    ];
    let every = cat
        .select(level(3), &all)
        .expect("level 3, every extension");
    assert_eq!(every.len(), 211 + 46 + 19 + 20 + 21);
    assert_eq!(every.last().map(|c| c.id.as_str()), Some("L3-CMS5-02"));
    let with_cloud = cat
        .select(level(3), &[Extension::Cloud])
        .expect("level 3 + cloud");
    assert_eq!(with_cloud.len(), 211 + 46);
    assert_eq!(with_cloud[0].id, "L3-PES1-01");
    assert_eq!(with_cloud[211].id, "L3-PES2-01");
}

/// A one-point catalog file checked against the shipped duty catalog.
fn load(toml_text: &str) -> Result<Catalog, CatalogError> {
    let duties = dengbao_duties::Catalog::builtin().expect("duty catalog");
    Catalog::from_sources(&[("test.toml", toml_text)], &duties)
}

#[test]
fn bad_catalog_data_is_refused_at_load_naming_what_is_wrong() {
    let ok = "[[point]]\nclass = \"CES\"\nname = \"身份鉴别\"\nduties = [\"mlps.general.protection\"]\nitems = [{ levels = [3], text = \"鉴别用户\" }]\n";
    assert!(load(ok).is_ok());
    let cases = [
        (
            ok.replace("mlps.general.protection", "mlps.no_such_duty"),
            "mlps.no_such_duty",
        ),
        (ok.replace("\"CES\"", "\"XYZ\""), "unknown class \"XYZ\""),
        (
            ok.replace("duties = [\"mlps.general.protection\"]\n", ""),
            "no_duty_reason",
        ),
        (
            ok.replace("levels = [3]", "levels = [5]"),
            "level 5 is not published",
        ),
        (ok.replace("levels = [3]", "levels = [3, 2]"), "ascending"),
        (
            ok.replace(
                "text = \"鉴别用户\"",
                "text = \"鉴别用户\", by_level = { 4 = \"x\" }",
            ),
            "by_level 4",
        ),
        (
            format!(
                "{ok}{}",
                ok.replace("\"CES\"", "\"PES\"").replace("身份鉴别", "防火")
            ),
            "standard's class order",
        ),
        (format!("{ok}{ok}"), "appears twice"),
    ];
    for (text, needle) in cases {
        let err = load(&text).expect_err(needle).to_string();
        assert!(err.contains(needle), "{needle}: {err}");
    }
    // A reason instead of duties is accepted.
    let reason = ok.replace(
        "duties = [\"mlps.general.protection\"]",
        "no_duty_reason = \"纯技术细节\"",
    );
    assert!(load(&reason).is_ok());
}

/// The levels a duty's condition rules out by a plain `level >= N`, `level <= N` or
/// `level == N` conjunct (a condition with `||` rules out nothing here).
fn excluded_at(cond: &str, level: u8) -> bool {
    if cond.contains("||") {
        return false;
    }
    cond.split("&&").any(|part| {
        let part = part.trim();
        let Some(rest) = part.strip_prefix("level ") else {
            return false;
        };
        let (op, n) = rest.split_at(2);
        let Ok(n) = n.trim().parse::<u8>() else {
            return false;
        };
        match op {
            ">=" => level < n,
            "<=" => level > n,
            "==" => level != n,
            _ => false,
        }
    })
}

#[test]
fn every_item_evidences_a_duty_that_applies_at_its_level() {
    let duties = dengbao_duties::Catalog::builtin().expect("duty catalog");
    assert!(excluded_at("level >= 3 && classified == 'none'", 2));
    assert!(!excluded_at("level >= 2 && previous_level == 1", 2));
    for c in catalog().controls() {
        if c.duties.is_empty() {
            continue;
        }
        let applies = c.duties.iter().any(|d| {
            let duty = duties.duty(d).expect("checked at load");
            !excluded_at(&duty.applies_when, c.level.get())
        });
        assert!(
            applies,
            "{} links only duties that do not apply at level {}: {:?}",
            c.id,
            c.level.get(),
            c.duties
        );
    }
}

/// Read straight from the data files, independent of the loader: every item of every
/// control point either links a duty (its own `duties` or its point's) or carries a
/// non-empty `no_duty_reason`, never both and never neither.
#[test]
fn every_item_in_the_data_links_a_duty_or_says_why_not() {
    let mut items = 0;
    for (file, text) in dengbao_controls::CONTROL_FILES {
        let doc: toml::Value = toml::from_str(text).expect("data parses");
        let points = doc["point"].as_array().expect("[[point]]");
        for p in points {
            let name = p["name"].as_str().expect("name");
            let non_empty = |v: Option<&toml::Value>| {
                v.and_then(toml::Value::as_array)
                    .is_some_and(|a| !a.is_empty())
            };
            let reason = |v: Option<&toml::Value>| {
                v.and_then(toml::Value::as_str)
                    .is_some_and(|s| !s.trim().is_empty())
            };
            for it in p["items"].as_array().expect("items") {
                items += 1;
                let text = it["text"].as_str().unwrap_or_default();
                let duties = if it.get("duties").is_some() {
                    non_empty(it.get("duties"))
                } else {
                    non_empty(p.get("duties"))
                };
                let why = reason(it.get("no_duty_reason")) || reason(p.get("no_duty_reason"));
                assert!(
                    duties != why,
                    "{file}: {name}: {text}: links a duty = {duties}, gives a reason = {why}"
                );
            }
        }
    }
    assert!(items > 300, "{items} entries read");
}

/// GB/T 28448-2019's level-3 计算环境 ids skip 16 (data/controls/README.md, "Gaps in the
/// ids"): an assessor's `L3-CES1-17` is 入侵防范 a here too, and the class ends at 35.
#[test]
fn level_3_computing_ids_follow_the_standard_gap_at_16() {
    let cat = Catalog::builtin().expect("catalog");
    assert!(cat.get("L3-CES1-16").is_none());
    let at = |id: &str| {
        let c = cat.get(id).unwrap_or_else(|| panic!("{id} is missing"));
        (c.point.clone(), c.letter)
    };
    assert_eq!(at("L3-CES1-15"), ("安全审计".into(), 'd'));
    assert_eq!(at("L3-CES1-17"), ("入侵防范".into(), 'a'));
    assert_eq!(at("L3-CES1-29"), ("数据备份恢复".into(), 'a'));
    assert_eq!(at("L3-CES1-35"), ("个人信息保护".into(), 'b'));
    assert!(cat.get("L3-CES1-36").is_none());
    // Level 2 has no gap we could read: contiguous.
    assert_eq!(at("L2-CES1-11"), ("入侵防范".into(), 'a'));
}
