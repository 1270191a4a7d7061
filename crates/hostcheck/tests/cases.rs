//! The host checks on distribution trees (tests/cases.toml): each case builds a root from a
//! base as the distribution ships it plus an overlay, runs the level-3 checks with
//! `--root`, and compares the statuses named. Also: every `pass` carries the lines that
//! decided it, the checker leaves the tree exactly as it found it, and every item a check
//! names is a 安全计算环境 item of that level in the control catalog.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

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
    expect: BTreeMap<String, String>,
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
        let before = snapshot(dir.path());
        let host = Host::open(dir.path());
        assert!(!host.live);
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
        for r in &report.results {
            if r.status.as_str() == "pass" {
                assert!(
                    !r.evidence.is_empty(),
                    "{}: {} passed without evidence",
                    case.name,
                    r.id
                );
            }
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
