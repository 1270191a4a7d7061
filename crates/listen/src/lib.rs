//! The log centre's network listeners (issue 4): syslog over UDP, TCP (RFC 6587 framing) and
//! TLS (RFC 5425), JSON lines over HTTP. Every listener hands records to one writer thread
//! that owns the [`dengbao_logstore::Store`] and group-commits them.
//!
//! ```text
//! UDP ──try_send (drop + count)──┐
//! TCP ──send (waits: backpressure)┼──► bounded queue ──► writer thread: append (fdatasync) ► ack ► seal every 60 s
//! TLS ──send─────────────────────┤
//! HTTP ─submit (waits for ack)───┘
//! ```
//!
//! Invariant: nothing is acknowledged (HTTP 200) before `append` returned; the raw bytes of
//! every message are stored as received, malformed ones included.

pub mod config;
pub mod counters;
pub mod error;
pub mod framing;
pub mod http;
pub mod metrics;
pub mod net;
pub mod tls;
pub mod writer;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use dengbao_logstore::store::SealReport;
use dengbao_logstore::{Record, Store};
use serde::Serialize;
use tokio::sync::watch;

pub use config::{Addresses, Config, Limits, NetworkMap, Token};
pub use counters::{Counters, Snapshot, WriterCounters, WriterSnapshot};
pub use error::{Error, Result};
pub use writer::{queue, Job, Queue, QueueRx};

/// What every listener task needs: the queue, the source → network map, limits, shutdown.
#[derive(Clone)]
pub struct Ingest {
    pub queue: Queue,
    pub networks: Arc<NetworkMap>,
    pub limits: Limits,
    /// Becomes `true` when the service stops: stop accepting and reading.
    pub shutdown: watch::Receiver<bool>,
}

/// True when no parser understands the message (logstore will flag it `parse_failed`).
pub fn malformed(rec: &Record) -> bool {
    dengbao_logstore::parse::parse(rec).flags & dengbao_logstore::parse::flags::PARSE_FAILED != 0
}

/// The listeners' names, as in the status and the start-up lines.
pub mod kind {
    pub const SYSLOG_UDP: &str = "syslog udp";
    pub const SYSLOG_TCP: &str = "syslog tcp";
    pub const SYSLOG_TLS: &str = "syslog tls";
    pub const LOGS_HTTP: &str = "logs http";
}

/// All counters, for `GET /status` and the minute report.
#[derive(Default)]
pub struct Status {
    pub listeners: BTreeMap<&'static str, (SocketAddr, Arc<Counters>)>,
    pub writer: Arc<WriterCounters>,
    /// The last `logs verify` recorded in the console's database, as `serve` last read it.
    pub last_verify: std::sync::Mutex<Option<LastVerify>>,
}

