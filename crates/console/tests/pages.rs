//! Every page × role, from tests/pages-matrix.txt, through the one decision point; and the
//! cross-organisation read: denied with the same 404 as a missing network, and audited.

mod common;

use axum::http::StatusCode;
use common::{audited, uri, user_with_password, App, Browser};
use dengbao_store::{NetworkProfile, Role};

const ROLES: [&str; 9] = [
    "anonymous",
    "administrator",
    "operator_a",
    "operator_b",
    "assessor",
    "supervisor",
    "auditor",
    "disabled",
    "supervisor_filed",
];
const PASSWORD: &str = "matrix password 1";

struct Row {
    line: usize,
    method: String,
    path: String,
    expected: Vec<u16>,
}

fn rows() -> Vec<Row> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/pages-matrix.txt"
    ))
    .unwrap();
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            let parts: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(
                parts.len(),
                2 + ROLES.len(),
                "pages-matrix.txt line {}: {l}",
                i + 1
            );
            Row {
                line: i + 1,
                method: parts[0].to_string(),
                path: parts[1].to_string(),
                expected: parts[2..].iter().map(|s| s.parse().unwrap()).collect(),
            }
        })
        .collect()
}

fn form_fields(path: &str, role: &str) -> Vec<(String, String)> {
    let f = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    if path.ends_with("/logs") {
        f(&[("query", "\"Failed password\""), ("note", "矩阵测试")])
    } else if path.ends_with("/release-hold") {
        f(&[("reason", "矩阵测试")])
    } else if path.contains("/assessment/tasks/") {
        f(&[("owner", "信息技术部"), ("due", "2026-12-31")])
    } else if path.ends_with("/assessment") || path.ends_with("/assessment/self") {
        f(&[("item.L3-PES1-01", "1"), ("result.L3-PES1-01", "符合")])
    } else if path == "/account/totp/confirm" {
        // No enrolment begun in this session: refused, nothing changes.
        f(&[("code", "123456")])
    } else if path.ends_with("/pi-requests/{pi}/close") {
        f(&[
            ("outcome", "done"),
            ("reason", ""),
            ("closed_at", "2026-11-05"),
        ])
    } else if path.ends_with("/rulings") {
        f(&[
            ("check", "access.ssh_root_login"),
            ("from", "hosts"),
            ("result", "pass"),
            ("note", "矩阵测试：现场核查不允许 root 登录"),
            ("ruling", "overrule"),
        ])
    } else if path.ends_with("/review") {
        f(&[("decision", "accept"), ("reason", "")])
    } else if path.ends_with("/void") {
        f(&[("reason", "矩阵测试：录入错误")])
    } else if path.ends_with("/correct") {
        f(&[("at", "2026-11-19"), ("reason", "矩阵测试：日期录错")])
    } else if path.ends_with("/events") {
        f(&[
            ("kind", "filed"),
            ("at", "2026-11-20"),
            ("note", "矩阵测试"),
        ])
    } else if path.ends_with("/edit") {
        f(&[
            ("name", "网上办事大厅"),
            ("stage", "running"),
            ("classified", "none"),
            ("level", "3"),
        ])
    } else if path.ends_with("/incidents") {
        f(&[
            ("title", "矩阵测试：机房断电"),
            ("detected_at", "2026-11-18T09:30"),
            ("category", "data_security"),
            ("personal_info_records", ""),
            ("by", "张三"),
        ])
    } else if path.ends_with("/reports") {
        f(&[
            ("report", "mlps.police_24h"),
            ("sent_at", "2026-11-18T10:00"),
            ("channel", "电话"),
            ("by", "张三"),
        ])
    } else if path.ends_with("/grade") {
        f(&[("handling_ended_at", "2026-11-18T12:00"), ("by", "张三")])
    } else if path.ends_with("/close") {
        f(&[("closed_at", "2026-11-18T13:00"), ("by", "张三")])
    } else if path.ends_with("/emergency/plans") {
        f(&[
            ("title", "网络安全事件应急预案"),
            ("version", "V1.0"),
            ("approved_on", "2026-11-02"),
            ("approved_by", "网络安全领导小组"),
            ("evidence_id", ""),
            ("link", "https://intranet.example.cn/plan.pdf"),
        ])
    } else if path.ends_with("/emergency/drills") {
        f(&[
            ("held_on", "2026-11-03"),
            ("scenario", "勒索软件"),
            ("participants", "信息中心、运维部"),
            ("findings", ""),
        ])
    } else if path.ends_with("/training/sessions") {
        f(&[
            ("held_on", "2026-11-03"),
            ("topic", "等级保护制度培训"),
            ("hours", "2"),
            ("trainer", "王工"),
            ("link", ""),
        ])
    } else if path.ends_with("/training/key-posts") {
        f(&[("post", "系统管理员")])
    } else if path.ends_with("/training/quiz/answers") {
        // The attempt is added per request; one question left unanswered.
        f(&[("q:none", "0")])
    } else if path.ends_with("/training/quiz") {
        f(&[("count", "3"), ("law", "csl"), ("staff_id", "")])
    } else if path.ends_with("/training/staff") {
        f(&[
            ("name", "李明"),
            ("position", "系统管理员"),
            ("key_post", "1"),
        ])
    } else if path.ends_with("/pi-requests") {
        f(&[
            ("kind", "correct"),
            ("requester_ref", "GD-2026-0001"),
            ("received_at", "2026-11-02"),
        ])
    } else if path.ends_with("/pi-requests/policy") {
        f(&[("working_days", "15"), ("source", "本单位个人信息保护制度")])
    } else if path == "/admin/orgs" {
        vec![("name".into(), format!("矩阵单位-{role}"))]
    } else if path == "/admin/calendar" {
        // A test fixture, not the real 2027 notice.
        f(&[
            ("year", "2027"),
            ("title", "矩阵测试用通知"),
            ("published", "2026-11-01"),
            ("holidays", "元旦 2027-01-01 2027-01-03"),
        ])
    } else if path.ends_with("/disable") || path.ends_with("/enable") {
        Vec::new()
    } else if path == "/tokens" {
        f(&[("label", "matrix")])
    } else if path.ends_with("/revoke") || path == "/account/totp/begin" {
        Vec::new()
    } else {
        panic!("no form fields for {path}")
    }
}

