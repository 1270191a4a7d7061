//! `dengbao law search`, `law eval`: ranked search over the shipped corpus and its
//! measured quality on the question set.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;

use dengbao_corpus::Corpus;
use dengbao_search::{evaluate, Hit, QuestionSet, SearchIndex};

use crate::say::t;
use crate::{BadInput, Ctx};
use dengbao_types::Lang;

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

pub fn search(query: &str, limit: usize, json: bool, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
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
        match lang {
            Lang::ZhCn => println!("没有找到与「{query}」相关的条文"),
            Lang::En => println!("No article matches “{query}”."),
        }
        return Ok(ExitCode::SUCCESS);
    }
    let bold = std::io::stdout().is_terminal();
    for (rank, hit) in hits.iter().enumerate() {
        let title = corpus
            .article(&hit.law, hit.article, hit.suffix)
            .and_then(|a| a.title.clone())
            .map(|t| format!("【{t}】"))
            .unwrap_or_default();
        match lang {
            Lang::ZhCn => println!(
                "{}. {}{}{}（相关度 {:.2}）",
                rank + 1,
                hit.law_title,
                label(hit),
                title,
                hit.score
            ),
            Lang::En => println!(
                "{}. 《{}》 art. {}{}{} (score {:.2})",
                rank + 1,
                hit.law_title,
                hit.article,
                hit.suffix.map(|x| format!("-{x}")).unwrap_or_default(),
                if title.is_empty() {
                    String::new()
                } else {
                    format!(" 「{title}」")
                },
                hit.score
            ),
        }
        // The law's own words: quoted in English.
        let q = if lang.is_en() { "> " } else { "" };
        println!("   {q}{}", render_marks(&hit.snippet, bold));
    }
    Ok(ExitCode::SUCCESS)
}

/// `csl 21` (the question set's form) as the reader's language cites it.
fn cited(key: &str, lang: Lang) -> String {
    let parsed = key
        .split_once(' ')
        .and_then(|(law, a)| Some((law, a.parse::<u32>().ok()?)));
    match parsed {
        Some((law, a)) => {
            let c = dengbao_types::Citation::article(law, a);
            match lang {
                Lang::ZhCn => dengbao_duties::basis::cite_zh(&c),
                Lang::En => dengbao_duties::basis::cite_en(&c),
            }
        }
        None => key.to_string(),
    }
}

pub fn eval(json: bool, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let set = QuestionSet::builtin()?;
    let (_, index) = index()?;
    let report = evaluate(&index, &set)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} {}  Recall@5 {:.3}  MRR {:.3}",
        t(lang, "问题数", "questions"),
        report.questions,
        report.recall_at_5,
        report.mrr
    );
    if !report.failures.is_empty() {
        println!(
            "\n{}",
            t(
                lang,
                "前五条未全部命中：",
                "Not all answers in the first five:"
            )
        );
        let list = |v: &[String]| {
            v.iter()
                .map(|k| cited(k, lang))
                .collect::<Vec<_>>()
                .join(t(lang, "、", ", "))
        };
        for f in &report.failures {
            let q = match lang {
                Lang::ZhCn => f.q.clone(),
                Lang::En => format!("“{}”", f.q),
            };
            println!(
                "- {q}\n  {}{}  {}{}  {}{}",
                t(lang, "应得：", "expected: "),
                list(&f.expected),
                t(lang, "缺：", "missing: "),
                list(&f.missing),
                t(lang, "实得：", "got: "),
                list(&f.got)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