/// The last verify of the store (decision 0926): when, whether it passed, how many
/// checkpoints it checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastVerify {
    pub at_us: i64,
    pub ok: bool,
    pub checkpoints: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ListenerReport {
    pub address: SocketAddr,
    #[serde(flatten)]
    pub counters: Snapshot,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusReport {
    pub listeners: BTreeMap<&'static str, ListenerReport>,
    pub writer: WriterSnapshot,
    /// Jobs waiting for the writer, and the most the queue holds.
    pub queued: usize,
    pub queue_capacity: usize,
    /// The store's WAL, newest checkpoint and six-month floor per network, as the writer
    /// last published them (`None`: not yet).
    pub store: Option<dengbao_logstore::ops::OpsSnapshot>,
    pub last_verify: Option<LastVerify>,
}

impl Status {
    /// What `serve` last read of the store's verification from its database.
    pub fn set_last_verify(&self, v: Option<LastVerify>) {
        if let Ok(mut g) = self.last_verify.lock() {
            *g = v;
        }
    }

    pub fn report(&self, queue: &Queue) -> StatusReport {
        StatusReport {
            listeners: self
                .listeners
                .iter()
                .map(|(k, (a, c))| {
                    (
                        *k,
                        ListenerReport {
                            address: *a,
                            counters: c.snapshot(),
                        },
                    )
                })
                .collect(),
            writer: self.writer.snapshot(),
            queued: queue.capacity() - queue.room(),
            queue_capacity: queue.capacity(),
            store: self.writer.store.lock().ok().and_then(|g| g.clone()),
            last_verify: self.last_verify.lock().ok().and_then(|g| g.clone()),
        }
    }
}

/// The running listeners and their writer.
pub struct Service {
    queue: Option<Queue>,
    status: Arc<Status>,
    stop: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    writer: Option<std::thread::JoinHandle<Result<SealReport>>>,
    bound: Vec<(&'static str, SocketAddr)>,
}

impl Service {
    /// Bind every configured listener (all or nothing), then start the writer on `store`
    /// (opened for writing) and the listener tasks. Must run inside a tokio runtime.
    pub async fn start(store: Store, config: Config) -> Result<Service> {
        let a = &config.addresses;
        let bind_err = |what: &'static str, addr: SocketAddr| {
            move |source: std::io::Error| Error::Bind { what, addr, source }
        };
        let udp = match a.syslog_udp {
            Some(addr) => Some(
                tokio::net::UdpSocket::bind(addr)
                    .await
                    .map_err(bind_err(kind::SYSLOG_UDP, addr))?,
            ),
            None => None,
        };
        let tcp = match a.syslog_tcp {
            Some(addr) => Some(
                tokio::net::TcpListener::bind(addr)
                    .await
                    .map_err(bind_err(kind::SYSLOG_TCP, addr))?,
            ),
            None => None,
        };
        let tls = match a.syslog_tls {
            Some(addr) => {
                let (Some(cert), Some(key)) = (&a.tls_cert, &a.tls_key) else {
                    return Err(Error::Tls(
                        "syslog over TLS needs both a certificate and a key (--tls-cert, --tls-key or listen.toml) / 需要证书和私钥".into(),
                    ));
                };
                let acc = tls::acceptor(cert, key)?;
                let l = tokio::net::TcpListener::bind(addr)
                    .await
                    .map_err(bind_err(kind::SYSLOG_TLS, addr))?;
                Some((l, acc))
            }
            None => None,
        };
        let http = match a.logs_http {
            Some(addr) => Some(
                tokio::net::TcpListener::bind(addr)
                    .await
                    .map_err(bind_err(kind::LOGS_HTTP, addr))?,
            ),
            None => None,
        };
        let local = |r: std::io::Result<SocketAddr>| {
            r.map_err(|e| Error::Io {
                what: "the bound address".into(),
                source: e,
            })
        };

        let (queue, rx) = writer::queue(config.limits.queue);
        let (stop, stopped) = watch::channel(false);
        let ing = Ingest {
            queue: queue.clone(),
            networks: Arc::new(config.networks.clone()),
            limits: config.limits.clone(),
            shutdown: stopped,
        };
        let mut status = Status::default();
        let mut tasks = Vec::new();
        let mut bound = Vec::new();
        let mut add = |name: &'static str, addr: SocketAddr, status: &mut Status| {
            let c = Arc::new(Counters::default());
            status.listeners.insert(name, (addr, c.clone()));
            bound.push((name, addr));
            c
        };
        if let Some(sock) = udp {
            let c = add(kind::SYSLOG_UDP, local(sock.local_addr())?, &mut status);
            tasks.push(tokio::spawn(net::serve_udp(sock, ing.clone(), c)));
        }
        if let Some(l) = tcp {
            let c = add(kind::SYSLOG_TCP, local(l.local_addr())?, &mut status);
            tasks.push(tokio::spawn(net::serve_stream(l, None, ing.clone(), c)));
        }
        if let Some((l, acc)) = tls {
            let c = add(kind::SYSLOG_TLS, local(l.local_addr())?, &mut status);
            tasks.push(tokio::spawn(net::serve_stream(
                l,
                Some(acc),
                ing.clone(),
                c,
            )));
        }
        let http_listener = match http {
            Some(l) => {
                let c = add(kind::LOGS_HTTP, local(l.local_addr())?, &mut status);
                Some((l, c))
            }
            None => None,
        };
        let status = Arc::new(status);
        if let Some((l, c)) = http_listener {
            let state = http::HttpState {
                ing: ing.clone(),
                counters: c,
                tokens: Arc::new(config.tokens.clone()),
                status: status.clone(),
            };
            let app = http::router(state).into_make_service_with_connect_info::<SocketAddr>();
            let mut sd = ing.shutdown.clone();
            tasks.push(tokio::spawn(async move {
                let graceful = async move {
                    let _ = sd.wait_for(|s| *s).await;
                };
                if let Err(e) = axum::serve(l, app).with_graceful_shutdown(graceful).await {
                    tracing::error!(error = %e, "the logs HTTP listener failed");
                }
            }));
        }
        let writer = writer::spawn_writer(
            store,
            rx,
            writer::WriterOptions {
                batch_records: config.limits.batch_records,
                seal_every: Duration::from_secs(config.limits.seal_every_secs.max(1)),
            },
            status.writer.clone(),
        )?;
        writer::spawn_seal_timer(
            &queue,
            Duration::from_secs(config.limits.seal_every_secs.max(1)),
        );
        spawn_reporter(
            status.clone(),
            queue.clone(),
            ing.shutdown.clone(),
            Duration::from_secs(config.limits.report_every_secs.max(1)),
        );
        Ok(Service {
            queue: Some(queue),
            status,
            stop,
            tasks,
            writer: Some(writer),
            bound,
        })
    }

    /// What listens where (port 0 resolved), in start order.
    pub fn bound(&self) -> &[(&'static str, SocketAddr)] {
        &self.bound
    }

    /// The counters shared with the listeners: `serve` hands the last verify it read from
    /// its database to `/metrics` through [`Status::set_last_verify`].
    pub fn shared_status(&self) -> Arc<Status> {
        self.status.clone()
    }

    pub fn status(&self) -> Option<StatusReport> {
        self.queue.as_ref().map(|q| self.status.report(q))
    }

    /// Stop accepting and reading, let every queued record be appended, seal, and return the
    /// last seal's report.
    pub async fn shutdown(mut self) -> Result<SealReport> {
        let _ = self.stop.send(true);
        for t in self.tasks.drain(..) {
            let _ = t.await;
        }
        // Connection tasks end on the same signal and drop their queue handles; the writer
        // ends once the last one is gone and everything queued is durable.
        self.queue = None;
        let writer = self.writer.take();
        let report = tokio::task::spawn_blocking(move || match writer {
            Some(w) => w.join().unwrap_or(Err(Error::WriterGone)),
            None => Err(Error::WriterGone),
        })
        .await
        .unwrap_or(Err(Error::WriterGone))?;
        Ok(report)
    }
}

fn spawn_reporter(
    status: Arc<Status>,
    queue: Queue,
    mut shutdown: watch::Receiver<bool>,
    every: Duration,
) {
    // Holds a queue handle only to read its fill; ends on shutdown so the writer can stop.
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.tick().await;
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = shutdown.wait_for(|s| *s) => return,
            }
            let r = status.report(&queue);
            for (name, l) in &r.listeners {
                let c = &l.counters;
                tracing::info!(
                    listener = name,
                    received = c.received,
                    stored = c.stored,
                    dropped_udp = c.dropped_udp,
                    malformed = c.malformed,
                    truncated = c.truncated,
                    refused = c.refused,
                    failed = c.failed,
                    connections = c.connections,
                    open = c.open_connections,
                    "log listener counters"
                );
            }
            tracing::info!(
                batches = r.writer.batches,
                records = r.writer.records,
                seals = r.writer.seals,
                errors = r.writer.errors,
                queued = r.queued,
                "log writer counters"
            );
        }
    });
}
