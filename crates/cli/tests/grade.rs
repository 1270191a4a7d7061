//! `dengbao grade` as a user runs it: JSON on stdin, JSON or a Chinese explanation out.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

fn grade(args: &[&str], stdin: &str) -> (i32, String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_dengbao"))
        .env("DENGBAO_DATA", dir.path())
        .env_remove("DENGBAO_DATABASE_URL")
        .arg("grade")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dengbao");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn input(basis: Option<&str>, business: (&str, &str), service: (&str, &str)) -> String {
    let mut v = serde_json::json!({
        "business": {"object": business.0, "degree": business.1},
        "service": {"object": service.0, "degree": service.1},
    });
    if let Some(b) = basis {
        v["basis"] = b.into();
    }
    v.to_string()
}

fn grade_json(stdin: &str) -> Value {
    let (code, out, err) = grade(&["--json"], stdin);
    assert_eq!(code, 0, "{stdin}: {err}");
    serde_json::from_str(&out).expect("JSON on stdout")
}

fn disagrees(v: &Value) -> bool {
    v["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .any(|n| n.as_str().is_some_and(|s| s.starts_with("【依据分歧】")))
}

/// basis | business | service | level business_level service_level | disagreement note?
const CASES: &str = "
-             | rights/especially_serious | rights/harm   | 2 2 1 | yes
gbt22240-2020 | rights/especially_serious | order/harm    | 2 2 2 | yes
mlps-draft    | rights/especially_serious | rights/harm   | 3 3 1 | yes
mlps-draft    | rights/especially_serious | order/serious | 3 3 3 | no
-             | rights/especially_serious | order/serious | 3 2 3 | no
-             | national/serious          | rights/harm   | 4 4 1 | no
mlps-draft    | order/harm                | national/especially_serious | 5 2 5 | no
-             | rights/harm               | rights/harm   | 1 1 1 | no
";

#[test]
fn grade_json_output() {
    let mut n = 0;
    for line in CASES.lines().filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('|').map(str::trim).collect();
        let [basis, business, service, levels, note] = f[..] else {
            panic!("bad case {line:?}")
        };
        let basis = (basis != "-").then_some(basis);
        let split = |s: &'static str| s.split_once('/').expect("OBJECT/DEGREE");
        let v = grade_json(&input(basis, split(business), split(service)));
        let got: Vec<u64> = ["level", "business_level", "service_level"]
            .iter()
            .map(|k| v[*k].as_u64().expect("level is an int"))
            .collect();
        let want: Vec<u64> = levels
            .split(' ')
            .map(|x| x.parse().expect("level"))
            .collect();
        assert_eq!(got, want, "{line}");
        assert_eq!(v["basis"], basis.unwrap_or("gbt22240-2020"), "{line}");
        assert_eq!(disagrees(&v), note == "yes", "{line}: {:#}", v["notes"]);
        n += 1;
    }
    assert_eq!(n, 8);
}

#[test]
fn json_has_exactly_the_interface_keys_and_citations_point_into_mlps() {
    let v = grade_json(&input(None, ("order", "serious"), ("rights", "harm")));
    let mut keys: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "basis",
            "business_level",
            "citations",
            "level",
            "notes",
            "service_level"
        ]
    );
    let cites = v["citations"].as_array().expect("citations");
    assert_eq!(
        cites[0],
        serde_json::json!({"law": "mlps", "article": 15, "paragraph": 1, "item": 3})
    );
    // Level 3: expert review (第十七条) and filing within 10 working days (第十八条).
    for article in [16, 17, 18] {
        assert!(
            cites.iter().any(|c| c["article"] == article),
            "article {article}: {cites:?}"
        );
    }
}

#[test]
fn readable_explanation_in_chinese() {
    let (code, out, err) = grade(
        &[],
        &input(
            Some("gbt22240-2020"),
            ("rights", "especially_serious"),
            ("rights", "serious"),
        ),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("安全保护等级：第二级"), "{out}");
    assert!(out.contains("注意：【依据分歧】依据 GB/T 22240-2020 本网络为第二级；按条例（征求意见稿）第十五条为第三级"), "{out}");
    assert!(out.contains("专家评审"), "{out}");
    assert!(!out.contains("[bases disagree]"), "Chinese only: {out}");
}

/// stdin | a substring of the error
const BAD: &str = r#"
{"business": {"object": "rights", "degree": "severe"}, "service": {"object": "rights", "degree": "harm"}} | business.degree: unknown variant `severe`
{"basis": "gbt22239", "business": {"object": "rights", "degree": "harm"}, "service": {"object": "rights", "degree": "harm"}} | basis: unknown variant `gbt22239`
{"business": {"object": "rights", "degree": "harm"}, "service": {"object": "rights", "degree": "harm"}, "level": 6} | unknown field `level`
{"business": {"object": "rights", "degree": "harm"}} | missing field `service`
not json | 定级输入有误 / bad grading input
"#;

#[test]
fn bad_input_exits_2_naming_the_field() {
    for line in BAD.lines().filter(|l| !l.trim().is_empty()) {
        let (stdin, want) = line.rsplit_once(" | ").expect("case");
        for args in [&["--json"][..], &[][..]] {
            let (code, out, err) = grade(args, stdin);
            assert_eq!(code, 2, "{stdin}: {err}");
            assert!(err.contains(want), "{stdin}: want {want:?} in {err:?}");
            assert!(out.is_empty(), "{stdin}: printed {out:?}");
        }
    }
    let (code, _, err) = grade(&["--json"], "");
    assert_eq!(code, 2, "empty stdin: {err}");
}
