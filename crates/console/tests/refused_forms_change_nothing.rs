//! Issue 16, "for each form, a failing submission is shown to leave the stores unchanged":
//! every form of the console, submitted with a value it must refuse, answers 4xx and writes
//! nothing. What proves "nothing": every write path commits its audit entry in the same
//! transaction (the store's invariant, ARCHITECTURE.md), so an unchanged audit log and
//! unchanged networks, events, evidence, filings and incidents mean an unchanged store.
//! Not here: a refused sign-in, which records the failure by design (the rate limit and the
//! audit of failed sign-ins), and forms whose only input is the URL (disable, enable,
//! revoke, begin), which cannot be submitted wrongly.

mod common;

use common::App;

async fn snapshot(app: &App, net: &str) -> String {
    let s = &app.store;
    s.flush_anonymous_denials().await.unwrap();
    let audit = s.audit_entries(0, 100_000).await.unwrap();
    let mut out = format!("audit {}\n", audit.len());
    out += &format!("{:?}\n", s.get_network(net).await.unwrap().profile);
    out += &format!("{:?}\n", s.list_events(net).await.unwrap());
    out += &format!("{:?}\n", s.list_evidence(net).await.unwrap());
    out += &format!("{:?}\n", s.list_filings(net).await.unwrap());
    out += &format!(
        "{:?}\n",
        s.list_networks(&dengbao_store::OrgScope::All, None)
            .await
            .unwrap()
            .len()
    );
    out += &format!(
        "{:?}\n",
        s.list_orgs(&dengbao_store::OrgScope::All)
            .await
            .unwrap()
            .len()
    );
    out
}

