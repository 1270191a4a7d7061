//! GB/T 22239-2019 《网络安全等级保护基本要求》 as data: every requirement item (要求项) of
//! the general requirements and the encoded extensions, per level, with its GB/T
//! 28448-2019 style id, clause, control point and the duties of `data/duties` it
//! evidences; and the 2025 rule that turns item results into an assessment conclusion.
//!
//! Invariant: the catalog is validated at load — known classes and extensions, the
//! standard's class order, no duplicate control point or id, and every item links duties
//! that exist in the duty catalog or says why it links none. No I/O: the data is embedded
//! with `include_str!`.
//! Invariant: every 高风险 case (data/controls/high-risk.toml) ties to items that exist, in
//! its own control point, one per level it applies to.
//! Invariant: level 5 is never answered (the standard publishes no level-5 items), and a
//! level or extension not yet in the data is refused, never listed partially.

mod catalog;
mod class;
mod conclude;
mod high_risk;
mod oscal;
mod oscal_profile;
mod oscal_results;

pub use catalog::{Catalog, CatalogError, Control, ScopeError, CONTROL_FILES, LEVEL5_REASON};
pub use class::{Class, Extension, Kind};
pub use conclude::{
    check_item, conclude, verdict, Conclusion, Outcome, ResultsError, Submitted, Verdict, READING,
};
pub use high_risk::{HighRisk, HighRiskCase, HighRiskError, HighRiskMatch, HIGH_RISK_FILE};
pub use oscal::{to_oscal, to_oscal_with, NAMESPACE as OSCAL_NAMESPACE, OSCAL_VERSION};
pub use oscal_profile::{catalog_file_name, to_oscal_profile};
pub use oscal_results::{to_oscal_results, AssessmentRecord, ItemRecord, OscalResultsError};
