//! The real server started in-process on 127.0.0.1 for the CLI's remote commands: a
//! level-3 network and an ungraded one of one organisation, both engaged to an assessor
//! with an API token.

use dengbao_store::engagements::EngagementInput;
use dengbao_store::users::{NewUser, Role};
use dengbao_store::Store;
use serde_json::{json, Value};

pub struct Served {
    pub rt: tokio::runtime::Runtime,
    pub store: Store,
    pub url: String,
    pub net: String,
    pub ungraded: String,
    pub token: String,
    _dir: tempfile::TempDir,
}

/// A level-3 network engaged to an assessor with a token, an ungraded one, and the server.
pub fn served() -> Served {
    let dir = tempfile::tempdir().unwrap(); // ok: test setup
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap(); // ok: test setup
    let (store, url, net, ungraded, token) = rt.block_on(async {
        let store = Store::open_sqlite(dir.path()).await.unwrap();
        let org = store
            .create_org(
                "test",
                dengbao_store::orgs::NewOrganisation {
                    name: "甲市电力公司".into(),
                },
            )
            .await
            .unwrap();
        let profile = |v: Value| serde_json::from_value(v).unwrap();
        let net = store
            .create_network(
                "test",
                &org.id,
                profile(json!({"name": "调度系统", "level": 3, "stage": "running"})),
            )
            .await
            .unwrap()
            .id;
        let ungraded = store
            .create_network(
                "test",
                &org.id,
                profile(json!({"name": "门户网站", "stage": "running"})),
            )
            .await
            .unwrap()
            .id;
        let assessor = store
            .create_user(
                "test",
                NewUser {
                    name: "测评机构".into(),
                    role: Role::Assessor,
                    orgs: vec![],
                },
            )
            .await
            .unwrap();
        for n in [&net, &ungraded] {
            store
                .engage(
                    "test",
                    n,
                    EngagementInput {
                        assessor_id: assessor.id.clone(),
                        engaged_on: "2025-06-02".into(),
                    },
                )
                .await
                .unwrap();
        }
        let token = store
            .create_token("test", &assessor.id, "script")
            .await
            .unwrap()
            .token;
        let state = dengbao_server::AppState::new(store.clone(), dir.path()).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(dengbao_console::serve(
            listener,
            state,
            dir.path().join("logs"),
            std::future::pending(),
        ));
        (store, url, net, ungraded, token)
    });
    Served {
        rt,
        store,
        url,
        net,
        ungraded,
        token,
        _dir: dir,
    }
}
