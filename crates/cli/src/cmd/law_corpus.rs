//! `dengbao law show`: an article of the shipped corpus, in the version asked for; the
//! text output in one language at a time (the law's own words quoted in English).
//!
//! JSON shapes are documented in docs/law-corpus.md.

use std::fmt::Write as _;
use std::process::ExitCode;

use dengbao_corpus::{parse_citation, Commentary, Corpus, CorpusError, Resolved};
use dengbao_types::Lang;
use serde_json::{json, Value};

use crate::say::{msg, t};
use crate::{BadInput, Ctx};

pub(super) fn corpus() -> anyhow::Result<&'static Corpus> {
    Corpus::shared().map_err(|e| anyhow::anyhow!("the embedded law corpus failed to load: {e}"))
}

/// Unknown law / version / article / paragraph / item and unreadable citations are the
/// user's input: exit 2 with the library's message (it names what is missing).
pub(super) fn user_error(e: CorpusError) -> anyhow::Error {
    match e {
        CorpusError::Data { .. } => anyhow::Error::new(e),
        other => BadInput::new(other.to_string()),
    }
}

pub(super) fn cn(n: u32) -> String {
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
                return Err(user_error(law.unknown_version(v)));
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
    ctx: &Ctx,
) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
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
    // In English the law's words are quoted: titles in 《》 and 「」, the text on `> ` lines.
    let q = if lang.is_en() { "> " } else { "" };
    match lang {
        Lang::ZhCn => {
            let _ = writeln!(out, "{} {}{}", r.law_title, label(&r), title);
        }
        Lang::En => {
            let _ = writeln!(
                out,
                "《{}》 {}{}",
                r.law_title,
                label_en(&r),
                if title.is_empty() {
                    String::new()
                } else {
                    format!(" 「{title}」")
                }
            );
        }
    }
    let _ = writeln!(
        out,
        "{}",
        edition_line(the_law, &version, &counterparts, lang)
    );
    if let Some(ch) = r.chapter {
        match lang {
            Lang::ZhCn => {
                let _ = write!(out, "第{}章 {}", cn(ch.number), ch.title);
                if let Some(s) = r.section {
                    let _ = write!(out, " · 第{}节 {}", cn(s.number), s.title);
                }
            }
            Lang::En => {
                let _ = write!(out, "Chapter {} 「{}」", ch.number, ch.title);
                if let Some(s) = r.section {
                    let _ = write!(out, " · section {} 「{}」", s.number, s.title);
                }
            }
        }
        out.push('\n');
    }
    out.push('\n');
    if r.paragraph.is_some() || r.item.is_some() {
        let _ = writeln!(out, "{q}{}", r.text.replace('\n', &format!("\n{q}")));
    } else {
        for (k, p) in a.paragraphs.iter().enumerate() {
            let _ = write!(out, "{q}");
            if a.paragraphs.len() > 1 {
                let _ = write!(out, "第{}款 ", cn(k as u32 + 1));
            }
            let _ = writeln!(out, "{}", p.text);
            for (i, it) in p.items.iter().enumerate() {
                let _ = writeln!(out, "{q}  （{}）{}", cn(i as u32 + 1), it);
            }
        }
    }
    if !a.refs.is_empty() {
        let refs: Vec<String> = a.refs.iter().map(|c| ref_text(c, lang)).collect();
        let _ = writeln!(
            out,
            "\n{}{}",
            t(lang, "引用：", "References: "),
            refs.join(t(lang, "；", "; "))
        );
    }
    if !commentary.is_empty() {
        let _ = writeln!(out, "\n{}", t(lang, "评注：", "Commentary:"));
        for c in commentary {
            let head = c.title.clone().unwrap_or_default();
            let role = c
                .role
                .as_deref()
                .map(|r| format!("·{}", role_name(r, lang)))
                .unwrap_or_default();
            let kind = match lang {
                Lang::ZhCn => c.kind.zh().to_string(),
                Lang::En => c.kind.en().to_string(),
            };
            let _ = writeln!(
                out,
                "{}- [{kind}{role}] {}{} ({}:{})",
                if lang.is_en() { "> " } else { "" },
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

/// Art. 21(1), item (3).
fn label_en(r: &Resolved<'_>) -> String {
    let mut s = format!("art. {}", r.article.number);
    if let Some(x) = r.article.suffix {
        let _ = write!(s, "-{x}");
    }
    if let (Some((p, _)), Some(_)) = (r.paragraph, r.citation.paragraph) {
        let _ = write!(s, "({p})");
    }
    if let Some((i, _)) = r.item {
        let _ = write!(s, ", item ({i})");
    }
    s
}

/// A cross-reference: 第十六条第一款 (this law), 《网络安全法》第五十九条第一款 (another), or
/// art. 16(1) / Cybersecurity Law art. 59(1).
pub(super) fn ref_text(c: &dengbao_corpus::Citation, lang: Lang) -> String {
    match (lang, c.law.as_deref()) {
        (Lang::ZhCn, Some(_)) => dengbao_duties::basis::cite_zh(c),
        (Lang::En, Some(_)) => dengbao_duties::basis::cite_en(c),
        (Lang::ZhCn, None) => {
            let mut s = format!("第{}条", cn(c.article));
            if let Some(p) = c.paragraph {
                let _ = write!(s, "第{}款", cn(p));
            }
            if let Some(i) = c.item {
                let _ = write!(s, "第（{}）项", cn(i));
            }
            s
        }
        (Lang::En, None) => {
            let mut s = format!("art. {}", c.article);
            if let Some(p) = c.paragraph {
                let _ = write!(s, "({p})");
            }
            if let Some(i) = c.item {
                let _ = write!(s, ", item ({i})");
            }
            s
        }
    }
}

fn role_name(role: &str, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => role_zh(role).to_string(),
        Lang::En => role.replace('-', " "),
    }
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

/// 文本：2025年修正文本（2026-01-01起施行）；对应：2016年文本第二十一条 — or, in English,
/// Text: text as amended in 2025 (in force from 2026-01-01); counterpart: 2016 text art. 21.
fn edition_line(
    law: &dengbao_corpus::Law,
    version: &str,
    counterparts: &[dengbao_corpus::Citation],
    lang: Lang,
) -> String {
    // `final` is the 2016 text only for the CSL; the laws around it carry one version, the
    // text in force (decision 0204).
    let name = |v: &str| msg(lang, &dengbao_i18n::version_key(&law.id, v));
    let mut s = match lang {
        Lang::ZhCn => format!("文本：{}", name(version)),
        Lang::En => format!("Text: {}", name(version)),
    };
    if let Some(d) = law.version(version).and_then(|v| v.in_force) {
        match lang {
            Lang::ZhCn => s.push_str(&format!("（{d}起施行）")),
            Lang::En => s.push_str(&format!(" (in force from {d})")),
        }
    }
    let others: Vec<String> = counterparts
        .iter()
        .map(|c| {
            format!(
                "{}{}",
                name(c.version.as_deref().unwrap_or("")),
                match lang {
                    Lang::ZhCn => ref_text(
                        &dengbao_corpus::Citation {
                            law: None,
                            ..c.clone()
                        },
                        lang
                    ),
                    Lang::En => format!(
                        " {}",
                        ref_text(
                            &dengbao_corpus::Citation {
                                law: None,
                                ..c.clone()
                            },
                            lang
                        )
                    ),
                }
            )
        })
        .collect();
    if !others.is_empty() {
        match lang {
            Lang::ZhCn => s.push_str(&format!("；对应：{}", others.join("、"))),
            Lang::En => s.push_str(&format!("; counterpart: {}", others.join(", "))),
        }
    }
    s
}
