//! The OSCAL export of the shipped catalog: the shape OSCAL requires (a catalog with
//! uuid and metadata, groups of controls with token ids, statement parts), every item
//! exported once, and the same catalog giving the same document.

use std::collections::HashSet;

use dengbao_controls::{
    to_oscal, to_oscal_with, Catalog, Extension, HighRisk, ScopeError, OSCAL_NAMESPACE,
};
use dengbao_types::Level;
use serde_json::Value;

const STAMP: &str = "2026-12-04T09:00:00+08:00";

fn controls(doc: &Value) -> Vec<&Value> {
    doc["catalog"]["groups"]
        .as_array()
        .expect("extension groups")
        .iter()
        .flat_map(|g| g["groups"].as_array().expect("class groups"))
        .flat_map(|g| g["controls"].as_array().expect("controls"))
        .collect()
}

/// OSCAL's token: a letter or underscore, then letters, digits, '.', '-', '_'.
fn is_token(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// The uuid form OSCAL accepts: version 4 or 5, RFC 4122 variant.
fn is_oscal_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let lens: Vec<usize> = parts.iter().map(|p| p.len()).collect();
    lens == [8, 4, 4, 4, 12]
        && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
        && matches!(parts[2].chars().next(), Some('4' | '5'))
        && matches!(
            parts[3].chars().next(),
            Some('8' | '9' | 'a' | 'b' | 'A' | 'B')
        )
}

#[test]
fn level_3_exports_every_item_once_in_oscal_shape() {
    let cat = Catalog::builtin().expect("catalog");
    let doc = to_oscal(&cat, Level::THREE, &[Extension::Cloud], STAMP).expect("export");
    let meta = &doc["catalog"]["metadata"];
    assert_eq!(meta["oscal-version"], dengbao_controls::OSCAL_VERSION);
    assert_eq!(meta["last-modified"], STAMP);
    assert!(meta["title"].as_str().unwrap().contains("第三级"));
    assert!(is_oscal_uuid(doc["catalog"]["uuid"].as_str().unwrap()));
    let all = controls(&doc);
    assert_eq!(all.len(), 211 + 46);
    let mut ids = HashSet::new();
    for c in &all {
        let id = c["id"].as_str().expect("id");
        assert!(is_token(id), "{id}");
        assert!(ids.insert(id.to_string()), "{id} twice");
        let item = cat.get(id).expect("an item of the catalog");
        let stmt = &c["parts"][0];
        assert_eq!(stmt["name"], "statement");
        assert_eq!(stmt["prose"], item.requirement.as_str());
        assert!(is_token(stmt["id"].as_str().unwrap()));
        for p in c["props"].as_array().unwrap() {
            let name = p["name"].as_str().unwrap();
            assert!(
                name == "label" || p["ns"] == OSCAL_NAMESPACE,
                "{id}: {name}"
            );
        }
    }
    let first = all.iter().find(|c| c["id"] == "L3-CES1-01").unwrap();
    assert_eq!(first["title"], "身份鉴别 a)");
    let props = first["props"].as_array().unwrap();
    assert!(props
        .iter()
        .any(|p| p["name"] == "clause" && p["value"] == "8.1.4.1 a)"));
    assert!(props
        .iter()
        .any(|p| p["name"] == "duty" && p["value"] == "mlps.general.protection"));
}

#[test]
fn the_same_catalog_gives_the_same_document_and_another_a_new_uuid() {
    let cat = Catalog::builtin().expect("catalog");
    let a = to_oscal(&cat, Level::THREE, &[], STAMP).unwrap();
    let b = to_oscal(&cat, Level::THREE, &[], STAMP).unwrap();
    assert_eq!(a, b);
    let cloud = to_oscal(&cat, Level::THREE, &[Extension::Cloud], STAMP).unwrap();
    let l2 = to_oscal(&cat, Level::TWO, &[], STAMP).unwrap();
    let uuid = |d: &Value| d["catalog"]["uuid"].as_str().unwrap().to_string();
    assert_ne!(uuid(&a), uuid(&cloud));
    assert_ne!(uuid(&a), uuid(&l2));
    assert_eq!(controls(&l2).len(), 136);
    assert_eq!(
        to_oscal(&cat, Level::FIVE, &[], STAMP).unwrap_err(),
        ScopeError::Level5
    );
}

#[test]
fn high_risk_cases_export_as_namespaced_parts_and_props() {
    let cat = Catalog::builtin().expect("catalog");
    let hr = HighRisk::builtin(&cat).expect("cases");
    let doc = to_oscal_with(&cat, Some(&hr), Level::THREE, &[], STAMP).expect("export");
    let all = controls(&doc);
    let door = all
        .iter()
        .find(|c| c["id"] == "L3-PES1-03")
        .expect("L3-PES1-03");
    assert!(door["props"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["name"] == "high-risk-case" && p["value"] == "HR-PES-01"));
    let part = &door["parts"][1];
    assert_eq!(
        (&part["name"], &part["ns"], &part["title"]),
        (
            &Value::from("high-risk-case"),
            &Value::from(OSCAL_NAMESPACE),
            &Value::from("机房出入口访问控制措施缺失")
        )
    );
    assert!(is_token(part["id"].as_str().unwrap()));
    let kinds: Vec<&str> = part["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["condition", "compensating"]);
    // Every case of the data appears at each of its level-3 items, and only there.
    let tagged = all
        .iter()
        .filter(|c| c["parts"].as_array().unwrap().len() > 1)
        .count();
    let level3 = hr
        .cases()
        .iter()
        .flat_map(|c| &c.items)
        .filter(|i| i.starts_with("L3-"))
        .count();
    assert_eq!(tagged, level3);
    // The cases change the document, so they change its uuid.
    let plain = to_oscal(&cat, Level::THREE, &[], STAMP).unwrap();
    assert_ne!(doc["catalog"]["uuid"], plain["catalog"]["uuid"]);
}
