//! `dengbao host check --windows DIR` and `host report --windows DIR` as an operator runs
//! them on the files exported from a Windows Server (the hostcheck crate's fixtures): the
//! same JSON as the Linux checks, text in one language, exit 2 for a directory that is
//! not there, and the report stored by the server as evidence.

use serde_json::Value;

mod common;

use common::dengbao;

fn exports(name: &str) -> String {
    format!(
        "{}/../hostcheck/tests/windows/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn exported_files_are_checked_with_the_lines_that_decided() {
    let dir = exports("server2016-default-zh");
    let (code, out, err) = dengbao(&["host", "check", "--windows", &dir, "--level", "2", "--json"]);
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["platform"], "windows");
    assert_eq!(report["host"]["os_id"], "windows");
    assert_eq!(
        report["host"]["os_version"],
        "Windows Server 2016 Datacenter 10.0.14393"
    );
    assert_eq!(report["level"], 2);
    let result = |id: &str| common::check_result(&report, id);
    let lockout = result("win.lockout.threshold");
    assert_eq!(lockout["result"], "fail");
    assert_eq!(lockout["items"], serde_json::json!(["L2-CES1-02"]));
    assert_eq!(lockout["evidence"][0]["file"], "secedit.inf");
    assert_eq!(lockout["evidence"][0]["text"], "LockoutBadCount = 0");
    // The Chinese-locale auditpol backup (GBK, 登录) is read by GUID.
    let logon = result("win.audit.logon");
    assert_eq!(logon["result"], "pass");
    assert!(
        logon["evidence"][0]["text"]
            .as_str()
            .unwrap()
            .contains("登录"),
        "{logon}"
    );
    let sum: u64 = report["summary"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(sum as usize, report["results"].as_array().unwrap().len());

    // Missing exports: unknown, naming the command that writes them; one language.
    let partial = exports("server2012r2-partial-zh");
    let (code, en, _) = dengbao(&["--lang", "en", "host", "check", "--windows", &partial]);
    assert_eq!(code, 0);
    assert!(
        en.contains("[unknown] win.audit.logon")
            && en.contains("run `auditpol /backup /file:auditpol.csv`"),
        "{en}"
    );
    assert!(
        en.contains("Windows Server 2012 R2 Standard 6.3.9600"),
        "{en}"
    );
    assert!(!en.contains("无法判断"), "one language: {en}");
    let (_, zh, _) = dengbao(&["host", "check", "--windows", &partial]);
    assert!(zh.contains("[不通过] win.os.supported_build"), "{zh}");
    assert!(zh.contains("请在该服务器上以管理员身份运行"), "{zh}");
}

#[test]
fn a_windows_directory_that_is_not_there_exits_2() {
    let (code, _, err) = dengbao(&["host", "check", "--windows", "/nonexistent/dengbao-exports"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--windows"), "{err}");
}

#[test]
fn a_windows_report_reaches_the_server_as_evidence() {
    let s = common::served::served();
    let dir = exports("server2022-partial");
    let send = |name: Option<&str>| {
        let mut args = vec![
            "host",
            "report",
            "--server",
            &s.url,
            "--token",
            &s.token,
            "--network",
            &s.net,
            "--windows",
            &dir,
        ];
        if let Some(n) = name {
            args.extend(["--host-name", n]);
        }
        dengbao(&args)
    };
    // A Windows export has no /etc/hostname: the name is asked for, nothing is sent.
    let (code, _, err) = send(None);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--host-name"), "{err}");
    let (code, out, err) = send(Some("db-02"));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("已提交 db-02 的主机检查（第三级）"), "{out}");
    let stored = s.rt.block_on(s.store.host_reports(&s.net)).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!((stored[0].host.as_str(), stored[0].level), ("db-02", 3));
    assert!(stored[0].failed > 0, "FTP and SNMP run, Defender is off");
}

/// The text is in one language (dengbao_i18n's lint) on every fixture, both ways; the
/// quoted lines of the exported files (`file:line: text`) are the server's own words and
/// left out.
#[test]
fn the_text_is_in_one_language() {
    for name in [
        "server2019-hardened-en",
        "server2016-default-zh",
        "server2022-partial",
        "server2012r2-partial-zh",
        "server2019-after-intrusion",
    ] {
        let dir = exports(name);
        for (flag, lang) in [
            ("zh-CN", dengbao_types::Lang::ZhCn),
            ("en", dengbao_types::Lang::En),
        ] {
            let (code, text, err) = dengbao(&["--lang", flag, "host", "check", "--windows", &dir]);
            assert_eq!(code, 0, "{err}");
            let ours: String = text
                .lines()
                .filter(|l| {
                    let quoted = l.strip_prefix("    ").and_then(|l| l.split(':').nth(1));
                    quoted.is_none_or(|n| n.parse::<usize>().is_err())
                })
                .map(|l| format!("{l}\n"))
                .collect();
            let bad = dengbao_i18n::lint::findings(&ours, lang);
            assert!(bad.is_empty(), "{name} {flag}: {bad:#?}");
        }
    }
}
