//! `dengbao law diff` (修订对照表) and `dengbao law sources` (the sources and where they
//! disagree), in one language at a time (decision 0934). JSON shapes are documented in
//! docs/law-corpus.md.

use std::fmt::Write as _;
use std::process::ExitCode;

use dengbao_corpus::{Discrepancy, DiscrepancyKind, Fine, Payer};
use dengbao_types::Lang;
use serde_json::{json, Value};

use super::law_corpus::{cn, corpus, user_error};
use crate::say::{msg, quoted, t};
use crate::Ctx;

fn payer(p: Payer, lang: Lang) -> &'static str {
    match p {
        Payer::Offender => t(lang, "违法者", "offender"),
        Payer::ResponsiblePerson => t(lang, "直接负责的主管人员等", "responsible persons"),
    }
}

fn fine_text(f: &Fine, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!(
            "第{}款 {} {}（{}）",
            cn(f.paragraph),
            payer(f.payer, lang),
            f.text,
            f.range()
        ),
        Lang::En => format!(
            "paragraph {}, {}: 「{}」 ({})",
            f.paragraph,
            payer(f.payer, lang),
            f.text,
            f.range_en()
        ),
    }
}

/// 2016年文本 / 2016 text.
fn version_name(v: &str, lang: Lang) -> String {
    let m = msg(lang, &format!("law.version.{v}"));
    if m.starts_with("law.version.") {
        v.to_string()
    } else {
        m
    }
}

/// 第五十九条第一款 / art. 59(1).
fn article(n: u32, suffix: Option<u32>, paragraph: Option<u32>, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => {
            let mut s = format!("第{}条", cn(n));
            if let Some(x) = suffix {
                let _ = write!(s, "之{}", cn(x));
            }
            if let Some(p) = paragraph {
                let _ = write!(s, "第{}款", cn(p));
            }
            s
        }
        Lang::En => {
            let mut s = format!("art. {n}");
            if let Some(x) = suffix {
                let _ = write!(s, "-{x}");
            }
            if let Some(p) = paragraph {
                let _ = write!(s, "({p})");
            }
            s
        }
    }
}

pub fn diff(law: &str, from: &str, to: &str, json: bool, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let corpus = corpus()?;
    let d = corpus.diff(law, from, to).map_err(user_error)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&d)?);
        return Ok(ExitCode::SUCCESS);
    }
    let (vf, vt) = (version_name(&d.from, lang), version_name(&d.to, lang));
    let mut out = String::new();
    match lang {
        Lang::ZhCn => {
            let _ = writeln!(out, "修订对照表 {}：{vf} → {vt}", d.law_title);
        }
        Lang::En => {
            let _ = writeln!(out, "Comparison 《{}》: {vf} → {vt}", d.law_title);
        }
    }
    for p in &d.pairs {
        let _ = writeln!(
            out,
            "\n{vf} {} → {}{}",
            article(p.from.number, p.from.suffix, p.from_paragraph, lang),
            article(p.to.number, p.to.suffix, p.to_paragraph, lang),
            match lang {
                Lang::ZhCn => format!("（相似度 {:.2}）", p.similarity),
                Lang::En => format!(" (similarity {:.2})", p.similarity),
            }
        );
        let note = match lang {
            Lang::ZhCn => p.note_zh.as_deref().unwrap_or(&p.note).to_string(),
            Lang::En => quoted(lang, &p.note),
        };
        let _ = writeln!(out, "  {}{note}", t(lang, "说明：", "note: "));
        if p.changes.is_empty() {
            let _ = writeln!(out, "  {}", t(lang, "文字：无改动", "text: unchanged"));
        }
        for c in &p.changes {
            let side = |s: &str| match (s.is_empty(), lang) {
                (true, _) => t(lang, "（无）", "(nothing)").to_string(),
                (false, Lang::ZhCn) => s.to_string(),
                (false, Lang::En) => format!("「{s}」"),
            };
            let _ = writeln!(
                out,
                "  {}{} → {}",
                t(lang, "文字：", "text: "),
                side(&c.from),
                side(&c.to)
            );
        }
        for f in &p.fines {
            let line = match (&f.from, &f.to) {
                (Some(a), Some(b)) => format!("{} → {}", fine_text(a, lang), fine_text(b, lang)),
                (Some(a), None) => {
                    format!("{} → {}", fine_text(a, lang), t(lang, "删除", "removed"))
                }
                (None, Some(b)) => format!("{} → {}", t(lang, "新增", "added"), fine_text(b, lang)),
                (None, None) => continue,
            };
            let _ = writeln!(out, "  {}{line}", t(lang, "罚则：", "fines: "));
        }
    }
    for (label, list) in [
        (t(lang, "新增条文", "Articles added"), &d.added),
        (t(lang, "删除条文", "Articles removed"), &d.removed),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{label}{}", t(lang, "：", ":"));
        for u in list {
            let note = match lang {
                Lang::ZhCn => u.note_zh.as_deref().unwrap_or(&u.note).to_string(),
                Lang::En => quoted(lang, &u.note),
            };
            let _ = writeln!(
                out,
                "  {}{} {note}",
                article(u.article, u.suffix, None, lang),
                t(lang, "：", ":")
            );
        }
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn places(r: &dengbao_corpus::Reading) -> String {
    // Group lines by source: 002:51,273,514
    let mut out: Vec<String> = Vec::new();
    let mut cur: Option<(&str, Vec<String>)> = None;
    for p in &r.sources {
        match cur.as_mut() {
            Some((s, lines)) if *s == p.source => lines.push(p.line.to_string()),
            _ => {
                if let Some((s, l)) = cur.take() {
                    out.push(format!("{s}:{}", l.join(",")));
                }
                cur = Some((&p.source, vec![p.line.to_string()]));
            }
        }
    }
    if let Some((s, l)) = cur {
        out.push(format!("{s}:{}", l.join(",")));
    }
    out.join(" ")
}

/// The law's short name as the report prints it (its id is the key scripts use).
fn law_name(id: &str, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => dengbao_duties::basis::law_title_zh(id),
        Lang::En => dengbao_duties::basis::law_title_en(id),
    }
}

