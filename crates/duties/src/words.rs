//! The words the engine's explanations use for events and stages, from the shared message
//! catalogs (data/i18n `[event_kind]`, `[stage]`), so the CLI, the console and the JSON
//! name an event the same way in each language (decision 0934).

use dengbao_i18n::{Lang, Messages};
use dengbao_types::Text;

/// A catalog entry in both languages; the key itself where a catalog lacks it (the i18n
/// test fails on that).
fn both(key: &str) -> Text {
    Text::new(
        Messages::get(Lang::ZhCn).s(key),
        Messages::get(Lang::En).s(key),
    )
}

/// 上线运行 / Put into operation, for `launched`.
pub fn event(name: &str) -> Text {
    let t = both(&format!("event_kind.{name}"));
    // The catalog's labels carry hints for forms ("（可填计划日期）"); a sentence wants the name.
    Text::new(strip_hint(&t.zh), strip_hint(&t.en))
}

/// 运行 / Running, for a stage id.
pub fn stage(id: &str) -> Text {
    both(&format!("stage.{id}"))
}

fn strip_hint(s: &str) -> String {
    let cut = s.find(['（', '(']).unwrap_or(s.len());
    s[..cut].trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_and_stage_has_a_name_in_both_languages() {
        for (name, _) in crate::EVENTS {
            let t = event(name);
            assert!(!t.zh.contains('_') && !t.zh.is_empty(), "{name}: {t}");
            assert!(!t.en.starts_with("event_kind."), "{name}: {t}");
        }
        for s in ["planning", "building", "running", "retired"] {
            assert!(!stage(s).en.starts_with("stage."), "{s}");
        }
        assert_eq!(event("launched").zh, "上线运行");
    }
}
