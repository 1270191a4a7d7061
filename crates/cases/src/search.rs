//! Search over the cases by character bigrams, not the corpus's tantivy + jieba index: for
//! a few dozen short cases an index buys nothing, and bigrams need no dictionary to match
//! Chinese terms the legal dictionary lacks (弱口令, 弱电井). Decision 1500.
//!
//! A query is split on whitespace; every term must match. A Chinese term matches a case
//! when at least two thirds of its bigrams occur in the case's text (so 日志留存 finds
//! "留存…网络日志", and 等级保护 does not match a case that only says 保护); a term of
//! one character, or without Chinese, must occur as written (case-insensitive).
//! Searched: id, authority, place, party, facts (both languages), the penalty's text, the
//! citations as printed (《网络安全法》第二十一条…) and the titles of the linked duties.

use crate::case::Case;

/// One hit and how well it matched.
#[derive(Debug, Clone)]
pub struct Hit<'a> {
    pub case: &'a Case,
    /// Sum over the terms of the share of their bigrams found (1.0 each when exact).
    pub score: f64,
}

/// The text a case is searched in, lowercased.
pub(crate) fn haystack(case: &Case, duty_titles: &[(String, String)]) -> String {
    let mut parts: Vec<String> = vec![
        case.id.clone(),
        case.authority.clone(),
        case.place.clone(),
        case.party.clone(),
        case.facts.clone(),
        case.facts_en.clone(),
        case.penalty.text.clone(),
    ];
    for c in &case.citations {
        parts.push(dengbao_duties::basis::cite_zh(c));
        parts.push(dengbao_duties::basis::cite_en(c));
    }
    for (zh, en) in duty_titles {
        parts.push(zh.clone());
        parts.push(en.clone());
    }
    parts.join("\n").to_lowercase()
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF)
}

/// The share of `term`'s bigrams found in `text` (1.0 or 0.0 for a term matched as written).
fn term_score(term: &str, text: &str) -> f64 {
    let chars: Vec<char> = term.chars().collect();
    if chars.len() < 2 || !chars.iter().any(|c| is_cjk(*c)) {
        return if text.contains(term) { 1.0 } else { 0.0 };
    }
    if text.contains(term) {
        return 1.0;
    }
    let grams: Vec<String> = chars.windows(2).map(|w| w.iter().collect()).collect();
    let found = grams.iter().filter(|g| text.contains(g.as_str())).count();
    found as f64 / grams.len() as f64
}

/// The cases matching every term of `query`, best first (ties: the later case first).
pub(crate) fn search<'a>(cases: &'a [(Case, String)], query: &str) -> Vec<Hit<'a>> {
    let terms: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    if terms.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<Hit<'a>> = Vec::new();
    'cases: for (case, text) in cases {
        let mut score = 0.0;
        for t in &terms {
            let s = term_score(t, text);
            if s < 2.0 / 3.0 - 1e-9 {
                continue 'cases;
            }
            score += s;
        }
        hits.push(Hit { case, score });
    }
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| b.case.date.cmp(&a.case.date))
            .then_with(|| a.case.id.cmp(&b.case.id))
    });
    hits
}

#[cfg(test)]
mod tests {
    use super::term_score;

    #[test]
    fn a_term_needs_two_thirds_of_its_bigrams() {
        assert_eq!(term_score("日志", "未留存网络日志"), 1.0);
        assert!(term_score("日志留存", "未按规定留存网络日志") >= 2.0 / 3.0);
        assert!(term_score("等级保护", "履行网络安全保护义务") < 2.0 / 3.0);
        assert_eq!(term_score("罚", "罚款一万元"), 1.0);
        assert_eq!(term_score("ransomware", "fell to ransomware"), 1.0);
        assert_eq!(term_score("logs", "no firewall"), 0.0);
    }
}
