//! The 2017 law-popularisation work plan as an organisation's checklist (issue 15, decision
//! 1506): `GET /api/organisations/{id}/work-plan/{year}` gives the plan's 13 points (from
//! `data/law/commentary/work-plan.toml`) each with what the organisation recorded;
//! `PUT …/{year}/{point}` records one (audited `workplan.update`). Reading needs `Read`;
//! recording is the organisation's own (`EditNetwork`).

use axum::extract::State;
use axum::Json;
use dengbao_store::{StoreError, WorkPlanTask, WorkPlanTaskInput};
use dengbao_training::work_plan::{points, Point};
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{EditNetwork, OrgGuard, Read};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiJson;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_work_plan))
        .routes(routes!(put_work_plan_point))
}

/// One point of the plan and what the organisation recorded for it (`null`: nothing yet).
#[derive(Serialize, utoipa::ToSchema)]
pub struct WorkPlanRow {
    #[schema(value_type = Object)]
    pub point: Point,
    pub task: Option<WorkPlanTask>,
}

fn year_of(s: &str) -> ApiResult<i32> {
    s.trim()
        .parse()
        .map_err(|_| StoreError::invalid("year", format!("{s:?} 不是年份 / is not a year")).into())
}

/// The plan's 13 points, each with the organisation's record for `year`.
#[utoipa::path(get, path = "/api/organisations/{id}/work-plan/{year}", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path, description = "organisation id"), ("year" = i32, Path, description = "calendar year")),
    responses((status = 200, body = [WorkPlanRow]), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn get_work_plan(
    State(state): State<AppState>,
    guard: OrgGuard<Read>,
    axum::extract::Path((_, year)): axum::extract::Path<(String, String)>,
) -> ApiResult<Json<Vec<WorkPlanRow>>> {
    let year = year_of(&year)?;
    let tasks = state.store.work_plan(&guard.org_id, year).await?;
    let rows = points()
        .map_err(|e| ApiError::internal(std::io::Error::other(e)))?
        .into_iter()
        .map(|p| WorkPlanRow {
            task: tasks.iter().find(|t| t.point == p.id).cloned(),
            point: p,
        })
        .collect();
    Ok(Json(rows))
}

/// Records where one point stands for `year`: `{status: not_started|in_progress|done, owner,
/// note, evidence}`; `done` needs `evidence`. An unknown point is 404.
#[utoipa::path(put, path = "/api/organisations/{id}/work-plan/{year}/{point}", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path, description = "organisation id"), ("year" = i32, Path, description = "calendar year"),
           ("point" = String, Path, description = "001-wp-01 … 001-wp-13")),
    request_body = WorkPlanTaskInput,
    responses((status = 200, body = WorkPlanTask), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_work_plan_point(
    State(state): State<AppState>,
    guard: OrgGuard<EditNetwork>,
    axum::extract::Path((_, year, point)): axum::extract::Path<(String, String, String)>,
    ApiJson(input): ApiJson<WorkPlanTaskInput>,
) -> ApiResult<Json<WorkPlanTask>> {
    let year = year_of(&year)?;
    let known = points()
        .map_err(|e| ApiError::internal(std::io::Error::other(e)))?
        .iter()
        .any(|p| p.id == point);
    if !known {
        return Err(ApiError::not_found("work plan point"));
    }
    let task = state
        .store
        .set_work_plan_task(
            &guard.principal.actor(),
            &guard.org_id,
            year,
            &point,
            &input,
        )
        .await?;
    Ok(Json(task))
}
