//! The DOCX documents: grading report and filing form, and the building blocks the
//! incident reports share.

use docx_rs::{
    AlignmentType, Docx, Paragraph, Run, RunFonts, Table, TableCell, TableRow, WidthType,
};

use crate::{level_zh, FilingForm, GradingReport, ReportError, Result, CJK_FONT, LATIN_FONT};

pub(crate) fn fonts() -> RunFonts {
    RunFonts::new()
        .east_asia(CJK_FONT)
        .ascii(LATIN_FONT)
        .hi_ansi(LATIN_FONT)
}

pub(crate) fn run(text: &str) -> Run {
    Run::new()
        .add_text(crate::safe::xml_safe(text))
        .fonts(fonts())
}

pub(crate) fn title(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text).bold().size(36))
        .align(AlignmentType::Center)
}

pub(crate) fn heading(text: &str) -> Paragraph {
    Paragraph::new().add_run(run(text).bold().size(28))
}

pub(crate) fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(run(text).size(24))
}

pub(crate) fn cell(text: &str, bold: bool, width: usize) -> TableCell {
    let r = run(text).size(22);
    TableCell::new()
        .add_paragraph(Paragraph::new().add_run(if bold { r.bold() } else { r }))
        .width(width, WidthType::Dxa)
}

/// A two-column label/value table.
pub(crate) fn table(rows: &[(String, String)]) -> Table {
    Table::new(
        rows.iter()
            .map(|(k, v)| TableRow::new(vec![cell(k, true, 2800), cell(v, false, 6200)]))
            .collect(),
    )
}

pub(crate) fn docx() -> Docx {
    Docx::new().default_fonts(fonts()).default_size(24)
}

pub(crate) fn pack(d: Docx) -> Result<Vec<u8>> {
    let mut out = std::io::Cursor::new(Vec::new());
    d.build()
        .pack(&mut out)
        .map_err(|e| ReportError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}

/// A centred line under the title.
pub(crate) fn subtitle(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text).size(24))
        .align(AlignmentType::Center)
}

fn or_blank(s: &str) -> String {
    if s.trim().is_empty() {
        "（未记录）".to_string()
    } else {
        s.to_string()
    }
}

