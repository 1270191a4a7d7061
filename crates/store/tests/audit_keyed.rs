//! Issue 17 items 3 and 5: the keyed audit chain, its head outside the database, the
//! incremental verification of the audit page, and anonymous denials counted rather than
//! written one by one. On SQLite and (when configured) PostgreSQL.

use std::future::Future;

use dengbao_store::orgs::NewOrganisation;
use dengbao_store::test_support::{postgres_store, sqlite_store};
use dengbao_store::{AnonymousDenial, AuditEntry, Backend, Store};
use sqlx::Row;

macro_rules! on_both {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                let dir = tempfile::tempdir().unwrap();
                let store = sqlite_store(dir.path()).await.unwrap();
                run($body, store, dir).await;
            }
            #[tokio::test]
            async fn postgres() {
                let dir = tempfile::tempdir().unwrap();
                match postgres_store(dir.path()).await.unwrap() {
                    Some(store) => run($body, store, dir).await,
                    None => eprintln!("skipped: DENGBAO_TEST_POSTGRES_URL is not set"),
                }
            }
        }
    };
}

async fn run<F, Fut>(body: F, store: Store, dir: tempfile::TempDir)
where
    F: FnOnce(Store, std::path::PathBuf) -> Fut,
    Fut: Future<Output = ()>,
{
    // The directory outlives the body (the body gets its path only).
    body(store, dir.path().to_path_buf()).await;
    drop(dir);
}

async fn entries(store: &Store, n: usize) {
    for i in 0..n {
        store
            .create_org(
                "cli",
                NewOrganisation {
                    name: format!("单位{i}-{}", dengbao_store::secret::random_hex(4).unwrap()),
                },
            )
            .await
            .unwrap();
    }
}

/// Runs SQL as a DBA would, with the append-only triggers out of the way.
async fn as_dba(store: &Store, sql: &[String]) {
    let drop = match store.backend() {
        Backend::Sqlite => vec![
            "DROP TRIGGER IF EXISTS audit_log_no_update".to_string(),
            "DROP TRIGGER IF EXISTS audit_log_no_delete".to_string(),
        ],
        Backend::Postgres => vec!["DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log".into()],
    };
    for s in drop.iter().chain(sql) {
        sqlx::query(s).execute(store.pool()).await.unwrap();
    }
}

/// What an attacker with the database but not the key does: edits entry `at`, then
/// recomputes every hash from there on with plain SHA-256 (as `version`), and sets the head.
async fn edit_and_rechain(store: &Store, at: i64, version: i64) {
    let all = store.audit_entries(0, 10_000).await.unwrap();
    let mut prev = all[(at - 2) as usize].hash.clone();
    let mut sql = Vec::new();
    for e in all.iter().filter(|e| e.seq >= at) {
        let mut e: AuditEntry = e.clone();
        if e.seq == at {
            e.detail = r#"{"name":"改过的"}"#.into();
        }
        e.prev_hash = prev.clone();
        e.hash = e.compute_hash();
        sql.push(format!(
            "UPDATE audit_log SET detail = '{}', prev_hash = '{}', hash = '{}', chain_version = {version} WHERE seq = {}",
            e.detail, e.prev_hash, e.hash, e.seq
        ));
        prev = e.hash.clone();
    }
    sql.push(format!(
        "UPDATE audit_head SET hash = '{prev}' WHERE id = 1"
    ));
    as_dba(store, &sql).await;
}

on_both!(
    new_entries_are_keyed_and_verify,
    |store: Store, _dir| async move {
        entries(&store, 5).await;
        let all = store.audit_entries(0, 100).await.unwrap();
        assert!(all.iter().all(|e| e.chain_version == 2));
        // Plain SHA-256 is not what a keyed entry carries.
        assert!(all.iter().all(|e| e.compute_hash() != e.hash));
        let report = store.verify_audit().await.unwrap();
        assert!(report.ok, "{report:?}");
        assert_eq!(report.entries, 5);
    }
);

