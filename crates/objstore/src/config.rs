//! Which backends a store uses: `<data-dir>/logs/storage.toml`, read in two stages (the
//! raw file, then a checked [`StorageConfig`]). No file means everything local.
//!
//! ```toml
//! [blobs]
//! kind = "s3"                       # or "local" (default)
//! endpoint = "http://127.0.0.1:8333"
//! region = "us-east-1"              # default
//! bucket = "dengbao-logs"
//! prefix = "prod"                   # optional key prefix inside the bucket
//! lock_mode = "compliance"          # or "governance"
//! # access_key / secret_key: here, or env AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
//!
//! [catalog]
//! kind = "postgres"                 # or "local" (default)
//! url = "postgres://dengbao@db/dengbao"   # or env DENGBAO_LOG_CATALOG_URL
//! table = "dengbao_log_catalog"     # default
//! ```

use std::path::Path;

use serde::Deserialize;

use crate::error::At;
use crate::{Blob, Catalog, Error, LocalDir, LocalFile, LockMode, Postgres, Result, S3};

/// Where blobs go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobConfig {
    /// Files under `<logs>/` (keys are relative paths).
    Local,
    S3(S3Config),
}

/// An S3-compatible bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Config {
    pub endpoint: String,
    pub region: String,
    pub bucket: String,
    pub prefix: String,
    pub access_key: Option<String>,
    pub secret_key: Option<String>,
    pub lock_mode: LockMode,
}

/// Where the catalog goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogConfig {
    /// `<logs>/checkpoints.log`.
    Local,
    Postgres {
        url: String,
        table: String,
    },
}

/// The checked configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageConfig {
    pub blobs: BlobConfig,
    pub catalog: CatalogConfig,
}

impl Default for StorageConfig {
    fn default() -> Self {
        StorageConfig {
            blobs: BlobConfig::Local,
            catalog: CatalogConfig::Local,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    blobs: RawBlobs,
    #[serde(default)]
    catalog: RawCatalog,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBlobs {
    kind: Option<String>,
    endpoint: Option<String>,
    region: Option<String>,
    bucket: Option<String>,
    prefix: Option<String>,
    access_key: Option<String>,
    secret_key: Option<String>,
    lock_mode: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    kind: Option<String>,
    url: Option<String>,
    table: Option<String>,
}

fn missing(field: &str) -> Error {
    Error::Config {
        field: field.into(),
        why: "required / 必填".into(),
    }
}

impl StorageConfig {
    /// Parse the text of a `storage.toml`; `env` looks up environment variables (tests pass
    /// their own).
    pub fn parse(text: &str, env: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let raw: RawFile = toml::from_str(text).map_err(|e| Error::Config {
            field: "storage.toml".into(),
            why: e.to_string(),
        })?;
        let b = raw.blobs;
        let blobs = match b.kind.as_deref().unwrap_or("local") {
            "local" => BlobConfig::Local,
            "s3" => BlobConfig::S3(S3Config {
                endpoint: b.endpoint.ok_or_else(|| missing("blobs.endpoint"))?,
                region: b.region.unwrap_or_else(|| "us-east-1".into()),
                bucket: b.bucket.ok_or_else(|| missing("blobs.bucket"))?,
                prefix: b.prefix.unwrap_or_default(),
                access_key: b.access_key.or_else(|| env("AWS_ACCESS_KEY_ID")),
                secret_key: b.secret_key.or_else(|| env("AWS_SECRET_ACCESS_KEY")),
                lock_mode: match b.lock_mode.as_deref().unwrap_or("compliance") {
                    "compliance" => LockMode::Compliance,
                    "governance" => LockMode::Governance,
                    other => {
                        return Err(Error::Config {
                            field: "blobs.lock_mode".into(),
                            why: format!("{other:?}: compliance or governance"),
                        })
                    }
                },
            }),
            other => {
                return Err(Error::Config {
                    field: "blobs.kind".into(),
                    why: format!("{other:?}: local or s3"),
                })
            }
        };
        let c = raw.catalog;
        let catalog = match c.kind.as_deref().unwrap_or("local") {
            "local" => CatalogConfig::Local,
            "postgres" => CatalogConfig::Postgres {
                url: c
                    .url
                    .or_else(|| env("DENGBAO_LOG_CATALOG_URL"))
                    .ok_or_else(|| missing("catalog.url"))?,
                table: c.table.unwrap_or_else(|| "dengbao_log_catalog".into()),
            },
            other => {
                return Err(Error::Config {
                    field: "catalog.kind".into(),
                    why: format!("{other:?}: local or postgres"),
                })
            }
        };
        Ok(StorageConfig { blobs, catalog })
    }

    /// `<logs_dir>/storage.toml`, or the local default when there is none.
    pub fn load(logs_dir: &Path) -> Result<Self> {
        let path = logs_dir.join("storage.toml");
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(&text, |k| std::env::var(k).ok()).map_err(|e| match e {
                Error::Config { field, why } => Error::Config {
                    field: format!("{}: {field}", path.display()),
                    why,
                },
                e => e,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(e).at(&path),
        }
    }
}

/// Open the backends `cfg` names; local ones live under `logs_dir`.
pub fn open(cfg: &StorageConfig, logs_dir: &Path) -> Result<(Blob, Box<dyn Catalog>)> {
    let blobs: Blob = match &cfg.blobs {
        BlobConfig::Local => Box::new(LocalDir::new(logs_dir)?),
        BlobConfig::S3(s) => Box::new(S3::new(s)?),
    };
    let catalog: Box<dyn Catalog> = match &cfg.catalog {
        CatalogConfig::Local => Box::new(LocalFile::new(logs_dir.join("checkpoints.log"))),
        CatalogConfig::Postgres { url, table } => Box::new(Postgres::connect(url, table)?),
    };
    Ok((blobs, catalog))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_file_is_local_and_s3_takes_keys_from_env() {
        assert_eq!(
            StorageConfig::parse("", |_| None).unwrap(),
            StorageConfig::default()
        );
        let cfg = StorageConfig::parse(
            "[blobs]\nkind = \"s3\"\nendpoint = \"http://127.0.0.1:8333\"\nbucket = \"b\"\n\
             [catalog]\nkind = \"postgres\"\n",
            |k| match k {
                "AWS_ACCESS_KEY_ID" => Some("ak".into()),
                "AWS_SECRET_ACCESS_KEY" => Some("sk".into()),
                "DENGBAO_LOG_CATALOG_URL" => Some("postgres://x/y".into()),
                _ => None,
            },
        )
        .unwrap();
        let BlobConfig::S3(s3) = cfg.blobs else {
            panic!("not s3: {cfg:?}")
        };
        assert_eq!(
            (s3.access_key.as_deref(), s3.region.as_str()),
            (Some("ak"), "us-east-1")
        );
        assert_eq!(s3.lock_mode, LockMode::Compliance);
        assert!(
            matches!(cfg.catalog, CatalogConfig::Postgres { ref table, .. } if table == "dengbao_log_catalog")
        );
    }

    #[test]
    fn a_missing_bucket_or_an_unknown_kind_names_the_field() {
        let e = StorageConfig::parse("[blobs]\nkind = \"s3\"\nendpoint = \"http://x\"\n", |_| {
            None
        })
        .unwrap_err();
        assert!(e.to_string().contains("blobs.bucket"), "{e}");
        let e = StorageConfig::parse("[catalog]\nkind = \"sqlite\"\n", |_| None).unwrap_err();
        assert!(e.to_string().contains("catalog.kind"), "{e}");
    }
}
