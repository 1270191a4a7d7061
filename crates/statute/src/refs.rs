//! Cross-references inside article text, resolved to [`Citation`]s.
//!
//! Reads chains such as 本法第二十二条第一款、第二款和第四十八条第一款 (22¶1, 22¶2,
//! 48¶1), ranges 第四十一条至第四十三条 (41, 42, 43), 第N条第M款第（K）项, 前款 / 前两款 /
//! 本条第N款 (the current article), 前条, and 《其他法律》第N条 (`law` = `csl`, `mlps` or
//! the title). A bare 第N款 means a paragraph of the current article. A law named
//! without an article (依照《中华人民共和国保守国家秘密法》处理) is not a reference.

use dengbao_types::{Citation, LawId};

use crate::lines::is_space;
use crate::model::{Diagnostic, Statute};
use crate::numerals::{numbered_label, parse_article_label, parse_item_marker, parse_number};

const SELF_NAMES: [&str; 8] = [
    "本条例",
    "本法",
    "本规定",
    "本办法",
    "本细则",
    "本规则",
    "本决定",
    "本准则",
];

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    SelfLaw,
    Named(String),
    Art(u32, Option<u32>),
    Para(u32),
    Item(u32),
    PrevParas(u32),
    PrevArticle,
    ThisArticle,
    Sep,
    Range,
    Other,
}

/// The law id for a title named in 《》: `csl`, `mlps` or another id the corpus carries
/// (`dsl`, `pipl`, `ciipr`, `ndsr`, `cryptolaw`, `ccr`), `None` for the statute itself,
/// else the title.
pub fn law_for_title(title: &str, own_title: &str) -> Option<String> {
    let t: String = title.chars().filter(|c| !is_space(*c)).collect();
    if !own_title.is_empty() && t == own_title {
        return None;
    }
    match t.as_str() {
        "中华人民共和国网络安全法" | "网络安全法" => Some(LawId::CSL.into()),
        "网络安全等级保护条例" => Some(LawId::MLPS.into()),
        "中华人民共和国数据安全法" | "数据安全法" => Some(LawId::DSL.into()),
        "中华人民共和国个人信息保护法" | "个人信息保护法" => {
            Some(LawId::PIPL.into())
        }
        "关键信息基础设施安全保护条例" => Some(LawId::CIIPR.into()),
        "网络数据安全管理条例" => Some(LawId::NDSR.into()),
        "中华人民共和国密码法" | "密码法" => Some(LawId::CRYPTOLAW.into()),
        "商用密码管理条例" => Some(LawId::CCR.into()),
        _ => Some(t),
    }
}

fn next_tok(s: &str) -> (Tok, usize) {
    for name in SELF_NAMES {
        if s.starts_with(name) {
            return (Tok::SelfLaw, name.len());
        }
    }
    if let Some(inner) = s.strip_prefix('《') {
        if let Some(end) = inner.find('》') {
            let title = &inner[..end];
            if title.chars().count() <= 60 {
                return (
                    Tok::Named(title.to_string()),
                    '《'.len_utf8() + end + '》'.len_utf8(),
                );
            }
        }
    }
    if s.starts_with('第') {
        if let Some((n, suffix, len)) = parse_article_label(s) {
            return (Tok::Art(n, suffix), len);
        }
        if let Some((n, len)) = numbered_label(s, '款') {
            return (Tok::Para(n), len);
        }
        if let Some((n, len)) = numbered_label(s, '项') {
            return (Tok::Item(n), len);
        }
        let after = &s['第'.len_utf8()..];
        if let Some((n, len)) = parse_item_marker(after) {
            if let Some(rest) = after[len..].strip_prefix('项') {
                return (Tok::Item(n), s.len() - rest.len());
            }
        }
    }
    for (word, tok) in [
        ("前款", Tok::PrevParas(1)),
        ("前条", Tok::PrevArticle),
        ("以及", Tok::Sep),
        ("或者", Tok::Sep),
    ] {
        if s.starts_with(word) {
            return (tok, word.len());
        }
    }
    if let Some(rest) = s.strip_prefix('前') {
        let len: usize = rest
            .chars()
            .take_while(|c| !matches!(c, '款'))
            .take(3)
            .map(char::len_utf8)
            .sum();
        if rest[len..].starts_with('款') {
            if let Some(n) = parse_number(&rest[..len]) {
                return (Tok::PrevParas(n), '前'.len_utf8() + len + '款'.len_utf8());
            }
        }
    }
    if s.starts_with("本条") {
        return (Tok::ThisArticle, "本条".len());
    }
    let c = s.chars().next().unwrap_or(' ');
    let tok = match c {
        '、' | '，' | ',' | '和' | '及' | '与' | '或' => Tok::Sep,
        '至' | '到' => Tok::Range,
        c if is_space(c) => Tok::Sep,
        _ => Tok::Other,
    };
    (tok, c.len_utf8().max(1))
}

