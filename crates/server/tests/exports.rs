//! The downloads generated from stored data open in LibreOffice: each is converted headless
//! to PDF, which must be non-trivial and (with pdftotext) show the network's name and
//! level. Without soffice: SKIP, unless DENGBAO_TEST_REQUIRE_TOOLS is set.

mod common;

use common::world;
use serde_json::json;

/// The PDF text of a converted document, without white space ("" without pdftotext);
/// None when skipped.
fn pdf_text(name: &str, bytes: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let text = dengbao_reports::test_support::pdf_text(dir.path(), name, bytes).unwrap()?;
    Some(text.split_whitespace().collect())
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
        // The file name says what and whose, in Chinese (RFC 5987 for the browser).
        let disposition = reply.headers[axum::http::header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .to_string();
        let what = match name {
            "grading.docx" => "定级报告",
            "filing.docx" => "备案表",
            "duties.xlsx" => "义务与差距清单",
            _ => "测评结果记录",
        };
        let encoded: String = format!("{what}-甲-营销系统-")
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        assert!(
            disposition.contains(&format!("filename*=UTF-8''{encoded}")),
            "{disposition}"
        );
        // Chinese documents carry Chinese values only: no profile or basis ids.
        if name.ends_with(".docx") {
            let xml = docx_xml(&reply.bytes);
            for id in ["running", "building", "gbt22240", "mlps-draft", " / "] {
                assert!(!xml.contains(id), "{name} contains {id:?}");
            }
        }
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

/// The `word/document.xml` of a DOCX (the zip's stored or deflated entry).
fn docx_xml(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut entry = zip.by_name("word/document.xml").expect("word/document.xml");
    let mut out = String::new();
    std::io::Read::read_to_string(&mut entry, &mut out).expect("UTF-8 XML");
    out
}
