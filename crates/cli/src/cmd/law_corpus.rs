//! `dengbao law show`, `law diff`, `law sources`: the shipped corpus.
//!
//! JSON shapes are documented in docs/law-corpus.md.

use std::fmt::Write as _;
use std::process::ExitCode;

use dengbao_corpus::{
    parse_citation, Commentary, Corpus, CorpusError, Discrepancy, DiscrepancyKind, Fine, Payer,
    Resolved,
};
use serde_json::{json, Value};

use crate::{BadInput, Ctx};

fn corpus() -> anyhow::Result<&'static Corpus> {
    Corpus::shared().map_err(|e| anyhow::anyhow!("the embedded law corpus failed to load: {e}"))
}

/// Unknown law / version / article / paragraph / item and unreadable citations are the
/// user's input: exit 2 with the library's message (it names what is missing).
fn user_error(e: CorpusError) -> anyhow::Error {
    match e {
        CorpusError::Data { .. } => anyhow::Error::new(e),
        other => BadInput::new(other.to_string()),
    }
}

fn cn(n: u32) -> String {
    dengbao_corpus::numerals::to_chinese(n)
}

fn label(r: &Resolved<'_>) -> String {
    let mut s = format!("第{}条", cn(r.article.number));
    if let Some(x) = r.article.suffix {
        let _ = write!(s, "之{}", cn(x));
    }
    if let Some((p, _)) = r.paragraph {
        if r.citation.paragraph.is_some() {
            let _ = write!(s, "第{}款", cn(p));
        }
    }
    if let Some((i, _)) = r.item {
        let _ = write!(s, "（{}）", cn(i));
    }
    s
}

fn commentary_json(c: &Commentary) -> Value {
    json!({
        "id": c.id, "item": c.item, "kind": c.kind, "source": c.source, "line": c.line,
        "title": c.title, "role": c.role, "basis": c.basis, "note": c.note, "text": c.text,
    })
}

/// Which text of a law to read: the one in force on `at` (today by default), or `version`.
pub struct Edition<'a> {
    pub at: Option<&'a str>,
    pub version: Option<&'a str>,
}

impl Edition<'_> {
    /// The version's name, checked against the law's versions (exit 2 naming them).
    fn pick(&self, law: &dengbao_corpus::Law) -> anyhow::Result<String> {
        if let Some(v) = self.version {
            if law.version(v).is_none() {
                return Err(user_error(CorpusError::UnknownVersion {
                    law: law.id.clone(),
                    version: v.to_string(),
                    available: law
                        .versions
                        .iter()
                        .map(|x| x.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                }));
            }
            return Ok(v.to_string());
        }
        let date = match self.at {
            Some(s) => s.parse::<jiff::civil::Date>().map_err(|e| {
                BadInput::new(format!(
                    "--at {s}: 日期应为 YYYY-MM-DD / a date YYYY-MM-DD: {e}"
                ))
            })?,
            None => dengbao_duties::date_of(jiff::Timestamp::now()),
        };
        Ok(law.version_at(date).name.clone())
    }
}