/// Where a reference sits: the article and its 1-based paragraph.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Here {
    pub article: u32,
    pub suffix: Option<u32>,
    pub paragraph: u32,
}

#[derive(Default)]
struct Scan {
    out: Vec<Citation>,
    /// What could not be resolved, in English and Chinese.
    problems: Vec<(String, String)>,
    pending: Option<Citation>,
    prefix: Option<Option<String>>,
    chain_law: Option<Option<String>>,
    chain_article: Option<(u32, Option<u32>)>,
    range_from: Option<Citation>,
}

impl Scan {
    fn flush(&mut self) {
        if let Some(c) = self.pending.take() {
            self.out.push(c);
        }
    }

    fn cite(law: Option<String>, article: (u32, Option<u32>)) -> Citation {
        Citation {
            law,
            article: article.0,
            suffix: article.1,
            paragraph: None,
            item: None,
            version: None,
        }
    }
}

/// Finds the references in one piece of text (a paragraph or one of its items).
pub(crate) fn extract(
    text: &str,
    here: Here,
    own_title: &str,
) -> (Vec<Citation>, Vec<(String, String)>) {
    let mut s = Scan::default();
    let this = (here.article, here.suffix);
    let mut pos = 0;
    while pos < text.len() {
        let (tok, len) = next_tok(&text[pos..]);
        let fragment = &text[pos..pos + len];
        pos += len;
        match tok {
            Tok::SelfLaw => {
                s.flush();
                s.prefix = Some(None);
                s.chain_law = None;
            }
            Tok::Named(t) => {
                s.flush();
                s.prefix = Some(law_for_title(&t, own_title));
                s.chain_law = None;
            }
            Tok::Art(n, suffix) => {
                s.flush();
                let law = s.prefix.take().or(s.chain_law.clone()).unwrap_or(None);
                if let Some(from) = s.range_from.take() {
                    if from.paragraph.is_none()
                        && from.law == law
                        && n >= from.article
                        && n - from.article < 200
                    {
                        for k in from.article + 1..n {
                            s.out.push(Scan::cite(law.clone(), (k, None)));
                        }
                    } else {
                        s.problems.push((
                            format!("range ending at {fragment} does not start at an article of the same law"),
                            format!("止于{fragment}的范围不是从同一法律的条文开始"),
                        ));
                    }
                }
                s.chain_law = Some(law.clone());
                s.chain_article = Some((n, suffix));
                s.pending = Some(Scan::cite(law, (n, suffix)));
            }
            Tok::Para(m) => {
                let refine = s
                    .pending
                    .as_ref()
                    .is_some_and(|c| c.paragraph.is_none() && c.item.is_none());
                if refine {
                    if let Some(c) = s.pending.as_mut() {
                        c.paragraph = Some(m);
                    }
                } else {
                    s.flush();
                    let law = s.chain_law.clone().unwrap_or(None);
                    let article = s.chain_article.unwrap_or(this);
                    if let Some(from) = s.range_from.take() {
                        if let Some(a) = from
                            .paragraph
                            .filter(|&a| m > a && from.article == article.0)
                        {
                            for k in a + 1..m {
                                s.out
                                    .push(Scan::cite(law.clone(), article).with_paragraph(k));
                            }
                        }
                    }
                    s.chain_law = Some(law.clone());
                    s.chain_article = Some(article);
                    s.pending = Some(Scan::cite(law, article).with_paragraph(m));
                }
            }
            Tok::Item(k) => {
                if s.pending.as_ref().is_some_and(|c| c.item.is_none()) {
                    if let Some(c) = s.pending.as_mut() {
                        c.item = Some(k);
                    }
                } else {
                    let last_para = s
                        .pending
                        .as_ref()
                        .or(s.out.last())
                        .and_then(|c| c.paragraph);
                    s.flush();
                    let law = s.chain_law.clone().unwrap_or(None);
                    let article = s.chain_article.unwrap_or(this);
                    let mut c = Scan::cite(law, article);
                    c.paragraph = last_para;
                    c.item = Some(k);
                    s.pending = Some(c);
                }
            }
            Tok::PrevParas(n) => {
                s.flush();
                s.prefix = None;
                if n >= here.paragraph {
                    s.problems.push((
                        format!(
                            "{fragment} in paragraph {} of {} has no earlier paragraph to refer to",
                            here.paragraph,
                            label(this)
                        ),
                        format!(
                            "{}第{}款中的{fragment}之前没有可指代的款",
                            label(this),
                            here.paragraph
                        ),
                    ));
                    s.chain_law = None;
                    continue;
                }
                for j in here.paragraph - n..here.paragraph {
                    s.flush();
                    s.pending = Some(Scan::cite(None, this).with_paragraph(j));
                }
                s.chain_law = Some(None);
                s.chain_article = Some(this);
            }
            Tok::PrevArticle => {
                s.flush();
                if here.article <= 1 {
                    s.problems.push((
                        format!("前条 in {} has no earlier article", label(this)),
                        format!("{}中的“前条”之前没有条文", label(this)),
                    ));
                    continue;
                }
                s.pending = Some(Scan::cite(None, (here.article - 1, None)));
                s.chain_law = Some(None);
                s.chain_article = Some((here.article - 1, None));
            }
            Tok::ThisArticle => {
                s.flush();
                s.prefix = None;
                s.chain_law = Some(None);
                s.chain_article = Some(this);
            }
            Tok::Sep => s.flush(),
            Tok::Range => {
                s.flush();
                s.range_from = s.out.last().cloned();
            }
            Tok::Other => {
                s.flush();
                s.prefix = None;
                s.chain_law = None;
                s.chain_article = None;
                s.range_from = None;
            }
        }
    }
    s.flush();
    (s.out, s.problems)
}

