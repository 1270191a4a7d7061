//! Every line the log commands print, in the reader's language (decision 0934). A network
//! or source name is the user's own: quoted “…” in both languages.

use dengbao_logstore::coverage::Coverage;
use dengbao_logstore::retention::DeleteReport;
use dengbao_types::{Lang, Text};

/// “payments”.
pub fn name(n: &str) -> String {
    format!("“{n}”")
}

#[allow(clippy::too_many_arguments)]
pub fn ingested(
    lang: Lang,
    events: usize,
    files: usize,
    network: &str,
    segments: usize,
    raw: usize,
    seq: u64,
    root: &str,
) -> String {
    match lang {
        Lang::ZhCn => format!(
            "已将 {events} 条事件（{files} 个文件）写入网络{}：{segments} 个段，{raw} 条解析失败按原文保留并标记；检查点 #{seq}，根 {root}",
            name(network)
        ),
        Lang::En => format!(
            "ingested {events} event(s) from {files} file(s) into network {}: {segments} segment(s), {raw} kept raw with a parse flag; checkpoint #{seq} root {root}",
            name(network)
        ),
    }
}

pub fn found(lang: Lang, n: u64) -> String {
    match lang {
        Lang::ZhCn => format!("共 {n} 条事件"),
        Lang::En => format!("{n} event(s)"),
    }
}

/// A problem found by verification: the library writes both languages in one string.
pub fn problem(lang: Lang, p: &str) -> String {
    Text::from_joined(p).get(lang).to_string()
}

/// A problem of one segment: where it is, then what is wrong, in one language.
pub fn segment_problem(lang: Lang, p: &dengbao_logstore::verify::Problem) -> String {
    let mut s = String::new();
    if let Some(id) = p.segment {
        s.push_str(&match lang {
            Lang::ZhCn => format!("段 {id:012}"),
            Lang::En => format!("segment {id:012}"),
        });
        if let (Some(n), Some(d)) = (&p.network, &p.day) {
            s.push_str(&format!(" ({} {d})", name(n)));
        }
        if let Some((a, b)) = p.events {
            s.push_str(&match lang {
                Lang::ZhCn => format!(" 事件 {a}–{b}"),
                Lang::En => format!(" events {a}–{b}"),
            });
        }
        s.push_str(crate::say::t(lang, "：", ": "));
    }
    s.push_str(&problem(lang, &p.what));
    s
}

#[allow(clippy::too_many_arguments)]
pub fn verified(
    lang: Lang,
    checkpoints: u64,
    events: u64,
    segments: u64,
    expired: u64,
    root: &str,
    suite: &str,
) -> String {
    match lang {
        Lang::ZhCn => format!(
            "校验通过：{checkpoints} 个检查点，{segments} 个段中的 {events} 条事件（另有 {expired} 个已过期的段按其记录的范围核对），根 {root}（{suite}）"
        ),
        Lang::En => format!(
            "ok: {checkpoints} checkpoints, {events} events in {segments} segments verified ({expired} expired segments by their recorded ranges), root {root} ({suite})"
        ),
    }
}

pub fn failed(lang: Lang, problems: usize) -> String {
    match lang {
        Lang::ZhCn => format!("校验失败：{problems} 处问题；第一处："),
        Lang::En => format!("FAILED: {problems} problem(s); the first:"),
    }
}

pub fn anchor_ok(lang: Lang, seq: u64, size: u64, current: u64) -> String {
    match lang {
        Lang::ZhCn => format!(
            "外部锚点校验通过：检查点 #{seq}（树大小 {size}）在链中，当前大小为 {current} 的树包含它"
        ),
        Lang::En => format!(
            "anchor ok: checkpoint #{seq} (tree size {size}) is in the chain and the current tree of {current} extends it"
        ),
    }
}

pub fn anchor_failed(lang: Lang, why: &str) -> String {
    match lang {
        Lang::ZhCn => format!("外部锚点校验失败：{}", problem(lang, why)),
        Lang::En => format!("anchor FAILED: {}", problem(lang, why)),
    }
}

