//! `dengbao logs …`: the log centre.

use std::process::ExitCode;

use clap::Subcommand;

use crate::Ctx;

#[derive(Subcommand, Debug)]
pub enum LogsCmd {
    /// Verify the log store's integrity.
    Verify,
}

pub fn run(_cmd: LogsCmd, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`logs` is not implemented yet")
}
