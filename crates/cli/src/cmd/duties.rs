//! `dengbao duties --profile FILE.toml [--at DATE] --json` and `dengbao exposure …`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use dengbao_calendar::Calendar;
use dengbao_duties::{Catalog, DutyStatus, Exposure, Facts, LogRetention, Party, Profile, Status};
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
    /// Decide the six-month log duties from a `dengbao logs coverage --json` document.
    #[arg(long, value_name = "FILE", conflicts_with = "logs")]
    pub coverage: Option<PathBuf>,
    /// Decide the six-month log duties from the log centre under --data-dir (verified now).
    #[arg(long)]
    pub logs: bool,
    /// The log centre's network id of this profile (needed when it holds several).
    #[arg(long, value_name = "ID")]
    pub log_network: Option<String>,
    /// A working-day deadline in a year without a loaded State Council notice is
    /// `unknown` instead of provisional (fail closed).
    #[arg(long)]
    pub strict: bool,
    /// Cite the Cybersecurity Law in this version's numbering (`final`, `amended-2025`)
    /// instead of the version in force on the --at date.
    #[arg(long, value_name = "NAME")]
    pub law_version: Option<String>,
}

struct Loaded {
    profile: Profile,
    catalog: Catalog,
    statuses: Vec<DutyStatus>,
}

fn load(args: &ProfileArgs, ctx: &Ctx) -> anyhow::Result<Loaded> {
    let (path, at) = (args.profile.as_path(), args.at.as_deref());
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
    let mut calendar = Calendar::with_overrides(&ctx.data_dir.join("calendar"))
        .context("the working-day calendar")?;
    if args.strict {
        calendar = calendar.strict();
    }
    let mut statuses = dengbao_duties::evaluate(&profile, &catalog, &calendar, at);
    if let Some(v) = &args.law_version {
        recite(&mut statuses, v)?;
    }
    let facts = Facts {
        log_retention: log_retention(args, at, ctx)?,
    };
    dengbao_duties::apply_facts(&mut statuses, &facts, &profile);
    Ok(Loaded {
        profile,
        catalog,
        statuses,
    })
}

/// `--law-version`: every citation of the law that has that version, in its numbering.
fn recite(statuses: &mut [DutyStatus], version: &str) -> anyhow::Result<()> {
    let citer = dengbao_duties::cited::citer()
        .ok_or_else(|| anyhow::anyhow!("the embedded law versions failed to load"))?;
    let Some(law) = ["csl", "mlps"]
        .into_iter()
        .find(|l| citer.has_version(l, version))
    else {
        return Err(BadInput::new(format!(
            "--law-version {version}: 没有这个版本 / no such version (csl: {}; mlps: {})",
            citer.versions("csl").join(", "),
            citer.versions("mlps").join(", ")
        ))
        .into());
    };
    for s in statuses {
        let cites = dengbao_duties::cited::in_version(&s.duty.citations, law, version, s.on);
        s.citations = cites.into();
    }
    Ok(())
}

