//! The dated events of a network's life (`[events]` in a profile): what clocks start from
//! and what meets duties. Appending keeps every index stable (the memo signature's bits).

/// The dated events of a network's life that clocks start from or duties are met by.
/// Any other key under `[events]` is an error naming it.
pub const EVENTS: &[(&str, &str)] = &[
    ("graded", "等级确定（专家评审、主管部门核准之后）"),
    ("reviewed", "定级专家评审"),
    ("approved", "行业主管部门核准定级"),
    ("filed", "向公安机关备案"),
    ("certified", "取得备案证明"),
    ("launched", "上线运行（可填计划日期）"),
    ("changed", "功能、范围、对象或数据发生重大变化"),
    ("regraded", "变更安全保护等级"),
    ("filing_changed", "办理备案变更"),
    ("retired", "网络撤销、不再使用"),
    ("filing_revoked", "办理备案撤销"),
    ("launch_test", "第二级网络上线前安全测试"),
    ("launch_assessment", "上线前等级测评通过"),
    ("last_assessment", "最近一次等级测评"),
    ("rectified", "测评发现问题整改完成"),
    ("last_self_inspection", "最近一次自查"),
    ("launch_crypto_assessment", "上线前密码应用安全性评估通过"),
    ("last_crypto_assessment", "最近一次密码应用安全性评估"),
    ("incident_detected", "发现网络安全案事件"),
    ("incident_reported", "向属地公安机关报告案事件"),
    ("secret_leak_detected", "发现泄露国家秘密"),
    ("secret_leak_reported", "向保密行政管理部门报告泄密"),
    ("major_incident", "发生重大网络安全事件"),
    ("major_incident_supported", "为重大事件处置提供支持协助"),
    ("overseas_maintenance_assessed", "境外远程维护安全评估完成"),
    (
        "classified_filed",
        "涉密网络密级审定并向保密行政管理部门备案",
    ),
    ("secrecy_approved", "涉密网络检测评估并审查合格"),
    ("last_secrecy_check", "最近一次安全保密检查和风险自评估"),
    ("secrecy_change_reported", "涉密网络重大变化已报告"),
    ("secrecy_decommission_reported", "涉密网络废止已报告"),
    ("last_risk_assessment", "最近一次关键信息基础设施检测评估"),
    ("cross_border_assessed", "数据出境安全评估完成"),
    ("vulnerability_found", "发现产品安全缺陷、漏洞"),
    ("vulnerability_reported", "漏洞已补救、告知用户并报告"),
    ("pi_breach", "发生或可能发生个人信息泄露、毁损、丢失"),
    ("pi_breach_notified", "个人信息事件已告知用户并报告"),
    ("illegal_content_found", "发现禁止发布或传输的信息"),
    (
        "illegal_content_handled",
        "违法信息已停止传输、消除并保存记录",
    ),
    (
        "assistance_requested",
        "公安机关、国家安全机关请求技术支持和协助",
    ),
    ("assistance_given", "已提供技术支持和协助"),
    ("inspection", "有关部门依法实施监督检查"),
    ("inspection_cooperated", "已配合监督检查"),
    (
        "incident_reported_industry",
        "向行业主管部门报告网络安全事件",
    ),
    (
        "incident_reported_competent",
        "按网络安全法向有关主管部门报告网络安全事件",
    ),
    ("incident_scene_kept", "事件现场已保护、相关数据已记录留存"),
    ("illegal_content_reported", "违法信息已向有关主管部门报告"),
    ("sensitive_purchase", "采购可能影响国家安全的网络产品和服务"),
    ("security_reviewed", "通过国家安全审查"),
    (
        "rectification_ordered",
        "公安机关在监督检查中责令消除隐患或限期整改",
    ),
    ("rectification_due", "责令整改确定的期限（可填将来日期）"),
    ("order_rectified", "责令整改事项已整改完成"),
    ("investigation", "公安机关、有关部门开展事件调查和处置"),
    ("investigation_supported", "已配合、支持事件调查和处置"),
    (
        "emergency_measures_ordered",
        "公安机关责令采取阻断传输、暂停运行、备份数据等紧急措施",
    ),
    ("emergency_measures_taken", "已采取责令的紧急措施"),
    ("disconnection_ordered", "公安机关责令停止联网、停机整顿"),
    ("disconnected", "已停止联网、停机整顿"),
    ("summoned", "被约谈（网络安全约谈）"),
    ("summons_answered", "已参加约谈并落实整改要求"),
    (
        "content_removal_ordered",
        "有关部门要求对禁止发布或传输的信息停止传输",
    ),
    ("content_removal_done", "已按要求停止传输、消除并保存记录"),
    (
        "last_data_risk_assessment",
        "最近一次重要数据风险评估（报告已报送主管部门）",
    ),
    (
        "pi_officer_appointed",
        "指定个人信息保护负责人并报送其姓名、联系方式",
    ),
    ("last_pi_audit", "最近一次个人信息保护合规审计"),
    ("emergency_plan_approved", "网络安全事件应急预案经批准"),
    ("last_emergency_drill", "最近一次网络安全应急演练"),
    (
        "last_training",
        "最近一次网络安全教育培训（覆盖关键岗位人员）",
    ),
];

