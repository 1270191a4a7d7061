//! A network's assessment (per-item results, decision 0412) as an OSCAL assessment-results
//! document, for GRC tools that read OSCAL: one `result` for the engagement, the items in
//! scope as its reviewed controls, a finding and an observation per item assessed, a risk
//! per item found 不符合 or 部分符合, and the conclusion and 符合率 as properties. The
//! Chinese result, reason and note are kept as written; OSCAL's own fields carry the closest
//! OSCAL value (`satisfied` / `not-satisfied`) beside them.

use dengbao_types::Level;
use serde_json::{json, Value};

use crate::catalog::{Catalog, ScopeError};
use crate::class::Extension;
use crate::conclude::{Conclusion, Outcome};
use crate::oscal::{stable_uuid, NAMESPACE, OSCAL_VERSION};

/// One item's latest result, as recorded.
#[derive(Debug, Clone)]
pub struct ItemRecord {
    pub item: String,
    /// 符合, 部分符合, 不符合 or 不适用.
    pub result: String,
    pub reason: String,
    /// 高, 中 or 低, for 不符合 and 部分符合.
    pub risk: Option<String>,
    pub major_hazard: bool,
    pub note: String,
    /// RFC 3339 with offset.
    pub recorded_at: String,
}

/// What the export needs to know of the network and its engagement.
#[derive(Debug, Clone)]
pub struct AssessmentRecord {
    pub network_id: String,
    pub network_name: String,
    pub level: Level,
    pub extensions: Vec<Extension>,
    pub engagement_id: String,
    /// The assessment organisation (测评机构) as the engagement names it.
    pub assessor: String,
    /// The export time, RFC 3339 with offset, given by the caller (no clock I/O here).
    pub exported_at: String,
    pub items: Vec<ItemRecord>,
    /// Present once every item in scope has a result.
    pub conclusion: Option<Conclusion>,
}

/// Why a record can't be exported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OscalResultsError {
    #[error(transparent)]
    Scope(#[from] ScopeError),
    #[error("{item}: 不在本次测评范围内 / not an item of the assessment's scope")]
    OutOfScope { item: String },
    #[error("{item}: 结果 {result:?} 不是 符合、部分符合、不符合、不适用 之一 / unknown result")]
    BadResult { item: String, result: String },
}

/// Deterministic uuids: the same engagement exported twice names its parts alike.
fn uuid(rec: &AssessmentRecord, kind: &str, name: &str) -> String {
    stable_uuid(format!("{}\0{}\0{kind}\0{name}", rec.network_id, rec.engagement_id).as_bytes())
}

fn prop(name: &str, value: impl Into<String>) -> Value {
    json!({"name": name, "ns": NAMESPACE, "value": value.into()})
}

