//! Settings files: sshd_config (first value wins, Include, Match), `KEY VALUE` files, sysctl
//! and read-only shell variables.

use super::{content, evidence, wanted, Evidence, Outcome, Reason, Status};
use crate::host::{Host, Unread};
use crate::rules::{Pass, Wins};

const SSHD_CONFIG: &str = "/etc/ssh/sshd_config";

/// One effective sshd line: where it is and its value.
struct SshdLine {
    path: String,
    line: usize,
    text: String,
    value: String,
    in_match: bool,
}

/// sshd's reading of its config for `keyword`: `Include` expands in place (relative paths
/// under /etc/ssh, globs in lexical order); after a `Match`, lines apply only to matching
/// connections until the next `Match`.
fn sshd_lines(
    host: &Host,
    path: &str,
    keyword: &str,
    reads: &mut usize,
    in_match: &mut bool,
    out: &mut Vec<SshdLine>,
    bad: &mut Option<Evidence>,
) -> Result<(), Unread> {
    let text = host.read(path)?;
    // Every file read counts, so Includes that include each other end.
    *reads += 1;
    for (n, raw) in text.lines().enumerate() {
        let Some(line) = content(raw) else { continue };
        let mut words = line.splitn(2, |c: char| c.is_whitespace() || c == '=');
        let key = words.next().unwrap_or_default();
        let rest = words
            .next()
            .unwrap_or_default()
            .trim()
            .trim_start_matches('=')
            .trim();
        // sshd refuses to start on a line that is not `Keyword value`: such a file is not
        // what the running sshd read.
        let keyword_like = key.starts_with(|c: char| c.is_ascii_alphabetic())
            && key.chars().all(|c| c.is_ascii_alphanumeric());
        if bad.is_none() && (!keyword_like || rest.is_empty()) {
            *bad = Some(evidence(path, n + 1, line));
        }
        if key.eq_ignore_ascii_case("Match") {
            *in_match = !rest.eq_ignore_ascii_case("all");
            continue;
        }
        if key.eq_ignore_ascii_case("Include") && *reads < 64 {
            for arg in rest.split_whitespace() {
                let full = if arg.starts_with('/') {
                    arg.to_string()
                } else {
                    format!("/etc/ssh/{arg}")
                };
                for file in host.expand(&full) {
                    // An unreadable drop-in leaves sshd's view unknown: say so.
                    sshd_lines(host, &file, keyword, reads, in_match, out, bad)?;
                }
            }
            continue;
        }
        if key.eq_ignore_ascii_case(keyword) {
            out.push(SshdLine {
                path: path.to_string(),
                line: n + 1,
                text: line.to_string(),
                value: rest
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                in_match: *in_match,
            });
        }
    }
    Ok(())
}

