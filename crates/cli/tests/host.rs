//! `dengbao host check` as an operator runs it before an assessment: on a mounted root
//! (`--root`), the JSON a script reads, the text in one language, and the exit codes.

use serde_json::Value;

mod common;

use common::dengbao;

/// A small RHEL-family root: lockout through pam_faillock (preauth, and authfail on the
/// failure path), root over SSH allowed.
fn rhel_root() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "etc/os-release",
            "ID=\"rocky\"\nVERSION_ID=\"9.4\"\nPRETTY_NAME=\"Rocky Linux 9.4 (Blue Onyx)\"\n",
        ),
        (
            "etc/pam.d/system-auth",
            "auth required pam_faillock.so preauth silent deny=5\nauth sufficient pam_unix.so\n\
             auth required pam_faillock.so authfail deny=5\nauth required pam_deny.so\n",
        ),
        ("etc/pam.d/password-auth", "auth include system-auth\n"),
        ("etc/ssh/sshd_config", "PermitRootLogin yes\n"),
    ];
    for (path, text) in files {
        let at = dir.path().join(path);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::fs::write(at, text).unwrap();
    }
    dir
}

#[test]
fn a_mounted_root_is_checked_with_its_evidence_lines() {
    let root = rhel_root();
    let r = root.path().to_str().unwrap();
    let (code, out, err) = dengbao(&["host", "check", "--root", r, "--level", "3", "--json"]);
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    // The interface: host.os_id / os_version, results[].check / result, evidence[].file.
    assert_eq!(report["host"]["family"], "rhel");
    assert_eq!(report["host"]["os_id"], "rocky");
    assert_eq!(report["host"]["os_version"], "9.4");
    assert_eq!(report["level"], 3);
    assert_eq!(report["live"], false);
    let result = |id: &str| common::check_result(&report, id);
    let lockout = result("auth.lockout_rhel");
    assert_eq!(lockout["result"], "pass");
    assert_eq!(lockout["items"], serde_json::json!(["L3-CES1-02"]));
    assert_eq!(lockout["evidence"][0]["file"], "/etc/pam.d/system-auth");
    assert_eq!(lockout["evidence"][0]["line"], 1);
    let root_login = result("access.ssh_root_login");
    assert_eq!(root_login["result"], "fail");
    assert_eq!(root_login["evidence"][0]["text"], "PermitRootLogin yes");
    // A running-state fact under --root is unknown, not failed.
    assert_eq!(result("intrusion.aslr")["result"], "unknown");
    let sum: u64 = report["summary"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(sum as usize, report["results"].as_array().unwrap().len());

    let (code, text, _) = dengbao(&["--lang", "en", "host", "check", "--root", r]);
    assert_eq!(code, 0);
    assert!(text.contains("[fail] access.ssh_root_login"), "{text}");
    assert!(
        text.contains("/etc/ssh/sshd_config:1: PermitRootLogin yes"),
        "{text}"
    );
    assert!(!text.contains("不通过"), "one language: {text}");
    let (_, zh, _) = dengbao(&["host", "check", "--root", r]);
    assert!(zh.contains("[不通过] access.ssh_root_login"), "{zh}");
}

#[test]
fn a_level_or_root_the_checks_cannot_take_exits_2() {
    let (code, _, err) = dengbao(&["host", "check", "--level", "5"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--level 5"), "{err}");
    let (code, _, err) = dengbao(&["host", "check", "--root", "/nonexistent/dengbao-root"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--root"), "{err}");
}

#[test]
fn a_host_report_reaches_the_server_as_evidence_at_the_networks_level() {
    let s = common::served::served();
    let root = rhel_root();
    let r = root.path().to_str().unwrap();
    let report = |net: &str, token: &str| {
        dengbao(&[
            "host",
            "report",
            "--server",
            &s.url,
            "--token",
            token,
            "--network",
            net,
            "--root",
            r,
            "--host-name",
            "db-01",
        ])
    };
    let (code, out, err) = report(&s.net, &s.token);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("已提交 db-01 的主机检查（第三级）"), "{out}");
    assert!(out.contains("待审核"), "{out}");
    let stored = s.rt.block_on(s.store.host_reports(&s.net)).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!((stored[0].host.as_str(), stored[0].level), ("db-01", 3));
    assert!(stored[0].failed > 0, "PermitRootLogin yes fails");

    // An ungraded network has no level to check at: exit 2, nothing sent.
    let (code, _, err) = report(&s.ungraded, &s.token);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("尚未定级"), "{err}");
    // A refused token: exit 1, said so.
    let (code, _, err) = report(&s.net, "dbk_not-a-token");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("令牌无效"), "{err}");
    assert_eq!(
        s.rt.block_on(s.store.host_reports(&s.net)).unwrap().len(),
        1
    );
}
