//! `dengbao controls list --level N [--ext cloud]… [--json]`, `dengbao controls show ID
//! [--json]`, `dengbao controls export --oscal --level N` and `dengbao controls export
//! --oscal-profile --level N`: the GB/T 22239-2019 catalog of `dengbao-controls`, printed.

use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, Subcommand};
use dengbao_controls::{Catalog, Control, Extension, HighRisk, HighRiskCase, ScopeError};
use dengbao_types::{Lang, Level};
use serde_json::{json, Value};

use crate::say::{msg, t};
use crate::{BadInput, Ctx};

#[derive(Subcommand, Debug)]
pub enum ControlsCmd {
    /// The requirement items of a level: the general ones, plus each --ext.
    List(ListArgs),
    /// One requirement item by its id (L3-CES1-01).
    Show(ShowArgs),
    /// The items of a level as a document for other tools: `--oscal` (OSCAL catalog JSON) or
    /// `--oscal-profile` (OSCAL profile JSON selecting the level's items from that catalog).
    Export(ExportArgs),
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Protection level 1–4 (level 5 is not published in GB/T 22239-2019).
    #[arg(long)]
    pub level: String,
    /// Add an extension's items: cloud, mobile, iot, ics (repeatable).
    #[arg(long = "ext", value_name = "EXT")]
    pub ext: Vec<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// The item id, GB/T 28448-2019 style: L3-CES1-01.
    pub id: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("format").required(true).args(["oscal", "oscal_profile"])))]
pub struct ExportArgs {
    /// OSCAL catalog, JSON.
    #[arg(long)]
    pub oscal: bool,
    /// OSCAL profile, JSON: the level's items, imported from the catalog export of the same
    /// level and extensions (`--catalog-href`, by default its suggested file name
    /// gbt22239-l3-cloud.oscal.json).
    #[arg(long = "oscal-profile")]
    pub oscal_profile: bool,
    /// With --oscal-profile: where the profile finds the catalog (a relative path or URL).
    #[arg(long = "catalog-href", requires = "oscal_profile")]
    pub catalog_href: Option<String>,
    /// Protection level 1–4.
    #[arg(long)]
    pub level: String,
    /// Add an extension's items: cloud, mobile, iot, ics (repeatable).
    #[arg(long = "ext", value_name = "EXT")]
    pub ext: Vec<String>,
}

pub fn run(cmd: ControlsCmd, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let catalog = Catalog::builtin().context("the embedded control catalog")?;
    match cmd {
        ControlsCmd::List(a) => list(&catalog, a, ctx.lang),
        ControlsCmd::Show(a) => show(&catalog, a, ctx.lang),
        ControlsCmd::Export(a) => export(&catalog, a),
    }
}

/// `--level` as a level the catalog answers for: 1–5 parses, 5 is refused with the reason.
pub fn level_arg(s: &str) -> anyhow::Result<Level> {
    let level = s
        .parse::<Level>()
        .map_err(|e| BadInput::new(format!("--level: {e}")))?;
    if level == Level::FIVE {
        return Err(BadInput::new(ScopeError::Level5.to_string()));
    }
    Ok(level)
}

/// `--ext` values; `general` is always included and need not be named.
pub fn ext_args(names: &[String]) -> anyhow::Result<Vec<Extension>> {
    names
        .iter()
        .map(|n| {
            Extension::from_name(n.trim()).ok_or_else(|| {
                BadInput::new(format!(
                    "--ext {n}: 没有这个扩展要求 / no such extension (cloud, mobile, iot, ics)"
                ))
            })
        })
        .collect()
}

/// A refusal of the catalog's scope: level 5 is the user's input (exit 2); an extension
/// not yet encoded is a gap of the product (exit 1).
pub fn scope_error(e: ScopeError) -> anyhow::Error {
    match e {
        ScopeError::Level5 => BadInput::new(e.to_string()),
        ScopeError::NotEncoded { .. } => anyhow::anyhow!(e),
    }
}