pub fn sshd(host: &Host, keyword: &str, default: &str, pass: &Pass) -> Outcome {
    let mut lines = Vec::new();
    let mut in_match = false;
    let mut bad = None;
    let read = sshd_lines(
        host,
        SSHD_CONFIG,
        keyword,
        &mut 0,
        &mut in_match,
        &mut lines,
        &mut bad,
    );
    if let Err(e) = read {
        return match e {
            Unread::Missing => Outcome::new(
                Status::NotApplicable,
                format!("未安装 OpenSSH 服务端（无 {SSHD_CONFIG}） / no OpenSSH server ({SSHD_CONFIG} absent)"),
                Vec::new(),
            ),
            e => Outcome::unread(SSHD_CONFIG, &e),
        };
    }
    if let Some(e) = bad {
        let at = format!("{}:{}", e.path, e.line.unwrap_or_default());
        return Outcome::new(
            Status::Unknown,
            format!("{at} 不是 sshd 配置行，sshd 会拒绝此文件，读到的不是运行中的配置 / {at} is not an sshd_config line: sshd would refuse this file, so it is not what the running sshd read"),
            vec![e],
        );
    }
    let global = lines.iter().find(|l| !l.in_match);
    let matched: Vec<Evidence> = lines
        .iter()
        .filter(|l| l.in_match)
        .map(|l| evidence(&l.path, l.line, &l.text))
        .collect();
    let (value, mut ev) = match global {
        Some(l) => (l.value.clone(), vec![evidence(&l.path, l.line, &l.text)]),
        None => (
            default.to_string(),
            vec![Evidence {
                path: SSHD_CONFIG.into(),
                line: None,
                text: format!("{keyword} 未设置，取 OpenSSH 默认值 {default} / not set: OpenSSH's default {default}"),
            }],
        ),
    };
    let ok = match pass.accepts(&value) {
        Ok(ok) => ok,
        Err(_) => {
            let why =
                format!("{keyword} 的值 {value:?} 不是数字 / {keyword}: {value:?} is not a number");
            return Outcome::new(Status::Fail, why, ev);
        }
    };
    let need = pass.describe();
    let mut reason = Reason::new(
        format!("{keyword} 的生效值为 {value}，要求 {need}"),
        format!("{keyword} is {value}; required {need}"),
    );
    let fix = format!("{keyword} {}", wanted(pass, &value));
    if !ok {
        // sshd takes the first value: the line that decided is the one to change.
        reason = match global {
            Some(l) => reason.and(
                format!(
                    "修改：把 {} 第 {} 行改为 `{fix}`（sshd 取第一个值）",
                    l.path, l.line
                ),
                format!(
                    "fix: change line {} of {} to `{fix}` (sshd takes the first value)",
                    l.line, l.path
                ),
            ),
            None => reason.and(
                format!("修改：在 {SSHD_CONFIG} 的 Include 和 Match 之前加入 `{fix}`"),
                format!("fix: add `{fix}` to {SSHD_CONFIG} before its Include and Match lines"),
            ),
        };
    }
    let status = if ok { Status::Pass } else { Status::Fail };
    if !matched.is_empty() {
        ev.extend(matched);
        let bad = lines
            .iter()
            .find(|l| l.in_match && !pass.accepts(&l.value).unwrap_or(false));
        if let (true, Some(l)) = (ok, bad) {
            let reason = reason.and(
                format!("但 Match 块为部分连接另设了 {}（{}:{}），修改：删除或改为 `{fix}`", l.value, l.path, l.line),
                format!("but a Match block sets {} for some connections ({}:{}); fix: remove it or make it `{fix}`", l.value, l.path, l.line),
            );
            return Outcome::new(Status::Fail, reason.text(), ev);
        }
        // A Match block may set another value for some connections.
        reason = reason.and(
            "Match 块对部分连接另有设置，须逐一核对",
            "a Match block sets it for some connections: check those",
        );
    }
    Outcome::new(status, reason.text(), ev)
}

