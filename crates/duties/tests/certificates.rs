//! 持证上岗 (`mlps.l3.certificates`) decided by the key-post holders' certificates: the cases
//! in `cases/certificates.toml`, through the path a stored network's duties take (the engine,
//! then `apply_facts` with the certificates the store read), with the notice period of
//! `data/training/certificates.toml`.

use dengbao_calendar::Calendar;
use dengbao_duties::{
    apply_facts, evaluate, parse_at, Catalog, Facts, HeldCertificate, KeyPostCertificates, Profile,
};
use serde::Deserialize;

const DUTY: &str = "mlps.l3.certificates";

#[derive(Deserialize)]
struct Cert {
    holder: String,
    name: String,
    expires: String,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    #[serde(default = "three")]
    level: u8,
    #[serde(default = "running")]
    stage: String,
    at: String,
    certificates: Vec<Cert>,
    expect: String,
    #[serde(default)]
    due: Option<String>,
    #[serde(default)]
    reason_contains: Option<String>,
}
fn three() -> u8 {
    3
}
fn running() -> String {
    "running".into()
}

#[derive(Deserialize)]
struct Cases {
    case: Vec<Case>,
}

/// The notice period as the repository ships it.
fn warn_days() -> i64 {
    let rule: toml::Value =
        toml::from_str(include_str!("../../../data/training/certificates.toml")).unwrap();
    rule["warn_days"].as_integer().unwrap()
}

#[test]
fn certificates_decide_certified_staff_on_post() {
    let cases: Cases = toml::from_str(include_str!("cases/certificates.toml")).unwrap();
    let catalog = Catalog::builtin().unwrap();
    let calendar = Calendar::builtin().unwrap();
    let mut failures = Vec::new();
    for c in &cases.case {
        let mut profile = format!("[network]\nlevel = {}\nstage = \"{}\"\n", c.level, c.stage);
        if c.stage == "running" {
            profile.push_str("[events]\nlaunched = \"2025-03-01\"\n");
        }
        let p = Profile::from_toml_str(&profile).unwrap_or_else(|e| panic!("{}: {e}", c.name));
        let held = c
            .certificates
            .iter()
            .map(|x| HeldCertificate {
                holder: x.holder.clone(),
                holder_id: format!("staff-{}", x.holder),
                certificate: x.name.clone(),
                expires: x.expires.parse().unwrap(),
            })
            .collect();
        let facts = Facts {
            key_post_certificates: Some(KeyPostCertificates {
                warn_days: warn_days(),
                held,
            }),
            ..Default::default()
        };
        let at = parse_at(&format!("{}T10:00:00+08:00", c.at)).unwrap();
        let mut statuses = evaluate(&p, &catalog, &calendar, at);
        apply_facts(&mut statuses, &facts, &p);
        let s = statuses.iter().find(|s| s.id() == DUTY).unwrap();
        let due = s.due.map(|d| d.to_string());
        let reasons: Vec<&str> = s.reasons.iter().map(|r| r.zh.as_str()).collect();
        let mut wrong = Vec::new();
        if s.status.id() != c.expect {
            wrong.push(format!("status {} (expected {})", s.status.id(), c.expect));
        }
        if c.expect != "not_applicable" && c.certificates.is_empty() {
            // nothing recorded: the engine's own status stands, whatever its due date
        } else if due != c.due {
            wrong.push(format!("due {due:?} (expected {:?})", c.due));
        }
        if let Some(r) = &c.reason_contains {
            if !reasons.iter().any(|x| x.contains(r.as_str())) {
                wrong.push(format!("no reason containing {r:?}"));
            }
        }
        if !wrong.is_empty() {
            failures.push(format!(
                "{}: {} — reasons {reasons:?}",
                c.name,
                wrong.join("; ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_duty_cites_the_draft_article_21_item_3() {
    let catalog = Catalog::builtin().unwrap();
    let d = catalog.duties().iter().find(|d| d.id == DUTY).unwrap();
    let c = d.citations.first().unwrap();
    assert_eq!(
        (c.law.as_deref(), c.article, c.item),
        (Some("mlps"), 21, Some(3)),
        "{:?}",
        d.citations
    );
}