on_both!(
    an_edited_and_rechained_log_is_caught_without_the_key,
    |store: Store, _dir| async move {
        entries(&store, 6).await;
        // Re-chained as keyed entries: their keyed hashes do not match.
        edit_and_rechain(&store, 3, 2).await;
        let report = store.verify_audit().await.unwrap();
        assert_eq!(
            (report.ok, report.first_bad),
            (false, Some(3)),
            "{report:?}"
        );
        assert!(report.problem.unwrap().contains("changed"));
        // Re-chained as unkeyed entries: refused, the chain is keyed from entry 1.
        edit_and_rechain(&store, 3, 1).await;
        let report = store.verify_audit().await.unwrap();
        assert_eq!(
            (report.ok, report.first_bad),
            (false, Some(3)),
            "{report:?}"
        );
        assert!(report.problem.unwrap().contains("without the key"));
    }
);

on_both!(
    entries_cut_from_the_end_are_caught_by_the_head_outside_the_database,
    |store: Store, _dir| async move {
        entries(&store, 5).await;
        let kept = store.audit_entries(2, 1).await.unwrap()[0].hash.clone();
        // The DBA deletes entries 4 and 5 and moves the database's head back to entry 3:
        // the chain in the database is whole and consistent.
        as_dba(
            &store,
            &[
                "DELETE FROM audit_log WHERE seq >= 4".into(),
                format!("UPDATE audit_head SET seq = 3, hash = '{kept}' WHERE id = 1"),
            ],
        )
        .await;
        let report = store.verify_audit().await.unwrap();
        assert_eq!(
            (report.ok, report.first_bad, report.entries),
            (false, Some(4), 3),
            "{report:?}"
        );
        assert!(report.problem.unwrap().contains("outside the database"));
    }
);

on_both!(
    a_removed_head_file_is_reported,
    |store: Store, _dir| async move {
        entries(&store, 2).await;
        std::fs::remove_file(store.audit_head_file().path()).unwrap();
        let report = store.verify_audit().await.unwrap();
        assert!(!report.ok);
        assert!(report.problem.unwrap().contains("missing"));
    }
);

on_both!(
    an_unkeyed_chain_from_before_the_switch_keeps_verifying,
    |store: Store, dir: std::path::PathBuf| async move {
        // A database from before the keyed chain: three version-1 entries, no head file.
        entries(&store, 3).await;
        let all = store.audit_entries(0, 100).await.unwrap();
        let mut prev = dengbao_store::audit::GENESIS.to_string();
        let mut sql = Vec::new();
        for e in &all {
            let mut e = e.clone();
            e.prev_hash = prev.clone();
            e.hash = e.compute_hash();
            sql.push(format!(
                "UPDATE audit_log SET prev_hash = '{}', hash = '{}', chain_version = 1 WHERE seq = {}",
                e.prev_hash, e.hash, e.seq
            ));
            prev = e.hash;
        }
        sql.push(format!(
            "UPDATE audit_head SET hash = '{prev}' WHERE id = 1"
        ));
        as_dba(&store, &sql).await;
        std::fs::remove_file(store.audit_head_file().path()).unwrap();
        // Opened again by the new version: the switch point is the next entry.
        let store = match store.backend() {
            Backend::Sqlite => {
                store.close().await;
                sqlite_store(&dir).await.unwrap()
            }
            Backend::Postgres => {
                // Same database: a fresh handle would need the schema name; start the head
                // file the way open does.
                reopen_same(&store, &dir).await
            }
        };
        let head = store.audit_head_file().read().unwrap().unwrap();
        assert_eq!(head.keyed_from, 4);
        entries(&store, 2).await;
        let all = store.audit_entries(0, 100).await.unwrap();
        let versions: Vec<i64> = all.iter().map(|e| e.chain_version).collect();
        assert_eq!(versions, [1, 1, 1, 2, 2]);
        let report = store.verify_audit().await.unwrap();
        assert!(report.ok, "{report:?}");
        // An old entry edited and the unkeyed part re-chained is still caught: the keyed
        // entry after it chains to the old hash.
        edit_and_rechain_only(&store, 2, 3).await;
        let report = store.verify_audit().await.unwrap();
        assert_eq!(
            (report.ok, report.first_bad),
            (false, Some(4)),
            "{report:?}"
        );
    }
);

