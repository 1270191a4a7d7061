//! Evaluating one probe on a host: the status, why, and the lines that decided it.

mod config;
mod logrotate;
mod pam;
mod sockets;
mod system;

use serde::{Deserialize, Serialize};

use crate::host::{Host, Unread};
use crate::rules::Probe;

/// pass / fail / not_applicable / unknown (never `pass` without having read what decides).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pass,
    Fail,
    NotApplicable,
    Unknown,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::NotApplicable => "not_applicable",
            Status::Unknown => "unknown",
        }
    }
}

/// One line read: the file, its line number (1-based) and the text (secrets left out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// The file as on the host (`/etc/ssh/sshd_config`), whatever `--root` it was read
    /// under (`"file"` in JSON).
    #[serde(rename = "file")]
    pub path: String,
    pub line: Option<usize>,
    pub text: String,
}

/// What a probe found.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub status: Status,
    /// Why, as `中文 / English`.
    pub reason: String,
    pub evidence: Vec<Evidence>,
    /// A file that decides could not be read without root.
    pub needs_root: bool,
}

impl Outcome {
    fn new(status: Status, reason: String, evidence: Vec<Evidence>) -> Outcome {
        Outcome {
            status,
            reason,
            evidence,
            needs_root: false,
        }
    }

    /// The file that decides could not be read.
    fn unread(path: &str, why: &Unread) -> Outcome {
        let (reason, needs_root) = match why {
            Unread::NeedsRoot => (
                format!("需要 root 权限才能读取 {path} / reading {path} needs root"),
                true,
            ),
            Unread::Missing => (format!("{path} 不存在 / {path} does not exist"), false),
            Unread::Other(e) => (
                format!("无法读取 {path}：{e} / cannot read {path}: {e}"),
                false,
            ),
        };
        Outcome {
            status: Status::Unknown,
            reason,
            evidence: Vec::new(),
            needs_root,
        }
    }
}

/// A config line without its comment, trimmed; `None` for blank and comment lines.
fn content(line: &str) -> Option<&str> {
    let line = line.trim();
    (!line.is_empty() && !line.starts_with('#') && !line.starts_with(';')).then_some(line)
}

fn evidence(path: &str, line: usize, text: &str) -> Evidence {
    Evidence {
        path: path.to_string(),
        line: Some(line),
        text: text.trim().to_string(),
    }
}

pub fn evaluate(probe: &Probe, host: &Host) -> Outcome {
    match probe {
        Probe::Sshd {
            keyword,
            default,
            pass,
        } => config::sshd(host, keyword, default, pass),
        Probe::Setting {
            files,
            key,
            wins,
            default,
            missing_ok,
            pass,
        } => config::setting(
            host,
            files,
            key,
            *wins,
            default.as_deref(),
            *missing_ok,
            pass,
        ),
        Probe::Sysctl { key, pass } => config::sysctl(host, key, pass),
        Probe::ShellReadonly {
            variable,
            files,
            pass,
        } => config::shell_readonly(host, variable, files, pass),
        Probe::Pam {
            services,
            stack,
            module,
            argument,
            min,
            max,
            settings,
            modes,
            counting,
            credentials,
            superseded,
            fix,
        } => pam::pam(
            host,
            &pam::PamQuery {
                services,
                stack,
                want: pam::Wanted {
                    module,
                    modes,
                    counting: counting.as_deref(),
                    credentials,
                },
                argument: argument.as_deref(),
                bounds: (*min, *max),
                settings: settings.as_deref(),
                superseded,
                fix: fix.as_deref(),
            },
        ),
        Probe::FileMode {
            paths,
            max_mode,
            owner,
            missing_ok,
        } => system::file_mode(host, paths, max_mode, *owner, *missing_ok),
        Probe::Lines {
            files,
            pattern,
            expect,
            min_matches,
        } => system::lines(host, files, pattern, *expect, *min_matches),
        Probe::Packages { absent, any_of } => system::packages(host, absent, any_of),
        Probe::UnitEnabled { units, expect } => system::unit_enabled(host, units, *expect),
        Probe::Accounts { rule } => system::accounts(host, *rule),
        Probe::Logrotate { logs, min_days } => logrotate::retention(host, logs, *min_days),
        Probe::Listening { ports } => sockets::listening(host, ports),
    }
}

/// A reason built half by half and shown as `中文 / English` (the printers split it once).
struct Reason {
    zh: String,
    en: String,
}

impl Reason {
    fn new(zh: impl Into<String>, en: impl Into<String>) -> Reason {
        Reason {
            zh: zh.into(),
            en: en.into(),
        }
    }

    fn and(mut self, zh: impl AsRef<str>, en: impl AsRef<str>) -> Reason {
        self.zh.push('；');
        self.zh.push_str(zh.as_ref());
        self.en.push_str("; ");
        self.en.push_str(en.as_ref());
        self
    }

    fn text(&self) -> String {
        format!("{} / {}", self.zh, self.en)
    }
}

/// The value a fix would set: the first accepted word, else the bound the value misses
/// (or the upper one, the stricter for a maximum such as `PASS_MAX_DAYS`).
fn wanted(pass: &crate::rules::Pass, current: &str) -> String {
    if let Some(first) = pass.one_of.first() {
        return first.clone();
    }
    let n = current.trim().parse::<i64>().ok();
    match (pass.min, pass.max, n) {
        (Some(lo), _, Some(n)) if n < lo => lo.to_string(),
        (_, Some(hi), _) => hi.to_string(),
        (Some(lo), None, _) => lo.to_string(),
        (None, None, _) => pass.describe(),
    }
}
