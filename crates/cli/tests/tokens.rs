//! `dengbao tokens`: an API token issued from the shell with an expiry, listed, revoked; a
//! bad expiry refused naming the flag (exit 2).

mod common;

use std::path::Path;
use std::process::Command;

fn dengbao(data_dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dengbao"))
        .env("DENGBAO_DATA", data_dir)
        .env_remove("DENGBAO_DATABASE_URL")
        .arg("--lang")
        .arg("en")
        .arg("tokens")
        .args(args)
        .output()
        .expect("run dengbao");
    common::outcome(out)
}

#[test]
fn a_token_is_issued_with_an_expiry_listed_and_revoked() {
    let dir = tempfile::tempdir().unwrap();
    // A user to issue tokens for, made through the store as the API would.
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = dengbao_store::Store::open_sqlite(dir.path()).await.unwrap();
        store
            .create_user(
                "test",
                dengbao_store::users::NewUser {
                    name: "backup".into(),
                    role: dengbao_store::Role::Auditor,
                    orgs: vec![],
                },
            )
            .await
            .unwrap();
        store.close().await;
    });
    let in_a_month = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(720)).to_string();
    let (code, out, err) = dengbao(
        dir.path(),
        &[
            "create",
            "--user",
            "backup",
            "--label",
            "nightly",
            "--expires",
            &in_a_month,
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.trim().starts_with("dbk_"), "{out}");
    assert!(err.contains("expires at"), "{err}");
    let (code, listed, _) = dengbao(dir.path(), &["list", "--json"]);
    assert_eq!(code, 0);
    let list: serde_json::Value = serde_json::from_str(&listed).unwrap();
    let t = &list[0];
    assert_eq!(
        (t["label"].as_str(), t["state"].as_str()),
        (Some("nightly"), Some("active"))
    );
    assert!(t["expires_at"].as_str().is_some());
    assert!(!listed.contains(out.trim()), "the secret is never listed");
    let id = t["id"].as_str().unwrap().to_string();
    let (code, out, _) = dengbao(dir.path(), &["revoke", &id]);
    assert_eq!(code, 0);
    assert!(out.contains("revoked"));
    let (_, listed, _) = dengbao(dir.path(), &["list"]);
    assert!(listed.contains("revoked"), "{listed}");
    let (code, _, err) = dengbao(dir.path(), &["create", "--user", "nobody"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--user"), "{err}");
    for bad in ["2020-01-01", "next week"] {
        let (code, _, err) = dengbao(
            dir.path(),
            &["create", "--user", "nobody", "--expires", bad],
        );
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("--expires"), "{bad}: {err}");
    }
}

#[test]
fn a_token_lists_when_it_was_last_used() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let user = rt.block_on(async {
        let store = dengbao_store::Store::open_sqlite(dir.path()).await.unwrap();
        let u = store
            .create_user(
                "test",
                dengbao_store::users::NewUser {
                    name: "backup".into(),
                    role: dengbao_store::Role::Auditor,
                    orgs: vec![],
                },
            )
            .await
            .unwrap();
        store.close().await;
        u
    });
    let _ = user;
    let (code, secret, err) = dengbao(dir.path(), &["create", "--user", "backup"]);
    assert_eq!(code, 0, "{err}");
    let (_, listed, _) = dengbao(dir.path(), &["list", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&listed).unwrap();
    assert!(list[0]["last_used"].is_null(), "{listed}");
    let (_, text, _) = dengbao(dir.path(), &["list"]);
    assert!(text.contains("not used"), "{text}");

    // The token is used (as the API would on a request).
    rt.block_on(async {
        let store = dengbao_store::Store::open_sqlite(dir.path()).await.unwrap();
        assert!(store.authenticate(secret.trim()).await.unwrap().is_some());
        store.close().await;
    });
    let (_, listed, _) = dengbao(dir.path(), &["list", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&listed).unwrap();
    let used: jiff::Timestamp = list[0]["last_used"].as_str().unwrap().parse().unwrap();
    assert!(jiff::Timestamp::now().duration_since(used).as_secs().abs() < 300);
    let (_, text, _) = dengbao(dir.path(), &["list"]);
    assert!(text.contains("last used 20"), "{text}");
    let out = Command::new(env!("CARGO_BIN_EXE_dengbao"))
        .env("DENGBAO_DATA", dir.path())
        .env_remove("DENGBAO_DATABASE_URL")
        .env_remove("DENGBAO_LANG")
        .args(["tokens", "list"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("最近使用 20"));
}
