//! The profile table (tests/cases/profiles.toml): each case's expected statuses, due dates,
//! inclusions and exclusions, checked by one helper against the real calendar data.

use std::collections::BTreeMap;

use dengbao_calendar::Calendar;
use dengbao_duties::{evaluate, parse_at, Catalog, DutyStatus, MlpsBasis, Profile};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    at: String,
    /// Evaluate on the strict calendar (no provisional years).
    #[serde(default)]
    strict: bool,
    /// Which rule drives the MLPS deadlines: `in-force` (the default) or `draft`
    /// (decision 0205).
    #[serde(default)]
    basis: Option<String>,
    profile: String,
    #[serde(default)]
    expect: BTreeMap<String, Expect>,
    #[serde(default)]
    applies: Vec<String>,
    #[serde(default)]
    not_applicable: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    status: String,
    due: Option<String>,
    /// Whether the due date was decided by a provisional calendar year.
    provisional: Option<bool>,
}

fn check(case: &Case, catalog: &Catalog, calendar: &Calendar) -> Vec<String> {
    let mut fails = Vec::new();
    let profile = match Profile::from_toml_str(&case.profile) {
        Ok(p) => p,
        Err(e) => return vec![format!("profile does not parse: {e}")],
    };
    let at = match parse_at(&case.at) {
        Ok(t) => t,
        Err(e) => return vec![format!("bad at: {e}")],
    };
    let statuses = evaluate(&profile, catalog, calendar, at);
    let find = |id: &str| -> Option<&DutyStatus> { statuses.iter().find(|s| s.id() == id) };
    for (id, exp) in &case.expect {
        let Some(s) = find(id) else {
            fails.push(format!("{id}: not in the catalog"));
            continue;
        };
        if s.status.id() != exp.status {
            fails.push(format!(
                "{id}: status {} (expected {}); reasons: {:?}",
                s.status.id(),
                exp.status,
                s.reasons
            ));
        }
        if let Some(p) = exp.provisional {
            if s.provisional != p {
                fails.push(format!(
                    "{id}: provisional {} (expected {p})",
                    s.provisional
                ));
            }
        }
        if let Some(due) = &exp.due {
            let got = s.due.map(|d| d.to_string()).unwrap_or_default();
            if &got != due {
                fails.push(format!("{id}: due {got:?} (expected {due:?})"));
            }
        }
    }
    for id in &case.applies {
        match find(id) {
            None => fails.push(format!("{id}: not in the catalog")),
            Some(s) if s.status.id() == "not_applicable" => {
                fails.push(format!("{id}: should apply; reasons: {:?}", s.reasons))
            }
            _ => {}
        }
    }
    for id in &case.not_applicable {
        match find(id) {
            None => fails.push(format!("{id}: not in the catalog")),
            Some(s) if s.status.id() != "not_applicable" => fails.push(format!(
                "{id}: should not apply, is {}; reasons: {:?}",
                s.status.id(),
                s.reasons
            )),
            _ => {}
        }
    }
    fails
}

#[test]
fn profile_table() {
    let text = include_str!("cases/profiles.toml");
    let cases: Cases = toml::from_str(text).unwrap_or_else(|e| panic!("cases file: {e}"));
    assert!(cases.case.len() >= 25, "only {} cases", cases.case.len());
    let catalog = Catalog::builtin().unwrap_or_else(|e| panic!("{e}"));
    let draft = Catalog::builtin()
        .unwrap_or_else(|e| panic!("{e}"))
        .with_mlps_basis(MlpsBasis::Draft);
    let calendar = Calendar::builtin().unwrap_or_else(|e| panic!("{e}"));
    let mut report = String::new();
    for case in &cases.case {
        let catalog = match case.basis.as_deref().map(MlpsBasis::parse) {
            None | Some(Some(MlpsBasis::InForce)) => &catalog,
            Some(Some(MlpsBasis::Draft)) => &draft,
            Some(None) => {
                report.push_str(&format!("[{}] basis: in-force or draft\n", case.name));
                continue;
            }
        };
        let strict;
        let calendar = if case.strict {
            strict = calendar.clone().strict();
            &strict
        } else {
            &calendar
        };
        for f in check(case, catalog, calendar) {
            report.push_str(&format!("[{}] {f}\n", case.name));
        }
    }
    assert!(report.is_empty(), "\n{report}");
}
