//! The yearly training plan on a network's training page (decision 1505): the organisation's
//! plan for a year, each item held or not by the sessions recorded, who approved it; forms to
//! add an item and to record the approval. Each form reads the saved plan, changes it and saves
//! it whole through the store (audited `training.plan`), like `PUT /api/…/training-plan/{year}`.

use axum::extract::State;

use crate::form::Form;
use crate::guard::{NetPage, PageResult};
use crate::pages::emergency::refused;
use crate::pages::{form_value, redirect};
use dengbao_server::auth::EditNetwork;
use dengbao_server::AppState;
use dengbao_store::{TrainingAudience, TrainingPlan, TrainingPlanInput, TrainingPlanItemInput};

/// A saved plan as the input that saves it again (items unchanged).
fn as_input(plan: &TrainingPlan) -> TrainingPlanInput {
    TrainingPlanInput {
        items: plan
            .items
            .iter()
            .map(|i| TrainingPlanItemInput {
                month: Some(i.month),
                planned_on: i.planned_on.clone(),
                topic: i.topic.clone(),
                audience: i.audience,
                network_id: i.network_id.clone(),
                role: i.role.clone(),
                hours: i.hours,
                trainer: i.trainer.clone(),
                session_id: i.session_id.clone(),
            })
            .collect(),
        approved_by: plan.approved_by.clone(),
        approved_on: plan.approved_on.clone(),
    }
}

/// The year a form names, refused naming the field when it is not a number.
fn year_of(
    page: &NetPage<EditNetwork>,
    fields: &[(String, String)],
) -> Result<i32, crate::guard::PageError> {
    form_value(fields, "year").trim().parse().map_err(|_| {
        refused(
            &page.c,
            "training",
            dengbao_store::StoreError::invalid("year", form_value(fields, "year")),
        )
    })
}

/// Adds one item to the year's plan.
pub async fn add_item(
    State(state): State<AppState>,
    page: NetPage<EditNetwork>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |k: &str| form_value(&fields, k);
    let year = year_of(&page, &fields)?;
    let plan = state.store.training_plan(&page.org_id, year).await?;
    let mut input = as_input(&plan);
    let audience = match get("audience").as_str() {
        "key_posts" => TrainingAudience::KeyPosts,
        "role" => TrainingAudience::Role,
        _ => TrainingAudience::All,
    };
    let some = |s: String| Some(s).filter(|s| !s.trim().is_empty());
    input.items.push(TrainingPlanItemInput {
        // An unreadable month is refused by the store, naming `month`.
        month: get("month").trim().parse().ok(),
        planned_on: some(get("planned_on")),
        topic: get("topic"),
        audience,
        network_id: Some(page.network_id.clone()),
        role: some(get("role")),
        hours: get("hours").trim().parse().unwrap_or(f64::NAN),
        trainer: get("trainer"),
        session_id: some(get("session_id")),
    });
    save(&state, &page, year, input).await
}

/// Records who approved the year's plan and when.
pub async fn approve(
    State(state): State<AppState>,
    page: NetPage<EditNetwork>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let year = year_of(&page, &fields)?;
    let plan = state.store.training_plan(&page.org_id, year).await?;
    let mut input = as_input(&plan);
    input.approved_by = Some(form_value(&fields, "approved_by"));
    input.approved_on = Some(form_value(&fields, "approved_on"));
    save(&state, &page, year, input).await
}

/// Saves the plan and goes back to it; a refusal is answered naming the field.
async fn save(
    state: &AppState,
    page: &NetPage<EditNetwork>,
    year: i32,
    input: TrainingPlanInput,
) -> PageResult {
    state
        .store
        .save_training_plan(&page.actor(), &page.org_id, year, input)
        .await
        .map_err(|e| refused(&page.c, "training", e))?;
    redirect(&format!(
        "/networks/{}/training?year={year}#plan",
        page.network_id
    ))
}
