//! The network form: create and edit a network's profile (the level only while no grading
//! or filing rests on it), with the related laws' facts (important data, the people count).

use crate::form::Form;
use askama::Template;
use axum::extract::State;
use dengbao_server::auth::EditNetwork;
use dengbao_server::AppState;
use dengbao_store::profile::GradingInput;
use dengbao_store::NetworkProfile;

use crate::ctx::Ctx;
use crate::guard::{enforce_org, NetPage, Page, PageResult};
use crate::pages::networks::{org_names, text_of, CLASSIFIED, FLAGS, NEW_TECH, SERVICES, STAGES};
use crate::pages::{form_value, form_values, redirect, render, render_status};

/// The create/edit form's state.
#[derive(Template)]
#[template(path = "network/form.html")]
struct FormTpl {
    c: Ctx,
    action: String,
    title: String,
    error: Option<String>,
    /// The input `error` is about, shown beside it ("" when it is about the whole form).
    error_field: String,
    orgs: Vec<(String, String)>,
    org_id: String,
    name: String,
    level: String,
    stage: String,
    classified: String,
    choices: Vec<Choice>,
    stages: Vec<(&'static str, String)>,
    classifieds: Vec<(&'static str, String)>,
    levels: Vec<(String, String)>,
    /// 处理个人信息的人数, "" when not known.
    people: String,
    editing: bool,
    /// The level rests on a grading or a filing: the form shows it and links to grading.
    level_locked: bool,
}

/// A checkbox: field name, value, label, checked.
pub struct Choice {
    pub name: &'static str,
    pub value: &'static str,
    pub label: String,
    pub checked: bool,
}

fn form_tpl(
    c: Ctx,
    orgs: Vec<(String, String)>,
    action: String,
    title: String,
    p: Option<&NetworkProfile>,
    org_id: String,
) -> FormTpl {
    let t = c.t;
    let has = |name: &str, value: &str| -> bool {
        let Some(p) = p else { return false };
        match name {
            "flag" => match value {
                "cii" => p.cii,
                "personal_info" => p.personal_info,
                "important_data" => p.important_data,
                "overseas_maintenance" => p.overseas_maintenance,
                "cross_border_data" => p.cross_border_data,
                _ => p.competent_department,
            },
            "services" => p.services.iter().any(|s| text_of(s) == value),
            _ => p.new_tech.iter().any(|s| text_of(s) == value),
        }
    };
    // (form field, catalog prefix of the labels, values), in the form's order.
    let groups: [(&'static str, &str, &[&'static str]); 3] = [
        ("flag", "profile", &FLAGS),
        ("services", "service", &SERVICES),
        ("new_tech", "tech", &NEW_TECH),
    ];
    let mut choices = Vec::new();
    for (name, prefix, values) in groups {
        for value in values {
            choices.push(Choice {
                name,
                value,
                label: t.s(&format!("{prefix}.{value}")).to_string(),
                checked: has(name, value),
            });
        }
    }
    FormTpl {
        level_locked: false,
        people: p
            .and_then(|p| p.personal_info_people)
            .map(|n| n.to_string())
            .unwrap_or_default(),
        action,
        title,
        error: None,
        error_field: String::new(),
        org_id: if org_id.is_empty() {
            orgs.first().map(|o| o.0.clone()).unwrap_or_default()
        } else {
            org_id
        },
        orgs,
        name: p.map(|p| p.name.clone()).unwrap_or_default(),
        level: p
            .and_then(|p| p.level)
            .map(|l| l.get().to_string())
            .unwrap_or_default(),
        stage: p
            .map(|p| text_of(&p.stage))
            .unwrap_or_else(|| "running".into()),
        classified: p
            .map(|p| text_of(&p.classified))
            .unwrap_or_else(|| "none".into()),
        choices,
        stages: STAGES
            .iter()
            .map(|s| (*s, t.s(&format!("stage.{s}")).to_string()))
            .collect(),
        classifieds: CLASSIFIED
            .iter()
            .map(|s| (*s, t.s(&format!("classified.{s}")).to_string()))
            .collect(),
        levels: (1..=5)
            .map(|l| (l.to_string(), t.s(&format!("level.{l}")).to_string()))
            .collect(),
        editing: p.is_some(),
        c,
    }
}

/// The form as the user sent it, with `error` in the page's language beside it: nothing
/// typed is lost when a submission is refused (issue 16 item 5).
fn refill(tpl: &mut FormTpl, fields: &[(String, String)], error: &str) {
    let inputs = [
        "name",
        "level",
        "stage",
        "classified",
        "personal_info_people",
    ];
    tpl.error_field = crate::i18n::bilingual::field_of(error, &inputs)
        .unwrap_or_default()
        .to_string();
    tpl.error = Some(if tpl.error_field.is_empty() {
        crate::i18n::one_language(error, tpl.c.lang).replace('`', "")
    } else {
        crate::i18n::bilingual::without_field(error, tpl.c.lang)
    });
    tpl.name = form_value(fields, "name");
    tpl.level = form_value(fields, "level");
    tpl.stage = form_value(fields, "stage");
    tpl.classified = form_value(fields, "classified");
    tpl.people = form_value(fields, "personal_info_people");
    for choice in &mut tpl.choices {
        choice.checked = form_values(fields, choice.name)
            .iter()
            .any(|v| v == choice.value);
    }
}

pub async fn new_form(State(state): State<AppState>, page: Page<EditNetwork>) -> PageResult {
    let orgs = org_names(&state, &page.scope()).await?;
    let title = page.c.t.s("network.new").to_string();
    render(&form_tpl(
        page.c,
        orgs,
        "/networks/new".into(),
        title,
        None,
        String::new(),
    ))
}

/// The form's fields as a profile (keeping `grading` from `keep`).
fn profile_from(
    fields: &[(String, String)],
    keep: Option<GradingInput>,
) -> Result<NetworkProfile, String> {
    let get = |k: &str| form_value(fields, k).trim().to_string();
    let all = |k: &str| form_values(fields, k);
    let flags = all("flag");
    let level = get("level");
    let mut json = serde_json::json!({
        "name": get("name"),
        "stage": get("stage"),
        "classified": get("classified"),
        "services": all("services"),
        "new_tech": all("new_tech"),
    });
    if let Some(m) = json.as_object_mut() {
        for f in FLAGS {
            m.insert(
                f.into(),
                serde_json::Value::Bool(flags.iter().any(|x| x == f)),
            );
        }
        if !level.is_empty() {
            let n: u8 = level.parse().map_err(|_| format!("level: {level}"))?;
            m.insert("level".into(), n.into());
        }
        let people = get("personal_info_people");
        if !people.is_empty() {
            let n: i64 = people
                .parse()
                .map_err(|_| format!("personal_info_people: {people}"))?;
            m.insert("personal_info_people".into(), n.into());
        }
        if let Some(g) = keep {
            m.insert(
                "grading".into(),
                serde_json::to_value(g).map_err(|e| e.to_string())?,
            );
        }
    }
    dengbao_server::extract::parse_json::<NetworkProfile>(json.to_string().as_bytes())
        .map_err(|e| e.message)
}

pub async fn create(
    State(state): State<AppState>,
    page: Page<EditNetwork>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let org_id = fields
        .iter()
        .find(|(k, _)| k == "org_id")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    enforce_org::<EditNetwork>(
        &state,
        &page.c,
        &page.principal,
        &org_id,
        "POST /networks/new",
    )
    .await?;
    let orgs = org_names(&state, &page.scope()).await?;
    let title = page.c.t.s("network.new").to_string();
    let result = match profile_from(&fields, None) {
        Ok(p) => state
            .store
            .create_network(&page.actor(), &org_id, p)
            .await
            .map_err(|e| e.to_string()),
        Err(e) => Err(e),
    };
    match result {
        Ok(n) => redirect(&format!("/networks/{}", n.id)),
        Err(e) => {
            let mut tpl = form_tpl(page.c, orgs, "/networks/new".into(), title, None, org_id);
            refill(&mut tpl, &fields, &e);
            render_status(&tpl, axum::http::StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// The edit form of the stored network, its level locked once graded or filed.
async fn edit_tpl(
    state: &AppState,
    page: NetPage<EditNetwork>,
    net: &dengbao_store::Network,
) -> Result<FormTpl, crate::guard::PageError> {
    let orgs = vec![(
        page.org_id.clone(),
        state.store.get_org(&page.org_id).await?.name,
    )];
    let title = page.c.t.f("network.edit", &net.profile.name);
    let mut tpl = form_tpl(
        page.c,
        orgs,
        format!("/networks/{}/edit", net.id),
        title,
        Some(&net.profile),
        page.org_id,
    );
    tpl.level_locked = state.store.level_is_settled(&net.id).await?;
    Ok(tpl)
}

pub async fn edit_form(State(state): State<AppState>, page: NetPage<EditNetwork>) -> PageResult {
    let net = state.store.get_network(&page.network_id).await?;
    render(&edit_tpl(&state, page, &net).await?)
}

pub async fn update(
    State(state): State<AppState>,
    page: NetPage<EditNetwork>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let net = state.store.get_network(&page.network_id).await?;
    let result = match profile_from(&fields, net.profile.grading) {
        Ok(p) => state
            .store
            .update_network(&page.actor(), &net.id, p)
            .await
            .map_err(|e| e.to_string()),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => redirect(&format!("/networks/{}", net.id)),
        Err(e) => {
            let mut tpl = edit_tpl(&state, page, &net).await?;
            refill(&mut tpl, &fields, &e);
            if tpl.level_locked {
                // A locked level is not in the form: keep the stored one.
                tpl.level = net
                    .profile
                    .level
                    .map(|l| l.get().to_string())
                    .unwrap_or_default();
            }
            render_status(&tpl, axum::http::StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}
