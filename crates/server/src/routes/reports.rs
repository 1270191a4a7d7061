//! Downloads people hand over, generated from the stored data by `dengbao-reports`: the
//! grading report and filing form (DOCX), the duty and gap list and the latest assessment's
//! findings (XLSX).

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use dengbao_reports as reports;
use dengbao_store::Network;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{NetworkGuard, Read};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiQuery;
use crate::routes::duties::{profile_of, AtQuery};
use crate::routes::supervision::today;
use crate::AppState;

pub(crate) const DOCX: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(grading_docx))
        .routes(routes!(filing_docx))
        .routes(routes!(duties_xlsx))
        .routes(routes!(findings_xlsx))
}

/// A document's file name that says what and whose: `备案表-会员服务平台-2026-12-04.docx`
/// (characters a file system refuses are replaced).
pub(crate) fn file_name(what: &str, network: &str, ext: &str) -> String {
    let safe: String = network
        .chars()
        .map(|c| {
            if "/\\:*?\"<>|".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    format!("{what}-{safe}-{}.{ext}", today())
}

/// `name` percent-encoded for `filename*=UTF-8''` (RFC 5987).
fn rfc5987(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The response for a generated document: `ascii` is the plain fallback name for old
/// clients, `name` the full (Chinese) one every current browser uses.
pub(crate) fn download(
    bytes: reports::Result<Vec<u8>>,
    mime: &'static str,
    ascii: &str,
    name: &str,
) -> ApiResult<Response> {
    let bytes = bytes.map_err(ApiError::internal)?;
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        rfc5987(name)
    );
    let mut resp = bytes.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}

fn level_of(net: &Network) -> u8 {
    net.profile.level.map(|l| l.get()).unwrap_or(0)
}

fn snake(v: &impl serde::Serialize) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str())
            .collect::<Vec<_>>()
            .join("、"),
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// A profile value in the Chinese documents' words, from the console's catalog
/// (`stage.running` → 运行中): no English value goes into a Chinese document.
fn zh(section: &str, v: &impl serde::Serialize) -> String {
    let t = dengbao_i18n::Messages::get(dengbao_types::Lang::ZhCn);
    let word = |id: &str| -> String {
        let key = format!("{section}.{id}");
        match t.s(&key) {
            label if label == key => id.to_string(),
            label => label.to_string(),
        }
    };
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(id)) => word(&id),
        Ok(serde_json::Value::Array(a)) if a.is_empty() => "无".into(),
        Ok(serde_json::Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str())
            .map(word)
            .collect::<Vec<_>>()
            .join("、"),
        _ => snake(v),
    }
}

/// The harmed object of a grading input in the documents' words.
fn object_zh(h: &dengbao_grading::Harm) -> String {
    zh("grading.object", &h.object)
}

/// The degree of harm in the words for its object (损害 for rights, 危害 otherwise).
fn degree_zh(h: &dengbao_grading::Harm) -> String {
    let section = if matches!(h.object, dengbao_grading::Object::Rights) {
        "grading.degree.rights"
    } else {
        "grading.degree.public"
    };
    zh(section, &h.degree)
}

/// The Chinese half of a "中文 / English" note.
pub(crate) fn zh_half(note: &str) -> String {
    note.split_once(" / ")
        .map(|(zh, _)| zh.to_string())
        .unwrap_or_else(|| note.to_string())
}

fn yes(b: bool) -> String {
    if b { "是" } else { "否" }.to_string()
}

/// The network's description rows shared by both DOCX documents.
fn description(net: &Network) -> Vec<(String, String)> {
    let p = &net.profile;
    vec![
        ("所处阶段".into(), zh("stage", &p.stage)),
        ("关键信息基础设施".into(), yes(p.cii)),
        ("处理个人信息".into(), yes(p.personal_info)),
        ("提供的服务".into(), zh("service", &p.services)),
        ("采用的新技术".into(), zh("tech", &p.new_tech)),
        ("境外远程运维".into(), yes(p.overseas_maintenance)),
        ("有行业主管部门".into(), yes(p.competent_department)),
    ]
}

