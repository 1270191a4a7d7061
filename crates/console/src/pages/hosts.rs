//! A network's host checks (issue 12, decision 0420): the hosts whose `dengbao host report`
//! reached the server, each with its latest counts and review state, and the checks of that
//! report that failed or could not be decided — the reason in the page's language and the
//! file lines that decided it. Read-only: a report is reviewed as evidence on the duty
//! timeline.

use askama::Template;
use axum::extract::State;
use axum::routing::get;
use axum::Router;
use dengbao_hostcheck::{Report, Status};
use dengbao_server::auth::Read;
use dengbao_server::AppState;

use crate::ctx::Ctx;
use crate::guard::{NetPage, PageResult};
use crate::pages::render;

pub fn routes() -> Router<AppState> {
    Router::new().route("/networks/{id}/hosts", get(page))
}

struct Line {
    place: String,
    text: String,
}

struct Finding {
    id: String,
    title: String,
    items: String,
    status: String,
    status_label: String,
    reason: String,
    lines: Vec<Line>,
    cannot_see: String,
}

struct Host {
    name: String,
    evidence_id: String,
    distro: String,
    level: u8,
    received: String,
    counts: [i64; 4],
    review: String,
    review_label: String,
    findings: Vec<Finding>,
    older: usize,
}

#[derive(Template)]
#[template(path = "network/hosts.html")]
struct PageTpl {
    c: Ctx,
    network_id: String,
    network: String,
    hosts: Vec<Host>,
    /// The hint, escaped, with its commands as `<code>`.
    hint: String,
}

fn one(c: &Ctx, text: &str) -> String {
    crate::i18n::bilingual::pick(text, c.lang)
}

/// The failed and undecided results of a stored report (its JSON is the evidence file).
fn findings(c: &Ctx, bytes: &[u8]) -> Vec<Finding> {
    #[derive(serde::Deserialize)]
    struct Stored {
        report: Report,
    }
    let Ok(stored) = serde_json::from_slice::<Stored>(bytes) else {
        return Vec::new();
    };
    stored
        .report
        .results
        .into_iter()
        .filter(|r| matches!(r.status, Status::Fail | Status::Unknown))
        .map(|r| Finding {
            title: if c.lang.is_en() { r.title_en } else { r.title },
            items: r.items.join(" "),
            status_label: c
                .t
                .s(&format!("hosts.status.{}", r.status.as_str()))
                .to_string(),
            status: r.status.as_str().to_string(),
            reason: one(c, &r.reason),
            lines: r
                .evidence
                .iter()
                .map(|e| Line {
                    place: match e.line {
                        Some(n) => format!("{}:{n}", e.path),
                        None => e.path.clone(),
                    },
                    text: one(c, &e.text),
                })
                .collect(),
            cannot_see: one(c, &r.cannot_see),
            id: r.id,
        })
        .collect()
}

async fn page(State(state): State<AppState>, page: NetPage<Read>) -> PageResult {
    let c = page.c.clone();
    let net = state.store.get_network(&page.network_id).await?;
    let reports = state.store.host_reports(&net.id).await?;
    let mut hosts: Vec<Host> = Vec::new();
    // Newest first: the first report of a host is its latest; the rest are counted.
    for r in reports.into_iter().filter(|r| !r.voided) {
        if let Some(h) = hosts.iter_mut().find(|h| h.name == r.host) {
            h.older += 1;
            continue;
        }
        let bytes = state
            .store
            .evidence_bytes(&net.id, &r.evidence_id)
            .await
            .map(|(_, b)| b)
            .unwrap_or_default();
        hosts.push(Host {
            findings: findings(&c, &bytes),
            name: r.host,
            evidence_id: r.evidence_id,
            distro: r.distro,
            level: r.level,
            received: c.t.when(&r.received_at),
            counts: [r.passed, r.failed, r.not_applicable, r.unknown],
            review_label: c.t.s(&format!("evidence.{}", r.review)).to_string(),
            review: r.review,
            older: 0,
        });
    }
    render(&PageTpl {
        hint: crate::i18n::code_spans_html(c.t.s("hosts.hint")),
        network_id: net.id.clone(),
        network: net.profile.name.clone(),
        hosts,
        c,
    })
}
