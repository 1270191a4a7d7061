//! The supervisor's and the assessor's pages, driven with `oneshot` through the whole
//! console router with real sessions and CSRF tokens: a filing received before National
//! Day shows its review deadline of 16 October 2026, the review certifies or rejects, a
//! rectification order counts working days, statistics draw SVG charts, and an assessor
//! records findings and a conclusion.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request};
use axum::Router;
use common::user_with_password;
use dengbao_server::AppState;
use dengbao_store::filings::FilingInput;
use dengbao_store::orgs::NewOrganisation;
use dengbao_store::sessions::SignIn;
use dengbao_store::users::Role;
use dengbao_store::{NetworkProfile, Store};
use http_body_util::BodyExt;
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery";

struct W {
    _dir: tempfile::TempDir,
    store: Store,
    app: Router,
    org: String,
    net: String,
    supervisor: String,
    assessor: String,
}

/// A signed-in user: the cookie header and the CSRF token.
struct Session {
    cookie: String,
    csrf: String,
}

async fn world() -> W {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(dir.path()).await.unwrap();
    let org = store
        .create_org(
            "test",
            NewOrganisation {
                name: "甲市电力公司".into(),
            },
        )
        .await
        .unwrap()
        .id;
    let mut ids = Vec::new();
    for (name, role, orgs) in [
        ("管理员", Role::Administrator, vec![]),
        ("甲运营者", Role::Operator, vec![org.clone()]),
        ("甲市网安支队", Role::Supervisor, vec![]),
        ("某测评中心", Role::Assessor, vec![]),
    ] {
        ids.push(user_with_password(&store, name, role, orgs, PASSWORD).await);
    }
    let profile: NetworkProfile = serde_json::from_value(serde_json::json!({
        "name": "电力调度管理系统", "level": 3, "stage": "running", "personal_info": true
    }))
    .unwrap();
    let net = store
        .create_network("test", &org, profile)
        .await
        .unwrap()
        .id;
    store.set_org_industry("test", &org, "电力").await.unwrap();
    let state = AppState::new(store.clone(), dir.path()).unwrap();
    W {
        app: dengbao_console::router(state),
        _dir: dir,
        store,
        org,
        net,
        supervisor: ids[2].clone(),
        assessor: ids[3].clone(),
    }
}

async fn sign_in(w: &W, name: &str) -> Session {
    match w.store.sign_in(name, PASSWORD, "127.0.0.1").await.unwrap() {
        SignIn::Ok {
            cookie, session, ..
        } => Session {
            cookie: format!("{}={cookie}", dengbao_server::auth::SESSION_COOKIE),
            csrf: session.csrf,
        },
        other => panic!("sign-in failed: {other:?}"),
    }
}

/// (status, body, Location header)
async fn send(
    w: &W,
    method: Method,
    uri: &str,
    s: &Session,
    form: &[(&str, &str)],
) -> (u16, String, String) {
    let mut req = Request::builder()
        .method(method.clone())
        .uri(uri)
        .header(header::COOKIE, &s.cookie);
    let body = if method == Method::POST {
        req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        let mut pairs: Vec<(&str, &str)> = vec![("_csrf", s.csrf.as_str())];
        pairs.extend_from_slice(form);
        Body::from(serde_urlencoded::to_string(&pairs).unwrap())
    } else {
        Body::empty()
    };
    let res = w
        .app
        .clone()
        .oneshot(req.body(body).unwrap())
        .await
        .unwrap();
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        String::from_utf8_lossy(&bytes).into_owned(),
        location,
    )
}

async fn get(w: &W, uri: &str, s: &Session) -> (u16, String) {
    let (st, body, _) = send(w, Method::GET, uri, s, &[]).await;
    (st, body)
}