/// The grading report (定级报告).
#[utoipa::path(get, path = "/api/networks/{id}/reports/grading.docx", tag = "reports", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", description = "DOCX"), (status = 404, body = ErrorBody)))]
async fn grading_docx(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
) -> ApiResult<Response> {
    let net = state.store.get_network(&guard.network_id).await?;
    let org = state.store.get_org(&guard.org_id).await?;
    let events = state.store.profile_events(&guard.network_id).await?;
    let outcome = net
        .profile
        .grading
        .as_ref()
        .and_then(|g| serde_json::to_string(g).ok())
        .and_then(|text| dengbao_grading::parse_json(&text).ok())
        .map(|input| dengbao_grading::grade(&input));
    let ev = |k: &str| events.get(k).cloned().unwrap_or_default();
    // The review's and the approval's opinions are the notes recorded with their events.
    let notes: std::collections::BTreeMap<String, String> = state
        .store
        .list_events(&guard.network_id)
        .await?
        .into_iter()
        .filter(|e| e.voided.is_none() && !e.note.is_empty())
        .map(|e| (e.kind, e.note))
        .collect();
    let input = net
        .profile
        .grading
        .as_ref()
        .and_then(|g| serde_json::to_string(g).ok())
        .and_then(|text| dengbao_grading::parse_json(&text).ok());
    let harm = input.as_ref().map(|i| (i.business, i.service));
    let harm = harm.as_ref();
    let r = reports::GradingReport {
        org_name: org.name,
        network_name: net.profile.name.clone(),
        level: level_of(&net),
        business_level: outcome.as_ref().map(|o| o.business_level.get()),
        service_level: outcome.as_ref().map(|o| o.service_level.get()),
        basis: outcome
            .as_ref()
            .map(|o| zh("grading.basis", &o.basis))
            .unwrap_or_default(),
        reasoning: outcome
            .as_ref()
            .map(|o| o.notes.iter().map(|n| zh_half(n)).collect())
            .unwrap_or_default(),
        business_object: harm.map(|h| object_zh(&h.0)).unwrap_or_default(),
        business_degree: harm.map(|h| degree_zh(&h.0)).unwrap_or_default(),
        service_object: harm.map(|h| object_zh(&h.1)).unwrap_or_default(),
        service_degree: harm.map(|h| degree_zh(&h.1)).unwrap_or_default(),
        review_opinion: notes.get("reviewed").cloned().unwrap_or_default(),
        approval_opinion: notes.get("approved").cloned().unwrap_or_default(),
        citations: outcome
            .as_ref()
            .map(|o| o.citations.iter().map(|c| c.to_string()).collect())
            .unwrap_or_default(),
        graded_on: ev("graded"),
        reviewed_on: ev("reviewed"),
        approved_on: ev("approved"),
        description: description(&net)
            .into_iter()
            .chain(object_rows(&state, &guard.network_id).await?)
            .collect(),
        generated_on: today().to_string(),
    };
    let name = file_name("定级报告", &r.network_name, "docx");
    download(reports::grading_docx(&r), DOCX, "grading.docx", &name)
}

/// The graded object as the latest filing describes it (承载业务情况, 边界, 承载平台, 部署方式),
/// for the 定级报告's first chapter; nothing before a filing.
async fn object_rows(state: &AppState, network_id: &str) -> ApiResult<Vec<(String, String)>> {
    let Some(f) = state.store.current_filing(network_id).await? else {
        return Ok(Vec::new());
    };
    let form = f.form;
    Ok([
        ("承载业务情况", form.business),
        ("服务范围与服务对象", form.service_scope),
        ("定级对象边界", form.boundary),
        ("承载平台", form.platform),
        ("部署方式", form.deployment),
    ]
    .into_iter()
    .filter(|(_, v)| !v.trim().is_empty())
    .map(|(k, v)| (k.to_string(), v))
    .collect())
}

