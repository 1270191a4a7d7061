//! 以案释法 — the case library over HTTP (issue 15, decision 1504): the shipped cases as
//! `dengbao cases list|search --json` gives them (`dengbao_cases::CaseView`), read-only,
//! for every signed-in role.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::Json;
use dengbao_cases::{CaseView, Library};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Caller, Tools};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiQuery;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_cases))
        .routes(routes!(get_case))
}

fn library() -> ApiResult<&'static Library> {
    static LIB: OnceLock<Result<Library, String>> = OnceLock::new();
    LIB.get_or_init(|| Library::embedded().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| ApiError::internal(std::io::Error::other(e.clone())))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CaseQuery {
    /// Words to search for (every one must match; best first), as `dengbao cases search`.
    #[serde(default)]
    pub q: Option<String>,
    /// Only the cases that illustrate this duty (e.g. `csl.operator.logs`).
    #[serde(default)]
    pub duty: Option<String>,
    /// Only the cases that applied this article of the CSL (`csl:21`) or another law
    /// (`mlps2007:14`), in the numbering in force on each case's date.
    #[serde(default)]
    pub article: Option<String>,
}

/// The cases, oldest first (or best first with `q`), each as `dengbao cases list --json`
/// writes it: `{id, date, authority, facts, citations, penalty, source, …}`.
#[utoipa::path(get, path = "/api/cases", tag = "law", security(("bearer" = [])), params(CaseQuery),
    responses((status = 200, description = "[{id, date, authority, facts, citations, penalty, source, …}]", body = serde_json::Value),
              (status = 422, body = ErrorBody)))]
async fn list_cases(
    _caller: Caller<Tools>,
    ApiQuery(q): ApiQuery<CaseQuery>,
) -> ApiResult<Json<Vec<CaseView>>> {
    let lib = library()?;
    let article = q
        .article
        .as_deref()
        .map(|a| {
            a.split_once(':')
                .and_then(|(law, n)| Some((law.to_string(), n.parse::<u32>().ok()?)))
                .ok_or_else(|| {
                    ApiError::invalid(format!(
                        "invalid article: {a:?} is not LAW:NUMBER such as csl:21 (条款格式无效)"
                    ))
                })
        })
        .transpose()?;
    let mut cases: Vec<&dengbao_cases::Case> = match q.q.as_deref().map(str::trim) {
        Some(words) if !words.is_empty() => lib.search(words).into_iter().map(|h| h.case).collect(),
        _ => lib.cases().collect(),
    };
    if let Some(d) = q.duty.as_deref() {
        cases.retain(|c| c.duties.iter().any(|x| x == d));
    }
    if let Some((law, n)) = &article {
        cases.retain(|c| {
            c.citations
                .iter()
                .any(|x| x.law.as_deref() == Some(law.as_str()) && x.article == *n)
        });
    }
    Ok(Json(cases.into_iter().map(CaseView::of).collect()))
}

/// One case.
#[utoipa::path(get, path = "/api/cases/{case_id}", tag = "law", security(("bearer" = [])),
    params(("case_id" = String, Path, description = "e.g. 2017-chongqing-log-retention")),
    responses((status = 200, body = serde_json::Value), (status = 404, body = ErrorBody)))]
async fn get_case(
    _caller: Caller<Tools>,
    Path(case_id): Path<String>,
) -> ApiResult<Json<CaseView>> {
    library()?
        .get(&case_id)
        .map(|c| Json(CaseView::of(c)))
        .ok_or_else(|| ApiError::not_found("case"))
}
