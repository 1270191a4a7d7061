//! The message catalogs live in `dengbao-i18n` (shared with the CLI and the duty engine);
//! the console adds the cookie that remembers the language chosen with `?lang=`.

pub use dengbao_i18n::*;

/// The cookie that remembers the language chosen with `?lang=`.
pub const LANG_COOKIE: &str = "dengbao_lang";
