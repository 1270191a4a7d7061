//! Scale-out mode (docs/logs-scale-out.md): the store's own flow — ingest → seal → search →
//! verify → delete refused inside the floor — with segments on a real S3 server with Object
//! Lock (SeaweedFS in CI) and the checkpoint chain in a real PostgreSQL, shared by two
//! nodes. Prints SKIP and passes when `DENGBAO_TEST_S3_ENDPOINT` or
//! `DENGBAO_TEST_POSTGRES_URL` is not set (scripts/test.sh sets both).

mod common;

use std::path::Path;

use dengbao_logstore::{crypto::Suite, ingest, verify::verify, Error, Format, OpenOptions, Store};
use dengbao_objstore::{BlobStore, Catalog, LockMode, S3Config, S3};

struct Shared {
    s3: S3Config,
    pg_url: String,
    table: String,
}

fn unique() -> String {
    let mut b = [0u8; 6];
    getrandom::fill(&mut b).unwrap();
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn shared(test: &str) -> Option<Shared> {
    let (Ok(endpoint), Ok(pg_url)) = (
        std::env::var("DENGBAO_TEST_S3_ENDPOINT"),
        std::env::var("DENGBAO_TEST_POSTGRES_URL"),
    ) else {
        let why = "DENGBAO_TEST_S3_ENDPOINT and DENGBAO_TEST_POSTGRES_URL are needed";
        assert!(
            std::env::var("DENGBAO_TEST_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "{test}: DENGBAO_TEST_REQUIRE_TOOLS=1 but {why}"
        );
        println!("SKIP {test}: {why}");
        return None;
    };
    let s3 = S3Config {
        endpoint,
        region: "us-east-1".into(),
        // One bucket for every run (SeaweedFS gives each bucket volumes of its own), a
        // key prefix per test.
        bucket: "dengbao-logstore-test".into(),
        prefix: format!("t-{}", unique()),
        access_key: std::env::var("DENGBAO_TEST_S3_ACCESS_KEY").ok(),
        secret_key: std::env::var("DENGBAO_TEST_S3_SECRET_KEY").ok(),
        lock_mode: LockMode::Compliance,
    };
    S3::new(&s3).unwrap().create_bucket().unwrap();
    Some(Shared {
        s3,
        pg_url,
        table: format!("logstore_test_{}.catalog", unique()),
    })
}

/// A node: a data dir whose `storage.toml` points at the shared bucket and table.
fn node(root: &Path, name: &str, sh: &Shared) -> std::path::PathBuf {
    let dir = root.join(name).join("logs");
    std::fs::create_dir_all(&dir).unwrap();
    let toml = format!(
        "[blobs]\nkind = \"s3\"\nendpoint = \"{}\"\nbucket = \"{}\"\nprefix = \"{}\"\naccess_key = \"{}\"\nsecret_key = \"{}\"\n\n\
         [catalog]\nkind = \"postgres\"\nurl = \"{}\"\ntable = \"{}\"\n",
        sh.s3.endpoint,
        sh.s3.bucket,
        sh.s3.prefix,
        sh.s3.access_key.clone().unwrap_or_default(),
        sh.s3.secret_key.clone().unwrap_or_default(),
        sh.pg_url,
        sh.table
    );
    std::fs::write(dir.join("storage.toml"), toml).unwrap();
    dir
}

fn open_write(dir: &Path, now: &str) -> Result<Store, Error> {
    Store::open_with_test_clock(
        dir,
        OpenOptions {
            suite: Suite::Sm3Sm2,
            now: None,
            write: true,
            head: None,
        },
        common::at(now),
    )
}

const NOW: &str = "2026-11-25T10:00:00+08:00";

#[test]
fn two_nodes_share_one_store_on_s3_and_postgres() {
    let Some(sh) = shared("two_nodes_share_one_store_on_s3_and_postgres") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();

    // The same samples in a purely local store: the answers to compare with.
    let local = common::filled(&tmp.path().join("local"), Suite::Sm3Sm2, NOW, "办公网");

    // Node A ingests and seals.
    let a_dir = node(tmp.path(), "a", &sh);
    let a = common::filled(&a_dir, Suite::Sm3Sm2, NOW, "办公网");
    for q in [
        "sshd",
        "\"Invalid user\"",
        "severity:<=warning",
        "host:web01",
    ] {
        assert_eq!(common::count(&a, q), common::count(&local, q), "{q}");
    }
    assert!(common::count(&a, "sshd") > 0);

    // Every live segment is in the bucket; those whose retention is still running carry
    // COMPLIANCE until their last event + six months; the chain is in PostgreSQL.
    let s3 = S3::new(&sh.s3).unwrap();
    let cat = dengbao_objstore::Postgres::connect(&sh.pg_url, &sh.table).unwrap();
    let now_real = jiff::Timestamp::now();
    let mut locked = 0;
    for e in a.catalog().live.values() {
        let key = format!("segments/{}", e.file);
        let bytes = s3.get(&key).unwrap();
        assert_eq!(
            bytes,
            std::fs::read(a_dir.join("segments").join(&e.file)).unwrap()
        );
        if let Some(r) = s3.retention(&key).unwrap() {
            assert_eq!(r.mode, LockMode::Compliance);
            assert!(r.retain_until > now_real);
            locked += 1;
        }
    }
    assert!(locked > 0, "no segment under Object Lock");
    let lines: Vec<String> = cat
        .read_all()
        .unwrap()
        .into_iter()
        .map(|e| e.line)
        .collect();
    let mirror = std::fs::read_to_string(a_dir.join("checkpoints.log")).unwrap();
    assert_eq!(mirror.lines().collect::<Vec<_>>(), lines);
    let r = verify(&a_dir);
    assert!(r.ok, "{:?}", r.problems);

    // Inside the floor the store refuses, as it does locally.
    let mut a = a;
    let err = a.delete_before(common::at("2026-06-01"), None).unwrap_err();
    assert!(matches!(err, Error::Refused(_)), "{err}");

    // The Cisco day (2026-05-12) is past the floor and its Object Lock date has passed:
    // deleting it removes the blob too. The November days are inside the floor.
    let rep = a
        .delete_before(common::at("2026-05-25T10:00:00+08:00"), Some("办公网"))
        .unwrap();
    assert_eq!(rep.events_removed, 7);
    let gone = &rep.removed[0];
    let keys: Vec<String> = s3
        .list("segments/")
        .unwrap()
        .into_iter()
        .map(|b| b.key)
        .collect();
    assert!(
        !keys.iter().any(|k| k.contains(&format!("{:012}", gone.id))),
        "{keys:?}"
    );

    // Node B starts from nothing but storage.toml and the signing key: it takes the
    // store's identity, the chain and the segments from the shared backends.
    let b_dir = node(tmp.path(), "b", &sh);
    std::fs::create_dir_all(b_dir.join("keys")).unwrap();
    std::fs::copy(
        a_dir.join("keys/signing.key"),
        b_dir.join("keys/signing.key"),
    )
    .unwrap();
    let mut b = open_write(&b_dir, NOW).unwrap();
    assert_eq!(common::count(&b, "sshd"), common::count(&local, "sshd"));
    let r = verify(&b_dir);
    assert!(r.ok, "{:?}", r.problems);

    // B seals new events of another network; A, still holding the old head, cannot
    // append on it (compare-and-swap) — it reopens and sees B's events.
    let f = common::samples_dir().join("linux-auth.log");
    let recs =
        ingest::records_from_file(&f, "生产网", Format::Auto, b.now().as_microsecond()).unwrap();
    b.append(&recs).unwrap();
    b.seal().unwrap();
    let err = a.set_policy("办公网", 12).unwrap_err();
    assert!(err.to_string().contains("another node"), "{err}");
    // A seal on the stale head loses too, and loses nothing: the records wait in A's WAL
    // and are sealed on the new head when A reopens.
    let f = common::samples_dir().join("linux-kernel.log");
    let kernel =
        ingest::records_from_file(&f, "测试网", Format::Auto, a.now().as_microsecond()).unwrap();
    a.append(&kernel).unwrap();
    let err = a.seal().unwrap_err();
    assert!(err.to_string().contains("another node"), "{err}");
    drop(a);
    let mut a = open_write(&a_dir, NOW).unwrap();
    assert_eq!(common::count(&a, "network:生产网"), recs.len() as u64);
    assert_eq!(common::count(&a, "network:测试网"), kernel.len() as u64);
    let r = verify(&a_dir);
    assert!(r.ok, "{:?}", r.problems);
    a.set_policy("办公网", 12).unwrap();
    drop(b);
    let b = open_write(&b_dir, NOW).unwrap();
    assert_eq!(b.policy_months("办公网"), 12);
    // The longer policy moved the bucket's lock on 办公网's November segments a year on.
    let nov = b
        .catalog()
        .live
        .values()
        .find(|e| e.network == "办公网" && e.day == "2026-11-20")
        .unwrap();
    let r = s3
        .retention(&format!("segments/{}", nov.file))
        .unwrap()
        .unwrap();
    assert!(
        r.retain_until > common::at("2027-11-20"),
        "{}",
        r.retain_until
    );

    drop(a);

    // A year on by the store's clock, policy and floor would let the November segments go,
    // but the bucket keeps real time and still holds them: they are kept, not expired.
    let mut a = open_write(&a_dir, "2027-12-01").unwrap();
    let rep = a.expire().unwrap();
    assert!(rep.removed.is_empty(), "{:?}", rep.removed);
    assert!(!rep.kept_by_storage.is_empty());
    for k in &rep.kept_by_storage {
        let e = &a.catalog().live[&k.id];
        let r = s3
            .retention(&format!("segments/{}", e.file))
            .unwrap()
            .unwrap();
        assert!(r.retain_until > jiff::Timestamp::now());
        assert_eq!(
            s3.raw_delete(&format!("segments/{}", e.file), true)
                .unwrap()
                .0,
            403
        );
    }
    drop(a);
    for dir in [&a_dir, &b_dir] {
        let r = verify(dir);
        assert!(r.ok, "{}: {:?}", dir.display(), r.problems);
    }
    // B, reopened, agrees with A on every event.
    drop(b);
    let b = open_write(&b_dir, NOW).unwrap();
    assert_eq!(common::count(&b, "network:测试网"), kernel.len() as u64);
}

/// The chain in PostgreSQL can be cut by whoever writes the database; the head in the
/// bucket, under Object Lock, cannot be taken back, so `verify` names what is missing — here
/// a catalog replaced by an empty one (the store "wiped" on the database side).
#[test]
fn the_head_in_the_bucket_catches_a_wiped_catalog() {
    let Some(sh) = shared("the_head_in_the_bucket_catches_a_wiped_catalog") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let a_dir = node(tmp.path(), "a", &sh);
    let mut a = common::filled(&a_dir, Suite::Sm3Sm2, NOW, "办公网");
    a.set_policy("办公网", 12).unwrap(); // a second checkpoint
    let last = a.catalog().checkpoints.last().unwrap().clone();
    assert_eq!(last.seq, 1);
    drop(a);

    // Each checkpoint's signed line is in the bucket, locked; the newest is the chain's end.
    let s3 = S3::new(&sh.s3).unwrap();
    let heads: Vec<String> = s3
        .list("log-head/")
        .unwrap()
        .into_iter()
        .map(|b| b.key)
        .collect();
    let newest = heads.iter().max().unwrap();
    assert_eq!(newest, &format!("log-head/{:020}.json", last.seq));
    let chain = std::fs::read_to_string(a_dir.join("checkpoints.log")).unwrap();
    assert_eq!(
        String::from_utf8(s3.get(newest).unwrap()).unwrap(),
        format!("{}\n", chain.lines().last().unwrap())
    );
    let lock = s3.retention(newest).unwrap().unwrap();
    assert_eq!(lock.mode, LockMode::Compliance);
    assert!(lock.retain_until > jiff::Timestamp::now());
    let r = verify(&a_dir);
    assert!(r.ok, "{:?}", r.problems);

    // A node whose catalog is another, empty table of the same database: to it the chain
    // holds nothing, and the bucket's head says checkpoints #0–#last are missing.
    let wiped = Shared {
        s3: sh.s3.clone(),
        pg_url: sh.pg_url.clone(),
        table: format!("logstore_test_{}.catalog", unique()),
    };
    let c_dir = node(tmp.path(), "c", &wiped);
    let r = verify(&c_dir);
    assert!(!r.ok);
    let said: Vec<String> = r.problems.iter().map(|p| p.to_string()).collect();
    let want = format!("checkpoints #0–#{} are missing", last.seq);
    assert!(said.iter().any(|p| p.contains(&want)), "{said:?}");
    assert!(said.iter().any(|p| p.contains("log-head/")), "{said:?}");
}
