//! Staff, key posts and training sessions on both engines (decision 1502): every change has
//! its audit entry; a session covering the network's key posts writes `last_training`, one
//! that misses a key post does not; hours add up per person and year; bad input is refused
//! naming its field, with nothing written.

use dengbao_store::orgs::NewOrganisation;
use dengbao_store::profile::NetworkProfile;
use dengbao_store::{CertificateInput, KeyPostInput, SessionInput, StaffInput, Store, StoreError};
use sqlx::Row;

use dengbao_store::on_both;

/// An organisation with a level-3 CII network: (org id, network id).
async fn network(store: &Store, name: &str) -> (String, String) {
    let org = store
        .create_org(
            "cli",
            NewOrganisation {
                name: format!("{name}单位"),
            },
        )
        .await
        .unwrap();
    let profile: NetworkProfile = serde_json::from_value(serde_json::json!({
        "name": name, "level": 3, "stage": "running", "cii": true,
    }))
    .unwrap();
    let net = store
        .create_network("cli", &org.id, profile)
        .await
        .unwrap()
        .id;
    (org.id, net)
}

async fn person(store: &Store, org: &str, name: &str, position: &str, key_post: bool) -> String {
    store
        .add_staff(
            "user:1",
            org,
            StaffInput {
                name: name.into(),
                position: position.into(),
                key_post,
            },
        )
        .await
        .unwrap()
        .id
}

fn session(held_on: &str, hours: f64, attendees: &[&str]) -> SessionInput {
    SessionInput {
        held_on: held_on.into(),
        topic: "等级保护2.0与数据安全法规解读".into(),
        hours,
        trainer: "省网络安全协会 王工".into(),
        attendees: attendees.iter().map(|s| s.to_string()).collect(),
        evidence_id: None,
        link: Some("https://intranet.example.cn/training/2026-03.pdf".into()),
    }
}

async fn count(store: &Store, table: &str) -> i64 {
    sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get::<i64, _>("n")
}

async fn rows(store: &Store) -> Vec<i64> {
    let mut out = Vec::new();
    for t in [
        "staff",
        "staff_certificates",
        "network_key_posts",
        "training_sessions",
        "training_attendees",
        "network_events",
        "audit_log",
    ] {
        out.push(count(store, t).await);
    }
    out
}

fn field(e: StoreError) -> &'static str {
    match e {
        StoreError::Invalid { field, .. } => field,
        other => panic!("expected invalid input, got {other:?}"),
    }
}

