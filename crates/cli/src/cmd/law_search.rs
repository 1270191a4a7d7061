//! `dengbao law search`, `law eval`.

use std::process::ExitCode;

use crate::Ctx;

pub fn search(_query: &str, _limit: usize, _json: bool, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`law search` is not implemented yet")
}

pub fn eval(_json: bool, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`law eval` is not implemented yet")
}
