//! Errors of the listeners. Messages name the file, address or field, in English and Chinese.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {msg}")]
    Config { path: PathBuf, msg: String },
    #[error("{what}: {source} / 读写错误")]
    Io {
        what: String,
        source: std::io::Error,
    },
    #[error("cannot listen on {addr} ({what}): {source} / 无法监听")]
    Bind {
        what: &'static str,
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("TLS: {0}")]
    Tls(String),
    #[error("the log writer stopped / 日志写入线程已停止")]
    WriterGone,
    #[error(transparent)]
    Store(#[from] dengbao_logstore::Error),
}

pub type Result<T> = std::result::Result<T, Error>;
