//! The blob-store conformance suite on the local directory and on a real S3 server
//! (SeaweedFS in CI), and the acceptance test of issue 4: the bucket itself refuses to
//! delete a segment inside its COMPLIANCE retention.

mod common;

use common::conformance;
use dengbao_objstore::{BlobStore, Error, LocalDir, LockMode};

#[test]
fn local_dir_passes_the_blob_store_suite() {
    let dir = tempfile::tempdir().unwrap();
    let store = LocalDir::new(dir.path()).unwrap();
    conformance::blob_store(&store, LockMode::Software);
    conformance::blob_put_race(&store);
    // Today's layout: the key is the relative path of the file.
    let seg = dir
        .path()
        .join("segments/办公网/2026-11-20/000000000001.seg");
    assert_eq!(std::fs::read(seg).unwrap(), conformance::segment_bytes(1));
}

#[test]
fn s3_passes_the_blob_store_suite() {
    let Some(s3) = common::s3_bucket("s3_passes_the_blob_store_suite") else {
        return;
    };
    conformance::blob_store(&s3, LockMode::Compliance);
    conformance::blob_put_race(&s3);
}

#[test]
fn s3_with_a_key_prefix_passes_the_blob_store_suite() {
    let Some(mut cfg) = common::s3_config("s3_with_a_key_prefix_passes_the_blob_store_suite")
    else {
        return;
    };
    cfg.prefix = format!("nodes/shared/{}", common::unique());
    let s3 = dengbao_objstore::S3::new(&cfg).unwrap();
    s3.create_bucket().unwrap();
    conformance::blob_store(&s3, LockMode::Compliance);
}

/// Issue 4, "a test shows the bucket refusing an early delete": a segment put with
/// COMPLIANCE retention to the six-month floor; a DELETE of that exact version, sent
/// straight to the server, comes back 403 — the storage, not our code, refuses.
#[test]
fn s3_bucket_refuses_to_delete_a_segment_inside_the_floor() {
    let Some(s3) = common::s3_bucket("s3_bucket_refuses_to_delete_a_segment_inside_the_floor")
    else {
        return;
    };
    let key = "segments/办公网/2026-11-20/000000000001.seg";
    let bytes = conformance::segment_bytes(7);
    let until = conformance::floor_until();
    s3.put(key, &bytes, Some(until)).unwrap();
    let r = s3.retention(key).unwrap().unwrap();
    assert_eq!(r.mode, LockMode::Compliance);
    assert!(r.retain_until >= until);

    // The versioned DELETE that `delete` sends is refused by the server itself.
    let raw = s3.raw_delete(key, true).unwrap();
    assert_eq!(
        raw,
        (403, "AccessDenied".to_string()),
        "versioned DELETE not refused"
    );
    assert!(matches!(s3.delete(key), Err(Error::Locked { .. })));
    assert_eq!(s3.get(key).unwrap(), bytes);

    // A plain DELETE (no version id) is either refused too, or — as on AWS — only adds a
    // delete marker: the key looks gone, the locked bytes are not, and removing the
    // marker brings them back unchanged.
    let (status, _) = s3.raw_delete(key, false).unwrap();
    println!("plain DELETE inside the retention: HTTP {status}");
    if status == 204 {
        assert!(matches!(s3.get(key), Err(Error::NotFound { .. })));
        assert_eq!(s3.remove_delete_markers(key).unwrap(), 1);
    } else {
        assert_eq!(status, 403, "plain DELETE answered {status}");
    }
    assert_eq!(s3.get(key).unwrap(), bytes);
    assert_eq!(
        s3.retention(key).unwrap().unwrap().retain_until,
        r.retain_until
    );
}

/// The other option: the bucket's default retention (COMPLIANCE, N days) protects
/// a segment put without a date of its own.
#[test]
fn s3_bucket_default_retention_protects_a_put_without_a_date() {
    let Some(mut cfg) =
        common::s3_config("s3_bucket_default_retention_protects_a_put_without_a_date")
    else {
        return;
    };
    // Its own bucket: a default retention applies to everything in the bucket.
    cfg.bucket = "dengbao-objstore-test-default-retention".into();
    let s3 = dengbao_objstore::S3::new(&cfg).unwrap();
    s3.create_bucket().unwrap();
    s3.set_default_retention(183).unwrap();
    let key = "segments/dmz/2026-11-24/000000000004.seg";
    s3.put(key, &conformance::segment_bytes(4), None).unwrap();
    let r = s3
        .retention(key)
        .unwrap()
        .expect("no default retention applied");
    assert_eq!(r.mode, LockMode::Compliance);
    let days = (r.retain_until.as_second() - jiff::Timestamp::now().as_second()) / 86_400;
    assert!((181..=183).contains(&days), "retained for {days} days");
    assert_eq!(s3.raw_delete(key, true).unwrap().0, 403);
    assert!(matches!(s3.delete(key), Err(Error::Locked { .. })));
}
