//! `dengbao assess record` and `dengbao assess show`: the engaged assessor's per-item results
//! sent to a running server from a script, and the network's assessment read back
//! (decision 0412). The server stores and decides; this side only checks what it can before
//! sending, so that a wrong item is named without a round trip that would write nothing.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use dengbao_controls::{check_item, Catalog, Submitted};
use dengbao_types::{Lang, Level};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::BadInput;

use super::remote::Remote;
pub use super::remote::ServerArgs;

#[derive(Args, Debug)]
pub struct RecordArgs {
    #[command(flatten)]
    pub server: ServerArgs,
    /// JSON: [{"item": "L3-CES1-01", "result": "符合"|"部分符合"|"不符合"|"不适用",
    /// "reason": str, "risk": "高"|"中"|"低", "major_hazard": bool, "note": str}].
    #[arg(long)]
    pub results: PathBuf,
    /// Print the server's assessment JSON as it answered.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    #[command(flatten)]
    pub server: ServerArgs,
    /// Print the server's assessment JSON as it answered.
    #[arg(long)]
    pub json: bool,
}

/// One item's result as the file gives it: `assess conclude`'s format plus the note.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RecordItem {
    item: String,
    result: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    risk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    major_hazard: Option<bool>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    note: String,
}

impl RecordItem {
    fn submitted(&self) -> Submitted {
        Submitted {
            item: self.item.clone(),
            result: self.result.clone(),
            reason: self.reason.clone(),
            risk: self.risk.clone(),
            major_hazard: self.major_hazard,
        }
    }
}

pub fn run_record(a: RecordArgs, lang: Lang) -> anyhow::Result<ExitCode> {
    let path = a.results.display();
    let text = std::fs::read_to_string(&a.results)
        .map_err(|e| BadInput::new(format!("--results {path}: 无法读取 / cannot read: {e}")))?;
    let items: Vec<RecordItem> = serde_json::from_str(&text).map_err(|e| {
        BadInput::new(format!(
            "--results {path}: 不是测评结果列表 / not a list of item results: {e}"
        ))
    })?;
    if items.is_empty() {
        return Err(BadInput::new(format!(
            "--results {path}: 至少一项 / at least one item"
        )));
    }
    let remote = Remote::new(&a.server, lang)?;
    let base = format!("/api/networks/{}/assessment", a.server.network);
    // The network's level, to check the items here first; an ungraded network (422) leaves
    // the checking to the server, which refuses it with its own message.
    let before = remote.send("GET", &base, None)?;
    if before.status != 422 {
        let current = remote.ok(before, "--network")?;
        if let Some(level) = current["level"].as_u64().and_then(|l| u8::try_from(l).ok()) {
            check_locally(&items, level, &path.to_string())?;
        }
    }
    let body = serde_json::json!({ "results": items });
    let answer = remote.send("POST", &format!("{base}/items"), Some(&body))?;
    let assessment = remote.ok(answer, &format!("--results {path}"))?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&assessment)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{}",
        match lang {
            Lang::ZhCn => format!("已记录 {} 项测评结果。", items.len()),
            Lang::En => format!("Recorded {} item results.", items.len()),
        }
    );
    print_assessment(&assessment, lang, false);
    Ok(ExitCode::SUCCESS)
}

pub fn run_show(a: ShowArgs, lang: Lang) -> anyhow::Result<ExitCode> {
    let remote = Remote::new(&a.server, lang)?;
    let path = format!("/api/networks/{}/assessment", a.server.network);
    let answer = remote.send("GET", &path, None)?;
    let assessment = remote.ok(answer, "--network")?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&assessment)?);
        return Ok(ExitCode::SUCCESS);
    }
    print_assessment(&assessment, lang, true);
    Ok(ExitCode::SUCCESS)
}

/// Each item against the catalog for the network's level: the first wrong one is named and
/// nothing is sent.
fn check_locally(items: &[RecordItem], level: u8, path: &str) -> anyhow::Result<()> {
    let Ok(level) = Level::new(level) else {
        return Ok(());
    };
    let catalog = Catalog::builtin().context("the embedded control catalog")?;
    for i in items {
        check_item(&catalog, level, &i.submitted())
            .map_err(|e| BadInput::new(format!("--results {path}: {e}")))?;
    }
    Ok(())
}

/// The conclusion's name in the reader's language: the rule's own term, quoted in English.
fn verdict(lang: Lang, zh: &str) -> String {
    match lang {
        Lang::ZhCn => zh.to_string(),
        Lang::En => {
            let en = match zh {
                "符合" => "conforms",
                "基本符合" => "basically conforms",
                "不符合" => "does not conform",
                _ => "",
            };
            if en.is_empty() {
                format!("「{zh}」")
            } else {
                format!("「{zh}」 ({en})")
            }
        }
    }
}

/// Progress, and the rate and conclusion once complete; `detail` adds what is missing and
/// the open rectification tasks (`show`).
fn print_assessment(a: &Value, lang: Lang, detail: bool) {
    let assessed = a["assessed"].as_u64().unwrap_or(0);
    let in_scope = a["in_scope"].as_u64().unwrap_or(0);
    let level = crate::say::msg(lang, &format!("level.{}", a["level"].as_u64().unwrap_or(0)));
    println!(
        "{}",
        match lang {
            Lang::ZhCn => format!("进度：{assessed}/{in_scope} 项已测评（{level}）"),
            Lang::En => format!("Progress: {assessed}/{in_scope} items assessed ({level})"),
        }
    );
    let c = &a["conclusion"];
    if let (Some(rate), Some(name)) = (c["rate"].as_f64(), c["conclusion"].as_str()) {
        let hazards = c["major_hazards"].as_u64().unwrap_or(0);
        let v = verdict(lang, name);
        println!(
            "{}",
            match lang {
                Lang::ZhCn => format!(
                    "测评结论：{v}　符合率：{:.1}%　重大风险隐患：{hazards} 项",
                    rate * 100.0
                ),
                Lang::En => format!(
                    "Conclusion: {v}  compliance rate: {:.1}%  major hazards: {hazards}",
                    rate * 100.0
                ),
            }
        );
    } else if detail {
        let missing: Vec<&str> = a["missing"]
            .as_array()
            .map(|m| m.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if !missing.is_empty() {
            println!(
                "{}{}",
                lang.pick("尚无结果（前20项）：", "Not yet assessed (first 20): "),
                missing.join(lang.pick("、", ", "))
            );
        }
    }
    if !detail {
        return;
    }
    let open: Vec<&Value> = a["tasks"]
        .as_array()
        .map(|t| t.iter().filter(|t| t["state"] != "fixed").collect())
        .unwrap_or_default();
    if open.is_empty() {
        return;
    }
    println!("{}", lang.pick("待整改：", "Open rectification tasks:"));
    for t in open {
        let s = |k: &str| t[k].as_str().unwrap_or("—").to_string();
        let state = match (lang, s("state").as_str()) {
            (Lang::ZhCn, "unplanned") => "未安排".to_string(),
            (Lang::ZhCn, "open") => "整改中".to_string(),
            (Lang::ZhCn, "overdue") => "已逾期".to_string(),
            (_, other) => other.to_string(),
        };
        println!(
            "  {}  {}  {}  {}  {}",
            s("item"),
            s("result"),
            s("owner"),
            s("due"),
            state
        );
    }
}
