//! The six-month log duties are computed from the log centre's proof of retention: the
//! cases in `cases/log_retention.toml`, each evaluated through the same path as
//! `dengbao duties --coverage FILE` (a coverage JSON document → facts → statuses).

use dengbao_calendar::Calendar;
use dengbao_duties::{apply_facts, evaluate, parse_at, Catalog, Facts, LogRetention, Profile};
use serde::Deserialize;

const LOG_DUTIES: [&str; 2] = ["csl.operator.logs", "mlps.general.logging"];

#[derive(Deserialize)]
struct Case {
    name: String,
    #[serde(default)]
    launched: Option<String>,
    #[serde(default = "running")]
    stage: String,
    at: String,
    window_start: String,
    #[serde(default)]
    earliest: Option<String>,
    #[serde(default)]
    covers_floor: bool,
    #[serde(default = "yes")]
    integrity_ok: bool,
    #[serde(default = "some")]
    events: u64,
    #[serde(default)]
    gaps: Vec<String>,
    expect: String,
    #[serde(default)]
    reason_contains: Option<String>,
}
fn running() -> String {
    "running".into()
}
fn yes() -> bool {
    true
}
fn some() -> u64 {
    1000
}

#[derive(Deserialize)]
struct Cases {
    case: Vec<Case>,
}

/// The coverage document exactly as `dengbao logs coverage --json` shapes it.
fn coverage_json(c: &Case) -> String {
    serde_json::json!({
        "generated_at": format!("{}T10:00:00+08:00[Asia/Shanghai]", c.at),
        "floor_months": 6,
        "window_start": c.window_start,
        "today": c.at,
        "networks": [{
            "network": "web",
            "policy_months": 6,
            "events": c.events,
            "earliest_retained": c.earliest.as_ref().map(|d| format!("{d}T08:00:00+08:00[Asia/Shanghai]")),
            "covers_floor": c.covers_floor,
            "days_without_events": c.gaps,
            "integrity_ok": c.integrity_ok,
        }]
    })
    .to_string()
}

#[test]
fn log_duties_follow_the_log_centre() {
    let cases: Cases = toml::from_str(include_str!("cases/log_retention.toml")).unwrap();
    let catalog = Catalog::builtin().unwrap();
    let calendar = Calendar::builtin().unwrap();
    let mut failures = Vec::new();
    for c in &cases.case {
        let mut profile = format!("[network]\nlevel = 2\nstage = \"{}\"\n", c.stage);
        if let Some(l) = &c.launched {
            profile.push_str(&format!("[events]\nlaunched = \"{l}\"\n"));
        }
        let p = Profile::from_toml_str(&profile).unwrap_or_else(|e| panic!("{}: {e}", c.name));
        let facts = Facts {
            log_retention: LogRetention::from_coverage_json(&coverage_json(c))
                .unwrap_or_else(|e| panic!("{}: {e}", c.name))
                .pop(),
            ..Default::default()
        };
        let mut statuses = evaluate(&p, &catalog, &calendar, parse_at(&c.at).unwrap());
        apply_facts(&mut statuses, &facts, &p);
        for id in LOG_DUTIES {
            let s = statuses.iter().find(|s| s.id() == id).unwrap();
            if s.status.id() != c.expect {
                failures.push(format!(
                    "{} — {id}: got {} ({:?}), want {}",
                    c.name,
                    s.status.id(),
                    s.reasons,
                    c.expect
                ));
            }
            if let Some(want) = &c.reason_contains {
                if !s
                    .reasons
                    .iter()
                    .any(|r| r.to_string().contains(want.as_str()))
                {
                    failures.push(format!(
                        "{} — {id}: no reason with {want:?}: {:?}",
                        c.name, s.reasons
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Without a coverage document the log duties are decided as before: by evidence.
#[test]
fn without_facts_evidence_decides() {
    let catalog = Catalog::builtin().unwrap();
    let calendar = Calendar::builtin().unwrap();
    let p = Profile::from_toml_str("[network]\nlevel = 2\n[events]\nlaunched = \"2024-03-01\"\n")
        .unwrap();
    let mut statuses = evaluate(&p, &catalog, &calendar, parse_at("2026-11-25").unwrap());
    let before: Vec<_> = statuses.iter().map(|s| s.status).collect();
    apply_facts(&mut statuses, &Facts::default(), &p);
    assert_eq!(
        before,
        statuses.iter().map(|s| s.status).collect::<Vec<_>>()
    );
    let s = statuses
        .iter()
        .find(|s| s.id() == "csl.operator.logs")
        .unwrap();
    assert_eq!(s.status.id(), "overdue", "{:?}", s.reasons);
}

#[test]
fn a_bad_coverage_document_names_the_field() {
    let e = LogRetention::from_coverage_json(
        r#"{"generated_at":"x","window_start":"26-5-25","networks":[]}"#,
    )
    .unwrap_err();
    assert!(e.to_string().contains("window_start"), "{e}");
}
