//! The catalog of one level as an OSCAL catalog (JSON), for GRC tools that read OSCAL:
//! one group per extension, one group per class inside it, one control per requirement
//! item, its statement as the `statement` part, and dengbao's own facts (clause, duties,
//! citations, levels) as properties in the dengbao namespace.

use dengbao_types::Level;
use serde_json::{json, Value};

use crate::catalog::{Catalog, Control, ScopeError};
use crate::class::Extension;
use crate::high_risk::{HighRisk, HighRiskCase};

/// The OSCAL version the documents declare: that of the schemas pinned in
/// `data/controls/oscal-schema` (decision 0413), which the tests validate every export against.
pub const OSCAL_VERSION: &str = "1.2.3";

/// The namespace of dengbao's own properties (OSCAL requires one for names it does not
/// define itself); a URN, so it points at no web page that could go away.
pub const NAMESPACE: &str = "urn:dengbao:oscal";

/// The OSCAL catalog of a level's general items and the extensions asked for.
/// `last_modified` is the export time (RFC 3339 with offset), given by the caller so the
/// library does no clock I/O and tests get a fixed document.
pub fn to_oscal(
    catalog: &Catalog,
    level: Level,
    exts: &[Extension],
    last_modified: &str,
) -> Result<Value, ScopeError> {
    to_oscal_with(catalog, None, level, exts, last_modified)
}

/// As [`to_oscal`], with each item's 高风险 cases as a `high-risk-case` property and part
/// (conditions and compensating measures as sub-parts, `confirmed` as a property), so a
/// GRC tool that imports the catalog sees which findings the guide judges high risk.
pub fn to_oscal_with(
    catalog: &Catalog,
    high_risk: Option<&HighRisk>,
    level: Level,
    exts: &[Extension],
    last_modified: &str,
) -> Result<Value, ScopeError> {
    let items = catalog.select(level, exts)?;
    let cases_of = |c: &Control| high_risk.map(|h| h.for_item(&c.id)).unwrap_or_default();
    let mut groups = Vec::new();
    let mut ext_seen: Vec<Extension> = items.iter().map(|c| c.extension).collect();
    ext_seen.dedup();
    for ext in ext_seen {
        let of_ext: Vec<&&Control> = items.iter().filter(|c| c.extension == ext).collect();
        let mut classes: Vec<_> = of_ext.iter().map(|c| c.class).collect();
        classes.dedup();
        let class_groups: Vec<Value> = classes
            .into_iter()
            .map(|class| {
                let first = of_ext.iter().find(|c| c.class == class);
                json!({
                    "id": format!("L{}-{}{}", level.get(), class.code(), ext.digit()),
                    "class": "class",
                    "title": class.zh(),
                    "props": [
                        {"name": "label", "value": format!("{}{}", class.code(), ext.digit())},
                        {"name": "kind", "ns": NAMESPACE, "value": class.kind().as_str()},
                        {"name": "clause", "ns": NAMESPACE,
                         "value": first.map(|c| class_clause(&c.clause)).unwrap_or_default()},
                    ],
                    "controls": of_ext
                        .iter()
                        .filter(|c| c.class == class)
                        .map(|c| control(c, &cases_of(c)))
                        .collect::<Vec<_>>(),
                })
            })
            .collect();
        groups.push(json!({
            "id": format!("L{}-{}", level.get(), ext.as_str()),
            "class": "extension",
            "title": format!("{}{}", level.zh(), ext.zh()),
            "groups": class_groups,
        }));
    }
    let title = format!(
        "GB/T 22239-2019 信息安全技术 网络安全等级保护基本要求 — {}（dengbao 摘要）",
        level.zh()
    );
    Ok(json!({
        "catalog": {
            "uuid": content_uuid(&items, &cases_of),
            "metadata": {
                "title": title,
                "last-modified": last_modified,
                "version": env!("CARGO_PKG_VERSION"),
                "oscal-version": OSCAL_VERSION,
                "remarks": "Requirement statements are dengbao's short summaries, not the standard's text. Ids follow GB/T 28448-2019. Properties in urn:dengbao:oscal link each item to the duties of the Cybersecurity Law and the MLPS regulation draft it gives evidence for.",
            },
            "groups": groups,
        }
    }))
}

