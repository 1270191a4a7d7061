//! Durability: what `append` acknowledged is there exactly once after a crash at any point
//! of the ingest/seal path (simulated by dropping the store without sealing, by a torn
//! WAL tail, by a torn checkpoint line, and by a seal that left orphan segment files).

mod common;

use std::fs;
use std::io::Write;

use dengbao_logstore::{verify::verify, Format, OpenOptions, Record, Store};

fn open(dir: &std::path::Path) -> Store {
    Store::open_with_test_clock(
        dir,
        OpenOptions {
            write: true,
            ..OpenOptions::default()
        },
        common::at("2026-11-25T10:00:00+08:00"),
    )
    .unwrap()
}

fn rec(i: u32) -> Record {
    Record {
        received_us: common::at("2026-11-25T10:00:00+08:00").as_microsecond(),
        network: "dmz".into(),
        source: format!("tcp:10.0.0.5:{i}"),
        format: Format::Rfc5424,
        raw: format!(
            "<14>1 2026-11-25T09:00:{:02}+08:00 web01 app - - - acked event number{i}",
            i % 60
        )
        .into_bytes(),
    }
}

use common::count;

#[test]
fn acknowledged_events_survive_a_crash_before_the_seal_exactly_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("logs");
    let mut s = open(&dir);
    s.append(&(0..100).map(rec).collect::<Vec<_>>()).unwrap();
    drop(s); // "kill -9": nothing sealed, only the WAL holds them
             // A torn frame from an unacknowledged write after the crash point.
    let wal = fs::read_dir(dir.join("wal"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| fs::metadata(p).unwrap().len() > 0)
        .unwrap();
    fs::OpenOptions::new()
        .append(true)
        .open(&wal)
        .unwrap()
        .write_all(&[200, 0, 0, 0, 1, 2, 3])
        .unwrap();
    let s = open(&dir);
    assert_eq!(count(&s, "acked"), 100);
    for i in [0, 42, 99] {
        assert_eq!(count(&s, &format!("number{i}")), 1);
    }
    drop(s);
    let s = open(&dir);
    assert_eq!(
        count(&s, "acked"),
        100,
        "reopening must not seal the WAL twice"
    );
    drop(s);
    assert!(verify(&dir).ok);
}

#[test]
fn a_seal_that_crashed_before_its_checkpoint_is_redone_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("logs");
    let mut s = open(&dir);
    s.append(&(0..10).map(rec).collect::<Vec<_>>()).unwrap();
    s.seal().unwrap();
    s.append(&(10..30).map(rec).collect::<Vec<_>>()).unwrap();
    s.seal().unwrap();
    drop(s);
    // Roll back to "the second seal wrote its segment and a torn checkpoint line, then died":
    // drop the last checkpoint, leave a torn half line, and put the records back in a WAL.
    let cp = dir.join("checkpoints.log");
    let text = fs::read_to_string(&cp).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    fs::write(&cp, format!("{}\n{}", lines[0], &lines[1][..40])).unwrap();
    let key = dengbao_logstore::wal::WalKey::of_store(&dir).unwrap();
    let records: Vec<Vec<u8>> = (10..30).map(|i| rec(i).encode()).collect();
    let frames = dengbao_logstore::wal::batch_bytes(&key, 1000, &records);
    fs::write(dir.join("wal").join(format!("{:016}.wal", 1000)), frames).unwrap();
    assert!(
        !verify(&dir).ok,
        "before recovery the orphan segment and torn line show"
    );
    let s = open(&dir);
    assert_eq!(count(&s, "acked"), 30);
    drop(s);
    let r = verify(&dir);
    assert!(r.ok, "{:?}", r.problems);
}

/// The acknowledged but unsealed records of `dir`'s WAL file, and the file.
fn unsealed(dir: &std::path::Path, n: u32) -> std::path::PathBuf {
    let mut s = open(dir);
    s.append(&(0..n).map(rec).collect::<Vec<_>>()).unwrap();
    drop(s); // "kill -9" before the seal
    fs::read_dir(dir.join("wal"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| fs::metadata(p).unwrap().len() > 0)
        .unwrap()
}

#[test]
fn an_unsealed_frame_rewritten_with_its_crc_fixed_is_detected() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("logs");
    // A first seal, so the signed chain names the first WAL file that carries MACs.
    let mut s = open(&dir);
    s.append(&[rec(1000)]).unwrap();
    s.seal().unwrap();
    drop(s);
    let wal = unsealed(&dir, 5);
    let mut bytes = fs::read(&wal).unwrap();
    // Rewrite the first frame's payload ("acked" → "ACKED") and fix its CRC-32, as
    // someone with the disk but not the key would.
    let len = u32::from_le_bytes(bytes[0..4].try_into().unwrap()) as usize;
    let payload = &mut bytes[8..8 + len];
    let at = payload.windows(5).position(|w| w == b"acked").unwrap();
    payload[at..at + 5].copy_from_slice(b"ACKED");
    let crc = crc32fast::hash(&bytes[8..8 + len]);
    bytes[4..8].copy_from_slice(&crc.to_le_bytes());
    fs::write(&wal, &bytes).unwrap();
    let r = verify(&dir);
    assert!(!r.ok);
    assert!(
        r.problems.iter().any(|p| format!("{p:?}").contains("MAC")),
        "{:?}",
        r.problems
    );
    // Recovery refuses to seal the forged batch.
    let err = Store::open(
        &dir,
        OpenOptions {
            write: true,
            ..OpenOptions::default()
        },
    )
    .err()
    .expect("a rewritten WAL frame stops the open");
    assert!(err.to_string().contains("MAC"), "{err}");
}

#[test]
fn an_unsealed_file_stripped_of_its_macs_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("logs");
    let mut s = open(&dir);
    s.append(&[rec(1000)]).unwrap();
    s.seal().unwrap();
    drop(s);
    let wal = unsealed(&dir, 3);
    // Rewritten as an old CRC-only file: the records, no MAC frame.
    let bytes = fs::read(&wal).unwrap();
    let (records, _) = dengbao_logstore::wal::read_frames(&bytes);
    let mut plain = Vec::new();
    for r in &records {
        plain.extend_from_slice(&(r.len() as u32).to_le_bytes());
        plain.extend_from_slice(&crc32fast::hash(r).to_le_bytes());
        plain.extend_from_slice(r);
    }
    fs::write(&wal, &plain).unwrap();
    assert!(!verify(&dir).ok);
}
