//! The operator's side of supervision, at `/filing/{id}`: submit the network's filing to
//! a public security organ (and see its review deadline, certificate or reasons), engage
//! an assessor, and report on rectification orders.

use askama::Template;
use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;

use crate::form::Form;
use dengbao_server::auth::{role_may, Engage, FileNetwork, Need, Read};
use dengbao_server::AppState;
use dengbao_store::engagements::EngagementInput;
use dengbao_store::filings::{FilingForm, FilingInput};
use dengbao_store::inspections::OrderState;
use dengbao_store::Role;

use super::level_key;
use crate::ctx::Ctx;
use crate::guard::{NetPage, PageError, PageResult};
use crate::pages::{enum_label, render, render_status};
use crate::pages::{form_value, form_values, redirect};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/filing/{id}", get(page).post(submit))
        .route("/filing/{id}/engage", post(engage))
        .route("/filing/{id}/report", post(report))
}

/// The attachments of the filing form (表四), offered as checkboxes.
pub const ATTACHMENTS: [&str; 8] = [
    "定级报告",
    "专家评审意见",
    "网络拓扑结构及说明",
    "安全组织机构及管理制度",
    "安全保护设施设计实施方案",
    "安全产品清单及认证、销售许可证明",
    "等级测评报告",
    "行业主管部门审批意见",
];

pub struct Row {
    pub received: String,
    pub due: String,
    /// `due` lies in a year the calendar only estimates.
    pub provisional: bool,
    pub state: String,
    pub certificate: String,
    pub reasons: String,
}

pub struct Opt {
    pub id: String,
    pub name: String,
}

pub struct Order {
    pub id: String,
    pub findings: Vec<String>,
    pub due: String,
    pub provisional: bool,
    pub state: String,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "supervisor/filing.html")]
struct FilingTpl {
    c: Ctx,
    network_id: String,
    network: String,
    level: String,
    today: String,
    filings: Vec<Row>,
    can_file: bool,
    can_engage: bool,
    supervisors: Vec<Opt>,
    assessors: Vec<Opt>,
    engagements: Vec<Row>,
    orders: Vec<Order>,
    attachments: Vec<&'static str>,
    affiliations: Vec<String>,
    unit_types: Vec<String>,
    deployments: Vec<String>,
    /// The form as last sent (empty on a fresh page): a refused submission comes back whole.
    form: FilingForm,
    received: String,
    supervisor_id: String,
    /// Why the submission was refused, in the page's language, and the input it is about.
    error: Option<String>,
    error_field: String,
}

async fn page(State(state): State<AppState>, page: NetPage<Read>) -> PageResult {
    render(&filing_tpl(&state, &page).await?)
}

/// The filing page of the network.
async fn filing_tpl<R: dengbao_server::auth::Requirement>(
    state: &AppState,
    page: &NetPage<R>,
) -> Result<FilingTpl, PageError> {
    let c = page.c.clone();
    let today = crate::pages::at_of(&c, &Default::default())?.1.to_string();
    let net = state.store.get_network(&page.network_id).await?;
    let cal = state.calendar.get();
    let filings = state
        .store
        .list_filings(&page.network_id)
        .await?
        .into_iter()
        .map(|f| Row {
            received: c.t.when(&f.submitted_on),
            due: c.t.when(&f.review_due),
            provisional: super::provisional(&cal, &f.review_due),
            state: enum_label(c.t, "supervisor.state", f.state),
            certificate: f.certificate_no.unwrap_or_default(),
            reasons: f.reasons,
        })
        .collect();
    let role = page.principal.role;
    let users = if role_may(role, Need::Engage) {
        state.store.list_users().await?
    } else {
        Vec::new()
    };
    let engagements = state
        .store
        .list_engagements(&page.network_id)
        .await?
        .into_iter()
        .map(|e| Row {
            received: c.t.when(&e.engaged_on),
            due: e
                .concluded_on
                .as_deref()
                .map(|d| c.t.when(d))
                .unwrap_or_default(),
            provisional: false,
            state: users
                .iter()
                .find(|u| u.id == e.assessor_id)
                .map(|u| u.name.clone())
                .unwrap_or_default(),
            certificate: e
                .conclusion
                .map(|x| {
                    c.t.s(&format!("assessor.conclusion.{}", x.as_str()))
                        .to_string()
                })
                .unwrap_or_default(),
            reasons: String::new(),
        })
        .collect();
    let orders = state
        .store
        .list_orders(&page.network_id)
        .await?
        .into_iter()
        .map(|o| Order {
            open: o.state == OrderState::Open,
            state: enum_label(c.t, "supervisor.order", o.state),
            due: c.t.when(&o.due),
            provisional: super::provisional(&cal, &o.due),
            findings: o.findings,
            id: o.id,
        })
        .collect();
    Ok(FilingTpl {
        received: today.clone(),
        form: FilingForm::default(),
        supervisor_id: String::new(),
        error: None,
        error_field: String::new(),
        network_id: net.id.clone(),
        network: net.profile.name.clone(),
        level: c
            .t
            .s(&level_key(net.profile.level.map(|l| l.get())))
            .to_string(),
        today,
        filings,
        can_file: role_may(role, Need::FileNetwork),
        can_engage: role_may(role, Need::Engage),
        supervisors: state
            .store
            .list_supervisors()
            .await?
            .into_iter()
            .map(|s| Opt {
                id: s.id,
                name: s.name,
            })
            .collect(),
        assessors: users
            .into_iter()
            .filter(|u| u.role == Role::Assessor)
            .map(|u| Opt {
                id: u.id,
                name: u.name,
            })
            .collect(),
        engagements,
        orders,
        attachments: ATTACHMENTS.to_vec(),
        affiliations: dengbao_store::filing_form::choices("affiliation"),
        unit_types: dengbao_store::filing_form::choices("unit_type"),
        deployments: dengbao_store::filing_form::choices("deployment"),
        c,
    })
}

