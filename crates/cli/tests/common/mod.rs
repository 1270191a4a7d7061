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
