//! One module per subcommand family.

pub mod calendar;
pub mod duties;
pub mod grade;
pub mod law;
pub mod logs;
pub mod serve;
