//! One rule on one configuration: the status, why (`中文 / English`), and the lines that
//! decided it, secrets masked. A `pass` always carries lines: the ones found, or for an
//! absence, where it looked.

use regex::Regex;

use super::mask::mask;
use super::{Absent, Blocks, DeviceConfig, Expect, Line, Rule};
use crate::probes::{Evidence, Outcome, Status};

/// Evidence lines kept per check (a configuration with 48 access ports would list them all).
const MAX_EVIDENCE: usize = 12;

/// A finding before its reason is joined: `zh` and `en` kept apart so that `all` can join
/// each language on its own.
struct Found {
    status: Status,
    zh: String,
    en: String,
    evidence: Vec<Evidence>,
}

fn found(status: Status, zh: String, en: String, evidence: Vec<Evidence>) -> Found {
    Found {
        status,
        zh,
        en,
        evidence,
    }
}

pub fn evaluate(rule: &Rule, config: &DeviceConfig) -> Outcome {
    let mut f = rule_on(rule, config);
    f.evidence.truncate(MAX_EVIDENCE);
    Outcome {
        status: f.status,
        reason: format!("{} / {}", f.zh, f.en),
        evidence: f.evidence,
        needs_root: false,
    }
}

fn compile(p: &str) -> Result<Regex, Found> {
    Regex::new(p).map_err(|e| {
        found(
            Status::Unknown,
            "规则中的正则无效".into(),
            format!("invalid pattern in the rule: {e}"),
            Vec::new(),
        )
    })
}

fn line_evidence(config: &DeviceConfig, l: &Line) -> Evidence {
    Evidence {
        path: config.file.clone(),
        line: Some(l.number),
        text: mask(&l.text),
    }
}

/// Where an absence was looked for (no line number): `scope` is the block header pattern
/// or `*` for the whole file, ASCII so that each language half stays in its language.
fn looked(config: &DeviceConfig, scope: &str) -> Evidence {
    Evidence {
        path: config.file.clone(),
        line: None,
        text: format!(
            "已读取 {} 行配置（{scope}） / read {} configuration lines ({scope})",
            config.lines.len(),
            config.lines.len()
        ),
    }
}

/// A pattern as a reader sees it in a reason: without its anchors, quoted.
fn shown(pattern: &str) -> String {
    format!(
        "\"{}\"",
        pattern.trim_start_matches('^').trim_end_matches('$').trim()
    )
}

/// The block standing for a block's own lines where it lacks them (`line class vty`):
/// its header and lines; `None` without `inherit` or without such a block.
fn inherited<'a>(
    config: &'a DeviceConfig,
    inherit: Option<&str>,
) -> Result<Option<(&'a Line, Vec<&'a Line>)>, Found> {
    let Some(p) = inherit else { return Ok(None) };
    let re = compile(p)?;
    let first = config.top_level(&re).next();
    Ok(first.and_then(|i| Some((config.lines.get(i)?, config.children(i).collect()))))
}

fn rule_on(rule: &Rule, config: &DeviceConfig) -> Found {
    let r = match rule {
        Rule::Line {
            pattern,
            expect,
            within,
            undecidable,
        } => line(
            config,
            pattern,
            *expect,
            within.as_deref(),
            undecidable.as_deref(),
        ),
        Rule::EveryBlock {
            header,
            any_of,
            global_any_of,
            inherit,
        } => every_block(config, header, any_of, global_any_of, inherit.as_deref()),
        Rule::Number {
            pattern,
            within,
            min,
            max,
            default,
            inherit,
            if_absent,
            absent_reason,
        } => number(
            config,
            pattern,
            (within.as_deref(), inherit.as_deref()),
            (*min, *max),
            *default,
            (*if_absent, absent_reason.as_deref()),
        ),
        Rule::Reference {
            within,
            pattern,
            defined,
            blocks,
            inherit,
        } => reference(
            config,
            within,
            pattern,
            defined,
            (*blocks, inherit.as_deref()),
        ),
        Rule::All { all } => return all_of(all, config),
        Rule::Any { any } => return any_of(any, config),
    };
    r.unwrap_or_else(|f| f)
}

