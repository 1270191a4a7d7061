//! Chinese a product cannot translate (the law's words, a data file's terms) in an English
//! line: quoted, so one language is spoken and the other is visibly cited (decision 0934).

use dengbao_types::Lang;

pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x3000..=0x303F | 0xFF00..=0xFFEF | 0x2E80..=0x2FDF)
}

/// Text for an English line that carries Chinese it cannot translate (the law's words, a
/// data file's Chinese terms): each run of Chinese is quoted 「…」 unless it already sits
/// inside 《…》, “…” or 「…」. In Chinese the text is returned as is.
pub fn quoted(lang: Lang, s: &str) -> String {
    if !lang.is_en() {
        return s.to_string();
    }
    let mut out = String::new();
    let mut depth = 0usize;
    let mut open = false;
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '《' | '“' | '「' if !open => {
                depth += 1;
                out.push(c);
                continue;
            }
            '》' | '”' | '」' if !open && depth > 0 => {
                depth -= 1;
                out.push(c);
                continue;
            }
            _ => {}
        }
        let chinese = is_cjk(c) && depth == 0;
        // Digits and ASCII punctuation between two Chinese runs stay inside the quote
        // (第21条 is one term).
        let glue = !chinese
            && open
            && (c.is_ascii_digit() || c == '·')
            && chars[i + 1..]
                .iter()
                .find(|x| !x.is_ascii_digit())
                .is_some_and(|x| is_cjk(*x));
        if chinese || glue {
            if !open {
                out.push('「');
                open = true;
            }
            out.push(c);
        } else {
            if open {
                out.push('」');
                open = false;
            }
            out.push(c);
        }
    }
    if open {
        out.push('」');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_runs_in_english_lines_are_quoted_once() {
        let en = Lang::En;
        assert_eq!(
            quoted(en, "draft articles 第五十一条–第六十四条 (法律责任)"),
            "draft articles 「第五十一条」–「第六十四条」 (「法律责任」)"
        );
        assert_eq!(
            quoted(en, "the 《网络安全法》 text"),
            "the 《网络安全法》 text"
        );
        assert_eq!(quoted(en, "see 第21条 here"), "see 「第21条」 here");
        assert_eq!(quoted(Lang::ZhCn, "第五十一条 draft"), "第五十一条 draft");
    }
}
