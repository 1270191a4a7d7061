//! One Windows probe on the exports: the status, why (`中文 / English`), and the lines
//! that decided it. What was not handed over is `unknown`, naming the file and the
//! command that writes it.

use super::export::{self, Export, Loaded, RegHit, AUDITPOL, SECEDIT, SERVICES};
use super::secedit::{holders, unquote, Inf};
use super::{registry, Line, ServiceExpect, WinPass, WindowsProbe};
use crate::probes::{Evidence, Outcome, Status};

pub fn evaluate(probe: &WindowsProbe, export: &Export) -> Outcome {
    match probe {
        // A bound may rise on a day (`raised`): the one in force on the day of the check.
        WindowsProbe::Secedit { section, key, pass } => {
            secedit_key(export, section, key, &pass.on(export.as_of))
        }
        WindowsProbe::Privilege {
            right,
            allowed,
            required,
            separate_from,
        } => privilege(export, right, allowed, required, separate_from),
        WindowsProbe::Audit {
            subcategory,
            guid,
            success,
            failure,
        } => audit(export, subcategory, guid, *success, *failure),
        WindowsProbe::Registry {
            key,
            value,
            default,
            unset_unknown,
            pass,
        } => {
            let pass = pass.on(export.as_of);
            registry_value(
                export,
                key,
                value,
                default.as_deref(),
                *unset_unknown,
                &pass,
            )
        }
        WindowsProbe::Services { names, expect } => services(export, names, *expect),
        WindowsProbe::AnyOf { probes } => any_of(probes, export),
    }
}

fn outcome(status: Status, zh: String, en: String, evidence: Vec<Evidence>) -> Outcome {
    Outcome {
        status,
        reason: format!("{zh} / {en}"),
        evidence,
        needs_root: false,
    }
}

fn cite(file: &str, line: &Line) -> Evidence {
    Evidence {
        path: file.to_string(),
        line: Some(line.number),
        text: line.text.clone(),
    }
}

/// The file a probe needs, or the `unknown` that says why it is not there.
fn need<'a, T>(
    loaded: &'a Loaded<T>,
    (name, command): (&str, &str),
) -> Result<(&'a str, &'a T), Outcome> {
    match loaded {
        Loaded::Read { file, content } => Ok((file, content)),
        Loaded::Missing => Err(outcome(
            Status::Unknown,
            format!("未提供 {name}：请在该服务器上以管理员身份运行 `{command}`"),
            format!("{name} was not handed over: run `{command}` as administrator on the server"),
            Vec::new(),
        )),
        Loaded::Bad { file, why } => {
            let (zh, en) = why.split_once(" / ").unwrap_or((why, why));
            Err(outcome(
                Status::Unknown,
                format!("{file}：{zh}；请重新运行 `{command}`"),
                format!("{file}: {en}; run `{command}` again"),
                Vec::new(),
            ))
        }
    }
}

fn secedit_key(export: &Export, section: &str, key: &str, pass: &WinPass) -> Outcome {
    let (file, inf) = match need(&export.secedit, SECEDIT) {
        Ok(x) => x,
        Err(o) => return o,
    };
    let Some(entry) = inf.get(section, key) else {
        let evidence = inf.section(section).map(|s| cite(file, &s.header));
        return outcome(
            Status::Fail,
            format!(
                "`[{section}]` 未设置 `{key}`（要求 {}）",
                pass.describe_zh()
            ),
            format!(
                "[{section}] does not set {key} (required: {})",
                pass.describe_en()
            ),
            evidence.into_iter().collect(),
        );
    };
    let v = unquote(&entry.value);
    let ok = pass.accepts(v);
    outcome(
        if ok { Status::Pass } else { Status::Fail },
        format!("`{key} = {v}`（要求 {}）", pass.describe_zh()),
        format!("{key} = {v} (required: {})", pass.describe_en()),
        vec![cite(file, &entry.line)],
    )
}

