//! `dengbao grade [--json]`: grading input on stdin, level and reasoning on stdout.

use std::io::Read;
use std::process::ExitCode;

use clap::Args;
use dengbao_grading::{grade, parse_json, Basis, GradeOutcome, DISAGREEMENT_TAG};

use crate::{BadInput, Ctx};

#[derive(Args, Debug)]
pub struct GradeArgs {
    /// Print the result as JSON: {"level", "business_level", "service_level", "basis",
    /// "citations", "notes"}. Without it, a readable explanation in Chinese.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: GradeArgs, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).map_err(|e| {
        BadInput::new(format!(
            "stdin: 无法读取定级输入 / cannot read the grading input: {e}"
        ))
    })?;
    let input = parse_json(&text).map_err(|e| {
        BadInput::new(format!(
            "定级输入有误 / bad grading input: {e}\n\
             expected {{\"basis\": \"gbt22240-2020\"|\"mlps-draft\" (optional), \
             \"business\": {{\"object\": \"rights\"|\"order\"|\"national\", \
             \"degree\": \"harm\"|\"serious\"|\"especially_serious\"}}, \"service\": {{…}}}}"
        ))
    })?;
    let outcome = grade(&input);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&outcome)?);
    } else {
        print!("{}", render(&outcome));
    }
    Ok(ExitCode::SUCCESS)
}

fn basis_zh(b: Basis) -> &'static str {
    match b {
        Basis::Gbt22240_2020 => "GB/T 22240-2020《网络安全等级保护定级指南》",
        Basis::MlpsDraft => "《网络安全等级保护条例（征求意见稿）》第十五条",
    }
}

/// The readable explanation: Chinese halves of the notes (each note is "中文 / English").
fn render(o: &GradeOutcome) -> String {
    let zh = |n: &str| n.split(" / ").next().unwrap_or(n).to_string();
    let mut s = format!(
        "安全保护等级：{}\n定级依据：{}\n  业务信息安全保护等级：{}\n  系统服务安全保护等级：{}\n",
        o.level.zh(),
        basis_zh(o.basis),
        o.business_level.zh(),
        o.service_level.zh()
    );
    if let Some(n) = o.notes.iter().find(|n| n.starts_with(DISAGREEMENT_TAG)) {
        s.push_str(&format!("\n注意：{}\n", zh(n)));
    }
    s.push_str("\n理由：\n");
    for n in o.notes.iter().filter(|n| !n.starts_with(DISAGREEMENT_TAG)) {
        s.push_str(&format!("  - {}\n", zh(n)));
    }
    s.push_str("\n引用条文（网络安全等级保护条例（征求意见稿））：\n");
    for c in &o.citations {
        s.push_str(&format!("  - {c}\n"));
    }
    s
}
