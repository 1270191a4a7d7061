//! An incident of the register as the API and the console show it: the record with every
//! report owed and where its clock stands at a moment, the clock states in one language,
//! the documents' input (Chinese, from the record: nothing typed twice), and the log
//! centre's legal hold that opening and closing write (as `dengbao incident` does).

use std::path::Path;

use dengbao_duties::rfc3339_shanghai;
use dengbao_incidents::{
    cites, kind_label, states, ClockState, HoldRule, Lang as IncLang, ReportClock, Rules,
};
use dengbao_logstore::holdfiles::{self, FileHold};
use dengbao_reports::{IncidentReport, OwedReport};
use dengbao_store::{IncidentRecord, StoreError};
use dengbao_types::Lang;
use jiff::Timestamp;
use serde::Serialize;

/// The embedded reporting rules; failing means a broken build, not the user's input.
pub fn rules() -> Result<&'static Rules, StoreError> {
    static RULES: std::sync::OnceLock<Result<Rules, String>> = std::sync::OnceLock::new();
    RULES
        .get_or_init(|| Rules::builtin().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| StoreError::Corrupt {
            table: "data/incidents",
            id: "reporting.toml".into(),
            message: e.clone(),
        })
}

/// One incident with its reports and their clocks at `at`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IncidentView {
    pub incident: IncidentRecord,
    pub grade_zh: String,
    pub grade_en: String,
    /// The grade the facts alone reach.
    #[schema(value_type = String)]
    pub computed_grade: dengbao_incidents::Grade,
    /// Every report owed (and the authorities' relays), strictest first, with its state:
    /// met, late, due (`remaining_hours` left), overdue, untimed, authority.
    #[schema(value_type = Vec<Object>)]
    pub reports: Vec<ReportClock>,
    /// The moment the states are computed for, RFC 3339 in +08:00.
    pub at: String,
}

impl IncidentView {
    pub fn new(rec: IncidentRecord, now: Timestamp) -> Result<IncidentView, StoreError> {
        let rules = rules()?;
        let clocks = rec.clocks(rules)?;
        let reports = states(&clocks, &rec.sent(), now);
        Ok(IncidentView {
            grade_zh: rules.grade_zh(rec.grade).to_string(),
            grade_en: rules.grade_en(rec.grade).to_string(),
            computed_grade: clocks.computed_grade,
            reports,
            at: rfc3339_shanghai(now),
            incident: rec,
        })
    }
}

fn hours(h: f64) -> String {
    let v = (h * 10.0).round() / 10.0;
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v:.1}")
    }
}

/// Where a report stands, in `lang`: met (when), late by, due with the hours left, overdue by.
pub fn state_text(c: &ReportClock, lang: Lang) -> String {
    let h = c.remaining_hours.map(hours).unwrap_or_default();
    let sent = c.sent_at.map(rfc3339_shanghai).unwrap_or_default();
    match (lang, c.state) {
        // Where the text sets no time, a send is met without being "on time".
        (Lang::ZhCn, ClockState::Met) if c.report.due.is_none() => format!("已报送（{sent}）"),
        (Lang::En, ClockState::Met) if c.report.due.is_none() => format!("met (sent {sent})"),
        (Lang::ZhCn, ClockState::Met) => format!("已按时报送（{sent}）"),
        (Lang::ZhCn, ClockState::Late) => format!("已报送（{sent}，逾期 {h} 小时）"),
        (Lang::ZhCn, ClockState::Due) => format!("待报送（剩余 {h} 小时）"),
        (Lang::ZhCn, ClockState::Overdue) => format!("已逾期 {h} 小时"),
        (Lang::ZhCn, s) => s.zh().to_string(),
        (Lang::En, ClockState::Met) => format!("met (sent {sent}, on time)"),
        (Lang::En, ClockState::Late) => format!("sent {sent}, {h} h late"),
        (Lang::En, ClockState::Due) => format!("due ({h} h left)"),
        (Lang::En, ClockState::Overdue) => format!("overdue by {h} h"),
        (Lang::En, s) => s.en().to_string(),
    }
}

/// A report's deadline, in `lang`: the time, or why there is none.
pub fn due_text(c: &ReportClock, lang: Lang) -> String {
    match (c.report.due, c.report.waits_for.is_some(), lang) {
        (Some(t), _, _) => rfc3339_shanghai(t),
        (None, true, Lang::ZhCn) => "处置结束后起算".into(),
        (None, true, Lang::En) => "counted from the end of handling".into(),
        (None, false, Lang::ZhCn) => "无法定时限".into(),
        (None, false, Lang::En) => "no time limit in the text".into(),
    }
}

fn inc_lang(lang: Lang) -> IncLang {
    if lang.is_en() {
        IncLang::En
    } else {
        IncLang::Zh
    }
}

/// A report's kind as people name it, in `lang`.
pub fn kind_text(kind: &str, lang: Lang) -> &'static str {
    kind_label(kind, inc_lang(lang))
}

/// A report's citations in the law's form, in `lang`.
pub fn citations_text(c: &ReportClock, lang: Lang) -> Result<String, StoreError> {
    Ok(cites(rules()?, &c.report.citations, inc_lang(lang)))
}

