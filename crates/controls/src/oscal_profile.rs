//! One OSCAL profile per level: the items a level's assessment covers, selected by id from
//! the level's catalog export (`to_oscal`). A GRC tool that works with baselines imports the
//! profile; resolving it against the catalog gives exactly the items in scope.

use dengbao_types::Level;
use serde_json::{json, Value};

use crate::catalog::{Catalog, ScopeError};
use crate::class::Extension;
use crate::oscal::{stable_uuid, NAMESPACE, OSCAL_VERSION};

/// The file name the CLI suggests for a level's catalog export, which the profile imports
/// by a relative href (so the two files travel together): `gbt22239-l3-cloud.oscal.json`.
pub fn catalog_file_name(level: Level, exts: &[Extension]) -> String {
    let mut name = format!("gbt22239-l{}", level.get());
    for e in exts.iter().filter(|e| **e != Extension::General) {
        name.push('-');
        name.push_str(e.as_str());
    }
    name.push_str(".oscal.json");
    name
}

/// The OSCAL profile of a level's general items and the extensions asked for, importing
/// `catalog_href` (the catalog export of the same level and extensions). `last_modified`
/// is given by the caller, as for [`crate::to_oscal`].
pub fn to_oscal_profile(
    catalog: &Catalog,
    level: Level,
    exts: &[Extension],
    catalog_href: &str,
    last_modified: &str,
) -> Result<Value, ScopeError> {
    let items = catalog.select(level, exts)?;
    let ids: Vec<&str> = items.iter().map(|c| c.id.as_str()).collect();
    let mut props =
        vec![json!({"name": "level", "ns": NAMESPACE, "value": level.get().to_string()})];
    let mut seen: Vec<Extension> = items.iter().map(|c| c.extension).collect();
    seen.dedup();
    for e in &seen {
        props.push(json!({"name": "extension", "ns": NAMESPACE, "value": e.as_str()}));
    }
    let names: Vec<&str> = std::iter::once("profile")
        .chain(ids.iter().copied())
        .collect();
    Ok(json!({
        "profile": {
            "uuid": stable_uuid(names.join("\0").as_bytes()),
            "metadata": {
                "title": format!(
                    "GB/T 22239-2019 {}测评范围（{}项）",
                    level.zh(),
                    ids.len()
                ),
                "last-modified": last_modified,
                "version": env!("CARGO_PKG_VERSION"),
                "oscal-version": OSCAL_VERSION,
                "props": props,
                "remarks": "The requirement items an assessment at this level covers: the general requirements and the extensions named, selected from the catalog export of the same level.",
            },
            "imports": [{
                "href": catalog_href,
                "include-controls": [{"with-ids": ids}],
            }],
            "merge": {"as-is": true},
        }
    }))
}
