//! Persistence through sqlx (SQLite by default, PostgreSQL when configured) and the
//! hash-chained append-only audit log.
//!
//! One code path for both engines: sqlx's `Any` driver with portable SQL and `$N`
//! placeholders (docs/decisions/0600-store-one-code-path.md). Invariants:
//! - every change goes through a [`audit::WriteTx`] that commits only together with its
//!   audit entry, so the database never holds a change the audit log does not describe;
//! - input is validated into closed types before any SQL runs, and CHECK constraints
//!   repeat the rules in the schema, so bad input never reaches a stored row;
//! - the store knows nothing of HTTP; who may do what is the server's policy, the store
//!   only filters by the [`OrgScope`] it is given.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

pub mod audit;
pub mod audit_head;
pub mod audit_mirror;
pub mod audit_verify;
pub mod bulk;
pub mod certificate_alerts;
pub mod corrections;
pub mod deadlines;
pub mod denials;
pub mod emergency;
pub mod engagements;
pub mod error;
pub mod events;
pub mod evidence;
pub mod evidence_review;
pub mod filing_form;
pub mod filings;
pub mod host_check_rulings;
pub mod host_reports;
pub mod incident_logs;
pub mod incident_open;
pub mod incident_sends;
pub mod incidents;
pub mod inspections;
pub mod item_results;
pub mod keys;
pub mod log_heads;
pub mod networks;
pub mod orgs;
mod password_policy;
pub mod pi_requests;
pub mod profile;
pub mod quiz_attempts;
pub mod secret;
pub mod self_assessment;
pub mod sessions;
pub mod staff;
pub mod statistics;
pub mod test_support;
mod text;
pub mod tokens;
pub mod totp;
pub mod training_plan;
pub mod training_sessions;
pub mod users;
pub mod work_plan;

pub use audit::{AuditEntry, AuditRecord};
pub use audit_verify::VerifyReport;
pub use certificate_alerts::{CertificateAlert, CertificateRule};
pub use corrections::{CorrectionInput, VoidInput};
pub use denials::AnonymousDenial;
pub use emergency::{DrillInput, EmergencyDrill, EmergencyPlan, PlanInput};
pub use error::{Result, StoreError};
pub use events::{EventInput, NetworkEvent, Voided};
pub use evidence::{Evidence, EvidenceInput};
pub use evidence_review::ReviewInput;
pub use incident_sends::{CloseIncident, SendReport};
pub use incidents::{GradeIncident, IncidentFacts, IncidentRecord, OpenIncident};
pub use networks::Network;
pub use orgs::Organisation;
pub use pi_requests::{ClosePiRequest, NewPiRequest, PiRequest, PiRequestPolicy};
pub use profile::NetworkProfile;
pub use quiz_attempts::{QuizAnswer, QuizAttempt, QuizStart};
pub use sessions::{Session, SignIn};
pub use staff::{Certificate, CertificateInput, KeyPost, KeyPostInput, StaffInput, StaffMember};
pub use training_plan::{
    TrainingAudience, TrainingPlan, TrainingPlanInput, TrainingPlanItem, TrainingPlanItemInput,
};
pub use training_sessions::{SessionInput, TrainingSession, YearlyHours};
pub use users::{Principal, Role, User};
pub use work_plan::{WorkPlanStatus, WorkPlanTask, WorkPlanTaskInput};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Which engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Which organisations a query may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgScope {
    All,
    Only(Vec<String>),
}

impl OrgScope {
    pub fn allows(&self, org_id: &str) -> bool {
        match self {
            OrgScope::All => true,
            OrgScope::Only(ids) => ids.iter().any(|i| i == org_id),
        }
    }
}

/// The database and the evidence files beside it.
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    backend: Backend,
    data_dir: PathBuf,
    pub(crate) tokens: std::sync::Arc<tokens::TokenCache>,
    /// One sign-in at a time per account name, so the failure count an attempt reads
    /// includes every attempt before it (sessions.rs).
    pub(crate) signin_gates: std::sync::Arc<sessions::Gates>,
    /// The keys derived from `<data-dir>/keys/server.key` (audit chain, API tokens).
    pub(crate) keys: std::sync::Arc<keys::ServerKeys>,
    /// The audit chain's head kept outside the database.
    pub(crate) head: std::sync::Arc<audit_head::HeadFile>,
    /// Anonymous denials counted in this window (denials.rs).
    pub(crate) denials: std::sync::Arc<denials::AnonymousDenials>,
    /// The object store the audit head is mirrored to, in scale-out mode (audit_mirror.rs).
    pub(crate) mirror: Option<std::sync::Arc<audit_mirror::AuditMirror>>,
    /// "Now" for checking that a past-tense event is not dated in the future.
    clock: Clock,
}

