//! Chinese statute parsing.
//!
//! Invariant: this crate does no I/O and never fails. [`parse`] takes text and returns a
//! [`Statute`] plus the [`Diagnostic`]s describing whatever looked odd.

pub mod decode;
mod html;
mod lines;
pub mod model;
pub mod numerals;
mod refs;
mod start;
mod structure;

pub use decode::{decode, DecodeError};
pub use html::strip_inline_html;
pub use model::{Article, Chapter, Diagnostic, Note, Paragraph, Part, Section, Statute, Variant};
pub use refs::{citation_exists, law_for_title, unresolved_refs};

/// Parses a statute: finds its title, header, 编/章/节, articles (条) with their
/// paragraphs (款) and items (项), and resolves cross-references. Never panics; whatever
/// looked odd is a [`Diagnostic`].
pub fn parse(text: &str) -> (Statute, Vec<Diagnostic>) {
    let (mut statute, mut diags) = structure::build(text);
    diags.extend(refs::fill(&mut statute));
    diags.extend(unresolved_refs(&statute));
    (statute, diags)
}
