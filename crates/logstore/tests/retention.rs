//! Retention across the six-month floor, with a moved clock: refusals, expiry of whole
//! segments, legal holds, longer policies — and the store still verifies afterwards.

mod common;

use dengbao_logstore::{crypto::Suite, verify::verify, Error, OpenOptions, Store};

fn reopen(dir: &std::path::Path, now: &str) -> Store {
    Store::open_with_test_clock(
        dir,
        OpenOptions {
            write: true,
            ..OpenOptions::default()
        },
        common::at(now),
    )
    .unwrap()
}

fn cisco_events(s: &Store) -> u64 {
    s.catalog()
        .live
        .values()
        .filter(|e| e.day == "2026-05-12")
        .map(|e| e.count)
        .sum()
}

#[test]
fn deleting_inside_the_floor_is_refused_and_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("logs");
    let mut s = common::filled(&dir, Suite::Sm3Sm2, "2026-11-25T10:00:00+08:00", "办公网");
    assert_eq!(cisco_events(&s), 7);
    // 2026-06-01 is less than six months before 2026-11-25.
    let err = s.delete_before(common::at("2026-06-01"), None).unwrap_err();
    assert!(matches!(err, Error::Refused(_)), "{err}");
    assert!(err.to_string().contains("第二十一条"), "{err}");
    assert_eq!(cisco_events(&s), 7);
    // One second past the floor is refused too; the floor itself is allowed.
    assert!(s
        .delete_before(common::at("2026-05-25T10:00:01+08:00"), None)
        .is_err());
    let rep = s
        .delete_before(common::at("2026-05-25T10:00:00+08:00"), None)
        .unwrap();
    assert_eq!(rep.events_removed, 7);
    assert_eq!(cisco_events(&s), 0);
    let refused = s
        .catalog()
        .checkpoints
        .iter()
        .flat_map(|c| &c.body.notes)
        .filter(|n| matches!(n, dengbao_logstore::checkpoint::Note::Refused { .. }))
        .count();
    assert_eq!(refused, 2);
    drop(s);
    let r = verify(&dir);
    assert!(r.ok, "{:?}", r.problems);
    assert_eq!(r.expired_segments, 1);
}

#[test]
fn a_policy_below_six_months_cannot_be_set() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = common::filled(
        &tmp.path().join("logs"),
        Suite::Sha256Ed25519,
        "2026-11-25",
        "dmz",
    );
    assert!(s.set_policy("dmz", 5).is_err());
    assert_eq!(s.policy_months("dmz"), 6);
    s.set_policy("dmz", 12).unwrap();
    assert_eq!(s.policy_months("dmz"), 12);
}

#[test]
fn expiry_follows_the_clock_the_policy_and_the_hold() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("logs");
    let mut s = common::filled(&dir, Suite::Sm3Sm2, "2026-11-25T10:00:00+08:00", "办公网");
    // Nothing is older than six months yet except the Cisco day (2026-05-12).
    let hold = s
        .place_hold(
            Some("办公网"),
            common::at("2026-05-01"),
            common::at("2026-05-31"),
            "公安机关调证 (case 2026-117)",
        )
        .unwrap();
    let rep = s.expire().unwrap();
    assert_eq!(rep.events_removed, 0);
    assert_eq!(rep.kept_by_hold.len(), 1);
    drop(s);

    // Half a year later: the November days before 2026-11-23 08:00 are past the floor
    // (the Windows events of 2026-11-23 are at 09:01–09:15 and stay).
    let mut s = reopen(&dir, "2027-05-23T08:00:00+08:00");
    let before = s.catalog().live.values().map(|e| e.count).sum::<u64>();
    let rep = s.expire().unwrap();
    let days: Vec<&str> = rep.removed.iter().map(|r| r.day.as_str()).collect();
    assert!(
        days.contains(&"2026-11-20") && days.contains(&"2026-11-22"),
        "{days:?}"
    );
    assert!(
        !days.contains(&"2026-11-23") && !days.contains(&"2026-05-12"),
        "{days:?}"
    );
    assert_eq!(cisco_events(&s), 7, "the legal hold keeps the Cisco day");
    s.release_hold(hold, "case closed").unwrap();
    let rep2 = s.expire().unwrap();
    assert_eq!(
        rep2.removed
            .iter()
            .map(|r| r.day.as_str())
            .collect::<Vec<_>>(),
        ["2026-05-12"]
    );
    let after = s.catalog().live.values().map(|e| e.count).sum::<u64>();
    assert_eq!(before - after, rep.events_removed + rep2.events_removed);
    drop(s);
    let r = verify(&dir);
    assert!(r.ok, "{:?}", r.problems);
}

#[test]
fn a_longer_policy_keeps_what_the_floor_would_let_go() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("logs");
    let mut s = common::filled(&dir, Suite::Sm3Sm2, "2026-11-25T10:00:00+08:00", "核心网");
    s.set_policy("核心网", 12).unwrap();
    drop(s);
    let mut s = reopen(&dir, "2027-06-30");
    // Past the floor for everything, but twelve months keep November 2026.
    let rep = s.delete_before(common::at("2026-12-01"), None).unwrap();
    assert_eq!(
        rep.removed
            .iter()
            .map(|r| r.day.as_str())
            .collect::<Vec<_>>(),
        ["2026-05-12"]
    );
    assert_eq!(rep.kept_by_policy.len(), s.catalog().live.len());
    assert!(s.expire().unwrap().removed.is_empty());
}
