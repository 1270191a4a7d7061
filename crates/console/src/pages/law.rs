//! The law reader: laws → chapters → articles (`/law/<law>/<article>`, the target of every
//! citation link), with commentary, and the search box (dengbao-search).

use std::sync::OnceLock;

use askama::Template;
use axum::extract::{Path, Query};
use axum::routing::get;
use axum::Router;
use dengbao_corpus::numerals::to_chinese;
use dengbao_corpus::Corpus;
use dengbao_search::SearchIndex;
use dengbao_server::auth::Tools;
use dengbao_server::AppState;
use serde::Deserialize;

use crate::ctx::Ctx;
use crate::guard::{Page, PageError, PageResult};
use crate::links::article_href;
use crate::pages::render;
use crate::svg::escape;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/law", get(laws))
        .route("/law/search", get(search))
        .route("/law/{law}", get(law))
        .route("/law/{law}/{article}", get(article))
}

fn corpus() -> Result<&'static Corpus, PageError> {
    Corpus::shared().map_err(PageError::internal)
}

fn index() -> Result<&'static SearchIndex, PageError> {
    static INDEX: OnceLock<Result<SearchIndex, String>> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            Corpus::shared()
                .map_err(|e| e.to_string())
                .and_then(|c| SearchIndex::from_corpus(c).map_err(|e| e.to_string()))
        })
        .as_ref()
        .map_err(PageError::internal)
}

/// A number as the page's language writes it in a label: 二十一 / 21.
fn num(c: &Ctx, n: u32) -> String {
    if c.lang.is_en() {
        n.to_string()
    } else {
        to_chinese(n)
    }
}

/// An article's label: 第二十一条 / Article 21.
fn label(c: &Ctx, number: u32, suffix: Option<u32>) -> String {
    match suffix {
        Some(s) => c.t.f2("law.article_suffix", num(c, number), num(c, s)),
        None => c.t.f("law.article", num(c, number)),
    }
}

/// A law's title as the page's language shows it: as is in Chinese, 《…》 in English.
fn law_title(c: &Ctx, title: &str) -> String {
    if c.lang.is_en() {
        format!("《{title}》")
    } else {
        title.to_string()
    }
}

/// An article's own title: 【…】 in Chinese, 「…」 in English.
fn article_title(c: &Ctx, title: &str) -> String {
    match (title.is_empty(), c.lang.is_en()) {
        (true, _) => String::new(),
        (false, true) => format!("「{title}」"),
        (false, false) => format!("【{title}】"),
    }
}

/// A chapter's heading: 第三章 网络运行安全 / Chapter 3 「网络运行安全」.
fn chapter_label(c: &Ctx, ch: &dengbao_corpus::Chapter) -> String {
    c.t.f2("law.chapter", num(c, ch.number), &ch.title)
}

pub struct LawRow {
    pub id: String,
    pub title: String,
    pub articles: usize,
}

#[derive(Template)]
#[template(path = "law/index.html")]
struct LawsTpl {
    c: Ctx,
    laws: Vec<LawRow>,
    q: String,
}

async fn laws(page: Page<Tools>) -> PageResult {
    let laws = corpus()?
        .laws()
        .iter()
        .map(|l| LawRow {
            id: l.id.clone(),
            title: law_title(&page.c, &l.title),
            articles: l.canonical().articles.len(),
        })
        .collect();
    render(&LawsTpl {
        c: page.c,
        laws,
        q: String::new(),
    })
}

pub struct ArticleLink {
    pub href: String,
    pub label: String,
    pub title: String,
}

pub struct ChapterRow {
    pub title: String,
    pub articles: Vec<ArticleLink>,
}

#[derive(Template)]
#[template(path = "law/law.html")]
struct LawTpl {
    c: Ctx,
    title: String,
    /// 文本：2025年修正文本（2026-01-01起施行）.
    edition: String,
    /// The law's other complete versions, as links.
    versions: Vec<ArticleLink>,
    chapters: Vec<ChapterRow>,
}

/// `?v=amended-2025`: which version of a law to read (decision 0203); the canonical one
/// when absent, so a link written before versions existed keeps its meaning.
#[derive(Deserialize, Default)]
struct VersionQuery {
    #[serde(default)]
    v: Option<String>,
}

/// The version asked for, or the canonical one; `None` for an unknown name (404).
fn pick_version<'l>(
    l: &'l dengbao_corpus::Law,
    q: &VersionQuery,
) -> Option<&'l dengbao_corpus::LawVersion> {
    match q.v.as_deref() {
        Some(v) => l.version(v),
        None => l.version(&l.canonical_version),
    }
}

