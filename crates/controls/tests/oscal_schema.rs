//! Every OSCAL export validates against the OSCAL JSON schemas pinned in
//! `data/controls/oscal-schema` (decision 0413): the catalog and the profile of each level,
//! with and without extensions, and assessment results built from a level-3 cloud
//! assessment. The validator is shown to fail on broken documents, so a pass means something.

mod support;

use dengbao_controls::{
    catalog_file_name, conclude, to_oscal, to_oscal_profile, to_oscal_results, to_oscal_with,
    AssessmentRecord, Catalog, Extension, HighRisk, ItemRecord, Submitted, OSCAL_VERSION,
};
use dengbao_types::Level;
use serde_json::{json, Value};
use support::schema::Validator;

const STAMP: &str = "2026-12-04T09:00:00+08:00";
const CATALOG: &str = "oscal_catalog_schema.json";
const PROFILE: &str = "oscal_profile_schema.json";
const RESULTS: &str = "oscal_assessment-results_schema.json";

fn assert_valid(v: &Validator, doc: &Value, what: &str) {
    if let Err(errs) = v.validate(doc) {
        panic!("{what} does not validate:\n{}", errs.join("\n"));
    }
}

fn levels() -> [Level; 4] {
    [Level::ONE, Level::TWO, Level::THREE, Level::FOUR]
}

/// The extension sets the catalog encodes for a level (an extension not yet encoded at a
/// level is refused by the export, not listed partially).
fn ext_sets(cat: &Catalog, level: Level) -> Vec<Vec<Extension>> {
    let mut sets = vec![vec![]];
    let all = [
        Extension::Cloud,
        Extension::Mobile,
        Extension::Iot,
        Extension::Ics,
    ];
    let encoded: Vec<Extension> = all
        .into_iter()
        .filter(|e| cat.select(level, &[*e]).is_ok())
        .collect();
    for e in &encoded {
        sets.push(vec![*e]);
    }
    if encoded.len() > 1 {
        sets.push(encoded);
    }
    sets
}

#[test]
fn pinned_schemas_are_the_version_the_exports_declare() {
    for name in [CATALOG, PROFILE, RESULTS] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../data/controls/oscal-schema")
            .join(name);
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let id = schema["$id"].as_str().unwrap();
        assert!(
            id.contains(&format!("/oscal/{OSCAL_VERSION}/")),
            "{name}: {id}"
        );
    }
}

#[test]
fn catalogs_of_every_level_validate() {
    let cat = Catalog::builtin().unwrap();
    let hr = HighRisk::builtin(&cat).unwrap();
    let v = Validator::pinned(CATALOG);
    for level in levels() {
        for exts in ext_sets(&cat, level) {
            let doc = to_oscal(&cat, level, &exts, STAMP).unwrap();
            assert_valid(&v, &doc, &format!("catalog L{} {exts:?}", level.get()));
            let doc = to_oscal_with(&cat, Some(&hr), level, &exts, STAMP).unwrap();
            assert_valid(
                &v,
                &doc,
                &format!("catalog+cases L{} {exts:?}", level.get()),
            );
        }
    }
}

#[test]
fn profiles_of_every_level_validate_and_select_the_catalogs_items() {
    let cat = Catalog::builtin().unwrap();
    let v = Validator::pinned(PROFILE);
    for level in levels() {
        for exts in ext_sets(&cat, level) {
            let href = catalog_file_name(level, &exts);
            let doc = to_oscal_profile(&cat, level, &exts, &href, STAMP).unwrap();
            assert_valid(&v, &doc, &format!("profile L{} {exts:?}", level.get()));
            let import = &doc["profile"]["imports"][0];
            assert_eq!(import["href"], href.as_str());
            let ids = import["include-controls"][0]["with-ids"]
                .as_array()
                .unwrap();
            assert_eq!(ids.len(), cat.select(level, &exts).unwrap().len());
            assert_eq!(doc["profile"]["metadata"]["oscal-version"], OSCAL_VERSION);
        }
    }
    assert_eq!(
        catalog_file_name(Level::THREE, &[Extension::General, Extension::Cloud]),
        "gbt22239-l3-cloud.oscal.json"
    );
}

