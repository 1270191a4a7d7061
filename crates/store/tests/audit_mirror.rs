//! Issue 17 item 5, scale-out: the audit chain's head is also kept in the object store
//! (decision 0925), so someone who can write both the database and the host's files —
//! cutting entries from the end and moving `logs/audit-head.json` back to match — is still
//! caught. With the local directory backend of `dengbao-objstore`; on SQLite and (when
//! configured) PostgreSQL.

use std::sync::Arc;

use dengbao_objstore::{BlobStore, LocalDir};
use dengbao_store::audit_mirror::MIRROR_PREFIX;
use dengbao_store::orgs::NewOrganisation;
use dengbao_store::test_support::{postgres_store, sqlite_store};
use dengbao_store::{Backend, Store};

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

/// Entries 4 and 5 cut from the database, its head moved back to entry 3, and the head file
/// outside the database rewritten to match: everything on the host agrees.
async fn cut_everywhere_on_the_host(store: &Store) {
    let kept = store.audit_entries(2, 1).await.unwrap()[0].hash.clone();
    as_dba(
        store,
        &[
            "DELETE FROM audit_log WHERE seq >= 4".into(),
            format!("UPDATE audit_head SET seq = 3, hash = '{kept}' WHERE id = 1"),
        ],
    )
    .await;
    let path = store.audit_head_file().path().to_path_buf();
    let mut head: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    head["seq"] = 3.into();
    head["hash"] = kept.clone().into();
    head["verified_seq"] = 0.into();
    head["verified_hash"] = "0".repeat(64).into();
    std::fs::write(&path, head.to_string()).unwrap();
}

async fn the_object_store_head_catches_a_cut_the_host_hides(store: Store) {
    let bucket = tempfile::tempdir().unwrap();
    let blobs: Arc<dyn BlobStore> = Arc::new(LocalDir::new(bucket.path()).unwrap());
    let store = store.with_audit_mirror(blobs.clone());
    entries(&store, 5).await;
    assert!(store.mirror_audit_head_if_due(true).await.unwrap());
    // Unchanged head: nothing new is written.
    assert!(!store.mirror_audit_head_if_due(true).await.unwrap());
    let listed = blobs.list(MIRROR_PREFIX).unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert!(
        listed[0].key.ends_with("00000000000000000005.json"),
        "{listed:?}"
    );
    let r = store.verify_audit().await.unwrap();
    assert!(r.ok, "{r:?}");

    cut_everywhere_on_the_host(&store).await;
    let r = store.verify_audit().await.unwrap();
    assert_eq!((r.ok, r.first_bad, r.entries), (false, Some(4), 3), "{r:?}");
    let problem = r.problem.unwrap();
    assert!(
        problem.contains("object store records entry 5"),
        "{problem}"
    );
    let r = store.verify_audit_since_last().await.unwrap();
    assert!(!r.ok, "{r:?}");
}

async fn a_forged_head_in_the_object_store_is_reported(store: Store) {
    let bucket = tempfile::tempdir().unwrap();
    let blobs: Arc<dyn BlobStore> = Arc::new(LocalDir::new(bucket.path()).unwrap());
    let store = store.with_audit_mirror(blobs.clone());
    entries(&store, 2).await;
    let forged = serde_json::json!({"seq": 9, "hash": "0".repeat(64), "keyed_from": 1, "mac": "0".repeat(64)});
    blobs
        .put(
            &format!("{MIRROR_PREFIX}00000000000000000009.json"),
            forged.to_string().as_bytes(),
            None,
        )
        .unwrap();
    let r = store.verify_audit().await.unwrap();
    assert!(!r.ok);
    assert!(
        r.problem
            .unwrap()
            .contains("not written with this server's key"),
        "forged head"
    );
}

#[tokio::test]
async fn sqlite_cut_caught_by_the_object_store_head() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite_store(dir.path()).await.unwrap();
    // Without the object store, the same cut verifies: the host alone cannot tell.
    let plain_dir = tempfile::tempdir().unwrap();
    let plain = sqlite_store(plain_dir.path()).await.unwrap();
    entries(&plain, 5).await;
    cut_everywhere_on_the_host(&plain).await;
    assert!(plain.verify_audit().await.unwrap().ok);
    the_object_store_head_catches_a_cut_the_host_hides(store).await;
}

#[tokio::test]
async fn sqlite_forged_object_store_head() {
    let dir = tempfile::tempdir().unwrap();
    a_forged_head_in_the_object_store_is_reported(sqlite_store(dir.path()).await.unwrap()).await;
}

#[tokio::test]
async fn postgres_cut_caught_by_the_object_store_head() {
    let dir = tempfile::tempdir().unwrap();
    match postgres_store(dir.path()).await.unwrap() {
        Some(store) => the_object_store_head_catches_a_cut_the_host_hides(store).await,
        None => eprintln!("skipped: DENGBAO_TEST_POSTGRES_URL is not set"),
    }
}
