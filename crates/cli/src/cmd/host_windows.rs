//! `dengbao host check --windows DIR` and `dengbao host report --windows DIR`: the Windows
//! Server checks on the files an operator exported with Windows' own commands (secedit,
//! auditpol, reg export, Get-Service; data/hostchecks/README.md, decision 0421). The same
//! JSON and text as the Linux checks; exit 2 when DIR is not a readable directory.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use dengbao_hostcheck::{run_windows, Checks, Report, WindowsProbe};
use dengbao_types::Lang;

use crate::BadInput;

/// The report of the Windows checks of `level` on the exports in `dir`.
pub(super) fn report_at(dir: &Path, level: u8, lang: Lang) -> anyhow::Result<Report> {
    let not_dir = |why: String| BadInput::new(format!("--windows {}: {why}", dir.display(),));
    if !dir.is_dir() {
        return Err(not_dir(
            lang.pick(
                "不是目录（应为导出文件所在的目录）",
                "not a directory (the directory of the exported files)",
            )
            .to_string(),
        ));
    }
    let checks =
        Checks::<WindowsProbe>::windows_builtin().context("the embedded Windows checks")?;
    run_windows(&checks, dir, level)
        .map_err(|e| not_dir(format!("{}: {e}", lang.pick("无法读取", "cannot be read"))))
}

/// `host check --windows DIR`.
pub(super) fn check(dir: &Path, level: u8, json: bool, lang: Lang) -> anyhow::Result<ExitCode> {
    let report = report_at(dir, level, lang)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    let system = if report.distro.pretty_name.is_empty() {
        lang.pick("未识别（缺少 os.reg）", "not recognised (no os.reg)")
            .to_string()
    } else {
        // The product's own name, quoted in a Chinese line.
        let v = &report.distro.version_id;
        lang.pick(&format!("“{v}”"), v).to_string()
    };
    println!(
        "{} {}  {} {system}  {} {}",
        lang.pick("导出目录", "Exports"),
        report.root,
        lang.pick("系统", "system"),
        lang.pick("等级", "level"),
        report.level
    );
    super::host::print_results(&report, lang);
    Ok(ExitCode::SUCCESS)
}
