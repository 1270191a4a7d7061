//! `dengbao cases …`: 以案释法, the case library — list every case, or search them.
//! JSON is the interface scripts rely on (`dengbao_cases::CaseView`); text is in one
//! language at a time, the Chinese sources quoted in English (decision 0934).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use dengbao_cases::{Case, CaseView, FinedParty, Library};
use dengbao_types::Lang;

use crate::say::t;
use crate::{BadInput, Ctx};

#[derive(Subcommand, Debug)]
pub enum CasesCmd {
    /// Every case: date, authority, facts, the articles applied, the penalty, the source.
    List {
        #[arg(long)]
        json: bool,
        /// Only the cases that illustrate this duty (an id of data/duties/, e.g. csl.operator.logs).
        #[arg(long)]
        duty: Option<String>,
        /// Read the cases from this file (a reviewer's edited copy) instead of the shipped ones.
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// The cases matching every word of QUERY (Chinese by character pairs), best first.
    Search {
        query: String,
        #[arg(long)]
        json: bool,
        #[arg(long)]
        file: Option<PathBuf>,
    },
}

pub fn run(cmd: CasesCmd, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    match cmd {
        CasesCmd::List { json, duty, file } => {
            let lib = load(file, lang)?;
            let cases: Vec<&Case> = match &duty {
                Some(d) => {
                    if dengbao_duties::Catalog::builtin()?.duty(d).is_none() {
                        return Err(BadInput::new(if lang.is_en() {
                            format!("--duty {d}: no such duty in data/duties/")
                        } else {
                            format!("--duty {d}：义务目录（data/duties/）中没有这项义务")
                        }));
                    }
                    lib.for_duty(d).collect()
                }
                None => lib.cases().collect(),
            };
            print(&cases, json, lang)?;
            if !json {
                println!(
                    "{}",
                    if lang.is_en() {
                        format!(
                            "{} case{}",
                            cases.len(),
                            if cases.len() == 1 { "" } else { "s" }
                        )
                    } else {
                        format!("共 {} 个案例", cases.len())
                    }
                );
            }
        }
        CasesCmd::Search { query, json, file } => {
            if query.trim().is_empty() {
                return Err(BadInput::new(t(
                    lang,
                    "查询为空：请给出要查找的词，例如 日志、等级保护",
                    "empty query: give the words to look for, e.g. 日志 (logs), 等级保护 (MLPS)",
                )));
            }
            let lib = load(file, lang)?;
            let hits: Vec<&Case> = lib.search(&query).into_iter().map(|h| h.case).collect();
            print(&hits, json, lang)?;
            if !json {
                println!(
                    "{}",
                    match (hits.len(), lang.is_en()) {
                        (0, false) => "没有匹配的案例".to_string(),
                        (0, true) => "no case matches".to_string(),
                        (n, false) => format!("共 {n} 个案例匹配"),
                        (1, true) => "1 case matches".to_string(),
                        (n, true) => format!("{n} cases match"),
                    }
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The shipped library, or a file's: a file that breaks a rule is the user's bad input.
fn load(file: Option<PathBuf>, lang: Lang) -> anyhow::Result<Library> {
    match file {
        Some(path) => Library::from_file(&path).map_err(|e| BadInput::new(e.message(lang))),
        None => Library::embedded().map_err(|e| anyhow::anyhow!(e.message(lang))),
    }
}

fn print(cases: &[&Case], json: bool, lang: Lang) -> anyhow::Result<()> {
    if json {
        let views: Vec<CaseView> = cases.iter().map(|c| CaseView::of(c)).collect();
        println!("{}", serde_json::to_string_pretty(&views)?);
        return Ok(());
    }
    let catalog = dengbao_duties::Catalog::builtin()?;
    for c in cases {
        if lang.is_en() {
            english(c, &catalog);
        } else {
            chinese(c, &catalog);
        }
        println!();
    }
    Ok(())
}

fn chinese(c: &Case, catalog: &dengbao_duties::Catalog) {
    println!(
        "{}  {}（{}）  {} · {}",
        c.id,
        c.date,
        c.date_basis.label(false),
        c.authority,
        c.place
    );
    println!("  当事人：{}", c.party);
    println!("  事实：{}", c.facts);
    let cites: Vec<String> = c
        .citations
        .iter()
        .map(dengbao_duties::basis::cite_zh)
        .collect();
    let stated = if c.articles_stated {
        "来源载明"
    } else {
        "来源未列条文，按所述行为对应"
    };
    println!("  依据：{}（{stated}）", cites.join("、"));
    for d in &c.duties {
        let title = catalog.duty(d).map(|x| x.title.as_str()).unwrap_or("");
        println!("  义务：{d} {title}");
    }
    let kinds: Vec<&str> = c.penalty.kinds.iter().map(|k| k.label(false)).collect();
    println!("  处罚：{} — {}", kinds.join("；"), c.penalty.text);
    let title = c
        .source
        .title
        .as_deref()
        .map(|x| format!("“{x}” "))
        .unwrap_or_default();
    // The publisher is a name, quoted like the title (it may be written in Latin letters).
    println!("  来源：{title}“{}” {}", c.source.publisher, c.source.url);
    if let Some(n) = &c.note {
        println!("  说明：{n}");
    }
}

fn english(c: &Case, catalog: &dengbao_duties::Catalog) {
    println!(
        "{}  {} ({})  “{}”, “{}”",
        c.id,
        c.date,
        c.date_basis.label(true),
        c.authority,
        c.place
    );
    println!("  Party: “{}”", c.party);
    println!("  Facts: {}", c.facts_en);
    let cites: Vec<String> = c
        .citations
        .iter()
        .map(dengbao_duties::basis::cite_en)
        .collect();
    let stated = if c.articles_stated {
        "as the source states them"
    } else {
        "the source names no article; these fit the conduct it describes"
    };
    println!("  Articles: {} ({stated})", cites.join("; "));
    for d in &c.duties {
        let title = catalog.duty(d).map(|x| x.title_en.as_str()).unwrap_or("");
        println!("  Duty: {d} {title}");
    }
    let kinds: Vec<&str> = c.penalty.kinds.iter().map(|k| k.label(true)).collect();
    let mut penalty = kinds.join(", ");
    for f in &c.penalty.fines {
        let who = match (f.who, &f.name) {
            (FinedParty::Org, _) => "the organisation".to_string(),
            (FinedParty::Person, Some(n)) => format!("“{n}”"),
            (FinedParty::Person, None) => "the person responsible".to_string(),
        };
        let amount = f
            .yuan
            .map(|y| format!("{y} yuan"))
            .unwrap_or_else(|| "amount not given".into());
        penalty.push_str(&format!("; {who}: {amount}"));
    }
    if let Some(days) = c.penalty.detention_days {
        penalty.push_str(&format!(
            "; detention: {days} day{}",
            if days == 1 { "" } else { "s" }
        ));
    }
    println!("  Penalty: {penalty}");
    let title = c
        .source
        .title
        .as_deref()
        .map(|x| format!("“{x}”, "))
        .unwrap_or_default();
    println!(
        "  Source: {title}“{}”, {}",
        c.source.publisher, c.source.url
    );
}