/// The assessment-results document of `rec`, checked against the catalog: every item must be
/// in the scope of the record's level and extensions, with one of the four results.
pub fn to_oscal_results(
    catalog: &Catalog,
    rec: &AssessmentRecord,
) -> Result<Value, OscalResultsError> {
    let scope = catalog.select(rec.level, &rec.extensions)?;
    let party = uuid(rec, "party", &rec.assessor);
    let origins = json!([{"actors": [{"type": "party", "actor-uuid": party}]}]);
    let (mut findings, mut observations, mut risks) = (Vec::new(), Vec::new(), Vec::new());
    for it in &rec.items {
        let control = scope.iter().find(|c| c.id == it.item).ok_or_else(|| {
            OscalResultsError::OutOfScope {
                item: it.item.clone(),
            }
        })?;
        let outcome = Outcome::parse(&it.result).ok_or_else(|| OscalResultsError::BadResult {
            item: it.item.clone(),
            result: it.result.clone(),
        })?;
        let title = format!("{} {} {})", control.id, control.point, control.letter);
        let obs = uuid(rec, "observation", &it.item);
        let mut obs_props = vec![prop("result", outcome.zh())];
        if !it.reason.is_empty() {
            obs_props.push(prop("reason", it.reason.trim()));
        }
        let description = match it.note.trim() {
            "" => format!("{}：{}", control.requirement, outcome.zh()),
            note => note.to_string(),
        };
        observations.push(json!({
            "uuid": obs,
            "title": title,
            "description": description,
            "props": obs_props,
            // dengbao records the result, not how it was obtained.
            "methods": ["UNKNOWN"],
            "types": ["control-objective"],
            "origins": origins,
            "collected": it.recorded_at,
        }));
        let mut related_risks = Vec::new();
        if matches!(outcome, Outcome::NotConforming | Outcome::Partly) {
            let risk = uuid(rec, "risk", &it.item);
            let mut risk_props = vec![prop("major-hazard", it.major_hazard.to_string())];
            let mut r = json!({
                "uuid": risk,
                "title": format!("{title}：{}", outcome.zh()),
                "description": control.requirement,
                "statement": match it.note.trim() {
                    "" => format!("{}：{}", control.requirement, outcome.zh()),
                    note => note.to_string(),
                },
                "status": "open",
                "origins": origins,
            });
            if let Some(level) = &it.risk {
                risk_props.push(prop("risk-level", level.as_str()));
                r["characterizations"] = json!([{
                    "origin": origins[0],
                    "facets": [{"name": "risk-level", "system": NAMESPACE, "value": level}],
                }]);
            }
            r["props"] = Value::Array(risk_props);
            risks.push(r);
            related_risks.push(json!({"risk-uuid": risk}));
        }
        let (state, reason, implementation) = match outcome {
            Outcome::Conforms => ("satisfied", "pass", Some("implemented")),
            Outcome::Partly => ("not-satisfied", "fail", Some("partial")),
            Outcome::NotConforming => ("not-satisfied", "fail", None),
            // OSCAL has no third state: 不适用 is not a failure, and the implementation
            // status says why it is not a pass either.
            Outcome::NotApplicable => ("satisfied", "other", Some("not-applicable")),
        };
        let mut target = json!({
            "type": "statement-id",
            "target-id": format!("{}_smt", control.id),
            "props": [prop("result", outcome.zh())],
            "status": {"state": state, "reason": reason},
        });
        if let Some(s) = implementation {
            target["implementation-status"] = json!({"state": s});
        }
        let mut finding_props = vec![prop("result", outcome.zh())];
        if it.major_hazard {
            finding_props.push(prop("major-hazard", "true"));
        }
        let mut finding = json!({
            "uuid": uuid(rec, "finding", &it.item),
            "title": title,
            "description": control.requirement,
            "props": finding_props,
            "origins": origins,
            "target": target,
            "related-observations": [{"observation-uuid": obs}],
        });
        if !related_risks.is_empty() {
            finding["related-risks"] = Value::Array(related_risks);
        }
        findings.push(finding);
    }
    let start = rec
        .items
        .iter()
        .map(|i| i.recorded_at.as_str())
        .min()
        .unwrap_or(rec.exported_at.as_str());
    let end = rec
        .items
        .iter()
        .map(|i| i.recorded_at.as_str())
        .max()
        .unwrap_or(rec.exported_at.as_str());
    let mut result = json!({
        "uuid": uuid(rec, "result", ""),
        "title": format!("{} {}测评结果", rec.network_name, rec.level.zh()),
        "description": format!(
            "测评范围 {} 项，已有结果 {} 项。",
            scope.len(),
            rec.items.len()
        ),
        "start": start,
        "end": end,
        "props": result_props(rec, scope.len()),
        "reviewed-controls": {
            "control-selections": [{
                "include-controls": scope
                    .iter()
                    .map(|c| json!({"control-id": c.id}))
                    .collect::<Vec<_>>(),
            }],
        },
    });
    // OSCAL forbids empty arrays: a list with nothing in it is left out.
    for (key, list) in [
        ("observations", observations),
        ("risks", risks),
        ("findings", findings),
    ] {
        if !list.is_empty() {
            result[key] = Value::Array(list);
        }
    }
    let mut meta_props = vec![
        prop("network-id", rec.network_id.as_str()),
        prop("engagement-id", rec.engagement_id.as_str()),
        prop("level", rec.level.get().to_string()),
    ];
    for e in &rec.extensions {
        meta_props.push(prop("extension", e.as_str()));
    }
    Ok(json!({
        "assessment-results": {
            "uuid": uuid(rec, "assessment-results", ""),
            "metadata": {
                "title": format!("网络安全等级保护测评结果 — {}（{}）", rec.network_name, rec.level.zh()),
                "last-modified": rec.exported_at,
                "version": env!("CARGO_PKG_VERSION"),
                "oscal-version": OSCAL_VERSION,
                "parties": [{"uuid": party, "type": "organization", "name": rec.assessor}],
                "props": meta_props,
            },
            // OSCAL requires every assessment-results to import its assessment plan; dengbao
            // keeps no plan document, so this names the engagement in a URN instead.
            "import-ap": {
                "href": format!("urn:dengbao:assessment-plan:{}", rec.engagement_id),
                "remarks": "dengbao exports no assessment plan: this placeholder names the engagement the results belong to, because OSCAL requires import-ap.",
            },
            "results": [result],
        }
    }))
}

/// The conclusion, the rate and the counts; until every item has a result, how many lack one.
fn result_props(rec: &AssessmentRecord, in_scope: usize) -> Vec<Value> {
    let mut props = vec![
        prop("items-in-scope", in_scope.to_string()),
        prop("items-assessed", rec.items.len().to_string()),
    ];
    match &rec.conclusion {
        Some(c) => {
            props.push(prop("conclusion", c.conclusion.zh()));
            props.push(prop("compliance-rate", format!("{:.2}%", c.rate * 100.0)));
            props.push(prop("major-hazards", c.major_hazards.to_string()));
            for (name, n) in &c.counts {
                let mut p = prop("item-count", n.to_string());
                p["class"] = json!(name);
                props.push(p);
            }
        }
        None => props.push(prop("conclusion", "未完成")),
    }
    props
}