/// The lines in scope: all, or those under the blocks whose header matches `within`
/// (`None` when there is no such block).
fn scope<'a>(config: &'a DeviceConfig, within: Option<&Regex>) -> Option<Vec<&'a Line>> {
    match within {
        None => Some(config.lines.iter().collect()),
        Some(h) => {
            let heads: Vec<usize> = config.top_level(h).collect();
            (!heads.is_empty()).then(|| heads.iter().flat_map(|i| config.children(*i)).collect())
        }
    }
}

fn line(
    config: &DeviceConfig,
    pattern: &str,
    expect: Expect,
    within: Option<&str>,
    undecidable: Option<&str>,
) -> Result<Found, Found> {
    let re = compile(pattern)?;
    let within_re = within.map(compile).transpose()?;
    let undecidable_re = undecidable.map(compile).transpose()?;
    let shown_within = within.map(shown);
    let within = shown_within.as_deref();
    let pattern = &shown(pattern);
    let (place_zh, place_en) = match within {
        None => ("全部配置中".to_string(), "whole configuration".to_string()),
        Some(w) => (format!("{w} 块内"), format!("in {w} blocks")),
    };
    let Some(lines) = scope(config, within_re.as_ref()) else {
        let w = within.unwrap_or_default();
        return Ok(match expect {
            Expect::Present => found(
                Status::Fail,
                format!("配置中没有 {w} 块"),
                format!("the configuration has no {w} block"),
                vec![looked(config, w)],
            ),
            Expect::Absent => found(
                Status::Pass,
                format!("配置中没有 {w} 块，故没有 {pattern}"),
                format!("no {w} block, so no {pattern}"),
                vec![looked(config, w)],
            ),
        });
    };
    let hits: Vec<Evidence> = lines
        .iter()
        .filter(|l| re.is_match(&l.text))
        .map(|l| line_evidence(config, l))
        .collect();
    let n = hits.len();
    Ok(match (expect, n) {
        (Expect::Present, 0) => found(
            Status::Fail,
            format!("{place_zh}未找到 {pattern}"),
            format!("no line {pattern} ({place_en})"),
            vec![looked(config, within.unwrap_or("*"))],
        ),
        (Expect::Present, _) => found(
            Status::Pass,
            format!("找到 {n} 行 {pattern}"),
            format!("{n} line(s) {pattern}"),
            hits,
        ),
        (Expect::Absent, 0) => {
            let unsure: Vec<Evidence> = match &undecidable_re {
                Some(u) => lines
                    .iter()
                    .filter(|l| u.is_match(&l.text))
                    .map(|l| line_evidence(config, l))
                    .collect(),
                None => Vec::new(),
            };
            if unsure.is_empty() {
                found(
                    Status::Pass,
                    format!("{place_zh}未发现 {pattern}"),
                    format!("no line {pattern} ({place_en})"),
                    vec![looked(config, within.unwrap_or("*"))],
                )
            } else {
                found(
                    Status::Unknown,
                    format!("{} 行以密文保存，无法判断是否为 {pattern}，须在设备上核对", unsure.len()),
                    format!("{} line(s) are stored encrypted: whether they are {pattern} cannot be read; check on the device", unsure.len()),
                    unsure,
                )
            }
        }
        (Expect::Absent, _) => found(
            Status::Fail,
            format!("发现 {n} 行 {pattern}"),
            format!("{n} line(s) {pattern}"),
            hits,
        ),
    })
}

