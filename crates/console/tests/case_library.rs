//! 以案释法 in the console (issue 15, decision 1504): the case library lists and searches
//! the shipped cases, a case's page links its articles to the law reader in the numbering
//! in force on its date, and the article and duty pages link the cases that illustrate them.
//! Which cases to expect is asked of the case library itself, never written here.

mod common;

use axum::http::StatusCode;
use common::App;
use dengbao_cases::Library;

#[tokio::test]
async fn the_case_library_lists_searches_and_links_to_the_law() {
    let lib = Library::embedded().unwrap();
    let app = App::new().await;
    let mut admin = app.set_up().await;

    // Every case is listed, each linking its own page.
    let list = admin.get("/cases?lang=zh-CN").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.body.matches("<li class=\"case\">").count(), lib.len());
    for case in lib.cases() {
        assert!(
            list.body.contains(&format!("/cases/{}\"", case.id)),
            "{}",
            case.id
        );
    }

    // Search: the same cases as `dengbao cases search`, best first.
    let want: Vec<String> = lib
        .search("日志")
        .iter()
        .map(|h| h.case.id.clone())
        .collect();
    assert!(!want.is_empty() && want.len() < lib.len(), "{want:?}");
    let found = admin.get("/cases?q=%E6%97%A5%E5%BF%97&lang=zh-CN").await;
    let ids: Vec<&str> = found
        .body
        .split("href=\"/cases/")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert_eq!(ids, want);

    // A case's page: its facts, its articles linked in the numbering of its date, its source.
    let case = lib.cases().find(|c| c.citations.len() >= 2).unwrap();
    let page = admin.get(&format!("/cases/{}?lang=zh-CN", case.id)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(&case.facts), "{}", page.body);
    assert!(page.body.contains(&case.source.url));
    for x in &case.citations {
        let cite = dengbao_duties::basis::cite_zh(x);
        assert!(page.body.contains(&cite), "{cite} missing");
    }
    let en = admin.get(&format!("/cases/{}?lang=en", case.id)).await;
    assert!(en.body.contains(&case.facts_en), "{}", en.body);

    // The law reader's article page lists the cases that applied the article; an article
    // no case applied lists none.
    let x = case
        .citations
        .iter()
        .find(|x| x.law.as_deref() == Some("csl") && x.suffix.is_none())
        .unwrap();
    let version = x.version.clone().unwrap();
    let applied: Vec<&str> = lib
        .for_article("csl", &version, x.article)
        .map(|c| c.id.as_str())
        .collect();
    let article = admin
        .get(&format!("/law/csl/{}?v={version}&lang=zh-CN", x.article))
        .await;
    assert_eq!(article.status, StatusCode::OK, "{}", article.body);
    assert!(article.body.contains("相关案例"), "{}", article.body);
    for id in &applied {
        assert!(article.body.contains(&format!("/cases/{id}\"")), "{id}");
    }
    let quiet = (1..=79)
        .find(|n| lib.for_article("csl", &version, *n).next().is_none())
        .unwrap();
    let none = admin
        .get(&format!("/law/csl/{quiet}?v={version}&lang=zh-CN"))
        .await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(!none.body.contains("id=\"article-cases\""), "{}", none.body);

    // Filtered by a duty: exactly the cases that illustrate it.
    let duty = case.duties.first().unwrap();
    let by_duty = admin.get(&format!("/cases?duty={duty}&lang=zh-CN")).await;
    assert_eq!(
        by_duty.body.matches("<li class=\"case\">").count(),
        lib.for_duty(duty).count()
    );
    assert_eq!(
        admin.get("/cases/no-such-case").await.status,
        StatusCode::NOT_FOUND
    );
}
