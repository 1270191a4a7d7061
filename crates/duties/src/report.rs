//! The JSON shapes the interface (CLI `--json` and the HTTP API) shows for duties and
//! exposure, written once so both print the same fields.
//!
//! - a duty: `{"id", "title", "citations": [{"law", "article", "paragraph", "item",
//!   "version"}],
//!   "status", "due", "provisional", "kind", "party", "breaches": [{"when", "description"}]}`
//!   — `provisional` marks a working-day deadline in a year without a loaded holiday
//!   notice, `kind` says whether it is a prohibition (`complied`/`breached`), `party` whose
//!   duty it is (others' duties are `expected`/`chase`, never the operator's), and
//!   `rule_basis` — for an MLPS duty whose clock the rule in force also sets, `{"driving":
//!   "in_force"|"draft", "in_force": {"law", "article", "paragraph", "version"} | null,
//!   "in_force_clock", "draft_clock", "same", "other_due", "text"}` (decision 0205), else null;
//! - exposure: `{"items": [{"duty", "penalty": {"law", "article", "paragraph", "version"},
//!   "basis": [{"law", "article", "paragraph", "version"}, …], "basis_text", "org_fine",
//!   "person_fine", "first_fine", "measures", "aggravated", "conduct_date", "law_version",
//!   "law_choice", "serious", "elsewhere"}], "org_fine_total": [min, max]}` (yuan); `basis`
//!   runs from the provision the duty breaks to the one that sets the range, in the
//!   numbering of the version applied to the day of the conduct (decision 0510).

use serde_json::{json, Value};

use crate::catalog::Catalog;
use crate::engine::DutyStatus;
use crate::exposure::{Exposure, ExposureItem};

/// One duty's status as the interface shows it.
pub fn duty_row(s: &DutyStatus) -> Value {
    json!({
        "id": s.id(),
        "title": s.title(),
        "citations": s.citations().iter().map(|c| json!({
            "law": c.law, "article": c.article, "paragraph": c.paragraph, "item": c.item,
            "version": c.version,
        })).collect::<Vec<_>>(),
        "status": s.status.id(),
        "due": s.due.map(|d| d.to_string()),
        "provisional": s.provisional,
        "kind": s.duty.kind,
        "party": s.duty.party,
        "breaches": s.breaches.iter().map(|b| json!({
            "when": b.when.to_string(), "description": b.description,
        })).collect::<Vec<_>>(),
        "rule_basis": s.basis.as_ref().map(|b| json!({
            "driving": b.driving,
            "in_force": b.in_force.as_ref().map(|c| json!({
                "law": c.law, "article": c.article, "paragraph": c.paragraph, "version": c.version,
            })),
            "in_force_clock": b.in_force_clock,
            "draft_clock": b.draft_clock,
            "same": b.same,
            "other_due": b.other_due.map(|d| d.to_string()),
            "text": b.sentence(),
        })),
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
        "penalty": {"law": i.penalty.law, "article": i.penalty.article, "paragraph": i.penalty.paragraph, "version": i.penalty.version},
        "basis": i.basis.iter().map(|b| json!({
            "law": b.law, "article": b.article, "paragraph": b.paragraph, "version": b.version,
        })).collect::<Vec<_>>(),
        "basis_text": i.basis_text,
        "basis_text_en": i.basis_text_en,
        "org_fine": i.org_fine,
        "person_fine": i.person_fine,
        "first_fine": i.first_fine,
        "measures": i.measures,
        "aggravated": i.aggravated,
        "conduct_date": i.conduct_date.to_string(),
        "law_version": i.law_version,
        "law_choice": i.law_choice,
        "serious": i.serious,
        "elsewhere": i.elsewhere,
    })
}

/// The exposure as the interface shows it: its items and the organisation's fine total.
pub fn exposure_json(e: &Exposure) -> Value {
    let items: Vec<Value> = e.items.iter().map(exposure_item).collect();
    json!({"items": items, "org_fine_total": e.org_fine_total})
}

/// The legal basis of a duty's penalty as a duty list shows it (the XLSX's 处罚依据
/// column): the exposure item's sentence when the duty is unmet (a government network's
/// 第七十二条 included), else the sentence of the duty's penalty chain; "" without one.
pub fn penalty_basis(s: &DutyStatus, catalog: &Catalog, e: &Exposure) -> String {
    if let Some(i) = e.items.iter().find(|i| i.duty == s.id()) {
        return i.basis_text.clone();
    }
    s.penalty()
        .and_then(|id| catalog.resolve(id))
        .map(|r| r.basis_zh())
        .unwrap_or_default()
}
