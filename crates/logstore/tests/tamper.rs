//! Tamper evidence: every flipped byte, deleted segment or truncated file is caught by verify.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use dengbao_logstore::{crypto::Suite, testkit::Rng, verify::verify};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().unwrap() != "LOCK" && fs::metadata(&p).unwrap().len() > 0 {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_random_byte_flip_across_the_store_is_detected() {
    for (suite, seed) in [
        (Suite::Sm3Sm2, 0x9e3779b97f4a7c15u64),
        (Suite::Sha256Ed25519, 0x2545f4914f6cdd1d),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("logs");
        let store = common::filled(&dir, suite, "2026-11-25T10:00:00+08:00", "办公网");
        drop(store);
        assert!(verify(&dir).ok, "{:?}", verify(&dir).problems);
        let all = files(&dir);
        let mut rng = Rng(seed);
        for round in 0..120 {
            let f = &all[(rng.next() % all.len() as u64) as usize];
            let mut bytes = fs::read(f).unwrap();
            let i = (rng.next() % bytes.len() as u64) as usize;
            let bit = 1u8 << (rng.next() % 8);
            bytes[i] ^= bit;
            fs::write(f, &bytes).unwrap();
            let r = verify(&dir);
            assert!(
                !r.ok,
                "round {round}: flipping bit {bit:#04x} of byte {i} in {} went unnoticed",
                f.display()
            );
            bytes[i] ^= bit;
            fs::write(f, &bytes).unwrap();
        }
        assert!(verify(&dir).ok);
    }
}

#[test]
fn a_deleted_segment_is_named_with_its_event_range() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("logs");
    let store = common::filled(&dir, Suite::Sm3Sm2, "2026-11-25T10:00:00+08:00", "dmz");
    let victim = store.catalog().live.values().nth(2).unwrap().clone();
    drop(store);
    fs::remove_file(dir.join("segments").join(&victim.file)).unwrap();
    let r = verify(&dir);
    let first = &r.problems[0];
    assert_eq!(first.segment, Some(victim.id));
    assert_eq!(
        first.events,
        Some((victim.first_leaf, victim.first_leaf + victim.count - 1))
    );
    assert!(first.what.contains("missing"), "{first}");
}

#[test]
fn truncated_segment_and_truncated_chain_are_detected() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("logs");
    let store = common::filled(
        &dir,
        Suite::Sha256Ed25519,
        "2026-11-25T10:00:00+08:00",
        "dmz",
    );
    let last = store.catalog().live.values().last().unwrap().clone();
    drop(store);
    // The tail of the newest segment cut off.
    let p = dir.join("segments").join(&last.file);
    let full = fs::read(&p).unwrap();
    fs::write(&p, &full[..full.len() - 100]).unwrap();
    let r = verify(&dir);
    assert_eq!(r.problems[0].segment, Some(last.id), "{:?}", r.problems);
    fs::write(&p, &full).unwrap();
    // The newest checkpoint removed: its segments are now unexplained files.
    let cp = dir.join("checkpoints.log");
    let text = fs::read_to_string(&cp).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.pop();
    fs::write(
        &cp,
        lines.iter().map(|l| format!("{l}\n")).collect::<String>(),
    )
    .unwrap();
    assert!(!verify(&dir).ok);
}
