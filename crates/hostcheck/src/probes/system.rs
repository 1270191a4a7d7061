//! File permissions, matching lines, packages, systemd units and accounts.

use std::os::unix::fs::MetadataExt;

use super::{content, evidence, Evidence, Outcome, Status};
use crate::host::{Host, Unread};
use crate::rules::{AccountRule, Expect};

pub fn file_mode(
    host: &Host,
    paths: &[String],
    max_mode: &str,
    owner: Option<u32>,
    missing_ok: bool,
) -> Outcome {
    let Ok(max) = u32::from_str_radix(max_mode, 8) else {
        return Outcome::new(
            Status::Unknown,
            format!("max_mode {max_mode}: 不是八进制 / not octal"),
            Vec::new(),
        );
    };
    let mut ev = Vec::new();
    let mut bad = Vec::new();
    for pattern in paths {
        for path in host.expand(pattern) {
            let meta = match host.metadata(&path) {
                Ok(m) => m,
                Err(Unread::Missing) if missing_ok => continue,
                Err(e) => return Outcome::unread(&path, &e),
            };
            let mode = meta.mode() & 0o7777;
            ev.push(Evidence {
                path: path.clone(),
                line: None,
                text: format!("mode {mode:04o} uid {} gid {}", meta.uid(), meta.gid()),
            });
            if mode & !max != 0 {
                bad.push(format!("{path} {mode:04o} > {max:04o}"));
            }
            if owner.is_some_and(|o| o != meta.uid()) {
                bad.push(format!("{path} uid {}", meta.uid()));
            }
        }
    }
    if ev.is_empty() {
        return Outcome::new(
            Status::NotApplicable,
            format!("{} 均不存在 / none exists", paths.join(" ")),
            ev,
        );
    }
    if bad.is_empty() {
        Outcome::new(
            Status::Pass,
            format!("权限不超过 {max:04o} / no wider than {max:04o}"),
            ev,
        )
    } else {
        Outcome::new(
            Status::Fail,
            format!(
                "权限过宽或属主不符：{} / too wide or wrong owner",
                bad.join("；")
            ),
            ev,
        )
    }
}

pub fn lines(
    host: &Host,
    files: &[String],
    pattern: &str,
    expect: Expect,
    min_matches: usize,
) -> Outcome {
    let Ok(re) = regex::Regex::new(pattern) else {
        return Outcome::new(
            Status::Unknown,
            format!("{pattern}: 正则无效 / invalid pattern"),
            Vec::new(),
        );
    };
    let mut ev = Vec::new();
    let mut read = Vec::new();
    for p in files {
        for path in host.expand(p) {
            let text = match host.read(&path) {
                Ok(t) => t,
                Err(Unread::Missing) => continue,
                Err(e) => return Outcome::unread(&path, &e),
            };
            read.push(path.clone());
            for (n, raw) in text.lines().enumerate() {
                if let Some(line) = content(raw) {
                    if re.is_match(line) {
                        ev.push(evidence(&path, n + 1, line));
                    }
                }
            }
        }
    }
    let count = ev.len();
    let read_any = !read.is_empty();
    // What was read, so an `absent` pass shows where it looked.
    let looked = Evidence {
        path: files.join(" "),
        line: None,
        text: if read_any {
            format!("已读取 / read: {}", read.join(", "))
        } else {
            "文件均不存在 / none of the files exists".to_string()
        },
    };
    if count == 0 {
        ev.push(looked);
    }
    match expect {
        Expect::Present if count >= min_matches => Outcome::new(
            Status::Pass,
            format!("找到 {count} 行 / {count} lines found"),
            ev,
        ),
        Expect::Present if !read_any => Outcome::new(
            Status::Fail,
            format!("{} 均不存在 / none of the files exists", files.join(" ")),
            ev,
        ),
        Expect::Present => Outcome::new(
            Status::Fail,
            format!(
                "只找到 {count} 行，至少需要 {min_matches} 行 / {count} of {min_matches} lines"
            ),
            ev,
        ),
        Expect::Absent if count == 0 => {
            Outcome::new(Status::Pass, "未发现 / none found".into(), ev)
        }
        Expect::Absent => Outcome::new(
            Status::Fail,
            format!("发现 {count} 行 / {count} lines found"),
            ev,
        ),
    }
}

