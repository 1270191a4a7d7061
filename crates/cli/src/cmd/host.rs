//! `dengbao host check [--root DIR] [--level N] [--json]`: the read-only host checks of
//! data/hostchecks on this host (or a mounted root), each result with the file lines that
//! decided it (decision 0420). Exits 0 when the run completed — failed checks are results,
//! not errors (`summary.fail` in JSON); 2 for a bad flag.
//!
//! `dengbao host report --server URL --token T --network ID [--host-name N] [--root DIR]`:
//! the same checks at the network's level, sent to the server as evidence.
//!
//! With `--windows DIR` both read a Windows Server's exported files instead
//! (`host_windows.rs`); with `--device FILE [--vendor V]`, a network device's saved
//! configuration (`host/device.rs`, decision 0422).

mod device;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use dengbao_hostcheck::{run, Checks, Host, Report, Status};
use dengbao_types::Lang;

use super::remote::{Remote, ServerArgs};
use crate::{BadInput, Ctx};

#[derive(Subcommand, Debug)]
pub enum HostCmd {
    /// Check this host (read-only) against the 安全计算环境 items of a level.
    Check(CheckArgs),
    /// Check this host at its network's level and send the result to the server, where it
    /// is stored as evidence pending review.
    Report(ReportArgs),
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(flatten)]
    pub server: ServerArgs,
    /// The host's name as the operator knows it (default: the root's /etc/hostname).
    #[arg(long)]
    pub host_name: Option<String>,
    /// A mounted root to check instead of this host.
    #[arg(long, default_value = "/")]
    pub root: PathBuf,
    #[command(flatten)]
    pub device: device::DeviceArgs,
    /// A Windows Server's exported files (data/hostchecks/README.md) instead of a Linux
    /// host; needs --host-name.
    #[arg(long, conflicts_with = "root")]
    pub windows: Option<PathBuf>,
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
    #[command(flatten)]
    pub device: device::DeviceArgs,
    /// Check a Windows Server from the files exported on it (data/hostchecks/README.md)
    /// instead of a Linux host.
    #[arg(long, conflicts_with = "root")]
    pub windows: Option<PathBuf>,
}

pub fn run_cmd(cmd: HostCmd, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    match cmd {
        HostCmd::Check(a) => check(a, ctx.lang),
        HostCmd::Report(a) => report(a, ctx.lang),
    }
}

/// Runs the checks at the network's level (asked of the server) and sends the report.
fn report(a: ReportArgs, lang: Lang) -> anyhow::Result<ExitCode> {
    if a.device.file.is_some() {
        return device::report(&a, lang);
    }
    if a.windows.is_none() && !a.root.is_dir() {
        return Err(BadInput::new(format!(
            "--root {}: {}",
            a.root.display(),
            lang.pick("不是目录", "not a directory")
        )));
    }
    let host = Host::open(&a.root);
    let name = match &a.host_name {
        Some(n) => n.trim().to_string(),
        None if a.windows.is_some() => String::new(),
        None => host
            .read("/etc/hostname")
            .unwrap_or_default()
            .trim()
            .to_string(),
    };
    if name.is_empty() {
        return Err(BadInput::new(if a.windows.is_some() {
            lang.pick(
                "--host-name：请给出这台 Windows 服务器的名称",
                "--host-name: give the Windows server's name",
            )
        } else {
            lang.pick(
                "--host-name：读不到 /etc/hostname，请给出主机名",
                "--host-name: /etc/hostname cannot be read; give the host's name",
            )
        }));
    }
    let remote = Remote::new(&a.server, lang)?;
    let base = format!("/api/networks/{}", a.server.network);
    let level = network_level(&remote, &base, lang)?;
    let result = match &a.windows {
        Some(dir) => super::host_windows::report_at(dir, level, lang)?,
        None => {
            let checks = Checks::builtin().context("the embedded host checks")?;
            let mut result = run(&checks, &host, level);
            result.root = a.root.display().to_string();
            result
        }
    };
    send(&remote, &base, &name, &result, lang)
}
/// The network's level, asked of the server: 2 or 3, else exit 2 before anything is sent.
fn network_level(remote: &Remote, base: &str, lang: Lang) -> anyhow::Result<u8> {
    let net = remote.ok(remote.send("GET", base, None)?, "--network")?;
    let level = net["level"].as_u64().and_then(|l| u8::try_from(l).ok());
    match level {
        Some(l @ 2..=3) => Ok(l),
        Some(l) => Err(BadInput::new(format!(
            "--network: {} {l}{}",
            lang.pick("网络为第", "the network is at level"),
            lang.pick(
                "级；主机检查项按第二级、第三级编写",
                "; the host checks are written for levels 2 and 3"
            )
        ))),
        None => Err(BadInput::new(lang.pick(
            "--network：网络尚未定级，先定级再提交主机检查",
            "--network: the network is not graded yet; grade it before sending a host report",
        ))),
    }
}

/// Sends `result` as the report of host `name` and says what the server stored.
fn send(
    remote: &Remote,
    base: &str,
    name: &str,
    result: &Report,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let level = result.level;
    let body = serde_json::json!({"host": name, "report": result});
    let answer = remote.send("POST", &format!("{base}/host-reports"), Some(&body))?;
    let stored = remote.ok(answer, "host report")?;
    let n = |k: &str| result.summary.get(k).copied().unwrap_or(0);
    println!(
        "{}",
        match lang {
            Lang::En => format!(
                "Sent the host check of {name} (level {level}): {} pass, {} fail, {} n/a, {} unknown. Stored as evidence {}, pending review.",
                n("pass"), n("fail"), n("not_applicable"), n("unknown"), stored["evidence_id"].as_str().unwrap_or("?")
            ),
            _ => format!(
                "已提交 {name} 的主机检查（{}）：通过 {} 项，不通过 {} 项，不适用 {} 项，无法判断 {} 项。已存为证据 {}，待审核。",
                dengbao_types::Level::new(level).map(|l| l.zh()).unwrap_or("?"),
                n("pass"), n("fail"), n("not_applicable"), n("unknown"), stored["evidence_id"].as_str().unwrap_or("?")
            ),
        }
    );
    Ok(ExitCode::SUCCESS)
}

fn check(a: CheckArgs, lang: Lang) -> anyhow::Result<ExitCode> {
    if !(2..=3).contains(&a.level) {
        return Err(BadInput::new(lang.pick(
            format!("--level {}：主机检查项按第二级、第三级编写 / host checks are written for levels 2 and 3", a.level).as_str(),
            format!("--level {}: the host checks are written for levels 2 and 3", a.level).as_str(),
        )));
    }
    if a.device.file.is_some() {
        return device::check(&a, lang);
    }
    if let Some(dir) = &a.windows {
        return super::host_windows::check(dir, a.level, a.json, lang);
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
    print_results(r, lang);
}

/// Each result with its reason and lines, then the counts (Linux and Windows alike).
pub(super) fn print_results(r: &Report, lang: Lang) {
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
