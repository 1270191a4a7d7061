//! Penalty exposure on real profiles: the CII ranges of 网络安全法 第五十九条第二款, the 从重
//! rule of 条例 第六十三条第二款, one count per fining provision, government networks.

use dengbao_calendar::Calendar;
use dengbao_duties::{evaluate, exposure, parse_at, Catalog, Exposure, Profile};

fn run(profile: &str, at: &str) -> Exposure {
    let catalog = Catalog::builtin().unwrap_or_else(|e| panic!("{e}"));
    let calendar = Calendar::builtin().unwrap_or_else(|e| panic!("{e}"));
    let p = Profile::from_toml_str(profile).unwrap_or_else(|e| panic!("{e}"));
    let statuses = evaluate(&p, &catalog, &calendar, parse_at(at).unwrap());
    exposure(&p, &catalog, &statuses)
}

fn item<'a>(e: &'a Exposure, duty: &str) -> &'a dengbao_duties::ExposureItem {
    e.items.iter().find(|i| i.duty == duty).unwrap_or_else(|| {
        panic!(
            "no exposure item for {duty}: {:?}",
            e.items.iter().map(|i| &i.duty).collect::<Vec<_>>()
        )
    })
}

const CII: &str = r#"
[network]
level = 3
stage = "running"
cii = true
[events]
launched = "2025-01-01"
"#;

#[test]
fn cii_duties_carry_the_cii_ranges() {
    let e = run(CII, "2026-06-01");
    let i = item(&e, "csl.cii.security_body");
    assert_eq!(i.status.id(), "overdue");
    assert_eq!(
        (
            i.penalty.law.as_str(),
            i.penalty.article,
            i.penalty.paragraph
        ),
        ("csl", 59, Some(2))
    );
    assert_eq!(i.org_fine, [100_000, 1_000_000]);
    assert_eq!(i.person_fine, [10_000, 100_000]);
    assert!(!i.aggravated);
    assert!(i.measures.contains(&"警告".to_string()));
    // An ordinary operator duty of the same network stays in the 第一款 range.
    let logs = item(&e, "csl.operator.logs");
    assert_eq!(logs.org_fine, [10_000, 100_000]);
    assert_eq!(logs.person_fine, [5_000, 50_000]);
    // Storing data abroad is the breach of 第三十七条: without one recorded, no 第六十六条 fine.
    assert!(e
        .items
        .iter()
        .all(|i| i.duty != "csl.cii.data_localisation"));
    let breached = format!(
        "{CII}[[breach]]\nduty = \"csl.cii.data_localisation\"\nwhen = \"2026-03-01\"\ndescription = \"用户数据备份存放在境外云服务\"\n"
    );
    // Since 2026-01-01 that conduct is punished under other laws (amended 第七十一条第一款
    // 第（三）项 sends it to the Data Security Law and the network data regulation).
    let e = run(&breached, "2026-06-01");
    let i = item(&e, "csl.cii.data_localisation");
    assert_eq!(i.status.id(), "breached");
    assert_eq!(i.org_fine, [0, 0]);
    assert_eq!(
        (i.fine_source.article, i.fine_source.paragraph),
        (71, Some(1))
    );
    assert!(i
        .elsewhere
        .as_deref()
        .is_some_and(|l| l.contains("数据安全法")));
    // The same breach in 2025 keeps the 2016 第六十六条 range: the later text sets no fine
    // of its own, so it is not lighter (从旧).
    let in_2025 = breached.replace("2026-03-01", "2025-10-01");
    let e = run(&in_2025, "2026-06-01");
    let i = item(&e, "csl.cii.data_localisation");
    assert_eq!(i.org_fine, [50_000, 500_000]);
    assert_eq!(i.fine_source.article, 66);
    assert!(i.law_choice.as_ref().is_some_and(|t| t.zh.contains("从旧")));
    assert!(i.counted);
    // Evaluated before the breach, it is not there.
    let e = run(&breached, "2026-02-01");
    assert!(e
        .items
        .iter()
        .all(|i| i.duty != "csl.cii.data_localisation"));
}

