//! The Windows checks on exported files (tests/windows/<fixture>/, the bytes Windows'
//! commands write, in their encodings): the expected result of every check on every
//! fixture (tests/windows_cases.toml), every check passing somewhere and failing
//! somewhere, every cited line being that line of that file, reports the server accepts,
//! and parsers that never panic nor pass on garbage.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dengbao_hostcheck::windows::decode;
use dengbao_hostcheck::{
    run_windows, run_windows_on, verify_report, Checks, Platform, Report, WindowsProbe,
};
use proptest::prelude::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Cases {
    /// The day the expected results hold on (some bounds rise on a day).
    judged_on: jiff::civil::Date,
    fixtures: Vec<String>,
    os_version: BTreeMap<String, String>,
    expect: BTreeMap<String, Vec<String>>,
    cite: Vec<Cite>,
}

#[derive(Deserialize)]
struct Cite {
    fixture: String,
    check: String,
    evidence: Option<String>,
    reason: Option<String>,
}

fn cases() -> Cases {
    toml::from_str(include_str!("windows_cases.toml")).expect("windows_cases.toml")
}

fn checks() -> Checks<WindowsProbe> {
    Checks::windows_builtin().expect("the shipped Windows checks")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/windows")
        .join(name)
}

fn report(name: &str, level: u8) -> Report {
    run_windows_on(&checks(), &fixture(name), level, cases().judged_on)
        .expect("the fixture directory")
}

/// The result and reason of `check` on `fixture` as judged on `day`.
fn judged(fixture_name: &str, check: &str, day: jiff::civil::Date) -> (String, String) {
    let report = run_windows_on(&checks(), &fixture(fixture_name), 3, day).unwrap();
    let r = report
        .results
        .iter()
        .find(|r| r.id == check)
        .unwrap_or_else(|| panic!("{check} on {fixture_name}"));
    let v = serde_json::to_value(r).unwrap();
    (
        v["result"].as_str().unwrap().to_string(),
        v["reason"].as_str().unwrap().to_string(),
    )
}

/// Microsoft ends Server 2016's updates on 2027-01-12 and Server 2019's on 2029-01-09 (US
/// Pacific time): the supported-build check turns on the next day in Beijing by itself, and
/// says from when the bound holds.
#[test]
fn a_version_fails_the_day_after_its_last_updates() {
    use jiff::civil::date;
    let check = "win.os.supported_build";
    for (fixture, last, next, bound) in [
        (
            "server2016-default-zh",
            date(2027, 1, 12),
            date(2027, 1, 13),
            "17763",
        ),
        (
            "server2019-hardened-en",
            date(2029, 1, 9),
            date(2029, 1, 10),
            "20348",
        ),
    ] {
        let (before, _) = judged(fixture, check, last);
        assert_eq!(before, "pass", "{fixture} on {last}");
        let (after, why) = judged(fixture, check, next);
        assert_eq!(after, "fail", "{fixture} on {next}");
        assert!(
            why.contains(&format!("≥ {bound}，自 {next} 起"))
                && why.contains(&format!("≥ {bound} from {next}")),
            "{why}"
        );
    }
    // Server 2022 is not touched by either day.
    let (r, why) = judged("server2022-partial", check, date(2029, 6, 1));
    assert_eq!(r, "pass", "{why}");
}

#[test]
fn every_fixture_gives_the_expected_result_of_every_check() {
    let cases = cases();
    let checks = checks();
    let ids: Vec<&String> = checks.checks.iter().map(|c| &c.id).collect();
    let listed: Vec<&String> = cases.expect.keys().collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(
        sorted, listed,
        "windows_cases.toml lists every check, no other"
    );
    for (i, name) in cases.fixtures.iter().enumerate() {
        let report = report(name, 3);
        assert_eq!(report.platform, Platform::Windows);
        assert_eq!(report.distro.id, "windows");
        assert_eq!(
            Some(&report.distro.version_id),
            cases.os_version.get(name),
            "{name}: os_version"
        );
        assert_eq!(report.results.len(), checks.checks.len(), "{name}");
        for r in &report.results {
            let want = &cases.expect[&r.id][i];
            assert_eq!(
                r.status.as_str(),
                want,
                "{name}: {}: {}\n{:#?}",
                r.id,
                r.reason,
                r.evidence
            );
            assert!(r.reason.contains(" / "), "{name}: {}: 中文 / English", r.id);
        }
    }
}

#[test]
fn every_check_passes_on_one_fixture_and_fails_on_another() {
    for (id, row) in cases().expect {
        assert!(row.iter().any(|s| s == "pass"), "{id} passes nowhere");
        assert!(row.iter().any(|s| s == "fail"), "{id} fails nowhere");
    }
}

