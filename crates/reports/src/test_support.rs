//! For tests that open the generated documents in LibreOffice (this crate's and the
//! server's): headless conversion to PDF, then the PDF's text. Without `soffice` the
//! check is skipped, unless `DENGBAO_TEST_REQUIRE_TOOLS` is set.

use std::path::Path;
use std::process::Command;

/// Whether `name` is a command on the PATH.
fn tool(name: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether `DENGBAO_TEST_REQUIRE_TOOLS` asks that a missing tool fail the test.
fn required() -> bool {
    std::env::var_os("DENGBAO_TEST_REQUIRE_TOOLS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Converts `bytes` (saved as `name` in `dir`) to PDF and returns the PDF's text: `None`
/// when soffice is missing and not required, `""` without pdftotext. Err says what failed:
/// a required tool missing, no PDF, or a PDF of under 2,000 bytes.
pub fn pdf_text(dir: &Path, name: &str, bytes: &[u8]) -> Result<Option<String>, String> {
    if !tool("soffice") {
        if required() {
            return Err("soffice is required (DENGBAO_TEST_REQUIRE_TOOLS) but missing".into());
        }
        eprintln!("SKIP: soffice not installed");
        return Ok(None);
    }
    let file = dir.join(name);
    std::fs::write(&file, bytes).map_err(|e| format!("{}: {e}", file.display()))?;
    // LibreOffice now and then aborts on start-up ("Unspecified Application Error") while
    // initialising a fresh profile, most often when several instances start at once.
    // Conversions are therefore run one at a time per test process, and a failed one is
    // tried again: a document LibreOffice cannot read fails every attempt.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let pdf = file.with_extension("pdf");
    let mut failures = Vec::new();
    let mut size = None;
    for _attempt in 0..3 {
        let out = Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                dir.join("profile").display()
            ))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(dir)
            .arg(&file)
            .output()
            .map_err(|e| format!("soffice: {e}"))?;
        if let Ok(m) = std::fs::metadata(&pdf) {
            size = Some(m.len());
            break;
        }
        failures.push(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let Some(size) = size else {
        return Err(format!("no PDF from {name}: {}", failures.join(" / ")));
    };
    if size <= 2000 {
        return Err(format!("{name}: PDF of only {size} bytes"));
    }
    if !tool("pdftotext") {
        if required() {
            return Err("pdftotext is required (DENGBAO_TEST_REQUIRE_TOOLS) but missing".into());
        }
        eprintln!("pdftotext missing: text not checked");
        return Ok(Some(String::new()));
    }
    let txt = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .map_err(|e| format!("pdftotext: {e}"))?;
    Ok(Some(String::from_utf8_lossy(&txt.stdout).into_owned()))
}

/// `pdfinfo` of the PDF a [`pdf_text`] call left in `dir` for `name`: `None` when the PDF
/// or pdfinfo (poppler-utils, like pdftotext) is missing.
pub fn pdf_info(dir: &Path, name: &str) -> Option<String> {
    let pdf = dir.join(name).with_extension("pdf");
    if !pdf.exists() || !tool("pdfinfo") {
        return None;
    }
    let out = Command::new("pdfinfo").arg(&pdf).output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}