/// The filing form (备案表), from the network, its organisation and its latest filing.
#[utoipa::path(get, path = "/api/networks/{id}/reports/filing.docx", tag = "reports", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", description = "DOCX"), (status = 404, body = ErrorBody)))]
async fn filing_docx(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
) -> ApiResult<Response> {
    let net = state.store.get_network(&guard.network_id).await?;
    let org = state.store.get_org(&guard.org_id).await?;
    let industry = state
        .store
        .org_industry(&guard.org_id)
        .await?
        .unwrap_or_default();
    let events = state.store.profile_events(&guard.network_id).await?;
    let filing = state.store.current_filing(&guard.network_id).await?;
    let form = filing.as_ref().map(|f| f.form.clone()).unwrap_or_default();
    let ev = |k: &str| events.get(k).cloned().unwrap_or_default();
    let level = level_of(&net);
    let supervisors = state.store.list_supervisors().await?;
    let mut f = reports::FilingForm {
        network_name: net.profile.name.clone(),
        level,
        generated_on: today().to_string(),
        unit: vec![
            ("单位名称".into(), org.name.clone()),
            ("统一社会信用代码".into(), form.credit_code.clone()),
            ("单位地址".into(), form.address.clone()),
            ("行政区划代码".into(), form.region_code.clone()),
            ("隶属关系".into(), form.affiliation.clone()),
            ("单位类型".into(), form.unit_type.clone()),
            ("行业类别".into(), industry),
            ("单位负责人".into(), form.unit_head.clone()),
            ("单位负责人职务".into(), form.unit_head_title.clone()),
            ("单位负责人联系电话".into(), form.unit_head_phone.clone()),
            ("单位负责人电子邮件".into(), form.unit_head_email.clone()),
            ("责任部门".into(), form.responsible_department.clone()),
            ("责任部门联系人".into(), form.contact.clone()),
            ("责任部门联系人职务".into(), form.contact_title.clone()),
            ("联系电话".into(), form.phone.clone()),
            ("责任部门联系人电子邮件".into(), form.contact_email.clone()),
        ],
        network: [
            ("定级对象名称".to_string(), net.profile.name.clone()),
            ("承载业务情况".to_string(), form.business.clone()),
            ("服务范围与服务对象".to_string(), form.service_scope.clone()),
            ("定级对象边界".to_string(), form.boundary.clone()),
            ("承载平台".to_string(), form.platform.clone()),
            ("部署方式".to_string(), form.deployment.clone()),
            ("投入运行时间".to_string(), ev("launched")),
        ]
        .into_iter()
        .chain(description(&net))
        .collect(),
        grading: vec![
            ("安全保护等级".into(), reports::level_zh(level).to_string()),
            ("定级时间".into(), ev("graded")),
            ("专家评审时间".into(), ev("reviewed")),
            ("主管部门核准时间".into(), ev("approved")),
        ],
        attachments: Vec::new(),
        filing: Vec::new(),
    };
    let has = |name: &str| form.attachments.iter().any(|a| a.contains(name));
    let mut list = vec!["定级报告", "专家评审意见"];
    if level >= 3 {
        list.extend([
            "网络拓扑结构及说明",
            "安全组织机构及管理制度",
            "安全保护设施设计实施方案",
            "安全产品清单及认证、销售许可证明",
            "等级测评报告",
            "安全服务商情况",
        ]);
    }
    if net.profile.competent_department {
        list.push("行业主管部门审批意见");
    }
    f.attachments = list.iter().map(|a| (a.to_string(), has(a))).collect();
    for a in &form.attachments {
        if !list.iter().any(|l| a.contains(l)) {
            f.attachments.push((a.clone(), true));
        }
    }
    if let Some(fl) = &filing {
        let organ = supervisors
            .iter()
            .find(|s| s.id == fl.supervisor_id)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| fl.supervisor_id.clone());
        let state_zh = match fl.state {
            dengbao_store::filings::FilingState::Submitted => "审核中",
            dengbao_store::filings::FilingState::Certified => "已出具备案证明",
            dengbao_store::filings::FilingState::Rejected => "已驳回",
        };
        f.filing = vec![
            ("受理公安机关".into(), organ),
            ("受理日期".into(), fl.submitted_on.clone()),
            ("审核期限（10个工作日）".into(), fl.review_due.clone()),
            ("审核状态".into(), state_zh.into()),
            (
                "备案证明编号".into(),
                fl.certificate_no.clone().unwrap_or_default(),
            ),
            ("驳回理由".into(), fl.reasons.clone()),
        ];
    }
    let name = file_name("备案表", &f.network_name, "docx");
    download(reports::filing_docx(&f), DOCX, "filing.docx", &name)
}