/// The index of an event name in [`EVENTS`].
pub fn event_index(name: &str) -> Option<usize> {
    // A match compiles to length-then-bytes comparisons; `events_are_indexed_in_order`
    // checks it agrees with EVENTS.
    match name {
        "graded" => Some(0),
        "reviewed" => Some(1),
        "approved" => Some(2),
        "filed" => Some(3),
        "certified" => Some(4),
        "launched" => Some(5),
        "changed" => Some(6),
        "regraded" => Some(7),
        "filing_changed" => Some(8),
        "retired" => Some(9),
        "filing_revoked" => Some(10),
        "launch_test" => Some(11),
        "launch_assessment" => Some(12),
        "last_assessment" => Some(13),
        "rectified" => Some(14),
        "last_self_inspection" => Some(15),
        "launch_crypto_assessment" => Some(16),
        "last_crypto_assessment" => Some(17),
        "incident_detected" => Some(18),
        "incident_reported" => Some(19),
        "secret_leak_detected" => Some(20),
        "secret_leak_reported" => Some(21),
        "major_incident" => Some(22),
        "major_incident_supported" => Some(23),
        "overseas_maintenance_assessed" => Some(24),
        "classified_filed" => Some(25),
        "secrecy_approved" => Some(26),
        "last_secrecy_check" => Some(27),
        "secrecy_change_reported" => Some(28),
        "secrecy_decommission_reported" => Some(29),
        "last_risk_assessment" => Some(30),
        "cross_border_assessed" => Some(31),
        "vulnerability_found" => Some(32),
        "vulnerability_reported" => Some(33),
        "pi_breach" => Some(34),
        "pi_breach_notified" => Some(35),
        "illegal_content_found" => Some(36),
        "illegal_content_handled" => Some(37),
        "assistance_requested" => Some(38),
        "assistance_given" => Some(39),
        "inspection" => Some(40),
        "inspection_cooperated" => Some(41),
        "incident_reported_industry" => Some(42),
        "incident_reported_competent" => Some(43),
        "incident_scene_kept" => Some(44),
        "illegal_content_reported" => Some(45),
        "sensitive_purchase" => Some(46),
        "security_reviewed" => Some(47),
        "rectification_ordered" => Some(48),
        "rectification_due" => Some(49),
        "order_rectified" => Some(50),
        "investigation" => Some(51),
        "investigation_supported" => Some(52),
        "emergency_measures_ordered" => Some(53),
        "emergency_measures_taken" => Some(54),
        "disconnection_ordered" => Some(55),
        "disconnected" => Some(56),
        "summoned" => Some(57),
        "summons_answered" => Some(58),
        "content_removal_ordered" => Some(59),
        "content_removal_done" => Some(60),
        "last_data_risk_assessment" => Some(61),
        "pi_officer_appointed" => Some(62),
        "last_pi_audit" => Some(63),
        "emergency_plan_approved" => Some(64),
        "last_emergency_drill" => Some(65),
        "last_training" => Some(66),
        _ => None,
    }
}

/// Events that may carry a planned (future) date: a launch date, a deadline set by an
/// order. Every other event is something done, and the engine sees it only from its date on.
pub const PLANNED_EVENTS: &[&str] = &["launched", "rectification_due"];

/// Events that happen once in a network's life: it launches once, passes its pre-launch
/// assessments once, is retired once. A second record of one is a mistake to correct, not
/// a new fact, so the store refuses it, and where old data holds two the first counts (a
/// duplicate 上线运行 must not move every "before launch" deadline to its date).
pub const ONCE_EVENTS: &[&str] = &[
    "launched",
    "launch_test",
    "launch_assessment",
    "launch_crypto_assessment",
    "classified_filed",
    "secrecy_approved",
    "secrecy_decommission_reported",
    "retired",
    "filing_revoked",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_indexed_in_order() {
        for (i, (name, _)) in EVENTS.iter().enumerate() {
            assert_eq!(event_index(name), Some(i), "{name}");
        }
        assert_eq!(event_index("nope"), None);
    }
}
