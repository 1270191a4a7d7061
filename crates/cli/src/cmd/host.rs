//! `dengbao host check [--root DIR] [--level N] [--json]`: the read-only host checks of
//! data/hostchecks on this host (or a mounted root), each result with the file lines that
//! decided it (decision 0420). Exits 0 when the run completed — failed checks are results,
//! not errors (`summary.fail` in JSON); 2 for a bad flag.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use dengbao_hostcheck::{run, Checks, Host, Report, Status};
use dengbao_types::Lang;

use crate::{BadInput, Ctx};

#[derive(Subcommand, Debug)]
pub enum HostCmd {
    /// Check this host (read-only) against the 安全计算环境 items of a level.
    Check(CheckArgs),
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// A mounted root to check instead of this host (never reads the live host behind it).
    #[arg(long, default_value = "/")]
    pub root: PathBuf,
    /// The network's level: 2 or 3 (the checks are written for these).
    #[arg(long, default_value_t = 3)]
    pub level: u8,
    #[arg(long)]
    pub json: bool,
}

pub fn run_cmd(cmd: HostCmd, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    match cmd {
        HostCmd::Check(a) => check(a, ctx.lang),
    }
}

fn check(a: CheckArgs, lang: Lang) -> anyhow::Result<ExitCode> {
    if !(2..=3).contains(&a.level) {
        return Err(BadInput::new(lang.pick(
            format!("--level {}：主机检查项按第二级、第三级编写 / host checks are written for levels 2 and 3", a.level).as_str(),
            format!("--level {}: the host checks are written for levels 2 and 3", a.level).as_str(),
        )));
    }
    if !a.root.is_dir() {
        return Err(BadInput::new(format!(
            "--root {}: {}",
            a.root.display(),
            lang.pick("不是目录", "not a directory")
        )));
    }
    let checks = Checks::builtin().context("the embedded host checks")?;
    let host = Host::open(&a.root);
    let mut report = run(&checks, &host, a.level);
    report.root = a.root.display().to_string();
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_text(&report, lang);
    }
    Ok(ExitCode::SUCCESS)
}

fn one(text: &str, lang: Lang) -> String {
    dengbao_i18n::bilingual::pick(text, lang)
}

fn label(s: Status, lang: Lang) -> &'static str {
    match s {
        Status::Pass => lang.pick("通过", "pass"),
        Status::Fail => lang.pick("不通过", "fail"),
        Status::NotApplicable => lang.pick("不适用", "n/a"),
        Status::Unknown => lang.pick("无法判断", "unknown"),
    }
}

fn print_text(r: &Report, lang: Lang) {
    let distro = if r.distro.pretty_name.is_empty() {
        lang.pick("未识别", "not recognised").to_string()
    } else {
        r.distro.pretty_name.clone()
    };
    println!(
        "{} {}  {} {distro} ({})  {} {}",
        lang.pick("检查对象", "Root"),
        r.root,
        lang.pick("发行版", "distribution"),
        r.distro.family,
        lang.pick("等级", "level"),
        r.level
    );
    if !r.as_root {
        println!(
            "{}",
            lang.pick(
                "未以 root 运行：需要 root 才能读取的文件记为“无法判断”。",
                "Not run as root: files only root may read give \"unknown\"."
            )
        );
    }
    for c in &r.results {
        let title = lang.pick(&c.title, &c.title_en);
        println!(
            "[{}] {} {title} ({})",
            label(c.status, lang),
            c.id,
            c.items.join(", ")
        );
        println!("    {}", one(&c.reason, lang));
        for e in &c.evidence {
            match e.line {
                Some(n) => println!("    {}:{n}: {}", e.path, one(&e.text, lang)),
                None => println!("    {}: {}", e.path, one(&e.text, lang)),
            }
        }
    }
    let n = |k: &str| r.summary.get(k).copied().unwrap_or(0);
    println!(
        "{} {}  {} {}  {} {}  {} {}",
        label(Status::Pass, lang),
        n("pass"),
        label(Status::Fail, lang),
        n("fail"),
        label(Status::NotApplicable, lang),
        n("not_applicable"),
        label(Status::Unknown, lang),
        n("unknown")
    );
}
