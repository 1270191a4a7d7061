//! `dengbao serve` and `dengbao audit verify`.
//!
//! First run: while no administrator exists, `serve` prints a one-time setup token to
//! stderr (only whoever runs the server sees it; only its argon2 hash is stored; each start
//! replaces it). `POST /api/setup {"setup_token", "administrator"}` turns it into the
//! first administrator and its API token (docs/decisions/0603-first-run-setup.md).

use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, Subcommand};
use dengbao_server::AppState;
use dengbao_store::Store;

use crate::{BadInput, Ctx};
use dengbao_types::Lang;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address for the HTTP API and console (port 0: any free port, printed on start).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// The reverse proxy in front of the console (its address): only its
    /// `X-Forwarded-For` names the client, for the sign-in limits and the anonymous
    /// denial counters.
    #[arg(long, value_name = "IP")]
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// Receive syslog over UDP here (RFC 5426), e.g. 0.0.0.0:514. Off unless given here or in
    /// <data-dir>/logs/listen.toml.
    #[arg(long, value_name = "ADDR")]
    pub syslog_udp: Option<String>,
    /// Receive syslog over TCP here (RFC 6587: octet-counting or newline framing), e.g. 0.0.0.0:601.
    #[arg(long, value_name = "ADDR")]
    pub syslog_tcp: Option<String>,
    /// Receive syslog over TLS here (RFC 5425), e.g. 0.0.0.0:6514; needs --tls-cert and --tls-key.
    #[arg(long, value_name = "ADDR")]
    pub syslog_tls: Option<String>,
    /// PEM certificate chain: the console and API are served over HTTPS with it (the
    /// session cookie is then `Secure`), and --syslog-tls uses it too.
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    pub tls_cert: Option<std::path::PathBuf>,
    /// PEM private key for --tls-cert.
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    pub tls_key: Option<std::path::PathBuf>,
    /// Receive JSON lines over HTTP here (POST /ingest with an ingest token from listen.toml;
    /// GET /status), e.g. 127.0.0.1:8514.
    #[arg(long, value_name = "ADDR")]
    pub logs_http: Option<String>,
    /// Which rule drives the MLPS deadlines: `in-force` (《信息安全等级保护管理办法》 where
    /// it gives a figure) or `draft` (the MLPS regulation draft); both are always shown.
    #[arg(long, value_name = "RULE", default_value = "in-force", value_parser = crate::cmd::duties::parse_basis)]
    pub mlps_basis: dengbao_duties::MlpsBasis,
    /// Administrators must set up two-step sign-in (TOTP) before using the console.
    #[arg(long)]
    pub require_admin_totp: bool,
}

/// The log listeners' configuration (listen.toml, overridden by the flags) and the log store
/// opened for writing — `None` when no listener is configured (the store is then not locked).
fn log_listeners(
    args: &ServeArgs,
    ctx: &Ctx,
) -> anyhow::Result<Option<(dengbao_logstore::Store, dengbao_listen::Config)>> {
    let logs = ctx.data_dir.join("logs");
    let mut cfg = dengbao_listen::Config::load(&logs).map_err(|e| BadInput::new(e.to_string()))?;
    let addr = |flag: &str, v: &Option<String>| -> anyhow::Result<Option<SocketAddr>> {
        v.as_deref()
            .map(|s| {
                s.parse().map_err(|_| {
                    BadInput::new(format!(
                        "--{flag} {s:?}: not an address like 0.0.0.0:514 (监听地址无效)"
                    ))
                })
            })
            .transpose()
    };
    let a = &mut cfg.addresses;
    if let Some(x) = addr("syslog-udp", &args.syslog_udp)? {
        a.syslog_udp = Some(x);
    }
    if let Some(x) = addr("syslog-tcp", &args.syslog_tcp)? {
        a.syslog_tcp = Some(x);
    }
    if let Some(x) = addr("syslog-tls", &args.syslog_tls)? {
        a.syslog_tls = Some(x);
    }
    if let Some(x) = addr("logs-http", &args.logs_http)? {
        a.logs_http = Some(x);
    }
    if let Some(p) = &args.tls_cert {
        a.tls_cert = Some(p.clone());
    }
    if let Some(p) = &args.tls_key {
        a.tls_key = Some(p.clone());
    }
    if a.syslog_tls.is_some() && (a.tls_cert.is_none() || a.tls_key.is_none()) {
        return Err(BadInput::new(
            "--syslog-tls needs --tls-cert PEM and --tls-key PEM (or tls_cert/tls_key in listen.toml) (TLS 需要证书和私钥)",
        ));
    }
    if !a.any() {
        return Ok(None);
    }
    let store = dengbao_logstore::Store::open(
        &logs,
        dengbao_logstore::OpenOptions {
            write: true,
            head: Some(super::logs::head_keeper(&ctx.data_dir)?),
            ..Default::default()
        },
    )
    .map_err(|e| match e {
        dengbao_logstore::Error::Refused(m) => anyhow::anyhow!(
            "cannot start the log listeners: {m}. Stop the other dengbao (serve or logs ingest) first. \
             (无法启动日志接收：日志库正被另一个 dengbao 进程占用)"
        ),
        other => anyhow::Error::new(other).context(format!("cannot open the log store {}", logs.display())),
    })?;
    Ok(Some((store, cfg)))
}