/// The inputs of the filing form whose errors are shown beside them.
const FORM_INPUTS: &[&str] = &[
    "submitted_on",
    "supervisor_id",
    "credit_code",
    "address",
    "region_code",
    "affiliation",
    "unit_type",
    "unit_head",
    "unit_head_title",
    "unit_head_phone",
    "unit_head_email",
    "responsible_department",
    "contact",
    "contact_title",
    "phone",
    "contact_email",
    "business",
    "service_scope",
    "boundary",
    "platform",
    "deployment",
    "attachments",
];

fn back(id: &str) -> PageResult {
    redirect(&format!("/filing/{id}"))
}

async fn submit(
    State(state): State<AppState>,
    page: NetPage<FileNetwork>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |k: &str| form_value(&fields, k);
    let form = FilingForm {
        credit_code: get("credit_code"),
        address: get("address"),
        region_code: get("region_code"),
        affiliation: get("affiliation"),
        unit_type: get("unit_type"),
        unit_head: get("unit_head"),
        unit_head_title: get("unit_head_title"),
        unit_head_phone: get("unit_head_phone"),
        unit_head_email: get("unit_head_email"),
        responsible_department: get("responsible_department"),
        contact: get("contact"),
        contact_title: get("contact_title"),
        phone: get("phone"),
        contact_email: get("contact_email"),
        business: get("business"),
        service_scope: get("service_scope"),
        boundary: get("boundary"),
        platform: get("platform"),
        deployment: get("deployment"),
        attachments: form_values(&fields, "attachments"),
    };
    let result = async {
        let received = dengbao_store::filings::validate_date("submitted_on", &get("submitted_on"))
            .map_err(|e| e.to_string())?;
        let due = dengbao_server::routes::filings::workdays_after(
            &state,
            "submitted_on",
            received,
            dengbao_server::routes::filings::REVIEW_WORKING_DAYS,
        )
        .map_err(|e| e.message)?;
        let input = FilingInput {
            supervisor_id: get("supervisor_id"),
            submitted_on: received.to_string(),
            form: form.clone(),
            note: String::new(),
        };
        state
            .store
            .submit_filing(&page.actor(), &page.network_id, input, due)
            .await
            .map_err(|e| e.to_string())
    }
    .await;
    match result {
        Ok(_) => back(&page.network_id),
        Err(e) => {
            // The form comes back as sent, the message beside its field (issue 16 item 5).
            let mut tpl = filing_tpl(&state, &page).await?;
            let field = crate::i18n::bilingual::field_of(&e, FORM_INPUTS).unwrap_or_default();
            tpl.error = Some(if field.is_empty() {
                crate::i18n::one_language(&e, page.c.lang).replace('`', "")
            } else {
                crate::i18n::bilingual::without_field(&e, page.c.lang)
            });
            tpl.error_field = field.to_string();
            tpl.received = get("submitted_on");
            tpl.supervisor_id = get("supervisor_id");
            tpl.form = form;
            render_status(&tpl, axum::http::StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

#[derive(serde::Deserialize)]
struct EngageForm {
    assessor_id: String,
    engaged_on: String,
}

async fn engage(
    State(state): State<AppState>,
    page: NetPage<Engage>,
    Form(f): Form<EngageForm>,
) -> PageResult {
    state
        .store
        .engage(
            &page.actor(),
            &page.network_id,
            EngagementInput {
                assessor_id: f.assessor_id,
                engaged_on: f.engaged_on,
            },
        )
        .await
        .map_err(|e| page.bad(e))?;
    back(&page.network_id)
}

async fn report(
    State(state): State<AppState>,
    page: NetPage<FileNetwork>,
    Form(f): Form<super::OrderStepForm>,
) -> PageResult {
    super::advance_order(&state, &page, f, OrderState::Reported).await?;
    back(&page.network_id)
}
