//! The reporting rules as data: `data/incidents/reporting.toml` (laws, grades, the annex's
//! thresholds, recipients, reports) and `data/incidents/categories.toml` (GB/T 20986-2023
//! classes), embedded in the binary and checked at load. Every error names the file and the
//! entry, so a lawyer editing the data sees what is wrong without reading Rust.

use std::collections::BTreeMap;

use dengbao_duties::OperatorClass;
use dengbao_types::Citation;
use serde::Deserialize;

use crate::grade::Grade;

pub const REPORTING_FILE: (&str, &str) = (
    "reporting.toml",
    include_str!("../../../data/incidents/reporting.toml"),
);
pub const CATEGORIES_FILE: (&str, &str) = (
    "categories.toml",
    include_str!("../../../data/incidents/categories.toml"),
);

/// Facts of an incident that a threshold may measure (the incident file's keys, or, for the
/// CII outages, what they mean: see `Incident::fact`).
pub const FACTS: &[&str] = &[
    "personal_info_records",
    "direct_loss_yuan",
    "cii_whole_outage_minutes",
    "cii_main_function_outage_minutes",
    "people_affected",
    "portal_unreachable_hours",
];

/// The conditions a report may be owed only under (`only_if`).
pub const CONDITIONS: &[&str] = &[
    "state_secrets_leaked",
    "personal_info_leaked",
    "suspected_crime",
    "industry_named",
];

/// The report kinds on the interface (`reports[].kind`).
pub const KINDS: &[&str] = &[
    "initial",
    "relay",
    "industry",
    "crime_report",
    "follow_up",
    "summary",
    "police_24h",
    "secrecy_24h",
    "pi_authority_notice",
    "user_notice",
];

/// The kinds of portal website the annex's first item distinguishes.
pub const PORTALS: &[&str] = &["provincial", "prefecture"];

/// A broken data file: which file, which entry, what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("data/incidents/{file}: {entry}: {message}")]
pub struct RulesError {
    pub file: String,
    pub entry: String,
    pub message: String,
}