fn discrepancy_text(d: &Discrepancy, lang: Lang) -> String {
    let mut s = match lang {
        Lang::ZhCn => format!(
            "{}第{}条第{}款",
            law_name(&d.law, lang),
            cn(d.article),
            cn(d.paragraph)
        ),
        Lang::En => format!(
            "{} art. {}({})",
            law_name(&d.law, lang),
            d.article,
            d.paragraph
        ),
    };
    if let Some(i) = d.item {
        match lang {
            Lang::ZhCn => {
                let _ = write!(s, "第（{}）项", cn(i));
            }
            Lang::En => {
                let _ = write!(s, ", item ({i})");
            }
        }
    }
    let kind = match d.kind {
        DiscrepancyKind::Wording => t(lang, "措辞", "wording"),
        DiscrepancyKind::Punctuation => t(lang, "标点", "punctuation"),
    };
    let _ = write!(s, " [{kind}]");
    if d.outvoted {
        s.push_str(t(
            lang,
            " ⚠ 见证来源多数不同于底本，请律师核对",
            " ⚠ most witnesses differ from the base text: for a lawyer to check",
        ));
    }
    s.push('\n');
    for (i, r) in d.readings.iter().enumerate() {
        let mark = match (i, lang) {
            (0, _) => t(lang, "采用", "adopted"),
            _ => t(lang, "异文", "variant"),
        };
        // A reading is the source's own text: quoted in either language.
        let text = match r.text.is_empty() {
            true => t(lang, "（无）", "(nothing)").to_string(),
            false => format!("「{}」", r.text),
        };
        let _ = writeln!(s, "  {mark} {text}  — {}", places(r));
    }
    s
}

fn role_name(role: &str, lang: Lang) -> &'static str {
    match role {
        "base" => t(lang, "底本", "base"),
        "witness" => t(lang, "见证", "witness"),
        "commentary" => t(lang, "评注", "commentary"),
        "proof" => t(lang, "校对本", "proof copy"),
        _ => t(lang, "其他", "other"),
    }
}

