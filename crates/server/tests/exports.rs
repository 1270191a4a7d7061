//! The downloads generated from stored data open in LibreOffice: each is converted headless
//! to PDF, which must be non-trivial and (with pdftotext) show the network's name and
//! level. Without soffice: SKIP, unless DENGBAO_TEST_REQUIRE_TOOLS is set.

mod common;

use std::process::Command;

use common::world;
use serde_json::json;

fn tool(name: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn required() -> bool {
    std::env::var_os("DENGBAO_TEST_REQUIRE_TOOLS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// The PDF text of a converted document ("" without pdftotext); None when skipped.
fn pdf_text(name: &str, bytes: &[u8]) -> Option<String> {
    if !tool("soffice") {
        assert!(
            !required(),
            "soffice is required (DENGBAO_TEST_REQUIRE_TOOLS) but missing"
        );
        eprintln!("SKIP: soffice not installed");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, bytes).unwrap();
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.path().join("profile").display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&file)
        .output()
        .unwrap();
    let pdf = file.with_extension("pdf");
    assert!(
        pdf.exists(),
        "{name} did not convert: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let size = std::fs::metadata(&pdf).unwrap().len();
    assert!(size > 2000, "{name}: PDF of only {size} bytes");
    if !tool("pdftotext") {
        assert!(
            !required(),
            "pdftotext is required (DENGBAO_TEST_REQUIRE_TOOLS) but missing"
        );
        return Some(String::new());
    }
    let txt = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    Some(
        String::from_utf8_lossy(&txt.stdout)
            .split_whitespace()
            .collect(),
    )
}

#[tokio::test]
async fn every_download_converts_to_a_pdf_showing_the_network_and_its_level() {
    let w = world().await;
    let net = w.net_a.clone();
    // A filing and a concluded assessment, so every download has its data.
    let sup = w.user_ids[5].clone().unwrap();
    let r = w
        .post_json(
            &format!("/api/networks/{net}/filings"),
            "operator_a",
            json!({"supervisor_id": sup, "submitted_on": "2026-09-28",
                   "form": {"address": "甲市人民路1号", "attachments": ["定级报告"]}}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let assessor = w.user_ids[4].clone().unwrap();
    let r = w
        .post_json(
            &format!("/api/networks/{net}/engagements"),
            "operator_a",
            json!({"assessor_id": assessor, "engaged_on": "2026-10-09"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let r = w
        .post_json(
            &format!("/api/networks/{net}/engagements/findings"),
            "assessor",
            json!({"duty_id": "mlps.filing", "result": "conforms", "text": "已于9月28日备案"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    for (file, extra) in [
        ("grading.docx", "定级报告"),
        ("filing.docx", "备案表"),
        ("duties.xlsx?at=2026-10-09", "义务"),
        ("findings.xlsx", "符合"),
    ] {
        let reply = w
            .get(&format!("/api/networks/{net}/reports/{file}"), "operator_a")
            .await;
        assert_eq!(reply.status, 200, "{file}: {}", reply.json);
        assert!(reply.bytes.starts_with(b"PK"), "{file} is an OOXML zip");
        let name = file.split('?').next().unwrap();
        let Some(text) = pdf_text(name, &reply.bytes) else {
            return;
        };
        if text.is_empty() {
            continue;
        }
        for want in ["甲-营销系统", "第三级", extra] {
            assert!(
                text.contains(want),
                "{name}: {want} not in the PDF:\n{text}"
            );
        }
    }
}
