//! The log centre: ingest, durable storage, tamper evidence, retention floor, search and
//! proof of retention for network logs (网络安全法 第二十一条（三）, 条例 第二十条（五）).
//!
//! Invariant: the raw bytes as received are the evidence and are never rewritten; everything
//! else (parsed fields, the search index) is derived from them and may be rebuilt.

pub mod coverage;
pub mod crypto;
pub mod cursor;
pub mod error;
pub mod merkle;
mod names;
pub mod parse;
pub mod postings;
pub mod query;
pub mod record;

pub use error::{Error, Result};
pub use record::{Format, Record};
pub mod anchor;
mod backend;
pub mod block;
mod catalog;
pub mod checkpoint;
pub mod clock;
pub mod export;
pub mod head;
mod head_blob;
pub mod holdfiles;
pub mod index;
pub mod ingest;
mod matcher;
pub mod ops;
pub mod retention;
pub mod search;
pub mod segment;
pub mod stats;
pub mod store;
#[doc(hidden)]
pub mod testkit;
pub mod tokenize;
pub mod verify;
pub mod wal;

pub use head::HeadKeeper;
pub use store::{OpenOptions, Store};

/// Re-exported so the CLI draws its ingest progress bar without a dependency of its own.
pub use indicatif;
