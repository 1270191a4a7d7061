//! A network's people and training (decision 1502): the training duties with their status now
//! (网络安全法 第三十四条第（二）项 recurring at the catalog's yearly value, with its note that
//! the law says only 定期; 条例 第二十一条第（三）项 持证上岗), key-post certificates due or
//! overdue for renewal, the organisation's people with their certificates, the network's
//! key posts, its sessions, each person's hours per year, and the forms that record a session
//! and a person. A refused form is answered 422 naming the field in the page's language.

use askama::Template;
use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;

use crate::form::Form;
use dengbao_server::auth::{role_may, AddEvent, EditNetwork, Need, Read};
use dengbao_server::AppState;
use dengbao_store::{
    CertificateAlert, CertificateRule, KeyPost, KeyPostInput, SessionInput, StaffInput,
    StaffMember, TrainingAudience, TrainingPlan, TrainingPlanItem, TrainingSession, YearlyHours,
};
use dengbao_types::Text;

use crate::guard::{NetPage, PageResult};
use crate::pages::emergency::{duty_rows, refused, DutyRow};
use crate::pages::{form_value, form_values, redirect, render};

/// The duties training records and certificates bear on (data/duties).
pub const DUTIES: [&str; 3] = [
    "csl.cii.training",
    "mlps.l3.personnel",
    "mlps.l3.certificates",
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/networks/{id}/training", get(page))
        .route("/networks/{id}/training/sessions", post(add_session))
        .route("/networks/{id}/training/staff", post(add_person))
        .route("/networks/{id}/training/key-posts", post(add_key_post))
        .route(
            "/networks/{id}/training/plan",
            post(crate::pages::training_plan::add_item),
        )
        .route(
            "/networks/{id}/training/plan/approve",
            post(crate::pages::training_plan::approve),
        )
}

struct AlertRow {
    alert: CertificateAlert,
    status_label: String,
}

#[derive(Template)]
#[template(path = "network/training.html")]
struct PageTpl {
    c: crate::ctx::Ctx,
    network_id: String,
    network: String,
    duties: Vec<DutyRow>,
    alerts: Vec<AlertRow>,
    alert_note: String,
    staff: Vec<StaffMember>,
    key_posts: Vec<KeyPost>,
    sessions: Vec<TrainingSession>,
    names: std::collections::BTreeMap<String, String>,
    hours: Vec<YearlyHours>,
    may_record: bool,
    may_edit: bool,
    /// The organisation's plan for `plan.year`, each item held or not (decision 1505).
    plan: TrainingPlan,
    /// The 2017 law-popularisation work plan's points and the organisation's record of each
    /// for `plan.year` (decision 1506).
    work_plan: Vec<WorkPlanRow>,
    /// The API call that records a point (shown as code).
    wp_api: &'static str,
}

/// One point of the 2017 work plan as the page shows it.
pub struct WorkPlanRow {
    pub number: u32,
    pub title: String,
    pub status: String,
    pub st: &'static str,
    pub owner: String,
    pub evidence: String,
}

/// `?year=` of the page: the plan shown (this year by default).
#[derive(serde::Deserialize)]
struct PlanQuery {
    #[serde(default)]
    year: Option<i32>,
}

impl PageTpl {
    /// The attendees of a session by name, in the page's list separator.
    fn attendee_names(&self, s: &TrainingSession) -> String {
        let sep = if self.c.lang.is_en() { ", " } else { "、" };
        s.attendees
            .iter()
            .map(|a| self.names.get(a).cloned().unwrap_or_else(|| a.clone()))
            .collect::<Vec<_>>()
            .join(sep)
    }

    /// Who approved the plan and when, or that no approval is recorded.
    fn approval(&self) -> String {
        match (&self.plan.approved_by, &self.plan.approved_on) {
            (Some(who), Some(on)) => self
                .c
                .t
                .f("training.plan_approved", format!("{who} · {on}")),
            _ => self.c.t.s("training.plan_unapproved").to_string(),
        }
    }

    /// Who a planned item is for, in the page's language.
    fn audience(&self, i: &TrainingPlanItem) -> String {
        match i.audience {
            TrainingAudience::All => self.c.t.s("training.audience.all").to_string(),
            TrainingAudience::KeyPosts => self.c.t.s("training.audience.key_posts").to_string(),
            TrainingAudience::Role => self.c.t.f(
                "training.audience.role",
                i.role.as_deref().unwrap_or_default(),
            ),
        }
    }

    /// Whether a planned item was held, and by which session of this network when it is one.
    fn held(&self, i: &TrainingPlanItem) -> String {
        match &i.held_by {
            None => self.c.t.s("training.no").to_string(),
            Some(id) => match self.sessions.iter().find(|s| &s.id == id) {
                Some(s) => self.c.t.f("training.held_on", &s.held_on),
                None => self.c.t.s("training.yes").to_string(),
            },
        }
    }
}