pub fn exported(lang: Lang, events: usize, file: &str, seq: u64, size: u64) -> String {
    match lang {
        Lang::ZhCn => format!(
            "已导出 {events} 条事件到 {file}，附对检查点 #{seq}（树大小 {size}）的包含证明；用 `dengbao logs verify-export {file}` 校验"
        ),
        Lang::En => format!(
            "exported {events} event(s) to {file} with inclusion proofs against checkpoint #{seq} (tree size {size}); verify with `dengbao logs verify-export {file}`"
        ),
    }
}

pub fn export_verified(
    lang: Lang,
    events: usize,
    size: u64,
    seq: u64,
    root: &str,
    signer: &str,
) -> String {
    match lang {
        Lang::ZhCn => format!(
            "校验通过：{events} 条事件已证明在共 {size} 条事件的日志中，检查点 #{seq}，根 {root}，签名者 {signer}"
        ),
        Lang::En => format!(
            "ok: {events} event(s) proven in the log of {size} events, checkpoint #{seq} root {root} signed by {signer}"
        ),
    }
}

pub fn coverage(lang: Lang, c: &Coverage) -> Vec<String> {
    let mut out = Vec::new();
    let floor = Text::from_joined(c.floor_citation);
    out.push(match lang {
        Lang::ZhCn => format!(
            "留存窗口 {} .. {}（至少 {} 个月：{}）",
            c.window_start, c.today, c.floor_months, floor.zh
        ),
        Lang::En => format!(
            "window {} .. {} (floor {} months: {})",
            c.window_start,
            c.today,
            c.floor_months,
            crate::say::quoted(lang, &floor.en)
        ),
    });
    out.push(match (c.integrity.ok, lang) {
        (true, _) => crate::say::t(lang, "完整性：通过", "integrity: ok").to_string(),
        (false, _) => format!(
            "{}{}",
            crate::say::t(lang, "完整性：失败，", "integrity: FAILED, "),
            problem(
                lang,
                &c.integrity.problems.first().cloned().unwrap_or_default()
            )
        ),
    });
    for n in &c.networks {
        let earliest = n.earliest_retained.as_deref().unwrap_or("-");
        out.push(match lang {
            Lang::ZhCn => format!(
                "{}：{} 条事件，最早 {earliest}，留存策略 {} 个月，六个月留存：{}，{} 天无事件，{} 个段已过期",
                name(&n.network),
                n.events,
                n.policy_months,
                if n.covers_floor { "满足" } else { "不满足" },
                n.days_without_events.len(),
                n.expired_segments
            ),
            Lang::En => format!(
                "{}: {} events, earliest {earliest}, policy {} months, six months held: {}, {} day(s) without events, {} segment(s) expired",
                name(&n.network),
                n.events,
                n.policy_months,
                if n.covers_floor { "yes" } else { "NO" },
                n.days_without_events.len(),
                n.expired_segments
            ),
        });
        for s in &n.sources {
            out.push(match lang {
                Lang::ZhCn => format!(
                    "  {}：{} 条事件，{} .. {}，{} 天无事件",
                    name(&s.source),
                    s.events,
                    s.earliest_day,
                    s.latest_day,
                    s.days_without_events.len()
                ),
                Lang::En => format!(
                    "  {}: {} events, {} .. {}, {} day(s) without events",
                    name(&s.source),
                    s.events,
                    s.earliest_day,
                    s.latest_day,
                    s.days_without_events.len()
                ),
            });
        }
    }
    out
}

