//! One test body per trait; every backend runs the same one.

use std::sync::{Arc, Barrier};

use dengbao_objstore::{BlobStore, Catalog, Error, LockMode};
use jiff::{tz::TimeZone, Timestamp, ToSpan};

/// Bytes shaped like a segment: a header, then a few hundred KiB of syslog lines (big
/// enough that a range read in the middle is a real range).
pub fn segment_bytes(seed: u32) -> Vec<u8> {
    let mut out = b"DBLSEG01".to_vec();
    for i in 0..4000u32 {
        out.extend_from_slice(
            format!(
                "<38>Nov 20 08:{:02}:{:02} web01 sshd[{}]: Failed password for invalid user admin{} from 10.0.0.{} port 22 ssh2\n",
                i / 60 % 60,
                i % 60,
                seed + i,
                i % 7,
                i % 250
            )
            .as_bytes(),
        );
    }
    out
}

/// The six-month floor from now (Asia/Shanghai calendar months), as the log store uses it.
pub fn floor_until() -> Timestamp {
    let tz = TimeZone::get("Asia/Shanghai").unwrap();
    Timestamp::now()
        .to_zoned_datetime(tz)
        .checked_add(6.months())
        .unwrap()
        .timestamp()
}

/// What every blob store must do. `expect_mode` is the lock a retained put gets.
pub fn blob_store(store: &dyn BlobStore, expect_mode: LockMode) {
    let day = "segments/办公网/2026-11-20";
    let locked = format!("{day}/000000000001.seg");
    let free = format!("{day}/000000000002.seg");
    let other = "segments/生产网/2026-11-21/000000000003.seg";
    let a = segment_bytes(1);
    let b = segment_bytes(2);
    let until = floor_until();

    assert!(
        store.list("segments/").unwrap().is_empty(),
        "fresh store not empty"
    );
    store.put(&locked, &a, Some(until)).unwrap();
    store.put(&free, &b[..1000], None).unwrap();
    store.put(other, &b, None).unwrap();

    // Whole and ranged reads give back exactly what was put.
    assert_eq!(store.get(&locked).unwrap(), a);
    let mid = a.len() as u64 / 2;
    assert_eq!(
        store.get_range(&locked, mid, 4096).unwrap(),
        a[mid as usize..mid as usize + 4096]
    );
    assert_eq!(store.get_range(&locked, 0, 8).unwrap(), b"DBLSEG01");
    let tail = a.len() as u64 - 10;
    assert_eq!(
        store.get_range(&locked, tail, 100).unwrap(),
        a[tail as usize..]
    );
    assert!(store
        .get_range(&locked, a.len() as u64 + 5, 10)
        .unwrap()
        .is_empty());

    // Listing by prefix: the day's two blobs, in key order, with their sizes.
    let listed = store.list(&format!("{day}/")).unwrap();
    let got: Vec<(&str, u64)> = listed.iter().map(|b| (b.key.as_str(), b.size)).collect();
    assert_eq!(
        got,
        vec![(locked.as_str(), a.len() as u64), (free.as_str(), 1000)]
    );
    assert_eq!(store.list("segments/").unwrap().len(), 3);
    assert!(store.list("segments/无此网/").unwrap().is_empty());

    // Overwrite is refused and the first bytes stay.
    match store.put(&locked, b"forged", None) {
        Err(Error::AlreadyExists { key }) => assert_eq!(key, locked),
        other => panic!("overwrite of {locked} not refused: {other:?}"),
    }
    assert_eq!(store.get(&locked).unwrap(), a);

    // Retention: the retained blob carries a date no earlier than asked; the other none.
    let r = store
        .retention(&locked)
        .unwrap()
        .expect("no retention on a retained put");
    assert_eq!(r.mode, expect_mode);
    assert!(r.retain_until >= until, "{} < {until}", r.retain_until);
    assert_eq!(store.retention(&free).unwrap(), None);

    // Retention only grows: a later date is taken, an earlier one refused.
    let later = until
        .checked_add(jiff::SignedDuration::from_hours(24 * 31))
        .unwrap();
    store.extend_retention(&locked, later).unwrap();
    let r2 = store.retention(&locked).unwrap().unwrap();
    assert!(r2.retain_until >= later && r2.mode == expect_mode, "{r2:?}");
    assert!(matches!(
        store.extend_retention(&locked, until),
        Err(Error::Locked { .. })
    ));
    assert!(store.retention(&locked).unwrap().unwrap().retain_until >= later);

    // Early delete refused; the blob is still whole.
    match store.delete(&locked) {
        Err(Error::Locked { key, .. }) => assert_eq!(key, locked),
        other => panic!("early delete of {locked} not refused: {other:?}"),
    }
    assert_eq!(store.get(&locked).unwrap(), a);

    // A blob without retention goes away, and then is gone for every call.
    store.delete(&free).unwrap();
    assert!(matches!(store.get(&free), Err(Error::NotFound { .. })));
    assert!(matches!(store.delete(&free), Err(Error::NotFound { .. })));
    assert!(matches!(
        store.get_range(&free, 0, 10),
        Err(Error::NotFound { .. })
    ));
    let keys: Vec<String> = store
        .list("segments/")
        .unwrap()
        .into_iter()
        .map(|b| b.key)
        .collect();
    assert_eq!(keys, vec![locked.clone(), other.to_string()]);

    // Keys that would escape or be ambiguous are refused before any I/O.
    for bad in ["../x.seg", "segments//x.seg", "/abs.seg", "a b.seg"] {
        assert!(
            matches!(store.put(bad, b"x", None), Err(Error::BadKey { .. })),
            "{bad}"
        );
    }
}

