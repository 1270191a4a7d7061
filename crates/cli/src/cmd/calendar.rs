//! `dengbao calendar add-workdays DATE N`, `dengbao calendar is-workday DATE`.

use std::process::ExitCode;

use clap::Subcommand;

use crate::Ctx;

#[derive(Subcommand, Debug)]
pub enum CalendarCmd {
    /// The date N working days after DATE (DATE itself not counted).
    AddWorkdays { date: String, n: String },
    /// `true` if DATE is a working day in mainland China, else `false`.
    IsWorkday { date: String },
}

pub fn run(_cmd: CalendarCmd, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`calendar` is not implemented yet")
}
