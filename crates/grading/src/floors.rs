//! Level floors (`data/grading/level-floors.toml`): a network flagged CII and graded below
//! level 3 gets a warning citing 公网安〔2020〕1960号. A warning, not a refusal: the text
//! says 原则上 (in principle).

use std::sync::OnceLock;

use dengbao_types::{Level, Text};
use serde::Deserialize;

/// The embedded floors file.
pub const FLOORS_TOML: &str = include_str!("../../../data/grading/level-floors.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Floor {
    pub id: String,
    /// The profile flag it applies to (`cii`).
    pub when: String,
    pub min_level: u8,
    pub document_zh: String,
    pub document_en: String,
    pub rule_zh: String,
    pub rule_en: String,
    /// What was checked against a public copy: `document` (number, title, date) or
    /// `text` (the wording too).
    pub confirmed: String,
}

#[derive(Deserialize)]
struct File {
    floor: Vec<Floor>,
}

/// The embedded floors, parsed once (the file is tested: `floors_parse`).
pub fn floors() -> &'static [Floor] {
    static FLOORS: OnceLock<Vec<Floor>> = OnceLock::new();
    FLOORS.get_or_init(|| {
        toml::from_str::<File>(FLOORS_TOML)
            .map(|f| f.floor)
            .unwrap_or_default()
    })
}

/// The warnings for a network with these flags at `level`: one per floor it falls below.
pub fn floor_warnings(cii: bool, level: Option<Level>) -> Vec<Text> {
    let Some(level) = level else {
        return Vec::new();
    };
    floors()
        .iter()
        .filter(|f| f.when == "cii" && cii && level.get() < f.min_level)
        .map(|f| {
            let unconfirmed = f.confirmed != "text";
            Text::new(
                format!(
                    "关键信息基础设施定为第{}级，低于第{}级：{}（{}）。{}",
                    zh_numeral(level.get()),
                    zh_numeral(f.min_level),
                    f.rule_zh,
                    f.document_zh,
                    if unconfirmed {
                        "该表述未能与原文核对，请以文件原文为准。"
                    } else {
                        ""
                    }
                ),
                format!(
                    "critical information infrastructure graded at level {}, below level {}: {} ({}).{}",
                    level.get(),
                    f.min_level,
                    f.rule_en,
                    f.document_en,
                    if unconfirmed {
                        " The wording could not be checked against the original text."
                    } else {
                        ""
                    }
                ),
            )
        })
        .collect()
}

fn zh_numeral(n: u8) -> &'static str {
    ["零", "一", "二", "三", "四", "五"]
        .get(usize::from(n))
        .copied()
        .unwrap_or("?")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floors_parse() {
        let all = toml::from_str::<File>(FLOORS_TOML).expect("level-floors.toml parses");
        assert!(!all.floor.is_empty());
    }

    #[test]
    fn a_cii_network_below_level_3_is_warned_with_the_document() {
        let l = |n| Level::new(n).unwrap();
        let w = floor_warnings(true, Some(l(2)));
        assert_eq!(w.len(), 1);
        assert!(w[0].zh.contains("公网安〔2020〕1960号"), "{}", w[0].zh);
        assert!(w[0].zh.contains("第二级") && w[0].zh.contains("第三级"));
        assert!(floor_warnings(true, Some(l(3))).is_empty());
        assert!(floor_warnings(false, Some(l(1))).is_empty());
        assert!(floor_warnings(true, None).is_empty());
    }
}