/// `8.1.4.1` → `8.1.4`: the class's clause.
fn class_clause(point_clause: &str) -> String {
    point_clause
        .rsplit_once('.')
        .map(|(head, _)| head.to_string())
        .unwrap_or_else(|| point_clause.to_string())
}

fn control(c: &Control, cases: &[&HighRiskCase]) -> Value {
    let mut props = vec![
        json!({"name": "label", "value": c.id}),
        json!({"name": "clause", "ns": NAMESPACE, "value": c.clause_item()}),
        json!({"name": "control-point", "ns": NAMESPACE, "value": c.point}),
    ];
    for l in &c.levels {
        props.push(json!({"name": "level", "ns": NAMESPACE, "value": l.to_string()}));
    }
    for d in &c.duties {
        props.push(json!({"name": "duty", "ns": NAMESPACE, "value": d}));
    }
    for cit in &c.citations {
        props.push(json!({"name": "citation", "ns": NAMESPACE, "value": cit.to_string()}));
    }
    if let Some(r) = &c.no_duty_reason {
        props.push(json!({"name": "no-duty-reason", "ns": NAMESPACE, "value": r}));
    }
    let mut parts =
        vec![json!({"id": format!("{}_smt", c.id), "name": "statement", "prose": c.requirement})];
    for (n, case) in cases.iter().enumerate() {
        props.push(json!({"name": "high-risk-case", "ns": NAMESPACE, "value": case.id}));
        parts.push(high_risk_part(&format!("{}_hr{}", c.id, n + 1), case));
    }
    json!({
        "id": c.id,
        "class": "requirement",
        "title": format!("{} {})", c.point, c.letter),
        "props": props,
        "parts": parts,
    })
}

/// One 高风险 case as an OSCAL part in dengbao's namespace (OSCAL lets a part carry a name
/// of its own when it gives `ns`).
fn high_risk_part(id: &str, case: &HighRiskCase) -> Value {
    let sub = |kind: &str, texts: &[String]| -> Vec<Value> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| json!({"id": format!("{id}_{kind}{}", i + 1), "name": kind, "ns": NAMESPACE, "prose": t}))
            .collect()
    };
    let mut parts = sub("condition", &case.conditions);
    parts.extend(sub("compensating", &case.compensating));
    let mut props = vec![
        json!({"name": "case-id", "ns": NAMESPACE, "value": case.id}),
        json!({"name": "confirmed", "ns": NAMESPACE, "value": case.confirmed.to_string()}),
    ];
    if let Some(n) = &case.note {
        props.push(json!({"name": "note", "ns": NAMESPACE, "value": n}));
    }
    json!({
        "id": id,
        "name": "high-risk-case",
        "ns": NAMESPACE,
        "title": case.name,
        "props": props,
        "parts": parts,
    })
}

/// A UUID derived from the exported items, so the same catalog always exports the same
/// document and a changed one a new uuid.
fn content_uuid<'a>(
    items: &[&'a Control],
    cases_of: &dyn Fn(&'a Control) -> Vec<&'a HighRiskCase>,
) -> String {
    let mut bytes = Vec::new();
    for c in items {
        let cases: String = cases_of(c).iter().map(|x| x.id.as_str()).collect();
        bytes.extend(
            c.id.bytes()
                .chain(c.requirement.bytes())
                .chain(cases.bytes()),
        );
        bytes.push(0);
    }
    stable_uuid(&bytes)
}

/// A UUID (in the version-4 form OSCAL accepts) derived from `bytes`: FNV-1a, twice with
/// different offsets, for 128 bits. Exports name their parts by stable names through this, so
/// exporting the same facts twice gives the same document and a GRC tool sees an update,
/// not a new object.
pub(crate) fn stable_uuid(bytes: &[u8]) -> String {
    let fnv = |offset: u64| {
        bytes.iter().fold(offset, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    let (a, b) = (fnv(0xcbf2_9ce4_8422_2325), fnv(0x6c62_272e_07bb_0142));
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&a.to_be_bytes());
    bytes[8..].copy_from_slice(&b.to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4 form
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}
