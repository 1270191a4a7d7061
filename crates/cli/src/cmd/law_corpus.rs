//! `dengbao law show`, `law diff`, `law sources`: the shipped corpus.

use std::process::ExitCode;

use crate::Ctx;

pub fn show(_law: &str, _citation: &str, _json: bool, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`law show` is not implemented yet")
}

pub fn diff(
    _law: &str,
    _from: &str,
    _to: &str,
    _json: bool,
    _ctx: &Ctx,
) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`law diff` is not implemented yet")
}

pub fn sources(_json: bool, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`law sources` is not implemented yet")
}
