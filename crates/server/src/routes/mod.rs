//! One module per resource; each exports `router()` with its documented routes.

pub mod accounts;
pub mod assessment;
pub mod assessment_oscal;
pub mod assessment_reports;
pub mod audit;
pub mod cases;
pub mod duties;
pub mod emergency;
pub mod engagements;
pub mod events;
pub mod evidence;
pub mod evidence_review;
pub mod filings;
pub mod host_reports;
pub mod host_rulings;
pub mod incidents;
pub mod law;
pub mod networks;
pub mod pi_requests;
pub mod quizzes;
pub mod reports;
pub mod supervision;
pub mod system;
pub mod training;
pub mod work_plan;
