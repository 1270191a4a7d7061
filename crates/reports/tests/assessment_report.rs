//! The 测评报告 DOCX and the per-item results XLSX of a level-3 cloud network, built from the
//! real control catalog and the real 2025 conclusion, open in LibreOffice and read back:
//! every section, the rate with one decimal, the conclusion, the hazards counted before
//! rectification, and no English word outside ids, numbers and proper names. An
//! incomplete assessment still renders, saying so, with no conclusion.
//! Without soffice the conversion is skipped (SKIP), unless DENGBAO_TEST_REQUIRE_TOOLS is set.

use dengbao_controls::{conclude, Catalog, Extension, HighRisk, Submitted};
use dengbao_reports::*;
use dengbao_types::Level;

/// Level 3, general + cloud: mostly 符合, every 17th 部分符合, every 23rd 不符合, every 31st
/// 不适用; `L3-PES1-03` a 重大风险隐患 still open (高, tied to a 高风险 case) and the first item
/// one that was a hazard and is fixed (re-tested 符合).
fn report(complete: bool) -> AssessmentReport {
    let catalog = Catalog::builtin().unwrap();
    let level = Level::new(3).unwrap();
    let scope = catalog
        .select(level, &[Extension::General, Extension::Cloud])
        .unwrap();
    let high_risk = HighRisk::builtin(&catalog).unwrap();
    let mut items = Vec::new();
    let mut submitted = Vec::new();
    for (n, c) in scope.iter().enumerate() {
        let (result, risk, hazard, reason, note) = if c.id == "L3-PES1-03" {
            (
                "不符合",
                "高",
                true,
                "",
                "机房出入口未配置电子门禁，无专人值守",
            )
        } else if n % 23 == 5 {
            ("不符合", "中", false, "", "未见相关配置")
        } else if n % 17 == 3 {
            ("部分符合", "低", false, "", "部分设备已配置")
        } else if n % 31 == 7 {
            ("不适用", "", false, "未采用该技术", "")
        } else {
            ("符合", "", false, "", "")
        };
        if !complete && n % 40 == 39 {
            items.push(AssessmentItem {
                id: c.id.clone(),
                class: c.class.zh().into(),
                point: c.point.clone(),
                letter: c.letter.to_string(),
                requirement: c.requirement.clone(),
                ..Default::default()
            });
            continue;
        }
        let s = Submitted {
            item: c.id.clone(),
            result: result.into(),
            reason: Some(reason.to_string()).filter(|r| !r.is_empty()),
            risk: Some(risk.to_string()).filter(|r| !r.is_empty()),
            major_hazard: Some(hazard),
        };
        let cases = high_risk
            .matches(std::slice::from_ref(&s))
            .into_iter()
            .flat_map(|m| m.cases)
            .map(|id| format!("{id} {}", high_risk.get(&id).unwrap().name))
            .collect();
        submitted.push(s);
        items.push(AssessmentItem {
            id: c.id.clone(),
            class: c.class.zh().into(),
            point: c.point.clone(),
            letter: c.letter.to_string(),
            requirement: c.requirement.clone(),
            result: result.into(),
            risk: risk.into(),
            major_hazard: hazard,
            reason: reason.into(),
            note: note.into(),
            recorded_at: "2026-10-12 14:30".into(),
            high_risk_cases: cases,
        });
    }
    let conclusion = complete.then(|| {
        let c = conclude(&catalog, level, &[Extension::Cloud], &submitted).unwrap();
        ReportConclusion {
            rate: c.rate,
            verdict: c.conclusion.zh().into(),
            reading: c.reading.split(" / ").next().unwrap().into(),
        }
    });
    let tasks = vec![
        RectificationRow {
            item: scope[0].id.clone(),
            result: "符合".into(),
            risk: String::new(),
            owner: "信息技术部".into(),
            due: "2026-12-31".into(),
            state: "已整改（复测通过）".into(),
        },
        RectificationRow {
            item: "L3-PES1-03".into(),
            result: "不符合".into(),
            risk: "高".into(),
            owner: String::new(),
            due: String::new(),
            state: "未安排".into(),
        },
    ];
    AssessmentReport {
        org_name: "甲市电力公司".into(),
        network_name: "电力调度管理系统".into(),
        level: 3,
        assessor: "甲市网络安全测评中心".into(),
        engaged_on: "2026-10-09".into(),
        extensions: vec!["云计算".into()],
        items,
        conclusion,
        hazards_found: 2,
        hazards_fixed: 1,
        tasks,
        generated_on: "2026-10-20".into(),
    }
}

