//! One module per subcommand family. Each file has one owner area: law_parse (statute
//! parser), law_corpus (corpus), law_search (search), grade/calendar, duties, incident,
//! controls/assess (GB/T 22239 catalog and conclusion), cases (the case library), serve, logs.

pub mod assess;
pub mod assess_remote;
pub mod calendar;
pub mod cases;
pub mod controls;
pub mod duties;
pub mod grade;
pub mod host;
mod host_windows;
pub mod incident;
pub mod incident_emergency;
pub mod incident_lines;
pub mod incident_pi;
pub mod incident_register;
pub mod law;
pub mod law_corpus;
pub mod law_parse;
pub mod law_report;
pub mod law_search;
pub mod logs;
pub mod remote;
pub mod serve;
pub mod tokens;
pub mod training;
