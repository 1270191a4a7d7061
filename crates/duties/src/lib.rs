//! Network profiles, the duty and penalty catalogs, and the engine that derives duties,
//! deadlines, gaps and penalty exposure.
//!
//! ```text
//! Profile (TOML/JSON, validated) ─┐
//! Catalog::builtin() (data/duties, data/penalties; CEL compiled once) ─┼─ evaluate(at) → Vec<DutyStatus>
//! Calendar (working days)         ─┘                                      └ exposure() → Exposure
//! ```
//!
//! Invariant: only `data/` knows what the law says; this crate knows how clocks run.
//! Invariant: no I/O (the catalog is embedded), no panics on any profile.

pub mod basis;
mod by_date;
mod catalog;
mod cel;
pub mod certificates;
pub mod cited;
mod clocks;
mod engine;
mod events;
mod exposure;
pub mod facts;
mod nature;
mod penalty;
mod profile;
pub mod report;
mod rule_basis;
mod status;
mod time;
pub mod words;

pub use catalog::in_force::{clock_words, InForce, MlpsBasis};
pub use catalog::{
    article_count, Catalog, CatalogError, Clock, Duty, IfMissing, Kind, Limit, Party, Period,
    DUTY_FILES, DUTY_SCOPE, PENALTY_FILES, PENALTY_SCOPE,
};
pub use cel::VARIABLES;
pub use certificates::{HeldCertificate, KeyPostCertificates};
pub use clocks::calendar_days;
pub use engine::{evaluate, evaluate_from_source, gaps, Due, DutyStatus, Engine, Status};
pub use exposure::{exposure, Exposure, ExposureItem};
pub use facts::{apply_facts, Fact, Facts, LogRetention};
pub use penalty::{Multiple, Penalty, PenaltyParty, PenaltyRef, Resolved};
pub use profile::{
    date_of, event_index, parse_at, Breach, Classified, Evidence, NewTech, OperatorClass, Profile,
    ProfileError, RawBreach, RawEvidence, RawNetwork, RawProfile, Role, Service, Stage, EVENTS,
    ONCE_EVENTS, PLANNED_EVENTS,
};
pub use rule_basis::RuleBasis;
pub use time::{parse_time, rfc3339_shanghai, EventTime, TimeText};
