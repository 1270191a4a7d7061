//! Chinese numerals as they occur in statutes and fine amounts: 第一百零一条, 五十万元, 二十.
//!
//! Reading stays here rather than using `dengbao_statute::numerals::parse_number`: fine
//! amounts need `u64`, 亿 and mixed forms such as `10万`, and reconciliation reads raw seed
//! text leniently, where the parser rejects malformed numerals. Writing delegates to the
//! parser's [`dengbao_statute::numerals::to_chinese`].

/// Value of one digit character, Chinese or Arabic.
fn digit(c: char) -> Option<u64> {
    Some(match c {
        '〇' | '零' | '0' | '０' => 0,
        '一' | '壹' | '1' | '１' => 1,
        '二' | '两' | '贰' | '2' | '２' => 2,
        '三' | '叁' | '3' | '３' => 3,
        '四' | '肆' | '4' | '４' => 4,
        '五' | '伍' | '5' | '５' => 5,
        '六' | '陆' | '6' | '６' => 6,
        '七' | '柒' | '7' | '７' => 7,
        '八' | '捌' | '8' | '８' => 8,
        '九' | '玖' | '9' | '９' => 9,
        _ => return None,
    })
}

fn unit(c: char) -> Option<u64> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        _ => return None,
    })
}

/// True for every character [`parse`] understands.
pub fn is_numeral_char(c: char) -> bool {
    digit(c).is_some() || unit(c).is_some() || c == '万' || c == '亿'
}

/// Parses a numeral such as `二十一`, `一百零一`, `五十万`, `一百万`, `21`.
/// Returns `None` for an empty string, a stray character or an overflow.
pub fn parse(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    let mut total: u64 = 0;
    let mut section: u64 = 0;
    let mut num: u64 = 0;
    let mut arabic_run = false;
    for c in s.chars() {
        if let Some(d) = digit(c) {
            // Arabic digits may run together ("10万"); Chinese digits do not.
            num = if arabic_run && c.is_ascii_digit() {
                num.checked_mul(10)?.checked_add(d)?
            } else {
                d
            };
            arabic_run = c.is_ascii_digit();
        } else if let Some(u) = unit(c) {
            let n = if num == 0 { 1 } else { num };
            section = section.checked_add(n.checked_mul(u)?)?;
            num = 0;
            arabic_run = false;
        } else if c == '万' || c == '亿' {
            let u = if c == '万' { 10_000 } else { 100_000_000 };
            let block = section.checked_add(num)?;
            let block = if block == 0 { 1 } else { block };
            total = total.checked_add(block.checked_mul(u)?)?;
            section = 0;
            num = 0;
            arabic_run = false;
        } else {
            return None;
        }
    }
    total.checked_add(section)?.checked_add(num)
}

/// Writes `n` the way statutes number articles (二十一, 一百零一, 一百一十), using the
/// parser's canonical form; from 10 000 up it writes Arabic digits.
pub fn to_chinese(n: u32) -> String {
    if n >= 10_000 {
        return n.to_string();
    }
    dengbao_statute::numerals::to_chinese(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statute_numbers_and_fine_amounts_parse() {
        for (s, n) in [
            ("一", 1),
            ("十", 10),
            ("十一", 11),
            ("二十一", 21),
            ("七十九", 79),
            ("一百零一", 101),
            ("一百一十", 110),
            ("五千", 5000),
            ("五十万", 500_000),
            ("一百万", 1_000_000),
            ("十万", 100_000),
            ("21", 21),
        ] {
            assert_eq!(parse(s), Some(n), "{s}");
        }
        assert_eq!(parse(""), None);
        assert_eq!(parse("条"), None);
    }

    #[test]
    fn round_trip_up_to_a_thousand() {
        for n in 0..1000u32 {
            assert_eq!(
                parse(&to_chinese(n)),
                Some(u64::from(n)),
                "{n} {}",
                to_chinese(n)
            );
        }
        assert_eq!(to_chinese(101), "一百零一");
        assert_eq!(to_chinese(21), "二十一");
    }
}
