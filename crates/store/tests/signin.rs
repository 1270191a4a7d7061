//! Sign-in limits that hold under attack (decision 0922): parallel guesses cannot race past
//! the per-address limit, an attacker's address cannot lock the real user out, and one
//! address guessing many names is stopped.

use dengbao_store::sessions::{SignIn, SIGNIN_LIMIT, SIGNIN_SOURCE_LIMIT};
use dengbao_store::users::NewUser;
use dengbao_store::{Role, Store};

const PASSWORD: &str = "correct horse battery staple";

async fn store_with_admin() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open_sqlite(dir.path()).await.expect("store");
    let u = store
        .create_user(
            "test",
            NewUser {
                name: "管理员".into(),
                role: Role::Administrator,
                orgs: vec![],
            },
        )
        .await
        .expect("user");
    store
        .set_password("test", &u.id, PASSWORD)
        .await
        .expect("password");
    (dir, store)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_guesses_are_evaluated_no_more_than_the_limit_and_the_owner_still_signs_in() {
    let (_dir, store) = store_with_admin().await;
    let attempts: Vec<_> = (0..40)
        .map(|i| {
            let s = store.clone();
            tokio::spawn(async move {
                s.sign_in("管理员", &format!("guess {i}"), "203.0.113.9")
                    .await
            })
        })
        .collect();
    let (mut wrong, mut limited) = (0, 0);
    for a in attempts {
        match a.await.expect("task").expect("sign-in") {
            SignIn::Wrong => wrong += 1,
            SignIn::Limited { .. } => limited += 1,
            SignIn::Ok { .. } => panic!("a guess signed in"),
        }
    }
    assert_eq!(wrong, SIGNIN_LIMIT, "evaluated guesses");
    assert_eq!(limited, 40 - SIGNIN_LIMIT);
    // The attacker's address is stopped, the account is not: its owner signs in from elsewhere.
    assert!(matches!(
        store
            .sign_in("管理员", PASSWORD, "198.51.100.7")
            .await
            .expect("sign-in"),
        SignIn::Ok { .. }
    ));
    assert!(matches!(
        store
            .sign_in("管理员", PASSWORD, "203.0.113.9")
            .await
            .expect("sign-in"),
        SignIn::Limited { .. }
    ));
}

#[tokio::test]
async fn one_address_guessing_many_names_is_stopped() {
    let (_dir, store) = store_with_admin().await;
    for i in 0..SIGNIN_SOURCE_LIMIT {
        let r = store
            .sign_in(&format!("user{i}"), "guess", "192.0.2.44")
            .await
            .expect("sign-in");
        assert!(matches!(r, SignIn::Wrong), "attempt {i}");
    }
    let r = store
        .sign_in("someone-else", "guess", "192.0.2.44")
        .await
        .expect("sign-in");
    assert!(matches!(r, SignIn::Limited { .. }));
    // Another address is not affected.
    let r = store
        .sign_in("管理员", PASSWORD, "192.0.2.45")
        .await
        .expect("sign-in");
    assert!(matches!(r, SignIn::Ok { .. }));
}

/// A reset password means the old one may be known: the user's API tokens stop working.
#[tokio::test]
async fn a_password_reset_revokes_the_users_tokens() {
    let (_dir, store) = store_with_admin().await;
    let admin = store
        .list_users()
        .await
        .expect("users")
        .into_iter()
        .find(|u| u.name == "管理员")
        .expect("the administrator");
    let token = store
        .create_token("test", &admin.id, "脚本")
        .await
        .expect("token");
    assert!(store
        .authenticate(&token.token)
        .await
        .expect("lookup")
        .is_some());
    store
        .set_password("test", &admin.id, "another long pass phrase")
        .await
        .expect("reset");
    assert!(store
        .authenticate(&token.token)
        .await
        .expect("lookup")
        .is_none());
}
