//! People and training records through the API (decision 1502): a level-3 CII network's
//! training duty (网络安全法 第三十四条第（二）项) is met by a session covering its key posts
//! and owed again the next cycle; a session that misses a key post does not meet it; bad
//! input is refused naming the field; another organisation's operator sees nothing.

mod common;

use common::world;
use serde_json::{json, Value};

fn duty<'a>(duties: &'a Value, id: &str) -> &'a Value {
    duties
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == id)
        .unwrap_or_else(|| panic!("no duty {id}"))
}

#[tokio::test]
async fn training_of_the_key_posts_meets_the_cii_duty_until_the_next_cycle() {
    let w = world().await;
    let profile = serde_json::from_value(json!({
        "name": "电力调度控制系统", "level": 3, "stage": "running", "cii": true,
    }))
    .unwrap();
    let net = w
        .store
        .create_network("test", &w.org_a, profile)
        .await
        .unwrap()
        .id;
    w.store
        .add_event(
            "test",
            &net,
            dengbao_store::EventInput {
                kind: "launched".into(),
                at: "2025-06-01".into(),
                note: String::new(),
            },
        )
        .await
        .unwrap();
    let staff = format!("/api/organisations/{}/staff", w.org_a);
    let sessions = format!("/api/networks/{net}/training-sessions");
    let key_posts = format!("/api/networks/{net}/key-posts");
    let duties = format!("/api/networks/{net}/duties");

    let mut ids = Vec::new();
    for (name, position, key) in [
        ("李明", "系统管理员", true),
        ("张华", "安全管理员", true),
        ("陈静", "运维值班员", false),
    ] {
        let r = w
            .post_json(
                &staff,
                "operator_a",
                json!({"name": name, "position": position, "key_post": key}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.json);
        ids.push(r.json["id"].as_str().unwrap().to_string());
    }
    for (who, post) in [(&ids[0], "系统管理员"), (&ids[1], "安全管理员")] {
        let r = w
            .post_json(
                &key_posts,
                "operator_a",
                json!({"staff_id": who, "post": post}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.json);
    }
    // 陈静 holds no key post: refused naming the field.
    let r = w
        .post_json(
            &key_posts,
            "operator_a",
            json!({"staff_id": ids[2], "post": "值班员"}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.json);
    assert!(r.json.to_string().contains("staff_id"), "{}", r.json);

    let session = |held_on: &str, attendees: &[&String]| {
        json!({"held_on": held_on, "topic": "关键信息基础设施安全保护条例解读", "hours": 3.0,
               "trainer": "省网络安全协会 王工", "attendees": attendees,
               "link": "https://intranet.example.cn/training/2026.pdf"})
    };
    // Missing the security administrator: recorded, but the duty stays owed.
    let r = w
        .post_json(
            &sessions,
            "operator_a",
            session("2026-02-03", &[&ids[0], &ids[2]]),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!(r.json["event_id"], Value::Null);
    // A year after launch with no covering session: late the day after.
    let early = w
        .get(&format!("{duties}?at=2026-06-02"), "operator_a")
        .await
        .json;
    let d = duty(&early, "csl.cii.training");
    assert_eq!(d["status"], "overdue", "{d}");
    assert_eq!(d["due"], "2026-06-01", "{d}");

    let r = w
        .post_json(
            &sessions,
            "operator_a",
            session("2026-03-10", &[&ids[0], &ids[1], &ids[2]]),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let met = w
        .get(&format!("{duties}?at=2026-06-01"), "operator_a")
        .await
        .json;
    let d = duty(&met, "csl.cii.training");
    assert_eq!(d["status"], "met", "{d}");
    assert_eq!(d["due"], "2027-03-10", "{d}");
    // The next cycle: a year after the training it is owed again.
    let next = w
        .get(&format!("{duties}?at=2027-04-01"), "operator_a")
        .await
        .json;
    assert_eq!(duty(&next, "csl.cii.training")["status"], "overdue");

    let r = w
        .post_json(&sessions, "operator_a", session("2999-01-01", &[&ids[0]]))
        .await;
    assert_eq!(r.status, 422, "{}", r.json);
    assert!(r.json.to_string().contains("held_on"), "{}", r.json);
    assert_eq!(w.count(&sessions, "operator_a").await, 2);

    let hours = w
        .get(
            &format!("/api/organisations/{}/training-hours", w.org_a),
            "auditor",
        )
        .await
        .json;
    let li = hours
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["name"] == "李明" && h["year"] == 2026)
        .unwrap();
    assert_eq!(li["hours"], 6.0, "{hours}");
    assert_eq!(li["sessions"], 2, "{hours}");

    // 李明's certificate runs out on 2026-07-15: due on 2026-06-01 (the 60 days of the data),
    // overdue after it.
    let r = w
        .post_json(
            &format!("/api/organisations/{}/certificates", w.org_a),
            "operator_a",
            json!({"staff_id": ids[0], "name": "注册信息安全专业人员（CISP）",
                   "number": "CISP-2023-0815", "issuer": "中国信息安全测评中心",
                   "expires_on": "2026-07-15"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let alerts = format!("/api/organisations/{}/certificate-alerts", w.org_a);
    for (at, status) in [
        ("2026-04-01", None),
        ("2026-06-01", Some("due")),
        ("2026-07-16", Some("overdue")),
    ] {
        let a = w.get(&format!("{alerts}?at={at}"), "operator_a").await.json;
        let got = a
            .as_array()
            .unwrap()
            .first()
            .map(|x| x["status"].as_str().unwrap().to_string());
        assert_eq!(got.as_deref(), status, "{at}: {a}");
    }
    // The workbook for an assessor (read here by the auditor, who reads every network): the
    // sessions, hours, people and certificates.
    let xlsx = w
        .get(
            &format!("/api/networks/{net}/training/records.xlsx"),
            "auditor",
        )
        .await;
    assert_eq!(xlsx.status, 200);
    let strings = shared_strings(&xlsx.bytes);
    for want in [
        "培训记录",
        "每人每年培训学时",
        "关键信息基础设施安全保护条例解读",
        "张华、李明、陈静",
        "注册信息安全专业人员（CISP）（2026-07-15）",
    ] {
        assert!(
            strings.contains(want),
            "{want} not in the workbook: {strings}"
        );
    }
    assert_eq!(w.get(&sessions, "operator_b").await.status, 404);
    assert_eq!(w.get(&staff, "operator_b").await.status, 404);
    assert_eq!(w.count(&staff, "auditor").await, 3);
}

/// The shared strings of an XLSX (every text cell).
fn shared_strings(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut entry = zip.by_name("xl/sharedStrings.xml").expect("shared strings");
    let mut out = String::new();
    std::io::Read::read_to_string(&mut entry, &mut out).expect("UTF-8 XML");
    out
}

/// The status of 持证上岗 (`mlps.l3.certificates`) as the API's duties give it on a day.
async fn cert_duty(w: &common::World, net: &str, at: &str) -> Value {
    let all = w
        .get(&format!("/api/networks/{net}/duties?at={at}"), "operator_a")
        .await
        .json;
    duty(&all, "mlps.l3.certificates").clone()
}

/// 持证上岗 through the API's duties (decision 1505): the security administrator's certificate
/// expiring 2027-01-20 is due from 2026-11-21 and overdue from 2027-01-21; a renewal makes the
/// duty met; a certificate of someone holding no key post of the network changes nothing; a
/// level-2 network has no such duty.
#[tokio::test]
async fn a_key_post_certificate_is_due_before_it_expires_and_met_once_renewed() {
    let w = world().await;
    let create = |name: &str, level: u8| {
        let profile = serde_json::from_value(
            json!({"name": name, "level": level, "stage": "running", "cii": false}),
        )
        .unwrap();
        let store = w.store.clone();
        let org = w.org_a.clone();
        async move {
            store
                .create_network("test", &org, profile)
                .await
                .unwrap()
                .id
        }
    };
    let net = create("社保业务系统", 3).await;
    let small = create("单位门户网站", 2).await;
    let staff = format!("/api/organisations/{}/staff", w.org_a);
    let certs = format!("/api/organisations/{}/certificates", w.org_a);
    let mut ids = Vec::new();
    for name in ["王强", "赵敏"] {
        let r = w
            .post_json(
                &staff,
                "operator_a",
                json!({"name": name, "position": "安全管理员", "key_post": true}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.json);
        ids.push(r.json["id"].as_str().unwrap().to_string());
    }
    for n in [&net, &small] {
        let r = w
            .post_json(
                &format!("/api/networks/{n}/key-posts"),
                "operator_a",
                json!({"staff_id": ids[0], "post": "安全管理员"}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.json);
    }
    let certify = |who: &str, expires_on: &str| {
        json!({"staff_id": who, "name": "CISP", "issuer": "中国信息安全测评中心",
               "expires_on": expires_on})
    };
    let r = w
        .post_json(&certs, "operator_a", certify(&ids[0], "2027-01-20"))
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    // 赵敏 holds no key post of these networks: her lapsed certificate is not theirs.
    let r = w
        .post_json(&certs, "operator_a", certify(&ids[1], "2026-01-31"))
        .await;
    assert_eq!(r.status, 201, "{}", r.json);

    let d = cert_duty(&w, &net, "2026-11-20").await;
    assert_eq!(d["status"], "met", "{d}");
    let d = cert_duty(&w, &net, "2026-11-21").await;
    assert_eq!(
        (&d["status"], &d["due"]),
        (&json!("due"), &json!("2027-01-20")),
        "{d}"
    );
    let cited = &d["citations"][0];
    assert_eq!(
        (&cited["law"], &cited["article"], &cited["item"]),
        (&json!("mlps"), &json!(21), &json!(3)),
        "{d}"
    );
    let d = cert_duty(&w, &net, "2027-01-21").await;
    assert_eq!(
        (&d["status"], &d["due"]),
        (&json!("overdue"), &json!("2027-01-20")),
        "{d}"
    );
    let d = cert_duty(&w, &small, "2027-01-21").await;
    assert_eq!(d["status"], "not_applicable", "{d}");

    let r = w
        .post_json(&certs, "operator_a", certify(&ids[0], "2030-01-19"))
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let d = cert_duty(&w, &net, "2027-01-21").await;
    assert_eq!(d["status"], "met", "{d}");
}