on_both!(
    a_session_covering_the_key_posts_meets_the_duty_and_hours_add_up,
    |store: Store| async move {
        let (org, net) = network(&store, "电力调度系统").await;
        let admin = person(&store, &org, "李明", "系统管理员", true).await;
        let auditor = person(&store, &org, "张华", "安全审计员", true).await;
        let clerk = person(&store, &org, "陈静", "运维值班员", false).await;
        let cert = store
            .add_certificate(
                "user:1",
                &admin,
                CertificateInput {
                    name: "注册信息安全专业人员（CISP）".into(),
                    number: Some("CISP-2023-0815".into()),
                    issuer: "中国信息安全测评中心".into(),
                    expires_on: "2027-01-15".into(),
                },
            )
            .await
            .unwrap();
        for (who, post) in [(&admin, "系统管理员"), (&auditor, "审计管理员")] {
            store
                .set_key_post(
                    "user:1",
                    &net,
                    KeyPostInput {
                        staff_id: who.clone(),
                        post: post.into(),
                    },
                )
                .await
                .unwrap();
        }
        // Missing the auditor: recorded, counted in hours, but the duty is not met by it.
        let partial = store
            .add_training_session(
                "user:1",
                &net,
                session("2026-02-03", 2.0, &[&admin, &clerk]),
            )
            .await
            .unwrap();
        assert_eq!(partial.event_id, None);
        assert!(!store
            .profile_events(&net)
            .await
            .unwrap()
            .contains_key("last_training"));
        let full = store
            .add_training_session(
                "user:1",
                &net,
                session("2026-03-10", 3.5, &[&admin, &auditor, &clerk]),
            )
            .await
            .unwrap();
        assert!(full.event_id.is_some());
        assert_eq!(
            store.profile_events(&net).await.unwrap()["last_training"],
            "2026-03-10"
        );
        let events = store.list_events(&net).await.unwrap();
        assert!(events
            .iter()
            .any(|e| e.origin == format!("training:{}", full.id)));
        // Hours per person and year: 李明 5.5 h in 2026 over two sessions, 张华 3.5 h.
        store
            .add_training_session("user:1", &net, session("2025-11-20", 1.0, &[&admin]))
            .await
            .unwrap();
        let hours = store.training_hours(&org).await.unwrap();
        let of = |name: &str, year: i32| {
            hours
                .iter()
                .find(|h| h.name == name && h.year == year)
                .map(|h| (h.hours, h.sessions))
        };
        assert_eq!(of("李明", 2026), Some((5.5, 2)));
        assert_eq!(of("张华", 2026), Some((3.5, 1)));
        assert_eq!(of("李明", 2025), Some((1.0, 1)));
        assert_eq!(of("张华", 2025), None);
        let staff = store.list_staff(&org).await.unwrap();
        let li = staff.iter().find(|s| s.id == admin).unwrap();
        assert_eq!(li.certificates, vec![cert]);
        assert_eq!(store.list_key_posts(&net).await.unwrap().len(), 2);
        let sessions = store.list_training_sessions(&net).await.unwrap();
        assert_eq!(sessions.len(), 3);
        assert_eq!(sessions[0].held_on, "2026-03-10");
        assert_eq!(sessions[0].attendees.len(), 3);
        let acts: Vec<String> = store
            .audit_entries(0, 1000)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.action)
            .collect();
        for (act, n) in [
            ("staff.add", 3),
            ("staff.certificate", 1),
            ("staff.key_post", 2),
            ("training.session", 3),
        ] {
            assert_eq!(acts.iter().filter(|a| *a == act).count(), n, "{act}");
        }
        assert!(store.verify_audit().await.unwrap().ok);
    }
);

on_both!(
    bad_staff_and_sessions_are_refused_naming_the_field_and_write_nothing,
    |store: Store| async move {
        let (org, net) = network(&store, "电力调度系统").await;
        let (other_org, _) = network(&store, "另一单位系统").await;
        let admin = person(&store, &org, "李明", "系统管理员", true).await;
        let clerk = person(&store, &org, "陈静", "运维值班员", false).await;
        let stranger = person(&store, &other_org, "赵强", "系统管理员", true).await;
        let before = rows(&store).await;
        let tomorrow = jiff::Timestamp::now()
            .in_tz("Asia/Shanghai")
            .unwrap()
            .date()
            .tomorrow()
            .unwrap()
            .to_string();
        let sessions: Vec<(&str, SessionInput)> = vec![
            ("held_on", session(&tomorrow, 2.0, &[&admin])),
            ("held_on", session("2026-02-30", 2.0, &[&admin])),
            ("hours", session("2026-03-10", 0.0, &[&admin])),
            ("hours", session("2026-03-10", 25.0, &[&admin])),
            ("hours", session("2026-03-10", f64::NAN, &[&admin])),
            ("attendees", session("2026-03-10", 2.0, &[])),
            ("attendees", session("2026-03-10", 2.0, &[&stranger])),
            ("topic", {
                let mut s = session("2026-03-10", 2.0, &[&admin]);
                s.topic = " ".into();
                s
            }),
            ("link", {
                let mut s = session("2026-03-10", 2.0, &[&admin]);
                s.link = Some("javascript:alert(1)".into());
                s
            }),
        ];
        for (want, input) in sessions {
            let e = store
                .add_training_session("user:1", &net, input)
                .await
                .unwrap_err();
            assert_eq!(field(e), want);
        }
        let key_posts = [
            ("staff_id", clerk.as_str()),
            ("staff_id", stranger.as_str()),
            ("post", admin.as_str()),
        ];
        for (want, who) in key_posts {
            let e = store
                .set_key_post(
                    "user:1",
                    &net,
                    KeyPostInput {
                        staff_id: who.into(),
                        post: if want == "post" {
                            "".into()
                        } else {
                            "管理员".into()
                        },
                    },
                )
                .await
                .unwrap_err();
            assert_eq!(field(e), want);
        }
        let e = store
            .add_certificate(
                "user:1",
                &admin,
                CertificateInput {
                    name: "CISP".into(),
                    number: None,
                    issuer: "中国信息安全测评中心".into(),
                    expires_on: "2027-13-01".into(),
                },
            )
            .await
            .unwrap_err();
        assert_eq!(field(e), "expires_on");
        let e = store
            .add_staff(
                "user:1",
                &org,
                StaffInput {
                    name: "".into(),
                    position: "管理员".into(),
                    key_post: false,
                },
            )
            .await
            .unwrap_err();
        assert_eq!(field(e), "name");
        assert_eq!(rows(&store).await, before);
    }
);