fn label(key: (u32, Option<u32>)) -> String {
    match key.1 {
        Some(s) => format!("第{}条之{}", key.0, s),
        None => format!("第{}条", key.0),
    }
}

/// Fills every article's `refs` and returns the problems found while reading them.
pub(crate) fn fill(statute: &mut Statute) -> Vec<Diagnostic> {
    let own = statute.title.clone();
    let mut diags = Vec::new();
    let articles = statute
        .articles
        .iter_mut()
        .chain(statute.variants.iter_mut().map(|v| &mut v.article));
    for a in articles {
        let mut refs: Vec<Citation> = Vec::new();
        for (i, p) in a.paragraphs.iter().enumerate() {
            let here = Here {
                article: a.number,
                suffix: a.suffix,
                paragraph: u32::try_from(i + 1).unwrap_or(u32::MAX),
            };
            for text in std::iter::once(&p.text).chain(p.items.iter()) {
                let (found, problems) = extract(text, here, &own);
                for c in found {
                    if !refs.contains(&c) {
                        refs.push(c);
                    }
                }
                for (m, zh) in problems {
                    diags.push(Diagnostic {
                        line: a.line,
                        message: m,
                        message_zh: zh,
                    });
                }
            }
        }
        a.refs = refs;
    }
    diags
}