#[test]
fn level_3_duties_named_in_article_63_2_are_aggravated_within_the_same_range() {
    let e = run(CII, "2026-06-01");
    let l3 = item(&e, "mlps.l3.security_body");
    assert_eq!(
        (
            l3.penalty.law.as_str(),
            l3.penalty.article,
            l3.penalty.paragraph
        ),
        ("mlps", 63, Some(2))
    );
    assert!(l3.aggravated);
    // 从重 does not move the statutory range of 网络安全法 第五十九条第一款.
    assert_eq!(l3.org_fine, [10_000, 100_000]);
    assert_eq!(
        (l3.fine_source.article, l3.fine_source.paragraph),
        (59, Some(1))
    );
    // A general duty (第二十条) of the same level-3 network is not aggravated: 第六十三条第二款
    // lists 第二十一条、第二十二条第二款、第二十三条、第二十八条第二款、第三十条第二款、第三十二条第一款 only.
    let general = item(&e, "mlps.general.logging");
    assert!(!general.aggravated);
    assert_eq!(
        (general.penalty.article, general.penalty.paragraph),
        (63, Some(1))
    );
    // 第二十九条 falls under 第六十四条, not aggravated.
    assert!(!item(&e, "mlps.l3.maintenance_log").aggravated);
}

#[test]
fn the_same_duty_on_a_level_2_network_is_not_aggravated() {
    let e = run(
        "[network]\nlevel = 2\nstage = \"running\"\n[events]\nlaunched = \"2025-01-01\"\n",
        "2026-06-01",
    );
    assert!(
        e.items.iter().all(|i| !i.aggravated),
        "{:?}",
        e.items
            .iter()
            .filter(|i| i.aggravated)
            .map(|i| &i.duty)
            .collect::<Vec<_>>()
    );
    assert!(e.items.iter().all(|i| i.duty != "mlps.l3.security_body"));
}

#[test]
fn totals_count_each_fining_provision_once() {
    let e = run(CII, "2026-06-01");
    // Overdue provisions here: csl.59.1 (via csl 21/25 and 条例 63/64) and csl.59.2; 条例
    // 第六十八条 (crypto) sets no fine. The prohibitions (第三十七条 data abroad, 条例 第三十一条
    // 第二款) are complied and the security review (第三十五条) has no purchase to review: no
    // 第六十六条, 第六十四条 or 第六十五条 fine. Grading, self-inspection and the yearly assessment
    // became overdue in 2026, under the amended 第六十一条第一款 (五万–五十万元): the highest
    // range of the provision is the one counted; 第五十九条第二款's CII duties were all
    // overdue in 2025 (十万–一百万元). The laws around the CSL add two provisions of
    // 十万–一百万元 each: 关键信息基础设施安全保护条例 第三十九条 (no yearly 检测评估 since
    // 2026-01-01, ciipr 第十七条) and 商用密码管理条例 第六十条 (no 密评 before launch, nor yearly:
    // one provision, counted once). The missing 检测评估 is also csl 第三十八条's: one act is
    // fined once, under the higher range (行政处罚法 第二十九条) — the two ranges are equal, so
    // the ciipr item is shown but not counted.
    let expected = [50_000 + 100_000 + 100_000, 500_000 + 1_000_000 + 1_000_000];
    assert_eq!(e.org_fine_total, expected);
    let ciipr = item(&e, "ciipr.yearly_assessment");
    assert!(!ciipr.counted);
    assert!(
        ciipr.notes.iter().any(|n| n.zh.contains("第二十九条")),
        "{:?}",
        ciipr.notes
    );
    let counted_59_1 = e
        .items
        .iter()
        .filter(|i| {
            i.counted
                && [59, 61].contains(&i.fine_source.article)
                && i.fine_source.paragraph == Some(1)
        })
        .count();
    assert_eq!(counted_59_1, 1);
}

#[test]
fn a_fine_in_multiples_of_an_unknown_amount_is_named_not_summed() {
    // Only a purchase that may affect national security needs the review.
    let e = run(CII, "2026-06-01");
    assert!(e.items.iter().all(|i| i.duty != "csl.cii.security_review"));
    let e = run(
        &format!("{CII}sensitive_purchase = \"2026-03-01\"\n"),
        "2026-06-01",
    );
    let review = item(&e, "csl.cii.security_review");
    assert_eq!(review.org_fine, [0, 0]);
    let m = review.org_fine_multiple.as_ref().expect("multiple");
    assert_eq!((m.basis.as_str(), m.min, m.max), ("采购金额", 1, 10));
    assert!(review
        .measures
        .iter()
        .any(|s| s.contains("采购金额1倍以上10倍以下")));
}

