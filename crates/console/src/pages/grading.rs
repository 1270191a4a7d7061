//! The grading wizard: four questions (business information: harmed object, degree;
//! system service: harmed object, degree) asked one at a time through plain GET forms,
//! then dengbao-grading's answer: the level, the reasoning and the citations. From a
//! network's page (`?network=<id>`) the result can be saved on the network, which records
//! the `graded` event and so starts the filing clock.

use askama::Template;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::Router;
use dengbao_grading::{Basis, Degree, GradeInput, Harm, Object};
use dengbao_server::auth::{self, Tools};
use dengbao_server::AppState;
use serde::Deserialize;

use crate::ctx::Ctx;
use crate::guard::{Page, PageResult};
use crate::links::{cites, CiteLink};
use crate::pages::render;

pub fn routes() -> Router<AppState> {
    Router::new().route("/grading", get(wizard))
}

#[derive(Debug, Default, Deserialize)]
pub struct WizardQuery {
    #[serde(default)]
    pub network: String,
    #[serde(default)]
    pub basis: String,
    #[serde(default)]
    pub bo: String,
    #[serde(default)]
    pub bd: String,
    #[serde(default)]
    pub so: String,
    #[serde(default)]
    pub sd: String,
    #[serde(default)]
    pub lang: String,
}

fn object(id: &str) -> Option<Object> {
    Object::ALL.into_iter().find(|o| o.id() == id)
}

fn degree(id: &str) -> Option<Degree> {
    Degree::ALL.into_iter().find(|d| d.id() == id)
}

/// The wizard's answers as dengbao-grading's input (None while one is missing).
pub fn input_of(basis: &str, bo: &str, bd: &str, so: &str, sd: &str) -> Option<GradeInput> {
    let basis = if basis.is_empty() {
        Basis::default()
    } else {
        basis.parse().ok()?
    };
    Some(GradeInput {
        basis: Some(basis),
        business: Harm {
            object: object(bo)?,
            degree: degree(bd)?,
        },
        service: Harm {
            object: object(so)?,
            degree: degree(sd)?,
        },
    })
}

/// One answer the question offers.
pub struct Option_ {
    pub value: &'static str,
    pub label: String,
    pub hint: String,
}

/// The result.
pub struct Outcome {
    pub level: String,
    pub business_level: String,
    pub service_level: String,
    pub basis: String,
    pub notes: Vec<String>,
    pub cites: Vec<CiteLink>,
    pub filing_due: String,
}

