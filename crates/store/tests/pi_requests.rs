//! Personal-information requests on both engines (decision 0507): a request keeps the
//! organisation's policy in force when it was received; bad input names the field and
//! writes nothing; each change is audited.

use dengbao_store::orgs::NewOrganisation;
use dengbao_store::profile::NetworkProfile;
use dengbao_store::{ClosePiRequest, NewPiRequest, PiRequestPolicy, Store, StoreError};
use sqlx::Row;

use dengbao_store::on_both;

fn field(e: StoreError) -> &'static str {
    match e {
        StoreError::Invalid { field, .. } => field,
        other => panic!("expected invalid input, got {other:?}"),
    }
}

async fn rows(store: &Store) -> [i64; 2] {
    let mut out = [0; 2];
    for (i, t) in ["pi_requests", "audit_log"].iter().enumerate() {
        out[i] = sqlx::query(&format!("SELECT COUNT(*) AS n FROM {t}"))
            .fetch_one(store.pool())
            .await
            .unwrap()
            .get::<i64, _>("n");
    }
    out
}

fn req(kind: &str, at: &str) -> NewPiRequest {
    NewPiRequest {
        kind: kind.into(),
        requester_ref: "GD-2026-0001".into(),
        received_at: at.into(),
    }
}

on_both!(
    requests_keep_the_policy_they_were_received_under,
    |store: Store| async move {
        let org = store
            .create_org(
                "cli",
                NewOrganisation {
                    name: "会员公司".into(),
                },
            )
            .await
            .unwrap();
        let profile: NetworkProfile = serde_json::from_value(
            serde_json::json!({"name": "会员平台", "level": 2, "stage": "running"}),
        )
        .unwrap();
        let net = store
            .create_network("cli", &org.id, profile)
            .await
            .unwrap()
            .id;
        let before = rows(&store).await;
        for (input, want) in [
            (req("erase", "2026-11-02"), "kind"),
            (req("delete", "2999-11-02"), "received_at"),
            (req("delete", "yesterday"), "received_at"),
            (
                NewPiRequest {
                    requester_ref: "\n".into(),
                    ..req("delete", "2026-11-02")
                },
                "requester_ref",
            ),
        ] {
            assert_eq!(
                field(store.add_pi_request("u", &net, input).await.unwrap_err()),
                want
            );
        }
        for (p, want) in [
            (
                PiRequestPolicy {
                    working_days: Some(0),
                    source: Some("制度".into()),
                },
                "working_days",
            ),
            (
                PiRequestPolicy {
                    working_days: Some(15),
                    source: None,
                },
                "source",
            ),
        ] {
            assert_eq!(
                field(
                    store
                        .set_pi_request_policy("u", &org.id, p)
                        .await
                        .unwrap_err()
                ),
                want
            );
        }
        assert_eq!(rows(&store).await, before);

        let first = store
            .add_pi_request("u", &net, req("delete", "2026-11-02"))
            .await
            .unwrap();
        assert_eq!(first.policy_working_days, None);
        store
            .set_pi_request_policy(
                "u",
                &org.id,
                PiRequestPolicy {
                    working_days: Some(15),
                    source: Some("本单位制度".into()),
                },
            )
            .await
            .unwrap();
        let second = store
            .add_pi_request("u", &net, req("correct", "2026-11-03"))
            .await
            .unwrap();
        assert_eq!(second.policy_working_days, Some(15));
        assert_eq!(second.policy_source.as_deref(), Some("本单位制度"));
        let cleared = store
            .set_pi_request_policy(
                "u",
                &org.id,
                PiRequestPolicy {
                    working_days: None,
                    source: None,
                },
            )
            .await
            .unwrap();
        assert_eq!(cleared.working_days, None);
        assert_eq!(
            store
                .get_pi_request(&second.id)
                .await
                .unwrap()
                .policy_working_days,
            Some(15)
        );

        let close = |outcome: &str, reason: &str, at: &str| ClosePiRequest {
            outcome: outcome.into(),
            reason: reason.into(),
            closed_at: at.into(),
        };
        let before = rows(&store).await;
        for (c, want) in [
            (close("refused", "", "2026-11-05"), "reason"),
            (close("done", "", "2026-11-01"), "closed_at"),
            (close("done", "", "2999-11-05"), "closed_at"),
            (close("maybe", "", "2026-11-05"), "outcome"),
        ] {
            assert_eq!(
                field(store.close_pi_request("u", &first.id, c).await.unwrap_err()),
                want
            );
        }
        assert_eq!(rows(&store).await, before);
        let done = store
            .close_pi_request(
                "u",
                &first.id,
                close("refused", "身份核验未通过", "2026-11-05"),
            )
            .await
            .unwrap();
        assert_eq!(done.state, "closed");
        assert_eq!(
            field(
                store
                    .close_pi_request("u", &first.id, close("done", "", "2026-11-06"))
                    .await
                    .unwrap_err()
            ),
            "state"
        );
        assert_eq!(store.list_pi_requests(&net).await.unwrap().len(), 2);
        assert!(store.verify_audit().await.unwrap().ok);
    }
);
