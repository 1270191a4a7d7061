//! Shared by the objstore tests: real backends from the environment (a SKIP line when a
//! server is not configured) and the conformance bodies every backend must pass.
#![allow(dead_code)] // each test binary uses part of it

pub mod conformance;

use dengbao_objstore::{LockMode, Postgres, S3Config, S3};

/// A short random hex string, so parallel tests and reruns never share a bucket or table.
pub fn unique() -> String {
    let mut b = [0u8; 6];
    getrandom::fill(&mut b).unwrap();
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The shared test bucket. Tests share one bucket (each under a key prefix of its own):
/// SeaweedFS gives every bucket its own volumes, and `weed mini` has a few hundred.
pub const TEST_BUCKET: &str = "dengbao-objstore-test";

/// The S3 endpoint under test (`DENGBAO_TEST_S3_ENDPOINT`), or `None` after printing SKIP.
/// The config names [`TEST_BUCKET`] and a fresh key prefix.
pub fn s3_config(test: &str) -> Option<S3Config> {
    let Ok(endpoint) = std::env::var("DENGBAO_TEST_S3_ENDPOINT") else {
        let why =
            "DENGBAO_TEST_S3_ENDPOINT is not set (e.g. http://127.0.0.1:8333 from `weed mini`)";
        // scripts/test.sh starts SeaweedFS and sets DENGBAO_TEST_REQUIRE_TOOLS: there a
        // missing endpoint is a broken set-up, not a reason to pass.
        assert!(
            std::env::var("DENGBAO_TEST_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "{test}: DENGBAO_TEST_REQUIRE_TOOLS=1 but {why}"
        );
        println!("SKIP {test}: {why}");
        return None;
    };
    Some(S3Config {
        endpoint,
        region: "us-east-1".into(),
        bucket: TEST_BUCKET.into(),
        prefix: format!("t-{}", unique()),
        access_key: std::env::var("DENGBAO_TEST_S3_ACCESS_KEY").ok(),
        secret_key: std::env::var("DENGBAO_TEST_S3_SECRET_KEY").ok(),
        lock_mode: LockMode::Compliance,
    })
}

/// The test bucket (Object Lock enabled) under a fresh prefix, or `None` (SKIP printed).
pub fn s3_bucket(test: &str) -> Option<S3> {
    let cfg = s3_config(test)?;
    let s3 = S3::new(&cfg).unwrap();
    s3.create_bucket().unwrap();
    Some(s3)
}

/// `DENGBAO_TEST_POSTGRES_URL`, or `None` after printing SKIP.
pub fn postgres_url(test: &str) -> Option<String> {
    let url = std::env::var("DENGBAO_TEST_POSTGRES_URL").ok();
    if url.is_none() {
        println!("SKIP {test}: DENGBAO_TEST_POSTGRES_URL is not set (scripts/test.sh sets it)");
    }
    url
}

/// A catalog table in a schema of its own (tests never share one).
pub fn postgres_table() -> String {
    format!("objstore_test_{}.catalog", unique())
}

pub fn postgres(url: &str, table: &str) -> Postgres {
    Postgres::connect(url, table).unwrap()
}
