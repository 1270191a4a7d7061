//! Helpers shared by the CLI tests (`mod common;`).
#![allow(dead_code)]

use serde_json::Value;

/// The JSON on stdout of a run that must have succeeded (else fail with its exit and stderr).
pub fn json_ok(out: std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

/// A finished run as (exit code, stdout, stderr); -1 when killed by a signal.
pub fn outcome(out: std::process::Output) -> (i32, String, String) {
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
