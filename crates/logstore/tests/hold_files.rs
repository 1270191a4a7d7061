//! Holds placed from outside the log centre (`<logs>/holds/*.json`, written by `dengbao
//! incident open`) keep their segments through `delete` and `expire`, name their holder, and
//! a damaged hold file refuses every deletion.

mod common;

use dengbao_logstore::holdfiles::{self, FileHold};
use dengbao_logstore::{crypto::Suite, Error};

fn cisco_events(s: &dengbao_logstore::Store) -> u64 {
    s.catalog()
        .live
        .values()
        .filter(|e| e.day == "2026-05-12")
        .map(|e| e.count)
        .sum()
}

#[test]
fn a_hold_file_keeps_its_network_s_segments_and_names_the_incident() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("logs");
    let mut s = common::filled(&dir, Suite::Sm3Sm2, "2026-11-25T10:00:00+08:00", "办公网");
    let name = holdfiles::write(
        &dir,
        &FileHold {
            network: "办公网".into(),
            from: "2026-05-01T00:00:00+08:00".into(),
            to: None,
            reason: "网络安全事件 ab12 的法律保全".into(),
            source: "incident:ab12".into(),
        },
    )
    .unwrap();
    assert_eq!(name, "incident-ab12.json");
    // A hold on another network holds nothing here.
    holdfiles::write(
        &dir,
        &FileHold {
            network: "dmz".into(),
            from: "2020-01-01T00:00:00+08:00".into(),
            to: None,
            reason: "其他网络".into(),
            source: "incident:cd34".into(),
        },
    )
    .unwrap();
    let rep = s
        .delete_before(common::at("2026-05-25T10:00:00+08:00"), None)
        .unwrap();
    assert_eq!(rep.events_removed, 0);
    assert_eq!(rep.kept_by_hold.len(), 1);
    assert_eq!(rep.held_by[0].holds, ["网络安全事件 ab12 的法律保全"]);
    assert_eq!(cisco_events(&s), 7);

    // Ended before the Cisco day, the hold no longer covers it.
    holdfiles::write(
        &dir,
        &FileHold {
            network: "办公网".into(),
            from: "2026-05-01T00:00:00+08:00".into(),
            to: Some("2026-05-02T00:00:00+08:00".into()),
            reason: "网络安全事件 ab12 的法律保全".into(),
            source: "incident:ab12".into(),
        },
    )
    .unwrap();
    let rep = s.expire().unwrap();
    assert_eq!(rep.events_removed, 7);
}

#[test]
fn a_damaged_hold_file_refuses_every_deletion() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("logs");
    let mut s = common::filled(&dir, Suite::Sm3Sm2, "2026-11-25T10:00:00+08:00", "办公网");
    std::fs::create_dir_all(dir.join("holds")).unwrap();
    std::fs::write(dir.join("holds/incident-ef56.json"), b"{ not json").unwrap();
    let err = s.expire().unwrap_err();
    assert!(matches!(err, Error::Refused(_)), "{err}");
    assert!(err.to_string().contains("incident-ef56.json"), "{err}");
    assert_eq!(cisco_events(&s), 7);
}
