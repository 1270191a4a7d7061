//! `dengbao duties --profile FILE.toml [--at DATE] --json` and `dengbao exposure …`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use dengbao_calendar::Calendar;
use dengbao_duties::{Catalog, DutyStatus, Exposure, Profile, Status};
use jiff::Timestamp;

use crate::{BadInput, Ctx};

/// The flags of `dengbao duties` and `dengbao exposure`.
#[derive(Args, Debug)]
pub struct ProfileArgs {
    #[arg(long)]
    pub profile: PathBuf,
    /// Evaluate as of this date (YYYY-MM-DD) or time (RFC 3339); now (Asia/Shanghai) by default.
    #[arg(long)]
    pub at: Option<String>,
    #[arg(long)]
    pub json: bool,
}

struct Loaded {
    profile: Profile,
    catalog: Catalog,
    statuses: Vec<DutyStatus>,
}

fn load(path: &Path, at: Option<&str>, ctx: &Ctx) -> anyhow::Result<Loaded> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        BadInput::new(format!(
            "--profile {}: 无法读取 / cannot read: {e}",
            path.display()
        ))
    })?;
    let profile = Profile::from_toml_str(&text)
        .map_err(|e| BadInput::new(format!("{}: {e}", path.display())))?;
    let catalog = Catalog::builtin().context("the embedded duty catalog")?;
    catalog
        .check_profile(&profile)
        .map_err(|e| BadInput::new(format!("{}: {e}", path.display())))?;
    let at = match at {
        Some(s) => dengbao_duties::parse_at(s).map_err(|e| BadInput::new(e.to_string()))?,
        None => Timestamp::now(),
    };
    let calendar = Calendar::with_overrides(&ctx.data_dir.join("calendar"))
        .context("the working-day calendar")?;
    let statuses = dengbao_duties::evaluate(&profile, &catalog, &calendar, at);
    Ok(Loaded {
        profile,
        catalog,
        statuses,
    })
}

pub fn run_duties(args: ProfileArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let l = load(&args.profile, args.at.as_deref(), ctx)?;
    if args.json {
        let out = dengbao_duties::report::duty_rows(&l.statuses);
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        print_duties(&l);
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run_exposure(args: ProfileArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let l = load(&args.profile, args.at.as_deref(), ctx)?;
    let e = dengbao_duties::exposure(&l.profile, &l.catalog, &l.statuses);
    if args.json {
        let out = dengbao_duties::report::exposure_json(&e);
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        print_exposure(&l, &e);
    }
    Ok(ExitCode::SUCCESS)
}

fn cite(s: &DutyStatus) -> String {
    s.citations()
        .iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join("，")
}

fn print_duties(l: &Loaded) {
    let p = &l.profile;
    println!(
        "网络：{}　等级：{}　阶段：{}",
        if p.network.name.is_empty() {
            "（未命名）"
        } else {
            &p.network.name
        },
        p.level.zh(),
        p.network.stage
    );
    for order in [Status::Overdue, Status::Due, Status::Unknown, Status::Met] {
        let rows: Vec<&DutyStatus> = l.statuses.iter().filter(|s| s.status == order).collect();
        if rows.is_empty() {
            continue;
        }
        println!("\n【{}】{} 项", order.zh(), rows.len());
        println!("{:<34} {:<26} 义务（依据）", "编号", "期限");
        for s in rows {
            let due = s.due.map(|d| d.to_string()).unwrap_or_else(|| "—".into());
            println!("{:<36} {:<28} {}（{}）", s.id(), due, s.title(), cite(s));
            if matches!(order, Status::Unknown | Status::Overdue) {
                if let Some(r) = s.reasons.first() {
                    println!("{:<36} {:<28}   ↳ {r}", "", "");
                }
            }
        }
    }
    let na = l
        .statuses
        .iter()
        .filter(|s| s.status == Status::NotApplicable)
        .count();
    println!("\n不适用：{na} 项（--json 列出全部）");
}

fn yuan(r: [u64; 2]) -> String {
    if r == [0, 0] {
        "—".to_string()
    } else {
        format!("{}–{} 元", r[0], r[1])
    }
}

fn print_exposure(l: &Loaded, e: &Exposure) {
    println!(
        "网络：{}　等级：{}",
        if l.profile.network.name.is_empty() {
            "（未命名）"
        } else {
            &l.profile.network.name
        },
        l.profile.level.zh()
    );
    if e.items.is_empty() {
        println!("没有未履行的义务，无处罚敞口。");
    } else {
        println!(
            "\n{:<34} {:<8} {:<18} {:<22} {:<20} 从重",
            "义务", "状态", "罚则", "单位罚款", "责任人员罚款"
        );
        for i in &e.items {
            println!(
                "{:<36} {:<10} {:<18} {:<24} {:<22} {}",
                i.duty,
                i.status.zh(),
                i.penalty.to_string(),
                yuan(i.org_fine),
                yuan(i.person_fine),
                if i.aggravated { "是" } else { "" }
            );
        }
    }
    println!(
        "\n已逾期义务的单位罚款合计（同一罚款条款只计一次）：{}",
        yuan(e.org_fine_total)
    );
    println!(
        "若待履行义务也逾期：{}",
        yuan(e.org_fine_total_if_due_missed)
    );
    for n in &e.notes {
        println!("注：{n}");
    }
}
