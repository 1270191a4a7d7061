//! PAM stacks as libpam runs them: the rules of one stack with `include`, `substack` and
//! `@include` followed in place, each control read as libpam reads it, and the probe that
//! asks whether a module is enforced on every path through the stack (`flow`).

mod flow;

use std::collections::HashMap;

use super::{content, evidence, Evidence, Outcome, Reason, Status};
use crate::host::{Host, Unread};
pub use flow::Wanted;
use flow::{flow, Flow};

/// What libpam does after a module returns (pam.conf(5), "value=action").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::probes) enum Action {
    Ok,
    Done,
    Bad,
    Die,
    Ignore,
    /// Skip the next N rules of this (sub)stack.
    Jump(usize),
}

/// One rule of a stack, includes followed.
pub(in crate::probes) struct PamRule {
    pub path: String,
    pub line: usize,
    pub text: String,
    pub module: String,
    pub args: Vec<String>,
    /// Substack depth: `done`/`die` and jumps stay inside their substack.
    pub level: usize,
    /// The action when the module succeeds, and the actions it may take when it fails
    /// (every failure code the control names, and `default`); `Err` with the control when
    /// it is not one libpam knows (or `reset`, which this analysis does not follow).
    pub control: Result<(Action, Vec<Action>), String>,
}

impl PamRule {
    /// The module's file name (`pam_unix.so` for `/lib/security/pam_unix.so`).
    pub fn name(&self) -> &str {
        self.module.rsplit('/').next().unwrap_or_default()
    }

    pub fn has_arg(&self, word: &str) -> bool {
        self.args.iter().any(|a| a == word)
    }

    pub fn evidence(&self) -> Evidence {
        evidence(&self.path, self.line, &self.text)
    }
}

fn action(word: &str) -> Option<Action> {
    Some(match word {
        "ok" => Action::Ok,
        "done" => Action::Done,
        "bad" => Action::Bad,
        "die" => Action::Die,
        "ignore" => Action::Ignore,
        n => Action::Jump(n.parse().ok().filter(|n| *n > 0)?),
    })
}

/// A control field: a keyword or `[value=action …]`. In brackets a value not named takes
/// `default`, and `default` not named is `bad` (libpam's pam_handlers.c).
pub(in crate::probes) fn control(word: &str) -> Result<(Action, Vec<Action>), String> {
    let bad = || word.to_string();
    match word {
        "required" => return Ok((Action::Ok, vec![Action::Bad])),
        "requisite" => return Ok((Action::Ok, vec![Action::Die])),
        "sufficient" => return Ok((Action::Done, vec![Action::Ignore])),
        "optional" => return Ok((Action::Ok, vec![Action::Ignore])),
        _ => {}
    }
    let inner = word
        .strip_prefix('[')
        .and_then(|w| w.strip_suffix(']'))
        .ok_or_else(bad)?;
    let mut pairs = HashMap::new();
    for pair in inner.split_whitespace() {
        let (value, act) = pair.split_once('=').ok_or_else(bad)?;
        pairs.insert(value, action(act).ok_or_else(bad)?);
    }
    let default = pairs.get("default").copied().unwrap_or(Action::Bad);
    let success = pairs.get("success").copied().unwrap_or(default);
    // A module that fails returns one of the error codes: any one the control names (an
    // `ignore` return is the module declining, not failing), else `default`.
    let mut failures: Vec<Action> = pairs
        .iter()
        .filter(|(k, _)| !matches!(**k, "success" | "ignore" | "default"))
        .map(|(_, a)| *a)
        .collect();
    failures.push(default);
    failures.sort_by_key(|a| format!("{a:?}"));
    failures.dedup();
    Ok((success, failures))
}

/// How many files one stack may read: a loop of includes stops there.
const MAX_READS: usize = 64;

