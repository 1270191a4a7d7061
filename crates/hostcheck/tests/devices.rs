//! The device checks on saved configurations (tests/devices/, expectations in
//! tests/devices_cases.toml): every check's result on every file, at levels 2 and 3; the
//! vendor, version and name read from the file; evidence that points at the file's lines
//! and never shows a secret; every check seen both passing and failing; the items each
//! check names exist at their level; and a report the server's verification accepts.
//! Property tests: no input bytes make the parser panic, and none that is not a
//! configuration gives a `pass`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use dengbao_hostcheck::{
    run_device, verify_report, Checks, DeviceConfig, DeviceProbe, Platform, Status, Vendor,
};
use proptest::prelude::*;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    file: String,
    #[allow(dead_code)]
    about: String,
    os_id: String,
    os_version: String,
    hostname: Option<String>,
    #[serde(default)]
    secrets: Vec<String>,
    #[serde(default)]
    expect: BTreeMap<String, String>,
    /// One status for every check (a file no check may judge).
    all: Option<String>,
}

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/devices")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn checks() -> Checks<DeviceProbe> {
    Checks::device_builtin().expect("the shipped device checks")
}

#[test]
fn every_configuration_gives_the_expected_result_of_every_check() {
    let cases: Cases = toml::from_str(include_str!("devices_cases.toml")).expect("cases");
    let checks = checks();
    let ids: BTreeSet<&str> = checks.checks.iter().map(|c| c.id.as_str()).collect();
    let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for case in &cases.case {
        let bytes = fixture(&case.file);
        let config = DeviceConfig::parse(&case.file, &bytes, None);
        if case.all.is_none() {
            let named: BTreeSet<&str> = case.expect.keys().map(String::as_str).collect();
            assert_eq!(named, ids, "{}: the case must name every check", case.file);
        }
        for level in [2, 3] {
            let report = run_device(&checks, &config, level);
            assert_eq!(report.platform, Platform::Device);
            assert_eq!(report.root, case.file);
            assert_eq!(report.distro.id, case.os_id, "{}", case.file);
            assert_eq!(report.distro.version_id, case.os_version, "{}", case.file);
            if let Some(h) = &case.hostname {
                assert!(
                    report.distro.pretty_name.contains(h.as_str()),
                    "{}",
                    case.file
                );
            }
            verify_report(&report).unwrap_or_else(|e| panic!("{}: {e}", case.file));
            for r in &report.results {
                let want = case
                    .all
                    .as_ref()
                    .or_else(|| case.expect.get(&r.id))
                    .unwrap_or_else(|| panic!("{}: {} not expected", case.file, r.id));
                assert_eq!(
                    r.status.as_str(),
                    want,
                    "{} level {level}: {}: {}\n{:#?}",
                    case.file,
                    r.id,
                    r.reason,
                    r.evidence
                );
                seen.entry(r.id.clone())
                    .or_default()
                    .insert(r.status.as_str().to_string());
                if r.status == Status::Pass {
                    assert!(
                        !r.evidence.is_empty(),
                        "{}: {} passed without lines",
                        case.file,
                        r.id
                    );
                }
                assert!(
                    r.reason.contains(" / "),
                    "{}: {}: {}",
                    case.file,
                    r.id,
                    r.reason
                );
                evidence_points_at_the_file(case, &bytes, r);
            }
        }
    }
    // Each check is seen doing its job both ways.
    for id in &ids {
        let got = seen.get(*id).cloned().unwrap_or_default();
        assert!(
            got.contains("pass") && got.contains("fail"),
            "{id}: needs a passing and a failing configuration, has {got:?}"
        );
    }
}

/// Evidence names the file, and a line number whose line holds the text shown (secrets
/// masked); no secret of the file appears in evidence or reason.
fn evidence_points_at_the_file(case: &Case, bytes: &[u8], r: &dengbao_hostcheck::CheckResult) {
    let utf8 = std::str::from_utf8(bytes).ok();
    for e in &r.evidence {
        assert_eq!(e.path, case.file, "{}: {}", case.file, r.id);
        for s in &case.secrets {
            assert!(
                !e.text.contains(s.as_str()),
                "{}: {} shows a secret: {}",
                case.file,
                r.id,
                e.text
            );
        }
        if let (Some(text), Some(n)) = (utf8, e.line) {
            let line = text.lines().nth(n - 1).unwrap_or_default().trim();
            if e.text.contains("******") {
                let before = e.text.split("******").next().unwrap_or_default();
                assert!(
                    line.starts_with(before),
                    "{}:{n}: {line:?} vs {:?}",
                    case.file,
                    e.text
                );
            } else {
                assert_eq!(line, e.text, "{}:{n}", case.file);
            }
        }
    }
    for s in &case.secrets {
        assert!(
            !r.reason.contains(s.as_str()),
            "{}: {} reason shows a secret",
            case.file,
            r.id
        );
    }
}