fn every_block(
    config: &DeviceConfig,
    header: &str,
    any_of: &[String],
    global_any_of: &[String],
    inherit: Option<&str>,
) -> Result<Found, Found> {
    let head = compile(header)?;
    let class = inherited(config, inherit)?;
    let wanted: Vec<Regex> = any_of
        .iter()
        .map(|p| compile(p))
        .collect::<Result<_, _>>()?;
    let global: Vec<Regex> = global_any_of
        .iter()
        .map(|p| compile(p))
        .collect::<Result<_, _>>()?;
    let heads: Vec<usize> = config.top_level(&head).collect();
    if heads.is_empty() {
        return Ok(found(
            Status::Unknown,
            format!("配置中没有 {header} 块，无从判断"),
            format!("the configuration has no {header} block to judge"),
            vec![looked(config, header)],
        ));
    }
    let header = &shown(header);
    let wants = any_of
        .iter()
        .map(|p| shown(p))
        .collect::<Vec<_>>()
        .join(" | ");
    let globals = global_any_of
        .iter()
        .map(|p| shown(p))
        .collect::<Vec<_>>()
        .join(" | ");
    if let Some(g) = config
        .lines
        .iter()
        .find(|l| l.parent.is_none() && global.iter().any(|r| r.is_match(&l.text)))
    {
        let mut ev = vec![line_evidence(config, g)];
        ev.extend(
            heads
                .iter()
                .filter_map(|i| config.lines.get(*i))
                .map(|l| line_evidence(config, l)),
        );
        return Ok(found(
            Status::Pass,
            format!("全局配置 {globals} 对所有 {header} 块生效"),
            format!("the global {globals} applies to every {header} block"),
            ev,
        ));
    }
    let (mut good, mut bad) = (Vec::new(), Vec::new());
    for i in &heads {
        let Some(h) = config.lines.get(*i) else {
            continue;
        };
        let wants_line = |l: &Line| wanted.iter().any(|r| r.is_match(&l.text));
        let own = config.children(*i).find(|l| wants_line(l));
        let from_class = class
            .as_ref()
            .and_then(|(c, lines)| Some((*c, *lines.iter().find(|l| wants_line(l))?)));
        match (own, from_class) {
            (Some(l), _) => {
                good.push(line_evidence(config, h));
                good.push(line_evidence(config, l));
            }
            (None, Some((c, l))) => {
                good.push(line_evidence(config, h));
                good.push(line_evidence(config, c));
                good.push(line_evidence(config, l));
            }
            (None, None) => bad.push(line_evidence(config, h)),
        }
    }
    Ok(if bad.is_empty() {
        found(
            Status::Pass,
            format!("全部 {} 个 {header} 块均有 {wants}", heads.len()),
            format!("all {} {header} blocks have {wants}", heads.len()),
            good,
        )
    } else {
        found(
            Status::Fail,
            format!("{} 个 {header} 块缺少 {wants}", bad.len()),
            format!("{} {header} blocks lack {wants}", bad.len()),
            bad,
        )
    })
}

/// The number a matching line gives: `n`, or `minutes` and `seconds` in seconds.
fn value_of(re: &Regex, text: &str) -> Option<i64> {
    let c = re.captures(text)?;
    let num = |g: &str| c.name(g).and_then(|m| m.as_str().parse::<i64>().ok());
    match num("n") {
        Some(n) => Some(n),
        None => Some(num("minutes")? * 60 + num("seconds").unwrap_or(0)),
    }
}

fn bounds_text(min: Option<i64>, max: Option<i64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        (Some(a), None) => format!("≥ {a}"),
        (None, Some(b)) => format!("≤ {b}"),
        (None, None) => "any".into(),
    }
}