/// `KEY VALUE` / `KEY=VALUE` / `KEY = VALUE` in the files (globs expanded).
pub fn setting(
    host: &Host,
    files: &[String],
    key: &str,
    wins: Wins,
    default: Option<&str>,
    missing_ok: bool,
    pass: &Pass,
) -> Outcome {
    let mut found: Vec<(String, Evidence)> = Vec::new();
    let mut unread = None;
    // The first line that is no `KEY VALUE`: a file with one is not read as passing.
    let mut garbled: Option<Evidence> = None;
    let any_file = files
        .iter()
        .any(|p| host.expand(p).iter().any(|f| host.exists(f)));
    if missing_ok && !any_file {
        return Outcome::new(
            Status::NotApplicable,
            format!(
                "{} 均不存在（未安装） / none exists (not installed)",
                files.join(" ")
            ),
            Vec::new(),
        );
    }
    for pattern in files {
        for path in host.expand(pattern) {
            let text = match host.read(&path) {
                Ok(t) => t,
                Err(Unread::Missing) => continue,
                Err(e) => {
                    unread.get_or_insert((path.clone(), e));
                    continue;
                }
            };
            for (n, raw) in text.lines().enumerate() {
                let Some(line) = content(raw) else { continue };
                let (k, v) = match line.split_once('=') {
                    Some((k, v)) if !k.trim().contains(char::is_whitespace) => (k.trim(), v.trim()),
                    _ => line
                        .split_once(char::is_whitespace)
                        .map(|(k, v)| (k.trim(), v.trim()))
                        // A bare word is a flag (pwquality's `enforce_for_root`).
                        .unwrap_or((line, "")),
                };
                let key_like = !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
                if !key_like {
                    garbled.get_or_insert_with(|| evidence(&path, n + 1, line));
                    continue;
                }
                if k == key {
                    let v = v.trim_matches('"').to_string();
                    found.push((v, evidence(&path, n + 1, line)));
                }
            }
        }
    }
    let chosen = match wins {
        Wins::First => found.first(),
        Wins::Last => found.last(),
    };
    let (value, ev) = match (chosen, default, &unread) {
        (Some((v, e)), _, _) => (v.clone(), vec![e.clone()]),
        (None, _, Some((path, e))) => return Outcome::unread(path, e),
        (None, Some(d), None) => (
            d.to_string(),
            vec![Evidence {
                path: files.join(" "),
                line: None,
                text: format!("{key} 未设置，取默认值 {d} / not set: default {d}"),
            }],
        ),
        (None, None, None) => {
            let (zh, en) = add_setting(host, files, key, &wanted(pass, ""));
            return Outcome::new(
                Status::Fail,
                Reason::new(format!("{key} 未设置"), format!("{key} is not set"))
                    .and(zh, en)
                    .text(),
                vec![Evidence {
                    path: files.join(" "),
                    line: None,
                    text: format!("{key}: 无 / none"),
                }],
            );
        }
    };
    if let (Ok(true), Some(e)) = (pass.accepts(&value), garbled) {
        let at = format!("{}:{}", e.path, e.line.unwrap_or_default());
        return Outcome::new(
            Status::Unknown,
            format!("{key} = {value}，但 {at} 不是“键 值”格式的设置行，文件可能已损坏 / {key} = {value}, but {at} is not a KEY VALUE line: the file may be damaged"),
            vec![e],
        );
    }
    match pass.accepts(&value) {
        Ok(ok) => {
            let need = pass.describe();
            let reason = Reason::new(
                format!("{key} = {value}，要求 {need}"),
                format!("{key} = {value}; required {need}"),
            );
            if ok {
                return Outcome::new(Status::Pass, reason.text(), ev);
            }
            // The line that decided, in its own form (login.defs: `KEY VALUE`; the others
            // `key = value` or `KEY=VALUE`), else the first file in the form it takes.
            let v = wanted(pass, &value);
            let reason = match chosen {
                Some((_, e)) => {
                    let spaced = e
                        .text
                        .split_once('=')
                        .map(|(k, _)| (k.ends_with(' '), true));
                    let fix = match spaced {
                        Some((true, _)) => format!("{key} = {v}"),
                        Some((false, _)) => format!("{key}={v}"),
                        None => format!("{key} {v}"),
                    };
                    let (path, line) = (&e.path, e.line.unwrap_or_default());
                    reason.and(
                        format!("修改：把 {path} 第 {line} 行改为 `{fix}`"),
                        format!("fix: change line {line} of {path} to `{fix}`"),
                    )
                }
                None => {
                    let (zh, en) = add_setting(host, files, key, &v);
                    reason.and(zh, en)
                }
            };
            Outcome::new(Status::Fail, reason.text(), ev)
        }
        Err(_) => Outcome::new(
            Status::Fail,
            format!("{key} 的值 {value:?} 不是数字 / {key}: {value:?} is not a number"),
            ev,
        ),
    }
}

