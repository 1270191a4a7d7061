//! The incident register on both engines: the transitions with their audit rows, the clocks
//! recomputed from the row, and every bad input refused naming its field with nothing written.

use dengbao_incidents::{states, ClockState, Grade, Rules};
use dengbao_store::incidents::IncidentFacts;
use dengbao_store::orgs::NewOrganisation;
use dengbao_store::profile::NetworkProfile;
use dengbao_store::{
    CloseIncident, GradeIncident, IncidentRecord, OpenIncident, SendReport, Store, StoreError,
};
use sqlx::Row;

use dengbao_store::on_both;

/// The level-3 CII payment platform of examples/profile-level3-cii.toml.
async fn cii_network(store: &Store) -> String {
    let org = store
        .create_org(
            "cli",
            NewOrganisation {
                name: "某支付机构".into(),
            },
        )
        .await
        .unwrap();
    let profile: NetworkProfile = serde_json::from_value(serde_json::json!({
        "name": "支付平台", "level": 3, "stage": "running", "cii": true, "personal_info": true,
    }))
    .unwrap();
    store
        .create_network("cli", &org.id, profile)
        .await
        .unwrap()
        .id
}

fn leak(network: &str) -> OpenIncident {
    OpenIncident {
        network_id: network.into(),
        title: "会员数据库遭拖库".into(),
        detected_at: "2026-05-31T22:15:00+08:00".into(),
        category: "data_security".into(),
        facts: IncidentFacts {
            personal_info_records: 1_000_000,
            ..IncidentFacts::default()
        },
        affected_systems: "会员数据库".into(),
        affected_data: "会员姓名、手机号".into(),
        action: "断开数据库外网访问".into(),
        by: "张三".into(),
        ..OpenIncident::default()
    }
}

fn no_hold(_: &IncidentRecord) -> dengbao_store::Result<Option<String>> {
    Ok(Some("incident-test.toml".into()))
}

/// Rows in the tables a transition writes: incidents, sends, events, audit.
async fn rows(store: &Store) -> [i64; 4] {
    let mut out = [0; 4];
    for (i, t) in [
        "incidents",
        "incident_reports",
        "network_events",
        "audit_log",
    ]
    .iter()
    .enumerate()
    {
        out[i] = sqlx::query(&format!("SELECT COUNT(*) AS n FROM {t}"))
            .fetch_one(store.pool())
            .await
            .unwrap()
            .get::<i64, _>("n");
    }
    out
}

fn field(e: StoreError) -> &'static str {
    match e {
        StoreError::Invalid { field, .. } => field,
        other => panic!("expected invalid input, got {other:?}"),
    }
}

fn send(report: &str, at: &str) -> SendReport {
    SendReport {
        report: report.into(),
        sent_at: at.into(),
        by: "李四".into(),
        channel: "电话".into(),
        attachment: "初次报告.docx".into(),
    }
}

