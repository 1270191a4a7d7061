//! The documents people hand over, generated from stored data: the grading report
//! (定级报告) and the filing form (备案表) as DOCX, the duty and gap list and an
//! assessment's findings as XLSX; the level-assessment report (测评报告) as DOCX with its
//! per-item results as XLSX; an incident's reports (初次报告, 续报, 总结报告, 个人信息
//! 泄露告知书) as DOCX.
//!
//! Plain structs in, bytes out: no I/O, no database, no HTTP. The server fills the structs
//! from the store and the engines. Chinese text names the font `SimSun` (宋体) for East
//! Asian glyphs with `Times New Roman` for Latin ones; where SimSun is not installed
//! (LibreOffice on Linux) the viewer falls back to an installed CJK font (Noto CJK), so the
//! Chinese still renders (docs/decisions/0814-exports.md).
//!
//! The layout of the filing form follows the sections of the public-security filing form
//! as practitioners know it (表一 单位基本情况, 表二 定级对象情况, 表三 定级情况, 表四 提交材料);
//! the seeds name the filing (条例 第十八条) but not the form, so the sections are our
//! reconstruction, not the official template (docs/decisions/0814-exports.md).

mod assessment_docx;
mod docx;
mod incident_docx;
mod safe;
pub mod test_support;
mod training_xlsx;
mod xlsx;

pub use assessment_docx::{
    assessment_docx, hazard_line, rate_text, AssessmentItem, AssessmentReport, RectificationRow,
    ReportConclusion, BASIS as ASSESSMENT_BASIS, SECTIONS as ASSESSMENT_SECTIONS,
};
pub use docx::{filing_docx, grading_docx};
pub use incident_docx::{incident_docx, IncidentDoc, IncidentReport, OwedReport};
pub use training_xlsx::{training_xlsx, HoursRow, PlanRow, StaffRow, TrainingRecords, TrainingRow};
pub use xlsx::{assessment_xlsx, duties_xlsx, findings_xlsx};

/// The East Asian font every document names.
pub const CJK_FONT: &str = "SimSun";
/// The Latin font beside it.
pub const LATIN_FONT: &str = "Times New Roman";

/// Why a document could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("writing the DOCX package (生成DOCX失败): {0}")]
    Docx(String),
    #[error("writing the XLSX workbook (生成XLSX失败): {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The embedded layouts or rules do not load: a broken build, not the user's input.
    #[error("the embedded document data (内置文书数据有误): {0}")]
    Data(String),
}

pub type Result<T> = std::result::Result<T, ReportError>;

/// The grading report (定级报告) of one network.
#[derive(Debug, Clone, Default)]
pub struct GradingReport {
    pub org_name: String,
    pub network_name: String,
    /// The protection level 1–5.
    pub level: u8,
    /// 业务信息安全保护等级, when the grading inputs are stored.
    pub business_level: Option<u8>,
    /// 系统服务安全保护等级
    pub service_level: Option<u8>,
    /// e.g. `GB/T 22240-2020`
    pub basis: String,
    /// 业务信息安全: the harmed object and the degree of harm, in words ("" when the
    /// grading inputs are not stored).
    pub business_object: String,
    pub business_degree: String,
    /// 系统服务安全: the same.
    pub service_object: String,
    pub service_degree: String,
    /// 专家评审意见 and 行业主管部门审核意见, as recorded with their events ("" when none).
    pub review_opinion: String,
    pub approval_opinion: String,
    /// The engine's reasoning, one sentence each.
    pub reasoning: Vec<String>,
    /// Citations as text: `mlps 第十五条` …
    pub citations: Vec<String>,
    /// Lifecycle dates: 定级, 专家评审, 主管部门核准 ("" when not recorded).
    pub graded_on: String,
    pub reviewed_on: String,
    pub approved_on: String,
    /// Describes the network (stage, services, technology …), one line each.
    pub description: Vec<(String, String)>,
    /// The date the document was produced, `YYYY-MM-DD`.
    pub generated_on: String,
}

/// The filing form (备案表).
#[derive(Debug, Clone, Default)]
pub struct FilingForm {
    /// 表一 单位基本情况: (label, value) rows.
    pub unit: Vec<(String, String)>,
    /// 表二 定级对象情况
    pub network: Vec<(String, String)>,
    /// 表三 定级情况
    pub grading: Vec<(String, String)>,
    /// 表四 提交材料: attachments, each with whether it is supplied.
    pub attachments: Vec<(String, bool)>,
    /// 备案审核: the filing's state, receipt date, review deadline, certificate.
    pub filing: Vec<(String, String)>,
    pub network_name: String,
    pub level: u8,
    pub generated_on: String,
}

/// One duty row of the duty and gap list.
#[derive(Debug, Clone, Default)]
pub struct DutyRow {
    pub id: String,
    pub title: String,
    pub citations: String,
    /// met, due, overdue, not_applicable, unknown
    pub status: String,
    pub due: String,
    pub evidence: u32,
    /// The penalty's legal basis, as a sentence: 依据……，依照……处罚.
    pub penalty: String,
}

/// The duty and gap list of one network at a date.
#[derive(Debug, Clone, Default)]
pub struct DutyList {
    pub org_name: String,
    pub network_name: String,
    pub level: u8,
    pub at: String,
    pub rows: Vec<DutyRow>,
}

/// One finding of an assessment.
#[derive(Debug, Clone, Default)]
pub struct FindingRow {
    pub duty_id: String,
    pub duty_title: String,
    /// 符合 / 部分符合 / 不符合
    pub result: String,
    pub text: String,
    /// Evidence descriptions (with file names).
    pub evidence: Vec<String>,
}

/// An assessor's findings and conclusion.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    pub org_name: String,
    pub network_name: String,
    pub level: u8,
    pub assessor: String,
    pub engaged_on: String,
    /// 符合 / 基本符合 / 不符合, or "" while open.
    pub conclusion: String,
    pub concluded_on: String,
    pub score: Option<f64>,
    pub summary: String,
    pub rows: Vec<FindingRow>,
}

/// 第三级 for 3.
pub fn level_zh(level: u8) -> &'static str {
    match level {
        1 => "第一级",
        2 => "第二级",
        3 => "第三级",
        4 => "第四级",
        5 => "第五级",
        _ => "未定级",
    }
}

/// 已满足 for met …
pub fn status_zh(status: &str) -> &'static str {
    match status {
        "met" => "已满足",
        "due" => "待办",
        "overdue" => "已逾期",
        "not_applicable" => "不适用",
        "complied" => "未见违反",
        "breached" => "已违反",
        "expected" => "待他方履行",
        "chase" => "他方逾期，可催办",
        _ => "无法判断",
    }
}

#[cfg(test)]
mod tests {
    use super::status_zh;

    /// Every status the duties engine gives reads in Chinese in the exports (the engine's
    /// `Status::ALL`, by its API name).
    #[test]
    fn every_duty_status_has_a_chinese_label() {
        for (id, zh) in [
            ("met", "已满足"),
            ("due", "待办"),
            ("overdue", "已逾期"),
            ("not_applicable", "不适用"),
            ("unknown", "无法判断"),
            ("complied", "未见违反"),
            ("breached", "已违反"),
            ("expected", "待他方履行"),
            ("chase", "他方逾期，可催办"),
        ] {
            assert_eq!(status_zh(id), zh, "{id}");
        }
    }
}
