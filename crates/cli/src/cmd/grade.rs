//! `dengbao grade --json`: grading input on stdin, level and reasoning on stdout.

use std::process::ExitCode;

use clap::Args;

use crate::Ctx;

#[derive(Args, Debug)]
pub struct GradeArgs {
    #[arg(long)]
    pub json: bool,
}

pub fn run(_args: GradeArgs, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`grade` is not implemented yet")
}
