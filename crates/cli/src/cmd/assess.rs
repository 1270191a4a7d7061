//! `dengbao assess conclude --level N --results RESULTS.json [--ext EXT]… --json`: the rate
//! and conclusion of a level assessment under 公网安〔2025〕1846号 Q20, computed and printed,
//! never stored (decision 0410). `assess record` / `assess show` talk to a server
//! (assess_remote).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, Subcommand};
use dengbao_controls::{conclude, Catalog, Outcome, ResultsError, Submitted};

use super::controls::{ext_args, level_arg, scope_error};
use crate::{BadInput, Ctx};
use dengbao_types::Lang;

#[derive(Subcommand, Debug)]
pub enum AssessCmd {
    /// Compute the assessment conclusion (符合/基本符合/不符合) from item results.
    Conclude(ConcludeArgs),
    /// Send item results to a server, into the engaged assessor's open engagement.
    Record(super::assess_remote::RecordArgs),
    /// A network's assessment on a server: progress, rate, conclusion, open tasks.
    Show(super::assess_remote::ShowArgs),
}

#[derive(Args, Debug)]
pub struct ConcludeArgs {
    /// Protection level 1–4.
    #[arg(long)]
    pub level: String,
    /// JSON: [{"item": "L3-CES1-01", "result": "符合"|"部分符合"|"不符合"|"不适用",
    /// "reason": str, "risk": "高"|"中"|"低", "major_hazard": bool}].
    #[arg(long)]
    pub results: PathBuf,
    /// An extension assessed with the general items (also implied by its items in RESULTS).
    #[arg(long = "ext", value_name = "EXT")]
    pub ext: Vec<String>,
    #[arg(long)]
    pub json: bool,
}

pub fn run(cmd: AssessCmd, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    match cmd {
        AssessCmd::Conclude(a) => run_conclude(a, ctx.lang),
        AssessCmd::Record(a) => super::assess_remote::run_record(a, ctx.lang),
        AssessCmd::Show(a) => super::assess_remote::run_show(a, ctx.lang),
    }
}

fn run_conclude(a: ConcludeArgs, lang: Lang) -> anyhow::Result<ExitCode> {
    let level = level_arg(&a.level)?;
    let exts = ext_args(&a.ext)?;
    let path = a.results.display();
    let text = std::fs::read_to_string(&a.results)
        .map_err(|e| BadInput::new(format!("--results {path}: 无法读取 / cannot read: {e}")))?;
    let results: Vec<Submitted> = serde_json::from_str(&text).map_err(|e| {
        BadInput::new(format!(
            "--results {path}: 不是测评结果列表 / not a list of item results: {e}"
        ))
    })?;
    let catalog = Catalog::builtin().context("the embedded control catalog")?;
    let out = conclude(&catalog, level, &exts, &results).map_err(|e| match e {
        ResultsError::Scope(s) => scope_error(s),
        other => BadInput::new(format!("--results {path}: {other}")),
    })?;
    // Which 高风险 cases the items rated 高 match: reported beside the conclusion, which
    // they do not change (Q20 leaves 基本符合 whatever the high-risk findings).
    let hr = super::controls::high_risk(&catalog)?;
    let matches = hr.matches(&results);
    if a.json {
        let mut v = serde_json::to_value(&out)?;
        v["high_risk_cases"] = serde_json::to_value(&matches)?;
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    let n = |k: &str| out.counts.get(k).copied().unwrap_or(0);
    let reading = dengbao_types::Text::from_joined(out.reading);
    match lang {
        Lang::ZhCn => {
            println!(
                "测评结论：{}　符合率：{:.1}%　重大风险隐患：{} 项",
                out.conclusion.zh(),
                out.rate * 100.0,
                out.major_hazards
            );
            let counts: Vec<String> = Outcome::ALL
                .iter()
                .map(|o| format!("{} {}", o.zh(), n(o.zh())))
                .collect();
            println!(
                "各项结果：{}（共 {} 项，计入符合率 {} 项）",
                counts.join("，"),
                n("total"),
                n("applicable")
            );
            for m in &matches {
                let cases = if m.cases.is_empty() {
                    "无对应判例（按类似情形判定）".to_string()
                } else {
                    m.cases.join("、")
                };
                println!("高风险项 {}：{}", m.item, cases);
            }
            println!("判定口径：{}", reading.zh);
        }
        Lang::En => {
            // The conclusion and result names are the rules' own terms: quoted.
            println!(
                "Conclusion: 「{}」  compliance rate: {:.1}%  major hazards: {}",
                out.conclusion.zh(),
                out.rate * 100.0,
                out.major_hazards
            );
            let counts: Vec<String> = Outcome::ALL
                .iter()
                .map(|o| format!("「{}」 {}", o.zh(), n(o.zh())))
                .collect();
            println!(
                "Results: {} ({} items, {} counted in the rate)",
                counts.join(", "),
                n("total"),
                n("applicable")
            );
            for m in &matches {
                let cases = if m.cases.is_empty() {
                    "no listed case (judged as a similar case)".to_string()
                } else {
                    m.cases.join(", ")
                };
                println!("High-risk item {}: {}", m.item, cases);
            }
            println!("Reading: {}", crate::say::quoted(lang, &reading.en));
        }
    }
    Ok(ExitCode::SUCCESS)
}
