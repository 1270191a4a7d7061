//! One language at a time on every page (decision 0934): each page of tests/pages-matrix.txt,
//! seen by the administrator, in Chinese and in English, with a level-3 network whose duties
//! are overdue (so the timeline shows reasons, fines and the 从旧兼从轻 reasoning). The text a
//! reader sees — tags, scripts and styles removed — must pass `dengbao_i18n::lint`; the
//! fixture's own names (the user's data, not the product's words) are taken out first.

mod common;

use axum::http::StatusCode;
use common::{uri, App};
use dengbao_i18n::lint::findings;
use dengbao_types::Lang;

/// The GET paths of the page matrix.
fn pages() -> Vec<String> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/pages-matrix.txt"
    ))
    .expect("the page matrix");
    text.lines()
        .filter(|l| l.starts_with("GET "))
        .filter_map(|l| l.split_whitespace().nth(1))
        .map(str::to_string)
        .collect()
}

/// The text of a page as a reader sees it: no tags, scripts, styles or entities. What a
/// form holds for editing (textarea and input values) is data, not text; `<code>` keeps
/// its backticks; each line of a `<blockquote>` (the law's own words) is marked `> `.
fn visible(html: &str) -> String {
    let mut s = html.to_string();
    for (open, close) in [
        ("<script", "</script>"),
        ("<style", "</style>"),
        ("<textarea", "</textarea>"),
        ("<title", "</title>"),
    ] {
        while let Some(i) = s.find(open) {
            let j = s[i..]
                .find(close)
                .map(|j| i + j + close.len())
                .unwrap_or(s.len());
            s.replace_range(i..j, "\n");
        }
    }
    let s = s.replace("<code>", "`").replace("</code>", "`");
    let mut out = String::new();
    let mut in_tag = false;
    let mut tag = String::new();
    let mut quote_depth = 0usize;
    for ch in s.chars() {
        match ch {
            '<' => {
                in_tag = true;
                tag.clear();
            }
            '>' if in_tag => {
                in_tag = false;
                let name: String = tag
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                if name == "blockquote" {
                    if tag.starts_with('/') {
                        quote_depth = quote_depth.saturating_sub(1);
                    } else {
                        quote_depth += 1;
                    }
                }
                out.push('\n');
                if quote_depth > 0 {
                    out.push_str("> ");
                }
            }
            c if in_tag => tag.push(c),
            '\n' if quote_depth > 0 => out.push_str("\n> "),
            c => out.push(c),
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
}

#[tokio::test]
async fn every_page_speaks_one_language_at_a_time() {
    let app = App::new().await;
    let mut b = app.set_up().await;
    let net = app
        .network_with_events(
            serde_json::json!({"name": "网上支付平台", "level": 3, "stage": "running"}),
            &[
                ("launched", "2025-06-01"),
                ("last_assessment", "2025-05-20"),
            ],
        )
        .await;
    let incident = common::incident(&app.store, &net.id, false).await;
    // A host report with an assessor's overruling: the timeline, the hosts page and the
    // assessment show it, the ruling's note quoted on English pages.
    let report = common::host_report(&app.store, &net.id, "web-01").await;
    let org = app.first_org().await;
    let assessor = common::user_with_password(
        &app.store,
        "测评师",
        dengbao_store::Role::Assessor,
        vec![org],
        "a long enough passphrase",
    )
    .await;
    app.store
        .engage(
            "test",
            &net.id,
            dengbao_store::engagements::EngagementInput {
                assessor_id: assessor.clone(),
                engaged_on: "2026-09-01".into(),
            },
        )
        .await
        .unwrap();
    app.store
        .rule_host_check(
            "测评师",
            &assessor,
            &net.id,
            &report,
            &dengbao_store::host_check_rulings::RulingInput {
                check: "access.ssh_root_login".into(),
                ruling: "overrule".into(),
                result: Some("pass".into()),
                note: "现场核查：已改为禁止远程登录".into(),
            },
        )
        .await
        .unwrap();
    // The fixture's names: the user's data in any language.
    let own = [
        "机房断电",
        incident.as_str(),
        "admin",
        "网上支付平台",
        "示例网络运营单位",
        "web-01",
        "测评师",
        "test",
        net.id.as_str(),
    ];
    let mut failures = Vec::new();
    for page in pages() {
        let path = page
            .replace("{net_a}", &net.id)
            .replace("{incident}", &incident);
        for (lang, code) in [(Lang::ZhCn, "zh-CN"), (Lang::En, "en")] {
            let sep = if path.contains('?') { '&' } else { '?' };
            let r = b.get(&uri(&format!("{path}{sep}lang={code}"))).await;
            if r.status == StatusCode::SEE_OTHER {
                continue;
            }
            let mut text = visible(&r.body);
            for name in own {
                text = text.replace(name, " ");
            }
            for f in findings(&text, lang) {
                failures.push(format!("{path} [{code}]: {f}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} lines in the wrong language:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
