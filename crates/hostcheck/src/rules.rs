//! The check catalog as data (`data/hostchecks/*.toml`): what each check reads, what
//! passes, which control items it evidences and what it cannot see. A reviewer reads a
//! check without Rust; the probe kinds are the vocabulary (`docs/decisions/0420-…`).

use std::collections::BTreeMap;

use serde::Deserialize;

/// One check. `P` is the platform's probe vocabulary: [`Probe`] (files of a Linux host)
/// here; Windows exports and device configurations have their own.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check<P = Probe> {
    /// Stable id, `area.what`: `ssh.root_login`.
    pub id: String,
    /// What passing means, in Chinese.
    pub title: String,
    pub title_en: String,
    /// Per level, the GB/T 28448-2019 item ids the result evidences (the levels the check
    /// applies to are the keys).
    pub items: BTreeMap<u8, Vec<String>>,
    /// The part of those items this check cannot see (a check never claims more than it
    /// read), in Chinese, then ` / ` and English.
    pub cannot_see: String,
    /// Distribution families it applies to (`debian`, `rhel`); empty = all.
    #[serde(default)]
    pub families: Vec<String>,
    pub probe: P,
}

/// What a check reads and what passes. Every probe reads files only: the checker never
/// runs a command and never changes the host.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Probe {
    /// An sshd_config keyword as sshd takes it: the first value wins, `Include`d files are
    /// read where they stand, in lexical order; `Match` blocks are reported, not applied.
    Sshd {
        keyword: String,
        /// OpenSSH's compiled-in default when no line sets it.
        default: String,
        #[serde(flatten)]
        pass: Pass,
    },
    /// `KEY VALUE` or `KEY=VALUE` settings (login.defs, pwquality.conf, journald.conf …):
    /// the files in order, later files override earlier ones when `wins = "last"`.
    Setting {
        files: Vec<String>,
        key: String,
        #[serde(default = "last")]
        wins: Wins,
        /// The value when no file sets it; absent = "not set" fails.
        default: Option<String>,
        /// When none of the files exists the check does not apply (the software is not
        /// installed), rather than failing.
        #[serde(default)]
        missing_ok: bool,
        #[serde(flatten)]
        pass: Pass,
    },
    /// A PAM module in the stacks of the named service files (includes followed), and
    /// optionally a numeric argument's bound.
    Pam {
        services: Vec<String>,
        /// `auth`, `password`, `account`, `session`.
        stack: String,
        module: String,
        /// `deny` with `max = 5`: the argument must be present and within the bound.
        argument: Option<String>,
        min: Option<i64>,
        max: Option<i64>,
        /// A settings file whose value stands where the argument is absent
        /// (`/etc/security/faillock.conf`).
        settings: Option<String>,
        /// The rules of `module` that enforce it, by an argument they carry (pam_faillock's
        /// `preauth`, `authsucc`); empty = every rule. Every path through the stack that
        /// succeeds must run one of them, and it must succeed (jumps and `sufficient`
        /// modules are followed).
        #[serde(default)]
        modes: Vec<String>,
        /// The argument of the rule that counts a failure (`authfail`): every path on which
        /// one of `credentials` fails must run it before the stack returns.
        counting: Option<String>,
        /// The modules that check a password (`pam_unix.so`, `pam_sss.so` …).
        #[serde(default)]
        credentials: Vec<String>,
        /// Modules that did `module`'s job on older systems (`pam_tally2.so`, removed in
        /// PAM 1.5): found where `module` is not, the result is `unknown` with their lines,
        /// for a person to judge.
        #[serde(default)]
        superseded: Vec<String>,
        /// What an operator does when the check fails, `中文 / English` (the reason ends
        /// with it).
        fix: Option<String>,
    },
    /// A file's permission bits may not exceed `max_mode` (octal) and its owner must be uid
    /// `owner` when given. A missing file passes when `missing_ok`.
    FileMode {
        paths: Vec<String>,
        max_mode: String,
        owner: Option<u32>,
        #[serde(default)]
        missing_ok: bool,
    },
    /// Lines matching `pattern` (a regular expression) in the files or globs: `present`
    /// must be found in at least `min_matches` lines, `absent` in none.
    Lines {
        files: Vec<String>,
        pattern: String,
        #[serde(default = "present")]
        expect: Expect,
        #[serde(default = "one")]
        min_matches: usize,
    },
    /// A kernel parameter as configured (sysctl.conf and sysctl.d, the later file winning).
    Sysctl {
        key: String,
        #[serde(flatten)]
        pass: Pass,
    },
    /// A shell variable set in the login profiles to a value within bounds and made
    /// read-only (`TMOUT`).
    ShellReadonly {
        variable: String,
        files: Vec<String>,
        #[serde(flatten)]
        pass: Pass,
    },
    /// Installed packages (dpkg's status file on the Debian family): `absent` lists
    /// packages that must not be installed, `any_of` packages one of which must be.
    Packages {
        #[serde(default)]
        absent: Vec<String>,
        #[serde(default)]
        any_of: Vec<String>,
    },
    /// A systemd unit enabled at boot (a link in a `*.wants` directory), or not enabled.
    UnitEnabled {
        units: Vec<String>,
        #[serde(default = "present")]
        expect: Expect,
    },
    /// How long logrotate keeps each of `logs` (period × `rotate`, capped by `maxage`) must
    /// be at least `min_days`.
    Logrotate { logs: Vec<String>, min_days: i64 },
    /// Accounts in /etc/passwd and /etc/shadow: `uid0_only_root`, `no_empty_passwords`.
    Accounts { rule: AccountRule },
    /// Sockets the running host listens on (`/proc/net/tcp`, `tcp6`, `udp`, `udp6`): none
    /// of `ports` may listen on an address other than loopback. A mounted root has no
    /// running state, so there the result is `unknown`.
    Listening { ports: Vec<PortRule> },
}

