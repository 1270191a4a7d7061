//! The level-assessment report (网络安全等级测评报告), shaped like the 2025 report template as
//! practitioners know it (公网安〔2025〕1846号 Q21 applies it to reports dated after
//! 2025-03-20): cover, 测评项目概述, 被测对象描述, 单项测评结果 class by class, 问题清单,
//! 重大风险隐患, 整改情况 and 测评结论. The sections are our reconstruction from public
//! descriptions, not the official template; what fills them is the per-item results the
//! store holds (decision 0412) and the conclusion `dengbao_controls::conclude` computed
//! (decision 0410), so nothing here judges: it lays out.
//!
//! An assessment still missing results renders too — the operator may want the draft — but
//! says 测评未完成 with the number of items lacking a result, and gives no rate or conclusion.

use docx_rs::{AlignmentType, BreakType, Paragraph, Run, Table, TableRow, WidthType};

use crate::docx::{cell, docx, heading, pack, para, subtitle, table, title};
use crate::{level_zh, Result};

/// The standards and notice the assessment rests on, as the report's 测评依据 lists them.
pub const BASIS: [&str; 3] = [
    "《信息安全技术　网络安全等级保护基本要求》（GB/T 22239-2019）",
    "《信息安全技术　网络安全等级保护测评要求》（GB/T 28448-2019）",
    "《公安部网络安全保卫局关于网络安全等级保护测评有关问题的解答》（公网安〔2025〕1846号）",
];

/// The section headings, in order (the tests look for each).
pub const SECTIONS: [&str; 7] = [
    "一、测评项目概述",
    "二、被测对象描述",
    "三、单项测评结果",
    "四、问题清单",
    "五、重大风险隐患",
    "六、整改情况",
    "七、测评结论",
];

/// One requirement item in scope, with its latest result (all text in Chinese).
#[derive(Debug, Clone, Default)]
pub struct AssessmentItem {
    /// The GB/T 28448-2019 style id, e.g. `L3-CES1-01`.
    pub id: String,
    /// 安全计算环境 …; for an extension item, the class as the standard names it.
    pub class: String,
    pub point: String,
    /// The item letter within its control point: `a`, `b` …
    pub letter: String,
    pub requirement: String,
    /// 符合 / 部分符合 / 不符合 / 不适用, or "" when not assessed yet.
    pub result: String,
    /// 高 / 中 / 低, or "".
    pub risk: String,
    pub major_hazard: bool,
    /// Why 不适用.
    pub reason: String,
    /// What the assessor checked and saw.
    pub note: String,
    /// When the latest result was recorded (Beijing time), "" when none.
    pub recorded_at: String,
    /// The 高风险 cases of the guide tied to the item when rated 高 (`HR-… 名称`).
    pub high_risk_cases: Vec<String>,
}

/// One rectification task (整改): an item found 不符合 or 部分符合 in the engagement.
#[derive(Debug, Clone, Default)]
pub struct RectificationRow {
    pub item: String,
    /// The item's latest result.
    pub result: String,
    pub risk: String,
    pub owner: String,
    pub due: String,
    /// 未安排 / 整改中 / 已逾期 / 已整改（复测通过）
    pub state: String,
}

/// The conclusion `dengbao_controls::conclude` gave, once every item has a result.
#[derive(Debug, Clone, Default)]
pub struct ReportConclusion {
    /// 符合 ÷ applicable, 0.0–1.0.
    pub rate: f64,
    /// 符合 / 基本符合 / 不符合
    pub verdict: String,
    /// The reading adopted for the cases the notice leaves open (its Chinese text).
    pub reading: String,
}

/// A network's assessment, ready to lay out.
#[derive(Debug, Clone, Default)]
pub struct AssessmentReport {
    pub org_name: String,
    pub network_name: String,
    pub level: u8,
    /// The assessor (测评机构) as recorded with the engagement; "" when none.
    pub assessor: String,
    /// The engagement's date, "" when none.
    pub engaged_on: String,
    /// The extensions in scope, in Chinese (云计算, 移动互联, 物联网, 工业控制).
    pub extensions: Vec<String>,
    /// Every item in scope, in the catalog's order (classes in the standard's order).
    pub items: Vec<AssessmentItem>,
    /// None while some item has no result.
    pub conclusion: Option<ReportConclusion>,
    /// 重大风险隐患 found in the engagement before rectification, and how many of them a
    /// re-test has since closed.
    pub hazards_found: usize,
    pub hazards_fixed: usize,
    pub tasks: Vec<RectificationRow>,
    /// The report's date, `YYYY-MM-DD`.
    pub generated_on: String,
}