async fn file(w: &W, on: &str) {
    let cal = dengbao_calendar::Calendar::builtin().unwrap();
    let received: jiff::civil::Date = on.parse().unwrap();
    w.store
        .submit_filing(
            "user:test 甲运营者",
            &w.net,
            FilingInput {
                supervisor_id: w.supervisor.clone(),
                submitted_on: on.into(),
                form: Default::default(),
                note: String::new(),
            },
            cal.add_workdays(received, 10).unwrap(),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn the_supervisor_sees_a_filing_due_16_october_and_certifies_it_after_a_rejection() {
    let w = world().await;
    let sup = sign_in(&w, "甲市网安支队").await;
    // Before any filing the organ has no reach to the organisation.
    let (st, body) = get(&w, "/supervisor?at=2026-10-09", &sup).await;
    assert_eq!(st, 200);
    assert!(body.contains("id=\"filings-empty\""), "{body}");
    file(&w, "2026-09-28").await;
    let (_, body) = get(&w, "/supervisor?at=2026-10-09", &sup).await;
    assert!(body.contains("电力调度管理系统"), "{body}");
    assert!(
        body.contains("2026年10月16日"),
        "the deadline across National Day: {body}"
    );
    assert!(body.contains("badge st-due"), "still running on 9 October");
    let (_, late) = get(&w, "/supervisor?at=2026-10-19", &sup).await;
    assert!(
        late.contains("filing st-overdue"),
        "past the deadline on 19 October"
    );
    // Statistics as SVG, by level and by industry.
    assert!(body.contains("id=\"chart-level\"") && body.contains("id=\"chart-industry\""));
    assert!(
        body.contains("data-label=\"电力\" data-value=\"1\""),
        "{body}"
    );
    // The level 3 network is due for inspection.
    assert!(body.contains("id=\"inspections\""));

    let review = format!("/supervisor/networks/{}", w.net);
    let (st, page) = get(&w, &review, &sup).await;
    assert_eq!(st, 200);
    assert!(page.contains("id=\"decision-form\""));
    let (st, _, loc) = send(
        &w,
        Method::POST,
        &format!("{review}/decision"),
        &sup,
        &[
            ("decision", "reject"),
            ("on", "2026-10-09"),
            ("reasons", "缺少专家评审意见"),
        ],
    )
    .await;
    assert_eq!((st, loc.as_str()), (303, review.as_str()));
    let (_, page) = get(&w, &review, &sup).await;
    assert!(
        page.contains("缺少专家评审意见") && page.contains("已驳回"),
        "{page}"
    );
    assert!(
        !page.contains("id=\"decision-form\""),
        "nothing under review"
    );
    // A decision without its certificate number is refused, naming the field.
    file(&w, "2026-10-12").await;
    let (st, body, _) = send(
        &w,
        Method::POST,
        &format!("{review}/decision"),
        &sup,
        &[("decision", "certify"), ("on", "2026-10-23")],
    )
    .await;
    assert_eq!(st, 422, "{body}");
    assert!(body.contains("certificate_no"));
    let (st, _, _) = send(
        &w,
        Method::POST,
        &format!("{review}/decision"),
        &sup,
        &[
            ("decision", "certify"),
            ("on", "2026-10-23"),
            ("certificate_no", "11010843001-26001"),
        ],
    )
    .await;
    assert_eq!(st, 303);
    let (_, page) = get(&w, &review, &sup).await;
    assert!(page.contains("11010843001-26001") && page.contains("已出具备案证明"));

    // English on request.
    let (_, en) = get(&w, "/supervisor?at=2026-10-09&lang=en", &sup).await;
    assert!(en.contains("Filings received"), "{en}");
    // An operator may not open the supervisor's pages.
    let op = sign_in(&w, "甲运营者").await;
    assert_eq!(get(&w, "/supervisor", &op).await.0, 403);
    assert_eq!(get(&w, &review, &op).await.0, 403);
}

#[tokio::test]
async fn the_supervisor_counts_networks_by_their_latest_assessment_conclusion() {
    let w = world().await;
    let sup = sign_in(&w, "甲市网安支队").await;
    file(&w, "2026-09-28").await;
    let (_, body) = get(&w, "/supervisor?at=2026-10-09", &sup).await;
    assert!(body.contains("id=\"chart-conclusion\""), "{body}");
    assert!(
        body.contains("data-label=\"未测评\" data-value=\"1\""),
        "never assessed: {body}"
    );
    for (conclusion, on) in [("not_conforming", "2025-03-03"), ("conforms", "2025-09-01")] {
        w.store
            .engage(
                "test",
                &w.net,
                dengbao_store::engagements::EngagementInput {
                    assessor_id: w.assessor.clone(),
                    engaged_on: "2025-01-02".into(),
                },
            )
            .await
            .unwrap();
        w.store
            .conclude(
                "test",
                &w.assessor,
                &w.net,
                serde_json::from_value(
                    serde_json::json!({"conclusion": conclusion, "concluded_on": on}),
                )
                .unwrap(),
            )
            .await
            .unwrap();
    }
    let (_, body) = get(&w, "/supervisor?at=2026-10-09", &sup).await;
    assert!(
        body.contains("data-label=\"符合\" data-value=\"1\"")
            && body.contains("data-label=\"不符合\" data-value=\"0\"")
            && body.contains("data-label=\"未测评\" data-value=\"0\""),
        "the latest conclusion counts: {body}"
    );
    // The table: level 3 and 电力, one 符合 each, in the columns' order.
    let row = "<td>1</td><td>0</td><td>0</td><td>0</td>";
    assert!(
        body.contains(&format!("<th scope=\"row\">第三级</th>{row}"))
            && body.contains(&format!("<th scope=\"row\">电力</th>{row}")),
        "{body}"
    );
    let (_, en) = get(&w, "/supervisor?at=2026-10-09&lang=en", &sup).await;
    assert!(
        en.contains("Networks by assessment conclusion")
            && en.contains("<th>Conforms</th>")
            && en.contains("<th>Not assessed</th>"),
        "{en}"
    );
}

#[tokio::test]
async fn a_rectification_order_from_the_page_runs_10_working_days_and_closes_after_the_report() {
    let w = world().await;
    file(&w, "2026-09-28").await;
    let sup = sign_in(&w, "甲市网安支队").await;
    let review = format!("/supervisor/networks/{}", w.net);
    let (st, _, _) = send(
        &w,
        Method::POST,
        &format!("{review}/rectifications"),
        &sup,
        &[
            ("findings", "日志留存不足六个月\n未开展年度等级测评"),
            ("issued_on", "2026-09-28"),
            ("working_days", "10"),
            ("due", ""),
        ],
    )
    .await;
    assert_eq!(st, 303);
    let (_, page) = get(&w, &format!("{review}?at=2026-10-09"), &sup).await;
    assert!(
        page.contains("日志留存不足六个月") && page.contains("2026年10月16日"),
        "{page}"
    );
    let order = w.store.list_orders(&w.net).await.unwrap().remove(0);
    w.store
        .advance_order(
            "user:test 甲运营者",
            &w.net,
            dengbao_store::inspections::OrderStep {
                order_id: order.id.clone(),
                on: "2026-10-19".into(),
                text: "已整改".into(),
            },
            dengbao_store::inspections::OrderState::Reported,
        )
        .await
        .unwrap();
    let (_, page) = get(&w, &review, &sup).await;
    assert!(
        page.contains("逾期报告"),
        "reported after 16 October: {page}"
    );
    let (st, _, _) = send(
        &w,
        Method::POST,
        &format!("{review}/rectifications/close"),
        &sup,
        &[
            ("order_id", order.id.as_str()),
            ("on", "2026-10-20"),
            ("text", "复查合格"),
        ],
    )
    .await;
    assert_eq!(st, 303);
    let (_, overview) = get(&w, "/supervisor?at=2026-10-21", &sup).await;
    assert!(
        overview.contains("id=\"orders-empty\""),
        "closed orders leave the list"
    );
    // An inspection recorded from the page moves the next one a year on.
    let (st, _, _) = send(
        &w,
        Method::POST,
        &format!("{review}/inspections"),
        &sup,
        &[("inspected_on", "2026-10-21"), ("note", "年度检查")],
    )
    .await;
    assert_eq!(st, 303);
    let (_, overview) = get(&w, "/supervisor?at=2026-10-22", &sup).await;
    assert!(overview.contains("2027年10月21日"), "{overview}");
}

#[tokio::test]
async fn an_engaged_assessor_records_a_finding_and_concludes_from_the_page() {
    let w = world().await;
    let a = sign_in(&w, "某测评中心").await;
    let (st, body) = get(&w, "/assessor", &a).await;
    assert_eq!(st, 200);
    assert!(body.contains("id=\"engagements-empty\""));
    let page = format!("/assessor/networks/{}", w.net);
    assert_eq!(get(&w, &page, &a).await.0, 404, "not engaged: no reach");
    w.store
        .engage(
            "user:test 甲运营者",
            &w.net,
            dengbao_store::engagements::EngagementInput {
                assessor_id: w.assessor.clone(),
                engaged_on: "2026-10-09".into(),
            },
        )
        .await
        .unwrap();
    let (_, body) = get(&w, "/assessor", &a).await;
    assert!(body.contains("电力调度管理系统"));
    let (st, body) = get(&w, &format!("{page}?at=2026-10-09"), &a).await;
    assert_eq!(st, 200);
    assert!(body.contains("id=\"duty-mlps.filing\""), "{body}");
    assert!(body.contains("/reports/findings.xlsx"));
    let (st, _, _) = send(
        &w,
        Method::POST,
        &format!("{page}/findings"),
        &a,
        &[
            ("duty_id", "mlps.filing"),
            ("result", "partly"),
            ("text", "备案材料不全"),
        ],
    )
    .await;
    assert_eq!(st, 303);
    let (_, body) = get(&w, &page, &a).await;
    assert!(
        body.contains("data-result=\"partly\"") && body.contains("备案材料不全"),
        "{body}"
    );
    let (st, _, _) = send(
        &w,
        Method::POST,
        &format!("{page}/conclusion"),
        &a,
        &[
            ("conclusion", "basically_conforms"),
            ("concluded_on", "2026-11-02"),
            ("score", "82.5"),
            ("summary", ""),
        ],
    )
    .await;
    assert_eq!(st, 303);
    let (_, body) = get(&w, &page, &a).await;
    assert!(
        body.contains("基本符合") && body.contains("82.50"),
        "{body}"
    );
    assert!(!body.contains("id=\"conclusion-form\""), "concluded");
    let _ = &w.org;
}

#[tokio::test]
async fn the_operator_files_from_the_page_and_the_organ_gains_reach() {
    let w = world().await;
    let op = sign_in(&w, "甲运营者").await;
    let sup = sign_in(&w, "甲市网安支队").await;
    let page = format!("/filing/{}", w.net);
    let (st, body) = get(&w, &page, &op).await;
    assert_eq!(st, 200);
    assert!(
        body.contains("id=\"filing-form\"") && body.contains("甲市网安支队"),
        "{body}"
    );
    let review = format!("/supervisor/networks/{}", w.net);
    assert_eq!(
        get(&w, &review, &sup).await.0,
        404,
        "not filed yet: no reach"
    );
    let (st, body, _) = send(
        &w,
        Method::POST,
        &page,
        &op,
        &[
            ("supervisor_id", w.supervisor.as_str()),
            ("submitted_on", "2026-09-28"),
            ("address", "甲市人民路1号"),
            ("attachments", "定级报告"),
            ("attachments", "专家评审意见"),
        ],
    )
    .await;
    assert_eq!(st, 303, "{body}");
    let (_, body) = get(&w, &page, &op).await;
    assert!(
        body.contains("2026年10月16日") && body.contains("审核中"),
        "{body}"
    );
    assert_eq!(
        get(&w, &review, &sup).await.0,
        200,
        "filing granted the organ reach"
    );
    let f = w.store.current_filing(&w.net).await.unwrap().unwrap();
    assert_eq!(f.form.attachments, vec!["定级报告", "专家评审意见"]);
    // The review page shows what the operator submitted next to the decision form: the
    // form's details, its attachments, and links to the 备案表 and 定级报告.
    let (_, body) = get(&w, &review, &sup).await;
    let submitted = body
        .split("id=\"submitted-heading\"")
        .nth(1)
        .expect("the submitted section")
        .split("id=\"decision-heading\"")
        .next()
        .unwrap();
    assert!(
        submitted.contains("甲市人民路1号") && submitted.contains("专家评审意见"),
        "{submitted}"
    );
    assert!(
        submitted.contains("reports/filing.docx") && submitted.contains("reports/grading.docx")
    );
    // The supervisor sees the page but has no filing form.
    let (st, body) = get(&w, &page, &sup).await;
    assert_eq!(st, 200);
    assert!(!body.contains("id=\"filing-form\""));
}