/// Every line a result cites is, in the file it names (decoded as the checker decodes
/// it), that line with that text; a pass always cites one; and the cited lines and
/// reasons an operator reads are the ones in windows_cases.toml.
#[test]
fn every_cited_line_is_that_line_of_that_file() {
    let cases = cases();
    for name in &cases.fixtures {
        let report = report(name, 3);
        for r in &report.results {
            if r.status.as_str() == "pass" {
                assert!(
                    !r.evidence.is_empty(),
                    "{name}: {} passed without a line",
                    r.id
                );
            }
            assert!(
                !r.reason.contains("Kiosk#2022pw"),
                "{name}: {} quotes a password",
                r.id
            );
            for e in &r.evidence {
                assert!(
                    !e.text.contains("DefaultPassword"),
                    "{name}: {} quotes a password",
                    r.id
                );
                let bytes = std::fs::read(fixture(name).join(&e.path))
                    .unwrap_or_else(|_| panic!("{name}: {}: no file {}", r.id, e.path));
                let (text, _) = decode(&bytes);
                let n = e.line.expect("a line number");
                let line = text.lines().nth(n - 1).map(str::trim);
                assert_eq!(
                    line,
                    Some(e.text.as_str()),
                    "{name}: {} {}:{n}",
                    r.id,
                    e.path
                );
            }
        }
        for c in cases.cite.iter().filter(|c| &c.fixture == name) {
            let r = report
                .results
                .iter()
                .find(|r| r.id == c.check)
                .unwrap_or_else(|| panic!("{name}: {}", c.check));
            if let Some(want) = &c.evidence {
                let first = r
                    .evidence
                    .first()
                    .map(|e| format!("{}:{}:{}", e.path, e.line.unwrap_or(0), e.text));
                assert_eq!(first.as_ref(), Some(want), "{name}: {}", c.check);
            }
            if let Some(want) = &c.reason {
                assert!(r.reason.contains(want), "{name}: {}: {}", c.check, r.reason);
            }
        }
    }
}

#[test]
fn reports_of_both_levels_are_accepted_and_a_forged_one_is_refused() {
    let checks = checks();
    for level in [2, 3] {
        assert!(
            checks.at_level(level).count() >= 20,
            "level {level}: the issue asks for 20 or more Windows checks"
        );
        let report = report("server2016-default-zh", level);
        // As the server gets it: through JSON.
        let sent: Report = serde_json::from_value(serde_json::to_value(&report).unwrap()).unwrap();
        assert_eq!(sent.platform, Platform::Windows);
        verify_report(&sent).unwrap_or_else(|e| panic!("level {level}: {e}"));
        let summed: usize = sent.summary.values().sum();
        assert_eq!(summed, sent.results.len());
    }
    let mut linux_check = report("server2016-default-zh", 3);
    linux_check.results[0].id = "access.ssh_root_login".into();
    let e = verify_report(&linux_check).unwrap_err().to_string();
    assert!(e.contains("access.ssh_root_login"), "{e}");
    let mut as_linux = report("server2016-default-zh", 3);
    as_linux.platform = Platform::Linux;
    assert!(
        verify_report(&as_linux).is_err(),
        "Windows results are not Linux checks"
    );
}

#[test]
fn every_item_named_is_a_computing_environment_item_of_its_level() {
    let catalog = dengbao_controls::Catalog::builtin().expect("the control catalog");
    for c in &checks().checks {
        assert!(c.families.is_empty(), "{}: families are Linux's", c.id);
        assert_eq!(
            c.items.keys().copied().collect::<Vec<_>>(),
            [2, 3],
            "{}: levels 2 and 3",
            c.id
        );
        for (level, items) in &c.items {
            for id in items {
                let item = catalog
                    .get(id)
                    .unwrap_or_else(|| panic!("{}: {id} is not in the control catalog", c.id));
                assert_eq!(item.level.get(), *level, "{}: {id}", c.id);
                assert_eq!(item.class.code(), "CES", "{}: {id}", c.id);
            }
        }
    }
}

