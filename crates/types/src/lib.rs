//! Value types shared by every dengbao crate.
//!
//! Each type here can only be obtained by parsing or by a checked constructor, so an
//! invalid value (level 6, article 0) cannot reach the engine.

mod citation;
mod level;
mod text;

pub use citation::{Citation, LawId};
pub use level::{Level, LevelError};
pub use text::{Lang, Text};