impl AssessmentReport {
    /// Items still without a result.
    pub fn unassessed(&self) -> usize {
        self.items.iter().filter(|i| i.result.is_empty()).count()
    }

    /// The classes in the order their items come.
    fn classes(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for i in &self.items {
            if !out.contains(&i.class.as_str()) {
                out.push(&i.class);
            }
        }
        out
    }
}

/// 重大风险隐患 as the report writes it: found before rectification, with the fixed ones in
/// brackets — `10（5个已整改）`, or `0`.
pub fn hazard_line(found: usize, fixed: usize) -> String {
    if found == 0 {
        "0".to_string()
    } else {
        format!("{found}（{fixed}个已整改）")
    }
}

/// The rate with one decimal, as a percentage: `95.3%`.
pub fn rate_text(rate: f64) -> String {
    format!("{:.1}%", rate * 100.0)
}

fn or_none(s: &str) -> String {
    if s.trim().is_empty() {
        "（未记录）".to_string()
    } else {
        s.to_string()
    }
}

/// The result column: the result, or 未测评.
pub fn result_or_pending(r: &str) -> &str {
    if r.is_empty() {
        "未测评"
    } else {
        r
    }
}

/// A table with a bold header row and columns of the given widths (twentieths of a point).
fn grid(head: &[&str], widths: &[usize], rows: Vec<Vec<String>>) -> Table {
    let mut out = vec![TableRow::new(
        head.iter()
            .zip(widths)
            .map(|(h, w)| cell(h, true, *w))
            .collect(),
    )];
    for r in rows {
        out.push(TableRow::new(
            r.iter()
                .zip(widths)
                .map(|(v, w)| cell(v, false, *w))
                .collect(),
        ));
    }
    // Without a grid LibreOffice sizes the columns evenly and breaks short words.
    Table::new(out)
        .set_grid(widths.to_vec())
        .width(widths.iter().sum(), WidthType::Dxa)
}

/// Per-result counts of `items`: 符合, 部分符合, 不符合, 不适用, 未测评.
fn tally<'a>(items: impl Iterator<Item = &'a AssessmentItem>) -> String {
    let mut n = [0usize; 5];
    for i in items {
        let k = match i.result.as_str() {
            "符合" => 0,
            "部分符合" => 1,
            "不符合" => 2,
            "不适用" => 3,
            _ => 4,
        };
        n[k] += 1;
    }
    let mut s = format!(
        "符合{}项，部分符合{}项，不符合{}项，不适用{}项",
        n[0], n[1], n[2], n[3]
    );
    if n[4] > 0 {
        s.push_str(&format!("，未测评{}项", n[4]));
    }
    s
}

/// The record column: the note, and for 不适用 the reason.
fn record_of(i: &AssessmentItem) -> String {
    match (i.reason.trim().is_empty(), i.note.trim().is_empty()) {
        (true, _) => i.note.clone(),
        (false, true) => format!("不适用理由：{}", i.reason),
        (false, false) => format!("不适用理由：{}；{}", i.reason, i.note),
    }
}

fn extensions_text(r: &AssessmentReport) -> String {
    if r.extensions.is_empty() {
        "无".to_string()
    } else {
        r.extensions.join("、")
    }
}