#[derive(Template)]
#[template(path = "grading.html")]
struct WizardTpl {
    c: Ctx,
    step: u8,
    question: String,
    hint: String,
    field: &'static str,
    options: Vec<Option_>,
    hidden: Vec<(&'static str, String)>,
    bases: Vec<(&'static str, String, bool)>,
    outcome: Option<Outcome>,
    network: String,
    network_name: String,
    can_save: bool,
    today: String,
}

fn object_options(c: &Ctx) -> Vec<Option_> {
    Object::ALL
        .into_iter()
        .map(|o| Option_ {
            value: o.id(),
            label: c.t.s(&format!("grading.object.{}", o.id())).to_string(),
            hint: c
                .t
                .s(&format!("grading.object_hint.{}", o.id()))
                .to_string(),
        })
        .collect()
}

fn degree_options(c: &Ctx, o: Object) -> Vec<Option_> {
    let family = if o == Object::Rights {
        "rights"
    } else {
        "public"
    };
    Degree::ALL
        .into_iter()
        .map(|d| Option_ {
            value: d.id(),
            label: c
                .t
                .s(&format!("grading.degree.{family}.{}", d.id()))
                .to_string(),
            hint: c
                .t
                .s(&format!("grading.degree_hint.{}", d.id()))
                .to_string(),
        })
        .collect()
}

async fn wizard(
    State(state): State<AppState>,
    page: Page<Tools>,
    Query(q): Query<WizardQuery>,
) -> PageResult {
    let c = page.c.clone();
    let mut network_name = String::new();
    let mut can_save = false;
    if !q.network.is_empty() {
        // Only a network the user may see is named; saving needs EditNetwork on it.
        if let Some(org) = state.store.network_org(&q.network).await? {
            let p = &page.principal;
            if auth::sees_org(p, &org)
                && state
                    .store
                    .reaches_network(p.role, &p.user_id, &q.network)
                    .await?
            {
                network_name = state.store.get_network(&q.network).await?.profile.name;
                can_save = auth::role_may(page.principal.role, auth::Need::EditNetwork);
            }
        }
    }
    let network = if network_name.is_empty() {
        String::new()
    } else {
        q.network.clone()
    };
    let mut hidden: Vec<(&'static str, String)> = vec![("network", network.clone())];
    let basis = if q.basis.is_empty() {
        Basis::default().id().to_string()
    } else {
        q.basis.clone()
    };
    let bases = Basis::ALL
        .into_iter()
        .map(|b| {
            (
                b.id(),
                c.t.s(&format!("grading.basis.{}", b.id())).to_string(),
                b.id() == basis,
            )
        })
        .collect();
    let today = dengbao_calendar::today_in_shanghai();
    let mut tpl = WizardTpl {
        c: c.clone(),
        step: 1,
        question: String::new(),
        hint: String::new(),
        field: "bo",
        options: vec![],
        hidden: vec![],
        bases,
        outcome: None,
        network,
        network_name,
        can_save,
        today: today.to_string(),
    };
    let (bo, bd, so) = (object(&q.bo), degree(&q.bd), object(&q.so));
    match (bo, bd, so, degree(&q.sd)) {
        (None, _, _, _) => {
            tpl.question = c.t.s("grading.q.business_object").into();
            tpl.hint = c.t.s("grading.q.business_object_hint").into();
            tpl.options = object_options(&c);
        }
        (Some(o), None, _, _) => {
            hidden.extend([("basis", basis.clone()), ("bo", q.bo.clone())]);
            tpl.step = 2;
            tpl.field = "bd";
            tpl.question = c.t.f(
                "grading.q.business_degree",
                c.t.s(&format!("grading.object.{}", o.id())),
            );
            tpl.options = degree_options(&c, o);
        }
        (Some(_), Some(_), None, _) => {
            hidden.extend([
                ("basis", basis.clone()),
                ("bo", q.bo.clone()),
                ("bd", q.bd.clone()),
            ]);
            tpl.step = 3;
            tpl.field = "so";
            tpl.question = c.t.s("grading.q.service_object").into();
            tpl.hint = c.t.s("grading.q.service_object_hint").into();
            tpl.options = object_options(&c);
        }
        (Some(_), Some(_), Some(o), None) => {
            hidden.extend([
                ("basis", basis.clone()),
                ("bo", q.bo.clone()),
                ("bd", q.bd.clone()),
                ("so", q.so.clone()),
            ]);
            tpl.step = 4;
            tpl.field = "sd";
            tpl.question = c.t.f(
                "grading.q.service_degree",
                c.t.s(&format!("grading.object.{}", o.id())),
            );
            tpl.options = degree_options(&c, o);
        }
        (Some(_), Some(_), Some(_), Some(_)) => {
            let Some(input) = input_of(&basis, &q.bo, &q.bd, &q.so, &q.sd) else {
                return Err(crate::guard::PageError::bad(&c, "grading.incomplete"));
            };
            let out = dengbao_grading::grade(&input);
            hidden.extend([
                ("basis", basis.clone()),
                ("bo", q.bo.clone()),
                ("bd", q.bd.clone()),
                ("so", q.so.clone()),
                ("sd", q.sd.clone()),
            ]);
            tpl.step = 5;
            let filing_due = filing_due_today(&c, &state, today);
            tpl.outcome = Some(Outcome {
                level: c.t.s(&format!("level.{}", out.level.get())).to_string(),
                business_level: c
                    .t
                    .s(&format!("level.{}", out.business_level.get()))
                    .to_string(),
                service_level: c
                    .t
                    .s(&format!("level.{}", out.service_level.get()))
                    .to_string(),
                basis: c
                    .t
                    .s(&format!("grading.basis.{}", out.basis.id()))
                    .to_string(),
                // The grading explains itself in both languages: the page shows its own.
                notes: out
                    .notes
                    .iter()
                    .map(|n| dengbao_types::Text::from_joined(n).get(c.lang).to_string())
                    .collect(),
                cites: cites(&out.citations, c.t),
                filing_due,
            });
        }
    }
    tpl.hidden = hidden;
    render(&tpl)
}

/// The wizard's "if graded today" filing deadline under both rules, the one that drives
/// (`serve --mlps-basis`, decision 0205) first.
fn filing_due_today(c: &Ctx, state: &AppState, today: jiff::civil::Date) -> String {
    let cal = state.calendar.get();
    let shown = |date: Result<jiff::civil::Date, ()>, provisional: bool| match date {
        Ok(d) if provisional && c.lang.is_en() => {
            format!("{} ({})", c.t.date(d), c.t.s("calendar.provisional_note"))
        }
        Ok(d) if provisional => {
            format!("{}（{}）", c.t.date(d), c.t.s("calendar.provisional_note"))
        }
        Ok(d) => c.t.date(d),
        Err(()) => c.t.s("grading.filing_unknown").to_string(),
    };
    let in_force = dengbao_duties::calendar_days(&cal, today, 30).map_err(|_| ());
    let in_force = shown(in_force, in_force.is_ok_and(|d| cal.is_provisional(d)));
    let draft = match cal.deadline(today, 10) {
        Ok(d) => shown(Ok(d.date), d.provisional),
        Err(_) => shown(Err(()), false),
    };
    let in_force = c.t.f("grading.filing_in_force", in_force);
    let draft = c.t.f("grading.filing_draft", draft);
    let sep = if c.lang.is_en() { "; " } else { "；" };
    match state.catalog.mlps_basis() {
        dengbao_duties::MlpsBasis::InForce => format!("{in_force}{sep}{draft}"),
        dengbao_duties::MlpsBasis::Draft => format!("{draft}{sep}{in_force}"),
    }
}
