//! A network's host checks (issue 12, decision 0420): the hosts whose `dengbao host report`
//! reached the server, each with its latest counts and review state, and the checks of that
//! report that failed or could not be decided — the reason in the page's language and the
//! file lines that decided it; the rest of its results folded below. The engaged assessor
//! accepts or overrules each result here (decision 0424); everyone else reads the ruling, and
//! an overruled result shows the assessor's result and note. The report itself is reviewed
//! as evidence on the duty timeline.

use askama::Template;
use axum::extract::State;
use axum::routing::get;
use axum::Router;
use dengbao_hostcheck::{Report, Status};
use dengbao_server::auth::Read;
use dengbao_server::AppState;

use crate::ctx::Ctx;
use crate::guard::{NetPage, PageResult};
use crate::pages::host_rulings::{may_rule, status, RulingView};
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
    /// The result that counts: the assessor's when overruled, else the machine's.
    status: String,
    status_label: String,
    /// The machine's result in words, shown apart when the assessor overruled it.
    machine_label: String,
    ruling: Option<RulingView>,
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
    /// The results that passed or do not apply (by the machine), folded away.
    others: Vec<Finding>,
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
    /// The user is the engaged assessor: each result gets the ruling form.
    can_rule: bool,
    /// The results an assessor may find, with their words.
    statuses: Vec<(&'static str, String)>,
}

fn one(c: &Ctx, text: &str) -> String {
    crate::i18n::bilingual::pick(text, c.lang)
}

/// A host-check text as HTML, escaped; on a Chinese page its ASCII terms (`root`, `sshd`,
/// `PermitRootLogin no`) are set as `<code>`: they are the configuration's own words, not
/// English (decision 0934).
fn terms_as_code(c: &Ctx, text: &str) -> String {
    if c.lang.is_en() {
        return crate::i18n::code_spans_html(&text.replace('`', "'"));
    }
    let mut marked = String::with_capacity(text.len() + 16);
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        let body = run.trim();
        if body.chars().any(|ch| ch.is_ascii_alphabetic()) {
            let lead = &run[..run.len() - run.trim_start().len()];
            let tail = &run[run.trim_end().len()..];
            out.push_str(lead);
            out.push('`');
            out.push_str(body);
            out.push('`');
            out.push_str(tail);
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for ch in text.replace('`', "'").chars() {
        if ch.is_ascii() && !ch.is_ascii_control() {
            run.push(ch);
        } else {
            flush(&mut run, &mut marked);
            marked.push(ch);
        }
    }
    flush(&mut run, &mut marked);
    crate::i18n::code_spans_html(&marked)
}

/// A stored report's results (its JSON is the evidence file) with their rulings: the
/// failed and undecided ones (by the machine), and the rest.
fn findings(
    c: &Ctx,
    bytes: &[u8],
    rulings: &[dengbao_store::host_check_rulings::HostCheckRuling],
) -> (Vec<Finding>, Vec<Finding>) {
    #[derive(serde::Deserialize)]
    struct Stored {
        report: Report,
    }
    let Ok(stored) = serde_json::from_slice::<Stored>(bytes) else {
        return (Vec::new(), Vec::new());
    };
    stored
        .report
        .results
        .into_iter()
        .map(|r| {
            let ruling = rulings.iter().find(|x| x.check == r.id);
            let machine = r.status.as_str();
            let counts = dengbao_server::routes::host_reports::effective_status(machine, ruling);
            let finding = Finding {
                title: terms_as_code(
                    c,
                    if c.lang.is_en() {
                        &r.title_en
                    } else {
                        &r.title
                    },
                ),
                items: r.items.join(" "),
                status_label: status(c, &counts),
                machine_label: if counts == machine {
                    String::new()
                } else {
                    c.t.f("hosts.machine", status(c, machine))
                },
                status: counts,
                ruling: ruling.map(|x| RulingView::of(c, x)),
                reason: terms_as_code(c, &one(c, &r.reason)),
                lines: r
                    .evidence
                    .iter()
                    .map(|e| Line {
                        place: match e.line {
                            Some(n) => format!("{}:{n}", e.path),
                            None => e.path.clone(),
                        },
                        text: terms_as_code(c, &one(c, &e.text)),
                    })
                    .collect(),
                cannot_see: terms_as_code(c, &one(c, &r.cannot_see)),
                id: r.id,
            };
            (matches!(r.status, Status::Fail | Status::Unknown), finding)
        })
        .fold(
            (Vec::new(), Vec::new()),
            |(mut open, mut rest), (is_open, f)| {
                if is_open {
                    open.push(f);
                } else {
                    rest.push(f);
                }
                (open, rest)
            },
        )
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
        let (findings, others) = findings(&c, &bytes, &r.rulings);
        hosts.push(Host {
            findings,
            others,
            name: r.host,
            evidence_id: r.evidence_id,
            distro: terms_as_code(&c, &r.distro),
            level: r.level,
            received: c.t.when(&r.received_at),
            counts: [r.passed, r.failed, r.not_applicable, r.unknown],
            review_label: c.t.s(&format!("evidence.{}", r.review)).to_string(),
            review: r.review,
            older: 0,
        });
    }
    let can_rule = may_rule(&state, &page).await;
    render(&PageTpl {
        can_rule,
        statuses: crate::pages::host_rulings::RESULTS
            .iter()
            .map(|s| (*s, status(&c, s)))
            .collect(),
        hint: crate::i18n::code_spans_html(c.t.s("hosts.hint")),
        network_id: net.id.clone(),
        network: net.profile.name.clone(),
        hosts,
        c,
    })
}
