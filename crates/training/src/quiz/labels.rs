//! How quizzes name laws and articles: 《网络安全法》第二十一条 in Chinese,
//! "Article 21 of the Cybersecurity Law" in English (the law's English name from
//! data/law/sources.toml).

use dengbao_corpus::numerals::to_chinese;
use dengbao_corpus::Citer;

/// The law's title as a quiz cites it: without the 中华人民共和国 prefix.
pub fn law_title(citer: &Citer, law: &str) -> String {
    let t = citer.title(law).unwrap_or(law);
    t.strip_prefix("中华人民共和国").unwrap_or(t).to_string()
}

pub fn law_title_en(citer: &Citer, law: &str) -> String {
    citer.title_en(law).unwrap_or(law).to_string()
}

/// 《网络安全法》第二十一条.
pub fn article_label(citer: &Citer, law: &str, number: u32) -> String {
    format!("《{}》第{}条", law_title(citer, law), to_chinese(number))
}

/// Article 21 of the Cybersecurity Law.
pub fn article_label_en(citer: &Citer, law: &str, number: u32) -> String {
    format!("Article {number} of the {}", law_title_en(citer, law))
}

/// 第二十一条第一款第（三）项 — the place a cloze question quotes.
pub fn place(number: u32, paragraph: Option<u32>, item: Option<u32>) -> (String, String) {
    let mut zh = format!("第{}条", to_chinese(number));
    let mut en = format!("Article {number}");
    if let Some(p) = paragraph {
        zh.push_str(&format!("第{}款", to_chinese(p)));
        en.push_str(&format!(", paragraph {p}"));
    }
    if let Some(i) = item {
        zh.push_str(&format!("第（{}）项", to_chinese(i)));
        en.push_str(&format!(", item ({i})"));
    }
    (zh, en)
}
