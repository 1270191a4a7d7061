//! The retention floor against every way of moving time (issue 17 item 1): a writer never
//! takes a clock from its caller, a clock set back or a checkpoint dated ahead of the clock
//! refuses every deletion path, `verify` fails on checkpoint times that go backwards, and a
//! retention policy out of range is refused rather than panicking.

mod common;

use std::path::Path;

use dengbao_logstore::{
    checkpoint::{Checkpoint, Note},
    crypto::{SigningKey, Suite},
    verify::verify,
    Error, OpenOptions, Store,
};

const NOW: &str = "2026-11-25T10:00:00+08:00";

fn writer(dir: &Path, now: &str) -> Result<Store, Error> {
    Store::open_with_test_clock(
        dir,
        OpenOptions {
            write: true,
            ..OpenOptions::default()
        },
        common::at(now),
    )
}

fn events(s: &Store) -> u64 {
    s.catalog().live.values().map(|e| e.count).sum()
}

/// Append a checkpoint signed with the store's own key (someone who holds the key file),
/// changed by `edit`.
fn forge(dir: &Path, edit: impl FnOnce(&mut Checkpoint)) {
    let log = dir.join("checkpoints.log");
    let text = std::fs::read_to_string(&log).unwrap();
    let last: Checkpoint = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    let secret = hex::decode(
        std::fs::read_to_string(dir.join("keys/signing.key"))
            .unwrap()
            .trim(),
    )
    .unwrap();
    let key = SigningKey::from_secret(last.suite, &secret).unwrap();
    let mut cp = last.clone();
    cp.seq += 1;
    cp.prev_sig = last.sig.clone();
    cp.body.added.clear();
    cp.body.expired.clear();
    cp.body.notes.clear();
    edit(&mut cp);
    let cp = cp.sign(&key).unwrap();
    std::fs::write(&log, format!("{text}{}\n", cp.to_line().unwrap())).unwrap();
}

#[test]
fn a_writer_takes_no_clock_from_its_caller() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("logs");
    drop(common::filled(&dir, Suite::Sm3Sm2, NOW, "办公网"));
    let err = Store::open(
        &dir,
        OpenOptions {
            now: Some(common::at("2027-07-01")),
            write: true,
            ..OpenOptions::default()
        },
    )
    .err()
    .expect("a writer with a moved clock is refused");
    assert!(matches!(err, Error::Invalid(_)), "{err}");
    assert!(err.to_string().contains("本机时钟"), "{err}");
    // The environment variable that used to move the clock moves nothing.
    std::env::set_var("DENGBAO_NOW", "2099-01-01");
    let s = Store::open(&dir, OpenOptions::default()).unwrap();
    std::env::remove_var("DENGBAO_NOW");
    assert!(s.now() < common::at("2099-01-01"));
}

#[test]
fn a_clock_set_back_refuses_every_deletion_and_verify_names_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("logs");
    drop(common::filled(&dir, Suite::Sm3Sm2, NOW, "办公网"));
    // Someone sets the clock to July 2027 and signs a checkpoint (a policy note) there.
    let mut s = writer(&dir, "2027-07-01").unwrap();
    s.set_policy("办公网", 6).unwrap();
    drop(s);
    // The clock back at its real time: the chain is ahead of it, nothing may be removed —
    // not even the Cisco day of 2026-05-12, which the floor would let go.
    let mut s = writer(&dir, "2026-11-26T10:00:00+08:00").unwrap();
    let all = events(&s);
    for err in [
        s.delete_before(common::at("2026-05-20"), None).unwrap_err(),
        s.delete_before(common::at("2026-05-20"), Some("办公网"))
            .unwrap_err(),
        s.expire().unwrap_err(),
    ] {
        assert!(matches!(err, Error::Refused(_)), "{err}");
        let m = err.to_string();
        assert!(
            m.contains("检查点 #1") && m.contains("2027-06-30T16:00:00Z"),
            "{m}"
        );
    }
    assert_eq!(events(&s), all);
    // Any checkpoint signed now goes backwards in the chain, and verify fails on it.
    s.place_hold(
        None,
        common::at("2026-01-01"),
        common::at("2026-02-01"),
        "调证",
    )
    .unwrap();
    drop(s);
    let r = verify(&dir);
    assert!(!r.ok);
    assert!(
        r.problems
            .iter()
            .any(|p| p.to_string().contains("检查点时间倒退")),
        "{:?}",
        r.problems
    );
    // Once the clock has passed the chain's latest time, the floor works as before.
    let mut s = writer(&dir, "2027-07-02").unwrap();
    assert_eq!(
        s.delete_before(common::at("2026-05-20"), None)
            .unwrap()
            .events_removed,
        7
    );
}

