//! The persistence suite: every test body runs against SQLite and against PostgreSQL
//! (when DENGBAO_TEST_POSTGRES_URL is set, as the test command always does).

use dengbao_store::events::EventInput;
use dengbao_store::orgs::NewOrganisation;
use dengbao_store::profile::{Classified, NetworkProfile, Service, Stage};
use dengbao_store::users::{NewUser, Role};
use dengbao_store::{Backend, EvidenceInput, OrgScope, Store, StoreError};
use sqlx::Row;

/// Defines `<name>::sqlite` and `<name>::postgres`, both running `body(store)`.
use dengbao_store::on_both;

fn profile(name: &str) -> NetworkProfile {
    serde_json::from_value(serde_json::json!({
        "name": name,
        "level": 3,
        "stage": "running",
        "cii": true,
        "classified": "none",
        "personal_info": true,
        "services": ["info_publishing", "instant_messaging"],
        "new_tech": ["cloud"],
        "grading": {"basis": "gbt22240-2020",
                    "business": {"object": "order", "degree": "serious"},
                    "service": {"object": "rights", "degree": "especially_serious"}}
    }))
    .unwrap()
}

async fn count(store: &Store, table: &str) -> i64 {
    sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get::<i64, _>("n")
}

async fn org(store: &Store, name: &str) -> String {
    store
        .create_org("cli", NewOrganisation { name: name.into() })
        .await
        .unwrap()
        .id
}

on_both!(
    a_network_round_trips_with_its_events_and_evidence,
    |store: Store| async move {
        let a = org(&store, "国家电网某省公司").await;
        let net = store
            .create_network("cli", &a, profile("营销业务系统"))
            .await
            .unwrap();
        let back = store.get_network(&net.id).await.unwrap();
        assert_eq!(back, net);
        assert_eq!(
            back.profile.services,
            vec![Service::InfoPublishing, Service::InstantMessaging]
        );
        assert!(back.profile.grading.is_some());

        let mut changed = profile("营销业务系统");
        changed.stage = Stage::Retired;
        changed.classified = Classified::Secret;
        changed.level = None;
        let updated = store
            .update_network("cli", &net.id, changed.clone())
            .await
            .unwrap();
        assert_eq!(store.get_network(&net.id).await.unwrap().profile, changed);
        assert_eq!(updated.profile, changed);

        for (kind, at) in [
            ("last_assessment", "2025-03-10"),
            ("graded", "2025-01-06"),
            ("last_assessment", "2026-03-09"),
            ("incident_detected", "2026-02-01T08:30:00+08:00"),
        ] {
            store
                .add_event(
                    "cli",
                    &net.id,
                    EventInput {
                        kind: kind.into(),
                        at: at.into(),
                        note: String::new(),
                    },
                )
                .await
                .unwrap();
        }
        let events = store.profile_events(&net.id).await.unwrap();
        assert_eq!(
            events.get("last_assessment").map(String::as_str),
            Some("2026-03-09")
        );
        assert_eq!(events.get("graded").map(String::as_str), Some("2025-01-06"));
        assert_eq!(
            events.get("incident_detected").map(String::as_str),
            Some("2026-02-01T08:30:00+08:00")
        );

        let bytes = "%PDF-1.7 等级测评报告 2026".as_bytes();
        let ev = store
            .add_evidence(
                "cli",
                &net.id,
                EvidenceInput {
                    duty_id: "mlps-23-assessment".into(),
                    description: "2026年度等级测评报告".into(),
                    file_name: Some("report.pdf".into()),
                    expires: Some("2027-03-09".into()),
                    ..Default::default()
                },
                Some(bytes),
            )
            .await
            .unwrap();
        assert_eq!(ev.size, Some(bytes.len() as i64));
        let (_, read) = store.evidence_bytes(&net.id, &ev.id).await.unwrap();
        assert_eq!(read, bytes);
        assert_eq!(store.list_evidence(&net.id).await.unwrap(), vec![ev]);

        store.delete_network("cli", &net.id).await.unwrap();
        assert!(matches!(
            store.get_network(&net.id).await,
            Err(StoreError::NotFound { .. })
        ));
        assert!(store.verify_audit().await.unwrap().ok);
    }
);

