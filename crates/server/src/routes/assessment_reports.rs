//! The assessment's documents (issue 11): the 测评报告 as DOCX and the per-item results as
//! XLSX, laid out by `dengbao-reports` from exactly what `GET /api/networks/{id}/assessment`
//! answers (`assessment_of`: latest results, conclusion, tasks), so a download never says
//! something the page does not. Whoever may read the assessment may download both.

use std::sync::OnceLock;

use axum::extract::State;
use axum::response::Response;
use dengbao_controls::{Extension, HighRisk, Submitted};
use dengbao_reports as reports;
use dengbao_store::item_results::ItemResult;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{NetworkGuard, Read};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::routes::assessment::{assessment_of, controls, scope_of, Assessment};
use crate::routes::reports::{download, file_name, zh_half, DOCX, XLSX};
use crate::routes::supervision::today;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(report_docx))
        .routes(routes!(results_xlsx))
}

/// The 高风险 cases of the guide, loaded once beside the catalog.
fn high_risk() -> Result<&'static HighRisk, ApiError> {
    static CASES: OnceLock<Option<HighRisk>> = OnceLock::new();
    let catalog = controls()?;
    CASES
        .get_or_init(|| HighRisk::builtin(catalog).ok())
        .as_ref()
        .ok_or_else(|| ApiError::internal("the embedded high-risk cases failed to load"))
}

/// An extension's short Chinese name, as the report's 被测对象描述 writes it.
fn extension_zh(e: Extension) -> Option<&'static str> {
    match e {
        Extension::General => None,
        Extension::Cloud => Some("云计算"),
        Extension::Mobile => Some("移动互联"),
        Extension::Iot => Some("物联网"),
        Extension::Ics => Some("工业控制"),
    }
}

