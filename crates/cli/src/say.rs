//! One language at a time in the terminal (decision 0934): the shared message catalogs for
//! the product's vocabulary (statuses, parties, stages, levels), and `t` for a line written
//! here in both languages.

use dengbao_i18n::Messages;
use dengbao_types::Lang;

/// `zh` or `en`, as the reader asked.
pub fn t(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    lang.pick(zh, en)
}

/// A catalog message (`status.overdue`, `party.operator`, `stage.running`, `level.3`).
pub fn msg(lang: Lang, key: &str) -> String {
    Messages::get(lang).s(key).to_string()
}

pub use dengbao_i18n::quoted;