#[test]
fn a_forged_checkpoint_time_never_opens_the_floor() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("logs");
    drop(common::filled(&dir, Suite::Sm3Sm2, NOW, "办公网"));
    // Signed with the store's own key, dated far ahead: deletions stop.
    forge(&dir, |cp| cp.time = "2099-01-01T00:00:00Z".into());
    let mut s = writer(&dir, "2027-07-01").unwrap();
    let err = s.expire().unwrap_err();
    assert!(err.to_string().contains("2099-01-01"), "{err}");
    let err = s.delete_before(common::at("2026-05-20"), None).unwrap_err();
    assert!(err.to_string().contains("检查点 #"), "{err}");
    drop(s);

    // Dated far back instead (the chain claims it is 2020): the floor is measured from
    // the clock, so today's events stay; and verify names the step back.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("logs");
    drop(common::filled(&dir, Suite::Sm3Sm2, NOW, "办公网"));
    forge(&dir, |cp| cp.time = "2020-01-01T00:00:00Z".into());
    let mut s = writer(&dir, "2026-11-26").unwrap();
    let err = s.delete_before(common::at("2026-11-26"), None).unwrap_err();
    assert!(err.to_string().contains("六个月"), "{err}");
    let rep = s.expire().unwrap();
    assert_eq!(rep.removed.len(), 1, "only the Cisco day is past the floor");
    drop(s);
    assert!(!verify(&dir).ok);

    // Edited without the key: the signature fails, and the future date still stops deletion.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("logs");
    drop(common::filled(&dir, Suite::Sm3Sm2, NOW, "办公网"));
    let log = dir.join("checkpoints.log");
    let text = std::fs::read_to_string(&log).unwrap();
    let (head, last) = text
        .trim_end()
        .rsplit_once('\n')
        .unwrap_or(("", text.trim_end()));
    let last: Checkpoint = serde_json::from_str(last).unwrap();
    let mut edited = last.clone();
    edited.time = "2099-01-01T00:00:00Z".into();
    let head = if head.is_empty() {
        String::new()
    } else {
        format!("{head}\n")
    };
    std::fs::write(&log, format!("{head}{}\n", edited.to_line().unwrap())).unwrap();
    assert!(verify(&dir)
        .problems
        .iter()
        .any(|p| p.to_string().contains("签名无效")));
    let mut s = writer(&dir, "2027-07-01").unwrap();
    assert!(s.expire().is_err());
}

#[test]
fn a_policy_out_of_range_is_refused_and_an_old_one_cannot_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("logs");
    let mut s = common::filled(&dir, Suite::Sm3Sm2, NOW, "办公网");
    for months in [1201, u32::MAX] {
        let err = s.set_policy("办公网", months).unwrap_err();
        assert!(matches!(err, Error::Invalid(_)), "{err}");
        assert!(err.to_string().contains("months"), "{err}");
    }
    s.set_policy("办公网", 1200).unwrap();
    assert_eq!(s.cutoff(u32::MAX), jiff::Timestamp::MIN);
    drop(s);
    // A policy of 4294967295 months recorded before the bound: expiry keeps everything.
    forge(&dir, |cp| {
        cp.time = "2026-11-25T02:00:01Z".into();
        cp.body.notes = vec![Note::Policy {
            network: "办公网".into(),
            months: u32::MAX,
        }];
    });
    let mut s = writer(&dir, "2027-07-01").unwrap();
    assert_eq!(s.policy_months("办公网"), u32::MAX);
    let rep = s.expire().unwrap();
    assert!(rep.removed.is_empty());
    assert_eq!(rep.kept_by_policy.len(), s.catalog().live.len());
}