/// The report as DOCX bytes.
pub fn assessment_docx(r: &AssessmentReport) -> Result<Vec<u8>> {
    let level = level_zh(r.level);
    // Cover.
    let mut d = docx()
        .add_paragraph(title("网络安全等级测评报告"))
        .add_paragraph(subtitle(&format!("{}（{level}）", r.network_name)))
        .add_table(table(&[
            ("被测对象名称".to_string(), r.network_name.clone()),
            ("安全保护等级".to_string(), level.to_string()),
            ("被测单位".to_string(), or_none(&r.org_name)),
            ("测评机构".to_string(), or_none(&r.assessor)),
            ("报告日期".to_string(), r.generated_on.clone()),
        ]));
    let unassessed = r.unassessed();
    if r.conclusion.is_none() {
        d = d.add_paragraph(
            Paragraph::new()
                .add_run(
                    crate::docx::run(&format!("测评未完成：尚有{unassessed}项要求项无测评结果"))
                        .bold()
                        .size(24),
                )
                .align(AlignmentType::Center),
        );
    }

    // The cover stands on its own page, as a report's does.
    d = d.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)));

    // 一、测评项目概述
    d = d
        .add_paragraph(heading(SECTIONS[0]))
        .add_paragraph(para("（一）测评目的"))
        .add_paragraph(para(&format!(
            "依据网络安全等级保护有关标准，对{}的安全保护状况进行等级测评，查找与{level}安全要求的差距和存在的安全问题，提出整改建议，为被测单位整改和公安机关监督检查提供依据。",
            r.network_name
        )))
        .add_paragraph(para("（二）测评依据"));
    for (i, b) in BASIS.iter().enumerate() {
        d = d.add_paragraph(para(&format!("{}. {b}", i + 1)));
    }
    d = d
        .add_paragraph(para("（三）测评范围"))
        .add_paragraph(para(&format!(
            "{level}安全通用要求{}，共{}项要求项；委托日期：{}。",
            if r.extensions.is_empty() {
                String::new()
            } else {
                format!("及{}安全扩展要求", extensions_text(r))
            },
            r.items.len(),
            or_none(&r.engaged_on)
        )));

    // 二、被测对象描述
    d = d.add_paragraph(heading(SECTIONS[1])).add_table(table(&[
        ("被测对象名称".to_string(), r.network_name.clone()),
        ("安全保护等级".to_string(), level.to_string()),
        ("被测单位".to_string(), or_none(&r.org_name)),
        ("安全扩展要求".to_string(), extensions_text(r)),
        ("测评要求项".to_string(), format!("{}项", r.items.len())),
    ]));

    // 三、单项测评结果, one table per class.
    d = d.add_paragraph(heading(SECTIONS[2]));
    for (n, class) in r.classes().into_iter().enumerate() {
        let of_class = || r.items.iter().filter(|i| i.class == class);
        d = d
            .add_paragraph(para(&format!("（{}）{class}", chinese_number(n + 1))))
            .add_paragraph(para(&tally(of_class())))
            .add_table(grid(
                &["控制点", "要求项", "要求内容", "结果", "记录"],
                &[1400, 1500, 3300, 900, 1900],
                of_class()
                    .map(|i| {
                        vec![
                            i.point.clone(),
                            format!("{}（{}）", i.id, i.letter),
                            i.requirement.clone(),
                            result_or_pending(&i.result).to_string(),
                            record_of(i),
                        ]
                    })
                    .collect(),
            ));
    }

    // 四、问题清单: every finding, with its risk and the 高风险 case behind it.
    let findings: Vec<&AssessmentItem> = r
        .items
        .iter()
        .filter(|i| matches!(i.result.as_str(), "不符合" | "部分符合"))
        .collect();
    d = d.add_paragraph(heading(SECTIONS[3]));
    if findings.is_empty() {
        d = d.add_paragraph(para("未发现不符合或部分符合的要求项。"));
    } else {
        d = d
            .add_paragraph(para(&format!(
                "共{}项：不符合{}项，部分符合{}项。",
                findings.len(),
                findings.iter().filter(|i| i.result == "不符合").count(),
                findings.iter().filter(|i| i.result == "部分符合").count()
            )))
            .add_table(grid(
                &[
                    "序号",
                    "要求项",
                    "安全类及控制点",
                    "结果",
                    "风险等级",
                    "问题描述",
                    "高风险判定",
                ],
                &[500, 1400, 1600, 900, 700, 2400, 1500],
                findings
                    .iter()
                    .enumerate()
                    .map(|(k, i)| {
                        vec![
                            (k + 1).to_string(),
                            i.id.clone(),
                            format!("{}　{}", i.class, i.point),
                            i.result.clone(),
                            or_none(&i.risk),
                            i.note.clone(),
                            if i.high_risk_cases.is_empty() {
                                if i.risk == "高" {
                                    "无对应判例（测评人员判定）".to_string()
                                } else {
                                    "否".to_string()
                                }
                            } else {
                                i.high_risk_cases.join("；")
                            },
                        ]
                    })
                    .collect(),
            ));
    }

    // 五、重大风险隐患, counted before rectification.
    d = d
        .add_paragraph(heading(SECTIONS[4]))
        .add_paragraph(para(&format!(
            "重大风险隐患：{}",
            hazard_line(r.hazards_found, r.hazards_fixed)
        )))
        .add_paragraph(para(
            "数量为整改前测评发现的重大风险隐患，括号内为复测已整改的数量；是否构成重大风险隐患由测评人员依据公网安〔2025〕1846号第17问、第19问判定。",
        ));
    let open: Vec<&AssessmentItem> = r.items.iter().filter(|i| i.major_hazard).collect();
    if !open.is_empty() {
        d = d.add_paragraph(para(&format!(
            "尚未整改的重大风险隐患：{}",
            open.iter()
                .map(|i| format!("{}（{}　{}）", i.id, i.class, i.point))
                .collect::<Vec<_>>()
                .join("；")
        )));
    }

    // 六、整改情况
    d = d.add_paragraph(heading(SECTIONS[5]));
    if r.tasks.is_empty() {
        d = d.add_paragraph(para("无需整改的要求项。"));
    } else {
        let fixed = r
            .tasks
            .iter()
            .filter(|t| t.state.starts_with("已整改"))
            .count();
        d = d
            .add_paragraph(para(&format!(
                "需整改{}项，已整改{}项，未整改{}项。",
                r.tasks.len(),
                fixed,
                r.tasks.len() - fixed
            )))
            .add_table(grid(
                &[
                    "要求项",
                    "当前结果",
                    "风险等级",
                    "负责人",
                    "整改期限",
                    "状态",
                ],
                &[1500, 1000, 1000, 2000, 1400, 2100],
                r.tasks
                    .iter()
                    .map(|t| {
                        vec![
                            t.item.clone(),
                            t.result.clone(),
                            or_none(&t.risk),
                            or_none(&t.owner),
                            or_none(&t.due),
                            t.state.clone(),
                        ]
                    })
                    .collect(),
            ));
    }

    // 七、测评结论
    d = d.add_paragraph(heading(SECTIONS[6]));
    d = match &r.conclusion {
        Some(c) => d
            .add_table(table(&[
                ("单项测评结果".to_string(), tally(r.items.iter())),
                ("符合率".to_string(), rate_text(c.rate)),
                (
                    "重大风险隐患".to_string(),
                    hazard_line(r.hazards_found, r.hazards_fixed),
                ),
                ("测评结论".to_string(), c.verdict.clone()),
            ]))
            .add_paragraph(para(&format!(
                "{}的安全保护状况经等级测评，符合率为{}，测评结论为{}。",
                r.network_name,
                rate_text(c.rate),
                c.verdict
            )))
            .add_paragraph(para(&format!("结论判定规则：{}", c.reading))),
        None => d.add_paragraph(para(&format!(
            "测评未完成：尚有{unassessed}项要求项无测评结果，全部要求项测评后方给出符合率和测评结论。"
        ))),
    };
    pack(d)
}

/// 一 … 十, for the class sub-headings (ten classes at most).
fn chinese_number(n: usize) -> &'static str {
    ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
        .get(n.saturating_sub(1))
        .copied()
        .unwrap_or("十")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hazard_line_counts_before_rectification() {
        assert_eq!(hazard_line(10, 5), "10（5个已整改）");
        assert_eq!(hazard_line(1, 1), "1（1个已整改）");
        assert_eq!(hazard_line(0, 0), "0");
    }

    #[test]
    fn the_rate_has_one_decimal() {
        assert_eq!(rate_text(0.95348), "95.3%");
        assert_eq!(rate_text(0.9), "90.0%");
    }
}
