//! `dengbao incident pi-request add|close|list [--json]`: requests to delete or correct
//! personal information (网络安全法 第四十三条, decision 0507) in the store, each audited.
//! A request shows a deadline only under its organisation's own policy, labelled so; the law
//! sets none. Bad input exits 2 naming the field; nothing is written.

use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, Subcommand};
use dengbao_server::routes::pi_requests::PiRequestView;
use dengbao_store::{ClosePiRequest, NewPiRequest};
use dengbao_types::Lang;

use super::incident_emergency::user;
use super::incident_register::{open_store, runtime};
use crate::Ctx;

#[derive(Subcommand, Debug)]
pub enum PiCmd {
    /// Record a request received (delete | correct).
    Add(AddArgs),
    /// Close a request: done, or refused with the reason.
    Close(CloseArgs),
    /// The network's requests with their deadline (none unless the organisation set one).
    List(ListArgs),
}

#[derive(Args, Debug)]
pub struct AddArgs {
    #[arg(long)]
    pub network: String,
    /// delete | correct
    #[arg(long)]
    pub kind: String,
    /// A reference to the requester (a ticket number), not personal data.
    #[arg(long)]
    pub requester_ref: String,
    /// YYYY-MM-DD or RFC 3339 with offset, not in the future.
    #[arg(long)]
    pub received_at: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct CloseArgs {
    pub id: String,
    /// done | refused
    #[arg(long)]
    pub outcome: String,
    /// Why it was refused (required with refused).
    #[arg(long, default_value = "")]
    pub reason: String,
    #[arg(long)]
    pub closed_at: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    #[arg(long)]
    pub network: String,
    #[arg(long)]
    pub json: bool,
}

fn text(v: &PiRequestView, lang: Lang) -> String {
    let r = &v.request;
    let deadline = v.deadline.clone().unwrap_or_else(|| match lang {
        Lang::ZhCn => "无".into(),
        Lang::En => "none".into(),
    });
    match lang {
        Lang::ZhCn => format!(
            "个人信息请求 {}（{}）\n  请求人编号：{} 收到：{} 状态：{}\n  期限：{deadline} — {}\n",
            r.id,
            if r.kind == "delete" { "删除" } else { "更正" },
            r.requester_ref,
            r.received_at,
            v.clock,
            v.basis_zh
        ),
        Lang::En => format!(
            "personal-information request {} ({})\n  requester: {} received: {} state: {}\n  deadline: {deadline} — {}\n",
            r.id,
            r.kind,
            dengbao_i18n::quoted(lang, &r.requester_ref),
            r.received_at,
            v.clock,
            v.basis_en
        ),
    }
}

pub fn run(cmd: PiCmd, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    runtime()?.block_on(async {
        let store = open_store(ctx).await?;
        let (reqs, json) = match cmd {
            PiCmd::Add(a) => {
                let input = NewPiRequest {
                    kind: a.kind,
                    requester_ref: a.requester_ref,
                    received_at: a.received_at,
                };
                let r = store
                    .add_pi_request("cli", &a.network, input)
                    .await
                    .map_err(|e| user(e, lang))?;
                (vec![r], a.json)
            }
            PiCmd::Close(a) => {
                let input = ClosePiRequest {
                    outcome: a.outcome,
                    reason: a.reason,
                    closed_at: a.closed_at,
                };
                let r = store
                    .close_pi_request("cli", &a.id, input)
                    .await
                    .map_err(|e| user(e, lang))?;
                (vec![r], a.json)
            }
            PiCmd::List(a) => {
                store
                    .get_network(&a.network)
                    .await
                    .map_err(|e| user(e, lang))?;
                let reqs = store
                    .list_pi_requests(&a.network)
                    .await
                    .map_err(|e| user(e, lang))?;
                (reqs, a.json)
            }
        };
        store.close().await;
        let cal = dengbao_calendar::Calendar::with_overrides(&ctx.data_dir.join("calendar"))
            .context("the working-day calendar")?;
        let now = jiff::Timestamp::now();
        let views: Vec<_> = reqs
            .into_iter()
            .map(|r| PiRequestView::new(r, &cal, now))
            .collect();
        super::incident_emergency::show(&views, json, |v| text(v, lang))
    })
}