/// `/law/csl/21`, with `?v=` when the version is not the canonical one.
fn versioned_href(
    l: &dengbao_corpus::Law,
    version: &str,
    number: u32,
    suffix: Option<u32>,
) -> String {
    let mut h = article_href(&l.id, number, suffix);
    if version != l.canonical_version {
        h.push_str(&format!("?v={version}"));
    }
    h
}

/// 文本：2025年修正文本（2026-01-01起施行）. `final` is the 2016 text only for the CSL;
/// the laws around it (decision 0204) carry one version, the text in force (现行文本).
fn edition(c: &Ctx, law: &str, v: &dengbao_corpus::LawVersion) -> String {
    let key = crate::i18n::version_key(law, &v.name);
    let mut s = c.t.f("law.edition", c.t.s(&key));
    if let Some(d) = v.in_force {
        s.push_str(&c.t.f("law.in_force_since", c.t.date(d)));
    }
    s
}

async fn law(
    page: Page<Tools>,
    Path(id): Path<String>,
    Query(q): Query<VersionQuery>,
) -> PageResult {
    let Some(l) = corpus()?.law(&id) else {
        return Err(PageError::not_found(&page.c));
    };
    let c = page.c;
    let Some(version) = pick_version(l, &q) else {
        return Err(PageError::not_found(&c));
    };
    let statute = &version.statute;
    let versions = l
        .versions
        .iter()
        .filter(|v| !v.partial && v.name != version.name)
        .map(|v| ArticleLink {
            href: if v.name == l.canonical_version {
                format!("/law/{}", l.id)
            } else {
                format!("/law/{}?v={}", l.id, v.name)
            },
            label: edition(&c, &l.id, v),
            title: String::new(),
        })
        .collect();
    let link = |a: &dengbao_corpus::Article| ArticleLink {
        href: versioned_href(l, &version.name, a.number, a.suffix),
        label: label(&c, a.number, a.suffix),
        // The article's title, or the start of its text: the law's own words.
        title: {
            let t: String = a.title.clone().unwrap_or_else(|| {
                a.text
                    .chars()
                    .map(|ch| if ch == '\n' { ' ' } else { ch })
                    .take(40)
                    .collect()
            });
            if c.lang.is_en() {
                format!("「{t}」")
            } else {
                t
            }
        },
    };
    let mut chapters: Vec<ChapterRow> = statute
        .chapters
        .iter()
        .map(|ch| ChapterRow {
            title: chapter_label(&c, ch),
            articles: statute
                .articles
                .iter()
                .filter(|a| a.chapter == ch.number)
                .map(link)
                .collect(),
        })
        .collect();
    let loose: Vec<ArticleLink> = statute
        .articles
        .iter()
        .filter(|a| !statute.chapters.iter().any(|ch| ch.number == a.chapter))
        .map(link)
        .collect();
    if !loose.is_empty() {
        chapters.push(ChapterRow {
            title: String::new(),
            articles: loose,
        });
    }
    render(&LawTpl {
        title: law_title(&c, &l.title),
        edition: edition(&c, &l.id, version),
        versions,
        chapters,
        c,
    })
}

pub struct ParagraphRow {
    pub n: usize,
    pub text: String,
    pub items: Vec<String>,
}

pub struct CommentRow {
    pub kind: String,
    pub title: String,
    pub text: String,
    pub source: String,
}

#[derive(Template)]
#[template(path = "law/article.html")]
struct ArticleTpl {
    c: Ctx,
    law_id: String,
    law_title: String,
    chapter: String,
    label: String,
    title: String,
    paragraphs: Vec<ParagraphRow>,
    comments: Vec<CommentRow>,
    prev: Option<ArticleLink>,
    next: Option<ArticleLink>,
    edition: String,
    /// The same provision in the law's other complete versions.
    counterparts: Vec<crate::links::CiteLink>,
    /// 以案释法: the cases that applied this article (in this version's numbering).
    cases: Vec<crate::pages::cases::CaseRow>,
}

/// `21` or `20-1` (之一).
fn parse_article(s: &str) -> Option<(u32, Option<u32>)> {
    match s.split_once('-') {
        Some((a, b)) => Some((a.parse().ok()?, Some(b.parse().ok()?))),
        None => Some((s.parse().ok()?, None)),
    }
}