fn list(catalog: &Catalog, a: ListArgs, lang: Lang) -> anyhow::Result<ExitCode> {
    let level = level_arg(&a.level)?;
    let exts = ext_args(&a.ext)?;
    let items = catalog.select(level, &exts).map_err(scope_error)?;
    if a.json {
        let out: Vec<Value> = items.iter().map(|c| row_json(c)).collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    let parts: Vec<&str> = std::iter::once(Extension::General)
        .chain(exts.iter().copied().filter(|e| *e != Extension::General))
        .map(|e| lang.pick(e.zh(), e.en()))
        .collect();
    let level_name = msg(lang, &format!("level.{}", level.get()));
    match lang {
        Lang::ZhCn => println!(
            "GB/T 22239-2019 {level_name}　{}：{} 项",
            parts.join("、"),
            items.len()
        ),
        Lang::En => println!(
            "GB/T 22239-2019 {level_name}, {}: {} items",
            parts.join(", "),
            items.len()
        ),
    }
    let header = [
        pad(t(lang, "编号", "id"), 12),
        pad(t(lang, "安全类", "class"), 24),
        pad(t(lang, "控制点", "control point"), 22),
        pad(t(lang, "项", "item"), 5),
    ];
    println!(
        "{}{}",
        header.concat(),
        t(lang, "要求（条款）", "requirement (clause)")
    );
    for c in items {
        // The requirement statements are written in Chinese: quoted in an English line.
        let (point, requirement) = match lang {
            Lang::ZhCn => (
                c.point.clone(),
                format!("{}（{}）", c.requirement, c.clause_item()),
            ),
            Lang::En => (
                format!("「{}」", c.point),
                format!("「{}」 ({})", c.requirement, c.clause_item()),
            ),
        };
        println!(
            "{}{}{}{}{requirement}",
            pad(&c.id, 12),
            pad(lang.pick(c.class.zh(), c.class.en()), 24),
            pad(&point, 22),
            pad(&c.letter.to_string(), 5),
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Pads to a terminal width, counting a CJK character as two columns (format's `{:<N}`
/// counts characters, which misaligns Chinese columns).
fn pad(s: &str, width: usize) -> String {
    let w: usize = s.chars().map(|c| if c >= '\u{2E80}' { 2 } else { 1 }).sum();
    format!("{s}{}", " ".repeat(width.saturating_sub(w).max(1)))
}

/// The shipped 高风险 cases, checked against the catalog.
pub fn high_risk(catalog: &Catalog) -> anyhow::Result<HighRisk> {
    HighRisk::builtin(catalog)
        .context("the embedded high-risk cases (data/controls/high-risk.toml)")
}

fn show(catalog: &Catalog, a: ShowArgs, lang: Lang) -> anyhow::Result<ExitCode> {
    let id = a.id.trim();
    let hr = high_risk(catalog)?;
    let c = catalog.get(id).ok_or_else(|| {
        let hint = if id.starts_with("L5-") {
            format!(" — {}", dengbao_controls::LEVEL5_REASON)
        } else {
            String::new()
        };
        BadInput::new(format!(
            "{id}: 目录中没有这个要求项 / no such item in the catalog{hint}"
        ))
    })?;
    let cases = hr.for_item(&c.id);
    if a.json {
        let mut v = row_json(c);
        // Beyond the list row: where it sits, every level it applies to, and the duty ids.
        v["clause"] = json!(c.clause_item());
        v["level"] = json!(c.level.get());
        v["levels"] = json!(c.levels);
        v["duty_ids"] = json!(c.duties);
        v["no_duty_reason"] = json!(c.no_duty_reason);
        v["high_risk_cases"] = json!(cases);
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    let levels: Vec<String> = c
        .levels
        .iter()
        .filter_map(|&l| Level::new(l).ok())
        .map(|l| msg(lang, &format!("level.{}", l.get())))
        .collect();
    match lang {
        Lang::ZhCn => {
            println!("{}  {}", c.id, c.requirement);
            println!("条款：GB/T 22239-2019 {}", c.clause_item());
            println!(
                "类别：{}·{}·{}（{}要求）",
                c.extension.zh(),
                c.class.zh(),
                c.point,
                c.kind().zh()
            );
            println!("适用等级：{}", levels.join("、"));
        }
        Lang::En => {
            println!("{}  「{}」", c.id, c.requirement);
            println!("clause: GB/T 22239-2019 {}", c.clause_item());
            println!(
                "class: {} · {} · 「{}」 ({})",
                c.extension.en(),
                c.class.en(),
                c.point,
                c.kind().en()
            );
            println!("levels: {}", levels.join(", "));
        }
    }
    if c.duties.is_empty() {
        let why = c.no_duty_reason.as_deref().unwrap_or("");
        match lang {
            Lang::ZhCn => println!("对应义务：无（{why}）"),
            Lang::En => println!("duties: none ({})", crate::say::quoted(lang, why)),
        }
    } else {
        let cites: Vec<String> = c
            .citations
            .iter()
            .map(|x| match lang {
                Lang::ZhCn => dengbao_duties::basis::cite_zh(x),
                Lang::En => dengbao_duties::basis::cite_en(x),
            })
            .collect();
        println!(
            "{}{}",
            t(lang, "对应义务：", "duties: "),
            c.duties.join(t(lang, "、", ", "))
        );
        println!(
            "{}{}",
            t(lang, "法律依据：", "legal basis: "),
            cites.join(t(lang, "、", "; "))
        );
    }
    print_cases(&cases, lang);
    Ok(ExitCode::SUCCESS)
}

/// The 高风险 cases tied to an item, each with its conditions and compensating measures;
/// an unconfirmed case says so and what is unconfirmed.
fn print_cases(cases: &[&HighRiskCase], lang: Lang) {
    if cases.is_empty() {
        println!(
            "{}",
            t(
                lang,
                "高风险判例：无（《网络安全等级保护测评高风险判定实施指引》中未录入与此项对应的判例）",
                "high-risk cases: none recorded for this item"
            )
        );
        return;
    }
    println!(
        "{}",
        t(
            lang,
            "高风险判例（《网络安全等级保护测评高风险判定实施指引》）：",
            "high-risk cases (of 《网络安全等级保护测评高风险判定实施指引》):"
        )
    );
    let q = |s: &str| match lang {
        Lang::ZhCn => s.to_string(),
        Lang::En => format!("「{s}」"),
    };
    let list = |v: &[String]| -> String {
        if v.is_empty() {
            t(lang, "未录入", "none recorded").to_string()
        } else {
            v.iter()
                .map(|s| q(s))
                .collect::<Vec<_>>()
                .join(t(lang, "；", "; "))
        }
    };
    for c in cases {
        let levels: Vec<String> = c.levels.iter().map(u8::to_string).collect();
        match lang {
            Lang::ZhCn => println!(
                "  {} {}（适用：第{}级）{}",
                c.id,
                c.name,
                levels.join("、"),
                if c.confirmed { "" } else { "【未确认】" }
            ),
            Lang::En => println!(
                "  {} 「{}」 (levels {}){}",
                c.id,
                c.name,
                levels.join(", "),
                if c.confirmed { "" } else { " [unconfirmed]" }
            ),
        }
        println!(
            "    {}{}",
            t(lang, "判定条件：", "conditions: "),
            list(&c.conditions)
        );
        println!(
            "    {}{}",
            t(lang, "补偿因素：", "compensating measures: "),
            list(&c.compensating)
        );
        if let Some(note) = &c.note {
            println!("    {}{}", t(lang, "说明：", "note: "), in_lang(note, lang));
        }
    }
}

/// The half of a bilingual data note (`中文 / English`) in the reader's language.
fn in_lang(note: &str, lang: Lang) -> &str {
    match note.split_once(" / ") {
        Some((zh, en)) => lang.pick(zh.trim(), en.trim()),
        None => note,
    }
}

fn export(catalog: &Catalog, a: ExportArgs) -> anyhow::Result<ExitCode> {
    let level = level_arg(&a.level)?;
    let exts = ext_args(&a.ext)?;
    // The export time in Asia/Shanghai, as OSCAL's last-modified (RFC 3339 with offset).
    let now = jiff::Timestamp::now()
        .in_tz("Asia/Shanghai")
        .context("the Asia/Shanghai time zone")?;
    let stamp = now.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string();
    let doc = if a.oscal_profile {
        let href = a
            .catalog_href
            .unwrap_or_else(|| dengbao_controls::catalog_file_name(level, &exts));
        dengbao_controls::to_oscal_profile(catalog, level, &exts, &href, &stamp)
    } else {
        let hr = high_risk(catalog)?;
        dengbao_controls::to_oscal_with(catalog, Some(&hr), level, &exts, &stamp)
    }
    .map_err(scope_error)?;
    println!("{}", serde_json::to_string_pretty(&doc)?);
    Ok(ExitCode::SUCCESS)
}

/// The JSON row of `controls list` (a fixed interface: scripts read it).
fn row_json(c: &Control) -> Value {
    json!({
        "id": c.id,
        "class": c.class.zh(),
        "control_point": c.point,
        "item": c.letter.to_string(),
        "requirement": c.requirement,
        "kind": c.kind().as_str(),
        "extension": c.extension.as_str(),
        "duties": c.citations,
    })
}
