//! Windows Server checks from exported files (issue 12, decision 0421). No Windows machine
//! is needed: the operator runs Windows' own commands (`secedit /export`, `auditpol
//! /backup`, `reg export`, `Get-Service | Export-Csv`) and hands over the directory; this
//! module decodes the files (UTF-16LE, UTF-8, GBK), parses them and evaluates the checks of
//! `data/hostchecks/windows.toml`, each result citing the file, line and text that decided
//! it. A file that is not there makes the checks that need it `unknown`, naming the file
//! and the command that writes it — never `pass`.

mod csv;
mod decode;
mod evaluate;
mod export;
mod registry;
mod secedit;

use std::collections::BTreeMap;
use std::path::Path;

use jiff::civil::Date;
use serde::Deserialize;

pub use decode::{decode, Encoding};
pub use export::{Export, REG_EXPORTS};

use crate::host::Distro;
use crate::{CheckResult, Checks, Platform, Report};

/// A line of an exported file: its number (1-based) and its text, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub number: usize,
    pub text: String,
}

impl Line {
    fn new(number: usize, text: &str) -> Line {
        Line {
            number,
            text: text.trim().to_string(),
        }
    }
}

/// What a Windows check reads and what passes (the vocabulary of `windows.toml`; the
/// README of `data/hostchecks` says it in a table).
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum WindowsProbe {
    /// A `key = value` of a secedit export's `section` (`System Access`). Unset fails.
    Secedit {
        section: String,
        key: String,
        #[serde(flatten)]
        pass: WinPass,
    },
    /// The holders of a user right in `[Privilege Rights]` (SIDs without `*`, or names);
    /// a right with no line has no holder.
    Privilege {
        right: String,
        /// Every holder must be one of these.
        #[serde(default)]
        allowed: Vec<String>,
        /// Every one of these must be a holder.
        #[serde(default)]
        required: Vec<String>,
        /// Some holder must be outside these (a separate role holds the right).
        #[serde(default)]
        separate_from: Vec<String>,
    },
    /// An audit subcategory of `auditpol /backup`, by GUID (names are localised); a
    /// subcategory not in the backup is not audited.
    Audit {
        /// The English name, for the reader and the reason.
        subcategory: String,
        guid: String,
        #[serde(default)]
        success: bool,
        #[serde(default)]
        failure: bool,
    },
    /// A registry value from the `.reg` exports (or secedit's `[Registry Values]`).
    Registry {
        key: String,
        value: String,
        /// Windows' value when it is unset (the key exported without it).
        default: Option<String>,
        /// Unset decides nothing (the default depends on what the registry does not
        /// show): `unknown`.
        #[serde(default)]
        unset_unknown: bool,
        #[serde(flatten)]
        pass: WinPass,
    },
    /// Services of the Get-Service export: `stopped` — none of `names` runs or starts
    /// automatically (absent passes); `running` — one of `names` runs.
    Services {
        names: Vec<String>,
        expect: ServiceExpect,
    },
    /// Passes when one of `probes` passes (the built-in administrator renamed *or*
    /// disabled).
    AnyOf { probes: Vec<WindowsProbe> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceExpect {
    Stopped,
    Running,
}

/// What value passes: one of `one_of`, or a number within `min`/`max`; never one of
/// `not_one_of` (case-insensitive, secedit's quotes removed).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WinPass {
    #[serde(default)]
    pub one_of: Vec<String>,
    #[serde(default)]
    pub not_one_of: Vec<String>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    /// Lower bounds that rise on a day (Asia/Shanghai): `raised = { "2027-01-12" = 17763 }`
    /// — from that day on, `min` is the new figure. A version's security updates end on a
    /// day announced in advance; the check must turn on that day, not when someone edits it.
    #[serde(default)]
    pub raised: BTreeMap<Date, i64>,
    /// The day the bound in force was raised on, once [`WinPass::on`] chose it.
    #[serde(skip)]
    pub since: Option<Date>,
}

impl WinPass {
    pub fn accepts(&self, value: &str) -> bool {
        let v = secedit::unquote(value);
        let is = |list: &[String]| list.iter().any(|o| o.eq_ignore_ascii_case(v));
        if is(&self.not_one_of) {
            return false;
        }
        if is(&self.one_of) {
            return true;
        }
        if self.min.is_some() || self.max.is_some() {
            return v
                .parse::<i64>()
                .is_ok_and(|n| self.min.is_none_or(|m| n >= m) && self.max.is_none_or(|m| n <= m));
        }
        self.one_of.is_empty() && !self.not_one_of.is_empty()
    }

    /// The condition in force on `day`: `min` raised by the last `raised` entry on or
    /// before it.
    pub fn on(&self, day: Date) -> WinPass {
        let mut p = self.clone();
        if let Some((since, min)) = self.raised.range(..=day).next_back() {
            p.min = Some(*min);
            p.since = Some(*since);
        }
        p
    }

    /// The condition in words (for the reason).
    pub fn describe(&self) -> String {
        // Values in code spans: they are Windows' own words, not the sentence's language.
        let code = |list: &[String]| list.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>();
        let mut parts = Vec::new();
        if !self.one_of.is_empty() {
            parts.push(code(&self.one_of).join(" | "));
        }
        match (self.min, self.max) {
            (Some(a), Some(b)) => parts.push(format!("{a}–{b}")),
            (Some(a), None) => parts.push(format!("≥ {a}")),
            (None, Some(b)) => parts.push(format!("≤ {b}")),
            (None, None) => {}
        }
        if !self.not_one_of.is_empty() {
            parts.push(format!("≠ {}", code(&self.not_one_of).join(", ")));
        }
        parts.join(" | ")
    }

    /// [`WinPass::describe`] with the day a raised bound holds from, in Chinese.
    pub fn describe_zh(&self) -> String {
        match self.since {
            Some(d) => format!("{}，自 {d} 起", self.describe()),
            None => self.describe(),
        }
    }

    /// [`WinPass::describe`] with the day a raised bound holds from, in English.
    pub fn describe_en(&self) -> String {
        match self.since {
            Some(d) => format!("{} from {d}", self.describe()),
            None => self.describe(),
        }
    }

    fn is_empty(&self) -> bool {
        self.one_of.is_empty()
            && self.not_one_of.is_empty()
            && self.min.is_none()
            && self.max.is_none()
    }
}

impl crate::ProbeKind for WindowsProbe {
    fn validate(&self) -> Result<(), String> {
        match self {
            WindowsProbe::Secedit { pass, .. } | WindowsProbe::Registry { pass, .. }
                if pass.is_empty() =>
            {
                Err("probe: no condition (one_of, not_one_of, min, max)".into())
            }
            WindowsProbe::Registry { key, value, .. } => {
                // A report is evidence others read: it never quotes a stored password
                // (Winlogon's DefaultPassword and the like).
                if value.to_ascii_lowercase().ends_with("password") {
                    return Err(format!(
                        "probe.value {value}: a check never reads a password"
                    ));
                }
                let k = registry::normalise(key);
                if export::reg_export_for(&k).is_none() {
                    return Err(format!(
                        "probe.key {key}: not under one of the registry exports the README asks for"
                    ));
                }
                Ok(())
            }
            WindowsProbe::Audit {
                guid,
                success,
                failure,
                ..
            } => {
                if !(*success || *failure) {
                    return Err("probe: audit needs success and/or failure".into());
                }
                if csv::audit_rows(&format!("m,System,x,{guid},,,0")).is_none() {
                    return Err(format!("probe.guid {guid}: not a {{GUID}}"));
                }
                Ok(())
            }
            WindowsProbe::Privilege {
                allowed,
                required,
                separate_from,
                ..
            } if allowed.is_empty() && required.is_empty() && separate_from.is_empty() => {
                Err("probe: no condition (allowed, required, separate_from)".into())
            }
            WindowsProbe::Services { names, .. } if names.is_empty() => {
                Err("probe.names: empty".into())
            }
            WindowsProbe::AnyOf { probes } => {
                if probes.len() < 2 {
                    return Err("probe.probes: any_of needs two or more".into());
                }
                probes.iter().try_for_each(|p| p.validate())
            }
            _ => Ok(()),
        }
    }
}

/// Runs the Windows checks of `level` on the exports in `dir`. `Err` only when the
/// directory cannot be listed; every file problem is a result.
pub fn run_windows(
    checks: &Checks<WindowsProbe>,
    dir: &Path,
    level: u8,
) -> std::io::Result<Report> {
    run_windows_on(checks, dir, level, today())
}

/// [`run_windows`] as on `day` (Asia/Shanghai): the bounds in force that day (`raised`).
pub fn run_windows_on(
    checks: &Checks<WindowsProbe>,
    dir: &Path,
    level: u8,
    day: Date,
) -> std::io::Result<Report> {
    let mut export = Export::read(dir)?;
    export.as_of = day;
    let results = checks
        .at_level(level)
        .map(|c| CheckResult::new(c, level, evaluate::evaluate(&c.probe, &export)))
        .collect();
    let (pretty, version) = export
        .os_version()
        .unwrap_or_else(|| (String::new(), "unknown".to_string()));
    let distro = Distro {
        id: "windows".into(),
        id_like: String::new(),
        version_id: version,
        pretty_name: pretty,
        family: "windows".into(),
    };
    let mut report = Report::new(Platform::Windows, distro, level, results);
    report.root = dir.display().to_string();
    Ok(report)
}

/// Today in Asia/Shanghai (UTC+8 should the zone be unknown: China keeps no summer time).
pub(crate) fn today() -> Date {
    let tz = jiff::tz::TimeZone::get("Asia/Shanghai")
        .unwrap_or_else(|_| jiff::tz::TimeZone::fixed(jiff::tz::offset(8)));
    tz.to_datetime(jiff::Timestamp::now()).date()
}
