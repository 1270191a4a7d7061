//! A network's assessment item by item (`/networks/{id}/assessment`, decision 0412): progress
//! through the GB/T 22239-2019 items in scope, the conclusion by the 2025 rule once every
//! item has a result, the history of the rate, and the items class by class. The engaged
//! assessor records results here, a class at a time (one select per item, and "the rest of
//! this class 不适用" with one reason).
//!
//! `?kind=self` is the operator's own 自查 (decision 0412, "自查 and evidence"): the same
//! forms for whoever may file the network, posted to `/networks/{id}/assessment/self`, and the
//! conclusion shown as a prediction. Each item may link the network's evidence.

use askama::Template;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::Router;

use crate::form::Form;
use dengbao_controls::Class;
use dengbao_server::auth::{role_may, Assess, FileNetwork, Need, Read};
use dengbao_server::routes::assessment::{
    assessment_of_kind, controls, plan, record, record_self, scope_of, TaskInput,
};
use dengbao_server::AppState;
use dengbao_store::item_results::{AssessmentKind, ItemResultInput};

use crate::ctx::Ctx;
use crate::guard::{NetPage, PageError, PageResult};
use crate::pages::host_rulings::{may_rule, status, RulingView, RESULTS};
use crate::pages::{form_value, redirect, render};
use crate::svg::{bar_chart, Bar};
use dengbao_server::routes::host_reports::ItemHostCheck;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/networks/{id}/assessment", get(page).post(save))
        .route(
            "/networks/{id}/assessment/self",
            axum::routing::post(save_self),
        )
        .route(
            "/networks/{id}/assessment/tasks/{item}",
            axum::routing::post(plan_task),
        )
}

pub struct ItemRow {
    pub id: String,
    pub point: String,
    pub requirement: String,
    pub result: String,
    pub risk: String,
    pub hazard: bool,
    pub note: String,
    /// The linked evidence as it stands now.
    pub evidence: Vec<EvidenceLink>,
    /// The hosts' latest checks that evidence the item (`dengbao host report`).
    pub hosts: Vec<HostBadge>,
}

/// One host check beside an item: `web-01 access.ssh_root_login 不通过` — the assessor's
/// result when they overruled the machine (decision 0424), with their ruling.
pub struct HostBadge {
    pub status: String,
    pub text: String,
    pub report_id: String,
    pub check: String,
    pub ruling: Option<RulingView>,
}

/// A host check in a class's ruling block (the engaged assessor's forms).
pub struct HostRulingRow {
    pub item: String,
    pub badge: HostBadge,
    /// The machine's result in words.
    pub machine: String,
}

impl ItemRow {
    /// Whether evidence `id` is linked to the item's latest result (the select's default).
    pub fn links(&self, id: &str) -> bool {
        self.evidence.iter().any(|e| e.id == id)
    }
}

pub struct EvidenceLink {
    pub id: String,
    pub description: String,
    /// `accepted`, `pending`, `rejected` or `voided`.
    pub review: String,
    pub review_label: String,
}

/// The page's tab: `?kind=self` for the operator's self-assessment; anything else is the
/// assessor's.
#[derive(serde::Deserialize, Default)]
pub struct KindQ {
    #[serde(default)]
    kind: Option<String>,
    /// Only the items with this result (`未测评` for those without one).
    #[serde(default)]
    result: Option<String>,
}

/// The filters offered above the items: every result, and the items not yet assessed.
const FILTERS: [&str; 5] = ["未测评", "符合", "部分符合", "不符合", "不适用"];

impl KindQ {
    fn kind(&self) -> AssessmentKind {
        match self.kind.as_deref() {
            Some("self") => AssessmentKind::SelfAssessment,
            _ => AssessmentKind::Assessor,
        }
    }
}

pub struct TaskRow {
    pub item: String,
    pub result: String,
    pub risk: String,
    pub owner: String,
    pub due: String,
    pub state: String,
    pub state_label: String,
}

pub struct ClassSection {
    pub code: &'static str,
    pub name: String,
    pub items: Vec<ItemRow>,
    pub assessed: usize,
    /// The host checks beside the class's items, for the ruling forms.
    pub host_rows: Vec<HostRulingRow>,
}