pub fn sources(json: bool, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let corpus = corpus()?;
    if json {
        let laws: Vec<Value> = corpus
            .laws()
            .iter()
            .map(|l| {
                json!({
                    "id": l.id,
                    "title": l.title,
                    "canonical": l.canonical_version,
                    "versions": l.versions.iter().map(|v| json!({
                        "name": v.name, "source": v.source, "partial": v.partial,
                        "previous": v.previous, "in_force": v.in_force.map(|d| d.to_string()),
                        "articles": v.statute.articles.len(), "chapters": v.statute.chapters.len(),
                    })).collect::<Vec<_>>(),
                    "coverage": corpus.coverage(&l.id),
                })
            })
            .collect();
        let v = json!({
            "rule": RULE_ZH,
            "rule_en": RULE_EN,
            "sources": corpus.sources(),
            "laws": laws,
            "discrepancies": corpus.discrepancies(),
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} data/law/sources.toml",
        t(lang, "来源：", "Sources:")
    );
    for s in corpus.sources() {
        let what = match lang {
            Lang::ZhCn => s.what_zh.clone().unwrap_or_else(|| s.what.clone()),
            Lang::En => quoted(lang, &s.what),
        };
        let _ = writeln!(out, "{} {}\n    {what}", s.id, s.file);
        for p in &s.parts {
            let v = p
                .version
                .as_deref()
                .map(|v| format!(" {}", version_name(v, lang)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "    - {}{v} {} {}",
                law_name(&p.law, lang),
                role_name(&p.role, lang),
                match lang {
                    Lang::ZhCn => format!("（第 {}–{} 行）", p.lines[0], p.lines[1]),
                    Lang::En => format!(
                        "(lines {}–{}): {}",
                        p.lines[0],
                        p.lines[1],
                        quoted(lang, &p.covers)
                    ),
                }
            );
        }
    }
    for l in corpus.laws() {
        let title = match lang {
            Lang::ZhCn => l.title.clone(),
            Lang::En => format!("《{}》", l.title),
        };
        let _ = writeln!(out, "\n`{}` {title}", l.id);
        for v in &l.versions {
            let _ = match lang {
                Lang::ZhCn => writeln!(
                    out,
                    "    版本 {}：底本 {}，{} 条，{} 章{}",
                    version_name(&v.name, lang),
                    v.source,
                    v.statute.articles.len(),
                    v.statute.chapters.len(),
                    if v.partial { "（部分）" } else { "" }
                ),
                Lang::En => writeln!(
                    out,
                    "    version {}: base {}, {} articles, {} chapters{}",
                    version_name(&v.name, lang),
                    v.source,
                    v.statute.articles.len(),
                    v.statute.chapters.len(),
                    if v.partial { " (partial)" } else { "" }
                ),
            };
        }
        for c in corpus.coverage(&l.id) {
            let partial: Vec<String> = c.partial.iter().map(|n| n.to_string()).collect();
            let _ = match lang {
                Lang::ZhCn => writeln!(
                    out,
                    "    见证 {}：{} 份条文副本，{} 条完整{}{}",
                    c.source,
                    c.copies,
                    c.full.len(),
                    if partial.is_empty() {
                        String::new()
                    } else {
                        format!("，不完整（分页截断）：第 {} 条", partial.join("、"))
                    },
                    if c.layout_changes > 0 {
                        format!(
                            "，{} 处版面噪声（>30 字的插入/缺口）已忽略",
                            c.layout_changes
                        )
                    } else {
                        String::new()
                    }
                ),
                Lang::En => {
                    writeln!(
                        out,
                        "    witness {}: {} copies of articles, {} complete{}{}",
                        c.source,
                        c.copies,
                        c.full.len(),
                        if partial.is_empty() {
                            String::new()
                        } else {
                            format!(
                                ", incomplete (cut by page breaks): articles {}",
                                partial.join(", ")
                            )
                        },
                        if c.layout_changes > 0 {
                            format!(", {} layout changes (insertions or gaps over 30 characters) ignored", c.layout_changes)
                        } else {
                            String::new()
                        }
                    )
                }
            };
        }
    }
    let _ = writeln!(
        out,
        "\n{}{}",
        t(lang, "规则：", "Rule: "),
        t(lang, RULE_ZH, RULE_EN)
    );
    let _ = match lang {
        Lang::ZhCn => writeln!(out, "\n差异报告：{} 处", corpus.discrepancies().len()),
        Lang::En => writeln!(out, "\nDiscrepancies: {}", corpus.discrepancies().len()),
    };
    for d in corpus.discrepancies() {
        out.push('\n');
        out.push_str(&discrepancy_text(d, lang));
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

const RULE_ZH: &str = "底本（《网络安全法》：001 主席令第五十三号全文；《网络安全等级保护条例（征求意见稿）》：004）的文字为准；见证来源（002、003）逐字比对，差异全部列出、不合并。噪声不计：空白与换行、HTML 换行标记、Markdown 链接残片与列表符号、半角/全角标点、分页重复与截断（docs/decisions/0200-reconciliation.md）。";
const RULE_EN: &str = "The base text wins (Cybersecurity Law: source 001, the full text of presidential order no. 53; MLPS Regulation: 004); witnesses (002, 003) are compared character by character and every difference that is not noise is listed, never merged. Noise: whitespace and line breaks, HTML line breaks, Markdown link debris and list markers, half- and full-width punctuation, repeated and cut pages (docs/decisions/0200-reconciliation.md).";
