//! The XLSX workbooks: the duty and gap list, an assessment's findings per duty, and an
//! assessment's results per requirement item.

use rust_xlsxwriter::{Format, FormatBorder, Workbook, Worksheet};

use crate::assessment_docx::{hazard_line, rate_text, result_or_pending};
use crate::{level_zh, status_zh, AssessmentReport, DutyList, Findings, Result, CJK_FONT};

pub(crate) fn base() -> Format {
    Format::new().set_font_name(CJK_FONT).set_font_size(11)
}

fn header() -> Format {
    base()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color("#D9E1F2")
}

pub(crate) fn body() -> Format {
    base().set_border(FormatBorder::Thin).set_text_wrap()
}

pub(crate) fn title(ws: &mut Worksheet, text: &str, sub: &str) -> Result<()> {
    ws.write_string_with_format(
        0,
        0,
        crate::safe::xml_safe(text),
        &base().set_bold().set_font_size(16),
    )?;
    ws.write_string_with_format(1, 0, crate::safe::xml_safe(sub), &base())?;
    Ok(())
}

/// Headers at `row`, and a page set-up that prints on A4 landscape: every column on one
/// page width (as many pages down as needed), the header row repeated on each page.
pub(crate) fn headers(ws: &mut Worksheet, row: u32, cols: &[(&str, f64)]) -> Result<()> {
    ws.set_landscape();
    ws.set_paper_size(9); // 9 = A4 in the OOXML paper-size table
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(row, row)?;
    for (i, (name, width)) in cols.iter().enumerate() {
        let c = i as u16;
        ws.write_string_with_format(row, c, crate::safe::xml_safe(name), &header())?;
        ws.set_column_width(c, *width)?;
    }
    Ok(())
}

/// The duty and gap list: every duty, then a sheet of the gaps (due, overdue, unknown).
pub fn duties_xlsx(d: &DutyList) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let sub = format!(
        "{}　{}　安全保护等级：{}　评估日期：{}",
        d.org_name,
        d.network_name,
        level_zh(d.level),
        d.at
    );
    let cols = [
        ("义务编号", 28.0),
        ("义务", 50.0),
        ("法律依据", 30.0),
        ("状态", 10.0),
        ("期限", 14.0),
        ("证据数", 8.0),
        ("处罚依据", 40.0),
    ];
    for (sheet, only_gaps) in [("义务清单", false), ("差距清单", true)] {
        let ws = wb.add_worksheet();
        ws.set_name(sheet)?;
        title(ws, &format!("{}：{}", d.network_name, sheet), &sub)?;
        headers(ws, 3, &cols)?;
        let mut r = 4;
        for row in &d.rows {
            // The operator's gaps: a breached prohibition is one; another party's duty
            // (expected, chase) never is.
            if only_gaps
                && !matches!(
                    row.status.as_str(),
                    "due" | "overdue" | "breached" | "unknown"
                )
            {
                continue;
            }
            let cells = [
                row.id.as_str(),
                row.title.as_str(),
                row.citations.as_str(),
                status_zh(&row.status),
                row.due.as_str(),
            ];
            for (c, v) in cells.iter().enumerate() {
                ws.write_string_with_format(r, c as u16, crate::safe::xml_safe(v), &body())?;
            }
            ws.write_number_with_format(r, 5, f64::from(row.evidence), &body())?;
            ws.write_string_with_format(r, 6, crate::safe::xml_safe(&row.penalty), &body())?;
            r += 1;
        }
    }
    Ok(wb.save_to_buffer()?)
}

