//! What XML cannot carry never reaches a document: the store refuses control characters
//! in what users type, and anything that slipped in earlier (data stored before that
//! check) is replaced here by U+FFFD, so an export always opens.

use std::borrow::Cow;

/// `s` with every character XML 1.0 forbids (C0 controls but tab, line feed and carriage
/// return; U+FFFE, U+FFFF) and the C1 controls replaced by U+FFFD.
pub(crate) fn xml_safe(s: &str) -> Cow<'_, str> {
    let bad = |c: char| match c {
        '\t' | '\n' | '\r' => false,
        '\u{FFFE}' | '\u{FFFF}' => true,
        c => c.is_control(),
    };
    if s.chars().any(bad) {
        Cow::Owned(
            s.chars()
                .map(|c| if bad(c) { '\u{FFFD}' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_become_replacement_marks() {
        assert_eq!(xml_safe("会员\u{0}平台\u{7}"), "会员\u{FFFD}平台\u{FFFD}");
        assert_eq!(xml_safe("两行\n正文\t缩进"), "两行\n正文\t缩进");
        assert!(matches!(xml_safe("plain"), Cow::Borrowed(_)));
    }
}
