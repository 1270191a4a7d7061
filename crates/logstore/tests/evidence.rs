//! Evidence export with inclusion proofs, verified offline; and proof of retention.

mod common;

use dengbao_logstore::{crypto::Suite, export::verify_export, query, search::Request};

#[test]
fn an_export_verifies_offline_and_any_edit_is_caught() {
    for suite in [Suite::Sm3Sm2, Suite::Sha256Ed25519] {
        let tmp = tempfile::tempdir().unwrap();
        let s = common::filled(
            &tmp.path().join("logs"),
            suite,
            "2026-11-25T10:00:00+08:00",
            "办公网",
        );
        let req = Request {
            query: Some(query::parse("\"10.0.0.1\"").unwrap()),
            ..Request::default()
        };
        let ex = s.export(&req, "\"10.0.0.1\"").unwrap();
        assert_eq!(ex.events.len(), 9);
        let bytes = serde_json::to_vec_pretty(&ex).unwrap();
        let rep = verify_export(&bytes, Some(s.public_key()));
        assert!(rep.ok, "{:?}", rep.problems);

        // An edited message, a dropped event, a record from elsewhere: each caught.
        let mut bad = ex.clone();
        bad.events[0].message = bad.events[0].message.replace("10.0.0.1", "10.0.0.2");
        assert!(!verify_export(&serde_json::to_vec(&bad).unwrap(), None).ok);
        let mut bad = ex.clone();
        bad.events.remove(3);
        assert!(!verify_export(&serde_json::to_vec(&bad).unwrap(), None).ok);
        let mut bad = ex.clone();
        bad.events.swap(0, 1);
        assert!(!verify_export(&serde_json::to_vec(&bad).unwrap(), None).ok);
        let other = dengbao_logstore::crypto::SigningKey::generate(suite)
            .unwrap()
            .public();
        assert!(!verify_export(&bytes, Some(&other)).ok);
    }
}

#[test]
fn coverage_reports_earliest_event_gaps_and_integrity() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("logs");
    let s = common::filled(&dir, Suite::Sm3Sm2, "2026-11-25T10:00:00+08:00", "办公网");
    let c = s.coverage(None);
    assert!(c.integrity.ok);
    assert_eq!(c.window_start, "2026-05-25");
    let n = &c.networks[0];
    assert_eq!(n.network, "办公网");
    assert!(n
        .earliest_retained
        .as_deref()
        .unwrap()
        .starts_with("2026-05-12"));
    assert!(n.covers_floor);
    // Events on 2026-11-20 … 2026-11-24 only (and the Cisco day before the window); the
    // parse-failed lines are timed at receive time, 2026-11-25.
    assert!(n.days_without_events.contains(&"2026-06-01".to_string()));
    assert!(!n.days_without_events.contains(&"2026-11-21".to_string()));
    assert!(!n.days_without_events.contains(&"2026-11-25".to_string()));
    let web01 = n.sources.iter().find(|s| s.source == "web01").unwrap();
    assert_eq!(web01.events, 10);
    assert_eq!(
        web01.days_without_events,
        [
            "2026-11-21",
            "2026-11-22",
            "2026-11-23",
            "2026-11-24",
            "2026-11-25"
        ]
    );
    drop(s);
    // A damaged segment shows up as an integrity failure of its network.
    dengbao_logstore::testkit::flip_in_first_file(&dir.join("segments/办公网/2026-11-20"), 20, 1)
        .unwrap();
    let s = common::open_read(&dir, "2026-11-25");
    let c = s.coverage(None);
    assert!(!c.integrity.ok);
    assert!(!c.networks[0].integrity_ok);
}

#[test]
fn an_anchor_kept_outside_catches_a_store_cut_back_or_rewritten() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("logs");
    let mut s = common::filled(&dir, Suite::Sm3Sm2, "2026-11-25T10:00:00+08:00", "办公网");
    let cp = s.catalog().checkpoints.last().unwrap().clone();
    let anchor = format!("{}sig {}\n", cp.signed_text().unwrap(), cp.sig);
    // The store grows; the anchor still checks, with a consistency proof.
    let more = dengbao_logstore::ingest::records_from_bytes(
        b"<14>Nov 25 09:00:00 web01 app: later\n",
        "x",
        "办公网",
        dengbao_logstore::Format::Auto,
        s.now().as_microsecond(),
    );
    s.append(&more).unwrap();
    s.seal().unwrap();
    let c = s.check_anchor(&anchor);
    assert!(c.ok, "{:?}", c.problem);
    assert!(!c.consistency_proof.is_empty());
    drop(s);
    // Cut the chain back to before the anchor (and its segments): verify alone is fooled…
    let text = std::fs::read_to_string(dir.join("checkpoints.log")).unwrap();
    std::fs::write(dir.join("checkpoints.log"), "").unwrap();
    let _ = text;
    std::fs::remove_dir_all(dir.join("segments")).unwrap();
    let s = common::open_read(&dir, "2026-11-25");
    // …but not the anchor.
    let c = s.check_anchor(&anchor);
    assert!(!c.ok);
    assert!(c.problem.unwrap().contains("cut back"));
}