/// The grading report (定级报告) in the chapters assessors and public security desks
/// expect: 一、定级对象描述 → 二、安全保护等级确定 (业务信息安全 and 系统服务安全, each with
/// the harmed object and the degree of harm) → 三、定级对象的安全保护等级 → 四、专家评审意见
/// → 五、行业主管部门审核意见, with the reasoning and the articles after.
pub fn grading_docx(r: &GradingReport) -> Result<Vec<u8>> {
    let mut d = docx()
        .add_paragraph(title(&format!("{}安全保护等级定级报告", r.network_name)))
        .add_paragraph(
            Paragraph::new()
                .add_run(run(&format!("{}　　{}", r.org_name, r.generated_on)).size(24))
                .align(AlignmentType::Center),
        )
        .add_paragraph(heading("一、定级对象描述"))
        .add_table(table(
            &[
                ("安全责任单位".to_string(), r.org_name.clone()),
                ("定级对象名称".to_string(), r.network_name.clone()),
            ]
            .into_iter()
            .chain(r.description.iter().cloned())
            .collect::<Vec<_>>(),
        ))
        .add_paragraph(heading("二、安全保护等级确定"));
    let level_of = |l: Option<u8>| {
        l.map(level_zh)
            .map(String::from)
            .unwrap_or_else(|| or_blank(""))
    };
    for (sub, object, degree, level) in [
        (
            "（一）业务信息安全保护等级的确定",
            &r.business_object,
            &r.business_degree,
            level_of(r.business_level),
        ),
        (
            "（二）系统服务安全保护等级的确定",
            &r.service_object,
            &r.service_degree,
            level_of(r.service_level),
        ),
    ] {
        d = d.add_paragraph(para(sub)).add_table(table(&[
            ("受到破坏时所侵害的客体".to_string(), or_blank(object)),
            ("对客体的侵害程度".to_string(), or_blank(degree)),
            ("安全保护等级".to_string(), level),
        ]));
    }
    d = d
        .add_paragraph(heading("三、定级对象的安全保护等级"))
        .add_paragraph(para(&format!(
            "业务信息安全保护等级和系统服务安全保护等级中的较高者，确定{}的安全保护等级为{}。",
            r.network_name,
            level_zh(r.level)
        )))
        .add_table(table(&[
            ("安全保护等级".to_string(), level_zh(r.level).to_string()),
            ("定级依据".to_string(), or_blank(&r.basis)),
            ("等级确定日期".to_string(), or_blank(&r.graded_on)),
        ]));
    if r.reasoning.is_empty() {
        d = d.add_paragraph(para(
            "未保存定级输入（受侵害的客体及侵害程度），等级为人工确定。",
        ));
    }
    for (i, line) in r.reasoning.iter().enumerate() {
        d = d.add_paragraph(para(&format!("{}. {line}", i + 1)));
    }
    d = d
        .add_paragraph(heading("四、专家评审意见"))
        .add_table(table(&[
            ("专家评审日期".to_string(), or_blank(&r.reviewed_on)),
            ("评审意见".to_string(), or_blank(&r.review_opinion)),
        ]))
        .add_paragraph(heading("五、行业主管部门审核意见"))
        .add_table(table(&[
            ("核准日期".to_string(), or_blank(&r.approved_on)),
            ("审核意见".to_string(), or_blank(&r.approval_opinion)),
        ]))
        .add_paragraph(para(
            "依据《网络安全等级保护条例（征求意见稿）》第十七条，第二级以上网络的定级应经专家评审，有行业主管部门的报其核准。",
        ))
        .add_paragraph(heading("附：法律依据"));
    for c in &r.citations {
        d = d.add_paragraph(para(c));
    }
    pack(d)
}

/// The filing form (备案表), four tables plus the review record.
pub fn filing_docx(f: &FilingForm) -> Result<Vec<u8>> {
    let mut d = docx()
        .add_paragraph(title("网络安全等级保护备案表"))
        .add_paragraph(
            Paragraph::new()
                .add_run(
                    run(&format!(
                        "定级对象：{}　　安全保护等级：{}　　填表日期：{}",
                        f.network_name,
                        level_zh(f.level),
                        f.generated_on
                    ))
                    .size(22),
                )
                .align(AlignmentType::Center),
        )
        .add_paragraph(heading("表一　单位基本情况"))
        .add_table(table(&f.unit))
        .add_paragraph(heading("表二　定级对象情况"))
        .add_table(table(&f.network))
        .add_paragraph(heading("表三　定级情况"))
        .add_table(table(&f.grading))
        .add_paragraph(heading("表四　提交材料"));
    let attachments: Vec<(String, String)> = f
        .attachments
        .iter()
        .map(|(name, ok)| (name.clone(), if *ok { "☑ 有" } else { "☐ 无" }.to_string()))
        .collect();
    d = d.add_table(table(&attachments));
    if !f.filing.is_empty() {
        d = d
            .add_paragraph(heading("备案审核情况"))
            .add_table(table(&f.filing));
    }
    d = d.add_paragraph(para(
        "依据现行《信息安全等级保护管理办法》（公通字〔2007〕43号）第十五条：已运营（运行）的第二级以上信息系统应当在安全保护等级确定后30日内、新建的应当在投入运行后30日内，到所在地设区的市级以上公安机关办理备案手续；第十七条：公安机关对符合等级保护要求的，应当在收到备案材料之日起的10个工作日内颁发备案证明。《网络安全等级保护条例（征求意见稿）》第十八条、第十九条拟规定为定级后10个工作日内备案、10个工作日内出具备案证明。",
    ));
    pack(d)
}