#[test]
fn the_checks_name_items_of_their_level_fifteen_or_more_per_level() {
    let catalog = dengbao_controls::Catalog::builtin().expect("the control catalog");
    let checks = checks();
    for c in &checks.checks {
        assert!(c.id.starts_with("dev."), "{}", c.id);
        for (level, items) in &c.items {
            for id in items {
                let item = catalog
                    .get(id)
                    .unwrap_or_else(|| panic!("{}: {id} is not in the control catalog", c.id));
                assert_eq!(item.level.get(), *level, "{}: {id}", c.id);
                assert!(
                    ["CNS", "ABS", "CES", "SMC"].contains(&item.class.code()),
                    "{}: {id} is not a network, boundary, computing or management item",
                    c.id
                );
            }
        }
    }
    for level in [2, 3] {
        let n = checks.at_level(level).count();
        assert!(n >= 15, "level {level}: {n} device checks");
    }
}

#[test]
fn the_vendor_is_read_from_the_text_and_can_be_given() {
    let bytes = fixture("h3c-hardened.cfg");
    assert_eq!(
        DeviceConfig::parse("a", &bytes, None).vendor,
        Some(Vendor::H3c)
    );
    // Given, it is taken as given (the rules of that vendor are then applied).
    let forced = DeviceConfig::parse("a", &bytes, Vendor::from_key("huawei"));
    assert_eq!(forced.vendor, Some(Vendor::Huawei));
    assert_eq!(Vendor::from_key("juniper"), None);
    // VRP and Comware share their section marks: with only those, the vendor is not
    // guessed.
    let shared = "#\nsysname SW1\n#\nvlan 10\n#\nreturn\n";
    let c = DeviceConfig::parse("b", shared.as_bytes(), None);
    assert_eq!(c.vendor, None, "{}", c.why_en);
    let report = run_device(&checks(), &c, 3);
    assert!(report.results.iter().all(|r| r.status == Status::Unknown));
    assert!(
        report.results[0].reason.contains("--vendor"),
        "{}",
        report.results[0].reason
    );
}

/// Comware 7: a `line vty` without a setting takes its `line class vty`'s; its own wins.
#[test]
fn comware_vty_lines_take_their_class_settings() {
    let text = |class: &str, line: &str| {
        format!(
            "#\n version 7.1.064, Release 0427P22\n#\n sysname SW\n#\nline class vty\n{class}\n#\nline vty 0 63\n authentication-mode scheme\n{line}\n#\nreturn\n"
        )
    };
    let status = |t: String, id: &str| {
        let config = DeviceConfig::parse("sw.cfg", t.as_bytes(), None);
        let report = run_device(&checks(), &config, 3);
        let r = report.results.iter().find(|r| r.id == id).cloned();
        r.map(|r| r.status.as_str().to_string()).unwrap_or_default()
    };
    let ssh = "dev.mgmt.vty_ssh_only";
    assert_eq!(status(text(" protocol inbound ssh", ""), ssh), "pass");
    assert_eq!(status(text(" user-role network-operator", ""), ssh), "fail");
    let idle = "dev.auth.idle_timeout";
    assert_eq!(status(text(" idle-timeout 30 0", ""), idle), "fail");
    assert_eq!(
        status(text(" idle-timeout 30 0", " idle-timeout 5 0"), idle),
        "pass"
    );
    assert_eq!(
        status(text(" idle-timeout 5 0", " idle-timeout 0 0"), idle),
        "fail"
    );
}