/// Where the store takes "now" from when it checks that a past-tense event is not in the
/// future: the system clock, or a fixed instant that only tests and simulations set through
/// [`Store::with_fixed_clock`] (no command, flag or variable of the product reaches it).
/// Audit times and deletions never read this clock.
#[derive(Debug, Clone, Copy, Default)]
enum Clock {
    #[default]
    System,
    Fixed(jiff::Timestamp),
}

impl Store {
    /// Opens (creating on first use) the SQLite database `<data_dir>/dengbao.db` in WAL mode.
    pub async fn open_sqlite(data_dir: &Path) -> Result<Store> {
        create_dir(data_dir)?;
        let abs = std::fs::canonicalize(data_dir).map_err(|source| StoreError::Io {
            path: data_dir.display().to_string(),
            source,
        })?;
        let url = format!("sqlite://{}?mode=rwc", abs.join("dengbao.db").display());
        Store::open_url(&url, &abs).await
    }

    /// Opens `database` when given (postgres://…), else SQLite under `data_dir`.
    pub async fn open(data_dir: &Path, database: Option<&str>) -> Result<Store> {
        match database {
            Some(url) => Store::open_url(url, data_dir).await,
            None => Store::open_sqlite(data_dir).await,
        }
    }

    /// Opens a database by URL (`postgres://…` or `sqlite://…`), runs the migrations and
    /// installs the audit log's append-only triggers. Evidence files go under `data_dir`.
    pub async fn open_url(url: &str, data_dir: &Path) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(StoreError::UnsupportedUrl(redact(url)));
        };
        let options = AnyConnectOptions::from_str(url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 4,
                Backend::Postgres => 8,
            })
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;")
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        if backend == Backend::Sqlite {
            pool.execute("PRAGMA journal_mode = WAL").await?;
        }
        MIGRATOR.run(&pool).await?;
        let hardening = match backend {
            Backend::Sqlite => include_str!("../sql/append_only.sqlite.sql"),
            Backend::Postgres => include_str!("../sql/append_only.postgres.sql"),
        };
        sqlx::raw_sql(hardening).execute(&pool).await?;
        let keys = keys::ServerKeys::load_or_create(data_dir)?;
        let head = audit_head::HeadFile::new(data_dir);
        let row = sqlx::query(
            "SELECT h.seq, h.hash, (SELECT COUNT(*) FROM audit_log WHERE chain_version > 1) AS keyed \
             FROM audit_head h WHERE h.id = 1",
        )
        .fetch_one(&pool)
        .await?;
        use sqlx::Row;
        head.start(
            row.try_get("seq")?,
            &row.try_get::<String, _>("hash")?,
            row.try_get::<i64, _>("keyed")? > 0,
        )?;
        Ok(Store {
            pool,
            backend,
            data_dir: data_dir.to_path_buf(),
            tokens: Default::default(),
            signin_gates: Default::default(),
            keys: std::sync::Arc::new(keys),
            head: std::sync::Arc::new(head),
            denials: Default::default(),
            mirror: None,
            clock: Clock::System,
        })
    }

    /// This store with "now" fixed at `at` for the past-tense check of events, so a test can
    /// record an event dated after today's date. Not reachable from the product.
    pub fn with_fixed_clock(mut self, at: jiff::Timestamp) -> Store {
        self.clock = Clock::Fixed(at);
        self
    }

    /// Now, for checking that an event is not dated in the future.
    pub(crate) fn now(&self) -> jiff::Timestamp {
        match self.clock {
            Clock::System => jiff::Timestamp::now(),
            Clock::Fixed(at) => at,
        }
    }

    /// The audit chain's head kept outside the database.
    pub fn audit_head_file(&self) -> &audit_head::HeadFile {
        &self.head
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection pool, for tests and tools that inspect the database directly.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Where uploaded evidence files are kept, by SHA-256.
    pub fn evidence_dir(&self) -> PathBuf {
        self.data_dir.join("evidence")
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn create_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
        path: dir.display().to_string(),
        source,
    })
}

/// A URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://…{}", &url[..s], &url[at..]),
        _ => url.to_string(),
    }
}

/// Now, as stored: RFC 3339 in UTC.
pub(crate) fn now_rfc3339() -> String {
    jiff::Timestamp::now().to_string()
}
