//! Host evidence for GB/T 22239-2019 安全计算环境: read-only checks of a Linux host (or a
//! mounted root) against the rules in `data/hostchecks/`, each result with the file lines
//! that decided it (decision 0420). A Windows Server is checked the same way from the files
//! its own commands export (`windows`, decision 0421).
//!
//! The checker reads files only — it runs no command and never writes — so it can run on a
//! production server and on a copy of one. A check that cannot read what decides says
//! `unknown` (and why: needs root, a mounted root cannot see running state, an unknown
//! distribution); it never says `pass` without having read it.

pub mod device;
pub mod host;
pub mod probes;
pub mod rules;
pub mod windows;

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

pub use device::{run_device, DeviceConfig, DeviceProbe, Vendor};
pub use host::{Distro, Host};
pub use probes::{Evidence, Status};
pub use rules::{Check, Probe, ProbeKind};
pub use windows::{run_windows, run_windows_on, WindowsProbe};

/// The shipped checks.
const LINUX: (&str, &str) = (
    "data/hostchecks/linux.toml",
    include_str!("../../../data/hostchecks/linux.toml"),
);
const WINDOWS: (&str, &str) = (
    "data/hostchecks/windows.toml",
    include_str!("../../../data/hostchecks/windows.toml"),
);

/// A check file that does not load; names the file and the check.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("{file}: {message}")]
    Parse { file: String, message: String },
    #[error("{file}: check {id}: {message}")]
    Check {
        file: String,
        id: String,
        message: String,
    },
}

/// What a report was made from: a Linux host's files (the default, and what reports made
/// before the field existed are), a Windows Server's exports, or a network device's
/// configuration. Each has its own checks file; the server verifies a report against the
/// platform's checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    #[default]
    Linux,
    Windows,
    Device,
}

impl Platform {
    fn is_linux(&self) -> bool {
        *self == Platform::Linux
    }
}

/// The checks, validated.
#[derive(Debug)]
pub struct Checks<P = Probe> {
    pub checks: Vec<Check<P>>,
}

impl Checks {
    /// The shipped Linux checks.
    pub fn builtin() -> Result<Checks, RulesError> {
        Checks::parse(LINUX.0, LINUX.1)
    }
}

impl Checks<WindowsProbe> {
    /// The shipped Windows Server checks (read from exported files).
    pub fn windows_builtin() -> Result<Checks<WindowsProbe>, RulesError> {
        Checks::parse(WINDOWS.0, WINDOWS.1)
    }
}

impl<P: ProbeKind> Checks<P> {
    pub fn parse(file: &str, text: &str) -> Result<Checks<P>, RulesError> {
        let parsed: rules::CheckFile<P> = toml::from_str(text).map_err(|e| RulesError::Parse {
            file: file.to_string(),
            message: e.to_string(),
        })?;
        let mut seen = HashSet::new();
        for c in &parsed.check {
            let bad = |message: String| RulesError::Check {
                file: file.to_string(),
                id: c.id.clone(),
                message,
            };
            if !seen.insert(c.id.clone()) {
                return Err(bad("appears twice".into()));
            }
            if c.items.is_empty() {
                return Err(bad("evidences no item at any level".into()));
            }
            for (level, items) in &c.items {
                if !(1..=4).contains(level) {
                    return Err(bad(format!(
                        "level {level}: items are given for levels 1 to 4"
                    )));
                }
                let prefix = format!("L{level}-");
                if let Some(i) = items.iter().find(|i| !i.starts_with(&prefix)) {
                    return Err(bad(format!("item {i} is not a level-{level} item")));
                }
            }
            if !c.cannot_see.contains(" / ") {
                return Err(bad("cannot_see gives Chinese / English".into()));
            }
            c.probe.validate().map_err(bad)?;
        }
        Ok(Checks {
            checks: parsed.check,
        })
    }

    /// The checks that apply at `level`.
    pub fn at_level(&self, level: u8) -> impl Iterator<Item = &Check<P>> {
        self.checks
            .iter()
            .filter(move |c| c.items.contains_key(&level))
    }
}

/// One check's result.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckResult {
    /// The check's id (`"check"` in JSON, the interface).
    #[serde(rename = "check")]
    pub id: String,
    pub title: String,
    pub title_en: String,
    /// The items of the level this result evidences.
    pub items: Vec<String>,
    /// pass / fail / not_applicable / unknown (`"result"` in JSON).
    #[serde(rename = "result")]
    pub status: Status,
    /// Why, `中文 / English`.
    pub reason: String,
    pub evidence: Vec<Evidence>,
    /// What the check cannot see of those items, `中文 / English`.
    pub cannot_see: String,
    pub needs_root: bool,
}

/// All results for one host.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Omitted for Linux, so the reports of earlier versions still read.
    #[serde(default, skip_serializing_if = "Platform::is_linux")]
    pub platform: Platform,
    pub root: String,
    pub live: bool,
    pub as_root: bool,
    /// The host's system (`"host": {"os_id", "os_version", …}` in JSON).
    #[serde(rename = "host")]
    pub distro: Distro,
    pub level: u8,
    pub results: Vec<CheckResult>,
    /// Status → count.
    pub summary: BTreeMap<String, usize>,
}

