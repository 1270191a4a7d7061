//! Text a user types, checked before it is stored: bounded, and free of the control
//! characters that make a DOCX or XLSX export invalid XML (issue: NUL in a name broke the
//! exports). A refusal names the field, like every other bad input.

use crate::{Result, StoreError};

/// XML 1.0 allows tab, line feed and carriage return; no other C0 control, and not
/// U+FFFE/U+FFFF. C1 controls (U+0080–U+009F) print as nothing: refused too.
fn forbidden(c: char, multiline: bool) -> bool {
    match c {
        '\t' => !multiline,
        '\n' | '\r' => !multiline,
        '\u{FFFE}' | '\u{FFFF}' => true,
        c => c.is_control(),
    }
}

fn check(field: &'static str, s: &str, multiline: bool) -> Result<()> {
    match s.chars().find(|c| forbidden(*c, multiline)) {
        Some(c) => Err(StoreError::invalid(
            field,
            format!(
                "contains the control character U+{:04X}, which no document can hold (含有控制字符 U+{:04X}，请删除)",
                c as u32, c as u32
            ),
        )),
        None => Ok(()),
    }
}

/// A name: trimmed, 1 to `max` characters, one line, no control character.
pub(crate) fn name(field: &'static str, s: &str, max: usize) -> Result<String> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > max {
        return Err(StoreError::invalid(
            field,
            format!("must be 1 to {max} characters (长度须为1至{max}个字符)"),
        ));
    }
    check(field, s, false)?;
    Ok(s.to_string())
}

/// Free text: trimmed, at most `max` characters; line breaks and tabs allowed, no other
/// control character.
pub(crate) fn text(field: &'static str, s: &str, max: usize) -> Result<String> {
    let s = s.trim();
    if s.chars().count() > max {
        return Err(StoreError::invalid(
            field,
            format!("at most {max} characters (不超过{max}个字符)"),
        ));
    }
    check(field, s, true)?;
    Ok(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_naming_the_field() {
        let e = name("name", "会员\u{0}平台", 200).unwrap_err().to_string();
        assert!(e.contains("name") && e.contains("U+0000"), "{e}");
        assert!(name("name", "两行\n名称", 200).is_err());
        assert!(name("name", "bell\u{7}", 200).is_err());
        assert!(text("note", "第一行\n第二行\t缩进", 2000).is_ok());
        assert!(text("note", "escape \u{1b}[31m", 2000).is_err());
        assert!(text("note", "c1 \u{85} end", 2000).is_err());
        assert_eq!(
            name("name", "  会员服务平台 ", 200).unwrap(),
            "会员服务平台"
        );
    }
}