/// A well-known port and the service it means.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortRule {
    pub proto: Proto,
    pub port: u16,
    /// The last port of a range (X11's 6000–6063).
    pub to: Option<u16>,
    pub service: String,
}

impl PortRule {
    pub fn covers(&self, proto: Proto, port: u16) -> bool {
        self.proto == proto && (self.port..=self.to.unwrap_or(self.port)).contains(&port)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Proto {
    Tcp,
    Udp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Wins {
    First,
    Last,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    Present,
    Absent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountRule {
    Uid0OnlyRoot,
    NoEmptyPasswords,
}

fn last() -> Wins {
    Wins::Last
}
fn present() -> Expect {
    Expect::Present
}
fn one() -> usize {
    1
}

/// What value passes: one of `one_of` (case-insensitive), or a number within `min`/`max`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pass {
    #[serde(default)]
    pub one_of: Vec<String>,
    pub min: Option<i64>,
    pub max: Option<i64>,
}

impl Pass {
    /// Whether `value` passes; `Err` with why when it is not a number where one is needed.
    pub fn accepts(&self, value: &str) -> Result<bool, String> {
        let v = value.trim();
        if !self.one_of.is_empty() {
            return Ok(self.one_of.iter().any(|o| o.eq_ignore_ascii_case(v)));
        }
        let n: i64 = v
            .parse()
            .map_err(|_| format!("{v:?} is not a number / 不是数字"))?;
        Ok(self.min.is_none_or(|m| n >= m) && self.max.is_none_or(|m| n <= m))
    }

    /// The condition in words (for the result's reason).
    pub fn describe(&self) -> String {
        match (&self.one_of[..], self.min, self.max) {
            ([], Some(a), Some(b)) => format!("{a}–{b}"),
            ([], Some(a), None) => format!("≥ {a}"),
            ([], None, Some(b)) => format!("≤ {b}"),
            (list, _, _) => list.join(" | "),
        }
    }
}

/// A checks file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckFile<P> {
    pub check: Vec<Check<P>>,
}

/// A probe vocabulary: what one platform's checks can read. `validate` refuses a probe
/// that cannot work (a bad pattern) when the file loads, not when a host is checked.
pub trait ProbeKind: serde::de::DeserializeOwned {
    fn validate(&self) -> Result<(), String> {
        Ok(())
    }
}

impl ProbeKind for Probe {
    fn validate(&self) -> Result<(), String> {
        if let Probe::Lines { pattern, .. } = self {
            regex::Regex::new(pattern).map_err(|e| format!("pattern: {e}"))?;
        }
        if let Probe::Listening { ports } = self {
            if let Some(p) = ports.iter().find(|p| p.to.is_some_and(|to| to < p.port)) {
                return Err(format!("ports: {} {}: to < port", p.service, p.port));
            }
        }
        if let Probe::Pam { fix: Some(f), .. } = self {
            if !f.contains(" / ") {
                return Err("fix gives Chinese / English".into());
            }
        }
        if let Probe::Pam {
            counting: Some(_),
            credentials,
            ..
        } = self
        {
            if credentials.is_empty() {
                return Err("counting needs the credentials whose failures it counts".into());
            }
        }
        Ok(())
    }
}
