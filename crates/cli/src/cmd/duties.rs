//! `dengbao duties --profile FILE.toml [--at DATE] --json` and `dengbao exposure …`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::Ctx;

#[derive(Args, Debug)]
pub struct DutiesArgs {
    #[arg(long)]
    pub profile: PathBuf,
    /// Evaluate as of this date (YYYY-MM-DD) or time (RFC 3339); today in Asia/Shanghai by default.
    #[arg(long)]
    pub at: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ExposureArgs {
    #[arg(long)]
    pub profile: PathBuf,
    #[arg(long)]
    pub at: Option<String>,
    #[arg(long)]
    pub json: bool,
}

pub fn run_duties(_args: DutiesArgs, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`duties` is not implemented yet")
}

pub fn run_exposure(_args: ExposureArgs, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`exposure` is not implemented yet")
}
