//! The host checks on distribution trees (tests/cases.toml): each case builds a root from a
//! base as the distribution ships it plus an overlay, runs the level-3 checks with
//! `--root` (or as the running host, `live`), and compares the statuses named and the
//! words their reasons must contain. Also: every check passes in one case and fails in
//! another, every tree is used, every `pass` carries the lines that decided it, every
//! reason is one `中文 / English` pair, the checker leaves the tree exactly as it found it,
//! and every item a check names is a 安全计算环境 item of that level in the control catalog.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use dengbao_hostcheck::rules::Proto;
use dengbao_hostcheck::{run, Checks, Host, Probe};
use serde::Deserialize;

#[derive(Deserialize)]
struct Cases {
    base: Vec<Base>,
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Base {
    name: String,
    files: Vec<File>,
}

#[derive(Deserialize, Clone)]
struct File {
    path: String,
    text: String,
    mode: Option<String>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    base: Option<String>,
    #[serde(default)]
    files: Vec<File>,
    /// Files of the base this case deletes (a service the distribution ships, removed).
    #[serde(default)]
    remove: Vec<String>,
    /// Read the tree as the running host (its /proc files are the fixture's): the only
    /// way to test what a mounted root cannot show.
    #[serde(default)]
    live: bool,
    expect: BTreeMap<String, String>,
    /// Words the reason of a check must contain (why it failed, what to change).
    #[serde(default)]
    reason: BTreeMap<String, String>,
}

fn build(root: &Path, files: &[File]) {
    for f in files {
        let at = root.join(f.path.trim_start_matches('/'));
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::fs::write(&at, &f.text).unwrap();
        let mode = u32::from_str_radix(f.mode.as_deref().unwrap_or("0644"), 8).unwrap();
        std::fs::set_permissions(&at, std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

/// Every file's path, mode, length and modification time under `root`.
fn snapshot(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            if m.is_dir() {
                stack.push(e.path());
            }
            out.push(format!(
                "{} {:o} {} {:?}",
                e.path().display(),
                m.permissions().mode(),
                m.len(),
                m.modified().ok()
            ));
        }
    }
    out.sort();
    out
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(2) == Some("0"))
        })
        .unwrap_or(false)
}

#[test]
fn distribution_trees_give_the_expected_results() {
    let cases: Cases = toml::from_str(include_str!("cases.toml")).expect("cases.toml");
    let checks = Checks::builtin().expect("the shipped checks");
    // Without root the tree's files belong to the test's user, so an owner check cannot
    // pass: those expectations are left out, and said so.
    let root_user = is_root();
    for case in &cases.case {
        let dir = tempfile::tempdir().unwrap();
        if let Some(b) = &case.base {
            let base = cases
                .base
                .iter()
                .find(|x| &x.name == b)
                .unwrap_or_else(|| panic!("no base {b}"));
            build(dir.path(), &base.files);
        }
        build(dir.path(), &case.files);
        for path in &case.remove {
            std::fs::remove_file(dir.path().join(path.trim_start_matches('/')))
                .unwrap_or_else(|e| panic!("{}: remove {path}: {e}", case.name));
        }
        let before = snapshot(dir.path());
        let mut host = Host::open(dir.path());
        assert!(!host.live);
        host.live = case.live;
        let report = run(&checks, &host, 3);
        assert_eq!(
            before,
            snapshot(dir.path()),
            "{}: the checker changed the tree",
            case.name
        );
        for (id, want) in &case.expect {
            let check = checks
                .checks
                .iter()
                .find(|c| &c.id == id)
                .unwrap_or_else(|| panic!("{}: no check {id}", case.name));
            if !root_user && matches!(check.probe, Probe::FileMode { owner: Some(_), .. }) {
                eprintln!("{}: {id} skipped (owner checks need root)", case.name);
                continue;
            }
            let r = report
                .results
                .iter()
                .find(|r| &r.id == id)
                .unwrap_or_else(|| panic!("{}: {id} did not run", case.name));
            assert_eq!(
                r.status.as_str(),
                want,
                "{}: {id}: {}\n{:#?}",
                case.name,
                r.reason,
                r.evidence
            );
        }
        for (id, words) in &case.reason {
            let r = report
                .results
                .iter()
                .find(|r| &r.id == id)
                .unwrap_or_else(|| panic!("{}: {id} did not run", case.name));
            assert!(
                r.reason.contains(words.as_str()),
                "{}: {id}: the reason does not say {words:?}: {}",
                case.name,
                r.reason
            );
        }
        for r in &report.results {
            if r.status.as_str() == "pass" {
                assert!(
                    !r.evidence.is_empty(),
                    "{}: {} passed without evidence",
                    case.name,
                    r.id
                );
            }
            // `中文 / English`, split once by the printers: one separator, Chinese
            // before it, none after.
            let cjk = |t: &str| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            let halves: Vec<&str> = r.reason.split(" / ").collect();
            assert!(
                halves.len() == 2 && cjk(halves[0]) && !cjk(halves[1]),
                "{}: {}: the reason is not `中文 / English`: {}",
                case.name,
                r.id,
                r.reason
            );
            for e in &r.evidence {
                assert!(
                    !e.text.contains("$y$") && !e.text.contains("$6$"),
                    "{}: {} leaks a password hash",
                    case.name,
                    r.id
                );
            }
        }
    }
}

