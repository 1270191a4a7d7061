//! `dengbao duties --profile FILE.toml [--at DATE] --json` and `dengbao exposure …`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use dengbao_calendar::Calendar;
use dengbao_duties::{Catalog, DutyStatus, Exposure, Facts, LogRetention, Party, Profile, Status};
use jiff::Timestamp;

use crate::say::{msg, t};
use crate::{BadInput, Ctx};
use dengbao_types::Lang;

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
    /// Which rule drives the MLPS deadlines: `in-force` (《信息安全等级保护管理办法》 where
    /// it gives a figure, the default) or `draft` (the MLPS regulation draft). Each such
    /// duty shows the other rule beside it (decision 0205).
    #[arg(long, value_name = "RULE", default_value = "in-force", value_parser = parse_basis)]
    pub mlps_basis: dengbao_duties::MlpsBasis,
}

/// `--mlps-basis`: `in-force` or `draft`.
pub fn parse_basis(s: &str) -> Result<dengbao_duties::MlpsBasis, String> {
    dengbao_duties::MlpsBasis::parse(s).ok_or_else(|| {
        format!(
            "{s}: 应为 in-force（现行规定）或 draft（条例征求意见稿） / expected in-force or draft"
        )
    })
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
    let catalog = Catalog::builtin()
        .context("the embedded duty catalog")?
        .with_mlps_basis(args.mlps_basis);
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
        ..Default::default()
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
        )));
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
        print_duties(&l, ctx.lang);
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
        print_exposure(&l, &e, ctx.lang);
    }
    Ok(ExitCode::SUCCESS)
}

/// 网络：会员服务平台　等级：第三级　阶段：运行 / Network: … Level: Level 3 Stage: Running.
fn header(p: &Profile, lang: Lang) -> String {
    let name = match (p.network.name.is_empty(), lang) {
        (true, _) => t(lang, "（未命名）", "(unnamed)").to_string(),
        (false, Lang::ZhCn) => p.network.name.clone(),
        // A name is the user's own words: quoted in an English line.
        (false, Lang::En) => format!("“{}”", p.network.name),
    };
    format!(
        "{}{name}{}{}",
        t(lang, "网络：", "Network: "),
        t(lang, "　等级：", "  Level: "),
        msg(lang, &format!("level.{}", p.level.get()))
    )
}

fn print_duties(l: &Loaded, lang: Lang) {
    let p = &l.profile;
    println!(
        "{}{}{}",
        header(p, lang),
        t(lang, "　阶段：", "  Stage: "),
        dengbao_duties::words::stage(p.network.stage.id()).get(lang)
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
        let status = msg(lang, &format!("status.{}", order.id()));
        match lang {
            Lang::ZhCn => println!("\n【{status}】{} 项", rows.len()),
            Lang::En => println!("\n[{status}] {}", rows.len()),
        }
        println!(
            "{:<34} {:<26} {}",
            t(lang, "编号", "id"),
            t(lang, "期限", "due"),
            t(lang, "义务（依据）", "duty (basis)")
        );
        for s in rows {
            print_row(
                s,
                matches!(order, Status::Unknown | Status::Overdue | Status::Breached),
                lang,
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
        match lang {
            Lang::ZhCn => println!(
                "\n【他方义务】{} 项（可期待、可催办，不计入本单位的逾期和罚款）",
                others.len()
            ),
            Lang::En => println!(
                "\n[Other parties' duties] {} (to expect and chase; never counted against the operator)",
                others.len()
            ),
        }
        println!(
            "{:<34} {:<26} {}",
            t(lang, "编号", "id"),
            t(lang, "期限", "due"),
            t(lang, "义务（依据）", "duty (basis)")
        );
        for s in others {
            println!(
                "{:<36} {:<28} [{}·{}] {}",
                s.id(),
                due_text(s, lang),
                msg(lang, &format!("party.{}", party_id(s.duty.party))),
                msg(lang, &format!("status.{}", s.status.id())),
                duty_text(s, lang)
            );
        }
    }
    let na = l
        .statuses
        .iter()
        .filter(|s| s.status == Status::NotApplicable)
        .count();
    if l.statuses.iter().any(|s| s.provisional) {
        match lang {
            Lang::ZhCn => println!("\n（暂定）期限：{}", dengbao_calendar::PROVISIONAL_NOTE_ZH),
            Lang::En => println!(
                "\n(provisional) deadlines: {}",
                dengbao_calendar::PROVISIONAL_NOTE_EN
            ),
        }
    }
    match lang {
        Lang::ZhCn => println!("\n不适用：{na} 项（--json 列出全部）"),
        Lang::En => println!("\nNot applicable: {na} (--json lists them all)"),
    }
}

/// The party's catalog key (`party.public_security`).
fn party_id(p: Party) -> &'static str {
    match p {
        Party::Operator => "operator",
        Party::PublicSecurity => "public_security",
        Party::CompetentDepartment => "competent_department",
        Party::AssessmentBody => "assessment_body",
        Party::ServiceProvider => "service_provider",
    }
}

/// 义务名称（《网络安全法》第二十三条第（三）项） / title (Cybersecurity Law art. 23, item (3)).
fn duty_text(s: &DutyStatus, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("{}（{}）", s.title(), s.citations_zh()),
        Lang::En => format!("{} ({})", s.duty.title_en, s.citations_en()),
    }
}