/// Installed packages from dpkg's status file (`Status: install ok installed`).
fn dpkg_installed(host: &Host) -> Result<Vec<String>, Unread> {
    let text = host.read("/var/lib/dpkg/status")?;
    let mut out = Vec::new();
    for stanza in text.split("\n\n") {
        let field = |k: &str| {
            stanza
                .lines()
                .find_map(|l| l.strip_prefix(k))
                .map(str::trim)
        };
        if let (Some(name), Some(status)) = (field("Package:"), field("Status:")) {
            if status.ends_with(" installed") && !status.contains("not-installed") {
                out.push(name.to_string());
            }
        }
    }
    Ok(out)
}

pub fn packages(host: &Host, absent: &[String], any_of: &[String]) -> Outcome {
    if host.distro.family != "debian" {
        return Outcome::new(
            Status::Unknown,
            "软件包清单只读取 dpkg 的状态文件；RPM 数据库不是文本文件，本检查不运行命令 / only dpkg's status file is read; the RPM database is not text and this check runs no command".into(),
            Vec::new(),
        );
    }
    let installed = match dpkg_installed(host) {
        Ok(i) => i,
        Err(e) => return Outcome::unread("/var/lib/dpkg/status", &e),
    };
    let path = "/var/lib/dpkg/status";
    let found: Vec<&String> = absent.iter().filter(|p| installed.contains(p)).collect();
    if !found.is_empty() {
        let ev = found
            .iter()
            .map(|p| Evidence {
                path: path.into(),
                line: None,
                text: format!("Package: {p} (installed)"),
            })
            .collect();
        return Outcome::new(
            Status::Fail,
            format!(
                "已安装：{} / installed",
                found
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ev,
        );
    }
    if !any_of.is_empty() {
        let have: Vec<&String> = any_of.iter().filter(|p| installed.contains(p)).collect();
        if have.is_empty() {
            return Outcome::new(
                Status::Fail,
                format!("未安装其中任何一个：{} / none installed", any_of.join(", ")),
                Vec::new(),
            );
        }
        let ev = have
            .iter()
            .map(|p| Evidence {
                path: path.into(),
                line: None,
                text: format!("Package: {p} (installed)"),
            })
            .collect();
        return Outcome::new(Status::Pass, format!("已安装 {} / installed", have[0]), ev);
    }
    Outcome::new(
        Status::Pass,
        format!("均未安装：{} / none installed", absent.join(", ")),
        vec![Evidence {
            path: path.into(),
            line: None,
            text: format!("{} 个已安装软件包 / packages installed", installed.len()),
        }],
    )
}

pub fn unit_enabled(host: &Host, units: &[String], expect: Expect) -> Outcome {
    if !host.exists("/etc/systemd/system") {
        return Outcome::new(
            Status::Unknown,
            "没有 systemd 配置（/etc/systemd/system），无法判断开机启用的服务 / no systemd configuration: what starts at boot cannot be read".into(),
            Vec::new(),
        );
    }
    let mut ev = Vec::new();
    for dir in ["/etc/systemd/system"] {
        let Ok(entries) = std::fs::read_dir(host.at(dir)) else {
            continue;
        };
        let mut wants: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n.ends_with(".wants"))
            .collect();
        wants.sort();
        for w in wants {
            for unit in units {
                let path = format!("{dir}/{w}/{unit}");
                if host.metadata(&path).is_ok() {
                    ev.push(Evidence {
                        path,
                        line: None,
                        text: format!("{unit} enabled"),
                    });
                }
            }
        }
    }
    let names = units.join(", ");
    // The units found enabled, for the reason (the evidence names each one's link).
    let mut enabled: Vec<&str> = units
        .iter()
        .map(String::as_str)
        .filter(|u| ev.iter().any(|e| e.path.ends_with(&format!("/{u}"))))
        .collect();
    enabled.dedup();
    let enabled = enabled.join(", ");
    match (expect, ev.is_empty()) {
        (Expect::Present, false) => Outcome::new(
            Status::Pass,
            format!("开机启用：{enabled}（是否正在运行未读取） / enabled at boot: {enabled} (whether it runs now is not read)"),
            ev,
        ),
        (Expect::Present, true) => Outcome::new(
            Status::Fail,
            format!("未开机启用：{names} / not enabled at boot"),
            ev,
        ),
        (Expect::Absent, true) => Outcome::new(
            Status::Pass,
            format!("未开机启用：{names} / not enabled at boot"),
            vec![Evidence {
                path: "/etc/systemd/system/*.wants".into(),
                line: None,
                text: format!("无 / none of: {names}"),
            }],
        ),
        (Expect::Absent, false) => Outcome::new(
            Status::Fail,
            format!("开机启用了：{enabled} / enabled at boot: {enabled}"),
            ev,
        ),
    }
}