#[derive(Template)]
#[template(path = "network/assessment.html")]
struct AssessmentTpl {
    c: Ctx,
    network_id: String,
    network: String,
    in_scope: usize,
    assessed: usize,
    rate: Option<String>,
    conclusion: Option<String>,
    major_hazards: u64,
    reading: String,
    chart: String,
    sections: Vec<ClassSection>,
    can_record: bool,
    results: [&'static str; 4],
    tasks: Vec<TaskRow>,
    can_plan: bool,
    is_self: bool,
    form_action: String,
    /// The result the items are filtered by ("" = all), and the choices.
    filter: String,
    filters: Vec<(String, String)>,
    /// The network's evidence that may be linked (not voided).
    evidence: Vec<EvidenceLink>,
    /// The user is the engaged assessor: the host checks get ruling forms.
    can_rule: bool,
    statuses: Vec<(&'static str, String)>,
}

fn review_label(c: &Ctx, review: &str) -> String {
    c.t.s(&format!("assessment.ev_{review}")).to_string()
}

/// Chinese data text in the page's language: as is in Chinese, quoted in English.
fn zh_data(c: &Ctx, s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        crate::i18n::quoted(c.lang, s)
    }
}

/// A host check as the item shows it: its result that counts, and the ruling.
fn host_badge(c: &Ctx, h: &ItemHostCheck) -> HostBadge {
    let overruled = h.ruling.as_ref().is_some_and(|r| r.ruling == "overrule");
    HostBadge {
        status: h.status.clone(),
        text: format!(
            "{} {} {}{}",
            h.host,
            h.check,
            status(c, &h.status),
            if overruled {
                c.t.s("hosts.overruled_mark")
            } else {
                ""
            }
        ),
        report_id: h.evidence_id.clone(),
        check: h.check.clone(),
        ruling: h.ruling.as_ref().map(|r| RulingView::of(c, r)),
    }
}

async fn page(
    State(state): State<AppState>,
    page: NetPage<Read>,
    Query(q): Query<KindQ>,
) -> PageResult {
    let c = page.c.clone();
    let kind = q.kind();
    let is_self = kind == AssessmentKind::SelfAssessment;
    let net = state.store.get_network(&page.network_id).await?;
    let a = assessment_of_kind(&state, &net.id, kind).await?;
    let (level, exts) = scope_of(&net)?;
    let scope = controls()?
        .select(level, &exts)
        .map_err(|e| PageError::bad(&c, e.to_string()))?;
    let filter = q
        .result
        .clone()
        .filter(|f| FILTERS.contains(&f.as_str()))
        .unwrap_or_default();
    let mut sections: Vec<ClassSection> = Vec::new();
    for class in Class::ALL {
        let items: Vec<ItemRow> = scope
            .iter()
            .filter(|x| x.class == class)
            .map(|x| {
                let r = a.items.iter().find(|i| i.item == x.id);
                ItemRow {
                    id: x.id.clone(),
                    point: if c.lang.is_en() {
                        format!("{} ({})", zh_data(&c, &x.point), x.letter)
                    } else {
                        format!("{}（{}）", x.point, x.letter)
                    },
                    requirement: zh_data(&c, &x.requirement),
                    result: r.map(|r| r.result.clone()).unwrap_or_default(),
                    risk: r.and_then(|r| r.risk.clone()).unwrap_or_default(),
                    hazard: r.is_some_and(|r| r.major_hazard),
                    note: r.map(|r| zh_data(&c, &r.note)).unwrap_or_default(),
                    hosts: a
                        .host_checks
                        .get(&x.id)
                        .map(|checks| checks.iter().map(|h| host_badge(&c, h)).collect())
                        .unwrap_or_default(),
                    evidence: r
                        .map(|r| {
                            r.evidence
                                .iter()
                                .map(|e| EvidenceLink {
                                    id: e.id.clone(),
                                    description: zh_data(&c, &e.description),
                                    review_label: review_label(&c, &e.review),
                                    review: e.review.clone(),
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                }
            })
            .filter(|i: &ItemRow| match filter.as_str() {
                "" => true,
                "未测评" => i.result.is_empty(),
                f => i.result == f,
            })
            .collect();
        if items.is_empty() {
            continue;
        }
        let host_rows = items
            .iter()
            .flat_map(|i| {
                a.host_checks
                    .get(&i.id)
                    .into_iter()
                    .flatten()
                    .map(|h| HostRulingRow {
                        item: i.id.clone(),
                        machine: status(&c, &h.machine_status),
                        badge: host_badge(&c, h),
                    })
            })
            .collect();
        sections.push(ClassSection {
            host_rows,
            code: class.code(),
            name: if c.lang.is_en() {
                class.en().to_string()
            } else {
                class.zh().to_string()
            },
            assessed: items.iter().filter(|i| !i.result.is_empty()).count(),
            items,
        });
    }
    let conclusion = a.conclusion.as_ref();
    let rate = conclusion
        .and_then(|x| x["rate"].as_f64())
        .map(|r| format!("{:.1}%", r * 100.0));
    let verdict = conclusion
        .and_then(|x| x["conclusion"].as_str())
        .map(|v| zh_data(&c, v));
    let bars: Vec<Bar> = a
        .history
        .iter()
        .map(|p| Bar {
            label: c.t.when(&p.at),
            value: (p.rate * 1000.0).round() as u64,
            class: "bar-level",
        })
        .collect();
    let evidence: Vec<EvidenceLink> = state
        .store
        .list_evidence(&net.id)
        .await?
        .into_iter()
        .filter(|e| e.voided.is_none())
        .map(|e| EvidenceLink {
            review_label: review_label(&c, &e.review),
            review: e.review,
            // The uploader's words: quoted on an English page.
            description: zh_data(&c, &e.description),
            id: e.id,
        })
        .collect();
    let engaged = state
        .store
        .list_engagements(&net.id)
        .await?
        .iter()
        .any(|e| e.assessor_id == page.principal.user_id && e.conclusion.is_none());
    let filters = FILTERS
        .iter()
        .map(|f| {
            let label = match *f {
                "未测评" => c.t.s("assessment.unassessed").to_string(),
                r => zh_data(&c, r),
            };
            (f.to_string(), label)
        })
        .collect();
    let can_rule = !is_self && may_rule(&state, &page).await;
    render(&AssessmentTpl {
        can_rule,
        statuses: RESULTS.iter().map(|s| (*s, status(&c, s))).collect(),
        filter,
        filters,
        network_id: net.id.clone(),
        network: net.profile.name.clone(),
        in_scope: a.in_scope,
        assessed: a.assessed,
        rate,
        conclusion: verdict,
        major_hazards: conclusion
            .and_then(|x| x["major_hazards"].as_u64())
            .unwrap_or(0),
        reading: c.t.s("assessment.reading").to_string(),
        chart: if bars.is_empty() {
            String::new()
        } else {
            bar_chart("rate-history", c.t.s("assessment.history"), &bars)
        },
        sections,
        can_record: if is_self {
            role_may(page.principal.role, Need::FileNetwork)
        } else {
            engaged && role_may(page.principal.role, Need::Assess)
        },
        is_self,
        form_action: if is_self {
            format!("/networks/{}/assessment/self", net.id)
        } else {
            format!("/networks/{}/assessment", net.id)
        },
        evidence,
        tasks: a
            .tasks
            .iter()
            .map(|t| TaskRow {
                item: t.item.clone(),
                result: zh_data(&c, &t.result),
                risk: t
                    .risk
                    .as_deref()
                    .map(|r| zh_data(&c, r))
                    .unwrap_or_default(),
                owner: t.owner.clone().unwrap_or_default(),
                due: t.due.clone().unwrap_or_default(),
                state_label: c.t.s(&format!("assessment.task_{}", t.state)).to_string(),
                state: t.state.clone(),
            })
            .collect(),
        can_plan: role_may(page.principal.role, Need::FileNetwork),
        results: ["符合", "部分符合", "不符合", "不适用"],
        c,
    })
}

/// One class's results as the form sends them: `result.<id>`, `risk.<id>`, `note.<id>`,
/// `reason.<id>`, `hazard.<id>`, `evidence.<id>` (repeated, one per linked evidence);
/// `rest_na` with `rest_reason` marks every item of the class left without a result 不适用.
fn results_of(fields: &[(String, String)]) -> Vec<ItemResultInput> {
    let get = |k: &str| form_value(fields, k);
    let rest_na = !get("rest_na").is_empty();
    let rest_reason = get("rest_reason");
    let mut results = Vec::new();
    for (k, _) in fields {
        let Some(id) = k.strip_prefix("item.") else {
            continue;
        };
        let result = get(&format!("result.{id}"));
        let result = match (result.is_empty(), rest_na) {
            (false, _) => result,
            (true, true) => "不适用".to_string(),
            (true, false) => continue,
        };
        let reason = match get(&format!("reason.{id}")) {
            r if r.is_empty() && result == "不适用" => rest_reason.clone(),
            r => r,
        };
        let linked = format!("evidence.{id}");
        results.push(ItemResultInput {
            item: id.to_string(),
            risk: Some(get(&format!("risk.{id}"))).filter(|s| !s.is_empty()),
            major_hazard: Some(!get(&format!("hazard.{id}")).is_empty()),
            note: get(&format!("note.{id}")),
            reason: Some(reason).filter(|s| !s.is_empty()),
            result,
            evidence: fields
                .iter()
                .filter(|(k, v)| *k == linked && !v.is_empty())
                .map(|(_, v)| v.clone())
                .collect(),
        });
    }
    results
}

async fn save(
    State(state): State<AppState>,
    page: NetPage<Assess>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    record(
        &state,
        &page.actor(),
        &page.principal.user_id,
        &page.network_id,
        results_of(&fields),
    )
    .await
    .map_err(|e| page.bad(e.message))?;
    redirect(&format!("/networks/{}/assessment", page.network_id))
}

/// The operator's self-assessment, a class at a time, as the assessor's form sends it.
async fn save_self(
    State(state): State<AppState>,
    page: NetPage<FileNetwork>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    record_self(&state, &page.actor(), &page.network_id, results_of(&fields))
        .await
        .map_err(|e| page.bad(e.message))?;
    redirect(&format!(
        "/networks/{}/assessment?kind=self",
        page.network_id
    ))
}

#[derive(serde::Deserialize)]
struct PlanForm {
    owner: String,
    due: String,
}

async fn plan_task(
    State(state): State<AppState>,
    page: NetPage<FileNetwork>,
    axum::extract::Path((_, item)): axum::extract::Path<(String, String)>,
    Form(f): Form<PlanForm>,
) -> PageResult {
    let input = TaskInput {
        owner: f.owner,
        due: f.due,
    };
    plan(&state, &page.actor(), &page.network_id, &item, &input)
        .await
        .map_err(|e| page.bad(e.message))?;
    redirect(&format!("/networks/{}/assessment#tasks", page.network_id))
}
