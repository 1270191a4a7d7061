//! The XLSX workbooks: the duty and gap list, an assessment's findings.

use rust_xlsxwriter::{Format, FormatBorder, Workbook, Worksheet};

use crate::{level_zh, status_zh, DutyList, Findings, Result, CJK_FONT};

fn base() -> Format {
    Format::new().set_font_name(CJK_FONT).set_font_size(11)
}

fn header() -> Format {
    base()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color("#D9E1F2")
}

fn body() -> Format {
    base().set_border(FormatBorder::Thin).set_text_wrap()
}

fn title(ws: &mut Worksheet, text: &str, sub: &str) -> Result<()> {
    ws.write_string_with_format(
        0,
        0,
        crate::safe::xml_safe(text),
        &base().set_bold().set_font_size(16),
    )?;
    ws.write_string_with_format(1, 0, crate::safe::xml_safe(sub), &base())?;
    Ok(())
}

fn headers(ws: &mut Worksheet, row: u32, cols: &[(&str, f64)]) -> Result<()> {
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
