//! An incident of the register as printed: the record, its grade and every report with the
//! state of its clock at a moment (met, late, due with the hours left, overdue, untimed),
//! in one language; and the same as JSON.

use std::fmt::Write as _;

use dengbao_incidents::{cites, states, ClockState, ReportClock, Rules};
use dengbao_store::{IncidentRecord, StoreError};
use dengbao_types::Lang;
use jiff::Timestamp;

/// The record, the grade's names and the reports with their clock states.
pub fn json(
    r: &IncidentRecord,
    rules: &Rules,
    now: Timestamp,
) -> Result<serde_json::Value, StoreError> {
    let clocks = r.clocks(rules)?;
    let reports = states(&clocks, &r.sent(), now);
    Ok(serde_json::json!({
        "incident": r,
        "grade_zh": rules.grade_zh(r.grade),
        "grade_en": rules.grade_en(r.grade),
        "computed_grade": clocks.computed_grade,
        "reports": reports,
        "at": dengbao_duties::rfc3339_shanghai(now),
    }))
}

fn hours(h: f64) -> String {
    let v = (h * 10.0).round() / 10.0;
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v:.1}")
    }
}

fn state(c: &ReportClock, lang: Lang) -> String {
    let h = c.remaining_hours.map(hours).unwrap_or_default();
    let sent = c
        .sent_at
        .map(dengbao_duties::rfc3339_shanghai)
        .unwrap_or_default();
    match (lang, c.state) {
        // Where the text sets no time, a send is met without being "on time".
        (Lang::ZhCn, ClockState::Met) if c.report.due.is_none() => format!("已报送（{sent}）"),
        (Lang::En, ClockState::Met) if c.report.due.is_none() => format!("met (sent {sent})"),
        (Lang::ZhCn, ClockState::Met) => format!("已报送（{sent}，按时）"),
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

/// The incident in `lang`.
pub fn text(
    r: &IncidentRecord,
    rules: &Rules,
    now: Timestamp,
    lang: Lang,
) -> Result<String, StoreError> {
    let clocks = r.clocks(rules)?;
    let reports = states(&clocks, &r.sent(), now);
    let il = if lang.is_en() {
        dengbao_incidents::Lang::En
    } else {
        dengbao_incidents::Lang::Zh
    };
    let zh = !lang.is_en();
    let mut o = String::new();
    let category = rules.category(&r.category);
    let (state_zh, state_en) = if r.state == "closed" {
        ("已结案", "closed")
    } else {
        ("处置中", "open")
    };
    if zh {
        let _ = writeln!(
            o,
            "事件 {}「{}」 网络“{}” {state_zh}",
            r.id, r.title, r.network_name
        );
        let _ = writeln!(
            o,
            "  发现时间 {}；类别 {}",
            r.detected_at,
            category.map(|c| c.zh.as_str()).unwrap_or(&r.category)
        );
        let status = match r.grade_status.as_str() {
            "confirmed" => format!("已由 {} 确认", r.grade_by.as_deref().unwrap_or("")),
            "overridden" => format!(
                "已由 {} 改定，理由：{}",
                r.grade_by.as_deref().unwrap_or(""),
                r.grade_reason
            ),
            _ => "待确认".to_string(),
        };
        let _ = writeln!(
            o,
            "  级别 {}（依事实建议 {}，{status}）",
            rules.grade_zh(r.grade),
            rules.grade_zh(r.proposed_grade)
        );
        for g in &clocks.grade_reasons {
            let _ = writeln!(o, "    {}", g.zh);
        }
        let _ = writeln!(o, "  应报送：");
    } else {
        let _ = writeln!(
            o,
            "incident {} “{}” on “{}”: {state_en}",
            r.id, r.title, r.network_name
        );
        let _ = writeln!(
            o,
            "  detected {}; category {}",
            r.detected_at,
            category.map(|c| c.en.as_str()).unwrap_or(&r.category)
        );
        let status = match r.grade_status.as_str() {
            "confirmed" => format!("confirmed by “{}”", r.grade_by.as_deref().unwrap_or("")),
            "overridden" => format!(
                "overridden by “{}”: “{}”",
                r.grade_by.as_deref().unwrap_or(""),
                r.grade_reason
            ),
            _ => "not yet confirmed".to_string(),
        };
        let _ = writeln!(
            o,
            "  grade {} (the facts propose {}; {status})",
            rules.grade_en(r.grade),
            rules.grade_en(r.proposed_grade)
        );
        // An override's reason is the user's words, Chinese as often as not: quoted.
        for g in &clocks.grade_reasons {
            let _ = writeln!(o, "    {}", crate::say::quoted(lang, &g.en));
        }
        let _ = writeln!(o, "  reports owed:");
    }
    for c in &reports {
        let rep = &c.report;
        let due = rep
            .due
            .map(dengbao_duties::rfc3339_shanghai)
            .unwrap_or_else(|| {
                if zh {
                    "无法定时限".into()
                } else {
                    "no time limit".into()
                }
            });
        let recipient = if zh {
            &rep.recipient_zh
        } else {
            &rep.recipient_en
        };
        let _ = writeln!(
            o,
            "  [{}] {} {recipient} {} {due} — {}",
            state(c, lang),
            rep.id,
            if zh { "截止" } else { "due" },
            cites(rules, &rep.citations, il)
        );
    }
    if let Some(h) = &r.hold {
        let _ = writeln!(
            o,
            "  {} {h}",
            if zh {
                "日志法律保全："
            } else {
                "log legal hold:"
            }
        );
    }
    if let Some(t) = &r.closed_at {
        let _ = writeln!(o, "  {} {t}", if zh { "结案时间" } else { "closed at" });
    }
    Ok(o)
}
