//! The `dengbao` binary: argument parsing and glue over the library crates. No domain
//! logic lives here; each subcommand module turns flags into library calls and prints.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

mod cmd;
mod exit;
mod say;
mod version;

pub use exit::BadInput;

#[derive(Parser, Debug)]
#[command(
    name = "dengbao",
    version,
    about = "等保: China's Cybersecurity Law and MLPS as software"
)]
struct Cli {
    /// Where dengbao keeps its database, log store and local data files.
    #[arg(
        long,
        global = true,
        env = "DENGBAO_DATA",
        default_value = "./dengbao-data"
    )]
    data_dir: PathBuf,
    /// PostgreSQL URL (postgres://…); the embedded SQLite under --data-dir when absent.
    #[arg(long, global = true, env = "DENGBAO_DATABASE_URL")]
    database: Option<String>,
    /// The language of text output: zh-CN (default) or en.
    #[arg(long, global = true, env = "DENGBAO_LANG", default_value = "zh-CN", value_parser = parse_lang)]
    lang: dengbao_types::Lang,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// The law: parse statutes, show and search articles, compare versions.
    #[command(subcommand)]
    Law(cmd::law::LawCmd),
    /// 以案释法: public enforcement cases under the CSL and the MLPS — list and search.
    #[command(subcommand)]
    Cases(cmd::cases::CasesCmd),
    /// Training: quizzes generated from the law (each answer cited to its article), and a
    /// network's training records on a server.
    #[command(subcommand)]
    Training(cmd::training::TrainingCmd),
    /// Grade a network (定级) from harmed object and degree, read as JSON on stdin.
    Grade(cmd::grade::GradeArgs),
    /// China's working-day calendar.
    #[command(subcommand)]
    Calendar(cmd::calendar::CalendarCmd),
    /// The duties a network profile carries, with status and due dates.
    Duties(cmd::duties::ProfileArgs),
    /// The penalty exposure of a network profile's unmet duties.
    Exposure(cmd::duties::ProfileArgs),
    /// Incidents: the grade and the reports owed, with their deadlines.
    #[command(subcommand)]
    Incident(cmd::incident::IncidentCmd),
    /// The GB/T 22239-2019 requirement items (等保基本要求) per level, linked to duties.
    #[command(subcommand)]
    Controls(cmd::controls::ControlsCmd),
    /// Level assessment (等级测评): the 2025 conclusion rule.
    #[command(subcommand)]
    Assess(cmd::assess::AssessCmd),
    /// Host evidence: read-only checks of a server against the 安全计算环境 items.
    #[command(subcommand)]
    Host(cmd::host::HostCmd),
    /// The append-only audit log.
    #[command(subcommand)]
    Audit(cmd::serve::AuditCmd),
    /// API tokens: issue (with an optional expiry), list, revoke.
    #[command(subcommand)]
    Tokens(cmd::tokens::TokensCmd),
    /// Run the web console and the HTTP API on one port, and the log listeners when configured.
    Serve(cmd::serve::ServeArgs),
    /// The log centre: ingest, search, verify, export, retention.
    #[command(subcommand)]
    Logs(cmd::logs::LogsCmd),
}

/// What every command may need from the global flags.
pub struct Ctx {
    pub data_dir: PathBuf,
    pub database: Option<String>,
    /// One language at a time (decision 0934).
    pub lang: dengbao_types::Lang,
}

fn parse_lang(s: &str) -> Result<dengbao_types::Lang, String> {
    dengbao_types::Lang::parse(s)
        .ok_or_else(|| format!("{s:?}: 只支持 zh-CN 或 en / only zh-CN or en"))
}

fn main() -> ExitCode {
    restore_sigpipe();
    let cli = parse_args();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("DENGBAO_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let ctx = Ctx {
        data_dir: cli.data_dir,
        database: cli.database,
        lang: cli.lang,
    };
    let lang = ctx.lang;
    let result = match cli.command {
        Command::Law(c) => cmd::law::run(c, &ctx),
        Command::Cases(c) => cmd::cases::run(c, &ctx),
        Command::Training(c) => cmd::training::run(c, &ctx),
        Command::Grade(a) => cmd::grade::run(a, &ctx),
        Command::Calendar(c) => cmd::calendar::run(c, &ctx),
        Command::Duties(a) => cmd::duties::run_duties(a, &ctx),
        Command::Exposure(a) => cmd::duties::run_exposure(a, &ctx),
        Command::Incident(c) => cmd::incident::run(c, &ctx),
        Command::Controls(c) => cmd::controls::run(c, &ctx),
        Command::Assess(c) => cmd::assess::run(c, &ctx),
        Command::Host(c) => cmd::host::run_cmd(c, &ctx),
        Command::Audit(c) => cmd::serve::run_audit(c, &ctx),
        Command::Tokens(c) => cmd::tokens::run(c, &ctx),
        Command::Serve(a) => cmd::serve::run_serve(a, &ctx),
        Command::Logs(c) => cmd::logs::run(c, &ctx),
    };
    exit::report(result, lang)
}

/// The command line, with `-V` / `--version` naming the commit and the law versions carried.
fn parse_args() -> Cli {
    // clap keeps version strings for the life of the process; leaking these two once, at
    // start, is what that takes without clap's `string` feature.
    let short: &'static str = Box::leak(version::short().into_boxed_str());
    let long: &'static str = Box::leak(version::long().into_boxed_str());
    let matches = Cli::command()
        .version(short)
        .long_version(long)
        .get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// `dengbao duties … | head` must end quietly like any Unix tool, not panic in `println!`:
/// Rust ignores SIGPIPE by default, so restore the default action (terminate) at start.
#[cfg(unix)]
fn restore_sigpipe() {
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is a valid handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn restore_sigpipe() {}