/// The facts that grade an incident, those recorded (non-zero), in Chinese.
fn facts_zh(rec: &IncidentRecord) -> Vec<(String, String)> {
    let f = &rec.facts;
    let mut out = Vec::new();
    let mut add = |cond: bool, k: &str, v: String| {
        if cond {
            out.push((k.to_string(), v));
        }
    };
    add(
        f.personal_info_records > 0,
        "个人信息泄露",
        format!("{}人", f.personal_info_records),
    );
    add(
        f.direct_loss_yuan > 0,
        "直接经济损失",
        format!("{}元", f.direct_loss_yuan),
    );
    add(
        f.service_interruption_hours > 0.0,
        "服务中断",
        format!("{}小时", hours(f.service_interruption_hours)),
    );
    add(
        f.cii_whole_outage_minutes > 0.0,
        "关键信息基础设施整体中断",
        format!("{}分钟", hours(f.cii_whole_outage_minutes)),
    );
    add(
        f.people_affected > 0,
        "影响工作、生活的人数",
        format!("{}人", f.people_affected),
    );
    add(
        f.portal_unreachable_hours > 0.0,
        "门户网站不能访问",
        format!("{}小时", hours(f.portal_unreachable_hours)),
    );
    add(f.cii_function_lost, "关键信息基础设施功能丧失", "是".into());
    add(f.state_secrets_leaked, "涉及国家秘密", "是".into());
    add(f.suspected_crime, "涉嫌违法犯罪", "是".into());
    out
}

/// The documents' input for `rec` (of organisation `org_name`, network level `level`).
pub fn document(
    rec: &IncidentRecord,
    org_name: &str,
    level: u8,
    now: Timestamp,
) -> Result<IncidentReport, StoreError> {
    let rules = rules()?;
    let clocks = rec.clocks(rules)?;
    let view = states(&clocks, &rec.sent(), now);
    let grade_status = match rec.grade_status.as_str() {
        "confirmed" => "人工确认".to_string(),
        "overridden" => format!("人工调整，理由：{}", rec.grade_reason),
        _ => "系统依事实建议，尚待人工确认".to_string(),
    };
    let reports = view
        .iter()
        .filter(|c| c.report.party == "operator")
        .map(|c| {
            Ok(OwedReport {
                name: kind_text(&c.report.kind, Lang::ZhCn).to_string(),
                recipient: c.report.recipient_zh.clone(),
                due: due_text(c, Lang::ZhCn),
                citations: citations_text(c, Lang::ZhCn)?,
                state: state_text(c, Lang::ZhCn),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let sends = rec
        .sends
        .iter()
        .map(|s| {
            let recipient = view
                .iter()
                .find(|c| c.report.id == s.report)
                .map(|c| c.report.recipient_zh.clone())
                .unwrap_or_else(|| s.recipient.clone());
            format!(
                "{}　{}　{}　{}（{}）",
                s.sent_at,
                kind_text(&s.kind, Lang::ZhCn),
                recipient,
                s.channel,
                s.sent_by
            )
        })
        .collect();
    Ok(IncidentReport {
        incident_id: rec.id.clone(),
        title: rec.title.clone(),
        org_name: org_name.to_string(),
        network_name: rec.network_name.clone(),
        level,
        operator_class: rec.operator_class.zh().to_string(),
        detected_at: rec.detected_at.clone(),
        category: rules
            .category(&rec.category)
            .map(|c| c.zh.clone())
            .unwrap_or_else(|| rec.category.clone()),
        grade: rules.grade_zh(rec.grade).to_string(),
        grade_status,
        grade_reasons: clocks.grade_reasons.iter().map(|r| r.zh.clone()).collect(),
        facts: facts_zh(rec),
        affected_systems: rec.affected_systems.clone(),
        affected_data: rec.affected_data.clone(),
        personal_info_records: rec.facts.personal_info_records,
        actions: rec
            .actions
            .iter()
            .map(|a| format!("{}　{}：{}", a.at, a.by, a.text))
            .collect(),
        reports,
        sends,
        handling_ended_at: rec.handling_ended_at.clone().unwrap_or_default(),
        closed_at: rec.closed_at.clone().unwrap_or_default(),
        closing_note: rec.closing_note.clone(),
        contact: String::new(),
        generated_on: rfc3339_shanghai(now).chars().take(10).collect(),
    })
}

fn hold_of(rec: &IncidentRecord, to: Option<Timestamp>) -> Result<FileHold, StoreError> {
    let rules = rules()?;
    let rule = HoldRule::builtin(rules).map_err(|e| StoreError::Corrupt {
        table: "data/incidents",
        id: "hold.toml".into(),
        message: e.to_string(),
    })?;
    let detected: Timestamp = rec
        .detected_at
        .parse()
        .map_err(|_| StoreError::invalid("detected_at", rec.detected_at.clone()))?;
    Ok(FileHold {
        network: rec.network_id.clone(),
        from: rfc3339_shanghai(rule.from(detected)),
        to: to.map(rfc3339_shanghai),
        reason: rule.reason(&rec.id),
        source: format!("incident:{}", rec.id),
    })
}

fn io(logs: &Path, e: dengbao_logstore::Error) -> StoreError {
    StoreError::Io {
        path: logs.display().to_string(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// The legal hold an opened incident places on the log centre (`logs`); its file name.
pub fn place_hold(logs: &Path, rec: &IncidentRecord) -> Result<Option<String>, StoreError> {
    let hold = hold_of(rec, None)?;
    holdfiles::write(logs, &hold)
        .map(Some)
        .map_err(|e| io(logs, e))
}

/// Removes the incident's hold file (a person released it).
pub fn release_hold(logs: &Path, rec: &IncidentRecord) -> Result<(), StoreError> {
    holdfiles::release(logs, &format!("incident:{}", rec.id)).map_err(|e| io(logs, e))
}

/// The hold's window ends at the close (logs after it are not the incident's); the hold
/// itself stays until a person releases it.
pub fn end_hold(logs: &Path, rec: &IncidentRecord, closed_at: Timestamp) -> Result<(), StoreError> {
    let hold = hold_of(rec, Some(closed_at))?;
    holdfiles::write(logs, &hold)
        .map(|_| ())
        .map_err(|e| io(logs, e))
}
