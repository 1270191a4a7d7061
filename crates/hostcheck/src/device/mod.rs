//! Network device configurations (issue 12, decision 0422): the saved text of `display
//! current-configuration` (Huawei VRP, H3C Comware) or `show running-config` (Cisco IOS /
//! IOS-XE), checked against the items of 安全通信网络, 安全区域边界 and 安全计算环境 that a
//! configuration shows (`data/hostchecks/devices.toml`).
//!
//! A configuration is text an operator exported, not a device: nothing here connects to
//! one. What only the running device shows (sessions, whether the syslog host receives,
//! what the TACACS+ server grants) is each check's `cannot_see`.

mod decode;
mod eval;
mod mask;
mod parse;

use serde::Deserialize;

use crate::host::Distro;
use crate::probes::{Outcome, Status};
use crate::rules::ProbeKind;
use crate::{CheckResult, Checks, Platform, Report};

pub use parse::{DeviceConfig, Line, Vendor};

/// A device check's probe: one rule per vendor (the commands differ), and what a vendor
/// without a rule gets.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceProbe {
    pub huawei: Option<Rule>,
    pub h3c: Option<Rule>,
    pub cisco: Option<Rule>,
    /// For a vendor without a rule: `not_applicable` with this reason (the vendor has no
    /// such setting); absent = `unknown` (no rule written for it yet).
    pub otherwise: Option<Otherwise>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Otherwise {
    /// `中文 / English`.
    pub reason: String,
}

