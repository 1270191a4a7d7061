//! The legal basis of a fine, as a chain and as a sentence: from the provision a duty's
//! breach falls under, through every "依照……的规定处罚" (`refers_to`), to the provision
//! whose range applies (decision 0902). E.g. a level-3 network's missed yearly assessment:
//! 条例 第六十三条第二款 → 第六十三条第一款 → 网络安全法 第五十九条第一款, printed
//! 依据《网络安全等级保护条例（征求意见稿）》第六十三条第二款、第一款，依照《网络安全法》第五十九条第一款从重处罚.

use crate::penalty::PenaltyRef;

/// The title a citation of `law` carries in Chinese text, in the law's own short form:
/// the published title without 中华人民共和国 (《网络安全法》), and the MLPS regulation with
/// its status (a draft for comment is never cited as if in force).
pub fn law_title_zh(law: &str) -> String {
    let title = crate::cited::citer().and_then(|c| c.title(law));
    match title {
        Some(t) => format!("《{}》", t.trim_start_matches("中华人民共和国")),
        None => format!("《{law}》"),
    }
}

/// 一 … 九百九十九, the way statutes number articles and paragraphs (1000 and up in digits).
pub(crate) fn to_chinese(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n == 0 || n >= 1000 {
        return n.to_string();
    }
    let (h, t, u) = (
        (n / 100) as usize,
        (n / 10 % 10) as usize,
        (n % 10) as usize,
    );
    let mut s = String::new();
    if h > 0 {
        s.push_str(DIGITS[h]);
        s.push('百');
    }
    if t > 0 {
        if h > 0 || t > 1 {
            s.push_str(DIGITS[t]);
        }
        s.push('十');
    } else if h > 0 && u > 0 {
        s.push('零');
    }
    if u > 0 {
        s.push_str(DIGITS[u]);
    }
    s
}

/// The law's name in English text (data/law/sources.toml `title_en`), or its id.
pub fn law_title_en(law: &str) -> String {
    crate::cited::citer()
        .and_then(|c| c.title_en(law))
        .unwrap_or(law)
        .to_string()
}

/// A citation in the law's own form: 《网络安全法》第二十三条第一款第（三）项.
pub fn cite_zh(c: &dengbao_types::Citation) -> String {
    let mut s = law_title_zh(c.law.as_deref().unwrap_or("csl"));
    s.push_str(&format!("第{}条", to_chinese(c.article)));
    if let Some(x) = c.suffix {
        s.push_str(&format!("之{}", to_chinese(x)));
    }
    if let Some(p) = c.paragraph {
        s.push_str(&format!("第{}款", to_chinese(p)));
    }
    if let Some(i) = c.item {
        s.push_str(&format!("第（{}）项", to_chinese(i)));
    }
    s
}

/// A citation in English: Cybersecurity Law art. 23(1), item (3).
pub fn cite_en(c: &dengbao_types::Citation) -> String {
    let mut s = format!(
        "{} art. {}",
        law_title_en(c.law.as_deref().unwrap_or("csl")),
        c.article
    );
    if let Some(x) = c.suffix {
        s.push_str(&format!("-{x}"));
    }
    if let Some(p) = c.paragraph {
        s.push_str(&format!("({p})"));
    }
    if let Some(i) = c.item {
        s.push_str(&format!(", item ({i})"));
    }
    s
}

/// The basis chain in English: under MLPS Regulation (draft for comment) art. 63(2), 63(1);
/// fined under Cybersecurity Law art. 61(1), aggravated.
pub fn basis_en(basis: &[PenaltyRef], aggravated: bool, fined: bool) -> String {
    let one = |r: &PenaltyRef| {
        let mut s = format!("{} art. {}", law_title_en(&r.law), r.article);
        if let Some(p) = r.paragraph {
            s.push_str(&format!("({p})"));
        }
        s
    };
    let Some((last, before)) = basis.split_last() else {
        return String::new();
    };
    let how = match (fined, aggravated) {
        (true, true) => "fined under",
        (true, false) => "fined under",
        (false, _) => "handled under",
    };
    let tail = if fined && aggravated {
        ", aggravated"
    } else {
        ""
    };
    if before.is_empty() {
        return format!("{how} {}{tail}", one(last));
    }
    let lead: Vec<String> = before.iter().map(one).collect();
    format!("under {}; {how} {}{tail}", lead.join(", "), one(last))
}

