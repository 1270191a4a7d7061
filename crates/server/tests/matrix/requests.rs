//! The concrete request of each row of tests/matrix.txt: the path's placeholders filled
//! with fresh records of organisation A (one per attempt where a request consumes its
//! target), and the body each endpoint needs to succeed for a role that may call it.

use axum::http::Method;
use dengbao_store::EvidenceInput;

use super::common::{self, multipart, World};
use super::{template, Row};

/// The concrete URI and body of a row for one attempt.
pub async fn request(w: &World, row: &Row, attempt: usize) -> (String, Option<(String, Vec<u8>)>) {
    let path = row.path.clone();
    let id = if path.starts_with("/api/networks/{id}") {
        if row.method == Method::DELETE {
            w.store
                .create_network(
                    "test",
                    &w.org_a,
                    common::profile(&format!("待删除{attempt}")),
                )
                .await
                .unwrap()
                .id
        } else {
            w.net_a.clone()
        }
    } else if path.starts_with("/api/organisations/{id}") {
        w.org_a.clone()
    } else if path.starts_with("/api/users/{id}") {
        w.user_ids[2].clone().unwrap()
    } else if path.starts_with("/api/tokens/{id}") {
        w.store
            .create_token("test", w.user_ids[2].as_deref().unwrap(), "throwaway")
            .await
            .unwrap()
            .id
    } else {
        String::new()
    };
    // A fresh event per attempt: an event is voided or corrected once.
    let event_id = if path.contains("{event_id}") {
        w.store
            .add_event(
                "test",
                &w.net_a,
                dengbao_store::EventInput {
                    kind: "last_self_inspection".into(),
                    at: "2026-03-02".into(),
                    note: String::new(),
                },
            )
            .await
            .unwrap()
            .id
    } else {
        String::new()
    };
    // A fresh piece of evidence per attempt where the request reviews or voids one.
    let evidence_id =
        if path.contains("{evidence_id}/review") || path.contains("{evidence_id}/void") {
            w.store
                .add_evidence(
                    "test",
                    &w.net_a,
                    dengbao_store::EvidenceInput {
                        duty_id: "mlps.self_inspection".into(),
                        description: "自查报告".into(),
                        file_name: Some("self.pdf".into()),
                        ..Default::default()
                    },
                    Some(b"%PDF-1.4 self"),
                )
                .await
                .unwrap()
                .id
        } else {
            w.evidence_a.clone()
        };
    // A fresh incident per attempt: a send or a close changes it.
    let incident_id = if path.contains("{incident_id}") {
        w.store
            .open_incident(
                "test",
                dengbao_store::OpenIncident {
                    network_id: w.net_a.clone(),
                    title: format!("事件{attempt}"),
                    detected_at: "2026-05-31T22:15:00+08:00".into(),
                    category: "data_security".into(),
                    by: "张三".into(),
                    ..Default::default()
                },
                |_| Ok(None),
            )
            .await
            .unwrap()
            .id
    } else {
        String::new()
    };
    // A fresh open request per attempt: a close changes it.
    let request_id = if path.contains("{request_id}") {
        w.store
            .add_pi_request(
                "test",
                &w.net_a,
                dengbao_store::NewPiRequest {
                    kind: "delete".into(),
                    requester_ref: format!("GD-{attempt}"),
                    received_at: "2026-03-02".into(),
                },
            )
            .await
            .unwrap()
            .id
    } else {
        String::new()
    };
    // A fresh quiz of organisation A per attempt, of real questions: one is submitted once.
    let quiz_id = if path.contains("{quiz_id}") {
        let date = dengbao_duties::date_of(jiff::Timestamp::now());
        let bank = dengbao_training::Bank::build(date).unwrap();
        let ids = bank
            .quiz(2, Some("csl"), 7)
            .iter()
            .map(|q| q.id.clone())
            .collect();
        w.store
            .start_quiz(
                "test",
                &w.org_a,
                dengbao_store::QuizStart {
                    law: Some("csl".into()),
                    seed: 7,
                    bank_date: date.to_string(),
                    question_ids: ids,
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .id
    } else {
        String::new()
    };
    // A host report of the network to rule on.
    let report_id = if path.contains("{report_id}") {
        host_report_of(w).await
    } else {
        String::new()
    };
    let uri = path
        .replace("{report_id}", &report_id)
        .replace("{quiz_id}", &quiz_id)
        .replace("{request_id}", &request_id)
        .replace("{id}", &id)
        .replace("{incident_id}", &incident_id)
        .replace("{file}", "initial.docx")
        .replace("{event_id}", &event_id)
        .replace("{evidence_id}", &evidence_id)
        .replace("{law}", "csl")
        .replace("{citation}", "21")
        .replace("{case_id}", "2017-chongqing-log-retention")
        .replace("{point}", "001-wp-04")
        .replace("{item}", "L3-PES1-01")
        .replace("{year}", "2026");
    let json =
        |v: serde_json::Value| Some(("application/json".to_string(), v.to_string().into_bytes()));
    let body = match (row.method.as_str(), template(&path)) {
        ("POST", "/api/setup") => {
            json(serde_json::json!({"setup_token": "dbs_wrong", "administrator": "x"}))
        }
        ("POST", "/api/organisations") => {
            json(serde_json::json!({"name": format!("新单位{attempt}")}))
        }
        ("POST", "/api/users") => {
            json(serde_json::json!({"name": format!("新用户{attempt}"), "role": "auditor"}))
        }
        ("POST", "/api/users/{id}/tokens") => json(serde_json::json!({"label": "matrix"})),
        ("POST", "/api/tokens") => {
            let in_a_month = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(720);
            json(serde_json::json!({"label": "matrix", "expires_at": in_a_month.to_string()}))
        }
        ("POST", "/api/networks") => json(
            serde_json::json!({"org_id": w.org_a, "name": format!("新网络{attempt}"), "level": 2, "stage": "building"}),
        ),
        ("PUT", "/api/networks/{id}") => json(
            serde_json::json!({"name": "甲-营销系统", "level": 3, "stage": "running", "personal_info": true}),
        ),
        ("POST", "/api/networks/{id}/events") => {
            json(serde_json::json!({"kind": "last_self_inspection", "at": "2026-03-02"}))
        }
        ("POST", "/api/networks/{id}/events/{event_id}/void") => {
            json(serde_json::json!({"reason": "录入错误"}))
        }
        ("POST", "/api/networks/{id}/events/{event_id}/correct") => {
            json(serde_json::json!({"at": "2026-03-03", "reason": "日期录错"}))
        }
        ("POST", "/api/networks/{id}/evidence/{evidence_id}/review") => {
            json(serde_json::json!({"decision": "accept"}))
        }
        ("POST", "/api/networks/{id}/evidence/{evidence_id}/void") => {
            json(serde_json::json!({"reason": "上传错了文件"}))
        }
        ("POST", "/api/networks/{id}/evidence") => {
            let (ct, body) = multipart(
                &[
                    ("duty_id", "mlps.self_inspection"),
                    ("description", "自查报告"),
                ],
                Some(("self.pdf", b"%PDF-1.4 self")),
            );
            Some((ct, body))
        }
        ("POST", "/api/networks/{id}/emergency-plans") => json(serde_json::json!({
            "title": "网络安全事件应急预案", "version": format!("V{attempt}"),
            "approved_on": "2026-03-02", "approved_by": "网络安全领导小组",
            "link": "https://intranet.example.cn/plan.pdf"
        })),
        ("POST", "/api/networks/{id}/drills") => {
            // A plan of the network to drill, recorded for this attempt.
            let plan = w
                .store
                .add_emergency_plan(
                    "test",
                    &w.net_a,
                    dengbao_store::PlanInput {
                        title: "应急预案".into(),
                        version: format!("V{attempt}"),
                        approved_on: "2026-03-02".into(),
                        approved_by: "领导小组".into(),
                        link: Some("https://intranet.example.cn/plan.pdf".into()),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            json(serde_json::json!({
                "plan_id": plan.id, "held_on": "2026-03-05", "scenario": "勒索软件",
                "participants": "信息中心、运维部"
            }))
        }
        ("POST", "/api/networks/{id}/pi-requests") => json(serde_json::json!({
            "kind": "correct", "requester_ref": format!("GD-{attempt}"), "received_at": "2026-03-02"
        })),
        ("POST", "/api/networks/{id}/pi-requests/{request_id}/close") => json(serde_json::json!({
            "outcome": "done", "closed_at": "2026-03-05"
        })),
        ("PUT", "/api/organisations/{id}/pi-request-policy") => json(serde_json::json!({
            "working_days": 15, "source": "本单位个人信息保护制度（参照 GB/T 35273-2020 8.7）"
        })),
        ("PUT", "/api/organisations/{id}/work-plan/{year}/{point}") => json(serde_json::json!({
            "status": "done", "owner": "法制科 张敏", "evidence": "学法用法培训签到表.pdf"
        })),
        ("PUT", "/api/organisations/{id}/training-plan/{year}") => json(serde_json::json!({
            "approved_by": "信息中心主任 刘强", "approved_on": "2026-01-10",
            "items": [{"month": 3, "topic": "等级保护制度培训", "audience": "all",
                       "hours": 2.0, "trainer": "王工"}]
        })),
        ("POST", "/api/organisations/{id}/quizzes") => {
            json(serde_json::json!({"count": 3, "law": "mlps", "seed": attempt}))
        }
        ("POST", "/api/organisations/{id}/quizzes/{quiz_id}/answers") => {
            json(serde_json::json!({"answers": {}}))
        }
        ("POST", "/api/organisations/{id}/staff") => json(serde_json::json!({
            "name": format!("李明{attempt}"), "position": "系统管理员", "key_post": true
        })),
        ("POST", "/api/organisations/{id}/certificates")
        | ("POST", "/api/networks/{id}/key-posts")
        | ("POST", "/api/networks/{id}/training-sessions") => {
            // A key-post person of organisation A, recorded for this attempt.
            let staff = w
                .store
                .add_staff(
                    "test",
                    &w.org_a,
                    dengbao_store::StaffInput {
                        name: format!("张华{attempt}"),
                        position: "安全管理员".into(),
                        key_post: true,
                    },
                )
                .await
                .unwrap()
                .id;
            json(match row.path.as_str() {
                "/api/organisations/{id}/certificates" => serde_json::json!({
                    "staff_id": staff, "name": "CISP", "issuer": "中国信息安全测评中心",
                    "expires_on": "2028-06-30"
                }),
                "/api/networks/{id}/key-posts" => {
                    serde_json::json!({ "staff_id": staff, "post": "安全管理员" })
                }
                _ => serde_json::json!({
                    "held_on": "2026-03-10", "topic": "等级保护制度培训", "hours": 2.0,
                    "trainer": "王工", "attendees": [staff]
                }),
            })
        }
        ("POST", "/api/networks/{id}/host-reports") => json(serde_json::json!({
            "host": format!("web-{attempt}"), "report": common::host_report(3)
        })),
        ("POST", "/api/networks/{id}/host-reports/{report_id}/rulings") => {
            json(serde_json::json!({
                "check": "access.ssh_root_login", "ruling": "overrule", "result": "fail",
                "note": "矩阵测试：现场查看允许 root 登录"
            }))
        }
        ("POST", "/api/grade") => json(
            serde_json::json!({"business": {"object": "order", "degree": "serious"}, "service": {"object": "rights", "degree": "harm"}}),
        ),
        _ => None,
    };
    (uri, body)
}

/// A level-3 host report stored on organisation A's network; its evidence id.
async fn host_report_of(w: &World) -> String {
    let report = common::host_report(3);
    let bytes =
        serde_json::to_vec(&serde_json::json!({"host": "web-01", "report": report})).unwrap();
    let count = |s: &str| report["summary"][s].as_i64().unwrap_or(0);
    w.store
        .record_host_report(
            "test",
            &w.net_a,
            dengbao_store::host_reports::HostReportInput {
                host: "web-01".into(),
                level: 3,
                distro: " (unknown)".into(),
                counts: [
                    count("pass"),
                    count("fail"),
                    count("not_applicable"),
                    count("unknown"),
                ],
            },
            EvidenceInput {
                duty_id: "mlps.general.protection".into(),
                description: "主机检查 web-01".into(),
                file_name: Some("主机检查-web-01.json".into()),
                ..Default::default()
            },
            &bytes,
        )
        .await
        .unwrap()
        .1
        .evidence_id
}
