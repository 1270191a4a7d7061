//! Training (issue 15): quizzes generated from the law itself. Module `quiz` builds the
//! question bank from the corpus, the duty catalog and the case library, applies the
//! reviewers' file (`data/training/questions.toml`), selects quizzes and scores attempts.
//! Records of attempts and training are kept elsewhere (later work); this crate does no I/O.

mod error;
pub mod quiz;
pub mod work_plan;

pub use error::QuizError;
pub use quiz::{score, Attempt, Bank, Kind, Outcome, Question, QuizItem};