/// IOS: `login block-for` or `aaa local authentication attempts max-fail`, either within 5.
#[test]
fn ios_login_failures_are_limited_either_way() {
    let status = |line: &str| {
        let text = format!(
            "version 15.2\nhostname R1\n!\n{line}\n!\nline vty 0 4\n transport input ssh\nend\n"
        );
        let config = DeviceConfig::parse("r1.cfg", text.as_bytes(), None);
        let report = run_device(&checks(), &config, 3);
        let r = report
            .results
            .iter()
            .find(|r| r.id == "dev.auth.login_failure")
            .cloned();
        r.map(|r| r.status.as_str().to_string()).unwrap_or_default()
    };
    assert_eq!(
        status("aaa local authentication attempts max-fail 3"),
        "pass"
    );
    assert_eq!(
        status("aaa local authentication attempts max-fail 10"),
        "fail"
    );
    assert_eq!(status("login block-for 120 attempts 3 within 60"), "pass");
    assert_eq!(status("service timestamps log datetime msec"), "fail");
}

#[test]
fn a_forged_device_report_is_refused() {
    let bytes = fixture("cisco-default.cfg");
    let config = DeviceConfig::parse("cisco-default.cfg", &bytes, None);
    let mut report = run_device(&checks(), &config, 3);
    verify_report(&report).expect("a genuine report");
    if let Some(r) = report.results.first_mut() {
        r.items.push("L3-PES1-01".into());
    }
    let e = verify_report(&report).unwrap_err().to_string();
    assert!(e.contains("items"), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic_and_never_pass(bytes in proptest::collection::vec(any::<u8>(), 0..2048), v in 0usize..4) {
        let vendor = [None, Some(Vendor::Huawei), Some(Vendor::H3c), Some(Vendor::Cisco)][v];
        let config = DeviceConfig::parse("garbage.bin", &bytes, vendor);
        let report = run_device(&checks(), &config, 3);
        for r in &report.results {
            prop_assert_ne!(r.status, Status::Pass, "{}: {}", r.id, r.reason);
        }
    }

    #[test]
    fn configuration_words_in_any_order_never_panic(lines in proptest::collection::vec(
        prop_oneof![
            Just("#".to_string()), Just("!".to_string()), Just(" #".to_string()),
            Just("user-interface vty 0 4".to_string()), Just("line vty 0 4".to_string()),
            Just(" acl 2000 inbound".to_string()), Just("  idle-timeout 99999999999999999999 0".to_string()),
            Just("banner motd ^C".to_string()), Just("header login %".to_string()),
            Just("interface Vlanif1".to_string()), Just(" traffic-filter inbound acl 3000".to_string()),
            Just("  ---- More ----\u{1b}[42D".to_string()), Just("\u{8}\u{8}x".to_string()),
            "[ -~]{0,40}",
        ], 0..60), v in 0usize..4) {
        let vendor = [None, Some(Vendor::Huawei), Some(Vendor::H3c), Some(Vendor::Cisco)][v];
        let text = lines.join("\n");
        let config = DeviceConfig::parse("words.cfg", text.as_bytes(), vendor);
        let _ = run_device(&checks(), &config, 2);
    }
}

/// A device check that cannot work is refused when the file loads, naming the check.
#[test]
fn a_broken_device_check_is_refused_naming_it() {
    let check = |probe: &str| {
        format!(
            "[[check]]\nid = \"dev.x\"\ntitle = \"t\"\ntitle_en = \"t\"\nitems = {{ 3 = [\"L3-CES1-03\"] }}\ncannot_see = \"甲 / a\"\n[check.probe]\n{probe}\n"
        )
    };
    let broken = [
        ("huawei = { kind = \"line\", pattern = '(' }", "pattern"),
        ("otherwise = { reason = \"甲 / a\" }", "no rule for any vendor"),
        ("cisco = { kind = \"number\", pattern = '^exec-timeout \\d+' }", "(?P<n>"),
        ("cisco = { kind = \"reference\", within = '^line vty', pattern = '^access-class (?P<name>\\S+)', defined = '^access-list ' }", "{name}"),
        ("h3c = { kind = \"number\", pattern = '^x (?P<n>\\d+)', if_absent = \"unknown\" }", "absent_reason"),
        ("h3c = { kind = \"telnet\", pattern = 'x' }", "telnet"),
    ];
    for (probe, names) in broken {
        let e = Checks::<DeviceProbe>::parse("devices.toml", &check(probe))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("devices.toml") && e.contains(names),
            "{probe}: {e}"
        );
    }
    let good = check("cisco = { kind = \"line\", pattern = '^ip ssh version 2$' }");
    assert!(Checks::<DeviceProbe>::parse("devices.toml", &good).is_ok());
}
