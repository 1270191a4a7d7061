//! The case library over HTTP (decision 1504): the cases `dengbao cases list --json` gives,
//! searched, filtered by duty and by article, one by id; a bad filter names the field.

mod common;

use common::world;
use dengbao_cases::Library;

#[tokio::test]
async fn the_case_library_answers_as_the_cli_does() {
    let w = world().await;
    let lib = Library::embedded().unwrap();
    let ids = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };

    let all = w.get("/api/cases", "auditor").await;
    assert_eq!(all.status, 200, "{}", all.json);
    assert_eq!(ids(&all.json).len(), lib.len());
    let first = &all.json[0];
    for key in [
        "id",
        "date",
        "authority",
        "facts",
        "citations",
        "penalty",
        "source",
    ] {
        assert!(first.get(key).is_some(), "{key} missing: {first}");
    }
    assert!(first["citations"][0]["text"]
        .as_str()
        .unwrap()
        .starts_with('《'));

    let found = w.get("/api/cases?q=%E6%97%A5%E5%BF%97", "operator_a").await;
    let want: Vec<String> = lib
        .search("日志")
        .iter()
        .map(|h| h.case.id.clone())
        .collect();
    assert_eq!(ids(&found.json), want);

    let duty = "csl.operator.logs";
    let by_duty = w
        .get(&format!("/api/cases?duty={duty}"), "operator_a")
        .await;
    let want: Vec<String> = lib.for_duty(duty).map(|c| c.id.clone()).collect();
    assert!(!want.is_empty());
    assert_eq!(ids(&by_duty.json), want);

    let by_article = w.get("/api/cases?article=csl:59", "supervisor").await;
    let got = ids(&by_article.json);
    assert!(!got.is_empty());
    for id in &got {
        let c = lib.get(id).unwrap();
        assert!(c
            .citations
            .iter()
            .any(|x| x.law.as_deref() == Some("csl") && x.article == 59));
    }

    let bad = w.get("/api/cases?article=21", "operator_a").await;
    assert_eq!(bad.status, 422);
    assert!(bad.json.to_string().contains("article"), "{}", bad.json);

    let id = &want[0];
    let one = w.get(&format!("/api/cases/{id}"), "assessor").await;
    assert_eq!(one.status, 200);
    assert_eq!(one.json["id"], id.as_str());
    assert_eq!(
        w.get("/api/cases/no-such-case", "assessor").await.status,
        404
    );
}