/// The fix for a setting no line sets: where to add it (the file of `files` that is there —
/// vsftpd's is in /etc or /etc/vsftpd — else the first) in that file's form.
fn add_setting(host: &Host, files: &[String], key: &str, value: &str) -> (String, String) {
    let file = files
        .iter()
        .flat_map(|p| host.expand(p))
        .find(|f| host.exists(f))
        .or_else(|| files.first().cloned())
        .unwrap_or_default();
    let fix = if file.ends_with("login.defs") {
        format!("{key} {value}")
    } else {
        format!("{key}={value}")
    };
    (
        format!("修改：在 {file} 中设置 `{fix}`"),
        format!("fix: set `{fix}` in {file}"),
    )
}

/// The files systemd-sysctl reads, in its order: drop-ins from /usr/lib, /run and /etc by
/// file name (a name in /etc hides the same name elsewhere), then /etc/sysctl.conf.
fn sysctl_files(host: &Host) -> Vec<String> {
    let mut by_name: std::collections::BTreeMap<String, String> = Default::default();
    for dir in ["/usr/lib/sysctl.d", "/run/sysctl.d", "/etc/sysctl.d"] {
        for path in host.expand(&format!("{dir}/*.conf")) {
            let name = path.rsplit('/').next().unwrap_or_default().to_string();
            by_name.insert(name, path);
        }
    }
    let mut files: Vec<String> = by_name.into_values().collect();
    files.push("/etc/sysctl.conf".into());
    files
}

pub fn sysctl(host: &Host, key: &str, pass: &Pass) -> Outcome {
    let mut configured: Option<(String, Evidence)> = None;
    for path in sysctl_files(host) {
        let Ok(text) = host.read(&path) else { continue };
        for (n, raw) in text.lines().enumerate() {
            let Some(line) = content(raw) else { continue };
            let Some((k, v)) = line.split_once('=') else {
                continue;
            };
            // sysctl accepts both dots and slashes as separators.
            if k.trim().trim_start_matches('-').replace('/', ".") == key {
                configured = Some((v.trim().to_string(), evidence(&path, n + 1, line)));
            }
        }
    }
    let running = host
        .live
        .then(|| {
            let proc = format!("/proc/sys/{}", key.replace('.', "/"));
            host.read(&proc).ok().map(|v| (v.trim().to_string(), proc))
        })
        .flatten();
    let mut ev: Vec<Evidence> = configured.iter().map(|(_, e)| e.clone()).collect();
    if let Some((v, proc)) = &running {
        ev.push(Evidence {
            path: proc.clone(),
            line: None,
            text: format!("{key} = {v}（运行值 / running）"),
        });
    }
    // On the live host the running value is what protects it now; under --root only the
    // configuration can be seen.
    let (value, zh_source, en_source) = match (&running, &configured) {
        (Some((v, _)), _) => (v.clone(), "运行值", "running value"),
        (None, Some((v, _))) => (v.clone(), "配置值", "configured value"),
        (None, None) => {
            return Outcome::new(
                Status::Unknown,
                format!("{key} 未在 sysctl 配置中设置，挂载的根目录看不到内核默认值 / {key} is not configured and a mounted root cannot show the kernel's default"),
                ev,
            )
        }
    };
    let ok = pass.accepts(&value).unwrap_or(false);
    let need = pass.describe();
    let mut reason = Reason::new(
        format!("{key} = {value}（{zh_source}），要求 {need}"),
        format!("{key} = {value} ({en_source}); required {need}"),
    );
    if let (Some((r, _)), Some((c, _))) = (&running, &configured) {
        if r != c {
            reason = reason.and(
                format!("配置值 {c} 与运行值不同"),
                format!("configured {c} differs from running"),
            );
        }
    } else if running.is_some() && ok {
        reason = reason.and(
            "未写入 sysctl 配置，重启后可能失效",
            "not in the sysctl configuration: may not survive a reboot",
        );
    }
    if !ok {
        let fix = format!("{key} = {}", wanted(pass, &value));
        reason = match &configured {
            Some((_, e)) => {
                let (path, line) = (&e.path, e.line.unwrap_or_default());
                reason.and(
                    format!("修改：把 {path} 第 {line} 行改为 `{fix}`，再执行 `sysctl --system`"),
                    format!(
                        "fix: change line {line} of {path} to `{fix}` and run `sysctl --system`"
                    ),
                )
            }
            None => reason.and(
                format!("修改：在 /etc/sysctl.d/ 下的文件中写入 `{fix}`，再执行 `sysctl --system`"),
                format!(
                    "fix: write `{fix}` in a file under /etc/sysctl.d/ and run `sysctl --system`"
                ),
            ),
        };
    }
    Outcome::new(
        if ok { Status::Pass } else { Status::Fail },
        reason.text(),
        ev,
    )
}