/// What a rule reads in the configuration. Patterns are regular expressions on a line
/// without its indentation; a *block* is a line and the more-indented lines under it
/// (`user-interface vty 0 4`, `line vty 0 4`, `interface …`, `aaa`).
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rule {
    /// A line matching `pattern`: `present` (at least one) or `absent` (none), in the whole
    /// configuration or, with `within`, inside the blocks whose header matches it. With
    /// `undecidable`, an `absent` check whose only candidates match it (a community stored
    /// encrypted) is `unknown`, not `pass`.
    Line {
        pattern: String,
        #[serde(default = "present")]
        expect: Expect,
        within: Option<String>,
        undecidable: Option<String>,
    },
    /// Every block whose header matches `header` holds a line matching one of `any_of`, or
    /// the configuration has a top-level line matching one of `global_any_of` (Cisco's
    /// `aaa new-model` puts every line under AAA).
    EveryBlock {
        header: String,
        any_of: Vec<String>,
        #[serde(default)]
        global_any_of: Vec<String>,
        /// A block whose lines stand for a block's own when it lacks them (Comware 7's
        /// `line class vty`: a setting in `line vty` wins, else the class's applies).
        inherit: Option<String>,
    },
    /// A number on a line matching `pattern` within `min`/`max`: the named group `n`, or
    /// `minutes` (and `seconds`) counted in seconds. With `within`, in every such block;
    /// `default` stands where the line is absent (the vendor's documented default), else
    /// the absence gives `if_absent`.
    Number {
        pattern: String,
        within: Option<String>,
        min: Option<i64>,
        max: Option<i64>,
        default: Option<i64>,
        inherit: Option<String>,
        #[serde(default = "fail")]
        if_absent: Absent,
        /// Why the line's absence decides nothing, for `if_absent = "unknown"`.
        absent_reason: Option<String>,
    },
    /// Blocks whose header matches `within` name an object (the `name` group of
    /// `pattern`) that the configuration defines (a top-level line matching `defined`,
    /// where `{name}` stands for the name): in `every` block (vty lines) or in `any`
    /// (interfaces applying an ACL).
    Reference {
        within: String,
        pattern: String,
        defined: String,
        #[serde(default = "every")]
        blocks: Blocks,
        inherit: Option<String>,
    },
    /// All of the rules pass (two commands together make the setting).
    All { all: Vec<Rule> },
    /// One of the rules passes (the setting is shown differently across versions).
    Any { any: Vec<Rule> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    Present,
    Absent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Absent {
    Fail,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Blocks {
    Every,
    Any,
}

fn present() -> Expect {
    Expect::Present
}
fn fail() -> Absent {
    Absent::Fail
}
fn every() -> Blocks {
    Blocks::Every
}

impl DeviceProbe {
    /// The rule for `vendor`.
    pub fn rule(&self, vendor: Vendor) -> Option<&Rule> {
        match vendor {
            Vendor::Huawei => self.huawei.as_ref(),
            Vendor::H3c => self.h3c.as_ref(),
            Vendor::Cisco => self.cisco.as_ref(),
        }
    }
}

impl ProbeKind for DeviceProbe {
    fn validate(&self) -> Result<(), String> {
        let rules = [
            ("huawei", &self.huawei),
            ("h3c", &self.h3c),
            ("cisco", &self.cisco),
        ];
        if rules.iter().all(|(_, r)| r.is_none()) {
            return Err("probe: no rule for any vendor (huawei, h3c, cisco)".into());
        }
        if let Some(o) = &self.otherwise {
            if !o.reason.contains(" / ") {
                return Err("probe.otherwise.reason gives Chinese / English".into());
            }
        }
        for (vendor, rule) in rules {
            if let Some(r) = rule {
                r.validate().map_err(|e| format!("probe.{vendor}: {e}"))?;
            }
        }
        Ok(())
    }
}

impl Rule {
    fn validate(&self) -> Result<(), String> {
        let re = |what: &str, p: &str| {
            regex::Regex::new(p)
                .map(|_| ())
                .map_err(|e| format!("{what}: {e}"))
        };
        match self {
            Rule::Line {
                pattern,
                within,
                undecidable,
                ..
            } => {
                re("pattern", pattern)?;
                within.iter().try_for_each(|w| re("within", w))?;
                undecidable.iter().try_for_each(|u| re("undecidable", u))
            }
            Rule::EveryBlock {
                header,
                any_of,
                global_any_of,
                inherit,
            } => {
                re("header", header)?;
                inherit.iter().try_for_each(|i| re("inherit", i))?;
                if any_of.is_empty() {
                    return Err("any_of: at least one pattern".into());
                }
                any_of
                    .iter()
                    .chain(global_any_of)
                    .try_for_each(|p| re("any_of", p))
            }
            Rule::Number {
                pattern,
                within,
                inherit,
                if_absent,
                absent_reason,
                ..
            } => {
                inherit.iter().try_for_each(|i| re("inherit", i))?;
                let r = regex::Regex::new(pattern).map_err(|e| format!("pattern: {e}"))?;
                let names: Vec<&str> = r.capture_names().flatten().collect();
                if !names.contains(&"n") && !names.contains(&"minutes") {
                    return Err("pattern: needs a group (?P<n>…) or (?P<minutes>…)".into());
                }
                within.iter().try_for_each(|w| re("within", w))?;
                if *if_absent == Absent::Unknown
                    && !absent_reason.as_deref().is_some_and(|r| r.contains(" / "))
                {
                    return Err("if_absent = unknown needs absent_reason, Chinese / English".into());
                }
                Ok(())
            }
            Rule::Reference {
                within,
                pattern,
                defined,
                inherit,
                ..
            } => {
                re("within", within)?;
                inherit.iter().try_for_each(|i| re("inherit", i))?;
                let r = regex::Regex::new(pattern).map_err(|e| format!("pattern: {e}"))?;
                if !r.capture_names().flatten().any(|n| n == "name") {
                    return Err("pattern: needs a group (?P<name>…)".into());
                }
                if !defined.contains("{name}") {
                    return Err("defined: needs {name}".into());
                }
                re("defined", &defined.replace("{name}", "x"))
            }
            Rule::All { all: rules } | Rule::Any { any: rules } => {
                if rules.is_empty() {
                    return Err("all / any: at least one rule".into());
                }
                rules.iter().try_for_each(Rule::validate)
            }
        }
    }
}

/// The shipped device checks.
const DEVICES: (&str, &str) = (
    "data/hostchecks/devices.toml",
    include_str!("../../../../data/hostchecks/devices.toml"),
);

impl Checks<DeviceProbe> {
    /// The shipped network device checks.
    pub fn device_builtin() -> Result<Checks<DeviceProbe>, crate::RulesError> {
        Checks::parse(DEVICES.0, DEVICES.1)
    }
}

/// Runs the checks of `level` on a device's configuration.
pub fn run_device(checks: &Checks<DeviceProbe>, config: &DeviceConfig, level: u8) -> Report {
    let mut results = Vec::new();
    for c in checks.at_level(level) {
        let outcome = match config.vendor {
            None => outcome(
                Status::Unknown,
                format!("无法识别配置文件的厂商（{}）；可用 --vendor huawei|h3c|cisco 指定 / the vendor of the configuration is not recognised ({}); name it with --vendor huawei|h3c|cisco", config.why_zh, config.why_en),
            ),
            Some(v) => match (c.probe.rule(v), &c.probe.otherwise) {
                (Some(rule), _) => eval::evaluate(rule, config),
                (None, Some(o)) => outcome(Status::NotApplicable, o.reason.clone()),
                (None, None) => outcome(
                    Status::Unknown,
                    format!(
                        "本检查尚无 {} 的规则 / this check has no rule for {} yet",
                        v.name(),
                        v.name()
                    ),
                ),
            },
        };
        results.push(CheckResult::new(c, level, outcome));
    }
    let mut report = Report::new(Platform::Device, distro(config), level, results);
    report.root = config.file.clone();
    report
}

fn outcome(status: Status, reason: String) -> Outcome {
    Outcome {
        status,
        reason,
        evidence: Vec::new(),
        needs_root: false,
    }
}

/// The device as the report's `host`: `os_id` names the system, `family` the vendor.
fn distro(config: &DeviceConfig) -> Distro {
    let (id, name, family) = match config.vendor {
        Some(v) => (v.os_id(), v.system_name(), v.key()),
        None => ("unknown", "", "unknown"),
    };
    let version = config
        .version
        .clone()
        .unwrap_or_else(|| "unknown".to_string());
    let pretty_name = match (&config.hostname, config.vendor) {
        (Some(h), Some(_)) => format!("{name} {version} ({h})"),
        (None, Some(_)) => format!("{name} {version}"),
        _ => String::new(),
    };
    Distro {
        id: id.to_string(),
        id_like: String::new(),
        version_id: version,
        pretty_name,
        family: family.to_string(),
    }
}