/// The first line of an account file that is not an entry of `fields` colon-separated
/// fields (passwd(5): 7, shadow(5): 9): such a file is damaged or not one, and is not read
/// as passing. The evidence names the line, never its text (it may hold a hash).
fn malformed(path: &str, text: &str, fields: usize) -> Option<Outcome> {
    let (n, _) = text
        .lines()
        .enumerate()
        .find(|(_, l)| !l.trim().is_empty() && l.split(':').count() != fields)?;
    let why = format!(
        "{path}:{} 不是 {fields} 个冒号分隔字段的账户行 / is not an entry of {fields} colon-separated fields",
        n + 1
    );
    Some(Outcome::new(
        Status::Unknown,
        why.clone(),
        vec![Evidence {
            path: path.into(),
            line: Some(n + 1),
            text: why,
        }],
    ))
}

pub fn accounts(host: &Host, rule: AccountRule) -> Outcome {
    match rule {
        AccountRule::Uid0OnlyRoot => {
            let path = "/etc/passwd";
            let text = match host.read(path) {
                Ok(t) => t,
                Err(e) => return Outcome::unread(path, &e),
            };
            let bad: Vec<Evidence> = text
                .lines()
                .enumerate()
                .filter(|(_, l)| {
                    let f: Vec<&str> = l.split(':').collect();
                    f.len() > 3 && f[2] == "0" && f[0] != "root"
                })
                // passwd holds no secret, but only name and uid are needed.
                .map(|(n, l)| {
                    evidence(
                        path,
                        n + 1,
                        &l.split(':').take(3).collect::<Vec<_>>().join(":"),
                    )
                })
                .collect();
            if bad.is_empty() {
                if let Some(unknown) = malformed(path, &text, 7) {
                    return unknown;
                }
                Outcome::new(
                    Status::Pass,
                    "只有 root 的 UID 为 0 / only root has uid 0".into(),
                    vec![Evidence {
                        path: path.into(),
                        line: None,
                        text: format!("{} accounts", text.lines().count()),
                    }],
                )
            } else {
                Outcome::new(
                    Status::Fail,
                    format!(
                        "{} 个非 root 账户 UID 为 0 / accounts other than root have uid 0",
                        bad.len()
                    ),
                    bad,
                )
            }
        }
        AccountRule::NoEmptyPasswords => {
            let path = "/etc/shadow";
            let text = match host.read(path) {
                Ok(t) => t,
                Err(e) => return Outcome::unread(path, &e),
            };
            // The hash never leaves the host: evidence says only which account is empty.
            let bad: Vec<Evidence> = text
                .lines()
                .enumerate()
                .filter(|(_, l)| l.split(':').nth(1) == Some(""))
                .map(|(n, l)| {
                    evidence(
                        path,
                        n + 1,
                        &format!(
                            "{}:（空口令 / empty password）",
                            l.split(':').next().unwrap_or_default()
                        ),
                    )
                })
                .collect();
            if bad.is_empty() {
                if let Some(unknown) = malformed(path, &text, 9) {
                    return unknown;
                }
                Outcome::new(
                    Status::Pass,
                    "没有空口令账户 / no account has an empty password".into(),
                    vec![Evidence {
                        path: path.into(),
                        line: None,
                        text: format!("{} accounts", text.lines().count()),
                    }],
                )
            } else {
                Outcome::new(
                    Status::Fail,
                    format!(
                        "{} 个账户口令为空 / accounts with an empty password",
                        bad.len()
                    ),
                    bad,
                )
            }
        }
    }
}