/// 第六十三条第二款; only the 款 when `article_known` (the previous citation named the article).
fn provision_zh(r: &PenaltyRef, article_known: bool) -> String {
    let mut s = String::new();
    if !article_known || r.paragraph.is_none() {
        s.push_str(&format!("第{}条", to_chinese(r.article)));
    }
    if let Some(p) = r.paragraph {
        s.push_str(&format!("第{}款", to_chinese(p)));
    }
    s
}

/// The chain as one sentence. `aggravated`: some provision of the chain orders 从重;
/// `fined`: the last provision sets a fine (else, e.g. 网络安全法 第七十二条 for a
/// government network, the consequence is 处理, never 从重).
///
/// - one provision: 依据《网络安全法》第五十九条第一款处罚;
/// - several: 依据 every provision but the last, a law's title only where the law changes
///   and an article only where the article changes (第六十三条第二款、第一款), then
///   依照 the last with its law's title, then 处罚 / 从重处罚 / 处理.
pub fn basis_zh(basis: &[PenaltyRef], aggravated: bool, fined: bool) -> String {
    let Some((last, before)) = basis.split_last() else {
        return String::new();
    };
    let verb = match (fined, aggravated) {
        (true, true) => "从重处罚",
        (true, false) => "处罚",
        (false, _) => "处理",
    };
    let last = format!("{}{}", law_title_zh(&last.law), provision_zh(last, false));
    if before.is_empty() {
        return format!("依据{last}{verb}");
    }
    let mut cited = Vec::new();
    let mut prev: Option<&PenaltyRef> = None;
    for r in before {
        let same_law = prev.is_some_and(|p| p.law == r.law);
        let same_article = same_law && prev.is_some_and(|p| p.article == r.article);
        let title = if same_law {
            String::new()
        } else {
            law_title_zh(&r.law)
        };
        cited.push(format!("{title}{}", provision_zh(r, same_article)));
        prev = Some(r);
    }
    format!("依据{}，依照{last}{verb}", cited.join("、"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(law: &str, article: u32, paragraph: Option<u32>) -> PenaltyRef {
        PenaltyRef {
            law: law.into(),
            article,
            paragraph,
            version: None,
        }
    }

    #[test]
    fn a_chain_reads_as_the_regulation_says_it() {
        let chain = [
            r("mlps", 63, Some(2)),
            r("mlps", 63, Some(1)),
            r("csl", 59, Some(1)),
        ];
        assert_eq!(
            basis_zh(&chain, true, true),
            "依据《网络安全等级保护条例（征求意见稿）》第六十三条第二款、第一款，依照《网络安全法》第五十九条第一款从重处罚"
        );
        assert_eq!(
            basis_zh(&chain[1..], false, true),
            "依据《网络安全等级保护条例（征求意见稿）》第六十三条第一款，依照《网络安全法》第五十九条第一款处罚"
        );
        assert_eq!(
            basis_zh(&chain[2..], false, true),
            "依据《网络安全法》第五十九条第一款处罚"
        );
        assert_eq!(
            basis_zh(&[r("mlps", 64, None), r("csl", 59, Some(1))], false, true),
            "依据《网络安全等级保护条例（征求意见稿）》第六十四条，依照《网络安全法》第五十九条第一款处罚"
        );
        assert_eq!(
            basis_zh(&[r("csl", 59, Some(1)), r("csl", 72, None)], false, false),
            "依据《网络安全法》第五十九条第一款，依照《网络安全法》第七十二条处理"
        );
        assert_eq!(basis_zh(&[], false, true), "");
    }

    #[test]
    fn numbers_are_written_as_statutes_write_them() {
        let cases = [
            (1, "一"),
            (10, "十"),
            (11, "十一"),
            (20, "二十"),
            (59, "五十九"),
            (100, "一百"),
            (101, "一百零一"),
            (110, "一百一十"),
            (999, "九百九十九"),
            (1000, "1000"),
        ];
        for (n, zh) in cases {
            assert_eq!(to_chinese(n), zh, "{n}");
        }
    }
}
