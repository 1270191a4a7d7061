//! Rules on lines: a line present or absent, and a number within bounds.

use regex::Regex;

use super::{compile, found, inherited, line_evidence, looked, looked_in, shown, Found};
use crate::device::{Absent, DeviceConfig, Expect, Line};
use crate::probes::{Evidence, Status};

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

pub(super) fn line(
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
            vec![looked_in(config, lines.len(), within.unwrap_or("*"))],
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
                    vec![looked_in(config, lines.len(), within.unwrap_or("*"))],
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

pub(super) fn number(
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
