//! 以案释法 — the case library (issue 15, decision 1504): `/cases` lists the public
//! enforcement cases of `data/cases/cases.toml`, searched as `dengbao cases search` does and
//! narrowed to an article or a duty; `/cases/{id}` shows one case with its articles linked
//! to the law reader in the numbering in force on the case's date. The law reader's article
//! pages list the cases that applied the article ([`related`]).

use std::sync::OnceLock;

use askama::Template;
use axum::extract::{Path, Query};
use axum::routing::get;
use axum::Router;
use dengbao_cases::{Case, Library};
use dengbao_server::auth::Tools;
use dengbao_server::AppState;
use serde::Deserialize;

use crate::ctx::Ctx;
use crate::guard::{Page, PageError, PageResult};
use crate::links::{cite, CiteLink};
use crate::pages::render;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases", get(list))
        .route("/cases/{id}", get(one))
}

/// The shipped, validated library (loaded once).
pub fn library() -> Result<&'static Library, PageError> {
    static LIB: OnceLock<Result<Library, String>> = OnceLock::new();
    LIB.get_or_init(|| Library::embedded().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(PageError::internal)
}

/// One case in a list: its page, date, authority and party, in the page's language.
pub struct CaseRow {
    pub href: String,
    pub id: String,
    pub date: String,
    pub who: String,
    pub summary: String,
}

/// Chinese names on an English page are quoted 「…」 (one language per page, decision 0934).
fn quoted(c: &Ctx, zh: &str) -> String {
    if c.lang.is_en() {
        format!("「{zh}」")
    } else {
        zh.to_string()
    }
}

fn row(c: &Ctx, case: &Case) -> CaseRow {
    CaseRow {
        href: format!("/cases/{}", case.id),
        id: case.id.clone(),
        date: case.date.to_string(),
        who: format!(
            "{} · {}",
            quoted(c, &case.authority),
            quoted(c, &case.party)
        ),
        summary: if c.lang.is_en() {
            case.facts_en.clone()
        } else {
            case.facts.clone()
        },
    }
}

/// The cases that applied article `number` of `law` in `version`'s numbering, as rows.
pub fn related(c: &Ctx, law: &str, version: &str, number: u32) -> Vec<CaseRow> {
    library()
        .map(|lib| {
            lib.for_article(law, version, number)
                .map(|case| row(c, case))
                .collect()
        })
        .unwrap_or_default()
}

/// The cases that illustrate duty `id`, as rows.
pub fn for_duty(c: &Ctx, id: &str) -> Vec<CaseRow> {
    library()
        .map(|lib| lib.for_duty(id).map(|case| row(c, case)).collect())
        .unwrap_or_default()
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    duty: String,
}

#[derive(Template)]
#[template(path = "cases/list.html")]
struct ListTpl {
    c: Ctx,
    q: String,
    duty: String,
    total: usize,
    rows: Vec<CaseRow>,
}

async fn list(page: Page<Tools>, Query(q): Query<ListQuery>) -> PageResult {
    let c = page.c;
    let lib = library()?;
    let query = q.q.trim();
    let mut cases: Vec<&Case> = if query.is_empty() {
        lib.cases().collect()
    } else {
        lib.search(query).into_iter().map(|h| h.case).collect()
    };
    let duty = q.duty.trim();
    if !duty.is_empty() {
        cases.retain(|x| x.duties.iter().any(|d| d == duty));
    }
    render(&ListTpl {
        rows: cases.iter().map(|x| row(&c, x)).collect(),
        q: query.to_string(),
        duty: duty.to_string(),
        total: lib.len(),
        c,
    })
}

#[derive(Template)]
#[template(path = "cases/case.html")]
struct CaseTpl {
    c: Ctx,
    id: String,
    date: String,
    date_line: String,
    authority: String,
    place: String,
    party: String,
    facts: String,
    citations: Vec<CiteLink>,
    duties: Vec<String>,
    penalty: String,
    sep: &'static str,
    source_url: String,
    source_title: String,
    publisher: String,
    retrieved: String,
}

async fn one(page: Page<Tools>, Path(id): Path<String>) -> PageResult {
    let c = page.c;
    let Some(case) = library()?.get(&id) else {
        return Err(PageError::not_found(&c));
    };
    let en = c.lang.is_en();
    render(&CaseTpl {
        id: case.id.clone(),
        date: case.date.to_string(),
        date_line: if en {
            format!("{} ({})", case.date, case.date_basis.label(en))
        } else {
            format!("{}（{}）", case.date, case.date_basis.label(en))
        },
        authority: quoted(&c, &case.authority),
        place: quoted(&c, &case.place),
        party: quoted(&c, &case.party),
        facts: if en {
            case.facts_en.clone()
        } else {
            case.facts.clone()
        },
        // Each article in the numbering in force on the case's date (decision 0203).
        citations: case.citations.iter().map(|x| cite(x, c.t)).collect(),
        duties: case.duties.clone(),
        penalty: {
            let kinds: Vec<&str> = case.penalty.kinds.iter().map(|k| k.label(en)).collect();
            if en {
                format!("{}: {}", kinds.join(", "), quoted(&c, &case.penalty.text))
            } else {
                format!("{}：{}", kinds.join("、"), case.penalty.text)
            }
        },
        sep: if en { ", " } else { "、" },
        source_url: case.source.url.clone(),
        source_title: case
            .source
            .title
            .as_deref()
            .map(|t| quoted(&c, t))
            .unwrap_or_default(),
        publisher: quoted(&c, &case.source.publisher),
        retrieved: case.source.retrieved.clone(),
        c,
    })
}
