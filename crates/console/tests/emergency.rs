//! Emergency plans and drills from the console (decision 0507): a refused form is answered
//! 422 naming the field by its label in the page's language, and writes nothing; a plan and
//! a drill recorded on the page turn the plan and drill duties `met`, and the page says the
//! drill's yearly cadence is the catalog's, not the law's.

mod common;

use axum::http::StatusCode;
use common::App;

fn status(html: &str, duty: &str) -> String {
    let at = html
        .find(&format!(r#"id="duty-{duty}""#))
        .unwrap_or_else(|| panic!("no duty {duty} on the page"));
    let rest = &html[at..];
    let s = rest.find(r#"data-status=""#).unwrap() + r#"data-status=""#.len();
    rest[s..s + rest[s..].find('"').unwrap()].to_string()
}

#[tokio::test]
async fn plans_and_drills_are_recorded_and_meet_their_duties() {
    let app = App::new().await;
    let mut b = app.set_up().await;
    let net = app
        .network(
            serde_json::json!({"name": "会员平台", "level": 3, "stage": "running", "cii": true}),
        )
        .await;
    let base = format!("/networks/{}/emergency", net.id);
    let detail = b.get(&format!("/networks/{}", net.id)).await;
    assert!(detail.body.contains(&format!(r#"href="{base}""#)));

    let page = b.get(&base).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_ne!(status(&page.body, "csl.incident.plan"), "met");
    assert!(page.body.contains("未规定周期"), "{}", page.body);

    // No document, then a date in the future: 422 naming the field; nothing written.
    let plan = |approved_on: &'static str, link: &'static str| {
        vec![
            ("title", "网络安全事件应急预案"),
            ("version", "V2.0"),
            ("approved_on", approved_on),
            ("approved_by", "网络安全领导小组"),
            ("evidence_id", ""),
            ("link", link),
        ]
    };
    let bad = b
        .post(&format!("{base}/plans"), &plan("2026-03-02", ""))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("预案文件"), "{}", bad.body);
    let bad = b
        .post(
            &format!("{base}/plans?lang=en"),
            &plan("2999-01-01", "https://intranet.example.cn/plan.pdf"),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("Approved on"), "{}", bad.body);
    assert!(app
        .store
        .list_emergency_plans(&net.id)
        .await
        .unwrap()
        .is_empty());

    let ok = b
        .post(
            &format!("{base}/plans?lang=zh-CN"),
            &plan("2026-03-02", "https://intranet.example.cn/plan.pdf"),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let plans = app.store.list_emergency_plans(&net.id).await.unwrap();
    assert_eq!(plans.len(), 1);

    let drill = |held_on: &'static str| {
        vec![
            ("plan_id", plans[0].id.as_str()),
            ("held_on", held_on),
            ("scenario", "勒索软件加密核心数据库"),
            ("participants", "信息中心、运维部"),
            ("findings", "备份恢复超时"),
        ]
    };
    b.get(&format!("{base}?lang=zh-CN")).await;
    let bad = b
        .post(&format!("{base}/drills"), &drill("2026-03-01"))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("演练日期"), "{}", bad.body);
    assert!(app
        .store
        .list_emergency_drills(&net.id)
        .await
        .unwrap()
        .is_empty());
    let ok = b
        .post(&format!("{base}/drills"), &drill("2026-11-20"))
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);

    let page = b.get(&base).await;
    assert_eq!(status(&page.body, "csl.incident.plan"), "met");
    assert_eq!(status(&page.body, "csl.cii.drills"), "met");
    assert_eq!(status(&page.body, "mlps.l3.emergency"), "met");
    assert!(page.body.contains("勒索软件加密核心数据库"));
    let en = b.get(&format!("{base}?lang=en")).await;
    assert!(en.body.contains("Record a drill"), "{}", en.body);
}
