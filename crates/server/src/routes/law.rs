//! Stateless tools over the law: grading, the working-day calendar, article lookup.

use axum::extract::{Path, State};
use axum::Json;
use dengbao_corpus::Corpus;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Caller, Tools};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiQuery;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(grade))
        .routes(routes!(add_workdays))
        .routes(routes!(is_workday))
        .routes(routes!(law_article))
}

/// Grades a network (定级): the body is `dengbao grade --json`'s input
/// (`{"basis"?, "business": {"object", "degree"}, "service": {…}}`); the answer is its
/// output (level, business_level, service_level, basis, citations, notes).
#[utoipa::path(post, path = "/api/grade", tag = "law", security(("bearer" = [])),
    request_body = dengbao_store::profile::GradingInput,
    responses((status = 200, description = "{level, business_level, service_level, basis, citations, notes}", body = serde_json::Value),
              (status = 422, body = ErrorBody)))]
async fn grade(
    _caller: Caller<Tools>,
    body: axum::body::Bytes,
) -> ApiResult<Json<serde_json::Value>> {
    let text =
        std::str::from_utf8(&body).map_err(|_| ApiError::invalid("request body: not UTF-8"))?;
    let input = dengbao_grading::parse_json(text)
        .map_err(|e| ApiError::invalid(format!("request body field {e}")))?;
    let outcome = dengbao_grading::grade(&input);
    Ok(Json(
        serde_json::to_value(&outcome).map_err(ApiError::internal)?,
    ))
}

fn date(field: &str, s: &str) -> ApiResult<Date> {
    s.parse::<Date>().map_err(|_| {
        ApiError::invalid(format!(
            "invalid {field}: {s:?} is not a date YYYY-MM-DD (日期格式无效)"
        ))
    })
}

/// The calendar in force, or its strict form (no provisional years).
fn calendar_for(state: &AppState, strict: bool) -> std::sync::Arc<dengbao_calendar::Calendar> {
    let calendar = state.calendar.get();
    if strict {
        std::sync::Arc::new((*calendar).clone().strict())
    } else {
        calendar
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AddWorkdays {
    /// Start date `YYYY-MM-DD` (not counted).
    pub date: String,
    /// Working days to add.
    pub n: u32,
    /// Refuse a year without a loaded State Council notice instead of answering
    /// provisionally.
    #[serde(default)]
    pub strict: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DateOut {
    pub date: String,
    /// The date falls in a year without a loaded State Council notice: computed from the
    /// statutory holidays and weekends, to be corrected when the notice is loaded.
    pub provisional: bool,
    /// The notice, or the statutory rule, that decided the working days.
    pub basis: String,
}

/// The date `n` working days after `date` (China's State Council schedule, 调休 included).
#[utoipa::path(get, path = "/api/calendar/add-workdays", tag = "law", security(("bearer" = [])), params(AddWorkdays),
    responses((status = 200, body = DateOut), (status = 422, body = ErrorBody)))]
async fn add_workdays(
    State(state): State<AppState>,
    _caller: Caller<Tools>,
    ApiQuery(q): ApiQuery<AddWorkdays>,
) -> ApiResult<Json<DateOut>> {
    let d = date("date", &q.date)?;
    let calendar = calendar_for(&state, q.strict);
    let invalid =
        |e: dengbao_calendar::CalendarError| ApiError::invalid(format!("invalid date: {e}"));
    let out = calendar.deadline(d, q.n).map_err(invalid)?;
    let basis = calendar.basis(out.date).map_err(invalid)?;
    Ok(Json(DateOut {
        date: out.date.to_string(),
        provisional: out.provisional,
        basis: basis.zh,
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct IsWorkday {
    /// `YYYY-MM-DD`
    pub date: String,
    /// As for add-workdays.
    #[serde(default)]
    pub strict: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct WorkdayOut {
    pub date: String,
    pub workday: bool,
    /// Decided by the statutory rule, not a loaded notice (see `DateOut`).
    pub provisional: bool,
    pub basis: String,
}

/// Whether `date` is a working day.
#[utoipa::path(get, path = "/api/calendar/is-workday", tag = "law", security(("bearer" = [])), params(IsWorkday),
    responses((status = 200, body = WorkdayOut), (status = 422, body = ErrorBody)))]
async fn is_workday(
    State(state): State<AppState>,
    _caller: Caller<Tools>,
    ApiQuery(q): ApiQuery<IsWorkday>,
) -> ApiResult<Json<WorkdayOut>> {
    let d = date("date", &q.date)?;
    let calendar = calendar_for(&state, q.strict);
    let invalid =
        |e: dengbao_calendar::CalendarError| ApiError::invalid(format!("invalid date: {e}"));
    let workday = calendar.is_workday(d).map_err(invalid)?;
    let basis = calendar.basis(d).map_err(invalid)?;
    Ok(Json(WorkdayOut {
        date: d.to_string(),
        workday,
        provisional: basis.provisional,
        basis: basis.zh,
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ArticleOut {
    pub law: String,
    pub law_title: String,
    #[schema(value_type = Object)]
    pub citation: dengbao_types::Citation,
    /// The narrowest text cited: the item, the paragraph or the article.
    pub text: String,
}

/// The text a citation points at: `/api/law/csl/21`, `/api/law/mlps/第十五条`,
/// `/api/law/csl/21.1.3`.
#[utoipa::path(get, path = "/api/law/{law}/{citation}", tag = "law", security(("bearer" = [])),
    params(("law" = String, Path, description = "csl or mlps"), ("citation" = String, Path, description = "21, 21.1, 第二十一条第一款第（三）项 …")),
    responses((status = 200, body = ArticleOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn law_article(
    _caller: Caller<Tools>,
    Path((law, citation)): Path<(String, String)>,
) -> ApiResult<Json<ArticleOut>> {
    let corpus = Corpus::shared().map_err(ApiError::internal)?;
    if corpus.law(&law).is_none() {
        return Err(ApiError::not_found("law"));
    }
    let c = dengbao_corpus::parse_citation(&law, &citation)
        .map_err(|e| ApiError::invalid(format!("invalid citation: {e}")))?;
    let r = corpus
        .resolve(&c)
        .map_err(|_| ApiError::not_found("article"))?;
    Ok(Json(ArticleOut {
        law: r.law.to_string(),
        law_title: r.law_title.to_string(),
        citation: r.citation.clone(),
        text: r.text.clone(),
    }))
}