/// An assessment's findings per duty and its conclusion.
pub fn findings_xlsx(f: &Findings) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("测评结果")?;
    title(
        ws,
        &format!("{}：等级测评结果记录", f.network_name),
        &format!(
            "{}　安全保护等级：{}　测评机构：{}　委托日期：{}",
            f.org_name,
            level_zh(f.level),
            f.assessor,
            f.engaged_on
        ),
    )?;
    let conclusion = if f.conclusion.is_empty() {
        "测评进行中（尚无结论）".to_string()
    } else {
        let score = f
            .score
            .map(|s| format!("　综合得分：{s:.2}"))
            .unwrap_or_default();
        format!("测评结论：{}（{}）{score}", f.conclusion, f.concluded_on)
    };
    ws.write_string_with_format(2, 0, crate::safe::xml_safe(&conclusion), &base().set_bold())?;
    headers(
        ws,
        4,
        &[
            ("义务编号", 28.0),
            ("义务", 46.0),
            ("结果", 10.0),
            ("测评记录", 50.0),
            ("证据", 40.0),
        ],
    )?;
    let mut r = 5;
    for row in &f.rows {
        let evidence = row.evidence.join("；");
        for (c, v) in [
            row.duty_id.as_str(),
            row.duty_title.as_str(),
            row.result.as_str(),
            row.text.as_str(),
            evidence.as_str(),
        ]
        .iter()
        .enumerate()
        {
            ws.write_string_with_format(r, c as u16, crate::safe::xml_safe(v), &body())?;
        }
        r += 1;
    }
    if !f.summary.is_empty() {
        ws.write_string_with_format(
            r + 1,
            0,
            crate::safe::xml_safe(&format!("综述：{}", f.summary)),
            &base(),
        )?;
    }
    Ok(wb.save_to_buffer()?)
}

/// Every item in scope with its latest result, one row each, for filtering and sorting: the
/// header row frozen and filtered, A4 landscape with every column on the page width.
pub fn assessment_xlsx(a: &AssessmentReport) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("测评结果")?;
    let status = match &a.conclusion {
        Some(c) => format!(
            "符合率：{}　测评结论：{}　重大风险隐患：{}",
            rate_text(c.rate),
            c.verdict,
            hazard_line(a.hazards_found, a.hazards_fixed)
        ),
        None => format!("测评未完成：尚有{}项要求项无测评结果", a.unassessed()),
    };
    title(
        ws,
        &format!("{}：单项测评结果", a.network_name),
        &format!(
            "{}　安全保护等级：{}　测评机构：{}　报告日期：{}",
            a.org_name,
            level_zh(a.level),
            a.assessor,
            a.generated_on
        ),
    )?;
    ws.write_string_with_format(2, 0, crate::safe::xml_safe(&status), &base().set_bold())?;
    let cols = [
        ("要求项编号", 14.0),
        ("安全类", 14.0),
        ("控制点", 16.0),
        ("项", 5.0),
        ("要求内容", 50.0),
        ("结果", 10.0),
        ("风险等级", 9.0),
        ("重大风险隐患", 12.0),
        ("理由或记录", 36.0),
        ("记录时间", 18.0),
    ];
    let head = 4;
    headers(ws, head, &cols)?;
    // The header stays in view and filters while scrolling hundreds of items.
    ws.set_freeze_panes(head + 1, 0)?;
    let mut r = head + 1;
    for i in &a.items {
        let hazard = match (i.result.as_str(), i.major_hazard) {
            (_, true) => "是",
            ("不符合" | "部分符合", false) => "否",
            _ => "",
        };
        let record = match (i.reason.is_empty(), i.note.is_empty()) {
            (true, _) => i.note.clone(),
            (false, true) => i.reason.clone(),
            (false, false) => format!("{}；{}", i.reason, i.note),
        };
        for (c, v) in [
            i.id.as_str(),
            i.class.as_str(),
            i.point.as_str(),
            i.letter.as_str(),
            i.requirement.as_str(),
            result_or_pending(&i.result),
            i.risk.as_str(),
            hazard,
            record.as_str(),
            i.recorded_at.as_str(),
        ]
        .iter()
        .enumerate()
        {
            ws.write_string_with_format(r, c as u16, crate::safe::xml_safe(v), &body())?;
        }
        r += 1;
    }
    ws.autofilter(
        head,
        0,
        r.saturating_sub(1).max(head),
        (cols.len() - 1) as u16,
    )?;
    Ok(wb.save_to_buffer()?)
}
