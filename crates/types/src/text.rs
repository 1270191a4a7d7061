//! One language at a time: the interface language, and a message carried in both.
//!
//! A library that explains itself (why a duty is overdue, why a text applies) writes each
//! message once in Chinese and once in English as a [`Text`]; whatever prints it picks the
//! reader's language, so a page or a terminal shows one language throughout. JSON keeps
//! both, joined as `中文 / English` (the shape it had before the split).

use std::fmt;

use serde::{Serialize, Serializer};

/// The interface language: 简体中文 (default) or English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    #[default]
    ZhCn,
    En,
}

impl Lang {
    /// `zh-CN`, `zh`, `zh_CN` (any case), `en`, `en-US`…; anything else is `None`.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase().replace('_', "-");
        match s.as_str() {
            "zh" | "zh-cn" | "zh-hans" | "zh-hans-cn" => Some(Lang::ZhCn),
            _ if s == "en" || s.starts_with("en-") => Some(Lang::En),
            _ => None,
        }
    }

    pub fn is_en(self) -> bool {
        self == Lang::En
    }

    /// The other language (the console's language switch).
    pub fn other(self) -> Lang {
        match self {
            Lang::ZhCn => Lang::En,
            Lang::En => Lang::ZhCn,
        }
    }

    /// `zh-CN` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// `zh` in Chinese, `en` in English.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }
}

/// A message in Chinese and in English.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The message in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }

    /// A message written the older way, both languages in one string (`中文 / English`, or
    /// `English / 中文` in some libraries): split at the first ` / `, the side with Chinese
    /// being the Chinese; a string without one is both.
    pub fn from_joined(s: &str) -> Text {
        let cjk = |t: &str| t.chars().any(|c| matches!(c as u32, 0x4E00..=0x9FFF));
        match s.split_once(" / ") {
            Some((a, b)) if !cjk(a) && cjk(b) => Text::new(b.trim(), a.trim()),
            Some((a, b)) => Text::new(a.trim(), b.trim()),
            None => Text::new(s, s),
        }
    }
}

/// `中文 / English`: both, for logs and JSON.
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.zh, self.en)
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_names_people_type_are_understood() {
        for s in ["zh-CN", "zh", "ZH_cn", "zh-Hans"] {
            assert_eq!(Lang::parse(s), Some(Lang::ZhCn), "{s}");
        }
        for s in ["en", "en-US", "EN"] {
            assert_eq!(Lang::parse(s), Some(Lang::En), "{s}");
        }
        assert_eq!(Lang::parse("fr"), None);
        let t = Text::new("已逾期", "overdue");
        assert_eq!(t.get(Lang::En), "overdue");
        assert_eq!(t.to_string(), "已逾期 / overdue");
        let other_way = Text::from_joined("checkpoint chain truncated / 检查点链被截断");
        assert_eq!(
            (other_way.zh.as_str(), other_way.en.as_str()),
            ("检查点链被截断", "checkpoint chain truncated")
        );
    }
}