#[test]
fn personal_data_breaches_use_the_no_income_ceiling() {
    let e = run(
        "[network]\nlevel = 2\nstage = \"running\"\npersonal_info = true\n[events]\nlaunched = \"2025-01-01\"\n",
        "2026-06-01",
    );
    let i = item(&e, "csl.pi.rules_and_consent");
    assert_eq!(i.org_fine, [0, 1_000_000]);
    assert_eq!(i.person_fine, [10_000, 100_000]);
    assert!(i
        .measures
        .iter()
        .any(|s| s.contains("违法所得1倍以上10倍以下")));
}

#[test]
fn due_duties_are_listed_but_only_overdue_ones_are_in_the_total() {
    let e = run(
        "[network]\nlevel = 2\nstage = \"building\"\n[events]\ngraded = \"2026-02-10\"\nreviewed = \"2026-02-01\"\nlaunched = \"2026-04-01\"\n",
        "2026-02-20",
    );
    let filing = item(&e, "mlps.filing");
    // The rule in force counts 30 days from the planned launch (decision 0205).
    assert_eq!(filing.status.id(), "due");
    assert_eq!(e.org_fine_total, [0, 0]);
    // The filing (via 条例 第六十三条) would be missed in 2026: the amended 第六十一条第一款's
    // range for refusal or harm, and its fine at once. The prohibition of 条例 第三十一条第二款
    // is complied, so 第六十五条 adds nothing.
    assert_eq!(e.org_fine_total_if_due_missed, [50_000, 500_000]);
    assert_eq!(filing.first_fine, Some([10_000, 50_000]));
    assert_eq!(filing.law_version.as_deref(), Some("amended-2025"));
}

#[test]
fn government_networks_answer_under_article_72_without_fines() {
    let e = run(
        "[network]\nlevel = 3\nstage = \"running\"\ngovernment = true\n[events]\nlaunched = \"2025-01-01\"\n",
        "2026-06-01",
    );
    assert!(!e.items.is_empty());
    assert_eq!(e.org_fine_total, [0, 0]);
    let logs = item(&e, "csl.operator.logs");
    assert_eq!(logs.org_fine, [0, 0]);
    assert!(logs.measures.iter().any(|m| m.contains("处分")));
}

#[test]
fn unknown_duties_are_reported_with_the_exposure() {
    let e = run("[network]\nlevel = 2\nstage = \"running\"\n", "2026-06-01");
    assert!(e.unknown.contains(&"mlps.filing".to_string()));
}

#[test]
fn others_duties_and_complied_prohibitions_cost_the_operator_nothing() {
    // Filed, the police's certificate is late: the operator may chase it, it is not fined.
    let e = run(
        "[network]\nlevel = 2\nstage = \"building\"\npersonal_info = true\n[events]\ngraded = \"2026-02-10\"\nreviewed = \"2026-02-01\"\nfiled = \"2026-02-27\"\n",
        "2026-04-01",
    );
    assert!(e.items.iter().all(|i| i.duty != "mlps.filing.certificate"));
    assert!(!e.unknown.contains(&"mlps.filing.certificate".to_string()));
    for prohibition in [
        "csl.pi.minimisation",
        "csl.pi.no_disclosure",
        "mlps.data_limits",
    ] {
        assert!(
            e.items.iter().all(|i| i.duty != prohibition),
            "{prohibition}"
        );
    }
}

#[test]
fn content_management_and_the_unresolved_assessor_penalty_are_not_fined() {
    let e = run(
        "[network]\nlevel = 2\nstage = \"running\"\nservices = [\"info_publishing\"]\nroles = [\"assessment_body\"]\n[events]\nlaunched = \"2025-01-01\"\n",
        "2026-06-01",
    );
    // 第六十八条第一款 punishes not stopping, removing or recording prohibited content, not
    // the general duty to manage what users publish.
    assert!(e.items.iter().all(|i| i.duty != "csl.content.management"));
    // 第六十六条 cites a 第二十六条第三款 the draft does not have: named for a lawyer, not fined.
    assert!(e
        .items
        .iter()
        .all(|i| i.duty != "mlps.assessor.obligations"));
    assert!(
        e.notes
            .iter()
            .any(|n| n.zh.contains("mlps.assessor.obligations")),
        "{:?}",
        e.notes
    );
}