/// Runs the checks of `level` on `host`.
pub fn run(checks: &Checks, host: &Host, level: u8) -> Report {
    let mut results = Vec::new();
    for c in checks.at_level(level) {
        let family = &host.distro.family;
        let outcome = if !c.families.is_empty() && family == "unknown" {
            probes::Outcome {
                status: Status::Unknown,
                reason: "无法识别发行版（/etc/os-release、PAM 布局、软件包数据库），本检查按发行版而定 / the distribution is not recognised and this check depends on it".into(),
                evidence: Vec::new(),
                needs_root: false,
            }
        } else if !c.families.is_empty() && !c.families.contains(family) {
            probes::Outcome {
                status: Status::NotApplicable,
                reason: format!(
                    "适用于 {}，本机为 {family} / for {} only",
                    c.families.join(", "),
                    c.families.join(", ")
                ),
                evidence: Vec::new(),
                needs_root: false,
            }
        } else {
            probes::evaluate(&c.probe, host)
        };
        results.push(CheckResult::new(c, level, outcome));
    }
    let mut report = Report::new(Platform::Linux, host.distro.clone(), level, results);
    report.live = host.live;
    report.as_root = host.as_root;
    report
}

impl CheckResult {
    /// The result of check `c` at `level` from what its probe found.
    pub fn new<P>(c: &Check<P>, level: u8, outcome: probes::Outcome) -> CheckResult {
        CheckResult {
            id: c.id.clone(),
            title: c.title.clone(),
            title_en: c.title_en.clone(),
            items: c.items.get(&level).cloned().unwrap_or_default(),
            status: outcome.status,
            reason: outcome.reason,
            evidence: outcome.evidence,
            cannot_see: c.cannot_see.clone(),
            needs_root: outcome.needs_root,
        }
    }
}

impl Report {
    /// A report of `results`, with their summary; `root`, `live` and `as_root` are for the
    /// caller to set where they mean something.
    pub fn new(platform: Platform, distro: Distro, level: u8, results: Vec<CheckResult>) -> Report {
        let summary = summarize(&results);
        Report {
            platform,
            root: String::new(),
            live: false,
            as_root: false,
            distro,
            level,
            results,
            summary,
        }
    }
}

/// Status → count, every status present.
fn summarize(results: &[CheckResult]) -> BTreeMap<String, usize> {
    let mut summary = BTreeMap::new();
    for s in [
        Status::Pass,
        Status::Fail,
        Status::NotApplicable,
        Status::Unknown,
    ] {
        summary.insert(
            s.as_str().to_string(),
            results.iter().filter(|r| r.status == s).count(),
        );
    }
    summary
}

/// Verifies a report made elsewhere against the shipped checks of its platform.
pub fn verify_report(report: &Report) -> Result<(), ReportError> {
    let loaded = |e: RulesError| ReportError(format!("the embedded checks: {e}"));
    match report.platform {
        Platform::Linux => Checks::builtin().map_err(loaded)?.verify(report),
        Platform::Device => Checks::device_builtin().map_err(loaded)?.verify(report),
        Platform::Windows => Checks::windows_builtin().map_err(loaded)?.verify(report),
    }
}

/// Why a report sent to the server is refused (names the result).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ReportError(pub String);

impl<P> Checks<P> {
    /// Checks a report made elsewhere against these checks: the level is 2 or 3, every
    /// result is a known check of that level naming exactly that check's items (a report
    /// cannot claim items its checks do not evidence), no check twice, and the summary
    /// counts the results.
    pub fn verify(&self, report: &Report) -> Result<(), ReportError> {
        if !(2..=3).contains(&report.level) {
            return Err(ReportError(format!(
                "report.level {}: 主机检查按第二级、第三级编写 / host checks are written for levels 2 and 3",
                report.level
            )));
        }
        let mut seen = HashSet::new();
        for r in &report.results {
            let Some(c) = self.checks.iter().find(|c| c.id == r.id) else {
                return Err(ReportError(format!(
                    "results.{}: 未知检查项 / not a known check",
                    r.id
                )));
            };
            let items = c.items.get(&report.level).ok_or_else(|| {
                ReportError(format!(
                    "results.{}: 不适用于第{}级 / not a level-{} check",
                    r.id, report.level, report.level
                ))
            })?;
            if &r.items != items {
                return Err(ReportError(format!(
                    "results.{}: items {:?} ≠ {:?}（检查项所证明的要求项）/ not the items this check evidences",
                    r.id, r.items, items
                )));
            }
            if !seen.insert(r.id.as_str()) {
                return Err(ReportError(format!("results.{}: 重复 / twice", r.id)));
            }
        }
        let counted = summarize(&report.results);
        for (status, n) in counted {
            if report.summary.get(&status).copied().unwrap_or(0) != n {
                return Err(ReportError(format!(
                    "summary.{status}: 与结果不符 / does not count the results"
                )));
            }
        }
        Ok(())
    }
}
