//! One error type for both traits; messages name the key, table or field (English and
//! Chinese where a user sees them).

use jiff::Timestamp;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{key}: no such blob / 对象不存在")]
    NotFound { key: String },
    #[error("{key}: a blob with this key already exists; blobs are never overwritten / 对象已存在，不可覆盖")]
    AlreadyExists { key: String },
    #[error("{key}: retained until {until}; the storage refuses to delete it earlier / 保留期内，存储拒绝删除")]
    Locked { key: String, until: String },
    #[error("catalog: another node appended first (expected previous sig {expected}, head is {actual}); read again and retry / 目录已被其他节点追加")]
    Conflict { expected: String, actual: String },
    #[error("invalid key {key:?}: {why} / 对象键无效")]
    BadKey { key: String, why: String },
    #[error("catalog line: {0}")]
    BadLine(String),
    #[error("storage configuration: {field}: {why} / 存储配置错误")]
    Config { field: String, why: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("s3 {op} {key}: HTTP {status} {code}: {message}")]
    S3 {
        op: &'static str,
        key: String,
        status: u16,
        code: String,
        message: String,
    },
    #[error("s3 {op} {key}: {source}")]
    Http {
        op: &'static str,
        key: String,
        #[source]
        source: Box<ureq::Error>,
    },
    #[error("postgres catalog {table}: {source}")]
    Db {
        table: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("catalog {where_}: {why} / 目录损坏")]
    Corrupt { where_: String, why: String },
}

impl Error {
    pub(crate) fn locked(key: &str, until: Timestamp) -> Self {
        Error::Locked {
            key: key.to_string(),
            until: until.to_string(),
        }
    }
}

/// Attach a path to an I/O error.
pub(crate) trait At<T> {
    fn at(self, path: &std::path::Path) -> Result<T>;
}

impl<T> At<T> for std::io::Result<T> {
    fn at(self, path: &std::path::Path) -> Result<T> {
        self.map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })
    }
}
