//! `dengbao host check --device FILE [--vendor huawei|h3c|cisco]` and `dengbao host report
//! --device FILE …`: a network device's saved configuration (`display
//! current-configuration`, `show running-config`) checked against data/hostchecks/devices.toml
//! (decision 0422). The same report shape as a host's; the file is only read.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use dengbao_hostcheck::{run_device, Checks, DeviceConfig, Report, Vendor};
use dengbao_types::Lang;

use super::{network_level, print_results, send, CheckArgs, ReportArgs};
use crate::cmd::remote::Remote;
use crate::BadInput;

#[derive(Args, Debug, Default)]
pub struct DeviceArgs {
    /// A network device's saved configuration to check instead of a host (the output of
    /// `display current-configuration` or `show running-config`).
    #[arg(long = "device", value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// The configuration's vendor when it is not recognised: huawei, h3c or cisco.
    #[arg(long, requires = "file")]
    pub vendor: Option<String>,
}

/// The configuration read and parsed; a file that cannot be read or a vendor not known
/// is bad input (exit 2), naming the flag.
fn load(args: &DeviceArgs, lang: Lang) -> anyhow::Result<Option<DeviceConfig>> {
    let Some(file) = &args.file else {
        return Ok(None);
    };
    let vendor = match &args.vendor {
        None => None,
        Some(v) => Some(Vendor::from_key(v).ok_or_else(|| {
            BadInput::new(format!(
                "--vendor {v}: {}",
                lang.pick("应为 huawei、h3c 或 cisco", "expected huawei, h3c or cisco")
            ))
        })?),
    };
    let bytes = read(file, lang)?;
    Ok(Some(DeviceConfig::parse(
        &file.display().to_string(),
        &bytes,
        vendor,
    )))
}

fn read(file: &Path, lang: Lang) -> anyhow::Result<Vec<u8>> {
    if file.is_dir() {
        return Err(BadInput::new(format!(
            "--device {}: {}",
            file.display(),
            lang.pick(
                "是目录，应为配置文件",
                "is a directory, not a configuration file"
            )
        )));
    }
    std::fs::read(file).map_err(|e| {
        BadInput::new(format!(
            "--device {}: {} ({e})",
            file.display(),
            lang.pick("无法读取", "cannot be read")
        ))
    })
}

pub fn check(a: &CheckArgs, lang: Lang) -> anyhow::Result<ExitCode> {
    let Some(config) = load(&a.device, lang)? else {
        return Ok(ExitCode::SUCCESS);
    };
    let checks = Checks::device_builtin().context("the embedded device checks")?;
    let report = run_device(&checks, &config, a.level);
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_header(&report, &config, lang);
        print_results(&report, lang);
    }
    Ok(ExitCode::SUCCESS)
}

/// Checks the configuration at the network's level and sends it; the host name is
/// `--host-name`, else the device's own name (`sysname` / `hostname`).
pub fn report(a: &ReportArgs, lang: Lang) -> anyhow::Result<ExitCode> {
    let Some(config) = load(&a.device, lang)? else {
        return Ok(ExitCode::SUCCESS);
    };
    let name = a
        .host_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .or_else(|| config.hostname.clone())
        .ok_or_else(|| {
            BadInput::new(lang.pick(
                "--host-name：配置中没有 sysname / hostname，请给出设备名",
                "--host-name: the configuration names no sysname or hostname; give the device's name",
            ))
        })?;
    let remote = Remote::new(&a.server, lang)?;
    let base = format!("/api/networks/{}", a.server.network);
    let level = network_level(&remote, &base, lang)?;
    let checks = Checks::device_builtin().context("the embedded device checks")?;
    let report = run_device(&checks, &config, level);
    send(&remote, &base, &name, &report, lang)
}

fn print_header(r: &Report, config: &DeviceConfig, lang: Lang) {
    let system = match config.vendor {
        Some(_) => r.distro.pretty_name.clone(),
        None => format!(
            "{}（{}）",
            lang.pick("未识别", "not recognised"),
            lang.pick(&config.why_zh, &config.why_en)
        ),
    };
    println!(
        "{} {}  {} {system}  {} {}",
        lang.pick("配置文件", "Configuration"),
        r.root,
        lang.pick("设备", "device"),
        lang.pick("等级", "level"),
        r.level
    );
}
