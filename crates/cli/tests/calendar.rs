//! `dengbao calendar …` as a user runs it. One helper, cases in the table below:
//! arguments, expected exit code, and a substring of stdout (exit 0) or stderr (exit 2).

use std::path::Path;
use std::process::Command;

mod common;

/// args | exit | expected output: stdout when 0 (a substring of it after `~`), a
/// substring of stderr otherwise
const CASES: &str = "
add-workdays 2025-01-27 10 | 0 | 2025-02-17
add-workdays 2026-02-12 10 | 0 | 2026-03-04
add-workdays 2025-09-26 10 | 0 | 2025-10-16
add-workdays 2025-12-31 1  | 0 | 2026-01-04
add-workdays 2025-10-01 0  | 0 | 2025-10-01
is-workday 2025-01-26      | 0 | true
is-workday 2025-01-28      | 0 | false
is-workday 2026-10-10      | 0 | true
is-workday 2026-03-14      | 0 | false
is-workday 2024-12-31      | 2 | 2024-12-31 超出工作日历的覆盖范围（2025–2026 年）
is-workday 2027-01-04 --strict      | 2 | add that year's State Council holiday notice as calendar/<year>.toml
add-workdays 2026-12-25 10 --strict | 2 | 2027-01-01 is outside the working-day calendar (covers 2025–2026)
add-workdays 2026-12-25 10 | 0 | 2027-01-11（暂定：暂按法定节假日和周末计算，待国务院通知发布后校正）
add-workdays 2026-12-04 10 | 0 | 2026-12-18
is-workday 2027-02-08      | 0 | false（暂定：暂按法定节假日和周末计算，待国务院通知发布后校正）
add-workdays 2026-12-25 10 --json | 0 | {\"basis\":\"《全国年节及纪念日放假办法》（2024年11月10日修订）第二条：暂按法定节假日和周末计算，待国务院通知发布后校正\",\"date\":\"2027-01-11\",\"provisional\":true}
add-workdays 2026-12-04 10 --json | 0 | {\"basis\":\"《国务院办公厅关于2026年部分节假日安排的通知》\",\"date\":\"2026-12-18\",\"provisional\":false}
is-workday 2027-01-04 --json | 0 | {\"basis\":\"《全国年节及纪念日放假办法》（2024年11月10日修订）第二条：暂按法定节假日和周末计算，待国务院通知发布后校正\",\"date\":\"2027-01-04\",\"provisional\":true,\"workday\":true}
is-workday 2036-01-07      | 0 | ~true（暂定
is-workday 2036-01-07 --json | 0 | ~\"provisional\":true
is-workday 2037-01-05      | 2 | 2037-01-05 超出工作日历的覆盖范围
add-workdays 2025-02-30 1  | 2 | DATE: 日期无效
add-workdays 2025/01/27 1  | 2 | not a valid date YYYY-MM-DD: \"2025/01/27\"
is-workday tomorrow        | 2 | DATE:
add-workdays 2025-01-27 -3 | 2 | N must be a whole number of working days, 0 or more; got \"-3\"
add-workdays 2025-01-27 ten | 2 | N: 工作日数必须是非负整数
";

fn dengbao(data_dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dengbao"))
        .env("DENGBAO_DATA", data_dir)
        .env_remove("DENGBAO_DATABASE_URL")
        .arg("calendar")
        .args(args)
        .output()
        .expect("run dengbao");
    common::outcome(out)
}

fn check(data_dir: &Path, args: &str, code: i32, want: &str) {
    let argv: Vec<&str> = args.split_whitespace().collect();
    let (got, stdout, stderr) = dengbao(data_dir, &argv);
    assert_eq!(
        got, code,
        "calendar {args}: stdout {stdout:?} stderr {stderr:?}"
    );
    if let (0, Some(part)) = (code, want.strip_prefix('~')) {
        assert!(
            stdout.contains(part),
            "calendar {args}: want {part:?} in {stdout:?}"
        );
    } else if code == 0 {
        assert_eq!(stdout, format!("{want}\n"), "calendar {args}");
    } else {
        assert!(
            stderr.contains(want),
            "calendar {args}: want {want:?} in {stderr:?}"
        );
        assert!(stdout.is_empty(), "calendar {args}: printed {stdout:?}");
    }
}

#[test]
fn calendar_commands() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut n = 0;
    for line in CASES.lines().filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.splitn(3, '|').map(str::trim).collect();
        let [args, code, want] = f[..] else {
            panic!("bad case {line:?}")
        };
        check(
            dir.path(),
            args,
            code.parse().expect("exit code"),
            &want.replace("\\\"", "\""),
        );
        n += 1;
    }
    assert_eq!(n, 26);
}

#[test]
fn a_year_added_under_the_data_dir_is_used() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("calendar")).expect("mkdir");
    // A test fixture (no holidays), not the real 2027 notice.
    std::fs::write(
        dir.path().join("calendar/2027.toml"),
        "year = 2027\n[source]\ntitle = \"test fixture\"\npublished = \"2026-11-01\"\n",
    )
    .expect("write");
    // The provisional 2027-01-11 becomes the notice's date, no longer marked.
    check(dir.path(), "add-workdays 2026-12-25 10", 0, "2027-01-08");
    check(dir.path(), "is-workday 2027-01-04", 0, "true");
    check(dir.path(), "is-workday 2028-01-03 --strict", 2, "2025–2027");
    check(dir.path(), "is-workday 2028-01-03", 0, "~true（暂定");
    let (code, years, _) = dengbao(dir.path(), &["years"]);
    assert_eq!(code, 0);
    assert!(years.contains("2027 年\t《test fixture》"), "{years}");
    assert!(years.contains("2028–2037 年\t暂定"), "{years}");
}

#[test]
fn a_broken_calendar_file_under_the_data_dir_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("calendar")).expect("mkdir");
    std::fs::write(
        dir.path().join("calendar/2027.toml"),
        "year = 2027\n[source]\ntitle = \"x\"\npublished = \"2026-11-01\"\n\n[[holidays]]\nzh = \"元旦\"\nen = \"New Year\"\nfrom = \"2027-01-01\"\nadjusted_workdays = [\"2027-01-05\"]\n",
    )
    .expect("write");
    check(
        dir.path(),
        "is-workday 2025-06-03",
        2,
        "2027.toml:10: `holidays[0].adjusted_workdays[0]`: 2027-01-05 是周二",
    );
}