/// Every check has at least one case where it passes and one where it fails, so a check
/// added without both (or one that can no longer pass or fail) fails CI.
#[test]
fn every_check_has_a_passing_and_a_failing_case() {
    let cases: Cases = toml::from_str(include_str!("cases.toml")).expect("cases.toml");
    let checks = Checks::builtin().expect("the shipped checks");
    let mut missing = Vec::new();
    for c in &checks.checks {
        for want in ["pass", "fail"] {
            let covered = cases
                .case
                .iter()
                .any(|k| k.expect.get(&c.id).map(String::as_str) == Some(want));
            if !covered {
                missing.push(format!("{} has no case where it should {want}", c.id));
            }
        }
    }
    for k in &cases.case {
        for id in k.expect.keys() {
            if !checks.checks.iter().any(|c| &c.id == id) {
                missing.push(format!("{}: {id} is not a check", k.name));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// Every distribution tree is used by a case, and the distributions the issue names are
/// all there, each recognised as its family from its own files.
#[test]
fn every_distribution_base_is_exercised() {
    let cases: Cases = toml::from_str(include_str!("cases.toml")).expect("cases.toml");
    for b in &cases.base {
        assert!(
            cases
                .case
                .iter()
                .any(|k| k.base.as_deref() == Some(&b.name)),
            "base {} is used by no case",
            b.name
        );
    }
    let mut ids = Vec::new();
    for b in &cases.base {
        let dir = tempfile::tempdir().unwrap();
        build(dir.path(), &b.files);
        let host = Host::open(dir.path());
        assert_ne!(host.distro.family, "unknown", "base {}", b.name);
        ids.push(host.distro.id.to_ascii_lowercase());
    }
    for id in [
        "debian",
        "ubuntu",
        "rocky",
        "centos",
        "openeuler",
        "kylin",
        "uos",
    ] {
        assert!(ids.iter().any(|i| i == id), "no base with ID={id}: {ids:?}");
    }
}

#[test]
fn every_item_named_is_a_computing_environment_item_of_its_level() {
    let catalog = dengbao_controls::Catalog::builtin().expect("the control catalog");
    let checks = Checks::builtin().expect("the shipped checks");
    for c in &checks.checks {
        for (level, items) in &c.items {
            for id in items {
                let item = catalog
                    .get(id)
                    .unwrap_or_else(|| panic!("{}: {id} is not in the control catalog", c.id));
                assert_eq!(item.level.get(), *level, "{}: {id}", c.id);
                assert_eq!(
                    item.class.code(),
                    "CES",
                    "{}: {id} is not 安全计算环境",
                    c.id
                );
            }
        }
    }
    // The issue's floor: 40 or more checks at levels 2 and 3.
    for level in [2, 3] {
        let n = checks.at_level(level).count();
        assert!(n >= 40, "level {level}: {n} checks");
    }
}

#[test]
fn a_broken_check_is_refused_naming_it() {
    let bad = r#"
[[check]]
id = "x.y"
title = "t"
title_en = "t"
items = { 3 = ["L2-CES1-01"] }
cannot_see = "a / b"
probe = { kind = "accounts", rule = "uid0_only_root" }
"#;
    let e = Checks::<Probe>::parse("test.toml", bad)
        .unwrap_err()
        .to_string();
    assert!(e.contains("x.y") && e.contains("L2-CES1-01"), "{e}");
    let unknown = bad.replace("accounts", "shell_command");
    assert!(
        Checks::<Probe>::parse("test.toml", &unknown).is_err(),
        "an unknown probe kind"
    );
    let good_items = bad.replace(r#"3 = ["L2-CES1-01"]"#, r#"3 = ["L3-CES1-18"]"#);
    for (probe, why) in [
        (
            r#"probe = { kind = "listening", ports = [{ proto = "tcp", port = 6063, to = 6000, service = "X11" }] }"#,
            "to < port",
        ),
        (
            r#"probe = { kind = "pam", services = ["common-auth"], stack = "auth", module = "pam_faillock.so", counting = "authfail" }"#,
            "credentials",
        ),
        (
            r#"probe = { kind = "pam", services = ["common-auth"], stack = "auth", module = "pam_faillock.so", fix = "only one language" }"#,
            "Chinese / English",
        ),
    ] {
        let text = good_items.replace(
            r#"probe = { kind = "accounts", rule = "uid0_only_root" }"#,
            probe,
        );
        let e = Checks::<Probe>::parse("test.toml", &text)
            .unwrap_err()
            .to_string();
        assert!(e.contains("x.y") && e.contains(why), "{e}");
    }
}

/// The checker on the machine running the tests (no root assumed), against what this test
/// reads from the same files itself: the uid-0 accounts of /etc/passwd and PASS_MAX_DAYS of
/// /etc/login.defs. A check may be `unknown` (not readable here) but never disagree.
#[test]
fn on_this_machine_the_checker_agrees_with_a_direct_reading() {
    let checks = Checks::builtin().unwrap();
    let host = Host::open(Path::new("/"));
    assert!(host.live);
    let report = run(&checks, &host, 3);
    let status = |id: &str| {
        report
            .results
            .iter()
            .find(|r| r.id == id)
            .unwrap()
            .status
            .as_str()
    };
    if let Ok(passwd) = std::fs::read_to_string("/etc/passwd") {
        let others_uid0 = passwd.lines().any(|l| {
            let f: Vec<&str> = l.split(':').collect();
            f.len() > 3 && f[2] == "0" && f[0] != "root"
        });
        let want = if others_uid0 { "fail" } else { "pass" };
        assert_eq!(status("access.uid0_only_root"), want);
    }
    if let Ok(defs) = std::fs::read_to_string("/etc/login.defs") {
        let value = defs
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .filter_map(|l| l.trim().strip_prefix("PASS_MAX_DAYS"))
            .filter_map(|v| v.trim().parse::<i64>().ok())
            .next_back();
        let want = match value {
            Some(d) if (1..=90).contains(&d) => "pass",
            _ => "fail",
        };
        assert_eq!(status("auth.pass_max_days"), want);
    }
    for r in &report.results {
        if r.status.as_str() == "pass" {
            assert!(!r.evidence.is_empty(), "{} passed without evidence", r.id);
        }
    }
}

/// On this machine, `intrusion.listening_services` against the test's own reading of the
/// kernel's socket tables: a listed port in LISTEN (TCP) or bound unconnected (UDP) on an
/// address other than loopback means `fail`, none means `pass`.
#[test]
fn on_this_machine_the_listening_check_agrees_with_a_direct_reading() {
    // The test decodes addresses as a little-endian kernel prints them.
    if !cfg!(target_endian = "little") {
        return;
    }
    let checks = Checks::builtin().unwrap();
    let check = checks
        .checks
        .iter()
        .find(|c| c.id == "intrusion.listening_services")
        .expect("the check");
    let Probe::Listening { ports } = &check.probe else {
        panic!("intrusion.listening_services reads sockets");
    };
    let mut exposed = Vec::new();
    for (file, proto) in [
        ("/proc/net/tcp", Proto::Tcp),
        ("/proc/net/tcp6", Proto::Tcp),
        ("/proc/net/udp", Proto::Udp),
        ("/proc/net/udp6", Proto::Udp),
    ] {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split_whitespace().collect();
            let (Some(local), Some(remote), Some(state)) = (f.get(1), f.get(2), f.get(3)) else {
                continue;
            };
            let (addr, port) = local.split_once(':').unwrap();
            let port = u16::from_str_radix(port, 16).unwrap();
            let listening = match proto {
                Proto::Tcp => *state == "0A",
                Proto::Udp => *state == "07" && remote.ends_with(":0000"),
            };
            // 127.0.0.0/8 prints as ..7F; ::1 and ::ffff:127.x as below.
            let loopback = (addr.len() == 8 && addr.ends_with("7F"))
                || addr == "00000000000000000000000001000000"
                || (addr.starts_with("0000000000000000FFFF0000") && addr.ends_with("7F"));
            if listening && !loopback && ports.iter().any(|p| p.covers(proto, port)) {
                exposed.push(format!("{file} {port}"));
            }
        }
    }
    let host = Host::open(Path::new("/"));
    let report = run(&checks, &host, 3);
    let r = report
        .results
        .iter()
        .find(|r| r.id == "intrusion.listening_services")
        .unwrap();
    if std::fs::metadata("/proc/net/tcp").is_err() {
        assert_eq!(r.status.as_str(), "unknown", "{}", r.reason);
        return;
    }
    let want = if exposed.is_empty() { "pass" } else { "fail" };
    assert_eq!(r.status.as_str(), want, "{exposed:?}: {}", r.reason);
    assert!(!r.evidence.is_empty());
}
