//! A network's duty timeline: every applicable duty with its status, due date, gap and
//! penalty exposure (dengbao-duties), its evidence, and the evidence upload (multipart,
//! stored by dengbao-store like the API's).

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::routing::get;
use axum::Router;
use dengbao_duties::{Party, Status};
use dengbao_server::auth::{AddEvidence, Read};
use dengbao_server::AppState;
use dengbao_store::EvidenceInput;

use crate::ctx::Ctx;
use crate::guard::{NetPage, PageError, PageResult};
use crate::links::{cites, CiteLink};
use crate::pages::dashboard::{due_date, duty_title, status_key};
use crate::pages::evidence_review::EvidenceRow;
use crate::pages::redirect;
use crate::pages::{render, AtQuery};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/networks/{id}/duties", get(timeline).post(upload))
        .merge(crate::pages::evidence_review::routes())
}

pub struct DutyRow {
    pub id: String,
    /// Whose duty it is, when not the operator's (他方义务); empty for the operator's own.
    pub party: String,
    /// A prohibition (不得……): breached or not, never late.
    pub prohibition: bool,
    pub title: String,
    pub status: &'static str,
    pub status_label: String,
    pub due: String,
    /// The deadline lies in a year without a loaded holiday notice.
    pub provisional: bool,
    pub gap: bool,
    pub fine: String,
    pub aggravated: bool,
    pub cites: Vec<CiteLink>,
    /// The penalty's basis (decision 0902): the provisions the breach falls under…
    pub basis_lead: Vec<CiteLink>,
    /// …and the one whose range applies (依照), when the chain has more than one.
    pub basis_applies: Option<CiteLink>,
    pub evidence: Vec<EvidenceRow>,
    pub evidence_hint: String,
    /// Why the engine gave this status (the log centre's facts included), as it says it.
    pub reasons: Vec<String>,
    /// 以案释法: how many cases of the library illustrate this duty (`/cases?duty=`).
    pub cases: usize,
}

#[derive(Template)]
#[template(path = "network/duties.html")]
struct TimelineTpl {
    c: Ctx,
    network_id: String,
    network: String,
    today: String,
    rows: Vec<DutyRow>,
    /// Some row's deadline is provisional: the page explains the mark.
    provisional: bool,
    /// Duties of others (the public security organ's certificate…): what the operator may
    /// expect and chase, shown apart and never in its gaps or fines.
    others: Vec<DutyRow>,
    not_applicable: usize,
    total: String,
    notes: Vec<String>,
}

async fn timeline(
    State(state): State<AppState>,
    axum::Extension(logs): axum::Extension<crate::logs::LogCoverage>,
    page: NetPage<Read>,
    Query(q): Query<AtQuery>,
) -> PageResult {
    let (at, today, net) = crate::pages::network_at(&state, &page, &q).await?;
    let c = page.c.clone();
    let Some((profile, statuses)) = crate::pages::evaluate(&state, &logs, &net, at).await? else {
        // Nothing to list before grading: the network's page says so and links the wizard.
        return redirect(&format!("/networks/{}", net.id));
    };
    let exposure = dengbao_duties::exposure(&profile, &state.catalog, &statuses);
    let evidence = state.store.list_evidence(&net.id).await?;
    let host_reports = state.store.host_reports(&net.id).await?;
    let may_review = dengbao_server::auth::role_may(
        page.principal.role,
        dengbao_server::auth::Need::ReviewEvidence,
    );
    let me = page.actor();
    let mut rows = Vec::new();
    let mut not_applicable = 0;
    for s in &statuses {
        if s.status == Status::NotApplicable {
            not_applicable += 1;
            continue;
        }
        let item = exposure.items.iter().find(|i| i.duty == s.id());
        let due = s.due.as_ref().map(due_date);
        let (basis_lead, basis_applies) = basis_links(item, c.t);
        rows.push((
            due,
            DutyRow {
                cases: crate::pages::cases::for_duty(&c, s.id()).len(),
                id: s.id().to_string(),
                prohibition: s.duty.kind == dengbao_duties::Kind::Prohibition,
                party: if s.duty.party == Party::Operator {
                    String::new()
                } else {
                    crate::pages::enum_label(c.t, "party", s.duty.party)
                },
                title: duty_title(&c, s),
                status: s.status.id(),
                status_label: c.t.s(status_key(s.status)).to_string(),
                due: due.map(|d| c.t.date(d)).unwrap_or_default(),
                provisional: s.provisional,
                gap: matches!(
                    s.status,
                    Status::Due | Status::Overdue | Status::Breached | Status::Unknown
                ),
                reasons: s
                    .reasons
                    .iter()
                    .map(|r| r.get(c.lang).to_string())
                    .collect(),
                fine: item.map(|i| c.t.range(i.org_fine)).unwrap_or_default(),
                aggravated: item.is_some_and(|i| i.aggravated),
                cites: cites(s.citations(), c.t),
                basis_lead,
                basis_applies,
                evidence: evidence
                    .iter()
                    .filter(|e| e.duty_id == s.id())
                    .map(|e| {
                        let mut row = EvidenceRow::of(&c, e, may_review, &me);
                        row.host = host_reports
                            .iter()
                            .find(|h| h.evidence_id == e.id)
                            .map(|h| host_line(&c, h));
                        row
                    })
                    .collect(),
                // The catalog describes evidence in Chinese only: an English page leaves it out.
                evidence_hint: if c.lang.is_en() {
                    String::new()
                } else {
                    s.duty.evidence.clone()
                },
            },
        ));
    }
    // Breached and overdue first, then by due date; duties without a date last.
    rows.sort_by_key(|(d, r)| (!matches!(r.status, "breached" | "overdue"), d.is_none(), *d));
    let (others, rows): (Vec<DutyRow>, Vec<DutyRow>) = rows
        .into_iter()
        .map(|(_, r)| r)
        .partition(|r| !r.party.is_empty());
    render(&TimelineTpl {
        network_id: net.id.clone(),
        network: net.profile.name.clone(),
        today: c.t.date(today),
        provisional: rows.iter().chain(&others).any(|r| r.provisional),
        rows,
        others,
        not_applicable,
        total: c.t.range(exposure.org_fine_total),
        notes: exposure
            .notes
            .iter()
            .map(|n| n.get(c.lang).to_string())
            .collect(),
        c,
    })
}