/// Re-chains entries `from..=to` with SHA-256 as version 1 (the unkeyed part of a log).
async fn edit_and_rechain_only(store: &Store, from: i64, to: i64) {
    let all = store.audit_entries(0, 10_000).await.unwrap();
    let mut prev = all[(from - 2) as usize].hash.clone();
    let mut sql = Vec::new();
    for e in all.iter().filter(|e| e.seq >= from && e.seq <= to) {
        let mut e = e.clone();
        if e.seq == from {
            e.detail = r#"{"name":"改过的"}"#.into();
        }
        e.prev_hash = prev.clone();
        e.hash = e.compute_hash();
        sql.push(format!(
            "UPDATE audit_log SET detail = '{}', prev_hash = '{}', hash = '{}' WHERE seq = {}",
            e.detail, e.prev_hash, e.hash, e.seq
        ));
        prev = e.hash;
    }
    as_dba(store, &sql).await;
}

/// A second handle on the same PostgreSQL schema: the URL of the first one's pool is not
/// exposed, so the test reads the search path back and opens it again.
async fn reopen_same(store: &Store, dir: &std::path::Path) -> Store {
    let schema: String = sqlx::query("SELECT CAST(current_schema() AS TEXT) AS s")
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get("s");
    let base = std::env::var(dengbao_store::test_support::POSTGRES_ENV).unwrap();
    let url = dengbao_store::test_support::postgres_url_with_schema(&base, &schema);
    Store::open_url(&url, dir).await.unwrap()
}

on_both!(
    the_audit_page_verification_reads_only_what_was_appended,
    |store: Store, _dir| async move {
        entries(&store, 30).await;
        let first = store.verify_audit_since_last().await.unwrap();
        assert!(first.ok, "{first:?}");
        assert_eq!((first.from, first.read, first.entries), (0, 30, 30));
        entries(&store, 7).await;
        let next = store.verify_audit_since_last().await.unwrap();
        assert!(next.ok, "{next:?}");
        // The entry verified last (re-read to see it unchanged) and the seven new ones.
        assert_eq!((next.from, next.read, next.entries), (30, 8, 37));
        let again = store.verify_audit_since_last().await.unwrap();
        assert_eq!((again.from, again.read), (37, 1));
        // A log re-chained below the verified point is caught from that one entry.
        edit_and_rechain(&store, 10, 2).await;
        let caught = store.verify_audit_since_last().await.unwrap();
        assert_eq!(
            (caught.ok, caught.first_bad),
            (false, Some(37)),
            "{caught:?}"
        );
    }
);

on_both!(
    ten_thousand_anonymous_denials_write_a_bounded_number_of_rows,
    |store: Store, _dir| async move {
        let before = store.audit_entries(0, 100_000).await.unwrap().len();
        for i in 0..10_000 {
            let request = format!("GET /api/networks/{:016x}", i);
            store
                .deny_anonymous(AnonymousDenial {
                    action: "denied",
                    source: if i % 2 == 0 { "192.0.2.1" } else { "192.0.2.2" },
                    request: &request,
                    status: 401,
                    reason: "no valid API token or session",
                })
                .await
                .unwrap();
        }
        store.flush_anonymous_denials().await.unwrap();
        let rows: Vec<AuditEntry> = store
            .audit_entries(0, 100_000)
            .await
            .unwrap()
            .into_iter()
            .skip(before)
            .collect();
        // Two sources × one request class, per window: 2 rows, or 4 if a window closed.
        assert!(rows.len() <= 4, "{} rows", rows.len());
        let counted: u64 = rows
            .iter()
            .map(|e| {
                let d: serde_json::Value = serde_json::from_str(&e.detail).unwrap();
                assert_eq!(e.target, "GET /api/networks/{id}");
                assert!(d["example"]
                    .as_str()
                    .unwrap()
                    .starts_with("GET /api/networks/"));
                d["count"].as_u64().unwrap()
            })
            .sum();
        assert_eq!(counted, 10_000);
        assert!(store.verify_audit().await.unwrap().ok);
    }
);
