//! The log centre's proof of retention, as the console shows it: the dashboard's
//! log-retention table and the six-month log duties (网络安全法 第二十一条（三）, 条例
//! 第二十条（五）) computed from it, as `dengbao duties --logs` does.
//!
//! Coverage verifies every segment (Merkle tree, signed checkpoints), which takes seconds
//! on a large store, so pages never compute it: a background task does, when the server
//! starts and then every [`REFRESH_EVERY`], and pages read the latest snapshot, whose time
//! they print. A log network is shown beside the console network whose id it carries (the
//! `network = "…"` of `<data-dir>/logs/listen.toml`, or `logs ingest --network`): ids are
//! unique, names are not, and a name match could show one organisation another's logs.
//! Decision 0806.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use dengbao_duties::LogRetention;

/// How often the background task recomputes the coverage.
pub const REFRESH_EVERY: Duration = Duration::from_secs(600);

/// One computation of the log centre's coverage.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// When it was computed (the log store's clock, RFC 3339 in Asia/Shanghai).
    pub generated_at: String,
    /// Whether the whole store verified (a failure anywhere fails every network's duty).
    pub integrity_ok: bool,
    pub networks: Vec<LogRetention>,
}

/// The latest [`Snapshot`], shared by every request; empty until computed, and empty when
/// the data directory has no log store.
#[derive(Clone, Default)]
pub struct LogCoverage(Arc<RwLock<Option<Snapshot>>>, Arc<AtomicBool>);

/// Why the coverage could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum CoverageError {
    #[error("日志中心无法打开 / the log store cannot be opened: {0}")]
    Open(String),
    #[error("日志覆盖证明无法读取 / the coverage cannot be read: {0}")]
    Read(String),
}

impl LogCoverage {
    /// Computes the coverage of the log store in `logs_dir` now and keeps it. Blocking: it
    /// reads and verifies every segment. No store there (no `store.json`) → no snapshot.
    /// A scale-out store (`storage.toml`) is not read here either: opening it mirrors the
    /// shared checkpoint chain into the directory the listeners' writer is using, and two
    /// processes mirroring one directory could disagree (decision 0806).
    pub fn refresh_blocking(&self, logs_dir: &Path) -> Result<(), CoverageError> {
        self.refresh_with(logs_dir, None)
    }

    /// [`Self::refresh_blocking`] as `serve` runs it, with the console's database: the
    /// verify behind the coverage also compares the chain with the head kept in
    /// `keys/log-head.json` and in the database, and is recorded there as the last verify
    /// (decision 0926). Blocking; `rt` runs the database calls.
    pub fn refresh_recorded(
        &self,
        logs_dir: &Path,
        db: &dengbao_store::Store,
        rt: &tokio::runtime::Handle,
    ) -> Result<(), CoverageError> {
        self.refresh_with(logs_dir, Some((db, rt)))
    }

    fn refresh_with(
        &self,
        logs_dir: &Path,
        db: Option<(&dengbao_store::Store, &tokio::runtime::Handle)>,
    ) -> Result<(), CoverageError> {
        let local = !logs_dir.join("storage.toml").exists();
        self.1.store(!local, Ordering::Relaxed);
        let snapshot = if local && logs_dir.join("store.json").exists() {
            // Read-only: the listeners' writer may hold the store; sealed segments are what
            // a proof can rest on.
            let keeper = match (db, logs_dir.parent()) {
                (Some(_), Some(data_dir)) => Some(
                    crate::log_heads::keeper(data_dir)
                        .map_err(|e| CoverageError::Open(e.to_string()))?,
                ),
                _ => None,
            };
            let opts = dengbao_logstore::OpenOptions {
                head: keeper.clone(),
                ..Default::default()
            };
            let store = dengbao_logstore::Store::open(logs_dir, opts)
                .map_err(|e| CoverageError::Open(e.to_string()))?;
            let mut verified = store.verify();
            if let (Some((db, rt)), Some(k)) = (db, &keeper) {
                let done = rt.block_on(crate::log_heads::check_and_record(
                    db,
                    k,
                    logs_dir,
                    &mut verified,
                ));
                if let Err(e) = done {
                    tracing::warn!(error = %e, "comparing the log head with the database");
                }
            }
            let coverage = store.coverage(Some(verified));
            let json =
                serde_json::to_string(&coverage).map_err(|e| CoverageError::Read(e.to_string()))?;
            Some(Snapshot {
                generated_at: coverage.generated_at.clone(),
                integrity_ok: coverage.integrity.ok,
                networks: LogRetention::from_coverage_json(&json)
                    .map_err(|e| CoverageError::Read(e.to_string()))?,
            })
        } else {
            None
        };
        match self.0.write() {
            Ok(mut slot) => *slot = snapshot,
            Err(poisoned) => *poisoned.into_inner() = snapshot,
        }
        Ok(())
    }

    /// Refreshes from `logs_dir` now and every `every`, on a blocking thread, until the
    /// runtime stops. A failed refresh keeps the previous snapshot and is logged.
    /// With `db`, each refresh is also a verify recorded there ([`Self::refresh_recorded`]).
    pub fn watch(
        &self,
        logs_dir: PathBuf,
        every: Duration,
        db: Option<dengbao_store::Store>,
    ) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            loop {
                let (me, dir, db) = (this.clone(), logs_dir.clone(), db.clone());
                let rt = tokio::runtime::Handle::current();
                let job = move || match &db {
                    Some(db) => me.refresh_recorded(&dir, db, &rt),
                    None => me.refresh_blocking(&dir),
                };
                match tokio::task::spawn_blocking(job).await {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => tracing::warn!(error = %e, "log coverage refresh failed"),
                    Err(e) => tracing::warn!(error = %e, "log coverage refresh panicked"),
                }
                tokio::time::sleep(every).await;
            }
        })
    }

    /// Whether the log store is a scale-out one, which the console does not read.
    pub fn is_scale_out(&self) -> bool {
        self.1.load(Ordering::Relaxed)
    }

    /// The latest snapshot, if any.
    pub fn snapshot(&self) -> Option<Snapshot> {
        match self.0.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// What the log centre proves for the console network `network_id`, if it holds any
    /// of its logs.
    pub fn for_network(&self, network_id: &str) -> Option<LogRetention> {
        self.snapshot()?
            .networks
            .into_iter()
            .find(|n| n.network == network_id)
    }
}