pub fn removal(lang: Lang, r: &DeleteReport) -> Vec<String> {
    let mut out = vec![match lang {
        Lang::ZhCn => format!(
            "删除 {} 个段、{} 条事件（记入检查点链）",
            r.removed.len(),
            r.events_removed
        ),
        Lang::En => format!(
            "removed {} segment(s), {} event(s) (recorded in the checkpoint chain)",
            r.removed.len(),
            r.events_removed
        ),
    }];
    for s in &r.removed {
        out.push(match lang {
            Lang::ZhCn => format!(
                "  已删除 {} {}（{} 条事件）",
                name(&s.network),
                s.day,
                s.events
            ),
            Lang::En => format!(
                "  removed {} {} ({} events)",
                name(&s.network),
                s.day,
                s.events
            ),
        });
    }
    // A held segment is refused by name of what holds it (an incident's hold names it).
    for s in &r.kept_by_hold {
        let holds = r
            .held_by
            .iter()
            .find(|h| h.segment == s.id)
            .map(|h| h.holds.iter().map(|x| held_by(lang, x)).collect::<Vec<_>>())
            .unwrap_or_default();
        out.push(match lang {
            Lang::ZhCn => format!(
                "  拒绝删除 {} {}：法律保全（{}）",
                name(&s.network),
                s.day,
                holds.join("；")
            ),
            Lang::En => format!(
                "  refused to remove {} {}: legal hold ({})",
                name(&s.network),
                s.day,
                holds.join("; ")
            ),
        });
    }
    let kept = [
        (
            &r.kept_by_policy,
            "  因留存策略保留：",
            "  kept by retention policy: ",
        ),
        (
            &r.kept_by_storage,
            "  因对象存储锁定（Object Lock）保留：",
            "  kept by the object storage (Object Lock): ",
        ),
    ];
    for (list, zh, en) in kept {
        for s in list {
            out.push(format!(
                "{}{} {}",
                lang.pick(zh, en),
                name(&s.network),
                s.day
            ));
        }
    }
    out
}

/// A hold's reason in one language: hold files carry `中文 / English`.
fn held_by(lang: Lang, reason: &str) -> String {
    let t = dengbao_types::Text::from_joined(reason);
    match lang {
        Lang::ZhCn => t.zh,
        Lang::En => crate::say::quoted(lang, &t.en),
    }
}

/// A hold placed from outside (an incident's), in `logs holds`.
pub fn file_hold_line(lang: Lang, h: &dengbao_logstore::holdfiles::FileHold) -> String {
    let to =
        h.to.clone()
            .unwrap_or_else(|| crate::say::t(lang, "（未结束）", "(open-ended)").to_string());
    format!(
        "{} {} .. {to} {} — {}",
        h.source,
        h.from,
        name(&h.network),
        held_by(lang, &h.reason)
    )
}

pub fn policy_set(lang: Lang, network: &str, months: u32) -> String {
    match lang {
        Lang::ZhCn => format!(
            "{}：日志留存 {months} 个月（已记入检查点链）",
            name(network)
        ),
        Lang::En => format!(
            "{}: logs kept {months} months (recorded in the checkpoint chain)",
            name(network)
        ),
    }
}

pub fn hold_placed(lang: Lang, id: u64, from: &str, to: &str, network: Option<&str>) -> String {
    match lang {
        Lang::ZhCn => format!(
            "已设置法律保全 #{id}：{from} .. {to}{}",
            network
                .map(|n| format!("，网络{}", name(n)))
                .unwrap_or_default()
        ),
        Lang::En => format!(
            "legal hold #{id} placed: {from} .. {to}{}",
            network
                .map(|n| format!(" on {}", name(n)))
                .unwrap_or_default()
        ),
    }
}

pub fn hold_line(
    lang: Lang,
    id: u64,
    from: &str,
    to: &str,
    network: Option<&str>,
    reason: &str,
) -> String {
    let net = match network {
        Some(n) => name(n),
        None => crate::say::t(lang, "（全部网络）", "(all networks)").to_string(),
    };
    format!("#{id} {from} .. {to} {net} — “{reason}”")
}

pub fn released(lang: Lang, id: u64) -> String {
    match lang {
        Lang::ZhCn => format!("已解除法律保全 #{id}"),
        Lang::En => format!("legal hold #{id} released"),
    }
}
