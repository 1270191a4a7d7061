//! The assessment's documents (issue 11): `GET /api/networks/{id}/assessment/report.docx`
//! and `…/assessment/findings.xlsx` answer whoever may read the assessment with the right
//! type and a Chinese file name (RFC 5987), 404 to another organisation; the report says
//! 测评未完成 with the number of items lacking a result until every item has one, then gives
//! the rate, the conclusion and the hazards counted before rectification.

mod common;

use common::world;
use dengbao_controls::{Catalog, Extension};
use dengbao_types::Level;
use serde_json::json;

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn rfc5987(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn the_report_and_the_results_download_with_their_names_and_only_to_readers() {
    let w = world().await;
    let net = w.net_a.clone();
    let report = format!("/api/networks/{net}/assessment/report.docx");
    let results = format!("/api/networks/{net}/assessment/findings.xlsx");

    // The assessor reads once engaged.
    common::engage_assessor(&w, "2026-10-09").await;
    // Before any result: both render; the report says how many items lack one.
    let catalog = Catalog::builtin().unwrap();
    let scope = catalog
        .select(
            Level::new(3).unwrap(),
            &[Extension::General, Extension::Cloud],
        )
        .unwrap();
    let r = w.get(&report, "operator_a").await;
    assert_eq!(r.status, 200, "{}", r.json);
    let xml = common::docx_xml(&r.bytes);
    assert!(
        xml.contains(&format!(
            "测评未完成：尚有{}项要求项无测评结果",
            scope.len()
        )),
        "no 测评未完成 line"
    );
    assert!(!xml.contains("符合率为"));

    for (url, mime, what, ext) in [
        (&report, DOCX, "测评报告", "docx"),
        (&results, XLSX, "测评结果", "xlsx"),
    ] {
        for role in ["operator_a", "assessor", "supervisor", "auditor"] {
            let r = w.get(url, role).await;
            assert_eq!(r.status, 200, "{role} {url}: {}", r.json);
            assert_eq!(r.headers[axum::http::header::CONTENT_TYPE], mime, "{url}");
            assert!(r.bytes.starts_with(b"PK"), "{url} is an OOXML zip");
            let disposition = r.headers[axum::http::header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .to_string();
            let prefix = rfc5987(&format!("{what}-甲-营销系统-"));
            assert!(
                disposition.contains(&format!("filename*=UTF-8''{prefix}"))
                    && disposition.ends_with(&format!(".{ext}")),
                "{disposition}"
            );
        }
        // Another organisation's operator: the same answer as for no such network.
        let r = w.get(url, "operator_b").await;
        assert!(
            matches!(r.status.as_u16(), 403 | 404),
            "{url}: {}",
            r.status
        );
        assert_eq!(r.status, 404, "{url}");
        let r = w.get(url, "anonymous").await;
        assert_eq!(r.status, 401, "{url}");
    }

    // Every item recorded, two of them 重大风险隐患, one fixed by a re-test.
    let items_url = format!("/api/networks/{net}/assessment/items");
    let all: Vec<serde_json::Value> = scope
        .iter()
        .enumerate()
        .map(|(i, c)| match i {
            0 | 1 => json!({"item": c.id, "result": "不符合", "risk": "高", "major_hazard": true, "note": "未见配置"}),
            2..=5 => json!({"item": c.id, "result": "部分符合", "risk": "中"}),
            _ => json!({"item": c.id, "result": "符合"}),
        })
        .collect();
    let r = w
        .post_json(&items_url, "assessor", json!({ "results": all }))
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let r = w
        .post_json(
            &items_url,
            "assessor",
            json!({"results": [{"item": scope[0].id, "result": "符合"}]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let verdict = r.json["conclusion"]["conclusion"]
        .as_str()
        .unwrap()
        .to_string();
    let rate = r.json["conclusion"]["rate"].as_f64().unwrap();
    let r = w.get(&report, "operator_a").await;
    assert_eq!(r.status, 200, "{}", r.json);
    let xml = common::docx_xml(&r.bytes);
    assert!(!xml.contains("测评未完成"));
    for want in [
        format!("符合率为{:.1}%，测评结论为{verdict}", rate * 100.0),
        "重大风险隐患：2（1个已整改）".to_string(),
        "甲-营销系统".to_string(),
        "第三级".to_string(),
        "云计算".to_string(),
        "结论判定规则：符合率".to_string(),
    ] {
        assert!(xml.contains(&want), "no {want} in the report");
    }
    // The reading's English half stays out of a Chinese document.
    assert!(!xml.contains("Decision 0410"));
}
