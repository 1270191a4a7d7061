//! Chinese numerals and the numbered labels of statute text.
//!
//! Accepts what real statute text contains: 一…九十九, 一百零一, 一百一十, 两, 〇/零,
//! 千/万, positional digit runs (二〇一七), ASCII digits and full-width digits (１２).
//! [`to_chinese`] writes the canonical form used in statutes (十一, not 一十一).

/// The value of a single Chinese digit character (零〇一二两三…九), if it is one.
fn digit_value(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' | '○' | 'Ｏ' => 0,
        '一' | '壹' => 1,
        '二' | '两' | '贰' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

fn unit_value(c: char) -> Option<u32> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        _ => return None,
    })
}

/// ASCII or full-width decimal digit.
fn arabic_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// Whether `c` can be part of a number this module reads.
pub fn is_numeral_char(c: char) -> bool {
    digit_value(c).is_some() || unit_value(c).is_some() || c == '万' || arabic_value(c).is_some()
}

/// Parses a whole string as a number: Chinese numerals, or ASCII / full-width digits.
/// Returns `None` for anything else (empty, mixed scripts, malformed, overflow).
pub fn parse_number(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| arabic_value(c).is_some()) {
        return s.chars().try_fold(0u32, |acc, c| {
            acc.checked_mul(10)?.checked_add(arabic_value(c)?)
        });
    }
    parse_chinese(s)
}

fn parse_chinese(s: &str) -> Option<u32> {
    let chars: Vec<char> = s.chars().collect();
    // Positional digit runs such as 二〇一七 (no units at all).
    if chars.len() > 1 && chars.iter().all(|&c| digit_value(c).is_some()) {
        return chars.iter().try_fold(0u32, |acc, &c| {
            acc.checked_mul(10)?.checked_add(digit_value(c)?)
        });
    }
    let mut total: u32 = 0; // completed 万 groups
    let mut section: u32 = 0; // below 万
    let mut digit: Option<u32> = None;
    let mut last_unit: u32 = 10_000; // units must strictly decrease inside a section
    let mut seen_any = false;
    for &c in &chars {
        if let Some(d) = digit_value(c) {
            if digit.is_some_and(|p| p != 0) {
                return None; // two digits in a row with no unit between (一二)
            }
            if d == 0 {
                // 零 marks a skipped place; it carries no value.
                digit = Some(0);
            } else {
                digit = Some(d);
            }
            seen_any = true;
        } else if let Some(u) = unit_value(c) {
            if u >= last_unit {
                return None;
            }
            let d = match digit {
                Some(0) => return None, // 零十
                Some(d) => d,
                // A bare 十 means 一十 (十一 = 11, 一百十 = 110); other units need a digit.
                None if u == 10 => 1,
                None => return None,
            };
            section = section.checked_add(d.checked_mul(u)?)?;
            digit = None;
            last_unit = u;
            seen_any = true;
        } else if c == '万' {
            let group = section.checked_add(digit.unwrap_or(0))?;
            if group == 0 && total == 0 {
                return None;
            }
            if total > 0 {
                return None; // 万万 is not used in article numbers
            }
            total = group.checked_mul(10_000)?;
            section = 0;
            digit = None;
            last_unit = 10_000;
            seen_any = true;
        } else {
            return None;
        }
    }
    if !seen_any {
        return None;
    }
    total.checked_add(section)?.checked_add(digit.unwrap_or(0))
}

const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// Writes `n` the way statutes do: 0 → 零, 11 → 十一, 110 → 一百一十, 101 → 一百零一,
/// 10001 → 一万零一.
pub fn to_chinese(n: u32) -> String {
    if n == 0 {
        return "零".into();
    }
    let mut out = String::new();
    let high = n / 10_000;
    let low = n % 10_000;
    if high > 0 {
        out.push_str(&below_10000(high, true));
        out.push('万');
        if low > 0 {
            if low < 1000 {
                out.push('零');
            }
            out.push_str(&below_10000(low, false));
        }
    } else {
        out.push_str(&below_10000(low, true));
    }
    out
}

/// `leading`: whether this group starts the number (then 10–19 are written 十…).
fn below_10000(n: u32, leading: bool) -> String {
    let mut out = String::new();
    let places = [(1000, '千'), (100, '百'), (10, '十'), (1, ' ')];
    let mut pending_zero = false;
    let mut started = false;
    for (value, unit) in places {
        let d = (n / value) % 10;
        if d == 0 {
            if started {
                pending_zero = true;
            }
            continue;
        }
        if pending_zero {
            out.push('零');
            pending_zero = false;
        }
        let bare_ten = value == 10 && d == 1 && !started && leading;
        if !bare_ten {
            out.push(DIGITS[d as usize]);
        }
        if value > 1 {
            out.push(unit);
        }
        started = true;
    }
    out
}

/// An article label at the start of `s`: `第N条` or `第N条之M` (N, M in any numeral form,
/// spaces allowed around N as in `第 21 条`). Returns (number, suffix, bytes consumed).
pub fn parse_article_label(s: &str) -> Option<(u32, Option<u32>, usize)> {
    let (n, after) = numbered_label(s, '条')?;
    let rest = &s[after..];
    if let Some(tail) = rest.strip_prefix('之') {
        let len: usize = tail
            .chars()
            .take_while(|&c| is_numeral_char(c))
            .map(char::len_utf8)
            .sum();
        if let Some(m) = parse_number(&tail[..len]) {
            return Some((n, Some(m), after + '之'.len_utf8() + len));
        }
    }
    Some((n, None, after))
}

