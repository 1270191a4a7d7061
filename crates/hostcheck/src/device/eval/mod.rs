//! One rule on one configuration: the status, why (`中文 / English`), and the lines that
//! decided it, secrets masked. A `pass` always carries lines: the ones found, or for an
//! absence, where it looked.

mod blocks;
mod lines;

use regex::Regex;

use super::mask::mask;
use super::{DeviceConfig, Line, Rule};
use crate::probes::{Evidence, Outcome, Status};
use blocks::{every_block, reference};
use lines::{line, number};

/// Evidence lines kept per check (a configuration with 48 access ports would list them all).
const MAX_EVIDENCE: usize = 12;

/// A finding before its reason is joined: `zh` and `en` kept apart so that `all` can join
/// each language on its own.
pub(super) struct Found {
    pub(super) status: Status,
    pub(super) zh: String,
    pub(super) en: String,
    pub(super) evidence: Vec<Evidence>,
}

pub(super) fn found(status: Status, zh: String, en: String, evidence: Vec<Evidence>) -> Found {
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

pub(super) fn compile(p: &str) -> Result<Regex, Found> {
    Regex::new(p).map_err(|e| {
        found(
            Status::Unknown,
            "规则中的正则无效".into(),
            format!("invalid pattern in the rule: {e}"),
            Vec::new(),
        )
    })
}

pub(super) fn line_evidence(config: &DeviceConfig, l: &Line) -> Evidence {
    Evidence {
        path: config.file.clone(),
        line: Some(l.number),
        text: mask(&l.text),
    }
}

/// Where an absence was looked for (no line number): `scope` is the block header pattern
/// or `*` for the whole file, ASCII so that each language half stays in its language.
pub(super) fn looked(config: &DeviceConfig, scope: &str) -> Evidence {
    looked_in(config, config.lines.len(), scope)
}

/// Where an absence was looked for: `n` lines, in `scope`'s blocks (`*`: the whole file).
pub(super) fn looked_in(config: &DeviceConfig, n: usize, scope: &str) -> Evidence {
    Evidence {
        path: config.file.clone(),
        line: None,
        text: format!("已读取 {n} 行配置（{scope}） / read {n} configuration lines ({scope})"),
    }
}

/// A pattern as a reader sees it in a reason: without its anchors, quoted.
pub(super) fn shown(pattern: &str) -> String {
    format!(
        "\"{}\"",
        pattern.trim_start_matches('^').trim_end_matches('$').trim()
    )
}

/// The block standing for a block's own lines where it lacks them (`line class vty`):
/// its header and lines; `None` without `inherit` or without such a block.
pub(super) fn inherited<'a>(
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