#[derive(Subcommand, Debug)]
pub enum AuditCmd {
    /// Check the audit log's hash chain; names the first bad entry.
    Verify {
        #[arg(long)]
        json: bool,
    },
}

pub(crate) async fn open(ctx: &Ctx) -> anyhow::Result<Store> {
    let what = match &ctx.database {
        Some(_) => "the PostgreSQL database (--database)".to_string(),
        None => format!("the database under {}", ctx.data_dir.display()),
    };
    let store = Store::open(&ctx.data_dir, ctx.database.as_deref())
        .await
        .map_err(|e| match e {
            dengbao_store::StoreError::UnsupportedUrl(_) => {
                BadInput::new(format!("--database: {e}"))
            }
            other => anyhow::Error::new(other).context(format!("cannot open {what}")),
        })?;
    // Scale-out (an S3 bucket in <data-dir>/logs/storage.toml): the audit head is also
    // kept in the object store, and verification compares against it (decision 0925).
    let logs = ctx.data_dir.join("logs");
    let cfg =
        dengbao_objstore::StorageConfig::load(&logs).map_err(|e| BadInput::new(e.to_string()))?;
    if matches!(cfg.blobs, dengbao_objstore::BlobConfig::S3(_)) {
        let (blobs, _) = dengbao_objstore::open(&cfg, &logs)
            .map_err(|e| anyhow::anyhow!("{}: {e}", logs.join("storage.toml").display()))?;
        return Ok(store.with_audit_mirror(std::sync::Arc::from(blobs)));
    }
    Ok(store)
}

pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