on_both!(bad_input_writes_nothing, |store: Store| async move {
    let a = org(&store, "某市人民医院").await;
    let net = store
        .create_network("cli", &a, profile("HIS"))
        .await
        .unwrap();
    let audit_before = count(&store, "audit_log").await;
    let stored = store.get_network(&net.id).await.unwrap();

    let err = store
        .add_event(
            "cli",
            &net.id,
            EventInput {
                kind: "filed".into(),
                at: "2026-02-30".into(),
                note: String::new(),
            },
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("at"), "{err}");
    let err = store
        .add_event(
            "cli",
            &net.id,
            EventInput {
                kind: "assessed".into(),
                at: "2026-02-03".into(),
                note: String::new(),
            },
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("kind"), "{err}");
    let err = store
        .create_network("cli", "nope", profile("x"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("org_id"), "{err}");
    let err = store
        .update_network("cli", &net.id, profile("  "))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("name"), "{err}");
    let err = store
        .add_evidence(
            "cli",
            &net.id,
            EvidenceInput {
                duty_id: "d".into(),
                description: "x".into(),
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("file"), "{err}");
    // A link that would run or read something in the reader's browser is refused.
    for link in [
        "javascript:alert(document.cookie)",
        "data:text/html,<script>x</script>",
        "file:///etc/passwd",
        "http://",
        "不是网址",
    ] {
        let err = store
            .add_evidence(
                "cli",
                &net.id,
                EvidenceInput {
                    duty_id: "d".into(),
                    description: "x".into(),
                    link: Some(link.into()),
                    ..Default::default()
                },
                None,
            )
            .await
            .unwrap_err();
        assert!(err.to_string().contains("link"), "{link}: {err}");
    }
    let err = store
        .create_org(
            "cli",
            NewOrganisation {
                name: "某市人民医院".into(),
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    // level 6 cannot even be built
    let six = serde_json::from_value::<NetworkProfile>(
        serde_json::json!({"name": "x", "stage": "running", "level": 6}),
    );
    assert!(six.unwrap_err().to_string().contains("level"));

    assert_eq!(count(&store, "audit_log").await, audit_before);
    assert_eq!(count(&store, "network_events").await, 0);
    assert_eq!(count(&store, "evidence").await, 0);
    assert_eq!(store.get_network(&net.id).await.unwrap(), stored);
    assert!(store.verify_audit().await.unwrap().ok);
});

on_both!(scope_hides_other_organisations, |store: Store| async move {
    let a = org(&store, "甲公司").await;
    let b = org(&store, "乙公司").await;
    store
        .create_network("cli", &a, profile("甲-门户"))
        .await
        .unwrap();
    store
        .create_network("cli", &b, profile("乙-门户"))
        .await
        .unwrap();
    let only_a = store
        .list_networks(&OrgScope::Only(vec![a.clone()]), None)
        .await
        .unwrap();
    assert_eq!(
        only_a
            .iter()
            .map(|n| n.profile.name.as_str())
            .collect::<Vec<_>>(),
        ["甲-门户"]
    );
    assert_eq!(
        store
            .list_networks(&OrgScope::All, None)
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(store
        .list_networks(&OrgScope::Only(vec![]), None)
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .list_networks(&OrgScope::All, Some(&b))
        .await
        .unwrap()
        .iter()
        .all(|n| n.org_id == b));
    assert_eq!(
        store
            .list_orgs(&OrgScope::Only(vec![b.clone()]))
            .await
            .unwrap()
            .len(),
        1
    );
});

on_both!(
    tokens_authenticate_until_revoked,
    |store: Store| async move {
        let a = org(&store, "丙公司").await;
        let user = store
            .create_user(
                "cli",
                NewUser {
                    name: "张三".into(),
                    role: Role::Operator,
                    orgs: vec![a.clone()],
                },
            )
            .await
            .unwrap();
        let issued = store.create_token("cli", &user.id, "script").await.unwrap();
        let p = store.authenticate(&issued.token).await.unwrap().unwrap();
        assert_eq!((p.role, p.orgs.clone()), (Role::Operator, vec![a.clone()]));
        // the same token again comes from the cache
        assert_eq!(store.authenticate(&issued.token).await.unwrap(), Some(p));
        let mut wrong = issued.token.clone();
        let last = wrong.pop().unwrap();
        wrong.push(if last == '0' { '1' } else { '0' });
        assert_eq!(store.authenticate(&wrong).await.unwrap(), None);
        store.revoke_token("cli", &issued.id).await.unwrap();
        assert_eq!(store.authenticate(&issued.token).await.unwrap(), None);
        // an operator without exactly one organisation is refused
        let err = store
            .create_user(
                "cli",
                NewUser {
                    name: "李四".into(),
                    role: Role::Operator,
                    orgs: vec![],
                },
            )
            .await
            .unwrap_err();
        assert!(err.to_string().contains("orgs"));
        let hashes: Vec<String> = sqlx::query("SELECT secret_hash FROM api_tokens")
            .fetch_all(store.pool())
            .await
            .unwrap()
            .iter()
            .map(|r| r.get("secret_hash"))
            .collect();
        assert!(hashes
            .iter()
            .all(|h| h.starts_with("hmac-sha256:") && !issued.token.contains(&h[12..])));
    }
);

on_both!(the_setup_token_works_once, |store: Store| async move {
    let setup = store.issue_setup_token().await.unwrap().unwrap();
    assert!(store.complete_setup("dbs_00", "admin").await.is_err());
    let (admin, token) = store.complete_setup(&setup, "管理员").await.unwrap();
    assert_eq!(admin.role, Role::Administrator);
    assert!(store.authenticate(&token.token).await.unwrap().is_some());
    assert!(store.complete_setup(&setup, "again").await.is_err());
    assert_eq!(store.issue_setup_token().await.unwrap(), None);
    assert_eq!(store.list_users().await.unwrap().len(), 1);
});

/// Runs SQL as a DBA would, with the append-only triggers out of the way.
async fn as_dba(store: &Store, sql: &[&str]) {
    let drop = match store.backend() {
        Backend::Sqlite => vec![
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
        ],
        Backend::Postgres => vec!["DROP TRIGGER audit_log_no_change ON audit_log"],
    };
    for s in drop.iter().chain(sql) {
        sqlx::query(s).execute(store.pool()).await.unwrap();
    }
}

async fn five_entries(store: &Store) {
    for name in ["一", "二", "三", "四", "五"] {
        org(store, name).await;
    }
    let report = store.verify_audit().await.unwrap();
    assert!(report.ok, "{report:?}");
    assert_eq!(report.entries, 5);
}

on_both!(
    the_database_refuses_to_change_the_audit_log,
    |store: Store| async move {
        five_entries(&store).await;
        for sql in [
            "UPDATE audit_log SET actor = 'x' WHERE seq = 2",
            "DELETE FROM audit_log WHERE seq = 5",
        ] {
            let err = sqlx::query(sql).execute(store.pool()).await.unwrap_err();
            assert!(err.to_string().contains("append-only"), "{err}");
        }
        assert!(store.verify_audit().await.unwrap().ok);
    }
);

on_both!(verify_names_an_edited_entry, |store: Store| async move {
    five_entries(&store).await;
    as_dba(
        &store,
        &["UPDATE audit_log SET detail = '{\"name\":\"改\"}' WHERE seq = 3"],
    )
    .await;
    let report = store.verify_audit().await.unwrap();
    assert_eq!(
        (report.ok, report.first_bad, report.entries),
        (false, Some(3), 2)
    );
    assert!(report.problem.unwrap().contains("changed"));
});

on_both!(verify_names_a_deleted_entry, |store: Store| async move {
    five_entries(&store).await;
    as_dba(&store, &["DELETE FROM audit_log WHERE seq = 2"]).await;
    let report = store.verify_audit().await.unwrap();
    assert_eq!((report.ok, report.first_bad), (false, Some(2)));
    assert!(report.problem.unwrap().contains("missing"));
});

on_both!(verify_names_a_reordered_entry, |store: Store| async move {
    five_entries(&store).await;
    // swap entries 2 and 4 whole (rows renumbered so the sequence itself has no gap)
    as_dba(
        &store,
        &[
            "UPDATE audit_log SET seq = 100 WHERE seq = 2",
            "UPDATE audit_log SET seq = 2 WHERE seq = 4",
            "UPDATE audit_log SET seq = 4 WHERE seq = 100",
        ],
    )
    .await;
    let report = store.verify_audit().await.unwrap();
    assert_eq!((report.ok, report.first_bad), (false, Some(2)));
});

on_both!(
    verify_notices_entries_cut_from_the_end,
    |store: Store| async move {
        five_entries(&store).await;
        as_dba(&store, &["DELETE FROM audit_log WHERE seq >= 4"]).await;
        let report = store.verify_audit().await.unwrap();
        assert_eq!(
            (report.ok, report.first_bad, report.entries),
            (false, Some(4), 3)
        );
    }
);

on_both!(
    every_change_is_audited_in_order,
    |store: Store| async move {
        let a = org(&store, "丁公司").await;
        let net = store
            .create_network("cli", &a, profile("OA"))
            .await
            .unwrap();
        store
            .add_event(
                "cli",
                &net.id,
                EventInput {
                    kind: "filed".into(),
                    at: "2026-01-05".into(),
                    note: "备案".into(),
                },
            )
            .await
            .unwrap();
        let entries = store.audit_entries(0, 100).await.unwrap();
        let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            ["organisation.create", "network.create", "event.add"]
        );
        assert!(entries
            .iter()
            .skip(1)
            .all(|e| e.org_id.as_deref() == Some(a.as_str())));
        assert_eq!(entries[1].prev_hash, entries[0].hash);
    }
);