/// A duty's due date, marked when a provisional calendar year decided it; a standing duty
/// says it has no statutory deadline.
fn due_text(s: &DutyStatus, lang: Lang) -> String {
    let mut due = match s.due {
        Some(d) => d.to_string(),
        None => t(lang, "无法定期限", "no statutory deadline").to_string(),
    };
    if s.provisional {
        due.push_str(t(lang, "（暂定）", " (provisional)"));
    }
    due
}

fn print_row(s: &DutyStatus, why: bool, lang: Lang) {
    println!(
        "{:<36} {:<28} {}",
        s.id(),
        due_text(s, lang),
        duty_text(s, lang)
    );
    // Why, for what is not settled — and for duties computed from facts (the log centre's
    // proof of retention), whose basis the reader cannot otherwise see.
    if why || s.duty.computed_from.is_some() {
        for r in s
            .reasons
            .iter()
            .take(if s.status == Status::Breached { 3 } else { 1 })
        {
            println!("{:<36} {:<28}   ↳ {}", "", "", r.get(lang));
        }
    }
    // Which rule set the date, when the rule in force and the draft regulation both speak
    // (decision 0205): always shown, since the two can give different dates.
    if let Some(b) = &s.basis {
        if s.status != Status::NotApplicable {
            println!("{:<36} {:<28}   ↳ {}", "", "", b.sentence().get(lang));
        }
    }
}

fn yuan(r: [u64; 2], lang: Lang) -> String {
    if r == [0, 0] {
        "—".to_string()
    } else {
        format!("{}–{} {}", r[0], r[1], t(lang, "元", "yuan"))
    }
}

fn print_exposure(l: &Loaded, e: &Exposure, lang: Lang) {
    println!("{}", header(&l.profile, lang));
    if e.items.is_empty() {
        println!(
            "{}",
            t(
                lang,
                "没有未履行的义务，无处罚敞口。",
                "No unmet duty: no penalty exposure."
            )
        );
    } else {
        println!(
            "\n{:<34} {:<8} {:<22} {:<22} {:<20} {}",
            t(lang, "义务", "duty"),
            t(lang, "状态", "status"),
            t(lang, "罚则", "penalty"),
            t(lang, "单位罚款", "fine (organisation)"),
            t(lang, "责任人员罚款", "fine (persons)"),
            t(lang, "从重", "aggravated")
        );
        for i in &e.items {
            let penalty = dengbao_types::Citation {
                law: Some(i.penalty.law.clone()),
                article: i.penalty.article,
                suffix: None,
                paragraph: i.penalty.paragraph,
                item: None,
                version: i.penalty.version.clone(),
            };
            let penalty = match lang {
                Lang::ZhCn => dengbao_duties::basis::cite_zh(&penalty),
                Lang::En => dengbao_duties::basis::cite_en(&penalty),
            };
            println!(
                "{:<36} {:<10} {:<22} {:<24} {:<22} {}",
                i.duty,
                msg(lang, &format!("status.{}", i.status.id())),
                penalty,
                yuan(i.org_fine, lang),
                yuan(i.person_fine, lang),
                if i.aggravated {
                    t(lang, "是", "yes")
                } else {
                    ""
                }
            );
            let basis = lang.pick(&i.basis_text, &i.basis_text_en);
            println!("{:<36}   ↳ {basis}", "");
            if let Some(first) = i.first_fine {
                println!(
                    "{:<36}   ↳ {}{}",
                    "",
                    t(lang, "首次违法可以处罚款：", "a fine at once is possible: "),
                    yuan(first, lang)
                );
            }
            if let Some(why) = &i.law_choice {
                println!("{:<36}   ↳ {}", "", why.get(lang));
            }
        }
    }
    match lang {
        Lang::ZhCn => {
            println!(
                "\n已逾期义务和已违反禁止性规定的单位罚款合计（同一罚款条款只计一次）：{}",
                yuan(e.org_fine_total, lang)
            );
            println!(
                "若待履行义务也逾期：{}",
                yuan(e.org_fine_total_if_due_missed, lang)
            );
        }
        Lang::En => {
            println!(
                "\nFines on the organisation for overdue duties and breached prohibitions (each provision once): {}",
                yuan(e.org_fine_total, lang)
            );
            println!(
                "If the duties now due are missed too: {}",
                yuan(e.org_fine_total_if_due_missed, lang)
            );
        }
    }
    for n in &e.notes {
        println!("{}{}", t(lang, "注：", "Note: "), n.get(lang));
    }
}