/// Eight writers put the same new key at once: exactly one wins, the others are told the
/// blob exists, and the stored bytes are the winner's.
pub fn blob_put_race(store: &(dyn BlobStore + Sync)) {
    let key = "segments/办公网/2026-11-22/000000000009.seg";
    let results: Vec<(u32, bool)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8u32)
            .map(|i| {
                s.spawn(
                    move || match store.put(key, &segment_bytes(100 + i), None) {
                        Ok(()) => (i, true),
                        Err(Error::AlreadyExists { .. }) => (i, false),
                        Err(e) => panic!("put: {e}"),
                    },
                )
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let winners: Vec<u32> = results.iter().filter(|r| r.1).map(|r| r.0).collect();
    assert_eq!(winners.len(), 1, "winners: {winners:?}");
    assert_eq!(store.get(key).unwrap(), segment_bytes(100 + winners[0]));
}

/// A catalog line the way the log store writes one: JSON with `sig` and `prev_sig`.
pub fn line(node: &str, n: usize, prev: Option<&str>) -> (String, String) {
    let sig = format!("{node}-{n}-{}", super::unique());
    let line = serde_json::json!({
        "seq": n, "prev_sig": prev.unwrap_or(""), "sig": sig, "node": node,
    })
    .to_string();
    (line, sig)
}

fn sig_of(line: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    v["sig"].as_str().unwrap().to_string()
}

/// What every catalog must do. `reopen` gives a second handle on the same storage (a
/// restarted process, or another node).
pub fn catalog(cat: &dyn Catalog, reopen: &dyn Fn() -> Box<dyn Catalog>) {
    assert!(cat.read_all().unwrap().is_empty());
    let (l0, s0) = line("a", 0, None);
    assert_eq!(cat.append(None, &l0).unwrap(), 0);

    // Appending on a head that is not the latest is a conflict, whatever was expected.
    let (l1, s1) = line("a", 1, Some(&s0));
    assert!(matches!(cat.append(None, &l1), Err(Error::Conflict { .. })));
    assert!(matches!(
        cat.append(Some("not-the-head"), &l1),
        Err(Error::Conflict { .. })
    ));
    assert_eq!(cat.append(Some(&s0), &l1).unwrap(), 1);
    assert!(matches!(
        cat.append(Some(&s0), &l1),
        Err(Error::Conflict { .. })
    ));

    // Lines that are not one JSON object with a `sig` are refused.
    for bad in [
        "not json",
        "{\"prev_sig\":\"x\"}",
        "{\"sig\":\"a\"}\n{\"sig\":\"b\"}",
    ] {
        assert!(
            matches!(cat.append(Some(&s1), bad), Err(Error::BadLine(_))),
            "{bad}"
        );
    }

    let all = cat.read_all().unwrap();
    let got: Vec<(u64, &str)> = all.iter().map(|e| (e.seq, e.line.as_str())).collect();
    assert_eq!(got, vec![(0, l0.as_str()), (1, l1.as_str())]);
    let since: Vec<String> = cat
        .read_since(1)
        .unwrap()
        .into_iter()
        .map(|e| e.line)
        .collect();
    assert_eq!(since, vec![l1.clone()]);
    assert!(cat.read_since(7).unwrap().is_empty());

    // Another handle sees the same chain, and a stale node gets a conflict, rereads, retries.
    let other = reopen();
    assert_eq!(other.read_all().unwrap(), all);
    let (l2, s2) = line("a", 2, Some(&s1));
    let (l2b, _) = line("b", 2, Some(&s1));
    assert_eq!(cat.append(Some(&s1), &l2).unwrap(), 2);
    assert!(matches!(
        other.append(Some(&s1), &l2b),
        Err(Error::Conflict { .. })
    ));
    let head = sig_of(&other.read_all().unwrap().last().unwrap().line);
    assert_eq!(head, s2);
    let (l3, _) = line("b", 3, Some(&head));
    assert_eq!(other.append(Some(&head), &l3).unwrap(), 3);
    assert_eq!(cat.read_all().unwrap().len(), 4);
}

/// Two nodes (two handles, several threads each) append as fast as they can, each retrying
/// on conflict: the chain stays linear — every line's `prev_sig` is the line before it —
/// and nothing is lost or duplicated.
pub fn catalog_race(make: &dyn Fn() -> Box<dyn Catalog>) {
    const THREADS_PER_NODE: usize = 2;
    const EACH: usize = 15;
    let nodes: Vec<Arc<dyn Catalog>> = vec![Arc::from(make()), Arc::from(make())];
    let start = Arc::new(Barrier::new(nodes.len() * THREADS_PER_NODE));
    let mut handles = Vec::new();
    for (n, node) in nodes.iter().enumerate() {
        for t in 0..THREADS_PER_NODE {
            let node = Arc::clone(node);
            let start = Arc::clone(&start);
            handles.push(std::thread::spawn(move || {
                start.wait();
                let mut conflicts = 0;
                let mut mine = Vec::new();
                for i in 0..EACH {
                    loop {
                        let head = node.read_all().unwrap().last().map(|e| sig_of(&e.line));
                        let (l, sig) = line(&format!("n{n}t{t}"), i, head.as_deref());
                        match node.append(head.as_deref(), &l) {
                            Ok(_) => {
                                mine.push(sig);
                                break;
                            }
                            Err(Error::Conflict { .. }) => conflicts += 1,
                            Err(e) => panic!("append: {e}"),
                        }
                    }
                }
                (mine, conflicts)
            }));
        }
    }
    let mut written = Vec::new();
    let mut total_conflicts = 0;
    for h in handles {
        let (mine, conflicts) = h.join().unwrap();
        written.extend(mine);
        total_conflicts += conflicts;
    }
    println!(
        "{} appends, {total_conflicts} conflicts retried",
        written.len()
    );
    let all = nodes[0].read_all().unwrap();
    assert_eq!(all.len(), nodes.len() * THREADS_PER_NODE * EACH);
    let mut prev = String::new();
    for (i, e) in all.iter().enumerate() {
        assert_eq!(e.seq, i as u64);
        let v: serde_json::Value = serde_json::from_str(&e.line).unwrap();
        assert_eq!(v["prev_sig"].as_str().unwrap(), prev, "fork at seq {i}");
        prev = v["sig"].as_str().unwrap().to_string();
    }
    let mut chain: Vec<String> = all.iter().map(|e| sig_of(&e.line)).collect();
    chain.sort();
    written.sort();
    assert_eq!(
        chain, written,
        "an acknowledged append is missing or doubled"
    );
}
