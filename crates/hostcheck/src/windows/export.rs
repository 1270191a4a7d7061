//! The directory an operator hands over: the files Windows' own commands write (listed in
//! `data/hostchecks/README.md`), read once, each kept with its name so every result can
//! cite the file, line and text that decided it. A file that is not there, or is not what
//! its name says, is remembered as such: the checks that need it say `unknown` and name
//! the command that makes it.

use std::path::Path;

use super::csv::{self, AuditRow, ServiceRow};
use super::decode::decode;
use super::registry::{self, Key, RegFile, Value};
use super::secedit::{Entry, Inf};
use super::Line;

/// The fixed-name files: (name, the command that writes it).
pub const SECEDIT: (&str, &str) = (
    "secedit.inf",
    "secedit /export /mergedpolicy /cfg secedit.inf",
);
pub const AUDITPOL: (&str, &str) = ("auditpol.csv", "auditpol /backup /file:auditpol.csv");
pub const SERVICES: (&str, &str) = (
    "services.csv",
    "Get-Service | Select-Object Name,Status,StartType | Export-Csv services.csv -NoTypeInformation -Encoding UTF8",
);

/// The registry exports the checks read: (key, suggested file name). A registry probe's key
/// must lie under one of these (checked when the checks load), so this list and the
/// README's are the whole set an operator is asked for.
pub const REG_EXPORTS: &[(&str, &str)] = &[
    (
        "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion",
        "os.reg",
    ),
    ("HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa", "lsa.reg"),
    (
        "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server",
        "rdp.reg",
    ),
    (
        "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters",
        "smb.reg",
    ),
    (
        "HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog",
        "eventlog.reg",
    ),
    (
        "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies",
        "policies.reg",
    ),
    ("HKLM\\SOFTWARE\\Policies", "gpo.reg"),
];

/// The standard export that covers `key` (normalised): its key and file name.
pub fn reg_export_for(key: &str) -> Option<(&'static str, &'static str)> {
    REG_EXPORTS.iter().copied().find(|(k, _)| {
        let k = registry::normalise(k);
        key == k || key.starts_with(&format!("{k}\\"))
    })
}

/// A file as read: its content, or why there is none.
#[derive(Debug, Clone)]
pub enum Loaded<T> {
    Read {
        file: String,
        content: T,
    },
    Missing,
    /// Present but unreadable or not the export its name says (the why, `中文 / English`).
    Bad {
        file: String,
        why: String,
    },
}

/// Everything read from the directory.
#[derive(Debug)]
pub struct Export {
    pub secedit: Loaded<Inf>,
    pub auditpol: Loaded<Vec<AuditRow>>,
    pub services: Loaded<(Line, Vec<ServiceRow>)>,
    /// Every `*.reg` file that is a registry export, by file name.
    pub reg: Vec<(String, RegFile)>,
    /// The day the checks are judged on (bounds that rise on a day, `WinPass::raised`);
    /// today in Asia/Shanghai unless `run_windows_on` names a day.
    pub as_of: jiff::civil::Date,
}

/// Where a registry value was found.
pub enum RegHit<'a> {
    /// In a `.reg` export.
    Reg {
        file: &'a str,
        key: &'a Key,
        value: &'a Value,
    },
    /// In secedit's `[Registry Values]` (the key is not in any `.reg` export).
    Secedit {
        file: &'a str,
        entry: &'a Entry,
        data: String,
    },
    /// A `.reg` export covers the key but the value (or the whole key) is not there: it is
    /// unset, and Windows uses its default. The line is the key's header, or the export's.
    Unset { file: &'a str, line: &'a Line },
    /// Nothing read covers the key.
    NotExported,
}

