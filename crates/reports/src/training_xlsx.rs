//! The training records of a network for an assessor (安全管理人员: 安全意识教育和培训,
//! 外部人员/岗位人员的技能考核): the sessions, each person's hours per year, and the people with
//! their key posts and certificates (decision 1502), the organisation's plan for the year (decision
//! 1505). One sheet each, Chinese headers as the
//! other workbooks.

use rust_xlsxwriter::Workbook;

use crate::xlsx::{body, headers, title};
use crate::Result;

/// One training session.
#[derive(Debug, Clone, Default)]
pub struct TrainingRow {
    pub held_on: String,
    pub topic: String,
    pub hours: f64,
    pub trainer: String,
    /// The attendees by name, joined.
    pub attendees: String,
    /// Whether every key post of the network attended (the session meets the duty).
    pub covers_key_posts: bool,
    /// A link to the materials, or empty.
    pub materials: String,
}

/// One person's hours in one year.
#[derive(Debug, Clone, Default)]
pub struct HoursRow {
    pub year: i32,
    pub name: String,
    pub hours: f64,
    pub sessions: i64,
}

/// One person of the organisation.
#[derive(Debug, Clone, Default)]
pub struct StaffRow {
    pub name: String,
    pub position: String,
    pub key_post: bool,
    /// Certificates with their expiry, joined.
    pub certificates: String,
}

/// One item of the organisation's yearly training plan (decision 1505).
#[derive(Debug, Clone, Default)]
pub struct PlanRow {
    /// The planned day, or the month (`2026-03`).
    pub when: String,
    pub topic: String,
    /// Who it is for, in words (全体人员, 关键岗位, 岗位：…).
    pub audience: String,
    pub hours: f64,
    pub trainer: String,
    /// The day of the session that held it, or empty: not held yet.
    pub held_on: String,
}

/// The records of one network.
#[derive(Debug, Clone, Default)]
pub struct TrainingRecords {
    pub org_name: String,
    pub network_name: String,
    /// The day the workbook was made.
    pub at: String,
    pub sessions: Vec<TrainingRow>,
    pub hours: Vec<HoursRow>,
    pub staff: Vec<StaffRow>,
    /// The year of `plan`, and who approved it (empty: not recorded).
    pub plan_year: i32,
    pub plan_approval: String,
    pub plan: Vec<PlanRow>,
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "是"
    } else {
        "否"
    }
}

/// Sessions, hours per person and year, people and certificates, the year's plan: four sheets.
pub fn training_xlsx(t: &TrainingRecords) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let sub = format!("{}　{}　导出日期：{}", t.org_name, t.network_name, t.at);

    let ws = wb.add_worksheet();
    ws.set_name("培训记录")?;
    title(ws, &format!("{}：培训记录", t.network_name), &sub)?;
    headers(
        ws,
        3,
        &[
            ("培训日期", 12.0),
            ("培训主题", 40.0),
            ("学时", 8.0),
            ("培训讲师", 20.0),
            ("参加人员", 40.0),
            ("覆盖全部关键岗位", 12.0),
            ("培训材料", 30.0),
        ],
    )?;
    for (i, s) in t.sessions.iter().enumerate() {
        let r = 4 + i as u32;
        ws.write_string_with_format(r, 0, crate::safe::xml_safe(&s.held_on), &body())?;
        ws.write_string_with_format(r, 1, crate::safe::xml_safe(&s.topic), &body())?;
        ws.write_number_with_format(r, 2, s.hours, &body())?;
        ws.write_string_with_format(r, 3, crate::safe::xml_safe(&s.trainer), &body())?;
        ws.write_string_with_format(r, 4, crate::safe::xml_safe(&s.attendees), &body())?;
        ws.write_string_with_format(r, 5, yes_no(s.covers_key_posts), &body())?;
        ws.write_string_with_format(r, 6, crate::safe::xml_safe(&s.materials), &body())?;
    }

    let ws = wb.add_worksheet();
    ws.set_name("学时统计")?;
    title(ws, &format!("{}：每人每年培训学时", t.network_name), &sub)?;
    headers(
        ws,
        3,
        &[
            ("年度", 8.0),
            ("姓名", 16.0),
            ("学时", 8.0),
            ("培训次数", 10.0),
        ],
    )?;
    for (i, h) in t.hours.iter().enumerate() {
        let r = 4 + i as u32;
        ws.write_number_with_format(r, 0, f64::from(h.year), &body())?;
        ws.write_string_with_format(r, 1, crate::safe::xml_safe(&h.name), &body())?;
        ws.write_number_with_format(r, 2, h.hours, &body())?;
        ws.write_number_with_format(r, 3, h.sessions as f64, &body())?;
    }

    let ws = wb.add_worksheet();
    ws.set_name("人员与证书")?;
    title(ws, &format!("{}：人员与证书", t.org_name), &sub)?;
    headers(
        ws,
        3,
        &[
            ("姓名", 16.0),
            ("岗位/职务", 20.0),
            ("关键岗位", 10.0),
            ("证书（有效期至）", 50.0),
        ],
    )?;
    for (i, s) in t.staff.iter().enumerate() {
        let r = 4 + i as u32;
        ws.write_string_with_format(r, 0, crate::safe::xml_safe(&s.name), &body())?;
        ws.write_string_with_format(r, 1, crate::safe::xml_safe(&s.position), &body())?;
        ws.write_string_with_format(r, 2, yes_no(s.key_post), &body())?;
        ws.write_string_with_format(r, 3, crate::safe::xml_safe(&s.certificates), &body())?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("培训计划")?;
    let approval = if t.plan_approval.is_empty() {
        "审批：未记录".to_string()
    } else {
        format!("审批：{}", t.plan_approval)
    };
    title(
        ws,
        &format!("{}：{} 年度培训计划", t.org_name, t.plan_year),
        &format!("{sub}　{approval}"),
    )?;
    headers(
        ws,
        3,
        &[
            ("计划时间", 12.0),
            ("培训主题", 40.0),
            ("培训对象", 24.0),
            ("计划学时", 10.0),
            ("培训讲师", 20.0),
            ("开展日期（未开展为空）", 16.0),
        ],
    )?;
    for (i, p) in t.plan.iter().enumerate() {
        let r = 4 + i as u32;
        ws.write_string_with_format(r, 0, crate::safe::xml_safe(&p.when), &body())?;
        ws.write_string_with_format(r, 1, crate::safe::xml_safe(&p.topic), &body())?;
        ws.write_string_with_format(r, 2, crate::safe::xml_safe(&p.audience), &body())?;
        ws.write_number_with_format(r, 3, p.hours, &body())?;
        ws.write_string_with_format(r, 4, crate::safe::xml_safe(&p.trainer), &body())?;
        ws.write_string_with_format(r, 5, crate::safe::xml_safe(&p.held_on), &body())?;
    }
    Ok(wb.save_to_buffer()?)
}
