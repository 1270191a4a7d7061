//! Bad profiles fail with a message that names the field.

use dengbao_duties::Profile;

fn err(text: &str) -> String {
    match Profile::from_toml_str(text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn errors_name_the_field() {
    let cases = [
        ("[network]\nlevel = 6\n", "network.level: 6"),
        ("[network]\nlevel = 0\n", "network.level: 0"),
        ("[network]\nstage = \"running\"\n", "network.level"),
        ("[network]\nlevel = 2\nlevle = 3\n", "network"),
        ("[network]\nlevel = 2\nstage = \"live\"\n", "network.stage"),
        ("[network]\nlevel = 2\nclassified = \"secrett\"\n", "network.classified"),
        ("[network]\nlevel = 2\nservices = [\"email\"]\n", "network.services"),
        ("[network]\nlevel = 2\n[events]\ngraded = \"2026-02-30\"\n", "events.graded"),
        ("[network]\nlevel = 2\n[events]\ngraded = \"yesterday\"\n", "events.graded"),
        ("[network]\nlevel = 2\n[events]\ngradd = \"2026-02-10\"\n", "events.gradd"),
        ("[network]\nlevel = 2\n[[evidence]]\nduty = \"mlps.filing\"\nwhen = \"2026-13-01\"\n", "evidence[0].when"),
        ("[network]\nlevel = 2\n[[evidence]]\nduty = \"mlps.filing\"\nwhen = \"2026-01-01\"\nexpires = \"2026-02-29\"\n", "evidence[0].expires"),
        ("[network]\n[grading]\nbusiness = { object = \"rights\" }\nservice = { object = \"rights\", degree = \"harm\" }\n", "grading.business"),
        ("[network]\nlevel = 2\n[extra]\nx = 1\n", "extra"),
        ("[network]\nlevel = 2\nprevious_level = 7\n", "network.previous_level"),
        ("[network]\nlevel = 2\npersonal_info_people = -1\n", "network.personal_info_people"),
        ("[network]\nlevel = 2\nimportant_data = \"yes\"\n", "network.important_data"),
        ("[network]\nlevel = 2\n[[breach]]\nduty = \"mlps.data_limits\"\nwhen = \"2026-02-30\"\n", "breach[0].when"),
        ("[network]\nlevel = 2\noperator_class = \"ministry\"\n", "network.operator_class"),
        ("[network]\nlevel = 2\ncii = true\noperator_class = \"state_organ\"\n", "network.operator_class"),
        ("[network]\nlevel = 2\noperator_class = \"cii\"\n", "network.operator_class"),
    ];
    for (text, field) in cases {
        let e = err(text);
        assert!(e.contains(field), "{field:?} not named in {e:?}");
    }
}

#[test]
fn unknown_key_names_the_key() {
    let e = err("[network]\nlevel = 2\nlevle = 3\n");
    assert!(e.contains("levle"), "{e}");
}

#[test]
fn toml_dates_and_rfc3339_times_are_accepted() {
    let p = Profile::from_toml_str(
        "[network]\nlevel = 2\n[events]\ngraded = 2026-02-10\nincident_detected = \"2026-03-01T09:30:00+08:00\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        p.event("graded").map(|t| t.to_string()).as_deref(),
        Some("2026-02-10")
    );
    assert_eq!(
        p.event("incident_detected")
            .map(|t| t.to_string())
            .as_deref(),
        Some("2026-03-01T09:30:00+08:00")
    );
}

#[test]
fn json_profiles_parse_the_same_and_round_trip() {
    let toml_p = Profile::from_toml_str(
        "[network]\nlevel = 3\ncii = true\nservices = [\"telephony\"]\n[events]\ngraded = \"2026-02-10\"\n",
    )
    .unwrap();
    let json = serde_json::to_string(&toml_p).unwrap();
    let back = Profile::from_json_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert_eq!(back.level, toml_p.level);
    assert_eq!(back.event("graded"), toml_p.event("graded"));
    let bad = Profile::from_json_str(r#"{"network": {"level": 6}}"#)
        .unwrap_err()
        .to_string();
    assert!(bad.contains("network.level"), "{bad}");
}

#[test]
fn grading_fills_in_a_missing_level() {
    let p = Profile::from_toml_str(
        "[network]\n[grading]\nbusiness = { object = \"national\", degree = \"serious\" }\nservice = { object = \"rights\", degree = \"harm\" }\n",
    )
    .unwrap();
    assert_eq!(p.level.get(), 4);
    assert!(p.graded.is_some());
}

/// A breach is recorded against a prohibition of the catalog; an unmet positive duty is
/// judged by its deadline instead.
#[test]
fn breaches_name_a_prohibition_of_the_catalog() {
    let catalog = dengbao_duties::Catalog::builtin().unwrap_or_else(|e| panic!("{e}"));
    let check = |duty: &str| {
        let p = Profile::from_toml_str(&format!(
            "[network]\nlevel = 2\n[[breach]]\nduty = \"{duty}\"\nwhen = \"2026-03-01\"\n"
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        catalog.check_profile(&p).map_err(|e| e.to_string())
    };
    assert!(check("mlps.data_limits").is_ok());
    let e = check("mlps.filing").unwrap_err();
    assert!(
        e.contains("breach[0].duty") && e.contains("not a prohibition"),
        "{e}"
    );
    let e = check("mlps.nope").unwrap_err();
    assert!(e.contains("breach[0].duty") && e.contains("no duty"), "{e}");
}

#[test]
fn operator_class_follows_cii_when_absent_and_is_kept_when_given() {
    use dengbao_duties::OperatorClass;
    let class = |text: &str| {
        Profile::from_toml_str(text)
            .map(|p| p.operator_class)
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert_eq!(
        class("[network]\nlevel = 3\ncii = true\n"),
        OperatorClass::Cii
    );
    assert_eq!(class("[network]\nlevel = 2\n"), OperatorClass::Other);
    assert_eq!(
        class("[network]\nlevel = 2\noperator_class = \"state_organ\"\n"),
        OperatorClass::StateOrgan
    );
    // The message is in both languages and lists what is allowed.
    let e = err("[network]\nlevel = 2\noperator_class = \"ministry\"\n");
    assert!(
        e.contains("未知的运营者类别") && e.contains("unknown operator class"),
        "{e}"
    );
    assert!(e.contains("state_organ"), "{e}");
}
