//! Assessors' rulings on host-check results on both engines (decision 0424): the engaged
//! assessor accepts or overrules each result, the latest ruling per check counts and is
//! listed with its report, each is audited; a ruling without an engagement, an overruling
//! without a note or a result, and a ruling on a voided report are refused naming the
//! field, with nothing written.

use dengbao_store::engagements::EngagementInput;
use dengbao_store::host_check_rulings::RulingInput;
use dengbao_store::host_reports::HostReportInput;
use dengbao_store::orgs::NewOrganisation;
use dengbao_store::profile::NetworkProfile;
use dengbao_store::users::{NewUser, Role};
use dengbao_store::{EvidenceInput, Store, StoreError};
use sqlx::Row;

use dengbao_store::on_both;

struct Setup {
    network: String,
    assessor: String,
    report: String,
}

async fn setup(store: &Store, name: &str, engaged: bool) -> Setup {
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
        "name": name, "level": 3, "stage": "running",
    }))
    .unwrap();
    let network = store
        .create_network("cli", &org.id, profile)
        .await
        .unwrap()
        .id;
    let assessor = store
        .create_user(
            "cli",
            NewUser {
                name: format!("{name}测评师"),
                role: Role::Assessor,
                orgs: vec![org.id.clone()],
            },
        )
        .await
        .unwrap()
        .id;
    if engaged {
        store
            .engage(
                "cli",
                &network,
                EngagementInput {
                    assessor_id: assessor.clone(),
                    engaged_on: "2026-09-01".into(),
                },
            )
            .await
            .unwrap();
    }
    let bytes = br#"{"host": "web-01", "report": {"results": []}}"#;
    let (_, report) = store
        .record_host_report(
            "cli",
            &network,
            HostReportInput {
                host: "web-01".into(),
                level: 3,
                distro: "openEuler 22.03 (rhel)".into(),
                counts: [20, 3, 5, 16],
            },
            EvidenceInput {
                duty_id: "mlps.general.protection".into(),
                description: "主机检查 web-01".into(),
                file_name: Some("主机检查-web-01.json".into()),
                ..Default::default()
            },
            bytes,
        )
        .await
        .unwrap();
    Setup {
        network,
        assessor,
        report: report.evidence_id,
    }
}

fn input(check: &str, ruling: &str, result: Option<&str>, note: &str) -> RulingInput {
    RulingInput {
        check: check.into(),
        ruling: ruling.into(),
        result: result.map(str::to_string),
        note: note.into(),
    }
}

async fn rulings_rows(store: &Store) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM host_check_rulings")
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get::<i64, _>("n")
}

on_both!(
    the_latest_ruling_per_check_counts_and_each_is_audited,
    |store: Store| async move {
        let s = setup(&store, "会员服务平台", true).await;
        let rule = |i: RulingInput| {
            let (store, s) = (&store, &s);
            async move {
                store
                    .rule_host_check("测评师甲", &s.assessor, &s.network, &s.report, &i)
                    .await
            }
        };
        let first = rule(input("access.ssh_root_login", "accept", None, ""))
            .await
            .unwrap();
        assert_eq!(first.ruling, "accept");
        assert_eq!(first.result, None);
        // The assessor looked again: a Match block lets root in from the jump host.
        let second = rule(input(
            "access.ssh_root_login",
            "overrule",
            Some("fail"),
            "Match Address 10.0.0.5 块内允许 root 登录",
        ))
        .await
        .unwrap();
        rule(input(
            "audit.auditd_enabled",
            "overrule",
            Some("pass"),
            "现场查看 auditd 正在运行",
        ))
        .await
        .unwrap();

        let reports = store.host_reports(&s.network).await.unwrap();
        let rulings = &reports[0].rulings;
        assert_eq!(rulings.len(), 2, "one ruling per check: {rulings:?}");
        let root = rulings
            .iter()
            .find(|r| r.check == "access.ssh_root_login")
            .unwrap();
        assert_eq!(root, &second, "the latest ruling counts");
        assert_eq!(root.result.as_deref(), Some("fail"));
        assert_eq!(rulings_rows(&store).await, 3, "earlier rulings are kept");

        let audit = store.audit_entries(0, 1000).await.unwrap();
        let ruled: Vec<_> = audit.iter().filter(|e| e.action == "host.ruling").collect();
        assert_eq!(ruled.len(), 3);
        let detail: Vec<serde_json::Value> = ruled
            .iter()
            .map(|e| serde_json::from_str(&e.detail).unwrap())
            .collect();
        assert!(detail.iter().any(|d| d["result"] == "pass"
            && d["check"] == "audit.auditd_enabled"
            && d["report"] == s.report.as_str()));
    }
);

on_both!(
    refused_rulings_name_their_field_and_write_nothing,
    |store: Store| async move {
        let s = setup(&store, "会员服务平台", true).await;
        let cases = [
            (
                input("access.ssh_root_login", "overrule", Some("fail"), " "),
                "note",
            ),
            (
                input("access.ssh_root_login", "overrule", None, "看过了"),
                "result",
            ),
            (
                input(
                    "access.ssh_root_login",
                    "overrule",
                    Some("unknown"),
                    "看不到",
                ),
                "result",
            ),
            (
                input("access.ssh_root_login", "accept", Some("pass"), ""),
                "result",
            ),
            (
                input("access.ssh_root_login", "approve", None, ""),
                "ruling",
            ),
            (input("", "accept", None, ""), "check"),
        ];
        let before = store.audit_entries(0, 1000).await.unwrap().len();
        for (i, field) in cases {
            match store
                .rule_host_check("测评师甲", &s.assessor, &s.network, &s.report, &i)
                .await
            {
                Err(StoreError::Invalid { field: f, .. }) => assert_eq!(f, field, "{i:?}"),
                other => panic!("{i:?}: {other:?}"),
            }
        }
        // Not engaged on the network: refused.
        let stranger = setup(&store, "网上商城", false).await;
        let e = store
            .rule_host_check(
                "测评师甲",
                &stranger.assessor,
                &stranger.network,
                &stranger.report,
                &input("access.ssh_root_login", "accept", None, ""),
            )
            .await
            .unwrap_err();
        assert!(e.to_string().contains("engagement"), "{e}");
        // Another network's report: not found.
        let e = store
            .rule_host_check(
                "测评师甲",
                &s.assessor,
                &s.network,
                &stranger.report,
                &input("access.ssh_root_login", "accept", None, ""),
            )
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::NotFound { .. }), "{e}");
        // A voided report is ruled on no more.
        store
            .void_evidence("cli", &s.network, &s.report, "主机名填错")
            .await
            .unwrap();
        let after_void = store.audit_entries(0, 1000).await.unwrap().len();
        let e = store
            .rule_host_check(
                "测评师甲",
                &s.assessor,
                &s.network,
                &s.report,
                &input("access.ssh_root_login", "accept", None, ""),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(
                e,
                StoreError::Invalid {
                    field: "report",
                    ..
                }
            ),
            "{e}"
        );
        assert_eq!(rulings_rows(&store).await, 0);
        // Setting up the stranger and voiding wrote their own entries; no ruling did.
        assert!(before < after_void);
        assert_eq!(
            store.audit_entries(0, 1000).await.unwrap().len(),
            after_void
        );
    }
);