/// `第N<unit>` at the start of `s` (unit 编/章/节/条/款/项/目). Returns (N, bytes consumed
/// including the unit).
pub fn numbered_label(s: &str, unit: char) -> Option<(u32, usize)> {
    let rest = s.strip_prefix('第')?;
    let mut pos = '第'.len_utf8();
    let lead_ws: usize = rest
        .chars()
        .take_while(|c| *c == ' ')
        .map(char::len_utf8)
        .sum();
    let digits: usize = rest[lead_ws..]
        .chars()
        .take_while(|&c| is_numeral_char(c))
        .map(char::len_utf8)
        .sum();
    let n = parse_number(&rest[lead_ws..lead_ws + digits])?;
    pos += lead_ws + digits;
    let trail_ws: usize = s[pos..]
        .chars()
        .take_while(|c| *c == ' ')
        .map(char::len_utf8)
        .sum();
    let after_ws = pos + trail_ws;
    s[after_ws..].strip_prefix(unit)?;
    Some((n, after_ws + unit.len_utf8()))
}

/// An item marker at the start of `s`: （一） (一) （1） (1) ⑴, optionally followed by
/// spaces. Returns (item number, bytes consumed including trailing spaces).
pub fn parse_item_marker(s: &str) -> Option<(u32, usize)> {
    let first = s.chars().next()?;
    if let Some(n) = circled_paren(first) {
        return Some((
            n,
            first.len_utf8() + trailing_spaces(&s[first.len_utf8()..]),
        ));
    }
    if first != '（' && first != '(' {
        return None;
    }
    let inner_start = first.len_utf8();
    let inner_len: usize = s[inner_start..]
        .chars()
        .take_while(|&c| is_numeral_char(c) || c == ' ')
        .map(char::len_utf8)
        .sum();
    let close_pos = inner_start + inner_len;
    let close = s[close_pos..].chars().next()?;
    if close != '）' && close != ')' {
        return None;
    }
    let n = parse_number(s[inner_start..close_pos].trim())?;
    if n == 0 {
        return None;
    }
    let end = close_pos + close.len_utf8();
    Some((n, end + trailing_spaces(&s[end..])))
}

fn circled_paren(c: char) -> Option<u32> {
    // ⑴ … ⒇
    let v = c as u32;
    if (0x2474..=0x2487).contains(&v) {
        Some(v - 0x2474 + 1)
    } else {
        None
    }
}

fn trailing_spaces(s: &str) -> usize {
    s.chars()
        .take_while(|c| c.is_whitespace())
        .map(char::len_utf8)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_the_numbers_statutes_use() {
        let cases = [
            ("一", 1),
            ("十", 10),
            ("十一", 11),
            ("一十一", 11),
            ("二十", 20),
            ("九十九", 99),
            ("一百", 100),
            ("一百零一", 101),
            ("一百一十", 110),
            ("一百十", 110),
            ("两百", 200),
            ("一千零一", 1001),
            ("二〇一七", 2017),
            ("〇", 0),
            ("零", 0),
            ("21", 21),
            ("２１", 21),
            ("一万零一", 10001),
        ];
        for (s, n) in cases {
            assert_eq!(parse_number(s), Some(n), "{s}");
        }
        for bad in ["", "十十", "百", "万", "a", "一a", "零十"] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn writes_canonical_numerals() {
        assert_eq!(to_chinese(11), "十一");
        assert_eq!(to_chinese(79), "七十九");
        assert_eq!(to_chinese(101), "一百零一");
        assert_eq!(to_chinese(110), "一百一十");
        assert_eq!(to_chinese(1010), "一千零一十");
        assert_eq!(to_chinese(10001), "一万零一");
        assert_eq!(to_chinese(100_000), "十万");
    }

    #[test]
    fn reads_article_labels_with_suffix() {
        assert_eq!(
            parse_article_label("第二十条之一 本条"),
            Some((20, Some(1), 18))
        );
        assert_eq!(parse_article_label("第一百零一条"), Some((101, None, 18)));
        assert_eq!(parse_article_label("第 21 条"), Some((21, None, 10)));
        assert_eq!(parse_article_label("第二十条之规定"), Some((20, None, 12)));
        assert_eq!(parse_article_label("第二章"), None);
    }

    #[test]
    fn reads_item_markers() {
        assert_eq!(parse_item_marker("（一）设置"), Some((1, 9)));
        assert_eq!(parse_item_marker("(五) 第五级"), Some((5, 6)));
        assert_eq!(parse_item_marker("(12)x"), Some((12, 4)));
        assert_eq!(parse_item_marker("（十一）"), Some((11, 12)));
        assert_eq!(parse_item_marker("（来源：）"), None);
        assert_eq!(parse_item_marker("()"), None);
    }

    proptest! {
        #[test]
        fn chinese_round_trip(n in 0u32..100_000_000) {
            prop_assert_eq!(parse_number(&to_chinese(n)), Some(n));
        }

        #[test]
        fn arabic_round_trip(n in 0u32..u32::MAX) {
            prop_assert_eq!(parse_number(&n.to_string()), Some(n));
        }

        #[test]
        fn article_label_round_trip(n in 1u32..2000, suffix in proptest::option::of(1u32..20)) {
            let label = match suffix {
                Some(m) => format!("第{}条之{}", to_chinese(n), to_chinese(m)),
                None => format!("第{}条", to_chinese(n)),
            };
            prop_assert_eq!(parse_article_label(&label), Some((n, suffix, label.len())));
        }

        #[test]
        fn item_marker_round_trip(n in 1u32..100, fullwidth in any::<bool>()) {
            let m = if fullwidth { format!("（{}）", to_chinese(n)) } else { format!("({n})") };
            prop_assert_eq!(parse_item_marker(&m), Some((n, m.len())));
        }

        #[test]
        fn never_panics(s in "\\PC{0,12}") {
            let _ = parse_number(&s);
            let _ = parse_article_label(&s);
            let _ = parse_item_marker(&s);
        }
    }
}
