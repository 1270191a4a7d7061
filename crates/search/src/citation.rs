//! Citations in a query: 网络安全法第二十一条, 条例第二十条（五）, csl 21, 第二十一条之一.

use crate::expand::QueryRules;

/// An article named by the query; `law` is None when the query names no law.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitedArticle {
    pub law: Option<String>,
    pub article: u32,
    pub suffix: Option<u32>,
}

fn digit(c: char) -> Option<u32> {
    match c {
        '零' | '〇' => Some(0),
        '一' => Some(1),
        '二' | '两' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => c.to_digit(10),
    }
}

fn is_numeral(c: char) -> bool {
    digit(c).is_some() || matches!(c, '十' | '百' | '千')
}

/// A Chinese (一百零一, 二十, 十一) or Arabic (101) numeral → its value; None if malformed
/// or out of range.
pub fn zh_number(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    let mut total: u32 = 0;
    let mut pending: Option<u32> = None;
    for c in s.chars() {
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => {
                let d = digit(c)?;
                pending = Some(pending.map_or(d, |p| p.saturating_mul(10).saturating_add(d)));
                continue;
            }
        };
        total = total.checked_add(pending.unwrap_or(1).checked_mul(unit)?)?;
        pending = None;
    }
    total = total.checked_add(pending.unwrap_or(0))?;
    (total > 0).then_some(total)
}

/// Finds the articles cited in `query` and returns them with what remains of the query
/// once the citations (and the law names they carry) are taken out.
pub fn parse_citation(query: &str, rules: &QueryRules) -> (Vec<CitedArticle>, String) {
    let chars: Vec<char> = query.chars().collect();
    let mut cited = Vec::new();
    let mut keep = vec![true; chars.len()];
    let mut i = 0;
    while i < chars.len() {
        // 第N条(之M)
        if chars[i] == '第' {
            let mut j = i + 1;
            while j < chars.len() && is_numeral(chars[j]) {
                j += 1;
            }
            if j > i + 1 && j < chars.len() && chars[j] == '条' {
                let number: String = chars[i + 1..j].iter().collect();
                if let Some(article) = zh_number(&number) {
                    let mut end = j + 1;
                    let mut suffix = None;
                    if end < chars.len() && chars[end] == '之' {
                        let mut k = end + 1;
                        while k < chars.len() && is_numeral(chars[k]) {
                            k += 1;
                        }
                        let s: String = chars[end + 1..k].iter().collect();
                        if let Some(n) = zh_number(&s) {
                            suffix = Some(n);
                            end = k;
                        }
                    }
                    let (law, start) = law_before(&chars, i, rules);
                    for flag in &mut keep[start..end] {
                        *flag = false;
                    }
                    cited.push(CitedArticle {
                        law,
                        article,
                        suffix,
                    });
                    i = end;
                    continue;
                }
            }
        }
        // alias followed by an Arabic number: csl 21, 条例20条
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit()) {
            let mut j = i;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            let (law, start) = law_before(&chars, i, rules);
            if law.is_some() {
                let number: String = chars[i..j].iter().collect();
                if let Some(article) = zh_number(&number) {
                    let end = if j < chars.len() && chars[j] == '条' {
                        j + 1
                    } else {
                        j
                    };
                    for flag in &mut keep[start..end] {
                        *flag = false;
                    }
                    cited.push(CitedArticle {
                        law,
                        article,
                        suffix: None,
                    });
                    i = end;
                    continue;
                }
            }
            i = j;
            continue;
        }
        i += 1;
    }
    let rest: String = chars
        .iter()
        .zip(&keep)
        .map(|(c, k)| if *k { *c } else { ' ' })
        .collect();
    (cited, rest)
}

/// The law whose alias ends just before `at` (skipping spaces and 《》), and where the
/// alias starts; (None, at) when there is none.
fn law_before(chars: &[char], at: usize, rules: &QueryRules) -> (Option<String>, usize) {
    let mut end = at;
    while end > 0 && matches!(chars[end - 1], ' ' | '\u{3000}' | '》' | '\t') {
        end -= 1;
    }
    let before: String = chars[..end].iter().collect();
    let mut best: Option<(&str, usize)> = None;
    for (law, aliases) in rules.law_aliases() {
        for alias in aliases {
            if before.ends_with(alias.as_str())
                && best.is_none_or(|(_, n)| alias.chars().count() > n)
            {
                best = Some((law.as_str(), alias.chars().count()));
            }
        }
    }
    match best {
        Some((law, n)) => {
            let mut start = end - n;
            if start > 0 && chars[start - 1] == '《' {
                start -= 1;
            }
            (Some(law.to_string()), start)
        }
        None => (None, at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals() {
        for (s, n) in [
            ("一", 1),
            ("十", 10),
            ("十一", 11),
            ("二十", 20),
            ("二十一", 21),
            ("一百零一", 101),
            ("七十九", 79),
            ("21", 21),
        ] {
            assert_eq!(zh_number(s), Some(n), "{s}");
        }
        assert_eq!(zh_number(""), None);
        assert_eq!(zh_number("零"), None);
    }
}
