//! The level assessment in the browser (issue 11): the operator marks the network as on a
//! cloud platform and engages an assessor; the assessor works through every requirement
//! item of level 3 and the cloud extension class by class (a result for the first items,
//! "the rest of this class 不适用" with a reason), and the page shows the 符合率 and the
//! conclusion by the 2025 rule; the operator sees the rectification tasks.

use fantoccini::Locator;

use crate::harness::Browser;
use crate::{msg, NETWORK};

/// The assessor's name, as the administrator creates it.
pub const ASSESSOR: &str = "王测评";

/// The operator ticks 云计算 on the network's form (its level stays locked).
pub async fn mark_cloud(op: &Browser, net: &str) {
    op.go(&format!("/networks/{net}/edit")).await;
    op.el(Locator::Id("level-locked")).await;
    op.click(Locator::Id("new_tech-cloud")).await;
    op.click(Locator::Id("network-submit")).await;
    op.see(Locator::Id("page-title"), NETWORK).await;
}

/// The operator engages the assessor on the filing page.
pub async fn engage(op: &Browser, net: &str) {
    op.go(&format!("/filing/{net}")).await;
    let who = op.el(Locator::Id("engage-assessor")).await;
    who.select_by_label(ASSESSOR)
        .await
        .expect("the assessor is offered");
    op.click(Locator::Id("engage-submit")).await;
    op.see(Locator::Id("engagements"), ASSESSOR).await;
}

/// The assessor completes the assessment: per class, the first item 符合, in two classes
/// the second item 不符合 (中 risk), and the rest 不适用 with a reason.
pub async fn complete(assessor: &Browser, net: &str) {
    let page = format!("/networks/{net}/assessment");
    assessor.go(&page).await;
    let sections = assessor
        .c
        .find_all(Locator::Css("section.assessment-class"))
        .await
        .expect("the classes");
    let mut codes = Vec::new();
    for s in sections {
        codes.push(s.attr("id").await.ok().flatten().expect("a class id"));
    }
    // Level 3 general has ten classes; the cloud extension's items sit in theirs.
    assert!(codes.len() >= 10, "classes on the page: {codes:?}");
    let mut findings = 0;
    for (n, code) in codes.iter().enumerate() {
        let code = code.trim_start_matches("class-");
        let form = format!("//form[@id='form-{code}']");
        let selects = assessor
            .c
            .find_all(Locator::XPath(&format!(
                "{form}//select[starts-with(@name,'result.')]"
            )))
            .await
            .expect("the items of a class");
        assert!(!selects.is_empty(), "{code}: no items");
        selects[0]
            .clone()
            .select_by_value("符合")
            .await
            .expect("符合");
        if n < 2 && selects.len() > 1 {
            selects[1]
                .clone()
                .select_by_value("不符合")
                .await
                .expect("不符合");
            let name = selects[1]
                .attr("name")
                .await
                .ok()
                .flatten()
                .expect("a name");
            let item = name.trim_start_matches("result.");
            let risk = assessor
                .el(Locator::XPath(&format!(
                    "{form}//select[@name='risk.{item}']"
                )))
                .await;
            risk.select_by_value("中").await.expect("a risk");
            findings += 1;
        }
        assessor
            .click(Locator::XPath(&format!("{form}//input[@name='rest_na']")))
            .await;
        let reason = assessor
            .el(Locator::XPath(&format!(
                "{form}//input[@name='rest_reason']"
            )))
            .await;
        reason.send_keys("本系统不涉及").await.expect("a reason");
        assessor.click(Locator::Id(&format!("save-{code}"))).await;
        assessor.el(Locator::Id("assessment-progress")).await;
    }
    assert_eq!(findings, 2);
    // Every item has a result: the rate (符合 of the applicable items) and the conclusion.
    let passed = codes.len() as f64;
    let rate = passed / (passed + 2.0) * 100.0;
    let rate = format!("{rate:.1}%");
    assessor.see(Locator::Id("assessment-rate"), &rate).await;
    let conclusion = if passed / (passed + 2.0) > 0.9 {
        "符合"
    } else {
        "基本符合"
    };
    assessor
        .see(Locator::Id("assessment-conclusion"), conclusion)
        .await;
    assessor.el(Locator::Id("export-assessment-report")).await;
    assessor.go(&page).await;
    assessor.shot("assessment").await;
}

/// The operator sees the conclusion and the two items to fix.
pub async fn operator_sees_tasks(op: &Browser, net: &str) {
    op.go(&format!("/networks/{net}/assessment")).await;
    op.el(Locator::Id("assessment-conclusion")).await;
    let tasks =
        op.c.find_all(Locator::Css("#task-list tbody tr"))
            .await
            .expect("the tasks");
    assert_eq!(tasks.len(), 2, "one task per 不符合 item");
    op.see(Locator::Id("task-list"), &msg("zh-CN", "assessment.owner"))
        .await;
}