/// A level-3 cloud assessment with every item assessed: mostly 符合, some 部分符合 and
/// 不符合 (with risks), a few 不适用 (with reasons).
fn level3_cloud(cat: &Catalog) -> AssessmentRecord {
    let exts = vec![Extension::General, Extension::Cloud];
    let items: Vec<ItemRecord> = cat
        .select(Level::THREE, &exts)
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (result, risk, reason) = match i % 20 {
                0 => ("不符合", Some("高"), ""),
                1 => ("部分符合", Some("中"), ""),
                2 => ("不适用", None, "未使用无线网络"),
                3 => ("部分符合", None, ""),
                _ => ("符合", None, ""),
            };
            ItemRecord {
                item: c.id.clone(),
                result: result.into(),
                reason: reason.into(),
                risk: risk.map(str::to_string),
                major_hazard: i == 0,
                note: if i % 7 == 0 {
                    "现场核查：口令策略未启用复杂度要求".into()
                } else {
                    String::new()
                },
                recorded_at: format!("2026-11-2{}T10:00:00Z", i % 3),
            }
        })
        .collect();
    let submitted: Vec<Submitted> = items
        .iter()
        .map(|i| Submitted {
            item: i.item.clone(),
            result: i.result.clone(),
            reason: Some(i.reason.clone()).filter(|r| !r.is_empty()),
            risk: i.risk.clone(),
            major_hazard: Some(i.major_hazard),
        })
        .collect();
    let conclusion = conclude(cat, Level::THREE, &exts, &submitted).unwrap();
    AssessmentRecord {
        network_id: "net-1".into(),
        network_name: "政务云平台".into(),
        level: Level::THREE,
        extensions: exts,
        engagement_id: "eng-1".into(),
        assessor: "某某测评中心".into(),
        exported_at: STAMP.into(),
        items,
        conclusion: Some(conclusion),
    }
}

#[test]
fn level3_cloud_assessment_results_validate() {
    let cat = Catalog::builtin().unwrap();
    let rec = level3_cloud(&cat);
    let doc = to_oscal_results(&cat, &rec).unwrap();
    assert_valid(&Validator::pinned(RESULTS), &doc, "assessment results");
    let ar = &doc["assessment-results"];
    assert_eq!(ar["metadata"]["oscal-version"], OSCAL_VERSION);
    let result = &ar["results"][0];
    let findings = result["findings"].as_array().unwrap();
    assert_eq!(findings.len(), rec.items.len());
    let failing = rec
        .items
        .iter()
        .filter(|i| matches!(i.result.as_str(), "不符合" | "部分符合"))
        .count();
    assert_eq!(result["risks"].as_array().unwrap().len(), failing);
    let first = &findings[0];
    assert_eq!(first["target"]["status"]["state"], "not-satisfied");
    assert_eq!(first["target"]["props"][0]["value"], "不符合");
    let props = result["props"].as_array().unwrap();
    let concl = props.iter().find(|p| p["name"] == "conclusion").unwrap();
    assert_eq!(
        concl["value"],
        rec.conclusion.as_ref().unwrap().conclusion.zh()
    );
    assert!(props.iter().any(|p| p["name"] == "compliance-rate"));
    // Deterministic: the same record exports the same document.
    assert_eq!(doc, to_oscal_results(&cat, &rec).unwrap());
}

#[test]
fn an_incomplete_assessment_still_validates() {
    let cat = Catalog::builtin().unwrap();
    let mut rec = level3_cloud(&cat);
    rec.items.truncate(3);
    rec.conclusion = None;
    let doc = to_oscal_results(&cat, &rec).unwrap();
    assert_valid(
        &Validator::pinned(RESULTS),
        &doc,
        "partial assessment results",
    );
    rec.items.clear();
    let doc = to_oscal_results(&cat, &rec).unwrap();
    assert_valid(
        &Validator::pinned(RESULTS),
        &doc,
        "empty assessment results",
    );
}