fn privilege(
    export: &Export,
    right: &str,
    allowed: &[String],
    required: &[String],
    separate_from: &[String],
) -> Outcome {
    let (file, inf): (&str, &Inf) = match need(&export.secedit, SECEDIT) {
        Ok(x) => x,
        Err(o) => return o,
    };
    let Some(section) = inf.section("Privilege Rights") else {
        return outcome(
            Status::Unknown,
            format!("{file} 没有 `[Privilege Rights]` 节，无法判断 `{right}` 的持有者"),
            format!("{file} has no [Privilege Rights] section: who holds {right} is not known"),
            Vec::new(),
        );
    };
    let entry = section
        .entries
        .iter()
        .find(|e| e.key.eq_ignore_ascii_case(right));
    let held = entry.map(|e| holders(&e.value)).unwrap_or_default();
    let line = entry.map_or(&section.header, |e| &e.line);
    let is_in = |h: &str, list: &[String]| list.iter().any(|a| a.eq_ignore_ascii_case(h));
    let extra: Vec<&str> = held
        .iter()
        .filter(|h| !allowed.is_empty() && !is_in(h, allowed))
        .map(String::as_str)
        .collect();
    let lacking: Vec<&str> = required
        .iter()
        .filter(|r| !is_in(r, &held))
        .map(String::as_str)
        .collect();
    let separate = separate_from.is_empty() || held.iter().any(|h| !is_in(h, separate_from));
    let who = if held.is_empty() {
        "—".to_string()
    } else {
        held.join(", ")
    };
    let (status, zh, en) = if !extra.is_empty() {
        (
            Status::Fail,
            format!(
                "`{right}` 授予了 `{}`（只应授予 `{}`）",
                extra.join(", "),
                allowed.join(", ")
            ),
            format!(
                "{right} is granted to {} (only {} should hold it)",
                extra.join(", "),
                allowed.join(", ")
            ),
        )
    } else if !lacking.is_empty() {
        (
            Status::Fail,
            format!(
                "`{right}` 未包含 `{}`（持有者：`{who}`）",
                lacking.join(", ")
            ),
            format!(
                "{right} does not include {} (holders: {who})",
                lacking.join(", ")
            ),
        )
    } else if !separate {
        (
            Status::Fail,
            format!("`{right}` 只由 `{who}` 持有，没有单独的角色（如审计管理员）"),
            format!(
                "{right} is held by {who} only, not by a separate role (an audit administrator)"
            ),
        )
    } else {
        (
            Status::Pass,
            format!("`{right}` 的持有者：`{who}`"),
            format!("{right} holders: {who}"),
        )
    };
    outcome(status, zh, en, vec![cite(file, line)])
}

fn audit(export: &Export, name: &str, guid: &str, success: bool, failure: bool) -> Outcome {
    let (file, rows) = match need(&export.auditpol, AUDITPOL) {
        Ok(x) => x,
        Err(o) => return o,
    };
    let want = match (success, failure) {
        (true, true) => ("成功和失败", "Success and Failure"),
        (true, false) => ("成功", "Success"),
        _ => ("失败", "Failure"),
    };
    let Some(row) = rows.iter().find(|r| r.guid.eq_ignore_ascii_case(guid)) else {
        return outcome(
            Status::Fail,
            format!("{file} 中没有 `{name}` {guid}：未审核（要求 {}）", want.0),
            format!(
                "{name} {guid} is not in {file}: not audited (required: {})",
                want.1
            ),
            Vec::new(),
        );
    };
    let Some(setting) = row.setting else {
        return outcome(
            Status::Unknown,
            format!("`{name}` 的 `Setting Value` 不是 0–3"),
            format!("the Setting Value of {name} is not 0–3"),
            vec![cite(file, &row.line)],
        );
    };
    let ok = (!success || setting & 1 == 1) && (!failure || setting & 2 == 2);
    let has = [
        "无审核 / No Auditing",
        "成功 / Success",
        "失败 / Failure",
        "成功和失败 / Success and Failure",
    ]
    .get(usize::from(setting))
    .and_then(|s| s.split_once(" / "))
    .unwrap_or(("?", "?"));
    outcome(
        if ok { Status::Pass } else { Status::Fail },
        format!("`{name}`：{}（要求 {}）", has.0, want.0),
        format!("{name}: {} (required: {})", has.1, want.1),
        vec![cite(file, &row.line)],
    )
}