/// A stored UTC instant as Beijing time to the minute; as stored when it does not parse.
fn beijing(at: &str) -> String {
    at.parse::<jiff::Timestamp>()
        .map(|t| {
            dengbao_calendar::in_shanghai(t)
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| at.to_string())
}

/// The report's data: the assessment as the API gives it, laid over the items in scope.
async fn report_of(
    state: &AppState,
    guard: &NetworkGuard<Read>,
) -> ApiResult<reports::AssessmentReport> {
    let net = state.store.get_network(&guard.network_id).await?;
    let org = state.store.get_org(&guard.org_id).await?;
    let a: Assessment = assessment_of(state, &guard.network_id).await?;
    let (level, exts) = scope_of(&net)?;
    let catalog = controls()?;
    let scope = catalog
        .select(level, &exts)
        .map_err(|e| ApiError::invalid(format!("invalid level: {e}")))?;
    let cases = high_risk()?;
    let latest = |id: &str| a.items.iter().find(|i| i.item == id);
    let items = scope
        .iter()
        .map(|c| {
            let r: Option<&ItemResult> = latest(&c.id);
            let high_risk_cases = r
                .map(|r| {
                    cases
                        .matches(&[Submitted {
                            item: r.item.clone(),
                            result: r.result.clone(),
                            reason: None,
                            risk: r.risk.clone(),
                            major_hazard: Some(r.major_hazard),
                        }])
                        .into_iter()
                        .flat_map(|m| m.cases)
                        .map(|id| match cases.get(&id) {
                            Some(case) => format!("{id} {}", case.name),
                            None => id,
                        })
                        .collect()
                })
                .unwrap_or_default();
            reports::AssessmentItem {
                id: c.id.clone(),
                class: c.class.zh().to_string(),
                point: c.point.clone(),
                letter: c.letter.to_string(),
                requirement: c.requirement.clone(),
                result: r.map(|r| r.result.clone()).unwrap_or_default(),
                risk: r.and_then(|r| r.risk.clone()).unwrap_or_default(),
                major_hazard: r.is_some_and(|r| r.major_hazard),
                reason: r.map(|r| r.reason.clone()).unwrap_or_default(),
                note: r.map(|r| r.note.clone()).unwrap_or_default(),
                recorded_at: r.map(|r| beijing(&r.recorded_at)).unwrap_or_default(),
                high_risk_cases,
            }
        })
        .collect();
    // 重大风险隐患 are counted before rectification: every item the engagement ever marked
    // one; a hazard is fixed when the item's latest result is 符合 or 不适用 (the re-test
    // decides, as it does for tasks).
    let (mut hazards_found, mut hazards_fixed) = (0, 0);
    let mut engagement = None;
    if let Some(e) = &a.engagement_id {
        let mut marked: Vec<String> = state
            .store
            .item_result_history(e)
            .await?
            .into_iter()
            .filter(|r| r.major_hazard)
            .map(|r| r.item)
            .collect();
        marked.sort();
        marked.dedup();
        hazards_found = marked.len();
        hazards_fixed = marked
            .iter()
            .filter(|m| latest(m).is_some_and(|l| matches!(l.result.as_str(), "符合" | "不适用")))
            .count();
        engagement = state
            .store
            .list_engagements(&guard.network_id)
            .await?
            .into_iter()
            .find(|x| &x.id == e);
    }
    let assessor = match &engagement {
        Some(e) => state
            .store
            .list_users()
            .await?
            .into_iter()
            .find(|u| u.id == e.assessor_id)
            .map(|u| u.name)
            .unwrap_or_else(|| e.assessor_id.clone()),
        None => String::new(),
    };
    let t = dengbao_i18n::Messages::get(dengbao_types::Lang::ZhCn);
    let conclusion = a.conclusion.as_ref().map(|c| reports::ReportConclusion {
        rate: c["rate"].as_f64().unwrap_or_default(),
        verdict: c["conclusion"].as_str().unwrap_or_default().to_string(),
        reading: zh_half(c["reading"].as_str().unwrap_or_default()),
    });
    Ok(reports::AssessmentReport {
        org_name: org.name,
        network_name: net.profile.name.clone(),
        level: level.get(),
        assessor,
        engaged_on: engagement.map(|e| e.engaged_on).unwrap_or_default(),
        extensions: exts
            .iter()
            .filter_map(|e| extension_zh(*e))
            .map(String::from)
            .collect(),
        items,
        conclusion,
        hazards_found,
        hazards_fixed,
        // The task states in the console's Chinese words (未安排, 整改中 …).
        tasks: a
            .tasks
            .iter()
            .map(|k| reports::RectificationRow {
                item: k.item.clone(),
                result: k.result.clone(),
                risk: k.risk.clone().unwrap_or_default(),
                owner: k.owner.clone().unwrap_or_default(),
                due: k.due.clone().unwrap_or_default(),
                state: t.s(&format!("assessment.task_{}", k.state)).to_string(),
            })
            .collect(),
        generated_on: today().to_string(),
    })
}

/// The level-assessment report (测评报告): while items lack a result it says 测评未完成 and
/// how many, with no conclusion.
#[utoipa::path(get, path = "/api/networks/{id}/assessment/report.docx", tag = "assessment", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", description = "DOCX"), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn report_docx(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
) -> ApiResult<Response> {
    let r = report_of(&state, &guard).await?;
    let name = file_name("测评报告", &r.network_name, "docx");
    download(
        reports::assessment_docx(&r),
        DOCX,
        "assessment-report.docx",
        &name,
    )
}

/// Every item in scope with its latest result (or 未测评), one row each.
#[utoipa::path(get, path = "/api/networks/{id}/assessment/findings.xlsx", tag = "assessment", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "XLSX"), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn results_xlsx(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
) -> ApiResult<Response> {
    let r = report_of(&state, &guard).await?;
    let name = file_name("测评结果", &r.network_name, "xlsx");
    download(
        reports::assessment_xlsx(&r),
        XLSX,
        "assessment-results.xlsx",
        &name,
    )
}
