//! `dengbao training records` against the real server started in-process (decision 1502):
//! the engaged assessor reads a network's sessions, each saying whether it covered every key
//! post; `--json` gives the API's answer; a wrong token exits 1 with the reason.

mod common;

use std::process::Command;

fn dengbao(lang: &str, args: &[&str]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dengbao"));
    cmd.env_remove("DENGBAO_TOKEN")
        .env_remove("DENGBAO_DATABASE_URL")
        .args(["--lang", lang, "training", "records"])
        .args(args);
    common::outcome(cmd.output().unwrap())
}

#[test]
fn the_assessor_reads_the_sessions_and_which_met_the_duty() {
    let s = common::served::served();
    s.rt.block_on(async {
        let org = s.store.network_org(&s.net).await.unwrap().unwrap();
        let mut ids = Vec::new();
        for (name, key) in [("李明", true), ("张华", true)] {
            let p = s
                .store
                .add_staff(
                    "test",
                    &org,
                    dengbao_store::StaffInput {
                        name: name.into(),
                        position: "安全管理员".into(),
                        key_post: key,
                    },
                )
                .await
                .unwrap();
            s.store
                .set_key_post(
                    "test",
                    &s.net,
                    dengbao_store::KeyPostInput {
                        staff_id: p.id.clone(),
                        post: "安全管理员".into(),
                    },
                )
                .await
                .unwrap();
            ids.push(p.id);
        }
        for (held_on, attendees) in [
            ("2026-03-10", ids.clone()),
            ("2026-04-02", vec![ids[0].clone()]),
        ] {
            s.store
                .add_training_session(
                    "test",
                    &s.net,
                    dengbao_store::SessionInput {
                        held_on: held_on.into(),
                        topic: "等级保护制度培训".into(),
                        hours: 2.5,
                        trainer: "王工".into(),
                        attendees,
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
        }
    });
    let server = ["--server", &s.url, "--token", &s.token, "--network", &s.net];
    let (code, out, err) = dengbao("zh-CN", &server);
    assert_eq!(code, 0, "{err}");
    let (sessions, hours) = out.split_once("\n\n").unwrap_or((&out, ""));
    let lines: Vec<&str> = sessions.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    // 李明 attended both sessions (2.5 h each), 张华 one.
    let hours: Vec<&str> = hours.lines().skip(1).collect();
    assert_eq!(
        hours,
        vec!["2026 张华 2.5 学时（1 次）", "2026 李明 5 学时（2 次）"],
        "{out}"
    );
    assert!(
        lines[0].starts_with("2026-04-02") && lines[0].contains("未覆盖全部关键岗位"),
        "{out}"
    );
    assert!(
        lines[1].starts_with("2026-03-10")
            && lines[1].contains("计入培训义务")
            && lines[1].contains("2.5 学时"),
        "{out}"
    );

    let (code, out, _) = dengbao("en", &server);
    assert_eq!(code, 0);
    assert!(out.contains("covered every key post"), "{out}");
    assert!(out.contains("2026 「李明」 5 h (2 sessions)"), "{out}");

    let mut json_args = server.to_vec();
    json_args.push("--json");
    let (code, out, _) = dengbao("en", &json_args);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);

    let (code, _, err) = dengbao(
        "en",
        &[
            "--server",
            &s.url,
            "--token",
            "dbk_wrong",
            "--network",
            &s.net,
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("token"), "{err}");
}

/// `dengbao training work-plan` prints the 2017 plan's 13 points, each with the articles it
/// relates to in the law's own form; `--json` gives the same points as data.
#[test]
fn the_work_plan_prints_its_thirteen_points() {
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_dengbao"))
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let points = dengbao_training::work_plan::points().unwrap();
    let text = run(&["training", "work-plan"]);
    for p in &points {
        assert!(text.contains(&format!("{:>2}. ", p.number)), "{}", p.id);
    }
    assert!(text.contains("《网络安全法》第十九条"), "{text}");
    let json: Vec<serde_json::Value> =
        serde_json::from_str(&run(&["training", "work-plan", "--json"])).unwrap();
    assert_eq!(json.len(), 13);
    assert_eq!(json[3]["csl"], serde_json::json!(points[3].csl));
    let en = run(&["--lang", "en", "training", "work-plan"]);
    assert!(en.contains("Cybersecurity Law art. 19"), "{en}");
}
