//! Grading input as JSON: bad input names the field (cases in `tests/input.txt`).

use dengbao_grading::{parse_json, Basis, Degree, Object};

#[test]
fn bad_input_names_the_field() {
    let mut n = 0;
    for block in include_str!("input.txt").split("\n---\n") {
        let mut lines = block.lines().filter(|l| !l.starts_with('#'));
        let (Some(expect), Some(json)) = (lines.next(), lines.next()) else {
            continue;
        };
        let expect = expect.strip_prefix("expect: ").expect("`expect: ` line");
        let got = parse_json(json);
        if expect == "ok" {
            assert!(got.is_ok(), "{json}: {got:?}");
        } else {
            let msg = got.err().map(|e| e.to_string()).unwrap_or_default();
            assert!(msg.contains(expect), "{json}: want {expect:?} in {msg:?}");
        }
        n += 1;
    }
    assert!(n >= 8, "input.txt was read");
}

#[test]
fn basis_is_optional() {
    let input = parse_json(
        r#"{"business": {"object": "order", "degree": "especially_serious"},
            "service": {"object": "rights", "degree": "harm"}}"#,
    )
    .expect("valid input");
    assert_eq!(input.basis, None);
    assert_eq!(input.business.object, Object::Order);
    assert_eq!(input.business.degree, Degree::EspeciallySerious);
    assert_eq!(dengbao_grading::grade(&input).basis, Basis::Gbt22240_2020);
}