fn number(
    config: &DeviceConfig,
    pattern: &str,
    (within, inherit): (Option<&str>, Option<&str>),
    (min, max): (Option<i64>, Option<i64>),
    default: Option<i64>,
    (if_absent, absent_reason): (Absent, Option<&str>),
) -> Result<Found, Found> {
    let re = compile(pattern)?;
    let class = inherited(config, inherit)?;
    let pattern = &shown(pattern);
    let ok = |v: i64| min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m);
    let bounds = bounds_text(min, max);
    // Each place the number is read: the whole configuration, or each block.
    let places: Vec<(Option<&Line>, Vec<&Line>)> = match within {
        None => vec![(None, config.lines.iter().collect())],
        Some(w) => {
            let head = compile(w)?;
            let heads: Vec<usize> = config.top_level(&head).collect();
            let w = &shown(w);
            if heads.is_empty() {
                return Ok(found(
                    Status::Unknown,
                    format!("配置中没有 {w} 块，无从判断"),
                    format!("the configuration has no {w} block to judge"),
                    vec![looked(config, w)],
                ));
            }
            heads
                .iter()
                .map(|i| (config.lines.get(*i), config.children(*i).collect()))
                .collect()
        }
    };
    let (mut good, mut bad, mut missing) = (Vec::new(), Vec::new(), Vec::new());
    let mut defaulted = 0;
    for (head, lines) in places {
        fn value<'l>(re: &Regex, lines: &[&'l Line]) -> Option<(&'l Line, i64)> {
            lines
                .iter()
                .rev()
                .find_map(|l| value_of(re, &l.text).map(|v| (*l, v)))
        }
        // A block's own line wins; else the class block's (which the evidence then shows).
        let mut head = head;
        let hit = match (value(&re, &lines), &class) {
            (Some(h), _) => Some(h),
            (None, Some((c, class_lines))) if head.is_some() => {
                let h = value(&re, class_lines);
                if h.is_some() {
                    head = Some(*c);
                }
                h
            }
            _ => None,
        };
        match (hit, default) {
            (Some((l, v)), _) => {
                let ev = head
                    .into_iter()
                    .chain([l])
                    .map(|l| line_evidence(config, l));
                if ok(v) {
                    good.extend(ev)
                } else {
                    bad.extend(ev)
                }
            }
            (None, Some(d)) => {
                defaulted += 1;
                let ev = match head {
                    Some(h) => line_evidence(config, h),
                    None => looked(config, pattern),
                };
                if ok(d) {
                    good.push(ev)
                } else {
                    bad.push(ev)
                }
            }
            (None, None) => missing.push(match head {
                Some(h) => line_evidence(config, h),
                None => looked(config, pattern),
            }),
        }
    }
    Ok(if !bad.is_empty() {
        found(
            Status::Fail,
            format!("数值超出 {bounds}"),
            format!("a value is outside {bounds}"),
            bad,
        )
    } else if !missing.is_empty() {
        match if_absent {
            Absent::Fail => found(
                Status::Fail,
                format!("未配置 {pattern}"),
                format!("{pattern} is not set"),
                missing,
            ),
            Absent::Unknown => {
                let why = absent_reason.unwrap_or("未配置 / not set");
                let (zh, en) = why.split_once(" / ").unwrap_or((why, why));
                found(Status::Unknown, zh.to_string(), en.to_string(), missing)
            }
        }
    } else {
        let (zh, en) = match (default, defaulted) {
            (Some(d), n) if n > 0 => (
                format!("；{n} 处未配置，取厂商缺省值 {d}"),
                format!("; {n} not set, taking the vendor default {d}"),
            ),
            _ => (String::new(), String::new()),
        };
        found(
            Status::Pass,
            format!("数值均在 {bounds} 之内{zh}"),
            format!("every value is within {bounds}{en}"),
            good,
        )
    })
}

