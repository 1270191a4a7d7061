//! `dengbao law search`, `law eval`: ranked search over the shipped corpus and its
//! measured quality on the question set.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;

use dengbao_corpus::Corpus;
use dengbao_search::{evaluate, Hit, QuestionSet, SearchIndex};

use crate::{BadInput, Ctx};

fn index() -> anyhow::Result<(&'static Corpus, SearchIndex)> {
    let corpus = Corpus::shared()
        .map_err(|e| anyhow::anyhow!("the embedded law corpus failed to load: {e}"))?;
    let started = Instant::now();
    let index = SearchIndex::from_corpus(corpus)?;
    tracing::debug!(
        docs = index.len(),
        ms = started.elapsed().as_secs_f64() * 1000.0,
        "search index built"
    );
    Ok((corpus, index))
}

fn cn(n: u32) -> String {
    dengbao_corpus::numerals::to_chinese(n)
}

fn label(hit: &Hit) -> String {
    match hit.suffix {
        Some(s) => format!("第{}条之{}", cn(hit.article), cn(s)),
        None => format!("第{}条", cn(hit.article)),
    }
}

/// `**x**` → bold on a terminal, left as is elsewhere (pipes, files).
fn render_marks(snippet: &str, bold: bool) -> String {
    if !bold {
        return snippet.to_string();
    }
    let mut out = String::new();
    for (i, part) in snippet.split("**").enumerate() {
        if i % 2 == 1 {
            out.push_str("\x1b[1m");
            out.push_str(part);
            out.push_str("\x1b[0m");
        } else {
            out.push_str(part);
        }
    }
    out
}

pub fn search(query: &str, limit: usize, json: bool, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
    if query.trim().is_empty() {
        return Err(BadInput::new(
            "empty query (查询内容为空): give words or a citation, e.g. \
             `dengbao law search 网络日志要保存多久` or `dengbao law search 网络安全法第二十一条`",
        ));
    }
    if limit == 0 {
        return Err(BadInput::new(
            "--limit must be at least 1 (结果数量至少为 1)",
        ));
    }
    let (corpus, index) = index()?;
    let hits = index.search(query, limit)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&hits)?);
        return Ok(ExitCode::SUCCESS);
    }
    if hits.is_empty() {
        println!("没有找到与「{query}」相关的条文 (no matching article)");
        return Ok(ExitCode::SUCCESS);
    }
    let bold = std::io::stdout().is_terminal();
    for (rank, hit) in hits.iter().enumerate() {
        let title = corpus
            .article(&hit.law, hit.article, hit.suffix)
            .and_then(|a| a.title.clone())
            .map(|t| format!("【{t}】"))
            .unwrap_or_default();
        println!(
            "{}. {}{}{}  ({} {}, score {:.2})",
            rank + 1,
            hit.law_title,
            label(hit),
            title,
            hit.law,
            hit.article,
            hit.score
        );
        println!("   {}", render_marks(&hit.snippet, bold));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn eval(json: bool, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let set = QuestionSet::builtin()?;
    let (_, index) = index()?;
    let report = evaluate(&index, &set)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "questions {}  Recall@5 {:.3}  MRR {:.3}",
        report.questions, report.recall_at_5, report.mrr
    );
    if !report.failures.is_empty() {
        println!("\nnot all answers in the first five (未全部命中):");
        for f in &report.failures {
            println!(
                "- {}\n  expected {}  missing {}  got {}",
                f.q,
                f.expected.join(", "),
                f.missing.join(", "),
                f.got.join(", ")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