/// A running level-3 network whose last assessment was 2025-05-20: the next was due
/// 2026-05-20 (条例 第二十三条).
const L3_ASSESSED: &str = r#"
[network]
level = 3
stage = "running"
[events]
launched = "2025-06-01"
last_assessment = "2025-05-20"
"#;

fn refs(b: &[dengbao_duties::PenaltyRef]) -> Vec<(&str, u32, Option<u32>)> {
    b.iter()
        .map(|r| (r.law.as_str(), r.article, r.paragraph))
        .collect()
}

#[test]
fn a_missed_yearly_assessment_cites_article_63_2_63_1_and_the_csl_in_force_aggravated() {
    // Overdue since 2026-05-21: the amended text is in force; old 第五十九条第一款 is
    // 第六十一条第一款 with its new ranges.
    let e = run(L3_ASSESSED, "2026-11-25");
    let i = item(&e, "mlps.assessment.yearly");
    assert_eq!(i.status.id(), "overdue");
    assert_eq!(
        refs(&i.basis),
        [
            ("mlps", 63, Some(2)),
            ("mlps", 63, Some(1)),
            ("csl", 61, Some(1))
        ]
    );
    assert_eq!(
        i.basis_text,
        "依据《网络安全等级保护条例（征求意见稿）》第六十三条第二款、第一款，依照《网络安全法》第六十一条第一款从重处罚"
    );
    // The range is the one of the provision at the end of the chain.
    assert_eq!(i.org_fine, [50_000, 500_000]);
    assert_eq!(i.first_fine, Some([10_000, 50_000]));
    assert_eq!(i.conduct_date.to_string(), "2026-05-21");
    assert!(i
        .law_choice
        .as_ref()
        .map(|t| t.zh.as_str())
        .is_some_and(|t| t.contains("2026-01-01")));
}

/// The same missed assessment, once overdue since 2025-11 and once since 2026-02: the text
/// in force on the day of the conduct sets the range; the amended text is not lighter for
/// the 2025 conduct, so the 2016 one stays (从旧兼从轻, 立法法 第一百零四条).
#[test]
fn the_fine_follows_the_text_in_force_on_the_day_the_duty_became_overdue() {
    let profile = |last: &str| L3_ASSESSED.replace("2025-05-20", last);
    let e = run(&profile("2024-11-03"), "2026-11-25");
    let old = item(&e, "mlps.assessment.yearly");
    assert_eq!(old.conduct_date.to_string(), "2025-11-04");
    assert_eq!(
        (old.fine_source.article, old.fine_source.paragraph),
        (59, Some(1))
    );
    assert_eq!(old.law_version.as_deref(), Some("final"));
    assert_eq!(
        (old.org_fine, old.person_fine),
        ([10_000, 100_000], [5_000, 50_000])
    );
    assert_eq!(old.first_fine, None);
    let why = &old.law_choice.as_ref().expect("the reasoning is given").zh;
    assert!(
        why.contains("从旧") && why.contains("第一百零四条"),
        "{why}"
    );
    let e = run(&profile("2025-02-01"), "2026-11-25");
    let new = item(&e, "mlps.assessment.yearly");
    assert_eq!(new.conduct_date.to_string(), "2026-02-02");
    assert_eq!(
        (new.fine_source.article, new.fine_source.paragraph),
        (61, Some(1))
    );
    assert_eq!(new.law_version.as_deref(), Some("amended-2025"));
    assert_eq!(
        (new.org_fine, new.person_fine),
        ([50_000, 500_000], [10_000, 100_000])
    );
}

