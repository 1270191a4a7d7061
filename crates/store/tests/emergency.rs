//! Emergency plans and drills on both engines (decision 0507): each is recorded with its
//! audit entry and the network event the duty engine reads; every bad input is refused
//! naming its field, with nothing written.

use dengbao_store::orgs::NewOrganisation;
use dengbao_store::profile::NetworkProfile;
use dengbao_store::{DrillInput, EvidenceInput, PlanInput, Store, StoreError};
use sqlx::Row;

use dengbao_store::on_both;

async fn network(store: &Store, name: &str) -> String {
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
    store
        .create_network("cli", &org.id, profile)
        .await
        .unwrap()
        .id
}

async fn evidence(store: &Store, network: &str) -> String {
    store
        .add_evidence(
            "cli",
            network,
            EvidenceInput {
                duty_id: "csl.incident.plan".into(),
                description: "网络安全事件应急预案 V2.0".into(),
                file_name: Some("plan.pdf".into()),
                ..Default::default()
            },
            Some(b"%PDF-1.4 plan"),
        )
        .await
        .unwrap()
        .id
}

fn plan(evidence_id: Option<String>) -> PlanInput {
    PlanInput {
        title: "网络安全事件应急预案".into(),
        version: "V2.0".into(),
        approved_on: "2026-03-02".into(),
        approved_by: "网络安全领导小组".into(),
        evidence_id,
        link: None,
    }
}

fn drill(plan_id: &str) -> DrillInput {
    DrillInput {
        plan_id: plan_id.into(),
        held_on: "2026-04-15".into(),
        scenario: "勒索软件加密核心数据库".into(),
        participants: "信息中心、运维部、法务部".into(),
        findings: "备份恢复耗时超过预案目标".into(),
    }
}

async fn rows(store: &Store) -> [i64; 4] {
    let mut out = [0; 4];
    for (i, t) in [
        "emergency_plans",
        "emergency_drills",
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

fn tomorrow() -> String {
    jiff::Timestamp::now()
        .in_tz("Asia/Shanghai")
        .unwrap()
        .date()
        .tomorrow()
        .unwrap()
        .to_string()
}

on_both!(
    a_plan_and_its_drill_write_the_events_the_duties_read,
    |store: Store| async move {
        let net = network(&store, "支付平台").await;
        let ev = evidence(&store, &net).await;
        let p = store
            .add_emergency_plan("user:1", &net, plan(Some(ev.clone())))
            .await
            .unwrap();
        assert_eq!(p.evidence_id.as_deref(), Some(ev.as_str()));
        let d = store
            .add_emergency_drill("user:1", &net, drill(&p.id))
            .await
            .unwrap();
        let events = store.profile_events(&net).await.unwrap();
        assert_eq!(events["emergency_plan_approved"], "2026-03-02");
        assert_eq!(events["last_emergency_drill"], "2026-04-15");
        let all = store.list_events(&net).await.unwrap();
        assert!(all
            .iter()
            .any(|e| e.origin == format!("emergency_plan:{}", p.id) && e.id == p.event_id));
        assert!(all
            .iter()
            .any(|e| e.origin == format!("drill:{}", d.id) && e.id == d.event_id));
        // A later drill is the latest; the list is newest first.
        let mut later = drill(&p.id);
        later.held_on = "2026-05-20".into();
        store
            .add_emergency_drill("user:1", &net, later)
            .await
            .unwrap();
        let drills = store.list_emergency_drills(&net).await.unwrap();
        assert_eq!(drills.len(), 2);
        assert_eq!(drills[0].held_on, "2026-05-20");
        assert_eq!(
            store.profile_events(&net).await.unwrap()["last_emergency_drill"],
            "2026-05-20"
        );
        assert_eq!(store.list_emergency_plans(&net).await.unwrap(), vec![p]);
        let audit = store.audit_entries(0, 1000).await.unwrap();
        let acts: Vec<_> = audit.iter().map(|a| a.action.as_str()).collect();
        assert!(acts.contains(&"emergency.plan"), "{acts:?}");
        assert_eq!(
            acts.iter().filter(|a| **a == "emergency.drill").count(),
            2,
            "{acts:?}"
        );
        assert!(store.verify_audit().await.unwrap().ok);
    }
);

on_both!(
    bad_plans_and_drills_are_refused_naming_the_field_and_write_nothing,
    |store: Store| async move {
        let net = network(&store, "支付平台").await;
        let other = network(&store, "另一平台").await;
        let ev = evidence(&store, &net).await;
        let theirs = evidence(&store, &other).await;
        let p = store
            .add_emergency_plan("user:1", &net, plan(Some(ev.clone())))
            .await
            .unwrap();
        let q = store
            .add_emergency_plan("user:1", &other, plan(Some(theirs.clone())))
            .await
            .unwrap();
        let before = rows(&store).await;
        let cases: Vec<(&str, PlanInput)> = vec![
            ("approved_on", {
                let mut x = plan(Some(ev.clone()));
                x.approved_on = tomorrow();
                x
            }),
            ("approved_on", {
                let mut x = plan(Some(ev.clone()));
                x.approved_on = "2026-02-30".into();
                x
            }),
            ("evidence_id", plan(None)),
            ("evidence_id", plan(Some(theirs.clone()))),
            ("link", {
                let mut x = plan(None);
                x.link = Some("javascript:alert(1)".into());
                x
            }),
            ("title", {
                let mut x = plan(Some(ev.clone()));
                x.title = " ".into();
                x
            }),
            ("version", {
                let mut x = plan(Some(ev.clone()));
                x.version = String::new();
                x
            }),
            ("approved_by", {
                let mut x = plan(Some(ev.clone()));
                x.approved_by = String::new();
                x
            }),
        ];
        for (want, input) in cases {
            let e = store
                .add_emergency_plan("user:1", &net, input)
                .await
                .unwrap_err();
            assert_eq!(field(e), want);
        }
        let drills: Vec<(&str, DrillInput)> = vec![
            ("held_on", {
                let mut x = drill(&p.id);
                x.held_on = tomorrow();
                x
            }),
            ("held_on", {
                let mut x = drill(&p.id);
                x.held_on = "2026-03-01".into();
                x
            }),
            ("held_on", {
                let mut x = drill(&p.id);
                x.held_on = "15/04/2026".into();
                x
            }),
            ("plan_id", drill(&q.id)),
            ("plan_id", drill("nope")),
            ("scenario", {
                let mut x = drill(&p.id);
                x.scenario = String::new();
                x
            }),
            ("participants", {
                let mut x = drill(&p.id);
                x.participants = "  ".into();
                x
            }),
        ];
        for (want, input) in drills {
            let e = store
                .add_emergency_drill("user:1", &net, input)
                .await
                .unwrap_err();
            assert_eq!(field(e), want);
        }
        assert_eq!(rows(&store).await, before);
        // A link alone will do for the document.
        let mut linked = plan(None);
        linked.link = Some("https://intranet.example.cn/plans/v3.pdf".into());
        linked.version = "V3.0".into();
        store
            .add_emergency_plan("user:1", &net, linked)
            .await
            .unwrap();
    }
);
