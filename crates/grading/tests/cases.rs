//! Data-driven grading tests: the matrices transcribed in `tests/cases.txt`, checked
//! cell by cell and over every (business, service) pair.

use std::collections::HashMap;

use dengbao_grading::{grade, Basis, Degree, GradeInput, Harm, Object, DISAGREEMENT_TAG};
use dengbao_types::{Citation, LawId};

fn harm(s: &str) -> Harm {
    let (o, d) = s
        .split_once('/')
        .unwrap_or_else(|| panic!("OBJECT/DEGREE: {s}"));
    Harm {
        object: serde_json::from_value(o.into()).expect("object"),
        degree: serde_json::from_value(d.into()).expect("degree"),
    }
}

struct Cases {
    cells: HashMap<(Basis, Harm), u8>,
    grades: Vec<(usize, GradeInput, [u8; 3])>,
}

fn read_cases() -> Cases {
    let mut cells = HashMap::new();
    let mut grades = Vec::new();
    for (i, raw) in include_str!("cases.txt").lines().enumerate() {
        let line = i + 1;
        let raw = raw.trim();
        if raw.is_empty() || raw.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = raw.split_whitespace().collect();
        match f.as_slice() {
            ["cell", b, o, d, l] => {
                let basis: Basis = b.parse().expect("basis");
                let h = harm(&format!("{o}/{d}"));
                let prev = cells.insert((basis, h), l.parse().expect("level"));
                assert!(prev.is_none(), "cases.txt:{line}: cell listed twice");
            }
            ["grade", b, bus, svc, "=>", l, bl, sl] => {
                let basis = if *b == "-" {
                    None
                } else {
                    Some(b.parse().expect("basis"))
                };
                let input = GradeInput {
                    basis,
                    business: harm(bus),
                    service: harm(svc),
                };
                let want = [l, bl, sl].map(|x| x.parse().expect("level"));
                grades.push((line, input, want));
            }
            _ => panic!("cases.txt:{line}: cannot read {raw:?}"),
        }
    }
    assert_eq!(
        cells.len(),
        18,
        "cases.txt lists 9 cells for each of the 2 bases"
    );
    Cases { cells, grades }
}

fn levels(o: &dengbao_grading::GradeOutcome) -> [u8; 3] {
    [o.level.get(), o.business_level.get(), o.service_level.get()]
}

fn has_disagreement(o: &dengbao_grading::GradeOutcome) -> bool {
    o.notes.iter().any(|n| n.starts_with(DISAGREEMENT_TAG))
}

#[test]
fn every_cell_of_both_matrices() {
    let cases = read_cases();
    for ((basis, h), want) in &cases.cells {
        // A cell graded alone: the same harm for business and service.
        let out = grade(&GradeInput {
            basis: Some(*basis),
            business: *h,
            service: *h,
        });
        assert_eq!(levels(&out), [*want; 3], "{basis} {h:?}");
        assert_eq!(
            dengbao_grading::level_of(*basis, *h).get(),
            *want,
            "{basis} {h:?}"
        );
    }
}

#[test]
fn listed_gradings() {
    let cases = read_cases();
    assert!(!cases.grades.is_empty());
    for (line, input, want) in &cases.grades {
        let out = grade(input);
        assert_eq!(levels(&out), *want, "cases.txt:{line}");
        assert_eq!(
            out.basis,
            input.basis.unwrap_or(Basis::Gbt22240_2020),
            "cases.txt:{line}"
        );
    }
}

#[test]
fn all_81_pairs_take_the_max_and_flag_exactly_the_disagreements() {
    let cases = read_cases();
    let cell = |b: Basis, h: Harm| cases.cells[&(b, h)];
    let mut disagreements = [0; 2];
    for (bi, basis) in Basis::ALL.into_iter().enumerate() {
        let mut n = 0;
        for business in Harm::all() {
            for service in Harm::all() {
                n += 1;
                let out = grade(&GradeInput {
                    basis: Some(basis),
                    business,
                    service,
                });
                let want = cell(basis, business).max(cell(basis, service));
                let other = basis.other();
                let want_other = cell(other, business).max(cell(other, service));
                let ctx = format!("{basis} business {business:?} service {service:?}");
                assert_eq!(
                    levels(&out),
                    [want, cell(basis, business), cell(basis, service)],
                    "{ctx}"
                );
                assert_eq!(
                    has_disagreement(&out),
                    want != want_other,
                    "{ctx}: {:#?}",
                    out.notes
                );
                if want != want_other {
                    disagreements[bi] += 1;
                    let note = out.notes.iter().find(|n| n.starts_with(DISAGREEMENT_TAG));
                    let note = note.map(String::as_str).unwrap_or_default();
                    let (gbt, draft) = match basis {
                        Basis::Gbt22240_2020 => (want, want_other),
                        Basis::MlpsDraft => (want_other, want),
                    };
                    assert!(
                        note.contains(&format!(
                            "under GB/T 22240-2020 this network is level {gbt}"
                        )) && note.contains(&format!("draft regulation it is level {draft}")),
                        "{ctx}: {note}"
                    );
                }
                // Level 2+ cites expert review (第十七条) and filing (第十八条); level 1 not.
                let cites = |a: u32| {
                    out.citations
                        .iter()
                        .any(|c| c.law.as_deref() == Some(LawId::MLPS) && c.article == a)
                };
                assert!(cites(15) && cites(16), "{ctx}");
                assert_eq!(cites(17), want >= 2, "{ctx}");
                assert_eq!(cites(18), want >= 2, "{ctx}");
            }
        }
        assert_eq!(n, 81);
    }
    // They disagree only when rights × especially serious is one input and the other is
    // one of the 4 cells at level ≤ 2 under the standard (rights × harm/serious/especially
    // serious, order × harm): 4 + 4 - 1 = 7 pairs.
    assert_eq!(disagreements, [7, 7]);
}

#[test]
fn the_draft_cites_the_item_of_article_15_that_defines_the_level() {
    for h in Harm::all() {
        let out = grade(&GradeInput {
            basis: Some(Basis::MlpsDraft),
            business: h,
            service: h,
        });
        let item = Citation::article(LawId::MLPS, 15)
            .with_paragraph(1)
            .with_item(u32::from(out.level.get()));
        assert_eq!(out.citations.first(), Some(&item), "{h:?}");
        assert!(
            out.notes
                .iter()
                .any(|n| n.contains("未区分业务信息安全与系统服务安全")),
            "{h:?}"
        );
    }
    // Under the standard, the cell it departs from the draft on does not cite item （三）.
    let h = Harm {
        object: Object::Rights,
        degree: Degree::EspeciallySerious,
    };
    let out = grade(&GradeInput {
        basis: None,
        business: h,
        service: h,
    });
    assert_eq!(
        out.citations.first(),
        Some(&Citation::article(LawId::MLPS, 15))
    );
}