on_both!(
    key_post_certificates_near_expiry_are_due_and_expired_ones_overdue,
    |store: Store| async move {
        let (org, _) = network(&store, "电力调度系统").await;
        let rule = dengbao_store::CertificateRule::builtin().unwrap();
        assert_eq!(rule.duty, "mlps.l3.personnel");
        let admin = person(&store, &org, "李明", "系统管理员", true).await;
        let clerk = person(&store, &org, "陈静", "运维值班员", false).await;
        for (who, name, expires_on) in [
            (&admin, "CISP", "2026-07-15"),
            (&admin, "网络安全等级测评师", "2026-05-31"),
            (&admin, "CISSP", "2028-01-01"),
            (&clerk, "CISP", "2026-06-10"),
        ] {
            store
                .add_certificate(
                    "user:1",
                    who,
                    CertificateInput {
                        name: name.into(),
                        number: None,
                        issuer: "中国信息安全测评中心".into(),
                        expires_on: expires_on.into(),
                    },
                )
                .await
                .unwrap();
        }
        let today: jiff::civil::Date = "2026-06-01".parse().unwrap();
        let alerts = store.certificate_alerts(&org, today, &rule).await.unwrap();
        let got: Vec<(&str, &str)> = alerts
            .iter()
            .map(|a| (a.certificate.as_str(), a.status.as_str()))
            .collect();
        // Expired the day before: overdue; 44 days left: due; 2028: nothing yet; the
        // clerk holds no key post.
        assert_eq!(
            got,
            vec![("网络安全等级测评师", "overdue"), ("CISP", "due")]
        );
        // The last valid day itself is still due, not overdue.
        let last_day: jiff::civil::Date = "2026-07-15".parse().unwrap();
        let on_last = store
            .certificate_alerts(&org, last_day, &rule)
            .await
            .unwrap();
        assert!(on_last
            .iter()
            .any(|a| a.certificate == "CISP" && a.status == "due"));
        // Renewed: the lapsed 测评师 certificate no longer raises an alert (decision 1505).
        store
            .add_certificate(
                "user:1",
                &admin,
                CertificateInput {
                    name: "网络安全等级测评师".into(),
                    number: None,
                    issuer: "中国信息安全测评中心".into(),
                    expires_on: "2029-05-31".into(),
                },
            )
            .await
            .unwrap();
        let renewed = store.certificate_alerts(&org, today, &rule).await.unwrap();
        let got: Vec<(&str, &str)> = renewed
            .iter()
            .map(|a| (a.certificate.as_str(), a.status.as_str()))
            .collect();
        assert_eq!(got, vec![("CISP", "due")]);
    }
);
