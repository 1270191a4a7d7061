//! `dengbao grade [--json]`: grading input on stdin, level and reasoning on stdout.

use std::io::Read;
use std::process::ExitCode;

use clap::Args;
use dengbao_grading::{grade, parse_json, Basis, GradeOutcome, DISAGREEMENT_TAG};

use dengbao_types::{Lang, Text};

use crate::say::{msg, t};
use crate::{BadInput, Ctx};

#[derive(Args, Debug)]
pub struct GradeArgs {
    /// Print the result as JSON: {"level", "business_level", "service_level", "basis",
    /// "citations", "notes"}. Without it, a readable explanation (in --lang).
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: GradeArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
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
        print!("{}", render(&outcome, ctx.lang));
    }
    Ok(ExitCode::SUCCESS)
}

fn basis_name(b: Basis, lang: Lang) -> &'static str {
    match (b, lang) {
        (Basis::Gbt22240_2020, Lang::ZhCn) => "GB/T 22240-2020《网络安全等级保护定级指南》",
        (Basis::MlpsDraft, Lang::ZhCn) => "《网络安全等级保护条例（征求意见稿）》第十五条",
        (Basis::Gbt22240_2020, Lang::En) => {
            "GB/T 22240-2020 (the MLPS grading guide, 《网络安全等级保护定级指南》)"
        }
        (Basis::MlpsDraft, Lang::En) => "MLPS Regulation (draft for comment) art. 15",
    }
}

/// The readable explanation in one language (each note of the outcome is "中文 / English").
fn render(o: &GradeOutcome, lang: Lang) -> String {
    let one = |n: &str| Text::from_joined(n).get(lang).to_string();
    let level = |l: dengbao_types::Level| msg(lang, &format!("level.{}", l.get()));
    let mut s = match lang {
        Lang::ZhCn => format!(
            "安全保护等级：{}\n定级依据：{}\n  业务信息安全保护等级：{}\n  系统服务安全保护等级：{}\n",
            level(o.level),
            basis_name(o.basis, lang),
            level(o.business_level),
            level(o.service_level)
        ),
        Lang::En => format!(
            "Protection level: {}\nBasis: {}\n  business information security: {}\n  system service security: {}\n",
            level(o.level),
            basis_name(o.basis, lang),
            level(o.business_level),
            level(o.service_level)
        ),
    };
    if let Some(n) = o.notes.iter().find(|n| n.starts_with(DISAGREEMENT_TAG)) {
        s.push_str(&format!("\n{}{}\n", t(lang, "注意：", "Note: "), one(n)));
    }
    s.push_str(t(lang, "\n理由：\n", "\nReasons:\n"));
    for n in o.notes.iter().filter(|n| !n.starts_with(DISAGREEMENT_TAG)) {
        s.push_str(&format!("  - {}\n", one(n)));
    }
    s.push_str(t(lang, "\n引用条文：\n", "\nProvisions cited:\n"));
    for c in &o.citations {
        let line = match lang {
            Lang::ZhCn => dengbao_duties::basis::cite_zh(c),
            Lang::En => dengbao_duties::basis::cite_en(c),
        };
        s.push_str(&format!("  - {line}\n"));
    }
    s
}
