//! Host-check reports (issue 12, decision 0420): `dengbao host report` sends the result of
//! `dengbao host check` for a network's host; the server checks it against its own check
//! catalog (known checks of that level naming exactly their items, counts that add up),
//! stores it as evidence of 等级保护 protection (reviewed like any upload: an assessor or a
//! second person accepts or rejects it) and lists the network's hosts with their latest
//! counts. Sending needs `AddEvidence`; reading `Read`.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dengbao_hostcheck::{Report, Status};
use dengbao_store::evidence::EvidenceInput;
use dengbao_store::host_check_rulings::HostCheckRuling;
use dengbao_store::host_reports::{HostReport, HostReportInput};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::host_rulings::StoredReport;
use crate::auth::{AddEvidence, NetworkGuard, Read};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiJson;
use crate::AppState;

/// The duty a host report evidences: the level's protection duty, which the 安全计算环境
/// items the checks name link to (data/controls).
pub const DUTY: &str = "mlps.general.protection";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_reports, send_report))
        .merge(super::host_rulings::router())
}

/// What `dengbao host report` sends.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HostReportUpload {
    /// The host's name (as the operator knows it: `web-01`).
    pub host: String,
    /// The JSON of `dengbao host check --json`.
    #[schema(value_type = Object)]
    pub report: Report,
}

/// The network's host reports, newest first, each with its evidence review state and the
/// engaged assessor's latest ruling on each check result ruled on.
#[utoipa::path(get, path = "/api/networks/{id}/host-reports", tag = "networks", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")),
    responses((status = 200, body = Vec<HostReport>), (status = 404, body = ErrorBody)))]
async fn list_reports(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
) -> ApiResult<Json<Vec<HostReport>>> {
    Ok(Json(state.store.host_reports(&guard.network_id).await?))
}

/// Stores a host report as evidence (pending review).
#[utoipa::path(post, path = "/api/networks/{id}/host-reports", tag = "networks", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")),
    request_body = HostReportUpload,
    responses((status = 201, body = HostReport), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn send_report(
    State(state): State<AppState>,
    guard: NetworkGuard<AddEvidence>,
    ApiJson(upload): ApiJson<HostReportUpload>,
) -> ApiResult<(StatusCode, Json<HostReport>)> {
    let report = &upload.report;
    dengbao_hostcheck::verify_report(report).map_err(|e| ApiError::invalid(e.to_string()))?;
    let net = state.store.get_network(&guard.network_id).await?;
    if let Some(level) = net.profile.level.map(|l| l.get()) {
        if level != report.level && level <= 3 {
            return Err(ApiError::invalid(format!(
                "invalid report.level: {} ≠ the network's level {level}（报告的等级与网络的等级不符）",
                report.level
            )));
        }
    }
    let count = |s: Status| report.results.iter().filter(|r| r.status == s).count() as i64;
    let counts = [
        count(Status::Pass),
        count(Status::Fail),
        count(Status::NotApplicable),
        count(Status::Unknown),
    ];
    let host = upload.host.trim().to_string();
    let day = report_day();
    let description = format!(
        "主机检查 {host}（{}）：通过 {} 项，不通过 {} 项，不适用 {} 项，无法判断 {} 项",
        dengbao_types::Level::new(report.level).map_or("?", |l| l.zh()),
        counts[0],
        counts[1],
        counts[2],
        counts[3]
    );
    let distro = format!("{} ({})", report.distro.pretty_name, report.distro.family);
    let bytes = serde_json::to_vec_pretty(&serde_json::json!({"host": host, "report": report}))
        .map_err(ApiError::internal)?;
    let input = EvidenceInput {
        duty_id: DUTY.into(),
        description,
        file_name: Some(format!("主机检查-{}-{day}.json", file_safe(&host))),
        ..Default::default()
    };
    let (_, stored) = state
        .store
        .record_host_report(
            &guard.actor(),
            &guard.network_id,
            HostReportInput {
                host,
                level: report.level,
                distro,
                counts,
            },
            input,
            &bytes,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(stored)))
}

/// One host check's latest result, as the assessment shows it beside an item.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ItemHostCheck {
    pub host: String,
    pub check: String,
    /// The result that counts: the assessor's when they overruled the machine, else the
    /// machine's (`pass`, `fail`, `not_applicable`, `unknown`).
    pub status: String,
    /// What `dengbao host check` found.
    pub machine_status: String,
    /// The engaged assessor's latest ruling on this result, if any (decision 0424).
    pub ruling: Option<HostCheckRuling>,
    /// The report's evidence item and its review state (whether the report meets the duty).
    pub evidence_id: String,
    pub review: String,
}

/// The result that counts for a check: an overruling's result, else the machine's.
pub fn effective_status(machine: &str, ruling: Option<&HostCheckRuling>) -> String {
    match ruling {
        Some(r) if r.ruling == "overrule" => r.result.clone().unwrap_or_else(|| machine.into()),
        _ => machine.to_string(),
    }
}

/// The latest report of each host of the network at `level` (voided ones left out), its
/// results grouped by the items they evidence, each with its ruling.
pub async fn host_checks_by_item(
    state: &AppState,
    network_id: &str,
    level: u8,
) -> ApiResult<BTreeMap<String, Vec<ItemHostCheck>>> {
    let mut out: BTreeMap<String, Vec<ItemHostCheck>> = BTreeMap::new();
    let mut hosts = std::collections::HashSet::new();
    // Newest first: the first report of a host is its latest.
    for r in state.store.host_reports(network_id).await? {
        if r.voided || r.level != level || !hosts.insert(r.host.clone()) {
            continue;
        }
        let (_, bytes) = state
            .store
            .evidence_bytes(network_id, &r.evidence_id)
            .await?;
        let Ok(stored) = serde_json::from_slice::<StoredReport>(&bytes) else {
            continue;
        };
        for res in stored.report.results {
            let ruling = r.rulings.iter().find(|x| x.check == res.id);
            let machine = res.status.as_str();
            for item in &res.items {
                out.entry(item.clone()).or_default().push(ItemHostCheck {
                    host: r.host.clone(),
                    check: res.id.clone(),
                    status: effective_status(machine, ruling),
                    machine_status: machine.to_string(),
                    ruling: ruling.cloned(),
                    evidence_id: r.evidence_id.clone(),
                    review: r.review.clone(),
                });
            }
        }
    }
    Ok(out)
}

fn report_day() -> String {
    dengbao_calendar::today_in_shanghai().to_string()
}

/// A host name as part of a file name: path separators and controls replaced.
fn file_safe(host: &str) -> String {
    host.chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect()
}
