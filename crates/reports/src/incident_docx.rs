//! The reports of an incident (decision 0506): initial report (初次报告), follow-up (续报),
//! summary (处置总结报告) and the notice to the individuals whose personal information leaked
//! (个人信息保护法 第五十七条). Each document's title, sections and the articles they rest on
//! are data (`data/incidents/documents.toml`); what fills a section comes from the register,
//! so nothing entered there is typed again. A section the register cannot fill (the cause, the
//! lessons) is left for the reporter, marked as such.

use std::sync::OnceLock;

use dengbao_incidents::{cites, Lang, Rules};
use dengbao_types::Citation;
use docx_rs::{Paragraph, Table, TableRow};
use serde::Deserialize;

use crate::docx::{cell, docx, heading, pack, para, subtitle, table, title};
use crate::{level_zh, ReportError, Result};

/// The layouts, embedded: a build always has the same documents as its data.
const DOCUMENTS: &str = include_str!("../../../data/incidents/documents.toml");

/// The four documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncidentDoc {
    Initial,
    FollowUp,
    Summary,
    UserNotice,
}

impl IncidentDoc {
    pub const ALL: [IncidentDoc; 4] = [
        IncidentDoc::Initial,
        IncidentDoc::FollowUp,
        IncidentDoc::Summary,
        IncidentDoc::UserNotice,
    ];

    /// The kind of report it serves, as `data/incidents/reporting.toml` names it.
    pub fn id(self) -> &'static str {
        match self {
            IncidentDoc::Initial => "initial",
            IncidentDoc::FollowUp => "follow_up",
            IncidentDoc::Summary => "summary",
            IncidentDoc::UserNotice => "user_notice",
        }
    }

    pub fn from_id(id: &str) -> Option<IncidentDoc> {
        IncidentDoc::ALL.into_iter().find(|d| d.id() == id)
    }

    /// The Chinese name of the document.
    pub fn zh(self) -> &'static str {
        match self {
            IncidentDoc::Initial => "初次报告",
            IncidentDoc::FollowUp => "续报",
            IncidentDoc::Summary => "总结报告",
            IncidentDoc::UserNotice => "个人信息泄露告知书",
        }
    }
}

/// One report owed, as the register's clocks give it (text already in Chinese).
#[derive(Debug, Clone, Default)]
pub struct OwedReport {
    /// 初次报告, 案事件报告 …
    pub name: String,
    pub recipient: String,
    /// The deadline (RFC 3339 in +08:00) or why there is none.
    pub due: String,
    /// In the law's form: 《国家网络安全事件报告管理办法》第四条第二款.
    pub citations: String,
    /// 已按时报送, 待报送（剩余3小时）…
    pub state: String,
}

