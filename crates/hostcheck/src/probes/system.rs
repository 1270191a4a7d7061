//! PAM stacks, file permissions, matching lines, packages, systemd units and accounts.

use std::os::unix::fs::MetadataExt;

use super::{content, evidence, Evidence, Outcome, Status};
use crate::host::{Host, Unread};
use crate::rules::{AccountRule, Expect};

/// One rule of a PAM stack, includes followed.
struct PamRule {
    path: String,
    line: usize,
    text: String,
    control: String,
    module: String,
    args: Vec<String>,
}

/// The `stack` rules of /etc/pam.d/`service`, with `include`, `substack` and `@include`
/// followed in place (a PAM stack is a program: the order matters).
fn pam_stack(
    host: &Host,
    service: &str,
    stack: &str,
    depth: usize,
    out: &mut Vec<PamRule>,
) -> Result<(), Unread> {
    let path = format!("/etc/pam.d/{service}");
    let text = host.read(&path)?;
    for (n, raw) in text.lines().enumerate() {
        let Some(line) = content(raw) else { continue };
        if let Some(other) = line.strip_prefix("@include") {
            if depth < 8 {
                pam_stack(host, other.trim(), stack, depth + 1, out)?;
            }
            continue;
        }
        let kind = line.split_whitespace().next().unwrap_or_default();
        if kind.trim_start_matches('-') != stack {
            continue;
        }
        let after = line[kind.len()..].trim_start();
        // The control is a word or a bracketed list of `value=action`.
        let (control, rest) = if after.starts_with('[') {
            match after.find(']') {
                Some(end) => (&after[..=end], after[end + 1..].trim_start()),
                None => (after, ""),
            }
        } else {
            after.split_once(char::is_whitespace).unwrap_or((after, ""))
        };
        let mut words = rest.split_whitespace();
        let module = words.next().unwrap_or_default().to_string();
        if matches!(control, "include" | "substack") {
            if depth < 8 {
                pam_stack(host, &module, stack, depth + 1, out)?;
            }
            continue;
        }
        out.push(PamRule {
            path: path.clone(),
            line: n + 1,
            text: line.to_string(),
            control: control.to_string(),
            module,
            args: words.map(str::to_string).collect(),
        });
    }
    Ok(())
}

fn arg_value(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .find_map(|a| a.strip_prefix(&format!("{name}=")).map(str::to_string))
}

/// A `name = value` in a module's settings file (faillock.conf, pwquality.conf).
fn settings_value(host: &Host, path: &str, name: &str) -> Option<(String, Evidence)> {
    let text = host.read(path).ok()?;
    let mut found = None;
    for (n, raw) in text.lines().enumerate() {
        let Some(line) = content(raw) else { continue };
        if let Some((k, v)) = line.split_once('=') {
            if k.trim() == name {
                found = Some((v.trim().to_string(), evidence(path, n + 1, line)));
            }
        }
    }
    found
}

pub fn pam(
    host: &Host,
    services: &[String],
    stack: &str,
    module: &str,
    argument: Option<&str>,
    bounds: (Option<i64>, Option<i64>),
    settings: Option<&str>,
) -> Outcome {
    let mut ev = Vec::new();
    let mut failures = Vec::new();
    for service in services {
        let mut rules = Vec::new();
        match pam_stack(host, service, stack, 0, &mut rules) {
            Ok(()) => {}
            Err(Unread::Missing) => continue,
            Err(e) => return Outcome::unread(&format!("/etc/pam.d/{service}"), &e),
        }
        let Some(rule) = rules
            .iter()
            .find(|r| r.module.rsplit('/').next() == Some(module))
        else {
            failures.push((
                format!("{service}：无 {module}"),
                format!("{service}: no {module}"),
            ));
            continue;
        };
        ev.push(evidence(&rule.path, rule.line, &rule.text));
        let Some(name) = argument else { continue };
        let (value, from) = match arg_value(&rule.args, name) {
            Some(v) => (Some(v), None),
            None => match settings.and_then(|s| settings_value(host, s, name)) {
                Some((v, e)) => (Some(v), Some(e)),
                None => (None, None),
            },
        };
        ev.extend(from);
        match value.as_deref().map(str::parse::<i64>) {
            Some(Ok(n)) if bounds.0.is_none_or(|m| n >= m) && bounds.1.is_none_or(|m| n <= m) => {}
            Some(Ok(n)) => failures.push((
                format!("{service}：{name}={n}"),
                format!("{service}: {name}={n}"),
            )),
            Some(Err(_)) => failures.push((
                format!("{service}：{name} 非数字"),
                format!("{service}: {name} is not a number"),
            )),
            None => failures.push((
                format!("{service}：未设置 {name}"),
                format!("{service}: {name} not set"),
            )),
        }
        let _ = &rule.control;
    }
    if ev.is_empty() && failures.is_empty() {
        return Outcome::new(
            Status::Unknown,
            format!(
                "未找到 PAM 配置 {} / no PAM configuration for {}",
                services.join(", "),
                services.join(", ")
            ),
            ev,
        );
    }
    let bound = match bounds {
        (Some(a), Some(b)) => format!(" {a}–{b}"),
        (Some(a), None) => format!(" ≥ {a}"),
        (None, Some(b)) => format!(" ≤ {b}"),
        _ => String::new(),
    };
    let want = match argument {
        Some(a) => format!("{module} {a}{bound}"),
        None => module.to_string(),
    };
    if failures.is_empty() {
        Outcome::new(
            Status::Pass,
            format!("{stack} 栈启用 {want} / the {stack} stack runs {want}"),
            ev,
        )
    } else {
        Outcome::new(
            Status::Fail,
            format!(
                "要求 {want}；{} / required {want}; {}",
                failures
                    .iter()
                    .map(|f| f.0.as_str())
                    .collect::<Vec<_>>()
                    .join("；"),
                failures
                    .iter()
                    .map(|f| f.1.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            ev,
        )
    }
}

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
