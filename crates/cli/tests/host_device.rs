//! `dengbao host check --device FILE` as an operator runs it on a switch's saved
//! configuration before an assessment: the JSON a script reads (the same shape as a
//! host's), the text in one language, the exit codes, and `host report --device` reaching
//! the server. The configurations are the hostcheck crate's fixtures.

use std::path::PathBuf;

use serde_json::Value;

mod common;

use common::dengbao;

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../hostcheck/tests/devices")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn a_saved_configuration_is_checked_with_its_lines_and_no_secret() {
    let file = fixture("cisco-default.cfg");
    let (code, out, err) = dengbao(&["host", "check", "--device", &file, "--json"]);
    assert_eq!(code, 0, "failed checks are results, not errors: {err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["platform"], "device");
    assert_eq!(report["host"]["os_id"], "cisco-ios");
    assert_eq!(report["host"]["os_version"], "12.2");
    assert_eq!(report["level"], 3);
    let result = |id: &str| common::check_result(&report, id);
    let plain = result("dev.auth.no_plaintext_password");
    assert_eq!(plain["result"], "fail");
    assert_eq!(
        plain["items"],
        serde_json::json!(["L3-CES1-01", "L3-CES1-28"])
    );
    let enable = &plain["evidence"][0];
    assert_eq!(enable["file"], file.as_str());
    assert_eq!(enable["line"], 16);
    assert_eq!(enable["text"], "enable password ******");
    assert!(
        !out.contains("cisco123") && !out.contains("Cisco@2015"),
        "a password leaked"
    );
    // An ACL applied on an interface but never defined filters nothing.
    let acl = result("dev.boundary.acl_applied");
    assert_eq!(acl["result"], "fail");
    assert!(
        acl["evidence"]
            .to_string()
            .contains("ip access-group 110 in"),
        "{acl}"
    );
    assert_eq!(
        result("dev.mgmt.telnet_server_off")["result"],
        "not_applicable"
    );

    // Level 2 names level-2 items.
    let (_, out2, _) = dengbao(&["host", "check", "--device", &file, "--level", "2", "--json"]);
    let report2: Value = serde_json::from_str(&out2).unwrap();
    assert!(report2["results"][0]["items"][0]
        .as_str()
        .unwrap()
        .starts_with("L2-"));

    let (code, text, _) = dengbao(&["--lang", "en", "host", "check", "--device", &file]);
    assert_eq!(code, 0);
    assert!(text.contains("[fail] dev.mgmt.vty_ssh_only"), "{text}");
    assert!(text.contains("Cisco IOS 12.2 (3560-FL2)"), "{text}");
    assert!(!text.contains("不通过"), "one language: {text}");
    let (_, zh, _) = dengbao(&["host", "check", "--device", &file]);
    assert!(zh.contains("[不通过] dev.mgmt.vty_ssh_only"), "{zh}");
}

#[test]
fn an_unrecognised_file_is_unknown_and_the_vendor_can_be_named() {
    let junos = fixture("junos-unrecognised.conf");
    let (code, out, _) = dengbao(&["host", "check", "--device", &junos, "--json"]);
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["host"]["os_id"], "unknown");
    assert_eq!(report["summary"]["pass"], 0);
    assert_eq!(
        report["summary"]["unknown"].as_u64().unwrap() as usize,
        report["results"].as_array().unwrap().len()
    );
    // The Comware file read with Huawei's rules, as asked.
    let h3c = fixture("h3c-hardened.cfg");
    let (code, out, _) = dengbao(&[
        "host", "check", "--device", &h3c, "--vendor", "huawei", "--json",
    ]);
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["host"]["os_id"], "huawei-vrp");
}

#[test]
fn a_file_or_vendor_the_checks_cannot_take_exits_2() {
    let (code, _, err) = dengbao(&["host", "check", "--device", "no-such-switch.cfg"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--device no-such-switch.cfg"), "{err}");
    let file = fixture("cisco-default.cfg");
    let (code, _, err) = dengbao(&["host", "check", "--device", &file, "--vendor", "juniper"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--vendor juniper"), "{err}");
}

#[test]
fn a_device_report_reaches_the_server_under_the_devices_own_name() {
    let s = common::served::served();
    let file = fixture("huawei-hardened.cfg");
    let (code, out, err) = dengbao(&[
        "host",
        "report",
        "--server",
        &s.url,
        "--token",
        &s.token,
        "--network",
        &s.net,
        "--device",
        &file,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("已提交 HZ-CORE-SW01 的主机检查（第三级）"),
        "{out}"
    );
    let stored = s.rt.block_on(s.store.host_reports(&s.net)).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        (stored[0].host.as_str(), stored[0].level),
        ("HZ-CORE-SW01", 3)
    );
    assert_eq!(stored[0].failed, 0, "the hardened switch fails no check");
}