#[test]
fn every_basis_runs_from_the_duty_s_provision_through_refers_to_to_the_fine_source() {
    let catalog = Catalog::builtin().unwrap_or_else(|e| panic!("{e}"));
    for profile in [CII, L3_ASSESSED] {
        let e = run(profile, "2026-11-25");
        assert!(!e.items.is_empty());
        for i in &e.items {
            assert_eq!(i.basis.first(), Some(&i.penalty), "{}", i.duty);
            assert_eq!(i.basis.last(), Some(&i.fine_source), "{}", i.duty);
            let ids: Vec<&str> = catalog
                .penalties()
                .filter(|p| i.basis.contains(&p.reference()))
                .map(|p| p.id.as_str())
                .collect();
            assert_eq!(ids.len(), i.basis.len(), "{}: {ids:?}", i.duty);
            for pair in i.basis.windows(2) {
                let from = catalog
                    .penalties()
                    .find(|p| p.reference() == pair[0])
                    .expect("in the catalog");
                let to = catalog
                    .penalty(
                        from.refers_to
                            .as_deref()
                            .expect("a link of the chain refers on"),
                    )
                    .expect("refers to a penalty");
                // The provision referred to, or the later text's provision that took over
                // its conduct on the day of the breach (decision 0510).
                let successor = catalog
                    .penalties()
                    .find(|p| p.succeeds.contains(&to.id) && p.reference() == pair[1]);
                assert!(
                    to.reference() == pair[1] || successor.is_some(),
                    "{}: {:?} → {:?}",
                    i.duty,
                    to.reference(),
                    pair[1]
                );
            }
            assert!(i.basis_text.starts_with("依据"), "{}", i.basis_text);
            assert_eq!(
                i.basis_text.ends_with("从重处罚"),
                i.aggravated,
                "{}",
                i.basis_text
            );
        }
    }
}

#[test]
fn a_government_network_s_basis_ends_at_article_72_without_a_fine() {
    let e = run(
        "[network]\nlevel = 3\nstage = \"running\"\ngovernment = true\n[events]\nlaunched = \"2025-06-01\"\nlast_assessment = \"2025-05-20\"\n",
        "2026-11-25",
    );
    let i = item(&e, "mlps.assessment.yearly");
    assert_eq!(
        refs(&i.basis),
        [
            ("mlps", 63, Some(2)),
            ("mlps", 63, Some(1)),
            ("csl", 61, Some(1)),
            ("csl", 74, None)
        ]
    );
    assert!(
        i.basis_text.ends_with("，依照《网络安全法》第七十四条处理"),
        "{}",
        i.basis_text
    );
}

#[test]
fn the_duty_list_gives_every_duty_with_a_penalty_its_basis() {
    let catalog = Catalog::builtin().unwrap_or_else(|e| panic!("{e}"));
    let calendar = Calendar::builtin().unwrap_or_else(|e| panic!("{e}"));
    let p = Profile::from_toml_str(L3_ASSESSED).unwrap_or_else(|e| panic!("{e}"));
    // Before the yearly assessment falls due, the list cites its basis all the same.
    let statuses = evaluate(&p, &catalog, &calendar, parse_at("2026-01-05").unwrap());
    let e = exposure(&p, &catalog, &statuses);
    let yearly = statuses
        .iter()
        .find(|s| s.id() == "mlps.assessment.yearly")
        .expect("the yearly assessment");
    assert_eq!(
        dengbao_duties::report::penalty_basis(yearly, &catalog, &e),
        "依据《网络安全等级保护条例（征求意见稿）》第六十三条第二款、第一款，依照《网络安全法》第五十九条第一款从重处罚"
    );
    for s in &statuses {
        let text = dengbao_duties::report::penalty_basis(s, &catalog, &e);
        assert_eq!(text.is_empty(), s.penalty().is_none(), "{}", s.id());
    }
}

/// 第六十三条 is a provision the 2025 amendment adds (决定第七项): selling uncertified critical
/// equipment was not fined under the 2016 text, so only conduct from 2026-01-01 is exposed.
#[test]
fn a_penalty_the_amendment_adds_reaches_only_conduct_from_its_in_force_date() {
    let vendor = "[network]\nlevel = 2\nstage = \"running\"\nroles = [\"equipment_vendor\"]\n[events]\nlaunched = \"2025-01-01\"\n";
    let before = run(vendor, "2025-12-01");
    assert!(
        !before
            .items
            .iter()
            .any(|i| i.duty == "csl.product.certification"),
        "no fine for 2025 conduct"
    );
    let after = run(vendor, "2026-06-01");
    let i = item(&after, "csl.product.certification");
    assert_eq!(
        (i.penalty.article, i.penalty.version.as_deref()),
        (63, Some("amended-2025"))
    );
    assert_eq!(i.org_fine, [20_000, 100_000]);
    assert_eq!(i.law_version.as_deref(), Some("amended-2025"));
}
