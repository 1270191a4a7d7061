//! Citations typed by a user: `21`, `21.1`, `21.1.3`, `第二十条（五）`, `第二十二条第一款`,
//! `第二十一条第一款第（三）项`, `第二十条之一`, `本法第21条` — and resolving them to text.

use serde::Serialize;

use crate::numerals;
use crate::text::parse_article_label;
use crate::{Article, Chapter, Citation, Corpus, CorpusError, Paragraph, Section};

/// A citation that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read citation '{input}': {reason} (无法识别的条文引用；示例：21、21.1、第二十条（五）、第二十二条第一款)")]
pub struct CitationError {
    pub input: String,
    pub reason: String,
}

fn err(input: &str, reason: &str) -> CitationError {
    CitationError {
        input: input.into(),
        reason: reason.into(),
    }
}

/// Reads a citation of `law`.
pub fn parse_citation(law: &str, input: &str) -> Result<Citation, CitationError> {
    let s: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(crate::text::widen)
        .collect();
    let mut s = s.as_str();
    // 《…》 and 本法/本条例 prefixes.
    if let Some(rest) = s.strip_prefix('《') {
        s = rest.split_once('》').map(|(_, r)| r).unwrap_or(rest);
    }
    for p in ["本法", "本条例", "条例", "法"] {
        if let Some(r) = s.strip_prefix(p) {
            s = r;
            break;
        }
    }
    if s.is_empty() {
        return Err(err(input, "empty"));
    }
    let mut c = Citation::article(law, 0);
    if s.chars().next().is_some_and(|ch| ch.is_ascii_digit()) {
        // 21, 21.1, 21.1.3, 21-1 (之一)
        let (main, suffix) = match s.split_once('-') {
            Some((m, x)) => (m, Some(x)),
            None => (s, None),
        };
        let parts: Vec<&str> = main.split('.').collect();
        let num = |p: &str, what: &str| -> Result<u32, CitationError> {
            p.parse::<u32>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| err(input, &format!("{what} '{p}' is not a number from 1")))
        };
        if parts.len() > 3 {
            return Err(err(input, "use ARTICLE[.PARAGRAPH[.ITEM]]"));
        }
        c.article = num(parts[0], "article")?;
        if let Some(p) = parts.get(1) {
            c.paragraph = Some(num(p, "paragraph")?);
        }
        if let Some(i) = parts.get(2) {
            c.item = Some(num(i, "item")?);
        }
        if let Some(x) = suffix {
            c.suffix = Some(num(x, "之 suffix")?);
        }
        return Ok(c);
    }
    // Chinese form; Arabic digits inside (第21条) are accepted.
    let (number, suffix, used) =
        parse_article_label(s).ok_or_else(|| err(input, "expected 第…条 or a number"))?;
    if number == 0 {
        return Err(err(input, "article 0"));
    }
    c.article = number;
    c.suffix = suffix;
    let mut rest = &s[used..];
    // 第…款
    if let Some(r) = rest.strip_prefix('第') {
        let d: String = r
            .chars()
            .take_while(|ch| numerals::is_numeral_char(*ch))
            .collect();
        if let Some(after) = r[d.len()..].strip_prefix('款') {
            let n = numerals::parse(&d)
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| *n > 0)
                .ok_or_else(|| err(input, "paragraph number"))?;
            c.paragraph = Some(n);
            rest = after;
        }
    }
    // 第（三）项, （三）, 第三项
    let r = rest.strip_prefix('第').unwrap_or(rest);
    let (inner, after) = if let Some(x) = r.strip_prefix('（') {
        match x.split_once('）') {
            Some((i, a)) => (i, a.strip_prefix('项').unwrap_or(a)),
            None => return Err(err(input, "unclosed （")),
        }
    } else if let Some((i, a)) = r.split_once('项') {
        (i, a)
    } else {
        ("", r)
    };
    if !inner.is_empty() {
        let n = numerals::parse(inner)
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n > 0)
            .ok_or_else(|| err(input, "item number"))?;
        c.item = Some(n);
    }
    let after = after.trim_end_matches(['。', '，', '、']);
    let after = after.strip_suffix("规定").unwrap_or(after);
    if !after.is_empty() {
        return Err(err(input, &format!("unexpected '{after}'")));
    }
    Ok(c)
}

