//! `dengbao law parse FILE [--json]`: any statute file → its structure.
//!
//! Exit 2 (bad input) when the file cannot be read, is empty, is binary, is neither UTF-8
//! nor GBK text, or holds no article (第N条) at all. With `--json` the output is the
//! parsed statute with the parser's `diagnostics` added at top level; without, a readable
//! outline followed by the diagnostics.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use dengbao_statute::{decode, parse, Diagnostic, Statute};

use dengbao_types::Lang;

use super::law_corpus::ref_text;
use crate::say::t;
use crate::BadInput;

pub fn run(file: &Path, json: bool, lang: Lang) -> anyhow::Result<ExitCode> {
    let shown = file.display();
    let bytes = std::fs::read(file)
        .map_err(|e| BadInput::new(format!("cannot read {shown}: {e} (无法读取文件)")))?;
    let text = decode(&bytes).map_err(|e| BadInput::new(format!("{shown}: {e}")))?;
    let (statute, diagnostics) = parse(&text);
    if statute.articles.is_empty() {
        return Err(BadInput::new(format!(
            "{shown}: no article (第N条) found, this is not a statute text (未找到任何条文，不是法规文本)"
        )));
    }
    let out = if json {
        let doc = ParseOutput {
            statute: &statute,
            diagnostics: &diagnostics,
        };
        let mut text = serde_json::to_string_pretty(&doc).context("serialising the statute")?;
        text.push('\n');
        text
    } else {
        outline(&statute, &diagnostics, lang)
    };
    write_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// The `--json` document: the statute's fields in order, then `diagnostics`.
#[derive(serde::Serialize)]
struct ParseOutput<'a> {
    #[serde(flatten)]
    statute: &'a Statute,
    diagnostics: &'a [Diagnostic],
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(anyhow::Error::new(e).context("writing to stdout"))
        }
        _ => Ok(()),
    }
}

/// The outline in one language; in English the statute's own words are quoted 「…」.
fn outline(st: &Statute, diagnostics: &[Diagnostic], lang: Lang) -> String {
    let en = lang.is_en();
    let q = |s: &str| {
        if en {
            format!("「{s}」")
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    let title = if st.title.is_empty() {
        t(lang, "（无标题）", "(untitled)").to_string()
    } else {
        q(&format!(
            "{}{}",
            st.title,
            st.subtitle.as_deref().unwrap_or("")
        ))
    };
    let _ = writeln!(out, "{title}");
    let refs: usize = st.articles.iter().map(|a| a.refs.len()).sum();
    let _ = match lang {
        Lang::ZhCn => writeln!(
            out,
            "{} 条，{} 章，{} 处引用，{} 条诊断",
            st.articles.len(),
            st.chapters.len(),
            refs,
            diagnostics.len()
        ),
        Lang::En => writeln!(
            out,
            "{} articles, {} chapters, {} references, {} diagnostics",
            st.articles.len(),
            st.chapters.len(),
            refs,
            diagnostics.len()
        ),
    };
    let mut chapter = None;
    let mut section = None;
    for a in &st.articles {
        if chapter != Some(a.chapter) {
            chapter = Some(a.chapter);
            section = None;
            if let Some(c) = st.chapters.iter().find(|c| c.number == a.chapter) {
                let _ = match lang {
                    Lang::ZhCn => writeln!(out, "第{}章 {}", c.number, c.title),
                    Lang::En => writeln!(out, "Chapter {} {}", c.number, q(&c.title)),
                };
            }
        }
        if a.section.is_some() && section != a.section {
            section = a.section;
            let s = st
                .chapters
                .iter()
                .find(|c| c.number == a.chapter)
                .and_then(|c| c.sections.iter().find(|s| Some(s.number) == a.section));
            if let Some(s) = s {
                let _ = match lang {
                    Lang::ZhCn => writeln!(out, "  第{}节 {}", s.number, s.title),
                    Lang::En => writeln!(out, "  Section {} {}", s.number, q(&s.title)),
                };
            }
        }
        let label = match (a.suffix, lang) {
            (Some(s), Lang::ZhCn) => format!("第{}条之{}", a.number, s),
            (None, Lang::ZhCn) => format!("第{}条", a.number),
            (Some(s), Lang::En) => format!("art. {}-{}", a.number, s),
            (None, Lang::En) => format!("art. {}", a.number),
        };
        let title = a
            .title
            .as_ref()
            .map(|x| {
                if en {
                    format!(" 「{x}」")
                } else {
                    format!("【{x}】")
                }
            })
            .unwrap_or_default();
        let head: String = a.text.chars().take(30).filter(|c| *c != '\n').collect();
        let more = if a.text.chars().count() > 30 {
            "…"
        } else {
            ""
        };
        let refs = if a.refs.is_empty() {
            String::new()
        } else {
            format!(
                ", → {}",
                a.refs
                    .iter()
                    .map(|c| ref_text(c, lang))
                    .collect::<Vec<_>>()
                    .join(t(lang, "、", "; "))
            )
        };
        let paragraphs = match lang {
            Lang::ZhCn => format!("{}款", a.paragraphs.len()),
            Lang::En => format!("{} paragraph(s)", a.paragraphs.len()),
        };
        let _ = writeln!(
            out,
            "    {label}{title} {}  [{paragraphs}{refs}]",
            q(&format!("{head}{more}"))
        );
    }
    if !diagnostics.is_empty() {
        let _ = writeln!(out, "{}", t(lang, "诊断：", "Diagnostics:"));
        for d in diagnostics {
            let _ = match lang {
                Lang::ZhCn => writeln!(
                    out,
                    "  第 {} 行：{}",
                    d.line,
                    if d.message_zh.is_empty() {
                        &d.message
                    } else {
                        &d.message_zh
                    }
                ),
                Lang::En => writeln!(
                    out,
                    "  line {}: {}",
                    d.line,
                    crate::say::quoted(lang, &d.message)
                ),
            };
        }
    }
    out
}