pub fn run_serve(args: ServeArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let addr: SocketAddr = args.listen.parse().map_err(|_| {
        BadInput::new(format!(
            "--listen {:?}: not an address like 127.0.0.1:8080 (监听地址无效)",
            args.listen
        ))
    })?;
    let logs = log_listeners(&args, ctx)?;
    // HTTPS for the console and API when the certificate is given on the command line.
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(
            dengbao_listen::tls::acceptor(cert, key)
                .map_err(|e| BadInput::new(format!("--tls-cert/--tls-key: {e}")))?,
        ),
        _ => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    // The console's language when a request names none: --lang / DENGBAO_LANG.
    dengbao_console::ctx::set_default_lang(ctx.lang);
    if args.require_admin_totp {
        dengbao_console::guard::require_admin_totp();
    }
    if let Some(proxy) = args.trusted_proxy {
        dengbao_server::client::set_trusted_proxy(proxy);
    }
    runtime()?.block_on(async {
        let log_service = match logs {
            Some((log_store, cfg)) => {
                let svc = dengbao_listen::Service::start(log_store, cfg)
                    .await
                    .context("cannot start the log listeners (无法启动日志接收)")?;
                for (kind, at) in svc.bound() {
                    println!("dengbao: {kind} listening on {at}");
                }
                Some(svc)
            }
            None => None,
        };
        let store = open(ctx).await?;
        // Every checkpoint the listeners commit is kept in the database too (decision 0926),
        // on a one-minute timer and once more after the final seal.
        let head_sync = match &log_service {
            Some(svc) => Some(super::logs::spawn_head_sync(
                store.clone(),
                ctx,
                svc.shared_status(),
            )?),
            None => None,
        };
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let local = listener.local_addr().context("the listening address")?;
        if let Some(token) = store.issue_setup_token().await.context("issuing the setup token")? {
            eprintln!(
                "dengbao: no administrator yet (尚未创建管理员). One-time setup token (一次性初始化令牌):\n\n    {token}\n\n\
                 Create the first administrator and its API token with:\n\n    \
                 curl -s -X POST {scheme}://{local}/api/setup -H 'Content-Type: application/json' \\\n      \
                 -d '{{\"setup_token\": \"{token}\", \"administrator\": \"admin\"}}'\n\n\
                 The token works once and is replaced each time the server starts without an administrator."
            );
        }
        let state = AppState::new(store.clone(), &ctx.data_dir)
            .and_then(|s| s.with_mlps_basis(args.mlps_basis))
            .context("cannot load the engine data")?;
        let shutdown = shutdown_signal()?;
        // The API line stays last: scripts wait for it and read the address from it.
        match ctx.lang {
            Lang::ZhCn => {
                println!("dengbao：网页控制台 {scheme}://{local}/");
                println!("dengbao：HTTP API {scheme}://{local}/api/");
            }
            Lang::En => {
                println!("dengbao: web console at {scheme}://{local}/");
                println!("dengbao: serving the API at {scheme}://{local}/api/");
            }
        }
        tracing::info!(%local, "serving");
        dengbao_console::serve_tls(listener, state, ctx.data_dir.join("logs"), tls, shutdown)
            .await
            .context("the HTTP server failed")?;
        if let Some(svc) = log_service {
            // Stop accepting, let every queued record be appended, seal (signed checkpoint).
            let sealed = svc.shutdown().await.context("stopping the log listeners")?;
            eprintln!("dengbao: log listeners stopped; sealed {} events", sealed.events);
        }
        if let Some(task) = head_sync {
            task.abort();
            super::logs::sync_heads_once(&store, ctx).await;
        }
        store.close().await;
        eprintln!("dengbao: stopped");
        Ok(ExitCode::SUCCESS)
    })
}

/// Ctrl-C or SIGTERM. The handlers are installed when this is called, not when the future
/// is first polled: a SIGTERM that arrives in between would otherwise kill the process
/// with the default action, skipping the graceful stop (drain the listeners, seal).
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).context("installing the SIGTERM handler")?;
        let mut int = signal(SignalKind::interrupt()).context("installing the SIGINT handler")?;
        Ok(async move {
            tokio::select! {
                _ = term.recv() => {},
                _ = int.recv() => {},
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}

pub fn run_audit(cmd: AuditCmd, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let AuditCmd::Verify { json } = cmd;
    runtime()?.block_on(async {
        let store = open(ctx).await?;
        let report = store
            .verify_audit()
            .await
            .context("reading the audit log")?;
        store.close().await;
        if json {
            println!("{}", serde_json::to_string_pretty(&report)?);
        } else if report.ok {
            match ctx.lang {
                Lang::ZhCn => println!(
                    "审计日志完整：{} 条记录，末条哈希 {}",
                    report.entries, report.last_hash
                ),
                Lang::En => println!(
                    "audit log intact: {} entries, last hash {}",
                    report.entries, report.last_hash
                ),
            }
        } else {
            let at = report.first_bad.unwrap_or_default();
            let why =
                dengbao_types::Text::from_joined(report.problem.as_deref().unwrap_or_default());
            match ctx.lang {
                Lang::ZhCn => println!("审计日志在第 {at} 条处被破坏：{}", why.zh),
                Lang::En => println!("audit log BROKEN at entry {at}: {}", why.en),
            }
        }
        Ok(if report.ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        })
    })
}