/// `TMOUT=600` (optionally `export`/`readonly`/`declare -r`) and the variable made read-only,
/// so a user cannot unset the idle timeout.
pub fn shell_readonly(host: &Host, variable: &str, files: &[String], pass: &Pass) -> Outcome {
    let assign = regex::Regex::new(&format!(
        r"^(?:export\s+|readonly\s+|declare\s+-[a-zA-Z]*\s+|typeset\s+-[a-zA-Z]*\s+)?{}=([0-9]+)",
        regex::escape(variable)
    ));
    let protect = regex::Regex::new(&format!(
        r"^(?:readonly|declare\s+-[a-zA-Z]*r[a-zA-Z]*|typeset\s+-[a-zA-Z]*r[a-zA-Z]*)\s+(?:[A-Za-z_]+\s+)*{}\b",
        regex::escape(variable)
    ));
    let (Ok(assign), Ok(protect)) = (assign, protect) else {
        return Outcome::new(
            Status::Unknown,
            format!("{variable}: 规则无效 / invalid rule"),
            Vec::new(),
        );
    };
    let mut value: Option<(String, Evidence)> = None;
    let mut readonly: Option<Evidence> = None;
    for pattern in files {
        for path in host.expand(pattern) {
            let Ok(text) = host.read(&path) else { continue };
            for (n, raw) in text.lines().enumerate() {
                let Some(line) = content(raw) else { continue };
                if let Some(c) = assign.captures(line) {
                    value = Some((c[1].to_string(), evidence(&path, n + 1, line)));
                }
                if protect.is_match(line) {
                    readonly = Some(evidence(&path, n + 1, line));
                }
            }
        }
    }
    let mut ev: Vec<Evidence> = value.iter().map(|(_, e)| e.clone()).collect();
    ev.extend(readonly.clone());
    let v = wanted(pass, value.as_ref().map_or("", |(v, _)| v.as_str()));
    let fix_zh = format!(
        "修改：在 /etc/profile.d/ 下的脚本中写入 `{variable}={v}` 和 `readonly {variable}`"
    );
    let fix_en = format!(
        "fix: put `{variable}={v}` and `readonly {variable}` in a script under /etc/profile.d/"
    );
    match value {
        None => Outcome::new(
            Status::Fail,
            Reason::new(
                format!("登录配置中未设置 {variable}"),
                format!("{variable} is not set in the login profiles"),
            )
            .and(fix_zh, fix_en)
            .text(),
            ev,
        ),
        Some((v, _)) if !pass.accepts(&v).unwrap_or(false) => Outcome::new(
            Status::Fail,
            Reason::new(
                format!("{variable} = {v}，要求 {}", pass.describe()),
                format!("{variable} = {v}; required {}", pass.describe()),
            )
            .and(fix_zh, fix_en)
            .text(),
            ev,
        ),
        Some((v, _)) if readonly.is_none() => Outcome::new(
            Status::Fail,
            Reason::new(
                format!("{variable} = {v}，但未设为只读，用户可自行取消"),
                format!("{variable} = {v}, not read-only: a user can unset it"),
            )
            .and(
                format!("修改：在设置它的脚本中加入 `readonly {variable}`"),
                format!("fix: add `readonly {variable}` to the script that sets it"),
            )
            .text(),
            ev,
        ),
        Some((v, _)) => Outcome::new(
            Status::Pass,
            format!("{variable} = {v}，只读 / {variable} = {v}, read-only"),
            ev,
        ),
    }
}