/// What a citation points at, with the surrounding structure.
#[derive(Debug, Clone, Serialize)]
pub struct Resolved<'a> {
    pub law: &'a str,
    pub law_title: &'a str,
    pub citation: Citation,
    pub article: &'a Article,
    pub chapter: Option<&'a Chapter>,
    pub section: Option<&'a Section>,
    /// The paragraph cited (or, for an item cited without its paragraph, the paragraph
    /// holding the items).
    pub paragraph: Option<(u32, &'a Paragraph)>,
    pub item: Option<(u32, &'a str)>,
    /// The narrowest text cited: the item, the paragraph (with its items) or the article.
    pub text: String,
}

/// 第二十一条, 第二十条之一.
pub fn article_label(number: u32, suffix: Option<u32>) -> String {
    match suffix {
        Some(s) => format!(
            "第{}条之{}",
            numerals::to_chinese(number),
            numerals::to_chinese(s)
        ),
        None => format!("第{}条", numerals::to_chinese(number)),
    }
}

pub(crate) fn paragraph_text(p: &Paragraph) -> String {
    let mut s = p.text.clone();
    for (k, it) in p.items.iter().enumerate() {
        if !s.is_empty() {
            s.push('\n');
        }
        s.push_str(&format!("（{}）{}", numerals::to_chinese(k as u32 + 1), it));
    }
    s
}

pub(crate) fn resolve<'a>(corpus: &'a Corpus, c: &Citation) -> Result<Resolved<'a>, CorpusError> {
    let law_id = c.law.as_deref().unwrap_or("");
    let law = corpus
        .law(law_id)
        .ok_or_else(|| CorpusError::UnknownLaw(law_id.to_string()))?;
    let label = article_label(c.article, c.suffix);
    // A citation naming a version is read in that version's text; otherwise canonical.
    let st = match c.version.as_deref() {
        Some(v) => {
            &law.version(v)
                .ok_or_else(|| law.unknown_version(v))?
                .statute
        }
        None => law.canonical(),
    };
    let article = st
        .articles
        .iter()
        .find(|a| a.number == c.article && a.suffix == c.suffix)
        .ok_or_else(|| CorpusError::UnknownArticle {
            law: law.id.clone(),
            label: label.clone(),
        })?;
    let chapter = st.chapters.iter().find(|ch| ch.number == article.chapter);
    let section = article
        .section
        .and_then(|s| chapter.and_then(|ch| ch.sections.iter().find(|x| x.number == s)));
    let mut paragraph = None;
    if let Some(p) = c.paragraph {
        let para = article
            .paragraphs
            .get((p as usize).wrapping_sub(1))
            .ok_or_else(|| CorpusError::UnknownParagraph {
                law: law.id.clone(),
                article: label.clone(),
                paragraph: p,
                count: article.paragraphs.len(),
            })?;
        paragraph = Some((p, para));
    }
    let mut item = None;
    if let Some(i) = c.item {
        let holder = match paragraph {
            Some(x) => Some(x),
            None => {
                let with_items: Vec<(u32, &Paragraph)> = article
                    .paragraphs
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| !p.items.is_empty())
                    .map(|(k, p)| (k as u32 + 1, p))
                    .collect();
                if with_items.len() == 1 {
                    with_items.first().copied()
                } else {
                    None
                }
            }
        };
        let Some((pn, para)) = holder else {
            return Err(CorpusError::UnknownItem {
                law: law.id.clone(),
                article: label,
                item: i,
                detail:
                    "该条没有列项或需指明款 (no single paragraph with items; name the paragraph)"
                        .into(),
            });
        };
        let it = para
            .items
            .get((i as usize).wrapping_sub(1))
            .ok_or_else(|| CorpusError::UnknownItem {
                law: law.id.clone(),
                article: label.clone(),
                item: i,
                detail: format!("第{}款共{}项", pn, para.items.len()),
            })?;
        paragraph = Some((pn, para));
        item = Some((i, it.as_str()));
    }
    let text = match (item, paragraph) {
        (Some((_, t)), _) => t.to_string(),
        (None, Some((_, p))) => paragraph_text(p),
        _ => article
            .paragraphs
            .iter()
            .map(paragraph_text)
            .collect::<Vec<_>>()
            .join("\n"),
    };
    Ok(Resolved {
        law: &law.id,
        law_title: &law.title,
        citation: c.clone(),
        article,
        chapter,
        section,
        paragraph,
        item,
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citation_forms() {
        let c = parse_citation("mlps", "第二十条（五）").unwrap();
        assert_eq!((c.article, c.paragraph, c.item), (20, None, Some(5)));
        let c = parse_citation("csl", "21.1").unwrap();
        assert_eq!((c.article, c.paragraph, c.item), (21, Some(1), None));
        let c = parse_citation("csl", "第二十二条第一款").unwrap();
        assert_eq!((c.article, c.paragraph), (22, Some(1)));
        let c = parse_citation("csl", "第二十一条第一款第（三）项").unwrap();
        assert_eq!((c.article, c.paragraph, c.item), (21, Some(1), Some(3)));
        let c = parse_citation("csl", "第二十条之一").unwrap();
        assert_eq!((c.article, c.suffix), (20, Some(1)));
        assert!(parse_citation("csl", "abc").is_err());
        assert!(parse_citation("csl", "0").is_err());
        assert!(parse_citation("csl", "第二十条（五").is_err());
    }
}
