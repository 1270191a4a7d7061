//! Chinese statute parsing.
//!
//! Invariant: this crate does no I/O and never fails. [`parse`] takes text and returns a
//! [`Statute`] plus the [`Diagnostic`]s describing whatever looked odd.

pub mod model;
pub mod numerals;

pub use model::{Article, Chapter, Diagnostic, Paragraph, Part, Section, Statute};

/// Parses a statute. Placeholder until the parser lands: returns an empty statute and a
/// diagnostic saying so.
pub fn parse(text: &str) -> (Statute, Vec<Diagnostic>) {
    let _ = text;
    (
        Statute::default(),
        vec![Diagnostic {
            line: 0,
            message: "parser not implemented yet".into(),
        }],
    )
}
