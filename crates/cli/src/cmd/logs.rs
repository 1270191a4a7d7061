//! `dengbao logs …`: the log centre. The store lives under `<data-dir>/logs/`. Every command
//! that writes — and above all every command that deletes — keeps the system clock; only
//! the read-only `coverage` report may be asked "as of" another time (decision 0920).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use dengbao_logstore::{
    crypto::{PublicKey, Suite},
    export, query,
    search::Request,
    store::parse_user_time,
    Error, Format, OpenOptions, Store,
};

use crate::{BadInput, Ctx};

pub(crate) mod db_head;
mod head;
mod ingest_files;
mod lines;
mod search;
mod stats;
mod top;
mod verify;
use ingest_files::ingest_files;

/// The time a read-only report is made as of. Never offered by a command that writes.
#[derive(Args, Debug, Clone, Default)]
pub struct ReportAt {
    /// Report as of this time (RFC 3339 or YYYY-MM-DD); also DENGBAO_NOW. Read-only.
    #[arg(long, env = "DENGBAO_NOW")]
    now: Option<String>,
}

#[derive(Args, Debug, Clone)]
pub struct Range {
    /// Events at or after this time (RFC 3339, or YYYY-MM-DD[ HH:MM[:SS]] in Asia/Shanghai).
    #[arg(long)]
    from: Option<String>,
    /// Events before this time.
    #[arg(long)]
    to: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum LogsCmd {
    /// Ingest log files (syslog RFC 5424/3164, JSON lines); raw bytes kept as evidence.
    Ingest {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The network (定级对象) these logs belong to.
        #[arg(long, default_value = "default")]
        network: String,
        /// auto | rfc5424 | rfc3164 | jsonl
        #[arg(long, default_value = "auto")]
        format: String,
        /// Hash and signature suite for a new store: sm3-sm2 (国密) or sha256-ed25519.
        #[arg(long, default_value = "sm3-sm2")]
        alg: String,
        /// When the files were received (RFC 3339 or YYYY-MM-DD; default: now). Dates lines
        /// without a year (RFC 3164) and lines that do not parse; checkpoints keep the
        /// system clock.
        #[arg(long)]
        received_at: Option<String>,
    },
    /// Search: terms, "quoted phrases", AND/OR/NOT, field:value (see docs/logs.md).
    Search {
        query: String,
        #[command(flatten)]
        range: Range,
        /// Events per page.
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// Start after this cursor: the `next` a previous page printed.
        #[arg(long)]
        after: Option<String>,
        /// One JSON object per line, then `{"next": cursor or null}`.
        #[arg(long)]
        json: bool,
    },
    /// Count matching events, in total and per day (or per hour with `--by hour`).
    Count {
        query: String,
        #[command(flatten)]
        range: Range,
        /// day | hour (Asia/Shanghai).
        #[arg(long, default_value = "day")]
        by: String,
        #[arg(long)]
        json: bool,
    },
    /// The most frequent values of a field among the matching events: host, app, source,
    /// or ip (IPv4 addresses written in the lines), e.g. `logs top ip '"Failed password"'`.
    Top {
        field: String,
        query: String,
        #[command(flatten)]
        range: Range,
        /// How many values.
        #[arg(short = 'n', long, default_value_t = 10)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Check every record, segment and signed checkpoint; name the first bad segment.
    Verify {
        #[arg(long)]
        json: bool,
        /// Also check a checkpoint kept outside the store (`logs checkpoint` output):
        /// the chain must still contain it and the tree must extend it.
        #[arg(long)]
        anchor: Option<PathBuf>,
    },
    /// Export matching events with inclusion proofs to one file for offline verification.
    Export {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        query: Option<String>,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Verify an export offline (optionally against a trusted public key or key file).
    VerifyExport {
        file: PathBuf,
        #[arg(long)]
        key: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// What the store holds per network: events, segments, bytes, oldest and newest event.
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Proof of retention per network and source: earliest event, gaps, integrity.
    Coverage {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        at: ReportAt,
    },
    /// Delete whole segments before a time; refused inside the six-month floor, which is
    /// measured from the system clock (and refused while the checkpoint chain is ahead of it).
    Delete {
        #[arg(long)]
        before: String,
        #[arg(long)]
        network: Option<String>,
    },
    /// Remove segments older than each network's retention policy (system clock).
    Expire,
    /// Set a network's retention in months (6 to 1200).
    Policy {
        #[arg(long)]
        network: String,
        #[arg(long)]
        months: u32,
    },
    /// Place a legal hold: nothing in the range may be removed until released.
    Hold {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        network: Option<String>,
    },
    /// List active legal holds.
    Holds,
    /// Release a legal hold.
    Release {
        id: u64,
        #[arg(long)]
        reason: String,
    },
    /// Print the public key that verifies this store's checkpoints.
    Pubkey,
    /// Print the latest signed checkpoint (to keep outside the store as an anchor).
    Checkpoint,
    /// Record the chain as it is now as the head kept outside the store
    /// (`<data-dir>/keys/log-head.json`), after looking into what `logs verify` reported.
    ResetHead,
}

/// The keeper of the chain's head outside the store, for every writer (`serve` too).
pub(crate) fn head_keeper(data_dir: &Path) -> anyhow::Result<dengbao_logstore::HeadKeeper> {
    head::keeper(data_dir)
}

fn store_dir(ctx: &Ctx) -> PathBuf {
    ctx.data_dir.join("logs")
}

fn time(s: &str, what: &str) -> anyhow::Result<jiff::Timestamp> {
    parse_user_time(s).ok_or_else(|| {
        BadInput::new(format!(
            "--{what} `{s}`: not a time (RFC 3339 or YYYY-MM-DD) / 时间格式错误"
        ))
    })
}

/// Library refusals and invalid input are the user's: exit 2.
fn lib(e: Error) -> anyhow::Error {
    match e {
        Error::Refused(m) | Error::Invalid(m) => BadInput::new(m),
        other => anyhow::Error::new(other),
    }
}

/// Open the store with the system clock (every writer, and reports as of now). A writer
/// keeps the chain's head outside the store (decision 0925).
fn open(ctx: &Ctx, write: bool, suite: Suite) -> anyhow::Result<Store> {
    let now = None;
    let head = if write {
        Some(head::keeper(&ctx.data_dir)?)
    } else {
        head::keeper_if_kept(&ctx.data_dir)?
    };
    let opts = OpenOptions {
        suite,
        now,
        write,
        head,
    };
    Store::open(&store_dir(ctx), opts).map_err(lib)
}

/// Open the store read-only for a report as of `at`.
fn open_report(ctx: &Ctx, at: &ReportAt) -> anyhow::Result<Store> {
    let now = at.now.as_deref().map(|t| time(t, "now")).transpose()?;
    let (suite, write) = (Suite::Sm3Sm2, false);
    let head = head::keeper_if_kept(&ctx.data_dir)?;
    let opts = OpenOptions {
        suite,
        now,
        write,
        head,
    };
    Store::open(&store_dir(ctx), opts).map_err(lib)
}

fn req(q: Option<&str>, range: &Range) -> anyhow::Result<Request> {
    Ok(Request {
        query: q.map(query::parse).transpose().map_err(lib)?,
        from_us: range
            .from
            .as_deref()
            .map(|t| time(t, "from"))
            .transpose()?
            .map(|t| t.as_microsecond()),
        to_us: range
            .to
            .as_deref()
            .map(|t| time(t, "to"))
            .transpose()?
            .map(|t| t.as_microsecond()),
        limit: None,
    })
}

fn json_line(v: &impl serde::Serialize) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer(&mut out, v)?;
    writeln!(out)?;
    Ok(())
}

pub fn run(cmd: LogsCmd, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    match cmd {
        LogsCmd::Ingest {
            files,
            network,
            format,
            alg,
            received_at,
        } => {
            let fmt = Format::parse_name(&format).ok_or_else(|| {
                BadInput::new(format!(
                    "--format `{format}`: use auto, rfc5424, rfc3164 or jsonl"
                ))
            })?;
            let suite = Suite::parse_name(&alg).ok_or_else(|| {
                BadInput::new(format!("--alg `{alg}`: use sm3-sm2 or sha256-ed25519"))
            })?;
            dengbao_logstore::store::validate_network(&network).map_err(lib)?;
            let received = received_at
                .as_deref()
                .map(|t| time(t, "received-at"))
                .transpose()?;
            let mut store = open(ctx, true, suite)?;
            let received = received.unwrap_or_else(|| store.now());
            let code = ingest_files(&mut store, &files, &network, fmt, received, ctx.lang)?;
            drop(store);
            db_head::sync_now(ctx, &head::keeper(&ctx.data_dir)?)?;
            Ok(code)
        }
        LogsCmd::Search {
            query,
            range,
            limit,
            after,
            json,
        } => {
            let store = open(ctx, false, Suite::Sm3Sm2)?;
            let r = req(Some(&query), &range)?;
            search::search(ctx, &store, r, limit, after.as_deref(), json)
        }
        LogsCmd::Top {
            field,
            query,
            range,
            limit,
            json,
        } => {
            let store = open(ctx, false, Suite::Sm3Sm2)?;
            top::top(
                &store,
                &req(Some(&query), &range)?,
                &field,
                limit,
                json,
                ctx.lang,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        LogsCmd::Count {
            query,
            range,
            by,
            json,
        } => {
            let store = open(ctx, false, Suite::Sm3Sm2)?;
            top::count(&store, &req(Some(&query), &range)?, &by, json)?;
            Ok(ExitCode::SUCCESS)
        }
        LogsCmd::Verify { json, anchor } => verify::run(ctx, json, anchor),
        LogsCmd::Export {
            from,
            to,
            query,
            output,
        } => {
            let store = open(ctx, false, Suite::Sm3Sm2)?;
            let range = Range {
                from: Some(from),
                to: Some(to),
            };
            let r = req(query.as_deref(), &range)?;
            let ex = store
                .export(&r, query.as_deref().unwrap_or(""))
                .map_err(lib)?;
            let bytes = serde_json::to_vec_pretty(&ex)?;
            std::fs::write(&output, bytes)
                .with_context(|| format!("writing {}", output.display()))?;
            println!(
                "{}",
                lines::exported(
                    ctx.lang,
                    ex.events.len(),
                    &output.display().to_string(),
                    ex.checkpoint.seq,
                    ex.checkpoint.tree_size
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        LogsCmd::VerifyExport { file, key, json } => {
            let bytes = std::fs::read(&file)
                .map_err(|e| BadInput::new(format!("{}: {e}", file.display())))?;
            let trusted = match key {
                None => None,
                Some(k) => {
                    let text = if Path::new(&k).exists() {
                        std::fs::read_to_string(&k)?
                    } else {
                        k
                    };
                    Some(PublicKey::from_text(&text).map_err(lib)?)
                }
            };
            let r = export::verify_export(&bytes, trusted.as_ref());
            if json {
                json_line(&r)?;
            } else if r.ok {
                println!(
                    "{}",
                    lines::export_verified(
                        ctx.lang,
                        r.events,
                        r.tree_size,
                        r.checkpoint_seq,
                        &r.root,
                        &r.signed_by
                    )
                );
            } else {
                println!("{}", lines::failed(ctx.lang, r.problems.len()));
                for p in &r.problems {
                    println!("  {}", lines::problem(ctx.lang, &p.to_string()));
                }
            }
            Ok(if r.ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        LogsCmd::Stats { json } => {
            let mut s = stats::stats(&open(ctx, false, Suite::Sm3Sm2)?);
            s.last_verify = db_head::last_verify(ctx)?;
            match json {
                true => println!("{}", serde_json::to_string_pretty(&s)?),
                false => stats::print(&s, ctx.lang),
            }
            Ok(ExitCode::SUCCESS)
        }
        LogsCmd::Coverage { json, at } => {
            let store = open_report(ctx, &at)?;
            let c = store.coverage(None);
            if json {
                println!("{}", serde_json::to_string_pretty(&c)?);
                return Ok(ExitCode::SUCCESS);
            }
            for line in lines::coverage(ctx.lang, &c) {
                println!("{line}");
            }
            Ok(ExitCode::SUCCESS)
        }
        LogsCmd::Delete { before, network } => {
            let t = time(&before, "before")?;
            let mut store = open(ctx, true, Suite::Sm3Sm2)?;
            let r = store.delete_before(t, network.as_deref()).map_err(lib)?;
            for line in lines::removal(ctx.lang, &r) {
                println!("{line}");
            }
            Ok(ExitCode::SUCCESS)
        }
        LogsCmd::Expire => {
            let mut store = open(ctx, true, Suite::Sm3Sm2)?;
            let r = store.expire().map_err(lib)?;
            for line in lines::removal(ctx.lang, &r) {
                println!("{line}");
            }
            Ok(ExitCode::SUCCESS)
        }
        LogsCmd::Policy { network, months } => {
            let mut store = open(ctx, true, Suite::Sm3Sm2)?;
            store.set_policy(&network, months).map_err(lib)?;
            println!("{}", lines::policy_set(ctx.lang, &network, months));
            Ok(ExitCode::SUCCESS)
        }
        LogsCmd::Hold {
            from,
            to,
            reason,
            network,
        } => {
            let (f, t) = (time(&from, "from")?, time(&to, "to")?);
            let mut store = open(ctx, true, Suite::Sm3Sm2)?;
            let id = store
                .place_hold(network.as_deref(), f, t, &reason)
                .map_err(lib)?;
            println!(
                "{}",
                lines::hold_placed(ctx.lang, id, &from, &to, network.as_deref())
            );
            Ok(ExitCode::SUCCESS)
        }
        LogsCmd::Holds => {
            let store = open(ctx, false, Suite::Sm3Sm2)?;
            for (_, h) in dengbao_logstore::holdfiles::read_all(&store_dir(ctx)).map_err(lib)? {
                println!("{}", lines::file_hold_line(ctx.lang, &h));
            }
            for h in store.holds() {
                println!(
                    "{}",
                    lines::hold_line(
                        ctx.lang,
                        h.id,
                        &h.from.to_string(),
                        &h.to.to_string(),
                        h.network.as_deref(),
                        &h.reason
                    )
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        LogsCmd::Release { id, reason } => {
            let mut store = open(ctx, true, Suite::Sm3Sm2)?;
            store.release_hold(id, &reason).map_err(lib)?;
            println!("{}", lines::released(ctx.lang, id));
            Ok(ExitCode::SUCCESS)
        }
        LogsCmd::Pubkey => {
            let store = open(ctx, false, Suite::Sm3Sm2)?;
            println!("{}", store.public_key().to_text());
            Ok(ExitCode::SUCCESS)
        }
        LogsCmd::Checkpoint => {
            let store = open(ctx, false, Suite::Sm3Sm2)?;
            let cp = store
                .catalog()
                .checkpoints
                .last()
                .ok_or_else(|| BadInput::new("no checkpoint yet / 尚无检查点"))?;
            print!("{}", cp.signed_text().map_err(lib)?);
            println!("sig {}", cp.sig);
            Ok(ExitCode::SUCCESS)
        }
        LogsCmd::ResetHead => {
            let store = open(ctx, true, Suite::Sm3Sm2)?;
            let old = store.reset_head().map_err(lib)?;
            let new = store.catalog().checkpoints.last().map(|c| c.seq);
            drop(store);
            db_head::reset_now(ctx, &head::keeper(&ctx.data_dir)?, new)?;
            println!("{}", head::reset_done(ctx.lang, old.as_ref(), new));
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub(crate) use db_head::{spawn_head_sync, sync_heads_once};
