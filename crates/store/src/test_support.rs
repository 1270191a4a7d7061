//! Opening throw-away stores for tests, on either engine. Used by this crate's tests and
//! by the server's and the CLI's; not for production use.

use std::path::Path;

use sqlx::{Connection, Executor};

use crate::{Result, Store};

/// The environment variable the test command sets to a PostgreSQL URL.
pub const POSTGRES_ENV: &str = "DENGBAO_TEST_POSTGRES_URL";

/// A store on PostgreSQL in a schema of its own (so tests can run in parallel on one
/// database), or None when `DENGBAO_TEST_POSTGRES_URL` is unset (the caller says skipped).
pub async fn postgres_store(data_dir: &Path) -> Result<Option<Store>> {
    let Ok(base) = std::env::var(POSTGRES_ENV) else {
        return Ok(None);
    };
    sqlx::any::install_default_drivers();
    let schema = format!("t_{}", crate::secret::random_hex(8)?);
    let mut conn = sqlx::AnyConnection::connect(&base).await?;
    conn.execute(format!("CREATE SCHEMA {schema}").as_str())
        .await?;
    conn.close().await?;
    Ok(Some(
        Store::open_url(&postgres_url_with_schema(&base, &schema), data_dir).await?,
    ))
}

/// `base` with `search_path` set to `schema` for every connection.
pub fn postgres_url_with_schema(base: &str, schema: &str) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-c%20search_path%3D{schema}")
}

/// A store on a fresh SQLite file under `data_dir`.
pub async fn sqlite_store(data_dir: &Path) -> Result<Store> {
    Store::open_sqlite(data_dir).await
}

/// Runs a test body on a fresh store; what [`on_both!`](crate::on_both) expands to.
pub async fn run<F, Fut>(body: F, store: Store)
where
    F: FnOnce(Store) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    body(store).await
}

/// `on_both!(name, |store| async move { … })`: a test module `name` with the body run on
/// SQLite and, when `DENGBAO_TEST_POSTGRES_URL` is set, on PostgreSQL (skipped otherwise).
/// For the store's own tests (they have `tempfile` and `tokio` as dev-dependencies).
#[macro_export]
macro_rules! on_both {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                let dir = tempfile::tempdir().unwrap(); // ok: a test's own setup
                let store = $crate::test_support::sqlite_store(dir.path()).await;
                let store = store.unwrap(); // ok: a test's own setup
                $crate::test_support::run($body, store).await;
            }
            #[tokio::test]
            async fn postgres() {
                let dir = tempfile::tempdir().unwrap(); // ok: a test's own setup
                let store = $crate::test_support::postgres_store(dir.path()).await;
                let store = store.unwrap(); // ok: a test's own setup
                match store {
                    // ok: a test's own setup
                    Some(store) => $crate::test_support::run($body, store).await,
                    None => eprintln!("skipped: DENGBAO_TEST_POSTGRES_URL is not set"),
                }
            }
        }
    };
}