/// The `stack` rules of /etc/pam.d/`service`, with `include`, `substack` and `@include`
/// followed in place (a PAM stack is a program: the order matters).
pub(in crate::probes) fn stack(
    host: &Host,
    service: &str,
    stack: &str,
    level: usize,
    reads: &mut usize,
    out: &mut Vec<PamRule>,
) -> Result<(), Unread> {
    let path = format!("/etc/pam.d/{service}");
    let text = host.read(&path)?;
    // Every file read counts, so includes that include each other end.
    *reads += 1;
    for (n, raw) in text.lines().enumerate() {
        let Some(line) = content(raw) else { continue };
        if let Some(other) = line.strip_prefix("@include") {
            if *reads < MAX_READS {
                self::stack(host, other.trim(), stack, level, reads, out)?;
            }
            continue;
        }
        let mut words = line.split_whitespace();
        let kind = words.next().unwrap_or_default();
        if kind.trim_start_matches('-') != stack {
            continue;
        }
        let after = line[kind.len()..].trim_start();
        // The control is a word or a bracketed list of `value=action`.
        let (control_word, rest) = if after.starts_with('[') {
            match after.find(']') {
                Some(end) => (&after[..=end], after[end + 1..].trim_start()),
                None => (after, ""),
            }
        } else {
            after.split_once(char::is_whitespace).unwrap_or((after, ""))
        };
        let mut words = rest.split_whitespace();
        let module = words.next().unwrap_or_default().to_string();
        if matches!(control_word, "include" | "substack") {
            let inner = level + usize::from(control_word == "substack");
            if *reads < MAX_READS {
                self::stack(host, &module, stack, inner, reads, out)?;
            }
            continue;
        }
        out.push(PamRule {
            path: path.clone(),
            line: n + 1,
            text: line.to_string(),
            module,
            args: words.map(str::to_string).collect(),
            level,
            control: control(control_word),
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

/// What the PAM probe asks of each service's stack.
pub struct PamQuery<'a> {
    pub services: &'a [String],
    pub stack: &'a str,
    pub want: Wanted<'a>,
    pub argument: Option<&'a str>,
    pub bounds: (Option<i64>, Option<i64>),
    pub settings: Option<&'a str>,
    pub superseded: &'a [String],
    pub fix: Option<&'a str>,
}

/// One service's findings, in both languages.
type Finding = (String, String);

pub fn pam(host: &Host, q: &PamQuery) -> Outcome {
    let module = q.want.module;
    let mut ev = Vec::new();
    let mut failures: Vec<Finding> = Vec::new();
    let mut undecided: Vec<Finding> = Vec::new();
    let mut read_any = false;
    for service in q.services {
        let mut rules = Vec::new();
        match stack(host, service, q.stack, 0, &mut 0, &mut rules) {
            Ok(()) => read_any = true,
            Err(Unread::Missing) => continue,
            Err(e) => return Outcome::unread(&format!("/etc/pam.d/{service}"), &e),
        }
        let ours: Vec<&PamRule> = rules.iter().filter(|r| r.name() == module).collect();
        let Some(rule) = ours.first() else {
            let older: Vec<&PamRule> = rules
                .iter()
                .filter(|r| q.superseded.iter().any(|m| m == r.name()))
                .collect();
            if let Some(first) = older.first() {
                let old = first.name();
                undecided.push((
                    format!("{service}：用的是 {old}（PAM 1.5 起已删除），本检查只分析 {module}，须人工核对其参数和位置"),
                    format!("{service}: uses {old} (removed in PAM 1.5); this check analyses {module} only, so its arguments and place are for a person to check"),
                ));
                ev.extend(older.iter().map(|r| r.evidence()));
                continue;
            }
            failures.push((
                format!("{service}：无 {module}"),
                format!("{service}: no {module}"),
            ));
            continue;
        };
        ev.extend(ours.iter().map(|r| r.evidence()));
        if let Some(mode) = q.want.counting {
            if !ours.iter().any(|r| r.has_arg(mode)) {
                failures.push((
                    format!("{service}：没有 {module} {mode}，失败的鉴别不被计数，永不锁定"),
                    format!("{service}: no {module} {mode}, so failed logins are never counted and nothing locks"),
                ));
            }
        }
        match flow(&rules, &q.want) {
            Flow::Enforced => {}
            Flow::Skipped {
                uncounted,
                path,
                missed,
            } => {
                let at = |lines: &[Evidence]| {
                    lines
                        .iter()
                        .filter_map(|e| {
                            let file = e.path.trim_start_matches("/etc/pam.d/");
                            e.line.map(|n| format!("{file}:{n}"))
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let (through, past) = (at(&path), at(&missed));
                let skipped_zh = if past.is_empty() {
                    String::new()
                } else {
                    format!("（越过 {past}）")
                };
                let skipped_en = if past.is_empty() {
                    String::new()
                } else {
                    format!(" (past {past})")
                };
                let counting = q.want.counting.unwrap_or_default();
                failures.push(if uncounted {
                    (
                        format!("{service}：口令校验失败后，经 {through} 的路径未运行 {module} {counting} 即返回{skipped_zh}，失败不被计数"),
                        format!("{service}: after a failed password check the path through {through} returns without {module} {counting}{skipped_en}, so the failure is not counted"),
                    )
                } else {
                    (
                        format!("{service}：经 {through} 的路径鉴别成功而不经过 {module}{skipped_zh}（跳转或 sufficient 越过了它）"),
                        format!("{service}: the path through {through} succeeds without {module}{skipped_en} (a jump or a sufficient module skips it)"),
                    )
                });
                ev.extend(path);
                ev.extend(missed);
            }
            Flow::Undecided { zh, en, lines } => {
                undecided.push((format!("{service}：{zh}"), format!("{service}: {en}")));
                ev.extend(lines);
            }
        }
        let Some(name) = q.argument else { continue };
        let (value, from) = match arg_value(&rule.args, name) {
            Some(v) => (Some(v), None),
            None => match q.settings.and_then(|s| settings_value(host, s, name)) {
                Some((v, e)) => (Some(v), Some(e)),
                None => (None, None),
            },
        };
        ev.extend(from);
        let (lo, hi) = q.bounds;
        match value.as_deref().map(str::parse::<i64>) {
            Some(Ok(n)) if lo.is_none_or(|m| n >= m) && hi.is_none_or(|m| n <= m) => {}
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
    }
    // Each line once, in file order.
    let mut unique = Vec::new();
    for e in ev {
        if !unique.contains(&e) {
            unique.push(e);
        }
    }
    let mut ev = unique;
    ev.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    if !read_any {
        return Outcome::new(
            Status::Unknown,
            format!(
                "未找到 PAM 配置 {} / no PAM configuration for {}",
                q.services.join(", "),
                q.services.join(", ")
            ),
            ev,
        );
    }
    let bound = match q.bounds {
        (Some(a), Some(b)) => format!(" {a}–{b}"),
        (Some(a), None) => format!(" ≥ {a}"),
        (None, Some(b)) => format!(" ≤ {b}"),
        _ => String::new(),
    };
    let want = match q.argument {
        Some(a) => format!("{module} {a}{bound}"),
        None => module.to_string(),
    };
    let joined = |list: &[Finding]| {
        (
            list.iter()
                .map(|f| f.0.as_str())
                .collect::<Vec<_>>()
                .join("；"),
            list.iter()
                .map(|f| f.1.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        )
    };
    let stack_name = q.stack;
    if !failures.is_empty() {
        let (zh, en) = joined(&failures);
        let mut reason = Reason::new(
            format!("要求 {want}；{zh}"),
            format!("required {want}; {en}"),
        );
        if let Some((fix_zh, fix_en)) = q.fix.and_then(|f| f.split_once(" / ")) {
            reason = reason.and(format!("修改：{fix_zh}"), format!("fix: {fix_en}"));
        }
        return Outcome::new(Status::Fail, reason.text(), ev);
    }
    if !undecided.is_empty() {
        let (zh, en) = joined(&undecided);
        return Outcome::new(Status::Unknown, format!("{zh} / {en}"), ev);
    }
    Outcome::new(
        Status::Pass,
        format!("{stack_name} 栈的每条成功路径都经过 {want} / every path through the {stack_name} stack that succeeds runs {want}"),
        ev,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_read_as_libpam_reads_them() {
        use Action::{Bad, Done, Ignore, Jump};
        assert_eq!(control("sufficient"), Result::Ok((Done, vec![Ignore])));
        assert_eq!(
            control("[success=1 default=ignore]"),
            Result::Ok((Jump(1), vec![Ignore]))
        );
        // `default` unnamed is `bad`; a named error code is one more way to fail.
        assert_eq!(
            control("[success=ok user_unknown=ignore]"),
            Result::Ok((Action::Ok, vec![Bad, Ignore]))
        );
        assert!(control("[success=reset]").is_err());
        assert!(control("[success=1 default=ignore").is_err());
        assert!(control("mandatory").is_err());
    }
}
