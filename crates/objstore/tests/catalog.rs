//! The catalog conformance suite on the local file and on a real PostgreSQL, and two
//! "nodes" appending at once.

mod common;

use common::conformance;
use dengbao_objstore::{Catalog, LocalFile};

#[test]
fn local_file_passes_the_catalog_suite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("checkpoints.log");
    let cat = LocalFile::new(&path);
    conformance::catalog(&cat, &|| Box::new(LocalFile::new(&path)));
    // Today's format: one line per entry, each ending in a newline.
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().count(), 4);
    assert!(text.ends_with('\n'));
}

#[test]
fn local_file_ignores_and_then_cuts_a_torn_last_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("checkpoints.log");
    let cat = LocalFile::new(&path);
    let (l0, s0) = conformance::line("a", 0, None);
    cat.append(None, &l0).unwrap();
    // A crash mid-append leaves half a line without its newline.
    let (l1, _) = conformance::line("a", 1, Some(&s0));
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(&l1.as_bytes()[..l1.len() / 2]);
    std::fs::write(&path, &bytes).unwrap();
    assert_eq!(cat.read_all().unwrap().len(), 1);
    let (l1, _) = conformance::line("a", 1, Some(&s0));
    assert_eq!(cat.append(Some(&s0), &l1).unwrap(), 1);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!("{l0}\n{l1}\n")
    );
}

#[test]
fn local_file_stays_linear_under_two_writers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("checkpoints.log");
    conformance::catalog_race(&|| Box::new(LocalFile::new(&path)) as Box<dyn Catalog>);
}

#[test]
fn postgres_passes_the_catalog_suite() {
    let Some(url) = common::postgres_url("postgres_passes_the_catalog_suite") else {
        return;
    };
    let table = common::postgres_table();
    let cat = common::postgres(&url, &table);
    conformance::catalog(&cat, &|| Box::new(common::postgres(&url, &table)));
}

#[test]
fn postgres_stays_linear_under_two_nodes() {
    let Some(url) = common::postgres_url("postgres_stays_linear_under_two_nodes") else {
        return;
    };
    let table = common::postgres_table();
    conformance::catalog_race(&|| Box::new(common::postgres(&url, &table)) as Box<dyn Catalog>);
}

#[test]
fn postgres_refuses_to_rewrite_the_catalog() {
    let Some(url) = common::postgres_url("postgres_refuses_to_rewrite_the_catalog") else {
        return;
    };
    let table = common::postgres_table();
    let cat = common::postgres(&url, &table);
    let (l0, _) = conformance::line("a", 0, None);
    cat.append(None, &l0).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        for sql in [
            format!("UPDATE {table} SET line = '{{\"sig\":\"forged\"}}'"),
            format!("DELETE FROM {table}"),
        ] {
            let e = sqlx::query(&sql).execute(&pool).await.unwrap_err();
            assert!(e.to_string().contains("append-only"), "{sql}: {e}");
        }
    });
    assert_eq!(cat.read_all().unwrap()[0].line, l0);
}