impl Export {
    /// Reads `dir`. File names are matched case-insensitively (`SecEdit.inf` is fine).
    pub fn read(dir: &Path) -> std::io::Result<Export> {
        let mut names: Vec<String> = std::fs::read_dir(dir)?
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .collect();
        names.sort();
        let find = |want: &str| names.iter().find(|n| n.eq_ignore_ascii_case(want)).cloned();
        let text = |name: &str| -> Result<String, String> {
            std::fs::read(dir.join(name))
                .map(|b| decode(&b).0)
                .map_err(|e| format!("无法读取：{e} / cannot be read: {e}"))
        };
        // (file name, text), or (file name, why it cannot be read); `None` when absent.
        type Found = Result<(String, String), (String, String)>;
        let load = |want: &str| -> Option<Found> {
            let name = find(want)?;
            Some(match text(&name) {
                Ok(t) => Ok((name, t)),
                Err(why) => Err((name, why)),
            })
        };
        let secedit = match load(SECEDIT.0) {
            None => Loaded::Missing,
            Some(Err((file, why))) => Loaded::Bad { file, why },
            Some(Ok((file, t))) => {
                let inf = Inf::parse(&t);
                if inf.is_secedit() {
                    Loaded::Read { file, content: inf }
                } else {
                    Loaded::Bad {
                        file,
                        why: "不是 secedit 导出（[Version] 无 signature=\"$CHICAGO$\"）/ not a secedit export (no signature=\"$CHICAGO$\" in [Version])".into(),
                    }
                }
            }
        };
        let auditpol = match load(AUDITPOL.0) {
            None => Loaded::Missing,
            Some(Err((file, why))) => Loaded::Bad { file, why },
            Some(Ok((file, t))) => match csv::audit_rows(&t) {
                Some(content) => Loaded::Read { file, content },
                None => Loaded::Bad {
                    file,
                    why: "不是 auditpol 备份（没有带子类别 GUID 的系统行）/ not an auditpol backup (no system row with a subcategory GUID)".into(),
                },
            },
        };
        let services = match load(SERVICES.0) {
            None => Loaded::Missing,
            Some(Err((file, why))) => Loaded::Bad { file, why },
            Some(Ok((file, t))) => match csv::services(&t) {
                Some(content) => Loaded::Read { file, content },
                None => Loaded::Bad {
                    file,
                    why: "不是 Get-Service 导出（表头无 Name、Status）/ not a Get-Service export (no Name and Status columns)".into(),
                },
            },
        };
        let reg = names
            .iter()
            .filter(|n| n.to_ascii_lowercase().ends_with(".reg"))
            .filter_map(|n| Some((n.clone(), RegFile::parse(&text(n).ok()?)?)))
            .collect();
        Ok(Export {
            secedit,
            auditpol,
            services,
            reg,
            as_of: super::today(),
        })
    }

    /// The value `name` of `key` (normalised): from a `.reg` export covering the key, else
    /// from secedit's `[Registry Values]`.
    pub fn registry(&self, key: &str, name: &str) -> RegHit<'_> {
        // Two exports may cover the same key (a key and one of its parents): the one that
        // has the value decides; unset only when none has it.
        let mut unset = None;
        for (file, reg) in self.reg.iter().filter(|(_, r)| r.covers(key)) {
            let Some(k) = reg.key(key) else {
                if let Some(root) = reg.keys.first() {
                    unset.get_or_insert(RegHit::Unset {
                        file,
                        line: &root.header,
                    });
                }
                continue;
            };
            match k.values.iter().find(|v| v.name.eq_ignore_ascii_case(name)) {
                Some(value) => {
                    return RegHit::Reg {
                        file,
                        key: k,
                        value,
                    }
                }
                None => {
                    unset.get_or_insert(RegHit::Unset {
                        file,
                        line: &k.header,
                    });
                }
            }
        }
        if let Some(hit) = unset {
            return hit;
        }
        if let Loaded::Read { file, content } = &self.secedit {
            let values = content.section("Registry Values").into_iter();
            for entry in values.flat_map(|s| &s.entries) {
                if let Some((k, n, data)) = registry::secedit_value(&entry.key, &entry.value) {
                    if k == key && n.eq_ignore_ascii_case(name) {
                        return RegHit::Secedit { file, entry, data };
                    }
                }
            }
        }
        RegHit::NotExported
    }

    /// `ProductName major.minor.build` from the CurrentVersion export, or `None`.
    pub fn os_version(&self) -> Option<(String, String)> {
        let key = registry::normalise(REG_EXPORTS[0].0);
        let get = |name: &str| match self.registry(&key, name) {
            RegHit::Reg { value, .. } => Some(value.data.clone()),
            _ => None,
        };
        let product = get("ProductName")?;
        let build = get("CurrentBuild").or_else(|| get("CurrentBuildNumber"))?;
        // Windows 10 / Server 2016 and later: CurrentMajor/MinorVersionNumber (DWORDs);
        // before them CurrentVersion ("6.3") is the version.
        let version = match (
            get("CurrentMajorVersionNumber"),
            get("CurrentMinorVersionNumber"),
        ) {
            (Some(major), Some(minor)) => format!("{major}.{minor}"),
            _ => get("CurrentVersion")?,
        };
        Some((product.clone(), format!("{product} {version}.{build}")))
    }
}
