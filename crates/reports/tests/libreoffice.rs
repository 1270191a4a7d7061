//! Each generated document opens in LibreOffice: converted headless to PDF, the PDF is
//! non-trivial and (with pdftotext) shows the network's name and level in Chinese.
//! Without soffice the test prints SKIP, unless DENGBAO_TEST_REQUIRE_TOOLS is set.

use dengbao_reports::*;

/// The PDF text of a converted document ("" without pdftotext); None when skipped.
fn convert(name: &str, bytes: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    test_support::pdf_text(dir.path(), name, bytes).unwrap()
}

fn check(name: &str, bytes: &[u8], expect: &[&str]) {
    let Some(text) = convert(name, bytes) else {
        return;
    };
    if text.is_empty() {
        return;
    }
    // pdftotext may break lines inside a cell; compare without whitespace.
    let flat: String = text.split_whitespace().collect();
    for e in expect {
        let e: String = e.split_whitespace().collect();
        assert!(
            flat.contains(&e),
            "{name}: {e:?} not in the PDF text:\n{text}"
        );
    }
}

fn kv(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn grading_report_converts_and_shows_name_and_level() {
    let r = GradingReport {
        org_name: "甲市电力公司".into(),
        network_name: "电力调度管理系统".into(),
        level: 3,
        business_level: Some(3),
        service_level: Some(2),
        basis: "GB/T 22240-2020".into(),
        reasoning: vec![
            "业务信息安全：受侵害的客体为社会秩序和公共利益，侵害程度为严重损害，定为第三级".into(),
        ],
        citations: vec!["mlps 第十五条".into()],
        graded_on: "2026-09-21".into(),
        generated_on: "2026-09-28".into(),
        business_object: "社会秩序和公共利益".into(),
        business_degree: "严重危害".into(),
        service_object: "公民、法人和其他组织的合法权益".into(),
        service_degree: "特别严重损害".into(),
        reviewed_on: "2026-09-24".into(),
        review_opinion: "同意定为第三级".into(),
        ..Default::default()
    };
    // The chapters of the usual 定级报告, each object and degree, and the review's opinion.
    check(
        "grading.docx",
        &grading_docx(&r).unwrap(),
        &[
            "电力调度管理系统",
            "第三级",
            "一、定级对象描述",
            "（一）业务信息安全保护等级的确定",
            "（二）系统服务安全保护等级的确定",
            "社会秩序和公共利益",
            "严重危害",
            "三、定级对象的安全保护等级",
            "四、专家评审意见",
            "同意定为第三级",
            "五、行业主管部门审核意见",
        ],
    );
}

#[test]
fn filing_form_converts_and_shows_name_and_level() {
    let f = FilingForm {
        network_name: "电力调度管理系统".into(),
        level: 3,
        generated_on: "2026-09-28".into(),
        unit: kv(&[("单位名称", "甲市电力公司"), ("行业类别", "电力")]),
        network: kv(&[("定级对象名称", "电力调度管理系统")]),
        grading: kv(&[("安全保护等级", "第三级")]),
        attachments: vec![("定级报告".into(), true), ("网络拓扑结构".into(), false)],
        filing: kv(&[("备案证明编号", "11010000001-26001")]),
    };
    check(
        "filing.docx",
        &filing_docx(&f).unwrap(),
        &["电力调度管理系统", "第三级", "备案表"],
    );
}

#[test]
fn duty_list_converts_and_shows_name_and_level() {
    let d = DutyList {
        org_name: "甲市电力公司".into(),
        network_name: "电力调度管理系统".into(),
        level: 3,
        at: "2026-10-09".into(),
        rows: vec![DutyRow {
            id: "mlps.filing".into(),
            title: "第二级以上网络在等级确定后10个工作日内备案".into(),
            citations: "mlps 第十八条".into(),
            status: "overdue".into(),
            due: "2026-10-12".into(),
            evidence: 0,
            penalty: "依据《网络安全等级保护条例（征求意见稿）》第六十三条第一款，依照《网络安全法》第五十九条第一款处罚".into(),
        }],
    };
    check(
        "duties.xlsx",
        &duties_xlsx(&d).unwrap(),
        &["电力调度管理系统", "第三级", "已逾期", "处罚依据"],
    );
}

#[test]
fn findings_convert_and_show_name_and_level() {
    let f = Findings {
        org_name: "甲市电力公司".into(),
        network_name: "电力调度管理系统".into(),
        level: 3,
        assessor: "某测评机构".into(),
        engaged_on: "2026-10-09".into(),
        conclusion: "基本符合".into(),
        concluded_on: "2026-11-02".into(),
        score: Some(82.5),
        rows: vec![FindingRow {
            duty_id: "mlps.logs".into(),
            duty_title: "网络日志留存不少于六个月".into(),
            result: "部分符合".into(),
            text: "日志仅留存三个月".into(),
            evidence: vec!["日志策略截图".into()],
        }],
        ..Default::default()
    };
    check(
        "findings.xlsx",
        &findings_xlsx(&f).unwrap(),
        &["电力调度管理系统", "第三级", "基本符合"],
    );
}

/// A gap list of many rows prints on A4 landscape with every column on the page width:
/// as many pages as the rows need, not one page per column.
#[test]
fn the_gap_list_prints_on_a4_landscape_with_all_columns_on_a_page() {
    let rows = (0..60)
        .map(|i| DutyRow {
            id: format!("mlps.duty_{i}"),
            title: "第三级以上网络的运营者应当每年开展一次网络安全等级测评".into(),
            citations: "《网络安全等级保护条例（征求意见稿）》第二十三条".into(),
            status: "overdue".into(),
            due: "2026-10-12".into(),
            evidence: 0,
            penalty: "依照《网络安全法》第六十一条第一款处罚".into(),
        })
        .collect();
    let d = DutyList {
        org_name: "甲市电力公司".into(),
        network_name: "电力调度管理系统".into(),
        level: 3,
        at: "2026-10-09".into(),
        rows,
    };
    let dir = tempfile::tempdir().unwrap();
    let Some(_) =
        test_support::pdf_text(dir.path(), "gaps.xlsx", &duties_xlsx(&d).unwrap()).unwrap()
    else {
        return;
    };
    let Some(info) = test_support::pdf_info(dir.path(), "gaps.xlsx") else {
        eprintln!("pdfinfo missing: page size not checked");
        return;
    };
    let size = info
        .lines()
        .find(|l| l.starts_with("Page size:"))
        .unwrap_or_default();
    let dims: Vec<f64> = size
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    assert!(dims.len() >= 2, "{info}");
    assert!(
        (dims[0] - 841.9).abs() < 2.0 && (dims[1] - 595.3).abs() < 2.0,
        "A4 landscape: {size}"
    );
    let pages: u32 = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|p| p.trim().parse().ok())
        .unwrap();
    // Two sheets of 60 rows each: a few pages each, where one column per page would be 7
    // pages per page-height of rows.
    assert!(pages <= 6, "{pages} pages:\n{info}");
}