async fn page(
    State(state): State<AppState>,
    axum::Extension(logs): axum::Extension<crate::logs::LogCoverage>,
    page: NetPage<Read>,
    axum::extract::Query(q): axum::extract::Query<PlanQuery>,
) -> PageResult {
    let c = page.c.clone();
    let net = state.store.get_network(&page.network_id).await?;
    let now = jiff::Timestamp::now();
    let year = q
        .year
        .unwrap_or_else(|| i32::from(dengbao_duties::date_of(now).year()));
    let plan = state
        .store
        .training_plan(&page.org_id, year)
        .await
        .map_err(|e| refused(&c, "training", e))?;
    let duties = duty_rows(&state, &logs, &net, &c, &DUTIES, now).await?;
    let rule = CertificateRule::builtin()?;
    let alerts = state
        .store
        .certificate_alerts(&page.org_id, dengbao_duties::date_of(now), &rule)
        .await?
        .into_iter()
        .map(|a| AlertRow {
            status_label: c
                .t
                .s(if a.status == "overdue" {
                    "training.cert_overdue"
                } else {
                    "training.cert_due"
                })
                .to_string(),
            alert: a,
        })
        .collect();
    let recorded = state.store.work_plan(&page.org_id, year).await?;
    let work_plan = dengbao_training::work_plan::points()
        .map_err(|e| crate::guard::PageError::internal(std::io::Error::other(e)))?
        .into_iter()
        .map(|p| {
            let task = recorded.iter().find(|t| t.point == p.id);
            let st = task.map_or("not_started", |t| t.status.id());
            let title = p
                .title
                .split_once(". ")
                .map_or(p.title.clone(), |(_, t)| t.to_string());
            WorkPlanRow {
                number: p.number,
                title: if c.lang.is_en() {
                    format!("「{title}」")
                } else {
                    title
                },
                status: c.t.s(&format!("training.wp_{st}")).to_string(),
                st,
                owner: task.map(|t| t.owner.clone()).unwrap_or_default(),
                evidence: task.map(|t| t.evidence.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let staff = state.store.list_staff(&page.org_id).await?;
    let names = staff
        .iter()
        .map(|s| (s.id.clone(), s.name.clone()))
        .collect();
    render(&PageTpl {
        network_id: net.id.clone(),
        network: net.profile.name.clone(),
        duties,
        alerts,
        alert_note: Text::from_joined(&rule.note).get(c.lang).to_string(),
        key_posts: state.store.list_key_posts(&net.id).await?,
        sessions: state.store.list_training_sessions(&net.id).await?,
        hours: state.store.training_hours(&page.org_id).await?,
        names,
        staff,
        may_record: role_may(page.principal.role, Need::AddEvent),
        may_edit: role_may(page.principal.role, Need::EditNetwork),
        plan,
        work_plan,
        wp_api: "PUT /api/organisations/{id}/work-plan/{year}/{point}",
        c,
    })
}

async fn add_session(
    State(state): State<AppState>,
    page: NetPage<AddEvent>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |k: &str| form_value(&fields, k);
    let hours = get("hours");
    let input = SessionInput {
        held_on: get("held_on"),
        topic: get("topic"),
        // An unreadable number is refused by the store's range check, naming `hours`.
        hours: hours.trim().parse().unwrap_or(f64::NAN),
        trainer: get("trainer"),
        attendees: form_values(&fields, "attendees"),
        evidence_id: None,
        link: Some(get("link")).filter(|s| !s.trim().is_empty()),
    };
    state
        .store
        .add_training_session(&page.actor(), &page.network_id, input)
        .await
        .map_err(|e| refused(&page.c, "training", e))?;
    redirect(&format!("/networks/{}/training#sessions", page.network_id))
}

async fn add_person(
    State(state): State<AppState>,
    page: NetPage<EditNetwork>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |k: &str| form_value(&fields, k);
    let input = StaffInput {
        name: get("name"),
        position: get("position"),
        key_post: get("key_post") == "1",
    };
    state
        .store
        .add_staff(&page.actor(), &page.org_id, input)
        .await
        .map_err(|e| refused(&page.c, "training", e))?;
    redirect(&format!("/networks/{}/training#staff", page.network_id))
}

async fn add_key_post(
    State(state): State<AppState>,
    page: NetPage<EditNetwork>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |k: &str| form_value(&fields, k);
    let input = KeyPostInput {
        staff_id: get("staff_id"),
        post: get("post"),
    };
    state
        .store
        .set_key_post(&page.actor(), &page.network_id, input)
        .await
        .map_err(|e| refused(&page.c, "training", e))?;
    redirect(&format!("/networks/{}/training#key-posts", page.network_id))
}
