//! The incident register through the API: a 较大 leak of personal information at a level-3
//! network of an ordinary operator owes every report of its class at once; each send turns
//! its clock to met; the reports download as DOCX; bad input is refused naming the field
//! and writes nothing; another organisation's operator does not see the incident.

mod common;

use common::world;
use serde_json::{json, Value};

fn report<'a>(view: &'a Value, id: &str) -> &'a Value {
    view["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no report {id} in {view}"))
}

fn own(view: &Value) -> Vec<(String, String)> {
    view["reports"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["party"] == "operator")
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["state"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_relatively_major_leak_owes_its_reports_and_each_send_turns_its_clock_to_met() {
    let w = world().await;
    let base = format!("/api/networks/{}/incidents", w.net_a);

    // Bad input: a negative count is refused naming the field, and nothing is written.
    let bad = w
        .post_json(
            &base,
            "operator_a",
            json!({"title": "拖库", "detected_at": "2026-05-31T22:15:00+08:00",
                   "category": "data_security", "by": "张三",
                   "facts": {"personal_info_records": -1}}),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.json);
    assert!(
        bad.json.to_string().contains("personal_info_records"),
        "{}",
        bad.json
    );
    assert_eq!(w.count(&base, "operator_a").await, 0);

    let opened = w
        .post_json(
            &base,
            "operator_a",
            json!({"title": "会员数据库遭拖库", "detected_at": "2026-05-31T22:15:00+08:00",
                   "category": "data_security", "by": "张三",
                   "affected_data": "姓名、手机号码",
                   "facts": {"personal_info_records": 1000000}}),
        )
        .await;
    assert_eq!(opened.status, 201, "{}", opened.json);
    let v = &opened.json;
    assert_eq!(v["incident"]["grade"], "relatively_major");
    assert_eq!(v["grade_zh"], "较大");
    let id = v["incident"]["id"].as_str().unwrap().to_string();
    // The ordinary operator's initial report: 4 hours, to the provincial CAC.
    let initial = report(v, "cac-irm.other.provincial_cac");
    assert_eq!(initial["due"], "2026-06-01T02:15:00+08:00");
    assert_eq!(initial["state"], "overdue");
    assert_eq!(report(v, "mlps.police_24h")["hours"], 24);
    assert_eq!(report(v, "pipl.user_notice")["state"], "untimed");
    // The summary waits for the end of handling.
    assert_eq!(
        report(v, "cac-irm.summary")["waits_for"],
        "handling_ended_at"
    );

    // The logs of the network are on hold from opening.
    let holds = std::fs::read_dir(w._dir.path().join("logs").join("holds"))
        .unwrap()
        .count();
    assert_eq!(holds, 1);

    // Another organisation's operator does not see it, nor does an assessor not engaged
    // on the network; the supervisor of the operator may read it.
    let one = format!("{base}/{id}");
    assert_eq!(w.get(&one, "operator_b").await.status, 404);
    assert_eq!(w.get(&one, "assessor").await.status, 404);
    assert_eq!(w.get(&one, "supervisor").await.status, 200);

    // A send dated before the incident is refused naming the field.
    let early = w
        .post_json(
            &format!("{one}/reports"),
            "operator_a",
            json!({"report": "mlps.police_24h", "sent_at": "2026-05-31T20:00:00+08:00",
                   "by": "张三", "channel": "电话"}),
        )
        .await;
    assert_eq!(early.status, 422, "{}", early.json);
    assert!(early.json.to_string().contains("sent_at"), "{}", early.json);

    let graded = w
        .post_json(
            &format!("{one}/grade"),
            "operator_a",
            json!({"handling_ended_at": "2026-06-03T18:00:00+08:00", "by": "李四"}),
        )
        .await;
    assert_eq!(graded.status, 200, "{}", graded.json);
    assert_eq!(graded.json["incident"]["grade_status"], "confirmed");

    let mut last = graded.json.clone();
    for (rid, _) in own(&graded.json) {
        let at = if rid == "cac-irm.summary" {
            "2026-06-10T10:00:00+08:00"
        } else {
            "2026-05-31T23:00:00+08:00"
        };
        let r = w
            .post_json(
                &format!("{one}/reports"),
                "operator_a",
                json!({"report": rid, "sent_at": at, "by": "张三", "channel": "书面"}),
            )
            .await;
        assert_eq!(r.status, 201, "{rid}: {}", r.json);
        assert_eq!(report(&r.json, &rid)["state"], "met", "{rid}");
        last = r.json;
    }
    assert!(own(&last).iter().all(|(_, s)| s == "met"), "{last}");

    // Each report downloads as a DOCX.
    for kind in ["initial", "follow_up", "summary", "user_notice"] {
        let d = w
            .get(&format!("{one}/reports/{kind}.docx"), "operator_a")
            .await;
        assert_eq!(d.status, 200, "{kind}");
        assert!(d.bytes.starts_with(b"PK"), "{kind}");
    }
    assert_eq!(
        w.get(&format!("{one}/reports/other.docx"), "operator_a")
            .await
            .status,
        404
    );
    // The notice to the people affected names the handler's contact (个人信息保护法 第五十七条):
    // the responsible department and its contact as filed.
    let sup = w.user_ids[5].clone().unwrap();
    let filed = w
        .post_json(
            &format!("/api/networks/{}/filings", w.net_a),
            "operator_a",
            json!({"supervisor_id": sup, "submitted_on": "2026-05-20",
                   "form": {"responsible_department": "信息技术部", "contact": "李强",
                            "phone": "0755-88887777", "contact_email": "liqiang@jia.cn"}}),
        )
        .await;
    assert_eq!(filed.status, 201, "{}", filed.json);
    let notice = w
        .get(&format!("{one}/reports/user_notice.docx"), "operator_a")
        .await;
    let xml = {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&notice.bytes)).unwrap();
        let mut entry = zip.by_name("word/document.xml").unwrap();
        let mut out = String::new();
        std::io::Read::read_to_string(&mut entry, &mut out).unwrap();
        out
    };
    for part in ["信息技术部", "李强", "0755-88887777", "liqiang@jia.cn"] {
        assert!(xml.contains(part), "{part} not in the notice");
    }

    let closed = w
        .post_json(
            &format!("{one}/close"),
            "operator_a",
            json!({"closed_at": "2026-06-11T09:00:00+08:00", "by": "李四"}),
        )
        .await;
    assert_eq!(closed.status, 200, "{}", closed.json);
    assert_eq!(closed.json["incident"]["state"], "closed");

    // The log centre's evidence: a search and its export, linked to the incident.
    let r = w
        .post_json(
            &format!("{one}/logs"),
            "operator_a",
            json!({"query": "\"Failed password\" AND host:web01", "from": "2026-05-30T00:00:00+08:00",
                   "to": "2026-05-31T00:00:00+08:00", "export_file": "export-web01.jsonl.zst",
                   "export_sha256": "ab".repeat(32), "note": "暴力破解的来源地址"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let bad = w
        .post_json(
            &format!("{one}/logs"),
            "operator_a",
            json!({"query": "x", "export_file": "e.jsonl"}),
        )
        .await;
    assert_eq!(bad.status, 422, "an export without its hash: {}", bad.json);
    let links = w.get(&format!("{one}/logs"), "supervisor").await;
    assert_eq!(
        links.json.as_array().map(Vec::len),
        Some(1),
        "{}",
        links.json
    );

    // The hold stays after the close until a person releases it, with a reason.
    let holds = w._dir.path().join("logs").join("holds");
    let held = || std::fs::read_dir(&holds).map(|d| d.count()).unwrap_or(0);
    assert_eq!(held(), 1, "the closed incident still holds its logs");
    let r = w
        .post_json(
            &format!("{one}/release-hold"),
            "operator_a",
            json!({"reason": ""}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.json);
    assert_eq!(held(), 1);
    let r = w
        .post_json(
            &format!("{one}/release-hold"),
            "operator_a",
            json!({"reason": "公安机关已调取日志，调查结束"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(held(), 0, "the hold file is gone");
    let again = w
        .post_json(
            &format!("{one}/release-hold"),
            "operator_a",
            json!({"reason": "再次"}),
        )
        .await;
    assert_eq!(again.status, 422, "{}", again.json);
}