/// The duty and gap list at a date (today by default).
#[utoipa::path(get, path = "/api/networks/{id}/reports/duties.xlsx", tag = "reports", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id"), AtQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "XLSX"), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn duties_xlsx(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
    ApiQuery(q): ApiQuery<AtQuery>,
) -> ApiResult<Response> {
    let at = match &q.at {
        Some(s) => dengbao_duties::parse_at(s)
            .map_err(|e| ApiError::invalid(format!("invalid at: {e}")))?,
        None => jiff::Timestamp::now(),
    };
    let net = state.store.get_network(&guard.network_id).await?;
    let org = state.store.get_org(&guard.org_id).await?;
    let profile = profile_of(&state, &guard.network_id).await?;
    let statuses =
        crate::routes::duties::statuses_of(&state, &guard.network_id, &profile, at).await?;
    let exposure = dengbao_duties::exposure(&profile, &state.catalog, &statuses);
    let rows = statuses
        .iter()
        .map(|s| reports::DutyRow {
            id: s.id().to_string(),
            title: s.title().to_string(),
            citations: s
                .citations()
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join("；"),
            status: s.status.id().to_string(),
            due: s.due.map(|d| d.to_string()).unwrap_or_default(),
            evidence: u32::try_from(s.evidence.len()).unwrap_or(u32::MAX),
            penalty: dengbao_duties::report::penalty_basis(s, &state.catalog, &exposure),
        })
        .collect();
    let d = reports::DutyList {
        org_name: org.name,
        network_name: net.profile.name.clone(),
        level: level_of(&net),
        at: q.at.clone().unwrap_or_else(|| today().to_string()),
        rows,
    };
    let name = file_name("义务与差距清单", &d.network_name, "xlsx");
    download(reports::duties_xlsx(&d), XLSX, "duties.xlsx", &name)
}

/// The latest engagement's findings and conclusion. 409 when no assessor was engaged.
#[utoipa::path(get, path = "/api/networks/{id}/reports/findings.xlsx", tag = "reports", security(("bearer" = [])),
    params(("id" = String, Path, description = "network id")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "XLSX"), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn findings_xlsx(
    State(state): State<AppState>,
    guard: NetworkGuard<Read>,
) -> ApiResult<Response> {
    let Some(e) = state
        .store
        .list_engagements(&guard.network_id)
        .await?
        .into_iter()
        .next()
    else {
        return Err(ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "conflict",
            "no assessor has been engaged for this network (该网络尚无测评委托)",
        ));
    };
    let net = state.store.get_network(&guard.network_id).await?;
    let org = state.store.get_org(&guard.org_id).await?;
    let evidence = state.store.list_evidence(&guard.network_id).await?;
    let users = state.store.list_users().await?;
    let assessor = users
        .iter()
        .find(|u| u.id == e.assessor_id)
        .map(|u| u.name.clone())
        .unwrap_or_else(|| e.assessor_id.clone());
    let rows = e
        .findings
        .iter()
        .map(|f| reports::FindingRow {
            duty_id: f.duty_id.clone(),
            duty_title: state
                .catalog
                .duty(&f.duty_id)
                .map(|d| d.title.clone())
                .unwrap_or_default(),
            result: f.result.zh().to_string(),
            text: f.text.clone(),
            evidence: f
                .evidence
                .iter()
                .map(|id| {
                    evidence
                        .iter()
                        .find(|x| &x.id == id)
                        .map(|x| match &x.file_name {
                            Some(n) => format!("{}（{n}）", x.description),
                            None => x.description.clone(),
                        })
                        .unwrap_or_else(|| id.clone())
                })
                .collect(),
        })
        .collect();
    let r = reports::Findings {
        org_name: org.name,
        network_name: net.profile.name.clone(),
        level: level_of(&net),
        assessor,
        engaged_on: e.engaged_on.clone(),
        conclusion: e.conclusion.map(|c| c.zh().to_string()).unwrap_or_default(),
        concluded_on: e.concluded_on.clone().unwrap_or_default(),
        score: e.score,
        summary: e.summary.clone(),
        rows,
    };
    let name = file_name("测评结果记录", &r.network_name, "xlsx");
    download(reports::findings_xlsx(&r), XLSX, "findings.xlsx", &name)
}