#[test]
fn an_item_outside_the_scope_is_refused() {
    let cat = Catalog::builtin().unwrap();
    let mut rec = level3_cloud(&cat);
    rec.items[0].item = "L4-CES1-01".into();
    assert!(to_oscal_results(&cat, &rec).is_err());
}

/// The validator can fail: a missing uuid, an id that is not a token, a property OSCAL does
/// not define, a bad uuid and a wrong status are each rejected.
#[test]
fn the_validator_rejects_broken_documents() {
    let cat = Catalog::builtin().unwrap();
    let v = Validator::pinned(CATALOG);
    let good = to_oscal(&cat, Level::THREE, &[], STAMP).unwrap();
    assert_valid(&v, &good, "catalog");
    let broken = |f: &dyn Fn(&mut Value)| {
        let mut d = good.clone();
        f(&mut d);
        v.validate(&d)
            .expect_err("a broken catalog must not validate")
    };
    let e = broken(&|d| {
        d["catalog"].as_object_mut().unwrap().remove("uuid");
    });
    assert!(e.iter().any(|m| m.contains("\"uuid\" is missing")), "{e:?}");
    let e = broken(&|d| {
        d["catalog"]["groups"][0]["groups"][0]["controls"][0]["id"] = json!("3 bad id")
    });
    assert!(e.iter().any(|m| m.contains("does not match")), "{e:?}");
    let e = broken(&|d| d["catalog"]["metadata"]["colour"] = json!("red"));
    assert!(
        e.iter().any(|m| m.contains("\"colour\" is not allowed")),
        "{e:?}"
    );
    broken(&|d| d["catalog"]["uuid"] = json!("not-a-uuid"));
    broken(&|d| d["catalog"]["metadata"]["last-modified"] = json!("2026-12-04 09:00"));
    broken(&|d| d["catalog"]["groups"] = json!([]));

    let rv = Validator::pinned(RESULTS);
    let mut doc = to_oscal_results(&cat, &level3_cloud(&cat)).unwrap();
    doc["assessment-results"]["results"][0]["findings"][0]["target"]["status"]["state"] =
        json!("符合");
    assert!(rv.validate(&doc).is_err());
}

/// Fail closed: a keyword the validator does not implement is an error, not a pass.
#[test]
fn an_unknown_schema_keyword_fails_closed() {
    let v =
        Validator::new(json!({"type": "object", "patternProperties": {"^x": {"type": "string"}}}));
    let e = v.validate(&json!({"x": 1})).unwrap_err();
    assert!(e.iter().any(|m| m.contains("patternProperties")), "{e:?}");
    let v = Validator::new(json!({"type": "string", "format": "hostname"}));
    assert!(v.validate(&json!("example")).is_err());
    let v = Validator::new(
        json!({"$ref": "#/definitions/a", "minLength": 3, "definitions": {"a": {}}}),
    );
    assert!(v.validate(&json!("x")).is_err());
}

#[test]
fn the_validator_resolves_id_refs_and_combinators() {
    let v = Validator::new(json!({
        "definitions": {"tok": {"$id": "#field_tok", "type": "string", "pattern": "^(\\p{L}|_)(\\p{L}|\\p{N}|[.\\-_])*$"}},
        "type": "object",
        "properties": {
            "a": {"$ref": "#field_tok"},
            "b": {"oneOf": [{"const": 1}, {"enum": [2, 3]}]},
            "c": {"not": {"type": "null"}, "minimum": 0},
            "d": {"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 2},
        },
        "required": ["a"],
        "additionalProperties": false,
    }));
    assert!(v
        .validate(&json!({"a": "身份鉴别-1", "b": 2, "c": 0, "d": [1]}))
        .is_ok());
    assert!(v.validate(&json!({"a": "1x"})).is_err());
    assert!(v.validate(&json!({"a": "x", "b": 4})).is_err());
    assert!(v.validate(&json!({"a": "x", "c": -1})).is_err());
    assert!(v.validate(&json!({"a": "x", "d": [1, 2, 3]})).is_err());
    assert!(v.validate(&json!({"a": "x", "d": [1.5]})).is_err());
}
