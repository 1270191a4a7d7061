//! The operator's path: create a network, grade it with the wizard (the answer equals
//! dengbao-grading's), see the filing deadline on the working-day calendar, upload
//! evidence and find it on the duty timeline.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{text_of, App};
use dengbao_grading::{Basis, Degree, GradeInput, Harm, Object};

#[tokio::test]
async fn the_wizard_gives_dengbao_gradings_level_for_every_answer() {
    let app = App::new().await;
    let mut b = app.set_up().await;
    for basis in Basis::ALL {
        for business in Harm::all() {
            for service in [
                Harm {
                    object: Object::Rights,
                    degree: Degree::Harm,
                },
                business,
            ] {
                let want = dengbao_grading::grade(&GradeInput {
                    basis: Some(basis),
                    business,
                    service,
                });
                let path = format!(
                    "/grading?basis={}&bo={}&bd={}&so={}&sd={}",
                    basis.id(),
                    business.object.id(),
                    business.degree.id(),
                    service.object.id(),
                    service.degree.id()
                );
                let page = b.get(&path).await;
                assert_eq!(page.status, StatusCode::OK);
                let level = format!(
                    "第{}级",
                    ["一", "二", "三", "四", "五"][want.level.get() as usize - 1]
                );
                assert_eq!(text_of(&page.body, "grading-level"), Some(level), "{path}");
                for c in &want.citations {
                    assert!(
                        page.body.contains(&format!(
                            "href=\"/law/{}/{}",
                            c.law.as_deref().unwrap_or("csl"),
                            c.article
                        )),
                        "{path}: {c}"
                    );
                }
            }
        }
    }
    // The wizard asks one question at a time.
    let first = b.get("/grading").await;
    assert_eq!(
        text_of(&first.body, "grading-step").as_deref(),
        Some("第1步，共5步")
    );
    assert!(first.body.contains(r#"name="bo""#));
    let second = b.get("/grading?basis=gbt22240-2020&bo=order").await;
    assert!(second.body.contains("严重危害"), "order is 危害, not 损害");
}

#[tokio::test]
async fn an_operator_creates_grades_and_files_evidence_for_a_network() {
    let app = App::new().await;
    let mut b = app.set_up().await;
    let org = app.first_org().await;
    b.get("/networks/new").await;
    let created = b
        .post(
            "/networks/new",
            &[
                ("org_id", &org),
                ("name", "政务服务平台"),
                ("stage", "running"),
                ("classified", "none"),
                ("flag", "personal_info"),
                ("services", "info_publishing"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let net = created
        .location
        .trim_start_matches("/networks/")
        .to_string();

    // Not graded yet: its page says so and leads to the wizard (no 422), its duty page
    // sends the user there, and the dashboard still renders.
    let ungraded = b.get(&format!("/networks/{net}")).await;
    assert_eq!(ungraded.status, StatusCode::OK, "{}", ungraded.body);
    assert!(
        ungraded.body.contains("id=\"network-ungraded\""),
        "{}",
        ungraded.body
    );
    assert!(ungraded.body.contains(&format!("href=\"/filing/{net}\"")));
    let duties = b.get(&format!("/networks/{net}/duties")).await;
    assert_eq!(duties.status, StatusCode::SEE_OTHER);
    assert_eq!(duties.location, format!("/networks/{net}"));
    let dash = b.get("/").await;
    assert_eq!(dash.status, StatusCode::OK, "{}", dash.body);

    // Graded just before the 2026 Spring Festival: the filing deadline skips the holiday.
    let graded = "2026-02-10";
    b.get(&format!(
        "/grading?network={net}&basis=gbt22240-2020&bo=order&bd=serious&so=order&sd=serious"
    ))
    .await;
    let saved = b
        .post(
            &format!("/networks/{net}/grading"),
            &[
                ("basis", "gbt22240-2020"),
                ("bo", "order"),
                ("bd", "serious"),
                ("so", "order"),
                ("sd", "serious"),
                ("graded_on", graded),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let stored = app.store.get_network(&net).await.unwrap();
    assert_eq!(stored.profile.level.map(|l| l.get()), Some(3));
    let detail = b.get(&format!("/networks/{net}?at=2026-02-20")).await;
    assert_eq!(
        text_of(&detail.body, "network-level").as_deref(),
        Some("第三级")
    );
    let due = app
        .state
        .calendar
        .get()
        .add_workdays(graded.parse().unwrap(), 10)
        .unwrap();
    // The rule in force drives (decision 0205): 30 days from grading, a working day.
    assert!(
        detail.body.contains("2026年3月12日"),
        "the filing deadline 2026年3月12日 is on the page"
    );
    // The draft's 10 working days, across the holiday, are shown beside it on the timeline.
    assert_eq!(due.to_string(), "2026-03-02");
    let timeline = b
        .get(&format!("/networks/{net}/duties?at=2026-02-20"))
        .await;
    assert_eq!(timeline.status, StatusCode::OK, "{}", timeline.body);
    assert!(
        timeline
            .body
            .contains("《信息安全等级保护管理办法》第十五条")
            && timeline.body.contains("（至 2026-03-02）"),
        "the rule in force and the draft's date are on the duty timeline"
    );

    // Evidence upload (multipart) shows on the duty timeline, in the duty's row.
    let timeline = b
        .get(&format!("/networks/{net}/duties?at=2026-02-20"))
        .await;
    assert_eq!(timeline.status, StatusCode::OK);
    let row_start = timeline.body.find("<tr id=\"duty-").expect("a duty row");
    let duty = timeline.body[row_start + 13..]
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let boundary = "dengbaoboundary";
    let mut body = String::new();
    for (k, v) in [
        ("_csrf", b.csrf.as_str()),
        ("duty_id", duty.as_str()),
        ("description", "定级报告（专家评审意见）"),
    ] {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"grading-report.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 grading report\r\n--{boundary}--\r\n"
    ));
    let up = b
        .send(
            Request::post(format!("/networks/{net}/duties"))
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(up.status, StatusCode::SEE_OTHER, "{}", up.body);
    let after = b
        .get(&format!("/networks/{net}/duties?at=2026-02-20"))
        .await;
    let row = &after.body[after.body.find(&format!("id=\"duty-{duty}\"")).unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("grading-report.pdf"), "{row}");
    assert!(row.contains("定级报告（专家评审意见）"));
    // Every citation on the page links to the law reader.
    assert!(after.body.contains("href=\"/law/"));
}