fn registry_value(
    export: &Export,
    key: &str,
    name: &str,
    default: Option<&str>,
    unset_unknown: bool,
    pass: &WinPass,
) -> Outcome {
    let k = registry::normalise(key);
    let judged = |data: &str, evidence: Vec<Evidence>, how: (&str, &str)| {
        let ok = pass.accepts(data);
        outcome(
            if ok { Status::Pass } else { Status::Fail },
            format!("`{name} = {data}`{}（要求 {}）", how.0, pass.describe_zh()),
            format!(
                "{name} = {data}{} (required: {})",
                how.1,
                pass.describe_en()
            ),
            evidence,
        )
    };
    match export.registry(&k, name) {
        RegHit::Reg { file, key, value } => judged(
            &value.data,
            vec![cite(file, &key.header), cite(file, &value.line)],
            ("", ""),
        ),
        RegHit::Secedit { file, entry, data } => {
            judged(&data, vec![cite(file, &entry.line)], ("", ""))
        }
        RegHit::Unset { file, line } => {
            let evidence = vec![cite(file, line)];
            match default {
                _ if unset_unknown => outcome(
                    Status::Unknown,
                    format!("`{key}` 下未设置 `{name}`，其效果取决于导出中看不到的内容"),
                    format!("{name} is not set under {key}; what that means depends on what the exports do not show"),
                    evidence,
                ),
                Some(d) => judged(d, evidence, ("（未设置，取 Windows 默认值）", " (not set: the Windows default)")),
                None => outcome(
                    Status::Fail,
                    format!("`{key}` 下未设置 `{name}`（要求 {}）", pass.describe_zh()),
                    format!("{name} is not set under {key} (required: {})", pass.describe_en()),
                    evidence,
                ),
            }
        }
        RegHit::NotExported => {
            let (root, file) = export::reg_export_for(&k).unwrap_or((key, "export.reg"));
            outcome(
                Status::Unknown,
                format!("未提供 `{key}` 的注册表导出：请运行 `reg export \"{root}\" {file}`"),
                format!("no registry export covers {key}: run `reg export \"{root}\" {file}`"),
                Vec::new(),
            )
        }
    }
}

fn services(export: &Export, names: &[String], expect: ServiceExpect) -> Outcome {
    let (file, (header, rows)) = match need(&export.services, SERVICES) {
        Ok(x) => x,
        Err(o) => return o,
    };
    let found: Vec<_> = rows
        .iter()
        .filter(|r| names.iter().any(|n| n.eq_ignore_ascii_case(&r.name)))
        .collect();
    let list = names.join(", ");
    let cited = |rows: &[&super::csv::ServiceRow]| -> Vec<Evidence> {
        if rows.is_empty() {
            vec![cite(file, header)]
        } else {
            rows.iter().map(|r| cite(file, &r.line)).collect()
        }
    };
    match expect {
        ServiceExpect::Stopped => {
            let bad: Vec<_> = found
                .iter()
                .copied()
                .filter(|r| r.running() || r.automatic())
                .collect();
            if !bad.is_empty() {
                let which: Vec<&str> = bad.iter().map(|r| r.name.as_str()).collect();
                outcome(
                    Status::Fail,
                    format!("`{}` 正在运行或设为自动启动", which.join(", ")),
                    format!("{} is running or starts automatically", which.join(", ")),
                    cited(&bad),
                )
            } else if found.is_empty() {
                outcome(
                    Status::Pass,
                    format!("{file} 中没有 `{list}`（未安装）"),
                    format!("{list}: not in {file} (not installed)"),
                    cited(&[]),
                )
            } else {
                outcome(
                    Status::Pass,
                    format!("`{list}` 已停止且不自动启动"),
                    format!("{list}: stopped and not started automatically"),
                    cited(&found),
                )
            }
        }
        ServiceExpect::Running => match found.iter().find(|r| r.running()) {
            Some(r) => outcome(
                Status::Pass,
                format!("`{}` 正在运行", r.name),
                format!("{} is running", r.name),
                vec![cite(file, &r.line)],
            ),
            None => outcome(
                Status::Fail,
                format!("`{list}` 均未运行"),
                format!("none of {list} is running"),
                cited(&found),
            ),
        },
    }
}

/// Passes when one probe passes; otherwise `unknown` when one is, else `fail`, with every
/// probe's reason and lines.
fn any_of(probes: &[WindowsProbe], export: &Export) -> Outcome {
    let all: Vec<Outcome> = probes.iter().map(|p| evaluate(p, export)).collect();
    if let Some(pass) = all.iter().find(|o| o.status == Status::Pass) {
        return pass.clone();
    }
    let status = if all.iter().any(|o| o.status == Status::Unknown) {
        Status::Unknown
    } else {
        Status::Fail
    };
    let (zh, en): (Vec<&str>, Vec<&str>) = all
        .iter()
        .map(|o| o.reason.split_once(" / ").unwrap_or((&o.reason, &o.reason)))
        .unzip();
    outcome(
        status,
        zh.join("；"),
        en.join("; "),
        all.iter().flat_map(|o| o.evidence.clone()).collect(),
    )
}