/// Whether `c` points at something that exists in `statute` (its law is ignored):
/// the article (with suffix), the paragraph, the item (in the cited paragraph, or in the
/// first paragraph with items when no paragraph is cited).
pub fn citation_exists(statute: &Statute, c: &Citation) -> bool {
    let Some(a) = statute
        .articles
        .iter()
        .find(|a| a.number == c.article && a.suffix == c.suffix)
    else {
        return false;
    };
    let para = match c.paragraph {
        Some(p) => match a.paragraphs.get((p as usize).wrapping_sub(1)) {
            Some(para) if p >= 1 => Some(para),
            _ => return false,
        },
        None => None,
    };
    match c.item {
        None => true,
        Some(k) => {
            let items = match para {
                Some(p) => &p.items,
                None => match a.paragraphs.iter().find(|p| !p.items.is_empty()) {
                    Some(p) => &p.items,
                    None => return false,
                },
            };
            k >= 1 && (k as usize) <= items.len()
        }
    }
}

/// Every reference to this statute (`law: None`) in `statute` that does not resolve, as
/// a diagnostic at the citing article's line. References to other laws are not checked
/// here: check them with [`citation_exists`] against that law.
pub fn unresolved_refs(statute: &Statute) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for a in &statute.articles {
        for c in a.refs.iter().filter(|c| c.law.is_none()) {
            if !citation_exists(statute, c) {
                out.push(Diagnostic {
                    line: a.line,
                    message: format!(
                        "{} refers to {c}, which does not exist in this text (引用的条款不存在)",
                        label((a.number, a.suffix))
                    ),
                    message_zh: format!("{}引用的{c}在本文本中不存在", label((a.number, a.suffix))),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(text: &str, paragraph: u32) -> Vec<String> {
        let here = Here {
            article: 60,
            suffix: None,
            paragraph,
        };
        let (found, _) = extract(text, here, "网络安全等级保护条例");
        found.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn lists_that_omit_the_article() {
        assert_eq!(
            refs(
                "违反本法第二十二条第一款、第二款和第四十八条第一款规定，有下列行为",
                1
            ),
            ["第22条第1款", "第22条第2款", "第48条第1款"]
        );
    }

    #[test]
    fn ranges_expand() {
        assert_eq!(
            refs("违反本法第二十二条第三款、第四十一条至第四十三条规定", 1),
            ["第22条第3款", "第41条", "第42条", "第43条"]
        );
    }

    #[test]
    fn relative_paragraphs() {
        assert_eq!(refs("单位有前款行为的", 2), ["第60条第1款"]);
        assert_eq!(refs("有前两款行为的", 3), ["第60条第1款", "第60条第2款"]);
        assert_eq!(refs("依照本条第一款规定", 2), ["第60条第1款"]);
        let (_, problems) = extract(
            "前款",
            Here {
                article: 3,
                suffix: None,
                paragraph: 1,
            },
            "",
        );
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn items_and_other_laws() {
        assert_eq!(
            refs("本条例第二十条第一款第（五）项", 1),
            ["第20条第1款第(5)项"]
        );
        assert_eq!(
            refs(
                "依照《中华人民共和国网络安全法》第五十九条第一款的规定处罚",
                1
            ),
            ["csl 第59条第1款"]
        );
        assert_eq!(
            refs(
                "按照《中华人民共和国保守国家秘密法》第四十八条和国家保密相关规定处理",
                1
            ),
            ["中华人民共和国保守国家秘密法 第48条"]
        );
        // a law mentioned without an article is not a reference
        assert!(refs(
            "按照《中华人民共和国保守国家秘密法》和国家保密相关规定处理",
            1
        )
        .is_empty());
        // after another law's article, a new bare chain is this statute again
        assert_eq!(
            refs("依照《网络安全法》第六十四条的规定处罚；违反第十条的", 1),
            ["csl 第64条", "第10条"]
        );
    }

    #[test]
    fn not_references() {
        assert!(refs("第三级以上网络运营者", 1).is_empty());
        assert!(refs("中华人民共和国主席令第五十三号", 1).is_empty());
    }
}
