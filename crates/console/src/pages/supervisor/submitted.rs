//! What the operator submitted, shown on the supervisor's review page next to the decision
//! form: the filing form's details, the 备案表 and 定级报告 as documents, and the network's
//! evidence with its review state (issue 16: the organ decided without seeing them).

use dengbao_server::AppState;
use dengbao_store::filings::Filing;

use crate::ctx::Ctx;
use crate::guard::PageError;
use crate::pages::evidence_review::EvidenceRow;

/// The submission as the review page shows it.
pub struct Submitted {
    /// (label, value) of the filing form, in the page's language.
    pub details: Vec<(String, String)>,
    /// The attachments the operator said it supplied (表四).
    pub attachments: Vec<String>,
    /// Every piece of evidence on the network, with who accepted it.
    pub evidence: Vec<EvidenceRow>,
}

/// The latest filing's form and the network's evidence.
pub async fn submitted(
    state: &AppState,
    c: &Ctx,
    network_id: &str,
    latest: Option<&Filing>,
) -> Result<Submitted, PageError> {
    let q = |s: &str| crate::i18n::quoted(c.lang, s);
    let details = latest
        .map(|f| {
            let form = &f.form;
            [
                ("filing.credit_code", &form.credit_code),
                ("filing.address", &form.address),
                ("filing.region_code", &form.region_code),
                ("filing.affiliation", &form.affiliation),
                ("filing.unit_type", &form.unit_type),
                ("filing.unit_head", &form.unit_head),
                ("filing.unit_head_title", &form.unit_head_title),
                ("filing.unit_head_phone", &form.unit_head_phone),
                ("filing.unit_head_email", &form.unit_head_email),
                ("filing.department", &form.responsible_department),
                ("filing.contact", &form.contact),
                ("filing.contact_title", &form.contact_title),
                ("filing.phone", &form.phone),
                ("filing.contact_email", &form.contact_email),
                ("filing.business", &form.business),
                ("filing.scope", &form.service_scope),
                ("filing.boundary", &form.boundary),
                ("filing.platform", &form.platform),
                ("filing.deployment", &form.deployment),
            ]
            .into_iter()
            .map(|(key, value)| {
                let shown = if value.trim().is_empty() {
                    c.t.s("supervisor.not_given").to_string()
                } else {
                    q(value)
                };
                (c.t.s(key).to_string(), shown)
            })
            .collect()
        })
        .unwrap_or_default();
    let mut attachments: Vec<String> = latest
        .map(|f| f.form.attachments.iter().map(|a| q(a)).collect())
        .unwrap_or_default();
    if attachments.is_empty() {
        attachments.push(c.t.s("supervisor.not_given").to_string());
    }
    let evidence = state
        .store
        .list_evidence(network_id)
        .await?
        .iter()
        .map(|e| EvidenceRow::of(c, e, false, ""))
        .collect();
    Ok(Submitted {
        details,
        attachments,
        evidence,
    })
}
