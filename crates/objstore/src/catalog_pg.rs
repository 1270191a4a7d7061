//! The catalog as a PostgreSQL table shared by every node:
//!
//! ```sql
//! CREATE TABLE <table> (seq bigint PRIMARY KEY, prev_sig text UNIQUE, sig text NOT NULL UNIQUE,
//!                       line text NOT NULL, appended_at timestamptz NOT NULL DEFAULT now())
//! ```
//!
//! An append is one statement that inserts `head.seq + 1` only when the head's `sig` is the
//! one the caller saw. Two nodes racing on the same head both compute the same `seq`; the
//! primary key lets one commit and the other fail with a unique violation, which is reported
//! as `Error::Conflict`. `prev_sig UNIQUE` keeps the chain from forking even across seq
//! gaps, and a trigger refuses UPDATE and DELETE: the table only grows.

use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::Row;

use crate::{line_sig, Catalog, CatalogEntry, Error, Result};

/// The catalog in a PostgreSQL table.
pub struct Postgres {
    rt: tokio::runtime::Runtime,
    pool: PgPool,
    table: String,
}

impl std::fmt::Debug for Postgres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// `name` or `schema.name`, lower-case identifiers, so it can be spliced into SQL.
fn check_table(table: &str) -> Result<()> {
    let ok_ident = |s: &str| {
        !s.is_empty()
            && s.len() <= 48
            && s.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    let parts: Vec<&str> = table.split('.').collect();
    if parts.len() <= 2 && parts.iter().all(|p| ok_ident(p)) {
        Ok(())
    } else {
        Err(Error::Config {
            field: "postgres.table".into(),
            why: format!("{table:?}: use `name` or `schema.name` of a-z, 0-9, _"),
        })
    }
}

impl Postgres {
    /// Connect to `url` and create `table` (and its schema) when missing.
    pub fn connect(url: &str, table: &str) -> Result<Self> {
        check_table(table)?;
        let db = |source| Error::Db {
            table: table.to_string(),
            source,
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Io {
                path: "tokio runtime".into(),
                source: e,
            })?;
        let pool = rt
            .block_on(
                PgPoolOptions::new()
                    .max_connections(2)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect(url),
            )
            .map_err(db)?;
        let pg = Postgres {
            rt,
            pool,
            table: table.to_string(),
        };
        pg.migrate().map_err(db)?;
        Ok(pg)
    }

    fn migrate(&self) -> std::result::Result<(), sqlx::Error> {
        let t = &self.table;
        let trigger_fn = format!("{}_append_only", t);
        let mut stmts = Vec::new();
        if let Some((schema, _)) = t.split_once('.') {
            stmts.push(format!("CREATE SCHEMA IF NOT EXISTS {schema}"));
        }
        stmts.push(format!(
            "CREATE TABLE IF NOT EXISTS {t} (
                seq bigint PRIMARY KEY CHECK (seq >= 0),
                prev_sig text UNIQUE,
                sig text NOT NULL UNIQUE,
                line text NOT NULL,
                appended_at timestamptz NOT NULL DEFAULT now())"
        ));
        stmts.push(format!(
            "CREATE OR REPLACE FUNCTION {trigger_fn}() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN RAISE EXCEPTION 'the log catalog is append-only'; END $$"
        ));
        let trigger = t.rsplit('.').next().unwrap_or(t);
        stmts.push(format!(
            "CREATE OR REPLACE TRIGGER {trigger}_append_only BEFORE UPDATE OR DELETE ON {t}
             FOR EACH ROW EXECUTE FUNCTION {trigger_fn}()"
        ));
        self.rt.block_on(async {
            let mut conn = self.pool.acquire().await?;
            // Several nodes may start at once: serialise the DDL.
            sqlx::query("SELECT pg_advisory_lock(hashtext($1))")
                .bind(t)
                .execute(&mut *conn)
                .await?;
            let mut result = Ok(());
            for s in &stmts {
                if let Err(e) = sqlx::query(s).execute(&mut *conn).await {
                    result = Err(e);
                    break;
                }
            }
            sqlx::query("SELECT pg_advisory_unlock(hashtext($1))")
                .bind(t)
                .execute(&mut *conn)
                .await?;
            result
        })
    }

    fn db(&self, source: sqlx::Error) -> Error {
        Error::Db {
            table: self.table.clone(),
            source,
        }
    }

    fn head_sig(&self) -> Result<Option<String>> {
        let q = format!("SELECT sig FROM {} ORDER BY seq DESC LIMIT 1", self.table);
        let row = self
            .rt
            .block_on(sqlx::query(&q).fetch_optional(&self.pool))
            .map_err(|e| self.db(e))?;
        Ok(row.map(|r| r.get::<String, _>(0)))
    }
}

impl Catalog for Postgres {
    fn append(&self, expected_prev_sig: Option<&str>, line: &str) -> Result<u64> {
        let sig = line_sig(line)?;
        let t = &self.table;
        let q = format!(
            "WITH head AS (SELECT seq, sig FROM {t} ORDER BY seq DESC LIMIT 1)
             INSERT INTO {t} (seq, prev_sig, sig, line)
             SELECT COALESCE((SELECT seq FROM head) + 1, 0), $1, $2, $3
             WHERE (SELECT sig FROM head) IS NOT DISTINCT FROM $1
             RETURNING seq"
        );
        let res = self.rt.block_on(
            sqlx::query(&q)
                .bind(expected_prev_sig)
                .bind(&sig)
                .bind(line)
                .fetch_optional(&self.pool),
        );
        let conflict = |this: &Self| -> Result<u64> {
            Err(Error::Conflict {
                expected: expected_prev_sig.unwrap_or("-").to_string(),
                actual: this.head_sig()?.unwrap_or_else(|| "-".into()),
            })
        };
        match res {
            Ok(Some(row)) => {
                let seq: i64 = row.get(0);
                Ok(u64::try_from(seq).unwrap_or_default())
            }
            Ok(None) => conflict(self),
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("23505") => conflict(self),
            Err(e) => Err(self.db(e)),
        }
    }

    fn read_since(&self, from: u64) -> Result<Vec<CatalogEntry>> {
        let q = format!(
            "SELECT seq, line FROM {} WHERE seq >= $1 ORDER BY seq",
            self.table
        );
        let from = i64::try_from(from).unwrap_or(i64::MAX);
        let rows = self
            .rt
            .block_on(sqlx::query(&q).bind(from).fetch_all(&self.pool))
            .map_err(|e| self.db(e))?;
        let mut out = Vec::with_capacity(rows.len());
        for (i, r) in rows.iter().enumerate() {
            let seq: i64 = r.get(0);
            let expected = from.saturating_add(i as i64);
            if seq != expected {
                return Err(Error::Corrupt {
                    where_: format!("{} seq {expected}", self.table),
                    why: format!("missing; next row is seq {seq}"),
                });
            }
            out.push(CatalogEntry {
                seq: seq as u64,
                line: r.get(1),
            });
        }
        Ok(out)
    }

    fn describe(&self) -> String {
        format!("postgres table {}", self.table)
    }
}

#[cfg(test)]
mod tests {
    use super::check_table;

    #[test]
    fn table_names_are_plain_identifiers() {
        assert!(check_table("dengbao_log_catalog").is_ok());
        assert!(check_table("logs.catalog").is_ok());
        for t in ["", "a.b.c", "Cat", "x;drop table y", "1abc"] {
            assert!(check_table(t).is_err(), "{t:?} accepted");
        }
    }
}
