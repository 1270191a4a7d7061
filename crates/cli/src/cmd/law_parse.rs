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

use crate::BadInput;

pub fn run(file: &Path, json: bool) -> anyhow::Result<ExitCode> {
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
        outline(&statute, &diagnostics)
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

fn outline(st: &Statute, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    let title = if st.title.is_empty() {
        "(untitled / 无标题)"
    } else {
        &st.title
    };
    let _ = writeln!(out, "{title}{}", st.subtitle.as_deref().unwrap_or(""));
    let refs: usize = st.articles.iter().map(|a| a.refs.len()).sum();
    let _ = writeln!(
        out,
        "{} articles (条), {} chapters (章), {} references (引用), {} diagnostics",
        st.articles.len(),
        st.chapters.len(),
        refs,
        diagnostics.len()
    );
    let mut chapter = None;
    let mut section = None;
    for a in &st.articles {
        if chapter != Some(a.chapter) {
            chapter = Some(a.chapter);
            section = None;
            if let Some(c) = st.chapters.iter().find(|c| c.number == a.chapter) {
                let _ = writeln!(out, "第{}章 {}", c.number, c.title);
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
                let _ = writeln!(out, "  第{}节 {}", s.number, s.title);
            }
        }
        let label = match a.suffix {
            Some(s) => format!("第{}条之{}", a.number, s),
            None => format!("第{}条", a.number),
        };
        let title = a
            .title
            .as_ref()
            .map(|t| format!("【{t}】"))
            .unwrap_or_default();
        let head: String = a.text.chars().take(30).filter(|c| *c != '\n').collect();
        let more = if a.text.chars().count() > 30 {
            "…"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "    {label}{title} {head}{more}  [{}款{}]",
            a.paragraphs.len(),
            if a.refs.is_empty() {
                String::new()
            } else {
                format!(
                    ", → {}",
                    a.refs
                        .iter()
                        .map(|c| c.to_string())
                        .collect::<Vec<_>>()
                        .join("、")
                )
            }
        );
    }
    if !diagnostics.is_empty() {
        let _ = writeln!(out, "diagnostics (诊断):");
        for d in diagnostics {
            let _ = writeln!(out, "  line {}: {}", d.line, d.message);
        }
    }
    out
}
