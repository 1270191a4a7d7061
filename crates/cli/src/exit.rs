//! Exit codes: 0 ok, 2 bad input (the user's file, flag or stdin), 1 anything else.

use std::process::ExitCode;

/// An error caused by the user's input. The message names the field, line or article and
/// is printed as is; the process exits 2 and nothing has been written.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

impl BadInput {
    // Builds the error every command returns, not a `BadInput` value: callers write
    // `Err(BadInput::new(…))?` without a conversion.
    #[allow(clippy::new_ret_no_self)]
    pub fn new(msg: impl Into<String>) -> anyhow::Error {
        anyhow::Error::new(BadInput(msg.into()))
    }
}

pub fn report(result: anyhow::Result<ExitCode>, lang: dengbao_types::Lang) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(err) => {
            let bad_input = err.chain().any(|e| e.is::<BadInput>());
            eprintln!("{}{err:#}", lang.pick("错误：", "error: "));
            if bad_input {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
