//! The JSON shapes the interface (CLI `--json` and the HTTP API) shows for duties and
//! exposure, written once so both print the same fields.
//!
//! - a duty: `{"id", "title", "citations": [{"law", "article", "paragraph", "item"}],
//!   "status", "due", "kind", "party", "breaches": [{"when", "description"}]}` — `kind`
//!   says whether it is a prohibition (`complied`/`breached`), `party` whose duty it is
//!   (others' duties are `expected`/`chase`, never the operator's);
//! - exposure: `{"items": [{"duty", "penalty": {"law", "article", "paragraph"}, "org_fine",
//!   "person_fine", "measures", "aggravated"}], "org_fine_total": [min, max]}` (yuan).

use serde_json::{json, Value};

use crate::engine::DutyStatus;
use crate::exposure::{Exposure, ExposureItem};

/// One duty's status as the interface shows it.
pub fn duty_row(s: &DutyStatus) -> Value {
    json!({
        "id": s.id(),
        "title": s.title(),
        "citations": s.citations().iter().map(|c| json!({
            "law": c.law, "article": c.article, "paragraph": c.paragraph, "item": c.item,
        })).collect::<Vec<_>>(),
        "status": s.status.id(),
        "due": s.due.map(|d| d.to_string()),
        "kind": s.duty.kind,
        "party": s.duty.party,
        "breaches": s.breaches.iter().map(|b| json!({
            "when": b.when.to_string(), "description": b.description,
        })).collect::<Vec<_>>(),
    })
}

/// Every duty's status, in the order given.
pub fn duty_rows(statuses: &[DutyStatus]) -> Vec<Value> {
    statuses.iter().map(duty_row).collect()
}

/// One exposure item as the interface shows it.
pub fn exposure_item(i: &ExposureItem) -> Value {
    json!({
        "duty": i.duty,
        "penalty": {"law": i.penalty.law, "article": i.penalty.article, "paragraph": i.penalty.paragraph},
        "org_fine": i.org_fine,
        "person_fine": i.person_fine,
        "measures": i.measures,
        "aggravated": i.aggravated,
    })
}

/// The exposure as the interface shows it: its items and the organisation's fine total.
pub fn exposure_json(e: &Exposure) -> Value {
    let items: Vec<Value> = e.items.iter().map(exposure_item).collect();
    json!({"items": items, "org_fine_total": e.org_fine_total})
}
