//! The store's one error type. Messages name the field or the row a user can act on.

/// What can go wrong when reading or writing the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The caller's input cannot be stored; the message names the field. Nothing was written.
    #[error("invalid {field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    /// No such row (or the caller may not know it exists).
    #[error("{what} not found (不存在): {id}")]
    NotFound { what: &'static str, id: String },
    /// A uniqueness rule would be broken, e.g. a second organisation with the same name.
    #[error("{what} already exists (已存在): {value}")]
    Conflict { what: &'static str, value: String },
    /// The database URL is not one dengbao can use.
    #[error("unsupported database URL (不支持的数据库地址) {0:?}: use postgres://… or leave it unset for SQLite under --data-dir")]
    UnsupportedUrl(String),
    #[error("database error")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("file {path}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A stored row does not decode: the database was changed outside dengbao.
    #[error("stored {table} row {id} is corrupt: {message}")]
    Corrupt {
        table: &'static str,
        id: String,
        message: String,
    },
    #[error("password hashing failed: {0}")]
    Hash(String),
}

impl StoreError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> StoreError {
        StoreError::Invalid {
            field,
            message: message.into(),
        }
    }

    pub fn not_found(what: &'static str, id: impl Into<String>) -> StoreError {
        StoreError::NotFound {
            what,
            id: id.into(),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