#[tokio::test]
async fn every_form_refuses_a_bad_value_and_writes_nothing() {
    let app = App::new().await;
    let mut admin = app.set_up().await;
    let net = app
        .network_with_events(
            serde_json::json!({"name": "会员服务平台", "level": 3, "stage": "running"}),
            &[("launched", "2026-03-01")],
        )
        .await;
    let n = net.id.clone();
    let event = app.store.list_events(&n).await.unwrap()[0].id.clone();
    let evidence = app
        .store
        .add_evidence(
            "test",
            &n,
            dengbao_store::EvidenceInput {
                duty_id: "mlps.assessment.yearly".into(),
                description: "测评报告".into(),
                file_name: Some("r.pdf".into()),
                ..Default::default()
            },
            Some(b"%PDF-1.4 report"),
        )
        .await
        .unwrap()
        .id;
    let incident = common::incident(&app.store, &n, false).await;
    let pi = app
        .store
        .add_pi_request(
            "test",
            &n,
            dengbao_store::NewPiRequest {
                kind: "delete".into(),
                requester_ref: "工单 7".into(),
                received_at: "2026-11-02".into(),
            },
        )
        .await
        .unwrap()
        .id;
    let report = common::host_report(&app.store, &n, "web-01").await;
    let victim = common::user_with_password(
        &app.store,
        "王五",
        dengbao_store::Role::Operator,
        vec![app.first_org().await],
        "a long enough passphrase",
    )
    .await;
    let org = app.first_org().await;
    let bad_date = "2026-02-30";
    let forms: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            "/networks/new".into(),
            vec![("org_id", &org), ("name", ""), ("stage", "running")],
        ),
        (
            format!("/networks/{n}/edit"),
            vec![
                ("name", "会员服务平台"),
                ("stage", "running"),
                ("classified", "none"),
                ("level", "3"),
                ("personal_info_people", "-5"),
            ],
        ),
        (
            format!("/networks/{n}/grading"),
            vec![
                ("basis", "gbt22240-2020"),
                ("bo", "order"),
                ("bd", "serious"),
                ("so", "order"),
                ("sd", "serious"),
                ("graded_on", bad_date),
            ],
        ),
        (
            format!("/networks/{n}/events"),
            vec![("kind", "last_self_inspection"), ("at", bad_date)],
        ),
        (
            format!("/networks/{n}/events/{event}/void"),
            vec![("reason", "  ")],
        ),
        (
            format!("/networks/{n}/events/{event}/correct"),
            vec![("at", bad_date), ("reason", "日期录错")],
        ),
        (
            format!("/networks/{n}/evidence/{evidence}/review"),
            vec![("decision", "maybe"), ("reason", "")],
        ),
        (
            format!("/networks/{n}/evidence/{evidence}/void"),
            vec![("reason", "")],
        ),
        (
            format!("/filing/{n}"),
            vec![("supervisor_id", "nobody"), ("submitted_on", bad_date)],
        ),
        (
            format!("/filing/{n}"),
            vec![
                ("supervisor_id", "nobody"),
                ("submitted_on", "2026-09-28"),
                ("credit_code", "914403001922038217"),
            ],
        ),
        (
            format!("/filing/{n}/engage"),
            vec![("assessor_id", "nobody"), ("engaged_on", bad_date)],
        ),
        (
            format!("/filing/{n}/report"),
            vec![("order_id", "nothing"), ("on", bad_date)],
        ),
        (
            format!("/supervisor/networks/{n}/decision"),
            vec![
                ("decision", "certify"),
                ("on", bad_date),
                ("certificate_no", ""),
            ],
        ),
        (
            format!("/supervisor/networks/{n}/inspections"),
            vec![("inspected_on", bad_date), ("findings", "")],
        ),
        (
            format!("/supervisor/networks/{n}/rectifications"),
            vec![
                ("issued_on", bad_date),
                ("findings", "补齐日志"),
                ("working_days", "20"),
            ],
        ),
        (
            format!("/assessor/networks/{n}/findings"),
            vec![
                ("duty_id", "mlps.filing"),
                ("result", "perhaps"),
                ("text", ""),
            ],
        ),
        (
            format!("/assessor/networks/{n}/conclusion"),
            vec![
                ("concluded_on", bad_date),
                ("conclusion", "conforms"),
                ("score", "101"),
            ],
        ),
        (
            "/admin/users".into(),
            vec![("name", ""), ("role", "operator"), ("password", "123")],
        ),
        ("/admin/orgs".into(), vec![("name", "")]),
        (
            "/admin/calendar".into(),
            vec![
                ("year", "2027"),
                ("title", ""),
                ("number", ""),
                ("published", bad_date),
                ("holidays", "元旦 2027-01-01"),
            ],
        ),
        ("/tokens".into(), vec![("label", ""), ("expires", "")]),
        ("/account/totp/confirm".into(), vec![("code", "000000")]),
        ("/account/totp/disable".into(), vec![("code", "000000")]),
        (
            format!("/networks/{n}/incidents"),
            vec![
                ("title", "勒索软件"),
                ("detected_at", bad_date),
                ("category", "malware"),
            ],
        ),
        (
            format!("/networks/{n}/incidents/{incident}/reports"),
            vec![
                ("report", "initial"),
                ("sent_at", bad_date),
                ("channel", "电话"),
            ],
        ),
        (
            format!("/networks/{n}/incidents/{incident}/grade"),
            vec![("grade", "cataclysmic"), ("reason", "")],
        ),
        (
            format!("/networks/{n}/incidents/{incident}/close"),
            vec![("closed_at", bad_date)],
        ),
        (
            format!("/networks/{n}/incidents/{incident}/release-hold"),
            vec![("reason", "")],
        ),
        (
            format!("/networks/{n}/incidents/{incident}/logs"),
            vec![
                ("query", "x"),
                ("export_file", "e.jsonl"),
                ("export_sha256", ""),
            ],
        ),
        (
            format!("/networks/{n}/assessment"),
            vec![("item.L3-PES1-01", "1"), ("result.L3-PES1-01", "大致符合")],
        ),
        (
            format!("/networks/{n}/assessment/tasks/L3-PES1-01"),
            vec![("owner", "信息技术部"), ("due", bad_date)],
        ),
        (
            format!("/networks/{n}/emergency/plans"),
            vec![
                ("title", "网络安全事件应急预案"),
                ("version", "1.0"),
                ("approved_on", bad_date),
                ("approved_by", "总经理"),
                ("link", "https://example.cn/plan.pdf"),
            ],
        ),
        (
            format!("/networks/{n}/emergency/drills"),
            vec![
                ("plan_id", "nothing"),
                ("held_on", bad_date),
                ("scenario", "勒索软件"),
                ("participants", "信息技术部"),
                ("findings", ""),
            ],
        ),
        (
            format!("/networks/{n}/training/sessions"),
            vec![
                ("held_on", bad_date),
                ("topic", "等级保护制度培训"),
                ("hours", "2"),
                ("trainer", "王工"),
                ("attendees", "nobody"),
                ("link", ""),
            ],
        ),
        (
            format!("/networks/{n}/training/key-posts"),
            vec![("staff_id", "nobody"), ("post", "系统管理员")],
        ),
        (
            format!("/networks/{n}/training/quiz"),
            vec![("count", "0"), ("law", "csl"), ("staff_id", "")],
        ),
        (
            format!("/networks/{n}/training/staff"),
            vec![("name", ""), ("position", "系统管理员"), ("key_post", "1")],
        ),
        (
            format!("/networks/{n}/pi-requests"),
            vec![
                ("kind", "forget"),
                ("requester_ref", "工单 1"),
                ("received_at", "2026-11-02"),
            ],
        ),
        (
            format!("/networks/{n}/pi-requests/policy"),
            vec![("working_days", "-3"), ("source", "")],
        ),
        (
            format!("/networks/{n}/pi-requests/{pi}/close"),
            vec![
                ("outcome", "refused"),
                ("reason", ""),
                ("closed_at", "2026-11-05"),
            ],
        ),
        (
            format!("/supervisor/networks/{n}/rectifications/close"),
            vec![("order_id", "nothing"), ("on", bad_date), ("text", "")],
        ),
        // An overruling without a note (the administrator has no engagement: refused all
        // the same, and the form is not on its page).
        (
            format!("/networks/{n}/hosts/{report}/rulings"),
            vec![
                ("check", "access.ssh_root_login"),
                ("from", "hosts"),
                ("ruling", "overrule"),
                ("result", "pass"),
                ("note", ""),
            ],
        ),
        (
            format!("/admin/users/{victim}/password"),
            vec![("password", "123")],
        ),
    ];
    let mut refilled = Vec::new();
    let mut not_on_page = Vec::new();
    for (path, fields) in &forms {
        // Each form is sent from the page that shows it, as a person does.
        let page = page_of(path, &n);
        let shown = admin.get(&page).await.body;
        let before = snapshot(&app, &n).await;
        let r = admin.post(path, fields).await;
        // 422: refused for its content — not for want of a right or a CSRF token.
        assert_eq!(
            r.status.as_u16(),
            422,
            "{path} {fields:?}: expected a refusal of the value\n{}",
            r.body
        );
        let after = snapshot(&app, &n).await;
        assert_eq!(before, after, "{path} {fields:?} changed the store");
        if !shown.contains(&format!("action=\"{path}")) {
            not_on_page.push(path.clone());
            continue;
        }
        // The page comes back with what was typed and the message, in the page's language.
        assert!(
            r.body.contains("role=\"alert\""),
            "{path}: no message\n{}",
            r.body
        );
        assert!(r.body.contains("<nav"), "{path}: the navigation is kept");
        for (k, v) in fields {
            let offered_choice = is_choice(&shown, k);
            if v.trim().is_empty() || offered_choice || k.contains("password") || *k == "code" {
                continue;
            }
            let escaped = v.replace('&', "&amp;").replace('"', "&quot;");
            assert!(
                r.body.contains(&format!("value=\"{escaped}\""))
                    || r.body.contains(&format!(">{escaped}</textarea>")),
                "{path}: the typed {k} = {v} is lost\n{}",
                r.body
            );
        }
        refilled.push(path.clone());
    }
    // Forms that only show in a state this test does not set up (an engagement, an open
    // order, a hold, a plan) are refused all the same, above; most forms are on their page.
    assert!(
        refilled.len() >= 25,
        "only {} forms came back filled in; not on their page: {not_on_page:?}",
        refilled.len()
    );

    // The evidence upload (multipart): a ".pdf" that is not a PDF, and a javascript: link.
    for (file, link) in [("%HTML not a pdf", ""), ("", "javascript:alert(1)")] {
        admin.get(&format!("/networks/{n}/duties")).await;
        let before = snapshot(&app, &n).await;
        let boundary = "dengbaoRefusedUpload";
        let mut body = String::new();
        for (k, v) in [
            ("_csrf", admin.csrf.clone()),
            ("duty_id", "mlps.assessment.yearly".to_string()),
            ("description", "测评报告".to_string()),
            ("link", link.to_string()),
        ] {
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
            ));
        }
        if !file.is_empty() {
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.pdf\"\r\nContent-Type: application/pdf\r\n\r\n{file}\r\n"
            ));
        }
        body.push_str(&format!("--{boundary}--\r\n"));
        let r = admin
            .send(
                axum::http::Request::post(format!("/networks/{n}/duties"))
                    .header(
                        axum::http::header::CONTENT_TYPE,
                        format!("multipart/form-data; boundary={boundary}"),
                    )
                    .body(axum::body::Body::from(body))
                    .unwrap(),
            )
            .await;
        assert_eq!(
            r.status.as_u16(),
            422,
            "upload {file:?} {link:?}: {}",
            r.body
        );
        assert_eq!(
            before,
            snapshot(&app, &n).await,
            "upload {file:?} {link:?} changed the store"
        );
    }
}