/// One incident as the register holds it, in Chinese.
#[derive(Debug, Clone, Default)]
pub struct IncidentReport {
    pub incident_id: String,
    pub title: String,
    pub org_name: String,
    pub network_name: String,
    pub level: u8,
    /// 关键信息基础设施运营者 …
    pub operator_class: String,
    /// RFC 3339 in +08:00.
    pub detected_at: String,
    pub category: String,
    /// 较大 …
    pub grade: String,
    /// 系统建议 / 人工确认 / 人工调整（理由）
    pub grade_status: String,
    pub grade_reasons: Vec<String>,
    /// The facts that graded it, (label, value).
    pub facts: Vec<(String, String)>,
    pub affected_systems: String,
    pub affected_data: String,
    /// How many people's personal information, 0 when none was recorded.
    pub personal_info_records: i64,
    /// `时间　人员：措施` each.
    pub actions: Vec<String>,
    pub reports: Vec<OwedReport>,
    /// `时间　报告　接收方　方式` each.
    pub sends: Vec<String>,
    pub handling_ended_at: String,
    pub closed_at: String,
    pub closing_note: String,
    /// The handler's contact for the notice; "" when none is recorded.
    pub contact: String,
    pub generated_on: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Layouts {
    document: Vec<Layout>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Layout {
    kind: String,
    title: String,
    citations: Vec<Citation>,
    sections: Vec<Section>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Section {
    heading: String,
    fill: Fill,
    #[serde(default = "yes")]
    confirmed: bool,
    /// Text offered where the register has nothing (advice the reporter may keep or edit).
    #[serde(default)]
    text: String,
    citations: Vec<Citation>,
}

fn yes() -> bool {
    true
}

/// What the register puts in a section.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Fill {
    Unit,
    Event,
    Grade,
    Actions,
    Reports,
    Sends,
    Handling,
    PiKinds,
    CauseHarm,
    Contact,
    Blank,
}

struct Loaded {
    layouts: Layouts,
    rules: Rules,
}

fn loaded() -> Result<&'static Loaded> {
    static CELL: OnceLock<std::result::Result<Loaded, String>> = OnceLock::new();
    CELL.get_or_init(|| {
        let layouts: Layouts =
            toml::from_str(DOCUMENTS).map_err(|e| format!("data/incidents/documents.toml: {e}"))?;
        let rules = Rules::builtin().map_err(|e| e.to_string())?;
        Ok(Loaded { layouts, rules })
    })
    .as_ref()
    .map_err(|e| ReportError::Data(e.clone()))
}

const MISSING: &str = "（登记中无此项，请填写）";
const TO_WRITE: &str = "【由报告人填写】";

fn or_missing(s: &str) -> String {
    if s.trim().is_empty() {
        MISSING.to_string()
    } else {
        s.to_string()
    }
}

fn lines(items: &[String], none: &str) -> Vec<Paragraph> {
    if items.is_empty() {
        return vec![para(none)];
    }
    items
        .iter()
        .enumerate()
        .map(|(i, s)| para(&format!("{}. {s}", i + 1)))
        .collect()
}

fn reports_table(rs: &[OwedReport]) -> Table {
    let widths = [1800, 1900, 1900, 2200, 1200];
    let head = ["报告", "接收方", "时限", "依据", "状态"];
    let mut rows = vec![TableRow::new(
        head.iter()
            .zip(widths)
            .map(|(h, w)| cell(h, true, w))
            .collect(),
    )];
    for r in rs {
        let vals = [&r.name, &r.recipient, &r.due, &r.citations, &r.state];
        rows.push(TableRow::new(
            vals.iter()
                .zip(widths)
                .map(|(v, w)| cell(v, false, w))
                .collect(),
        ));
    }
    Table::new(rows)
}

/// A section's content, in order (boxed: a paragraph is far larger than a table handle).
enum Block {
    P(Box<Paragraph>),
    T(Box<Table>),
}

fn bp(p: Paragraph) -> Block {
    Block::P(Box::new(p))
}

fn bt(t: Table) -> Block {
    Block::T(Box::new(t))
}

fn fill(f: Fill, r: &IncidentReport, s: &Section) -> Vec<Block> {
    let kv = |pairs: Vec<(&str, String)>| {
        bt(table(
            &pairs
                .into_iter()
                .map(|(k, v)| (k.to_string(), or_missing(&v)))
                .collect::<Vec<_>>(),
        ))
    };
    match f {
        Fill::Unit => vec![kv(vec![
            ("事发单位", r.org_name.clone()),
            ("网络（定级对象）", r.network_name.clone()),
            ("安全保护等级", level_zh(r.level).to_string()),
            ("运营者类别", r.operator_class.clone()),
            ("受影响的设施、系统、平台", r.affected_systems.clone()),
        ])],
        Fill::Event => {
            let mut rows = vec![
                ("事件名称", r.title.clone()),
                ("事件编号", r.incident_id.clone()),
                ("发现时间", r.detected_at.clone()),
                ("事件类型", r.category.clone()),
                ("事件等级", r.grade.clone()),
                ("受影响的数据", r.affected_data.clone()),
            ];
            rows.extend(r.facts.iter().map(|(k, v)| (k.as_str(), v.clone())));
            vec![kv(rows)]
        }
        Fill::Grade => {
            let mut out = vec![bp(para(&format!(
                "事件等级：{}（{}）",
                r.grade, r.grade_status
            )))];
            out.extend(
                lines(&r.grade_reasons, "未达到分级指南的定量指标。")
                    .into_iter()
                    .map(bp),
            );
            out
        }
        Fill::Actions => lines(&r.actions, &format!("登记中尚无应对措施记录。{TO_WRITE}"))
            .into_iter()
            .map(bp)
            .collect(),
        Fill::Reports => vec![bt(reports_table(&r.reports))],
        Fill::Sends => lines(&r.sends, "尚未记录报送。")
            .into_iter()
            .map(bp)
            .collect(),
        Fill::Handling => vec![kv(vec![
            ("处置工作结束时间", r.handling_ended_at.clone()),
            ("结案时间", r.closed_at.clone()),
            ("结案说明", r.closing_note.clone()),
        ])],
        Fill::PiKinds => {
            let mut out = vec![bp(para(&or_missing(&r.affected_data)))];
            if r.personal_info_records > 0 {
                out.push(bp(para(&format!(
                    "涉及约{}人的个人信息。",
                    r.personal_info_records
                ))));
            }
            out
        }
        Fill::CauseHarm => vec![
            bp(para(&format!(
                "{}：{}（事件类型：{}，发现时间：{}）。",
                r.org_name, r.title, r.category, r.detected_at
            ))),
            bp(para(&format!("可能造成的危害：{TO_WRITE}"))),
        ],
        Fill::Contact => vec![bp(para(&format!(
            "{}　{}",
            r.org_name,
            if r.contact.trim().is_empty() {
                format!("联系方式：{TO_WRITE}")
            } else {
                r.contact.clone()
            }
        )))],
        Fill::Blank if !s.text.is_empty() => vec![bp(para(&s.text))],
        Fill::Blank => vec![bp(para(TO_WRITE))],
    }
}

/// The document `kind` for the incident `r`, in Chinese.
pub fn incident_docx(kind: IncidentDoc, r: &IncidentReport) -> Result<Vec<u8>> {
    let l = loaded()?;
    let layout = l
        .layouts
        .document
        .iter()
        .find(|d| d.kind == kind.id())
        .ok_or_else(|| ReportError::Data(format!("documents.toml: no {}", kind.id())))?;
    let mut d = docx()
        .add_paragraph(title(&layout.title))
        .add_paragraph(subtitle(&format!(
            "{}　　{}　　{}",
            r.org_name, r.network_name, r.generated_on
        )))
        .add_paragraph(para(&format!(
            "依据：{}",
            cites(&l.rules, &layout.citations, Lang::Zh)
        )));
    for s in &layout.sections {
        d = d.add_paragraph(heading(&s.heading));
        let basis = cites(&l.rules, &s.citations, Lang::Zh);
        let basis = if s.confirmed {
            format!("（{basis}）")
        } else {
            format!("（{basis}；本项表述为本系统对条文的理解，未经核对原文）")
        };
        d = d.add_paragraph(para(&basis));
        for b in fill(s.fill, r, s) {
            d = match b {
                Block::P(p) => d.add_paragraph(*p),
                Block::T(t) => d.add_table(*t),
            };
        }
    }
    pack(d)
}
