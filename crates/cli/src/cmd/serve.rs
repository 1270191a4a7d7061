//! `dengbao serve` and `dengbao audit verify`.

use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::Ctx;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address for the HTTP API and console.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: String,
}

#[derive(Subcommand, Debug)]
pub enum AuditCmd {
    /// Check the audit log's hash chain; names the first bad entry.
    Verify {
        #[arg(long)]
        json: bool,
    },
}

pub fn run_serve(_args: ServeArgs, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`serve` is not implemented yet")
}

pub fn run_audit(_cmd: AuditCmd, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`audit` is not implemented yet")
}