async fn article(
    page: Page<Tools>,
    Path((law_id, art)): Path<(String, String)>,
    Query(q): Query<VersionQuery>,
) -> PageResult {
    let c = page.c;
    let corpus = corpus()?;
    let (Some(l), Some((number, suffix))) = (corpus.law(&law_id), parse_article(&art)) else {
        return Err(PageError::not_found(&c));
    };
    let Some(version) = pick_version(l, &q) else {
        return Err(PageError::not_found(&c));
    };
    let statute = &version.statute;
    let Some(pos) = statute
        .articles
        .iter()
        .position(|a| a.number == number && a.suffix == suffix)
    else {
        return Err(PageError::not_found(&c));
    };
    let a = &statute.articles[pos];
    let mut here = dengbao_types::Citation::article(&l.id, number);
    here.suffix = suffix;
    let counterparts: Vec<dengbao_types::Citation> = dengbao_duties::cited::citer()
        .map(|citer| {
            l.versions
                .iter()
                .filter(|v| !v.partial && v.name != version.name)
                .flat_map(|v| citer.translate(&here, &version.name, &v.name))
                .collect()
        })
        .unwrap_or_default();
    // Commentary is written against the canonical text: reach it through the counterpart.
    let canonical_number = if version.name == l.canonical_version {
        Some((number, suffix))
    } else {
        counterparts
            .iter()
            .find(|x| x.version.as_deref() == Some(l.canonical_version.as_str()))
            .map(|x| (x.article, x.suffix))
    };
    let link = |a: &dengbao_corpus::Article| ArticleLink {
        href: versioned_href(l, &version.name, a.number, a.suffix),
        label: label(&c, a.number, a.suffix),
        title: a.title.clone().unwrap_or_default(),
    };
    let chapter = statute
        .chapters
        .iter()
        .find(|ch| ch.number == a.chapter)
        .map(|ch| chapter_label(&c, ch))
        .unwrap_or_default();
    let comments = canonical_number
        .map(|(n, s)| {
            corpus
                .commentary_for(&l.id, n)
                .into_iter()
                .filter(move |cm| cm.suffix == s)
        })
        .into_iter()
        .flatten()
        .map(|cm| CommentRow {
            kind: format!("{:?}", cm.kind),
            title: cm.title.clone().unwrap_or_default(),
            text: cm.text.clone(),
            source: format!("{}:{}", cm.source, cm.line),
        })
        .collect();
    render(&ArticleTpl {
        law_id: l.id.clone(),
        law_title: law_title(&c, &l.title),
        chapter,
        label: label(&c, number, suffix),
        title: article_title(&c, a.title.as_deref().unwrap_or_default()),
        paragraphs: a
            .paragraphs
            .iter()
            .enumerate()
            .map(|(i, p)| ParagraphRow {
                n: i + 1,
                text: p.text.clone(),
                items: p.items.clone(),
            })
            .collect(),
        comments,
        prev: pos
            .checked_sub(1)
            .and_then(|i| statute.articles.get(i))
            .map(link),
        next: statute.articles.get(pos + 1).map(link),
        edition: edition(&c, &l.id, version),
        counterparts: counterparts
            .iter()
            .map(|x| crate::links::cite(x, c.t))
            .collect(),
        cases: if suffix.is_none() {
            crate::pages::cases::related(&c, &l.id, &version.name, number)
        } else {
            Vec::new()
        },
        c,
    })
}

#[derive(Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

pub struct HitRow {
    pub href: String,
    pub label: String,
    pub law_title: String,
    /// Escaped text with the matches in `<mark>`.
    pub snippet: String,
}

#[derive(Template)]
#[template(path = "law/search.html")]
struct SearchTpl {
    c: Ctx,
    q: String,
    hits: Vec<HitRow>,
}

/// The snippet's `**match**` as `<mark>match</mark>`, everything else escaped.
fn marked(snippet: &str) -> String {
    let mut out = String::new();
    for (i, part) in snippet.split("**").enumerate() {
        if i % 2 == 1 {
            out.push_str("<mark>");
            out.push_str(&escape(part));
            out.push_str("</mark>");
        } else {
            out.push_str(&escape(part));
        }
    }
    out
}

async fn search(page: Page<Tools>, Query(q): Query<SearchQuery>) -> PageResult {
    let c = page.c;
    let query = q.q.trim().to_string();
    let hits = if query.is_empty() {
        vec![]
    } else {
        index()?
            .search(&query, 20)
            .map_err(|e| PageError::bad(&c, e.to_string()))?
            .into_iter()
            .map(|h| HitRow {
                href: article_href(&h.law, h.article, h.suffix),
                label: label(&c, h.article, h.suffix),
                law_title: law_title(&c, &h.law_title),
                snippet: marked(&h.snippet),
            })
            .collect()
    };
    render(&SearchTpl { c, q: query, hits })
}
