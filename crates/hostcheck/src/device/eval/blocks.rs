//! Rules on blocks: a line in every block of a kind, and objects that blocks reference
//! (an ACL named in `user-interface vty` or on an interface) defined in the configuration.

use regex::Regex;

use super::{compile, found, inherited, line_evidence, looked, shown, Found};
use crate::device::{Blocks, DeviceConfig, Line};
use crate::probes::Status;

pub(super) fn every_block(
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

pub(super) fn reference(
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
