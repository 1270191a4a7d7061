//! Persistence through sqlx (SQLite by default, PostgreSQL when configured) and the hash-chained append-only audit log.
