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
            let xml = common::docx_xml(&reply.bytes);
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

/// Issue 16 item 4: the 备案表 and 定级报告 of a network filed with every field of the 2025
/// template carry each label and value once converted to PDF by LibreOffice, and no ASCII
/// word of ours (only codes, numbers and what the operator typed).
#[tokio::test]
async fn the_filing_form_and_grading_report_carry_every_template_field() {
    let w = world().await;
    let net = w.net_a.clone();
    let sup = w.user_ids[5].clone().unwrap();
    let form = json!({
        "credit_code": "914403001922038216",
        "address": "甲市人民路1号",
        "region_code": "440300",
        "affiliation": "地（区、市、州、盟）",
        "unit_type": "企业",
        "unit_head": "王芳",
        "unit_head_title": "总经理",
        "unit_head_phone": "0755-88886666",
        "unit_head_email": "wangfang@jia.cn",
        "responsible_department": "信息技术部",
        "contact": "李强",
        "contact_title": "安全主管",
        "phone": "0755-88887777",
        "contact_email": "liqiang@jia.cn",
        "business": "会员注册、订单与支付",
        "service_scope": "全国注册会员",
        "boundary": "互联网出口防火墙以内的应用服务器、数据库和运维终端",
        "platform": "甲云华南一区",
        "deployment": "公有云",
        "attachments": ["定级报告", "专家评审意见"]
    });
    let r = w
        .post_json(
            &format!("/api/networks/{net}/filings"),
            "operator_a",
            json!({"supervisor_id": sup, "submitted_on": "2026-09-28", "form": form}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let filing_fields = [
        ("统一社会信用代码", "914403001922038216"),
        ("单位地址", "甲市人民路1号"),
        ("行政区划代码", "440300"),
        ("隶属关系", "地（区、市、州、盟）"),
        ("单位类型", "企业"),
        ("单位负责人", "王芳"),
        ("单位负责人职务", "总经理"),
        ("单位负责人联系电话", "0755-88886666"),
        ("单位负责人电子邮件", "wangfang@jia.cn"),
        ("责任部门", "信息技术部"),
        ("责任部门联系人", "李强"),
        ("责任部门联系人职务", "安全主管"),
        ("联系电话", "0755-88887777"),
        ("责任部门联系人电子邮件", "liqiang@jia.cn"),
        ("承载业务情况", "会员注册、订单与支付"),
        ("服务范围与服务对象", "全国注册会员"),
        (
            "定级对象边界",
            "互联网出口防火墙以内的应用服务器、数据库和运维终端",
        ),
        ("承载平台", "甲云华南一区"),
        ("部署方式", "公有云"),
    ];
    let grading_fields = [
        ("定级对象描述", ""),
        (
            "定级对象边界",
            "互联网出口防火墙以内的应用服务器、数据库和运维终端",
        ),
        ("承载平台", "甲云华南一区"),
        ("部署方式", "公有云"),
        ("业务信息安全保护等级的确定", ""),
        ("系统服务安全保护等级的确定", ""),
        ("专家评审意见", ""),
    ];
    for (file, fields) in [
        ("filing.docx", &filing_fields[..]),
        ("grading.docx", &grading_fields[..]),
    ] {
        let reply = w
            .get(&format!("/api/networks/{net}/reports/{file}"), "operator_a")
            .await;
        assert_eq!(reply.status, 200, "{file}: {}", reply.json);
        // Every label and value is in the document itself…
        let xml = common::docx_xml(&reply.bytes);
        for (label, value) in fields {
            assert!(xml.contains(label), "{file}: no {label}");
            assert!(xml.contains(value), "{file}: no {value} for {label}");
        }
        // …and, through LibreOffice, in the PDF, with no ASCII word but the typed e-mails.
        let dir = tempfile::tempdir().unwrap();
        let Some(text) = dengbao_reports::test_support::pdf_text(dir.path(), file, &reply.bytes)
            .unwrap_or_else(|e| panic!("{e}"))
        else {
            return;
        };
        if text.is_empty() {
            continue;
        }
        let flat: String = text.split_whitespace().collect();
        for (label, value) in fields {
            assert!(
                flat.contains(label),
                "{file}: {label} not in the PDF:\n{text}"
            );
            let value: String = value.split_whitespace().collect();
            assert!(
                flat.contains(&value),
                "{file}: {value} not in the PDF:\n{text}"
            );
        }
        let ours = text
            .replace("wangfang@jia.cn", "")
            .replace("liqiang@jia.cn", "");
        let bad = dengbao_i18n::lint::findings(&ours, dengbao_i18n::Lang::ZhCn);
        assert!(bad.is_empty(), "{file}: ASCII words in the PDF: {bad:?}");
    }
}

#[tokio::test]
async fn a_bad_credit_code_or_choice_is_refused_naming_the_field_and_nothing_is_filed() {
    let w = world().await;
    let net = w.net_a.clone();
    let sup = w.user_ids[5].clone().unwrap();
    for (form, field) in [
        (json!({"credit_code": "914403001922038217"}), "credit_code"),
        (json!({"region_code": "44030"}), "region_code"),
        (json!({"unit_type": "公司"}), "unit_type"),
        (json!({"contact_email": "not-an-address"}), "contact_email"),
    ] {
        let r = w
            .post_json(
                &format!("/api/networks/{net}/filings"),
                "operator_a",
                json!({"supervisor_id": sup, "submitted_on": "2026-09-28", "form": form}),
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.json);
        assert!(r.json.to_string().contains(field), "{field}: {}", r.json);
    }
    let filings = w
        .get(&format!("/api/networks/{net}/filings"), "operator_a")
        .await;
    assert_eq!(
        filings.json.as_array().map(Vec::len),
        Some(0),
        "{}",
        filings.json
    );
}