#[tokio::test]
async fn every_page_answers_each_role_as_the_matrix_says() {
    let app = App::new().await;
    let admin_browser = app.set_up().await;
    let store = &app.store;
    let org_a = store
        .list_orgs(&dengbao_store::OrgScope::All)
        .await
        .unwrap()[0]
        .id
        .clone();
    let org_b = store
        .create_org(
            "test",
            dengbao_store::orgs::NewOrganisation {
                name: "另一运营单位".into(),
            },
        )
        .await
        .unwrap()
        .id;
    let users = [
        ("operator_a", Role::Operator, vec![org_a.clone()]),
        ("operator_b", Role::Operator, vec![org_b.clone()]),
        ("assessor", Role::Assessor, vec![org_a.clone()]),
        ("supervisor", Role::Supervisor, vec![org_a.clone()]),
        ("auditor", Role::Auditor, vec![]),
    ];
    // A user only the disable/enable rows act on (disabling a role's own user would end the
    // session the rest of the matrix needs).
    let victim = user_with_password(
        store,
        "victim",
        Role::Operator,
        vec![org_a.clone()],
        PASSWORD,
    )
    .await;
    let mut user_ids = std::collections::HashMap::new();
    for (name, role, orgs) in users {
        let id = user_with_password(store, name, role, orgs, PASSWORD).await;
        user_ids.insert(name, id);
    }
    let admin_id = store
        .list_users()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.role == Role::Administrator)
        .unwrap()
        .id;
    user_ids.insert("administrator", admin_id);
    user_ids.insert("anonymous", victim.clone());
    // Signs in below, then is disabled: its session must stop working at once.
    let disabled = user_with_password(
        store,
        "disabled",
        Role::Operator,
        vec![org_a.clone()],
        PASSWORD,
    )
    .await;
    user_ids.insert("disabled", victim.clone());
    let profile: NetworkProfile = serde_json::from_value(serde_json::json!({
        "name": "网上办事大厅", "level": 3, "stage": "running", "personal_info": true
    }))
    .unwrap();
    let net_a = store
        .create_network("test", &org_a, profile)
        .await
        .unwrap()
        .id;
    // The assessor sees A's network through its engagement (only the networks it is
    // engaged on).
    store
        .engage(
            "test",
            &net_a,
            dengbao_store::engagements::EngagementInput {
                assessor_id: user_ids["assessor"].clone(),
                engaged_on: "2026-09-01".into(),
            },
        )
        .await
        .unwrap();

    // A public security organ that received the filing of another network of A only.
    let organ = user_with_password(
        store,
        "supervisor_filed",
        Role::Supervisor,
        vec![],
        PASSWORD,
    )
    .await;
    user_ids.insert("supervisor_filed", organ.clone());
    let other: NetworkProfile = serde_json::from_value(serde_json::json!({
        "name": "网上办事大厅备份系统", "level": 2, "stage": "running"
    }))
    .unwrap();
    let other = store
        .create_network("test", &org_a, other)
        .await
        .unwrap()
        .id;
    store
        .submit_filing(
            "test",
            &other,
            dengbao_store::filings::FilingInput {
                supervisor_id: organ,
                submitted_on: "2026-09-01".into(),
                form: Default::default(),
                note: String::new(),
            },
            jiff::civil::date(2026, 9, 15),
        )
        .await
        .unwrap();

    let mut browsers: Vec<Browser> = Vec::new();
    for (i, role) in ROLES.iter().enumerate() {
        let ip = format!("192.0.2.{}", 20 + i);
        let mut b = Browser::new(app.router.clone(), &ip);
        match *role {
            "anonymous" => {
                b.get("/signin").await;
            }
            "administrator" => b.cookies = admin_browser.cookies.clone(),
            name => {
                b.sign_in(name, PASSWORD).await;
            }
        }
        browsers.push(b);
    }
    store
        .set_user_disabled("test", &disabled, true)
        .await
        .unwrap();

    let mut failures = Vec::new();
    for row in rows() {
        for (i, role) in ROLES.iter().enumerate() {
            let mut path = row
                .path
                .replace("{net_a}", &net_a)
                .replace("{user}", &user_ids["operator_a"])
                .replace("{victim}", &victim);
            if path.contains("{own_token}") {
                let t = store
                    .create_token("test", &user_ids[role], "own")
                    .await
                    .unwrap();
                path = path.replace("{own_token}", &t.id);
            }
            if path.contains("{victim_token}") {
                let t = store
                    .create_token("test", &victim, "victim's")
                    .await
                    .unwrap();
                path = path.replace("{victim_token}", &t.id);
            }
            let path = uri(&path);
            let b = &mut browsers[i];
            // An event is voided or corrected once: a fresh one for each attempt.
            let path = if row.path.contains("{event}") {
                let event = store
                    .add_event(
                        "test",
                        &net_a,
                        dengbao_store::EventInput {
                            kind: "last_self_inspection".into(),
                            at: "2026-11-18".into(),
                            note: String::new(),
                        },
                    )
                    .await
                    .unwrap();
                path.replace("{event}", &event.id)
            } else if row.path.contains("{evidence}") {
                let evidence = store
                    .add_evidence(
                        "test",
                        &net_a,
                        dengbao_store::EvidenceInput {
                            duty_id: "mlps.self_inspection".into(),
                            description: "自查报告".into(),
                            file_name: Some("自查报告.pdf".into()),
                            ..Default::default()
                        },
                        Some(b"%PDF-1.7 self"),
                    )
                    .await
                    .unwrap();
                path.replace("{evidence}", &evidence.id)
            } else if row.path.contains("{pi}") {
                let req = store
                    .add_pi_request(
                        "test",
                        &net_a,
                        dengbao_store::NewPiRequest {
                            kind: "delete".into(),
                            requester_ref: format!("GD-{role}"),
                            received_at: "2026-11-02".into(),
                        },
                    )
                    .await
                    .unwrap();
                path.replace("{pi}", &req.id)
            } else if row.path.contains("{report}") {
                let id = common::host_report(store, &net_a, &format!("web-{role}")).await;
                path.replace("{report}", &id)
            } else if row.path.contains("{incident}") {
                let id = common::incident(store, &net_a, row.path.ends_with("/close")).await;
                path.replace("{incident}", &id)
            } else {
                path.clone()
            };
            let got = if row.method == "GET" {
                b.get(&path).await
            } else {
                // A fresh token from a page, then the form.
                b.get(if matches!(*role, "anonymous" | "disabled") {
                    "/signin"
                } else {
                    "/tokens"
                })
                .await;
                let mut fields = form_fields(&row.path, role);
                if row.path.ends_with("/training/quiz/answers") {
                    // A fresh attempt of real questions: an attempt is submitted once.
                    let org = store.network_org(&net_a).await.unwrap().unwrap();
                    let date = dengbao_duties::date_of(jiff::Timestamp::now());
                    let bank = dengbao_training::Bank::build(date).unwrap();
                    let ids = bank
                        .quiz(2, Some("csl"), 7)
                        .iter()
                        .map(|q| q.id.clone())
                        .collect();
                    let attempt = store
                        .start_quiz(
                            "test",
                            &org,
                            dengbao_store::QuizStart {
                                seed: 7,
                                bank_date: date.to_string(),
                                question_ids: ids,
                                ..Default::default()
                            },
                        )
                        .await
                        .unwrap();
                    fields.push(("attempt".into(), attempt.id));
                }
                if row.path.ends_with("/training/sessions")
                    || row.path.ends_with("/training/key-posts")
                {
                    // A person of the network's organisation to attend, for this attempt.
                    let org = store.network_org(&net_a).await.unwrap().unwrap();
                    let person = store
                        .add_staff(
                            "test",
                            &org,
                            dengbao_store::StaffInput {
                                name: format!("张华-{role}"),
                                position: "安全管理员".into(),
                                key_post: true,
                            },
                        )
                        .await
                        .unwrap();
                    let name = if row.path.ends_with("/key-posts") {
                        "staff_id"
                    } else {
                        "attendees"
                    };
                    fields.push((name.into(), person.id));
                }
                if row.path.ends_with("/emergency/drills") {
                    // A plan of the network to drill, recorded for this attempt.
                    let plan = store
                        .add_emergency_plan(
                            "test",
                            &net_a,
                            dengbao_store::PlanInput {
                                title: "应急预案".into(),
                                version: format!("V-{role}"),
                                approved_on: "2026-11-01".into(),
                                approved_by: "领导小组".into(),
                                link: Some("https://intranet.example.cn/plan.pdf".into()),
                                ..Default::default()
                            },
                        )
                        .await
                        .unwrap();
                    fields.push(("plan_id".into(), plan.id));
                }
                let fields: Vec<(&str, &str)> = fields
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                b.post(&path, &fields).await
            };
            if got.status.as_u16() != row.expected[i] {
                failures.push(format!(
                    "line {}: {} {} as {role}: expected {}, got {} {}",
                    row.line, row.method, row.path, row.expected[i], got.status, got.location
                ));
            }
            if matches!(*role, "anonymous" | "disabled") && got.status == StatusCode::SEE_OTHER {
                assert!(
                    got.location.starts_with("/signin?next="),
                    "{}",
                    got.location
                );
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // The cross-organisation read was denied like a missing network, and audited.
    let denials = audited(store, "denied").await;
    let cross = denials
        .iter()
        .find(|e| e.actor.contains("operator_b") && e.target == format!("GET /networks/{net_a}"))
        .expect("operator_b's read of organisation A's network is in the audit log");
    assert_eq!(cross.org_id.as_deref(), Some(org_a.as_str()));
    assert!(cross.detail.contains("404"), "{}", cross.detail);
    assert!(
        cross.detail.contains("another organisation"),
        "{}",
        cross.detail
    );
}