/// The page a person sends `path` from.
fn page_of(path: &str, n: &str) -> String {
    let net = format!("/networks/{n}");
    let rules: [(&str, String); 15] = [
        ("/networks/new", "/networks/new".into()),
        (&format!("{net}/edit"), format!("{net}/edit")),
        (
            &format!("{net}/grading"),
            format!(
                "/grading?network={n}&basis=gbt22240-2020&bo=order&bd=serious&so=order&sd=serious"
            ),
        ),
        (&format!("{net}/events"), net.clone()),
        (&format!("{net}/evidence"), format!("{net}/duties")),
        (&format!("{net}/assessment"), format!("{net}/assessment")),
        (&format!("{net}/emergency"), format!("{net}/emergency")),
        (&format!("{net}/training"), format!("{net}/training")),
        (&format!("{net}/pi-requests"), format!("{net}/pi-requests")),
        (&format!("{net}/hosts"), format!("{net}/hosts")),
        ("/filing/", format!("/filing/{n}")),
        ("/supervisor/networks/", format!("/supervisor/networks/{n}")),
        ("/assessor/networks/", format!("/assessor/networks/{n}")),
        ("/account/totp", "/account/totp".into()),
        ("/admin/users", "/admin/users".into()),
    ];
    if let Some((_, page)) = rules.iter().find(|(p, _)| path.starts_with(p)) {
        return page.clone();
    }
    if let Some(rest) = path.strip_prefix(&format!("{net}/incidents/")) {
        let id = rest.split('/').next().unwrap_or_default();
        return format!("{net}/incidents/{id}");
    }
    path.to_string()
}

/// Whether the page offers `name` as a choice (a select, radio buttons or submit buttons): a value outside
/// the choices cannot be shown again, only the message.
fn is_choice(page: &str, name: &str) -> bool {
    let attr = format!("name=\"{name}\"");
    page.split('<').any(|tag| {
        let radio = tag.starts_with("input") && tag.contains("type=\"radio\"");
        let chosen = radio || tag.starts_with("button") || tag.starts_with("select");
        chosen && tag.contains(&attr)
    })
}
