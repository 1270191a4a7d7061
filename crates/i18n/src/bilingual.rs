//! Library messages written in both languages, shown in one (issue 16 item 5: no
//! "invalid at: … RFC 3339" leading a Chinese page). The libraries write a message either
//! as `中文 / English` or as `English (中文)`; a store error reads `invalid <field>: …`.
//! [`one_language`] keeps the page's language and names the field by its label.

use crate::{Lang, Messages};

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The part of `msg` in `lang` when it carries both languages in one of the two shapes;
/// `msg` itself otherwise.
pub fn pick(msg: &str, lang: Lang) -> String {
    let msg = msg.trim();
    if let Some((a, b)) = msg.split_once(" / ") {
        let (zh, en) = match (has_cjk(a), has_cjk(b)) {
            (true, false) => (a, b),
            (false, true) => (b, a),
            _ => return msg.to_string(),
        };
        return if lang.is_en() { en } else { zh }.trim().to_string();
    }
    // `English (中文)`: the last parenthesis holds the Chinese; the English before it has none.
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let Some(body) = msg.strip_suffix(close) {
            if let Some(at) = body.rfind(open) {
                let (en, zh) = (&body[..at], &body[at + open.len_utf8()..]);
                if has_cjk(zh) && !en.trim().is_empty() && !has_cjk(en) {
                    return if lang.is_en() { en.trim() } else { zh.trim() }.to_string();
                }
            }
        }
    }
    msg.to_string()
}

/// The form field a library's message is about: `invalid <field>: …` from the store, or
/// `<path>.<field>: …` / `<field>: …` from a parser, when it is one of `fields`.
pub fn field_of<'f>(msg: &str, fields: &[&'f str]) -> Option<&'f str> {
    let head = msg.strip_prefix("invalid ").unwrap_or(msg);
    let head = head.split(':').next()?.trim();
    let last = head.rsplit(['.', ' ']).next()?;
    fields.iter().copied().find(|f| *f == last)
}

/// The message without its field (shown beside the field it is about), in `lang`.
pub fn without_field(msg: &str, lang: Lang) -> String {
    let rest = msg.split_once(": ").map_or(msg, |(_, r)| r);
    pick(rest, lang)
}

/// A library's message for a page in `lang`: `invalid <field>: <both>` becomes
/// `<the field's label>：<the message in lang>` (the label from `field.<name>`, the field id
/// where the catalog has none).
pub fn one_language(msg: &str, lang: Lang) -> String {
    let Some((field, rest)) = msg
        .strip_prefix("invalid ")
        .and_then(|m| m.split_once(": "))
        .filter(|(f, _)| !f.contains(' '))
    else {
        return pick(msg, lang);
    };
    let t = Messages::get(lang);
    let key = format!("field.{field}");
    // The label a person reads, and the field's name a script or the API uses.
    let label = match (t.s(&key), lang.is_en()) {
        (s, _) if s == key => format!("`{field}`"),
        (s, true) => format!("{s} (`{field}`)"),
        (s, false) => format!("{s}（`{field}`）"),
    };
    let sep = if lang.is_en() { ": " } else { "：" };
    format!("{label}{sep}{}", pick(rest, lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_is_found_in_either_shape() {
        let fields = ["name", "level"];
        assert_eq!(
            field_of("invalid name: must not be empty", &fields),
            Some("name")
        );
        assert_eq!(field_of("network.level: 1–5", &fields), Some("level"));
        assert_eq!(field_of("invalid stage: x", &fields), None);
    }

    #[test]
    fn each_shape_gives_one_language() {
        let both = "统一社会信用代码应为18位 / 18 characters";
        assert_eq!(pick(both, Lang::ZhCn), "统一社会信用代码应为18位");
        assert_eq!(pick(both, Lang::En), "18 characters");
        let paren = "\"2030-02-30\" is not a date YYYY-MM-DD (日期格式无效)";
        assert_eq!(pick(paren, Lang::ZhCn), "日期格式无效");
        assert_eq!(
            pick(paren, Lang::En),
            "\"2030-02-30\" is not a date YYYY-MM-DD"
        );
        assert_eq!(pick("plain", Lang::ZhCn), "plain");
    }

    #[test]
    fn a_store_error_names_its_field_by_label() {
        let m = "invalid submitted_on: \"x\" is not a date YYYY-MM-DD (日期格式无效)";
        let zh = one_language(m, Lang::ZhCn);
        assert!(zh.ends_with("：日期格式无效"), "{zh}");
        assert!(!zh.contains("invalid"), "{zh}");
        let en = one_language(m, Lang::En);
        assert!(en.ends_with(": \"x\" is not a date YYYY-MM-DD"), "{en}");
    }
}