fn err(file: &str, entry: impl Into<String>, message: impl Into<String>) -> RulesError {
    RulesError {
        file: file.to_string(),
        entry: entry.into(),
        message: message.into(),
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Law {
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeName {
    pub id: String,
    pub zh: String,
    pub en: String,
    /// The annex section (一 … 四) that defines it.
    pub section: u32,
}

/// A clause of the annex: section 1–4 (一、特别重大 … 四、一般) and the item of its
/// "通常情况下" list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct AnnexRef {
    pub section: u32,
    pub item: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    pub fact: String,
    pub grade: Grade,
    /// Met by a value equal to it: the annex's 注 says every "以上" includes the number.
    pub at_least: f64,
    #[serde(default)]
    pub portals: Vec<String>,
    pub annex: AnnexRef,
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    pub id: String,
    pub zh: String,
    pub en: String,
}

/// When a report is due.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "from", rename_all = "snake_case", deny_unknown_fields)]
pub enum Clock {
    /// Hours after the operator 发现或获知 the incident.
    Detected { hours: f64 },
    /// Hours after another report's latest time (a relay by the authority that received it).
    Report { report: String, hours: f64 },
    /// Days (× 24 hours) after handling ended.
    HandlingEnded { days: f64 },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportRule {
    pub id: String,
    pub kind: String,
    pub party: String,
    pub recipient: String,
    #[serde(default)]
    pub classes: Vec<OperatorClass>,
    #[serde(default)]
    pub min_grade: Option<Grade>,
    #[serde(default)]
    pub only_if: Option<String>,
    #[serde(default)]
    pub clock: Option<Clock>,
    pub citations: Vec<Citation>,
    pub note_zh: String,
    pub note_en: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notes {
    pub below_threshold_zh: String,
    pub below_threshold_en: String,
    pub state_secrets_zh: String,
    pub state_secrets_en: String,
    pub qualitative_zh: String,
    pub qualitative_en: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportingFile {
    law: BTreeMap<String, Law>,
    grade: Vec<GradeName>,
    threshold: Vec<Threshold>,
    recipient: Vec<Recipient>,
    report: Vec<ReportRule>,
    notes: Notes,
}

/// A GB/T 20986-2023 incident class.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    pub position: u32,
    pub zh: String,
    pub en: String,
    /// Whether name and position were read in the standard (or a faithful quotation).
    pub confirmed: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoriesFile {
    category: Vec<Category>,
}

/// The rules, checked: every grade named once, every threshold's fact, grade and annex
/// clause consistent, every report's recipient, party, law and referenced report known.
#[derive(Debug, Clone)]
pub struct Rules {
    pub laws: BTreeMap<String, Law>,
    pub grades: Vec<GradeName>,
    pub thresholds: Vec<Threshold>,
    pub recipients: Vec<Recipient>,
    pub reports: Vec<ReportRule>,
    pub categories: Vec<Category>,
    pub notes: Notes,
}

impl Rules {
    /// The rules shipped in the binary.
    pub fn builtin() -> Result<Rules, RulesError> {
        Rules::from_texts(REPORTING_FILE.1, CATEGORIES_FILE.1)
    }

    /// Rules from the two files' texts (tests check that a broken file is refused).
    pub fn from_texts(reporting: &str, categories: &str) -> Result<Rules, RulesError> {
        let (rf, cf) = (REPORTING_FILE.0, CATEGORIES_FILE.0);
        let r: ReportingFile =
            toml::from_str(reporting).map_err(|e| err(rf, "file", e.message().trim()))?;
        let c: CategoriesFile =
            toml::from_str(categories).map_err(|e| err(cf, "file", e.message().trim()))?;
        let rules = Rules {
            laws: r.law,
            grades: r.grade,
            thresholds: r.threshold,
            recipients: r.recipient,
            reports: r.report,
            categories: c.category,
            notes: r.notes,
        };
        rules.check()?;
        Ok(rules)
    }

    fn check(&self) -> Result<(), RulesError> {
        let rf = REPORTING_FILE.0;
        for g in Grade::ALL {
            let n = self.grades.iter().filter(|n| n.id == g.id()).count();
            if n != 1 {
                return Err(err(rf, format!("grade {}", g.id()), "must be named once"));
            }
        }
        for (i, t) in self.thresholds.iter().enumerate() {
            let entry = format!("threshold[{i}] ({} {})", t.fact, t.grade.id());
            if !FACTS.contains(&t.fact.as_str()) {
                return Err(err(rf, entry, format!("unknown fact; known: {FACTS:?}")));
            }
            if t.grade == Grade::General {
                return Err(err(rf, entry, "the annex sets no threshold for 一般"));
            }
            if !(t.at_least.is_finite() && t.at_least > 0.0) {
                return Err(err(rf, entry, "at_least must be a positive number"));
            }
            if t.annex.section != self.section(t.grade) || t.annex.item.is_none() {
                return Err(err(
                    rf,
                    entry,
                    "annex must name the grade's own section and an item",
                ));
            }
            let is_portal = t.fact == "portal_unreachable_hours";
            if is_portal == t.portals.is_empty()
                || t.portals.iter().any(|p| !PORTALS.contains(&p.as_str()))
            {
                return Err(err(
                    rf,
                    entry,
                    format!("portals: the portal threshold names its websites ({PORTALS:?}), and only it"),
                ));
            }
        }
        // Per fact (and kind of portal), a graver grade needs a larger number: a threshold
        // typed into the wrong grade would otherwise grade silently wrong.
        for fact in FACTS {
            for portal in PORTALS.iter().map(Some).chain([None]) {
                let mut ts: Vec<&Threshold> = self
                    .thresholds
                    .iter()
                    .filter(|t| t.fact == *fact)
                    .filter(|t| portal.is_none_or(|p| t.portals.iter().any(|x| x == p)))
                    .collect();
                ts.sort_by_key(|t| t.grade);
                if let Some(w) = ts.windows(2).find(|w| w[0].at_least >= w[1].at_least) {
                    return Err(err(
                        rf,
                        format!("threshold {fact} {}", w[1].grade.id()),
                        format!(
                            "must be above the {} threshold ({})",
                            w[0].grade.id(),
                            w[0].at_least
                        ),
                    ));
                }
            }
        }
        let recipient = |id: &str| self.recipients.iter().any(|r| r.id == id);
        for (i, r) in self.reports.iter().enumerate() {
            let entry = format!("report {}", r.id);
            if self.reports[..i].iter().any(|o| o.id == r.id) {
                return Err(err(rf, entry, "id used twice"));
            }
            if !KINDS.contains(&r.kind.as_str()) {
                return Err(err(rf, entry, format!("unknown kind; known: {KINDS:?}")));
            }
            if !recipient(&r.recipient) {
                return Err(err(rf, entry, "recipient is not a [[recipient]]"));
            }
            if r.party != "operator" && !recipient(&r.party) {
                return Err(err(
                    rf,
                    entry,
                    "party is neither operator nor a [[recipient]]",
                ));
            }
            if r.only_if
                .as_deref()
                .is_some_and(|c| !CONDITIONS.contains(&c))
            {
                return Err(err(rf, entry, format!("only_if: known: {CONDITIONS:?}")));
            }
            if r.citations.is_empty() {
                return Err(err(rf, entry, "cites nothing"));
            }
            if let Some(c) = r.citations.iter().find(|c| {
                c.law.as_deref().is_none_or(|l| !self.laws.contains_key(l)) || c.article == 0
            }) {
                return Err(err(
                    rf,
                    entry,
                    format!("citation {c}: unknown law or article 0"),
                ));
            }
            match &r.clock {
                Some(Clock::Detected { hours }) | Some(Clock::Report { hours, .. })
                    if !(hours.is_finite() && *hours >= 0.0) =>
                {
                    return Err(err(rf, entry, "clock hours must be a number ≥ 0"));
                }
                Some(Clock::HandlingEnded { days }) if !(days.is_finite() && *days > 0.0) => {
                    return Err(err(rf, entry, "clock days must be a positive number"));
                }
                // A relay counts from a report computed before it.
                Some(Clock::Report { report, .. })
                    if !self.reports[..i].iter().any(|o| &o.id == report) =>
                {
                    return Err(err(
                        rf,
                        entry,
                        format!("clock: report {report:?} is not an earlier [[report]]"),
                    ));
                }
                _ => {}
            }
        }
        let cf = CATEGORIES_FILE.0;
        for (i, c) in self.categories.iter().enumerate() {
            if self.categories[..i].iter().any(|o| o.id == c.id) {
                return Err(err(cf, format!("category {}", c.id), "id used twice"));
            }
        }
        if self.categories.is_empty() {
            return Err(err(cf, "file", "no [[category]]"));
        }
        Ok(())
    }

    /// The annex section of a grade (一 = 1 … 四 = 4).
    pub fn section(&self, g: Grade) -> u32 {
        self.grade_name(g).map(|n| n.section).unwrap_or(0)
    }

    pub fn grade_name(&self, g: Grade) -> Option<&GradeName> {
        self.grades.iter().find(|n| n.id == g.id())
    }

    pub fn grade_zh(&self, g: Grade) -> &str {
        self.grade_name(g).map(|n| n.zh.as_str()).unwrap_or(g.id())
    }

    pub fn grade_en(&self, g: Grade) -> &str {
        self.grade_name(g).map(|n| n.en.as_str()).unwrap_or(g.id())
    }

    /// The grade an annex section defines.
    pub fn grade_of_section(&self, section: u32) -> Option<Grade> {
        self.grades
            .iter()
            .find(|n| n.section == section)
            .and_then(|n| Grade::from_id(&n.id))
    }

    pub fn recipient(&self, id: &str) -> Option<&Recipient> {
        self.recipients.iter().find(|r| r.id == id)
    }

    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    pub fn law(&self, id: &str) -> Option<&Law> {
        self.laws.get(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_rules_load() {
        let r = Rules::builtin().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.categories.len(), 10, "GB/T 20986-2023 has 10 classes");
        assert!(r.law("cac-irm").is_some() && r.law("pipl").is_some());
    }

    #[test]
    fn a_relay_of_an_unknown_report_is_refused() {
        let broken = REPORTING_FILE.1.replace(
            "report = \"cac-irm.cii.protection_department\"",
            "report = \"nope\"",
        );
        let e = Rules::from_texts(&broken, CATEGORIES_FILE.1).unwrap_err();
        assert!(e.entry.contains("cac-irm.cii.relay"), "{e}");
    }

    #[test]
    fn a_threshold_in_the_wrong_annex_section_is_refused() {
        let broken = REPORTING_FILE.1.replacen(
            "annex = { section = 3, item = 5 }",
            "annex = { section = 2, item = 5 }",
            1,
        );
        let e = Rules::from_texts(&broken, CATEGORIES_FILE.1).unwrap_err();
        assert!(e.entry.contains("personal_info_records"), "{e}");
    }

    #[test]
    fn a_graver_grade_with_a_smaller_number_is_refused() {
        let broken = REPORTING_FILE
            .1
            .replacen("at_least = 20000000", "at_least = 2000000", 1);
        let e = Rules::from_texts(&broken, CATEGORIES_FILE.1).unwrap_err();
        assert!(e.entry.contains("direct_loss_yuan major"), "{e}");
    }

    #[test]
    fn the_readme_documents_every_key_of_the_incident_file() {
        let readme = include_str!("../../../data/incidents/README.md");
        for key in [
            "detected_at",
            "category",
            "personal_info_records",
            "direct_loss_yuan",
            "service_interruption_hours",
            "cii_function_lost",
            "state_secrets_leaked",
            "grade",
            "grade_reason",
            "cii_whole_outage_minutes",
            "people_affected",
            "portal",
            "portal_unreachable_hours",
            "suspected_crime",
            "handling_ended_at",
            "title",
        ] {
            assert!(
                readme.contains(&format!("| `{key}` |")),
                "{key} is not in the README's table"
            );
        }
        // And the parser takes exactly those keys: an unknown key is refused.
        let rules = Rules::builtin().unwrap_or_else(|e| panic!("{e}"));
        let e = crate::Incident::from_toml_str(
            "detected_at = \"2026-03-01T09:00:00+08:00\"\ncategory = \"other\"\nseverity = 3\n",
            &rules,
        )
        .unwrap_err();
        assert!(e.to_string().contains("severity"), "{e}");
    }
}
