//! The one place a citation becomes a link: [`cite`] → `/law/<law>/<article>`, with the
//! paragraph as a `#p<N>` anchor, labelled in the page's language.

use dengbao_types::Citation;

use crate::i18n::Messages;

/// A citation as a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteLink {
    pub href: String,
    pub label: String,
}

/// The path of an article: `/law/csl/21`, `/law/mlps/20-1` for 第二十条之一.
pub fn article_href(law: &str, article: u32, suffix: Option<u32>) -> String {
    match suffix {
        Some(s) => format!("/law/{law}/{article}-{s}"),
        None => format!("/law/{law}/{article}"),
    }
}

/// A citation as a link to the law reader, e.g. 《网络安全法》第二十一条第一款第（三）项 or
/// CSL art. 21(1)(3). A citation without a law names the law `default_law`.
pub fn cite(c: &Citation, t: &Messages) -> CiteLink {
    let law = c.law.as_deref().unwrap_or("csl");
    let mut href = article_href(law, c.article, c.suffix);
    // A citation in another version's numbering opens that version (decision 0203); the
    // reader shows the canonical text when no version is named.
    if let Some(v) = versioned(law, c.version.as_deref()) {
        href.push_str(&format!("?v={v}"));
    }
    if let Some(p) = c.paragraph {
        href.push_str(&format!("#p{p}"));
    }
    // The law's own form (《网络安全法》第二十三条第一款第（三）项), one formatter for every
    // interface (decision 0934).
    let label = if t.lang.is_en() {
        dengbao_duties::basis::cite_en(c)
    } else {
        dengbao_duties::basis::cite_zh(c)
    };
    CiteLink { href, label }
}

/// The version to name in a link: one that is not the law's canonical version.
pub fn versioned<'a>(law: &str, version: Option<&'a str>) -> Option<&'a str> {
    let v = version?;
    let canonical = dengbao_duties::cited::citer().and_then(|c| c.canonical(law));
    (canonical != Some(v)).then_some(v)
}

/// Several citations as links.
pub fn cites(cs: &[Citation], t: &Messages) -> Vec<CiteLink> {
    cs.iter().map(|c| cite(c, t)).collect()
}