fn reference(
    config: &DeviceConfig,
    within: &str,
    pattern: &str,
    defined: &str,
    (blocks, inherit): (Blocks, Option<&str>),
) -> Result<Found, Found> {
    let head = compile(within)?;
    let re = compile(pattern)?;
    let class = inherited(config, inherit)?;
    let within = &shown(within);
    let pattern = &shown(pattern);
    let heads: Vec<usize> = config.top_level(&head).collect();
    if heads.is_empty() {
        let status = match blocks {
            Blocks::Every => Status::Unknown,
            Blocks::Any => Status::Fail,
        };
        return Ok(found(
            status,
            format!("配置中没有 {within} 块"),
            format!("the configuration has no {within} block"),
            vec![looked(config, within)],
        ));
    }
    // Per block: the referencing line and the defining line, if any.
    let (mut good, mut undefined, mut unreferenced) = (Vec::new(), Vec::new(), Vec::new());
    for i in &heads {
        let Some(h) = config.lines.get(*i) else {
            continue;
        };
        let named = |l: &Line| {
            let name = re.captures(&l.text)?.name("name")?.as_str().to_string();
            Some(name)
        };
        let mut refs: Vec<(&Line, String)> = config
            .children(*i)
            .filter_map(|l| Some((l, named(l)?)))
            .collect();
        // None of its own: the class block's references stand (shown with the class).
        if let (true, Some((c, lines))) = (refs.is_empty(), &class) {
            refs = lines.iter().filter_map(|l| Some((*l, named(l)?))).collect();
            if !refs.is_empty() {
                good.push(line_evidence(config, c));
            }
        }
        if refs.is_empty() {
            unreferenced.push(line_evidence(config, h));
            continue;
        }
        for (l, name) in refs {
            let def = compile(&defined.replace("{name}", &regex::escape(&name)))?;
            let first = config.top_level(&def).next();
            match first.and_then(|d| config.lines.get(d)) {
                Some(d) => {
                    good.push(line_evidence(config, h));
                    good.push(line_evidence(config, l));
                    good.push(line_evidence(config, d));
                }
                None => {
                    undefined.push(line_evidence(config, h));
                    undefined.push(line_evidence(config, l));
                }
            }
        }
    }
    let passed = match blocks {
        Blocks::Every => undefined.is_empty() && unreferenced.is_empty(),
        Blocks::Any => !good.is_empty() && undefined.is_empty(),
    };
    Ok(if passed {
        found(
            Status::Pass,
            format!("引用的对象均已定义（{pattern}）"),
            format!("every object referenced ({pattern}) is defined"),
            good,
        )
    } else if !undefined.is_empty() {
        found(
            Status::Fail,
            "引用了配置中未定义的对象（未定义的 ACL 不过滤任何报文）".into(),
            format!("a block references an object the configuration does not define ({pattern}); an undefined ACL filters nothing"),
            undefined,
        )
    } else {
        let (zh, en) = match blocks {
            Blocks::Every => (
                format!("{} 个 {within} 块未引用 {pattern}", unreferenced.len()),
                format!(
                    "{} {within} blocks do not reference {pattern}",
                    unreferenced.len()
                ),
            ),
            Blocks::Any => (
                format!("没有一个 {within} 块引用 {pattern}"),
                format!("no {within} block references {pattern}"),
            ),
        };
        let mut ev = unreferenced;
        ev.truncate(4);
        found(Status::Fail, zh, en, ev)
    })
}

/// All rules: `fail` if one fails, `unknown` if one cannot be decided, else `pass`.
fn all_of(rules: &[Rule], config: &DeviceConfig) -> Found {
    let parts: Vec<Found> = rules.iter().map(|r| rule_on(r, config)).collect();
    let status = if parts.iter().any(|p| p.status == Status::Fail) {
        Status::Fail
    } else if parts.iter().all(|p| p.status == Status::Pass) {
        Status::Pass
    } else {
        Status::Unknown
    };
    let zh = parts
        .iter()
        .map(|p| p.zh.as_str())
        .collect::<Vec<_>>()
        .join("；");
    let en = parts
        .iter()
        .map(|p| p.en.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    let evidence = parts.into_iter().flat_map(|p| p.evidence).collect();
    found(status, zh, en, evidence)
}

/// One rule passing suffices: `pass` with its lines; else `unknown` if one cannot be
/// decided, else `fail` with every rule's reason.
fn any_of(rules: &[Rule], config: &DeviceConfig) -> Found {
    let parts: Vec<Found> = rules.iter().map(|r| rule_on(r, config)).collect();
    if let Some(p) = parts.iter().position(|p| p.status == Status::Pass) {
        if let Some(f) = parts.into_iter().nth(p) {
            return f;
        }
        return found(Status::Unknown, String::new(), String::new(), Vec::new());
    }
    let status = if parts.iter().any(|p| p.status == Status::Unknown) {
        Status::Unknown
    } else {
        Status::Fail
    };
    let zh = parts
        .iter()
        .map(|p| p.zh.as_str())
        .collect::<Vec<_>>()
        .join("；且");
    let en = parts
        .iter()
        .map(|p| p.en.as_str())
        .collect::<Vec<_>>()
        .join("; nor ");
    let evidence = parts.into_iter().flat_map(|p| p.evidence).collect();
    found(status, zh, en, evidence)
}