pub fn show(
    law: &str,
    citation: &str,
    edition: Edition<'_>,
    json: bool,
    _ctx: &Ctx,
) -> anyhow::Result<ExitCode> {
    let corpus = corpus()?;
    let Some(the_law) = corpus.law(law) else {
        return Err(user_error(CorpusError::UnknownLaw(law.to_string())));
    };
    let version = edition.pick(the_law)?;
    let mut c = parse_citation(law, citation).map_err(|e| BadInput::new(e.to_string()))?;
    c.version = Some(version.clone());
    let r = corpus.resolve(&c).map_err(user_error)?;
    // The same provision in the law's other versions (修正前后对照).
    let citer = dengbao_corpus::Citer::embedded().map_err(|e| anyhow::anyhow!("{e}"))?;
    let counterparts: Vec<dengbao_corpus::Citation> = the_law
        .versions
        .iter()
        .filter(|v| v.name != version && !v.partial)
        .flat_map(|v| citer.translate(&c, &version, &v.name))
        .collect();
    // Commentary is written against the canonical text: reach it through the counterpart.
    let canonical_article = if version == the_law.canonical_version {
        Some(r.article.number)
    } else {
        counterparts
            .iter()
            .find(|x| x.version.as_deref() == Some(the_law.canonical_version.as_str()))
            .map(|x| x.article)
    };
    let commentary = canonical_article
        .map(|n| corpus.commentary_for(law, n))
        .unwrap_or_default();
    let a = r.article;
    if json {
        let v = json!({
            "law": r.law,
            "law_title": r.law_title,
            "version": version,
            "in_force": the_law.version(&version).and_then(|v| v.in_force).map(|d| d.to_string()),
            "counterparts": counterparts,
            "citation": r.citation,
            "label": label(&r),
            "article": a.number,
            "suffix": a.suffix,
            "title": a.title,
            "chapter": r.chapter.map(|ch| json!({"number": ch.number, "title": ch.title})),
            "section": r.section.map(|s| json!({"number": s.number, "title": s.title})),
            "paragraph": r.paragraph.map(|(p, _)| p),
            "item": r.item.map(|(i, _)| i),
            "text": r.text,
            "article_text": a.text,
            "paragraphs": a.paragraphs,
            "refs": a.refs,
            "commentary": commentary.iter().map(|c| commentary_json(c)).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    let title = a
        .title
        .as_ref()
        .map(|t| format!("【{t}】"))
        .unwrap_or_default();
    let _ = writeln!(out, "{} {}{}", r.law_title, label(&r), title);
    let _ = writeln!(out, "{}", edition_line(the_law, &version, &counterparts));
    if let Some(ch) = r.chapter {
        let _ = write!(out, "第{}章 {}", cn(ch.number), ch.title);
        if let Some(s) = r.section {
            let _ = write!(out, " · 第{}节 {}", cn(s.number), s.title);
        }
        out.push('\n');
    }
    out.push('\n');
    if r.paragraph.is_some() || r.item.is_some() {
        let _ = writeln!(out, "{}", r.text);
    } else {
        for (k, p) in a.paragraphs.iter().enumerate() {
            if a.paragraphs.len() > 1 {
                let _ = write!(out, "第{}款 ", cn(k as u32 + 1));
            }
            let _ = writeln!(out, "{}", p.text);
            for (i, it) in p.items.iter().enumerate() {
                let _ = writeln!(out, "  （{}）{}", cn(i as u32 + 1), it);
            }
        }
    }
    if !a.refs.is_empty() {
        let refs: Vec<String> = a.refs.iter().map(|c| c.to_string()).collect();
        let _ = writeln!(out, "\n引用 (refs): {}", refs.join("；"));
    }
    if !commentary.is_empty() {
        let _ = writeln!(out, "\n评注 (commentary):");
        for c in commentary {
            let head = c.title.clone().unwrap_or_default();
            let role = c
                .role
                .as_deref()
                .map(role_zh)
                .map(|r| format!("·{r}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- [{}{role}] {}{} ({}:{})",
                c.kind.zh(),
                if head.is_empty() {
                    String::new()
                } else {
                    format!("{head}：")
                },
                c.text,
                c.source,
                c.line
            );
        }
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn role_zh(role: &str) -> &str {
    match role {
        "network-operator" => "网络运营者",
        "cii-operator" => "关键信息基础设施运营者",
        "service-provider" => "服务提供者",
        "individual" => "个人",
        "state" => "国家",
        "general" => "总体",
        other => other,
    }
}

fn payer_zh(p: Payer) -> &'static str {
    match p {
        Payer::Offender => "违法者",
        Payer::ResponsiblePerson => "直接负责的主管人员等",
    }
}

fn fine_text(f: &Fine) -> String {
    format!(
        "第{}款 {} {}（{}）",
        cn(f.paragraph),
        payer_zh(f.payer),
        f.text,
        f.range()
    )
}

pub fn diff(law: &str, from: &str, to: &str, json: bool, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let corpus = corpus()?;
    let d = corpus.diff(law, from, to).map_err(user_error)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&d)?);
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    let _ = writeln!(out, "修订对照表 {}：{} → {}", d.law_title, d.from, d.to);
    for p in &d.pairs {
        let para = |x: Option<u32>| x.map(|n| format!("第{}款", cn(n))).unwrap_or_default();
        let _ = writeln!(
            out,
            "\n{} {}{} → {}{}（相似度 {:.2}）",
            d.from,
            p.from,
            para(p.from_paragraph),
            p.to,
            para(p.to_paragraph),
            p.similarity
        );
        let _ = writeln!(out, "  说明：{}", p.note);
        if p.changes.is_empty() {
            let _ = writeln!(out, "  文字：无改动");
        }
        for c in &p.changes {
            let _ = writeln!(
                out,
                "  文字：{} → {}",
                show_empty(&c.from),
                show_empty(&c.to)
            );
        }
        for f in &p.fines {
            let line = match (&f.from, &f.to) {
                (Some(a), Some(b)) => format!("{} → {}", fine_text(a), fine_text(b)),
                (Some(a), None) => format!("{} → 删除", fine_text(a)),
                (None, Some(b)) => format!("新增 → {}", fine_text(b)),
                (None, None) => continue,
            };
            let _ = writeln!(out, "  罚则：{line}");
        }
    }
    for (label, list) in [("新增条文", &d.added), ("删除条文", &d.removed)] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{label}：");
        for u in list {
            let k = dengbao_corpus::ArticleKey {
                number: u.article,
                suffix: u.suffix,
            };
            let _ = writeln!(out, "  {k}：{}", u.note);
        }
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn show_empty(s: &str) -> &str {
    if s.is_empty() {
        "（无）"
    } else {
        s
    }
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

fn discrepancy_text(d: &Discrepancy) -> String {
    let mut s = format!("{} 第{}条第{}款", d.law, cn(d.article), cn(d.paragraph));
    if let Some(i) = d.item {
        let _ = write!(s, "（{}）", cn(i));
    }
    let kind = match d.kind {
        DiscrepancyKind::Wording => "措辞",
        DiscrepancyKind::Punctuation => "标点",
    };
    let _ = write!(s, " [{kind}]");
    if d.outvoted {
        s.push_str(" ⚠ 见证来源多数不同于底本，请律师核对");
    }
    s.push('\n');
    for (i, r) in d.readings.iter().enumerate() {
        let mark = if i == 0 { "采用" } else { "异文" };
        let _ = writeln!(s, "  {mark} {}  — {}", show_empty(&r.text), places(r));
    }
    s
}

pub fn sources(json: bool, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
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
                        "previous": v.previous, "in_force": v.in_force.map(|d| d.to_string()), "articles": v.statute.articles.len(),
                        "chapters": v.statute.chapters.len(),
                    })).collect::<Vec<_>>(),
                    "coverage": corpus.coverage(&l.id),
                })
            })
            .collect();
        let v = json!({
            "rule": RULE,
            "sources": corpus.sources(),
            "laws": laws,
            "discrepancies": corpus.discrepancies(),
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    let _ = writeln!(out, "来源 (sources, data/law/sources.toml)");
    for s in corpus.sources() {
        let _ = writeln!(out, "{} {}\n    {}", s.id, s.file, s.what);
        for p in &s.parts {
            let v = p
                .version
                .as_deref()
                .map(|v| format!(" {v}"))
                .unwrap_or_default();
            let k = p
                .kind
                .as_deref()
                .map(|k| format!(" {k}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "    - {}{} {}{} (lines {}–{}): {}",
                p.law, v, p.role, k, p.lines[0], p.lines[1], p.covers
            );
        }
    }
    for l in corpus.laws() {
        let _ = writeln!(out, "\n{} {}", l.id, l.title);
        for v in &l.versions {
            let _ = writeln!(
                out,
                "    版本 {}: 底本 {}，{} 条，{} 章{}",
                v.name,
                v.source,
                v.statute.articles.len(),
                v.statute.chapters.len(),
                if v.partial { "（部分）" } else { "" }
            );
        }
        for c in corpus.coverage(&l.id) {
            let partial: Vec<String> = c.partial.iter().map(|n| n.to_string()).collect();
            let _ = writeln!(
                out,
                "    见证 {}: {} 份条文副本，{} 条完整{}{}",
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
            );
        }
    }
    let _ = writeln!(out, "\n规则：{RULE}");
    let _ = writeln!(
        out,
        "\n差异报告 (discrepancies): {} 处",
        corpus.discrepancies().len()
    );
    for d in corpus.discrepancies() {
        out.push('\n');
        out.push_str(&discrepancy_text(d));
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

const RULE: &str = "底本（csl: 001 主席令第五十三号全文；mlps: 004）的文字为准；见证来源（002、003）逐字比对，差异全部列出、不合并。噪声不计：空白与换行、<br/>、Markdown 链接残片与列表符号、半角/全角标点、分页重复与截断。The base text wins; witnesses are compared character by character and every non-noise difference is listed, never merged (docs/decisions/0200-reconciliation.md).";

/// 文本：2025年修正文本（2026-01-01起施行）；对应：修正前（2016年文本）第二十一条
fn edition_line(
    law: &dengbao_corpus::Law,
    version: &str,
    counterparts: &[dengbao_corpus::Citation],
) -> String {
    // `final` is the 2016 text only for the CSL; the laws around it (decision 0204) carry
    // one version, the text in force.
    let name = |v: &str| match v {
        "final" if law.id == "csl" => "2016年文本".to_string(),
        "final" => "现行文本".to_string(),
        "revised-2023" => "2023年修订文本".to_string(),
        "amended-2025" => "2025年修正文本".to_string(),
        "draft" => "草案".to_string(),
        "draft-for-comment" => "征求意见稿".to_string(),
        other => other.to_string(),
    };
    let mut s = format!("文本：{}", name(version));
    if let Some(d) = law.version(version).and_then(|v| v.in_force) {
        s.push_str(&format!("（{d}起施行）"));
    }
    let others: Vec<String> = counterparts
        .iter()
        .map(|c| {
            let mut t = format!(
                "{}第{}条",
                name(c.version.as_deref().unwrap_or("")),
                cn(c.article)
            );
            if let Some(p) = c.paragraph {
                t.push_str(&format!("第{}款", cn(p)));
            }
            if let Some(i) = c.item {
                t.push_str(&format!("第（{}）项", cn(i)));
            }
            t
        })
        .collect();
    if !others.is_empty() {
        s.push_str(&format!("；对应：{}", others.join("、")));
    }
    s
}
