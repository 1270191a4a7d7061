//! `dengbao law parse FILE --json`.

use std::path::Path;
use std::process::ExitCode;

pub fn run(_file: &Path, _json: bool) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`law parse` is not implemented yet")
}