on_both!(
    a_cii_pi_leak_goes_from_open_to_closed_with_every_clock_met,
    |store: Store| async move {
        let rules = Rules::builtin().unwrap();
        let net = cii_network(&store).await;
        let before = rows(&store).await;
        let rec = store
            .open_incident("cli 张三", leak(&net), no_hold)
            .await
            .unwrap();
        assert_eq!(
            rows(&store).await,
            [before[0] + 1, 0, before[2] + 1, before[3] + 1]
        );
        assert_eq!(rec.proposed_grade, Grade::RelativelyMajor);
        assert_eq!(rec.grade_status, "proposed");
        assert_eq!(rec.detected_at, "2026-05-31T22:15:00+08:00");
        assert_eq!(rec.hold.as_deref(), Some("incident-test.toml"));
        assert_eq!(store.get_incident(&rec.id).await.unwrap(), rec);
        let reasons = rec.proposed_reasons.to_string();
        assert!(reasons.contains("personal_info_records"), "{reasons}");

        // Nothing sent: every timed clock is overdue long after the incident.
        let now: jiff::Timestamp = "2026-06-02T00:00:00+08:00".parse().unwrap();
        let clocks = rec.clocks(&rules).unwrap();
        let ids: Vec<&str> = clocks.reports.iter().map(|r| r.id.as_str()).collect();
        for id in [
            "cac-irm.cii.protection_department",
            "cac-irm.cii.public_security",
            "mlps.police_24h",
            "pipl.authority_notice",
            "pipl.user_notice",
            "cac-irm.follow_up",
            "cac-irm.summary",
        ] {
            assert!(ids.contains(&id), "{id} owed: {ids:?}");
        }
        let st = states(&clocks, &rec.sent(), now);
        assert!(st
            .iter()
            .filter(|c| c.report.due.is_some())
            .all(|c| c.state == ClockState::Overdue));

        let graded = store
            .grade_incident(
                "cli 张三",
                &rec.id,
                GradeIncident {
                    by: "张三".into(),
                    action: "通知受影响用户修改密码".into(),
                    ..GradeIncident::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(graded.grade_status, "confirmed");
        assert_eq!(graded.actions.len(), 2);

        for (report, at) in [
            (
                "cac-irm.cii.protection_department",
                "2026-05-31T22:50:00+08:00",
            ),
            ("cac-irm.cii.public_security", "2026-05-31T23:05:00+08:00"),
            ("mlps.police_24h", "2026-06-01T09:00:00+08:00"),
        ] {
            store
                .record_report("cli 李四", &rec.id, send(report, at))
                .await
                .unwrap();
        }
        // The 1-hour reports met on time; the police report recorded the duty engine's event.
        let after = store.get_incident(&rec.id).await.unwrap();
        let st = states(&after.clocks(&rules).unwrap(), &after.sent(), now);
        for c in &st {
            if [
                "cac-irm.cii.protection_department",
                "cac-irm.cii.public_security",
                "mlps.police_24h",
            ]
            .contains(&c.report.id.as_str())
            {
                assert_eq!(c.state, ClockState::Met, "{}", c.report.id);
            }
        }
        let events: Vec<String> =
            sqlx::query("SELECT kind FROM network_events WHERE network_id = $1")
                .bind(&net)
                .fetch_all(store.pool())
                .await
                .unwrap()
                .iter()
                .map(|r| r.get::<String, _>("kind"))
                .collect();
        assert!(events.contains(&"incident_detected".to_string()));
        assert!(events.contains(&"incident_reported".to_string()));

        // Handling ends; the summary's clock starts; closing waits for it.
        store
            .grade_incident(
                "cli 张三",
                &rec.id,
                GradeIncident {
                    handling_ended_at: Some("2026-06-10T18:00:00+08:00".into()),
                    by: "张三".into(),
                    ..GradeIncident::default()
                },
            )
            .await
            .unwrap();
        let close = || CloseIncident {
            closed_at: "2026-06-20T10:00:00+08:00".into(),
            by: "张三".into(),
            note: "处置完毕".into(),
        };
        let n = rows(&store).await;
        let e = store
            .close_incident("cli", &rec.id, close(), |_, _| Ok(()))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("cac-irm.summary"), "{e}");
        assert_eq!(rows(&store).await, n);
        store
            .record_report(
                "cli 李四",
                &rec.id,
                send("cac-irm.summary", "2026-06-18T10:00:00+08:00"),
            )
            .await
            .unwrap();
        let closed = store
            .close_incident("cli", &rec.id, close(), |_, _| Ok(()))
            .await
            .unwrap();
        assert_eq!(closed.state, "closed");
        let st = states(&closed.clocks(&rules).unwrap(), &closed.sent(), now);
        assert!(st
            .iter()
            .filter(|c| c.report.due.is_some() && c.report.party == "operator")
            .all(|c| c.state == ClockState::Met));
        let actions: Vec<String> =
            sqlx::query("SELECT action FROM audit_log WHERE target = $1 ORDER BY seq")
                .bind(format!("incident:{}", rec.id))
                .fetch_all(store.pool())
                .await
                .unwrap()
                .iter()
                .map(|r| r.get::<String, _>("action"))
                .collect();
        assert_eq!(
            actions,
            [
                "incident.open",
                "incident.grade",
                "incident.report",
                "incident.report",
                "incident.report",
                "incident.grade",
                "incident.report",
                "incident.close"
            ]
        );
        assert!(store.verify_audit().await.unwrap().ok);
    }
);

on_both!(
    bad_input_is_refused_naming_the_field_and_nothing_is_written,
    |store: Store| async move {
        let net = cii_network(&store).await;
        // Opening.
        let cases: Vec<(&str, OpenIncident)> = vec![
            (
                "detected_at",
                OpenIncident {
                    detected_at: "2026-02-30T10:00:00+08:00".into(),
                    ..leak(&net)
                },
            ),
            (
                "detected_at",
                OpenIncident {
                    detected_at: "2026-05-31".into(),
                    ..leak(&net)
                },
            ),
            (
                "detected_at",
                OpenIncident {
                    detected_at: "2999-01-01T00:00:00+08:00".into(),
                    ..leak(&net)
                },
            ),
            (
                "category",
                OpenIncident {
                    category: "weather".into(),
                    ..leak(&net)
                },
            ),
            (
                "personal_info_records",
                OpenIncident {
                    facts: IncidentFacts {
                        personal_info_records: -1,
                        ..IncidentFacts::default()
                    },
                    ..leak(&net)
                },
            ),
            (
                "service_interruption_hours",
                OpenIncident {
                    facts: IncidentFacts {
                        service_interruption_hours: -2.0,
                        ..IncidentFacts::default()
                    },
                    ..leak(&net)
                },
            ),
            (
                "operator_class",
                OpenIncident {
                    operator_class: Some(dengbao_duties::OperatorClass::Other),
                    ..leak(&net)
                },
            ),
            (
                "network_id",
                OpenIncident {
                    network_id: "nope".into(),
                    ..leak(&net)
                },
            ),
            (
                "by",
                OpenIncident {
                    by: " ".into(),
                    ..leak(&net)
                },
            ),
            (
                "title",
                OpenIncident {
                    title: "两行\n标题".into(),
                    ..leak(&net)
                },
            ),
        ];
        let n = rows(&store).await;
        for (want, input) in cases {
            let e = store
                .open_incident("cli", input, no_hold)
                .await
                .unwrap_err();
            assert_eq!(field(e), want);
            assert_eq!(rows(&store).await, n, "{want}: nothing written");
        }
        // A failing hold leaves no incident either.
        let e = store
            .open_incident("cli", leak(&net), |_| {
                Err(StoreError::invalid("hold", "disk full"))
            })
            .await
            .unwrap_err();
        assert_eq!(field(e), "hold");
        assert_eq!(rows(&store).await, n);

        let rec = store
            .open_incident("cli", leak(&net), no_hold)
            .await
            .unwrap();
        let n = rows(&store).await;
        // Grading.
        let grades: Vec<(&str, GradeIncident)> = vec![
            (
                "reason",
                GradeIncident {
                    grade: Some(Grade::Major),
                    by: "张三".into(),
                    ..Default::default()
                },
            ),
            (
                "grade",
                GradeIncident {
                    grade: Some(Grade::General),
                    reason: "影响有限".into(),
                    by: "张三".into(),
                    ..Default::default()
                },
            ),
            (
                "handling_ended_at",
                GradeIncident {
                    handling_ended_at: Some("2026-05-30T10:00:00+08:00".into()),
                    by: "张三".into(),
                    ..Default::default()
                },
            ),
            (
                "direct_loss_yuan",
                GradeIncident {
                    facts: Some(IncidentFacts {
                        direct_loss_yuan: -5,
                        ..IncidentFacts::default()
                    }),
                    by: "张三".into(),
                    ..Default::default()
                },
            ),
            ("by", GradeIncident::default()),
        ];
        for (want, g) in grades {
            let e = store.grade_incident("cli", &rec.id, g).await.unwrap_err();
            assert_eq!(field(e), want);
            assert_eq!(rows(&store).await, n, "{want}: nothing written");
        }
        // Sends.
        let sends: Vec<(&str, SendReport)> = vec![
            (
                "sent_at",
                send("mlps.police_24h", "2026-05-31T22:00:00+08:00"),
            ),
            (
                "sent_at",
                send("mlps.police_24h", "2026-06-31T10:00:00+08:00"),
            ),
            (
                "report",
                send("mlps.secrecy_24h", "2026-06-01T10:00:00+08:00"),
            ),
            (
                "handling_ended_at",
                send("cac-irm.summary", "2026-06-01T10:00:00+08:00"),
            ),
            (
                "channel",
                SendReport {
                    channel: String::new(),
                    ..send("mlps.police_24h", "2026-06-01T10:00:00+08:00")
                },
            ),
        ];
        for (want, s) in sends {
            let e = store.record_report("cli", &rec.id, s).await.unwrap_err();
            assert_eq!(field(e), want);
            assert_eq!(rows(&store).await, n, "{want}: nothing written");
        }
        // Closing before handling ended.
        let e = store
            .close_incident(
                "cli",
                &rec.id,
                CloseIncident {
                    closed_at: "2026-06-20T10:00:00+08:00".into(),
                    by: "张三".into(),
                    note: String::new(),
                },
                |_, _| Ok(()),
            )
            .await
            .unwrap_err();
        assert_eq!(field(e), "handling_ended_at");
        assert_eq!(rows(&store).await, n);
        // An override upward with a reason is kept, and the clocks follow it.
        let up = store
            .grade_incident(
                "cli",
                &rec.id,
                GradeIncident {
                    grade: Some(Grade::Major),
                    reason: "涉及重要数据".into(),
                    by: "张三".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(
            (up.grade, up.grade_status.as_str()),
            (Grade::Major, "overridden")
        );
        let clocks = up.clocks(&Rules::builtin().unwrap()).unwrap();
        assert!(
            clocks.reports.iter().any(|r| r.kind == "relay"),
            "a major incident is relayed"
        );
    }
);