#[test]
fn a_broken_windows_check_is_refused_naming_it() {
    let good = r#"
[[check]]
id = "win.x"
title = "t"
title_en = "t"
items = { 3 = ["L3-CES1-01"] }
cannot_see = "甲 / a"
probe = { kind = "registry", key = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa", value = "NoLMHash", one_of = ["1"] }
"#;
    assert!(Checks::<WindowsProbe>::parse("t.toml", good).is_ok());
    for (bad, says) in [
        (
            good.replace("Control\\\\Lsa", "Control\\\\Nowhere"),
            "not under",
        ),
        (good.replace(", one_of = [\"1\"]", ""), "no condition"),
        (
            good.replace("NoLMHash", "DefaultPassword"),
            "never reads a password",
        ),
        (good.replace("\"registry\"", "\"powershell\""), "powershell"),
        // A day that is not a date is refused, not ignored.
        (
            good.replace("one_of = [\"1\"]", "min = 1, raised = { 2027-02-30 = 2 }"),
            "raised",
        ),
    ] {
        let e = Checks::<WindowsProbe>::parse("t.toml", &bad)
            .unwrap_err()
            .to_string();
        assert!(e.contains(says), "{e}");
    }
    let audit = good.replace(
        "kind = \"registry\", key = \"HKLM\\\\SYSTEM\\\\CurrentControlSet\\\\Control\\\\Lsa\", value = \"NoLMHash\", one_of = [\"1\"]",
        "kind = \"audit\", subcategory = \"Logon\", guid = \"0CCE9215\", success = true",
    );
    let e = Checks::<WindowsProbe>::parse("t.toml", &audit)
        .unwrap_err()
        .to_string();
    assert!(e.contains("win.x") && e.contains("GUID"), "{e}");
}

#[test]
fn a_directory_that_is_not_there_is_an_error_not_a_report() {
    assert!(run_windows(&checks(), &fixture("no-such-export"), 3).is_err());
}

/// An empty directory: every check unknown, each naming what to export.
#[test]
fn an_empty_directory_is_unknown_throughout_and_says_what_to_run() {
    let dir = tempfile::tempdir().unwrap();
    let report = run_windows(&checks(), dir.path(), 3).unwrap();
    assert_eq!(report.distro.version_id, "unknown");
    for r in &report.results {
        assert_eq!(r.status.as_str(), "unknown", "{}", r.id);
        assert!(
            [
                "secedit /export",
                "auditpol /backup",
                "reg export",
                "Get-Service"
            ]
            .iter()
            .any(|cmd| r.reason.contains(cmd)),
            "{}: {}",
            r.id,
            r.reason
        );
    }
}

fn garbage_never_passes(files: &[(&str, Vec<u8>)]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let report = run_windows(&checks(), dir.path(), 3).unwrap();
    for r in &report.results {
        prop_assert_ne!(r.status.as_str(), "pass", "{}: {}", r.id, r.reason);
    }
    Ok(())
}

fn utf16(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// Arbitrary bytes under every name the checker reads: no panic, no pass.
    #[test]
    fn arbitrary_bytes_never_pass(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        garbage_never_passes(&[
            ("secedit.inf", bytes.clone()),
            ("auditpol.csv", bytes.clone()),
            ("services.csv", bytes.clone()),
            ("lsa.reg", bytes),
        ])?;
    }

    /// Arbitrary text in UTF-16LE with a BOM (as the real exports are), and lines that look
    /// like the files' own but are not exports: no panic, no pass.
    #[test]
    fn arbitrary_text_never_passes(text in "[\\[\\]=,\"{}\\\\A-Za-z0-9 \r\n-]{0,400}") {
        garbage_never_passes(&[
            ("secedit.inf", utf16(&text)),
            ("auditpol.csv", text.clone().into_bytes()),
            ("services.csv", utf16(&text)),
            ("os.reg", utf16(&text)),
        ])?;
    }
}

/// An operator who exports a key twice (the Policies key and, separately, its System
/// subkey after setting the inactivity limit): the export that has the value decides,
/// whichever file name sorts first; file names are matched whatever their case.
#[test]
fn of_two_exports_of_a_key_the_one_with_the_value_decides() {
    let dir = tempfile::tempdir().unwrap();
    let from = fixture("server2016-default-zh");
    for name in ["secedit.inf", "policies.reg"] {
        std::fs::copy(from.join(name), dir.path().join(name.to_uppercase())).unwrap();
    }
    std::fs::write(
        dir.path().join("system.reg"),
        utf16(
            "Windows Registry Editor Version 5.00\r\n\r\n\
             [HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System]\r\n\
             \"InactivityTimeoutSecs\"=dword:00000258\r\n",
        ),
    )
    .unwrap();
    let report = run_windows(&checks(), dir.path(), 3).unwrap();
    let status = |id: &str| {
        let r = report.results.iter().find(|r| r.id == id).unwrap();
        (r.status.as_str(), r.evidence.last().map(|e| e.text.clone()))
    };
    assert_eq!(
        status("win.session.inactivity_limit"),
        (
            "pass",
            Some("\"InactivityTimeoutSecs\"=dword:00000258".into())
        )
    );
    // POLICIES.REG still decides what only it has, and SECEDIT.INF is read.
    assert_eq!(status("win.device.autoplay_off").0, "fail");
    assert_eq!(status("win.password.min_length").0, "fail");
}