/// The log centre's proof of retention for this profile's network, when asked for.
fn log_retention(
    args: &ProfileArgs,
    at: Timestamp,
    ctx: &Ctx,
) -> anyhow::Result<Option<LogRetention>> {
    let text = match (&args.coverage, args.logs) {
        (Some(file), _) => std::fs::read_to_string(file).map_err(|e| {
            BadInput::new(format!(
                "--coverage {}: 无法读取 / cannot read: {e}",
                file.display()
            ))
        })?,
        (None, true) => {
            let store = dengbao_logstore::Store::open(
                &ctx.data_dir.join("logs"),
                dengbao_logstore::OpenOptions {
                    now: Some(at),
                    ..Default::default()
                },
            )
            .map_err(|e| BadInput::new(format!("--logs: {e}")))?;
            serde_json::to_string(&store.coverage(None))?
        }
        (None, false) => return Ok(None),
    };
    let all = LogRetention::from_coverage_json(&text)
        .map_err(|e| BadInput::new(format!("--coverage: {e}")))?;
    let names = || {
        all.iter()
            .map(|n| n.network.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let picked = match &args.log_network {
        Some(id) => all.iter().find(|n| &n.network == id).cloned().ok_or_else(|| {
            BadInput::new(format!(
                "--log-network {id}: 日志中心没有这个网络 / the log centre has no such network (it has: {})",
                names()
            ))
        })?,
        None if all.len() == 1 => all[0].clone(),
        None => {
            return Err(BadInput::new(format!(
                "--log-network: 日志中心有多个网络，请指定一个 / the log centre holds several networks, name one: {}",
                names()
            )))
        }
    };
    Ok(Some(picked))
}

pub fn run_duties(args: ProfileArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let l = load(&args, ctx)?;
    if args.json {
        let out = dengbao_duties::report::duty_rows(&l.statuses);
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        print_duties(&l);
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run_exposure(args: ProfileArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let l = load(&args, ctx)?;
    let e = dengbao_duties::exposure(&l.profile, &l.catalog, &l.statuses);
    if args.json {
        let out = dengbao_duties::report::exposure_json(&e);
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        print_exposure(&l, &e);
    }
    Ok(ExitCode::SUCCESS)
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
    // The operator's own duties by status; prohibitions appear as 已违反 / 未见违反.
    let mine = |s: &&DutyStatus| s.duty.party == Party::Operator;
    // The operator's statuses, in the order every interface lists them.
    for order in Status::ALL.into_iter().take(6) {
        let rows: Vec<&DutyStatus> = l
            .statuses
            .iter()
            .filter(mine)
            .filter(|s| s.status == order)
            .collect();
        if rows.is_empty() {
            continue;
        }
        println!("\n【{}】{} 项", order.zh(), rows.len());
        println!("{:<34} {:<26} 义务（依据）", "编号", "期限");
        for s in rows {
            print_row(
                s,
                matches!(order, Status::Unknown | Status::Overdue | Status::Breached),
            );
        }
    }
    // Duties of others, apart: what the operator may expect and chase, never its own.
    let others: Vec<&DutyStatus> = l
        .statuses
        .iter()
        .filter(|s| s.duty.party != Party::Operator && s.status != Status::NotApplicable)
        .collect();
    if !others.is_empty() {
        println!(
            "\n【他方义务】{} 项（可期待、可催办，不计入本单位的逾期和罚款）",
            others.len()
        );
        println!("{:<34} {:<26} 义务（依据）", "编号", "期限");
        for s in others {
            println!(
                "{:<36} {:<28} [{}·{}] {}（{}）",
                s.id(),
                due_text(s),
                s.duty.party.zh(),
                s.status.zh(),
                s.title(),
                s.citations_text()
            );
        }
    }
    let na = l
        .statuses
        .iter()
        .filter(|s| s.status == Status::NotApplicable)
        .count();
    if l.statuses.iter().any(|s| s.provisional) {
        println!("\n（暂定）期限：{}", dengbao_calendar::PROVISIONAL_NOTE_ZH);
    }
    println!("\n不适用：{na} 项（--json 列出全部）");
}

/// A duty's due date, marked when a provisional calendar year decided it.
fn due_text(s: &DutyStatus) -> String {
    let mut due = s.due.map(|d| d.to_string()).unwrap_or_else(|| "—".into());
    if s.provisional {
        due.push_str("（暂定）");
    }
    due
}

fn print_row(s: &DutyStatus, why: bool) {
    let due = due_text(s);
    println!(
        "{:<36} {:<28} {}（{}）",
        s.id(),
        due,
        s.title(),
        s.citations_text()
    );
    // Why, for what is not settled — and for duties computed from facts (the log centre's
    // proof of retention), whose basis the reader cannot otherwise see.
    if why || s.duty.computed_from.is_some() {
        for r in s
            .reasons
            .iter()
            .take(if s.status == Status::Breached { 3 } else { 1 })
        {
            println!("{:<36} {:<28}   ↳ {r}", "", "");
        }
    }
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
            println!("{:<36}   ↳ {}", "", i.basis_text);
        }
    }
    println!(
        "\n已逾期义务和已违反禁止性规定的单位罚款合计（同一罚款条款只计一次）：{}",
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