/// A host report on the timeline (issue 12): `主机 web-01 的检查报告：通过 20 · 不通过 3 …`.
fn host_line(c: &Ctx, h: &dengbao_store::host_reports::HostReport) -> String {
    let counts = [
        ("pass", h.passed),
        ("fail", h.failed),
        ("not_applicable", h.not_applicable),
        ("unknown", h.unknown),
    ]
    .iter()
    .map(|(s, n)| format!("{} {n}", c.t.s(&format!("hosts.status.{s}"))))
    .collect::<Vec<_>>()
    .join(" · ");
    format!(
        "{}{}{counts}",
        c.t.f("hosts.timeline", &h.host),
        c.t.s("audit.kv_sep")
    )
}

/// An exposure item's basis as links: all but the last, and the last (the provision that
/// sets the range) apart; a chain of one is all lead.
fn basis_links(
    item: Option<&dengbao_duties::ExposureItem>,
    t: &crate::i18n::Messages,
) -> (Vec<CiteLink>, Option<CiteLink>) {
    let Some(i) = item else {
        return (Vec::new(), None);
    };
    let mut links: Vec<CiteLink> = i
        .basis
        .iter()
        .map(|b| {
            let mut cite = dengbao_types::Citation::article(&b.law, b.article);
            cite.paragraph = b.paragraph;
            cite.version = b.version.clone();
            crate::links::cite(&cite, t)
        })
        .collect();
    let applies = if links.len() > 1 { links.pop() } else { None };
    (links, applies)
}

/// Evidence upload: `multipart/form-data` with `_csrf`, `duty_id`, `description`, `link`,
/// `expires` and `file`.
async fn upload(
    State(state): State<AppState>,
    page: NetPage<AddEvidence>,
    mut form: Multipart,
) -> PageResult {
    let mut input = EvidenceInput::default();
    let mut bytes: Option<Vec<u8>> = None;
    let bad = |e: axum::extract::multipart::MultipartError| PageError::bad(&page.c, e.body_text());
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" => {
                let file_name = field
                    .file_name()
                    .map(str::to_string)
                    .filter(|n| !n.is_empty());
                let data = field.bytes().await.map_err(bad)?;
                if file_name.is_some() && !data.is_empty() {
                    input.file_name = file_name;
                    bytes = Some(data.to_vec());
                }
            }
            "duty_id" => input.duty_id = field.text().await.map_err(bad)?,
            "description" => input.description = field.text().await.map_err(bad)?,
            "link" => input.link = Some(field.text().await.map_err(bad)?).filter(|t| !t.is_empty()),
            "expires" => {
                input.expires = Some(field.text().await.map_err(bad)?).filter(|t| !t.is_empty())
            }
            _ => {}
        }
    }
    if state.catalog.duty(&input.duty_id).is_none() {
        return Err(PageError::bad(
            &page.c,
            page.c.t.f("duties.unknown_duty", &input.duty_id),
        ));
    }
    if bytes.is_none() && input.link.is_none() {
        return Err(PageError::bad(&page.c, "duties.need_file_or_link"));
    }
    let duty = input.duty_id.clone();
    state
        .store
        .add_evidence(&page.actor(), &page.network_id, input, bytes.as_deref())
        .await
        .map_err(|e| page.bad(e))?;
    redirect(&format!("/networks/{}/duties#duty-{duty}", page.network_id))
}