/// The PDF text of a converted document; None when skipped or without pdftotext.
fn pdf(name: &str, bytes: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let text = test_support::pdf_text(dir.path(), name, bytes).unwrap()?;
    (!text.is_empty()).then_some(text)
}

fn flat(s: &str) -> String {
    s.split_whitespace().collect()
}

fn assert_chinese_only(name: &str, text: &str) {
    let bad = dengbao_i18n::lint::findings(text, dengbao_i18n::Lang::ZhCn);
    assert!(bad.is_empty(), "{name}: ASCII words in the PDF: {bad:#?}");
}

#[test]
fn the_report_and_the_results_read_back_with_every_section_and_the_conclusion() {
    let r = report(true);
    let c = r.conclusion.clone().unwrap();
    let rate = rate_text(c.rate);
    assert!(
        rate.ends_with('%') && rate.split('.').nth(1).unwrap().len() == 2,
        "{rate}"
    );
    let docx = assessment_docx(&r).unwrap();
    let xlsx = assessment_xlsx(&r).unwrap();
    assert!(docx.starts_with(b"PK") && xlsx.starts_with(b"PK"));

    if let Some(text) = pdf("report.docx", &docx) {
        let t = flat(&text);
        for s in ASSESSMENT_SECTIONS {
            assert!(t.contains(s), "report: no {s}:\n{text}");
        }
        for s in [
            "网络安全等级测评报告",
            "电力调度管理系统",
            "第三级",
            "甲市电力公司",
            "甲市网络安全测评中心",
            "2026-10-20",
            "GB/T22239-2019",
            "GB/T28448-2019",
            "公网安〔2025〕1846号",
            "云计算",
            "安全物理环境",
            "安全管理中心",
            "安全运维管理",
            &rate,
            "2（1个已整改）",
            "HR-PES-01",
            "结论判定规则",
            "未安排",
            "已整改（复测通过）",
        ] {
            assert!(t.contains(&flat(s)), "report: no {s}:\n{text}");
        }
        assert!(
            t.contains(&format!("测评结论为{}", c.verdict)),
            "report: no conclusion {}:\n{text}",
            c.verdict
        );
        assert!(!t.contains("测评未完成"), "{text}");
        assert_chinese_only("report.docx", &text);
    }
    if let Some(text) = pdf("results.xlsx", &xlsx) {
        let t = flat(&text);
        for s in [
            "要求项编号",
            "控制点",
            "要求内容",
            "重大风险隐患",
            "L3-PES1-03",
            "未采用该技术",
            &rate,
            "2（1个已整改）",
        ] {
            assert!(t.contains(&flat(s)), "results: no {s}:\n{text}");
        }
        assert_chinese_only("results.xlsx", &text);
    }
}

#[test]
fn an_incomplete_assessment_renders_without_a_conclusion() {
    let r = report(false);
    let missing = r.unassessed();
    assert!(missing > 0);
    let docx = assessment_docx(&r).unwrap();
    let xlsx = assessment_xlsx(&r).unwrap();
    if let Some(text) = pdf("draft.docx", &docx) {
        let t = flat(&text);
        assert!(
            t.contains(&format!("测评未完成：尚有{missing}项要求项无测评结果")),
            "{text}"
        );
        assert!(!t.contains("符合率为"), "{text}");
        assert!(t.contains("未测评"), "{text}");
        assert_chinese_only("draft.docx", &text);
    }
    if let Some(text) = pdf("draft.xlsx", &xlsx) {
        assert!(flat(&text).contains("未测评"), "{text}");
    }
}
