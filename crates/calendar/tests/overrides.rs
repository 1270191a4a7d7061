//! Calendar files an operator adds under `<data-dir>/calendar/`, and the files dengbao
//! refuses (cases in `tests/invalid/`, each naming the error it must produce).

use std::path::Path;

use dengbao_calendar::{Calendar, CalendarError};
use jiff::civil::date;

/// A year with no holidays: a test fixture, not a real notice.
fn fixture(year: i16) -> String {
    format!(
        "year = {year}\n\n[source]\ntitle = \"test fixture\"\npublished = \"{}-11-01\"\n",
        year - 1
    )
}

#[test]
fn invalid_files_are_refused_naming_file_line_and_field() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/invalid");
    let mut n = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir).expect("tests/invalid").collect();
    entries.sort_by_key(|e| e.as_ref().map(|e| e.path()).ok());
    for entry in entries {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        let file = path
            .file_name()
            .and_then(|f| f.to_str())
            .expect("name")
            .to_string();
        let name = text
            .lines()
            .find_map(|l| l.strip_prefix("# as: "))
            .map_or(file.clone(), str::to_string);
        let expect = text
            .lines()
            .find_map(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{file}: no `# expect:` line"));
        let err = Calendar::from_toml_strs(&[(name.as_str(), text.as_str())])
            .err()
            .unwrap_or_else(|| panic!("{file}: accepted, want error {expect:?}"));
        let msg = err.to_string();
        assert!(
            matches!(err, CalendarError::Invalid { .. }),
            "{file}: {err:?}"
        );
        assert!(msg.contains(expect), "{file}: want {expect:?} in {msg:?}");
        n += 1;
    }
    assert!(n >= 8, "tests/invalid was read ({n} files)");
}

#[test]
fn an_added_year_extends_the_calendar() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("2027.toml"), fixture(2027)).expect("write");
    std::fs::write(dir.path().join("README.txt"), "not a calendar").expect("write");
    let cal = Calendar::with_overrides(dir.path()).expect("2027 added");
    assert_eq!(cal.covered_years(), 2025..=2027);
    // Provisional on the builtin calendar (past 2026-12-31), confirmed with 2027 added.
    assert_eq!(
        cal.add_workdays(date(2026, 12, 25), 10).ok(),
        Some(date(2027, 1, 8))
    );
    assert_eq!(cal.is_workday(date(2027, 1, 4)).ok(), Some(true));
    // The year after the loaded notice is provisional; strict, it is refused.
    assert!(!cal.is_provisional(date(2027, 1, 4)));
    assert!(cal.is_provisional(date(2028, 1, 3)));
    assert!(cal.clone().strict().is_workday(date(2028, 1, 3)).is_err());
}

#[test]
fn a_file_replaces_the_builtin_year() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("2026.toml"), fixture(2026)).expect("write");
    let cal = Calendar::with_overrides(dir.path()).expect("2026 replaced");
    assert_eq!(cal.covered_years(), 2025..=2026);
    // 2026-10-01 is a holiday in the real notice; the replacement has none.
    assert_eq!(cal.is_workday(date(2026, 10, 1)).ok(), Some(true));
    assert_eq!(cal.is_workday(date(2025, 10, 1)).ok(), Some(false));
    assert_eq!(
        cal.year(2026).map(|y| y.notice.title.as_str()),
        Some("test fixture")
    );
}

#[test]
fn a_missing_override_dir_is_the_builtin_calendar() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cal = Calendar::with_overrides(&dir.path().join("calendar")).expect("builtin");
    assert_eq!(cal.covered_years(), 2025..=2026);
    assert_eq!(cal.is_workday(date(2026, 10, 1)).ok(), Some(false));
}

#[test]
fn a_bad_override_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("2027.toml"),
        "year = 2027\n[source]\ntitle = \"x\"\npublished = \"2026-13-01\"\n",
    )
    .expect("write");
    let msg = Calendar::with_overrides(dir.path())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(msg.contains("2027.toml:4: `source.published`"), "{msg}");
}

#[test]
fn years_must_be_contiguous() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("2028.toml"), fixture(2028)).expect("write");
    let err = Calendar::with_overrides(dir.path()).err();
    assert!(
        matches!(
            err,
            Some(CalendarError::Gap {
                missing: 2027,
                before: 2026,
                after: 2028
            })
        ),
        "{err:?}"
    );
}

#[test]
fn a_year_defined_twice_is_an_error() {
    let a = fixture(2027);
    let err =
        Calendar::from_toml_strs(&[("a/2027.toml", a.as_str()), ("b/2027.toml", a.as_str())]).err();
    assert!(
        matches!(err, Some(CalendarError::DuplicateYear { year: 2027, .. })),
        "{err:?}"
    );
}
