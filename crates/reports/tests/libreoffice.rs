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

/// A level-3 CII operator's 较大 leak of personal information, as the register holds it.
fn incident() -> IncidentReport {
    IncidentReport {
        incident_id: "inc-1".into(),
        title: "会员数据库遭拖库".into(),
        org_name: "甲公司".into(),
        network_name: "甲-会员平台".into(),
        level: 3,
        operator_class: "关键信息基础设施运营者".into(),
        detected_at: "2026-05-31T22:15:00+08:00".into(),
        category: "数据安全事件".into(),
        grade: "较大".into(),
        grade_status: "人工确认".into(),
        grade_reasons: vec!["个人信息泄露 1000000 人，达到较大事件的 100 万人".into()],
        facts: vec![("个人信息泄露".into(), "1000000人".into())],
        affected_systems: "会员平台数据库".into(),
        affected_data: "姓名、手机号码、收货地址".into(),
        personal_info_records: 1_000_000,
        actions: vec!["2026-05-31T22:40:00+08:00　张三：隔离数据库服务器".into()],
        reports: vec![OwedReport {
            name: "初次报告".into(),
            recipient: "保护工作部门".into(),
            due: "2026-05-31T23:15:00+08:00".into(),
            citations: "《国家网络安全事件报告管理办法》第四条第二款".into(),
            state: "已按时报送".into(),
        }],
        sends: vec!["2026-05-31T23:00:00+08:00　初次报告　保护工作部门　电话".into()],
        handling_ended_at: "2026-06-03T18:00:00+08:00".into(),
        closed_at: String::new(),
        closing_note: String::new(),
        contact: String::new(),
        generated_on: "2026-06-04".into(),
    }
}

#[test]
fn incident_reports_convert_and_show_the_register_and_their_headings() {
    let r = incident();
    let common = ["甲-会员平台", "较大", "2026-05-31T22:15:00+08:00"];
    for (kind, expect) in [
        (
            IncidentDoc::Initial,
            vec![
                "网络安全事件报告（初次报告）",
                "事发单位名称及发生事件的设施、系统、平台的基本情况",
                "《国家网络安全事件报告管理办法》第七条第一款",
                "已经采取的应对措施及效果",
                "隔离数据库服务器",
            ],
        ),
        (
            IncidentDoc::FollowUp,
            vec![
                "网络安全事件报告（续报）",
                "新的重要情况或调查工作的阶段性进展",
                "已报送情况",
            ],
        ),
        (
            IncidentDoc::Summary,
            vec![
                "网络安全事件处置总结报告",
                "《国家网络安全事件报告管理办法》第八条",
                "事件原因",
                "整改情况",
                "教训",
                "2026-06-03T18:00:00+08:00",
            ],
        ),
        (
            IncidentDoc::UserNotice,
            vec![
                "个人信息泄露告知书",
                "《个人信息保护法》第五十七条第一款",
                "个人信息种类",
                "姓名、手机号码、收货地址",
                "原因和可能造成的危害",
                "我们采取的补救措施",
                "您可以采取的减轻危害的措施",
                "个人信息处理者的联系方式",
            ],
        ),
    ] {
        let bytes = incident_docx(kind, &r).unwrap();
        let mut all: Vec<&str> = expect;
        // The notice tells people what happened to them, not the grade.
        let shared = if kind == IncidentDoc::UserNotice {
            &common[..1]
        } else {
            &common[..]
        };
        all.extend(shared);
        check(&format!("{}.docx", kind.id()), &bytes, &all);
    }
}

#[test]
fn what_xml_cannot_carry_does_not_break_an_incident_report() {
    let mut r = incident();
    r.title = "拖库\u{0}事件".into();
    let bytes = incident_docx(IncidentDoc::Initial, &r).unwrap();
    check("ctl.docx", &bytes, &["拖库\u{FFFD}事件"]);
}
