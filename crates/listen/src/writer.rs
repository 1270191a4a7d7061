//! The one writer: every listener hands its records to a bounded queue; a single thread owns
//! the [`Store`], takes everything queued (up to `batch_records`), calls `append` once (one
//! `write` + `fdatasync`: group commit), and only then acknowledges each job's sender.
//!
//! Backpressure: [`Queue::send`] waits for room (TCP/TLS/HTTP readers then stop reading their
//! socket); [`Queue::try_send`] never waits (UDP counts what it had to drop).

use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use std::time::{Duration, Instant};

use dengbao_logstore::store::SealReport;
use dengbao_logstore::{Record, Store};
use tokio::sync::{mpsc, oneshot};

use crate::counters::{Counters, WriterCounters};
use crate::error::{Error, Result};

/// Records from one listener, acknowledged (if `ack` is set) once durable.
pub struct Job {
    pub records: Vec<Record>,
    pub counters: Arc<Counters>,
    pub ack: Option<oneshot::Sender<std::result::Result<(), String>>>,
}

enum Msg {
    Job(Job),
    /// Seal now if anything was appended since the last seal.
    Seal,
}

/// The sending side, cloned into every listener task.
#[derive(Clone)]
pub struct Queue {
    tx: mpsc::Sender<Msg>,
}

/// The receiving side, handed to [`spawn_writer`].
pub struct QueueRx {
    rx: mpsc::Receiver<Msg>,
}

/// A queue holding at most `capacity` jobs.
pub fn queue(capacity: usize) -> (Queue, QueueRx) {
    let (tx, rx) = mpsc::channel(capacity.max(1));
    (Queue { tx }, QueueRx { rx })
}

impl Queue {
    /// Wait for room, then queue (no acknowledgement).
    pub async fn send(&self, job: Job) -> Result<()> {
        self.tx
            .send(Msg::Job(job))
            .await
            .map_err(|_| Error::WriterGone)
    }

    /// Queue without waiting; gives the job back when the queue is full or closed.
    pub fn try_send(&self, job: Job) -> std::result::Result<(), Job> {
        self.tx
            .try_send(Msg::Job(job))
            .map_err(|e| match e.into_inner() {
                Msg::Job(j) => j,
                Msg::Seal => unreachable_job(),
            })
    }

    /// Queue and wait until the records are durable (`append` returned Ok).
    pub async fn submit(&self, records: Vec<Record>, counters: Arc<Counters>) -> Result<()> {
        let (ack, done) = oneshot::channel();
        self.send(Job {
            records,
            counters,
            ack: Some(ack),
        })
        .await?;
        match done.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(msg)) => Err(Error::Io {
                what: "the log store".into(),
                source: std::io::Error::other(msg),
            }),
            Err(_) => Err(Error::WriterGone),
        }
    }

    /// Free places in the queue (for the status).
    pub fn room(&self) -> usize {
        self.tx.capacity()
    }

    pub fn capacity(&self) -> usize {
        self.tx.max_capacity()
    }

    /// A handle that does not keep the writer alive (for the seal timer).
    fn weak(&self) -> mpsc::WeakSender<Msg> {
        self.tx.downgrade()
    }
}

/// `try_send` only ever sends `Msg::Job`, so the error gives a job back.
fn unreachable_job() -> Job {
    Job {
        records: Vec::new(),
        counters: Arc::default(),
        ack: None,
    }
}

/// Writer settings.
#[derive(Debug, Clone)]
pub struct WriterOptions {
    pub batch_records: usize,
    pub seal_every: Duration,
}

/// Start the writer thread. It ends when every [`Queue`] clone is dropped, after a last seal,
/// and returns that seal's report.
pub fn spawn_writer(
    mut store: Store,
    rx: QueueRx,
    opts: WriterOptions,
    counters: Arc<WriterCounters>,
) -> Result<std::thread::JoinHandle<Result<SealReport>>> {
    std::thread::Builder::new()
        .name("dengbao-log-writer".into())
        .spawn(move || run(&mut store, rx, &opts, &counters))
        .map_err(|e| Error::Io {
            what: "starting the log writer thread".into(),
            source: e,
        })
}

/// Ask the writer to seal every `every` (it seals only if something arrived). Ends with the writer.
pub fn spawn_seal_timer(queue: &Queue, every: Duration) -> tokio::task::JoinHandle<()> {
    let weak = queue.weak();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.tick().await;
        loop {
            tick.tick().await;
            let Some(tx) = weak.upgrade() else { return };
            // A full queue means the writer is busy and will seal on its own clock.
            let _ = tx.try_send(Msg::Seal);
        }
    })
}

fn run(
    store: &mut Store,
    mut rx: QueueRx,
    opts: &WriterOptions,
    counters: &WriterCounters,
) -> Result<SealReport> {
    let mut last_seal = Instant::now();
    let mut dirty = false;
    let mut jobs: Vec<Job> = Vec::new();
    let mut records: Vec<Record> = Vec::new();
    let mut full_at = Instant::now();
    publish(store, counters, &mut full_at);
    while let Some(first) = rx.rx.blocking_recv() {
        let mut seal_asked = false;
        let mut n = 0usize;
        let mut take = |m: Msg, jobs: &mut Vec<Job>, n: &mut usize| match m {
            Msg::Job(j) => {
                *n += j.records.len();
                jobs.push(j);
            }
            Msg::Seal => seal_asked = true,
        };
        take(first, &mut jobs, &mut n);
        while n < opts.batch_records {
            match rx.rx.try_recv() {
                Ok(m) => take(m, &mut jobs, &mut n),
                Err(_) => break,
            }
        }
        if n > 0 {
            let mut lens = Vec::with_capacity(jobs.len());
            for j in &mut jobs {
                lens.push(j.records.len() as u64);
                records.append(&mut j.records);
            }
            let result = store.append(&records);
            counters.batches.fetch_add(1, Relaxed);
            match &result {
                Ok(()) => {
                    counters.records.fetch_add(n as u64, Relaxed);
                    dirty = true;
                }
                Err(e) => {
                    counters.errors.fetch_add(1, Relaxed);
                    tracing::error!(error = %e, records = n, "append to the log store failed");
                }
            }
            records.clear();
            // Acknowledge only now: the batch is durable (or failed as a whole).
            for (j, k) in jobs.drain(..).zip(lens) {
                match &result {
                    Ok(()) => Counters::add(&j.counters.stored, k),
                    Err(_) => Counters::add(&j.counters.failed, k),
                }
                if let Some(ack) = j.ack {
                    let _ = ack.send(result.as_ref().map(|_| ()).map_err(|e| e.to_string()));
                }
            }
        } else {
            // Only seal requests (or empty jobs): still answer any ack.
            for j in jobs.drain(..) {
                if let Some(ack) = j.ack {
                    let _ = ack.send(Ok(()));
                }
            }
        }
        if dirty && (seal_asked || last_seal.elapsed() >= opts.seal_every) {
            seal(store, counters);
            dirty = false;
            last_seal = Instant::now();
        }
        publish(store, counters, &mut full_at);
    }
    // Every sender is gone: everything queued was appended above. Seal what remains.
    let report = store.seal()?;
    counters.seals.fetch_add(1, Relaxed);
    Ok(report)
}

/// How long the per-network part of the published state may go unrecomputed: the
/// six-month window moves with the clock even when no checkpoint is added.
const FLOOR_REFRESH: Duration = Duration::from_secs(60);

/// Hand `/metrics` the store's WAL, checkpoint and floor state (read from memory). The
/// seal timer wakes the loop every `seal_every`, so an idle store is refreshed too.
fn publish(store: &Store, counters: &WriterCounters, full_at: &mut Instant) {
    if let Ok(mut g) = counters.store.lock() {
        let checkpoints = store.catalog().checkpoints.len() as u64;
        match g.as_mut() {
            // No new checkpoint, and recently recomputed: only the WAL moved (cheap, every
            // batch).
            Some(s) if s.checkpoints == checkpoints && full_at.elapsed() < FLOOR_REFRESH => {
                s.refresh_unsealed(store)
            }
            _ => {
                *g = Some(store.ops_snapshot());
                *full_at = Instant::now();
            }
        }
    }
}

fn seal(store: &mut Store, counters: &WriterCounters) {
    match store.seal() {
        Ok(r) => {
            counters.seals.fetch_add(1, Relaxed);
            tracing::info!(
                events = r.events,
                segments = r.segments.len(),
                "sealed the log WAL into segments"
            );
        }
        Err(e) => {
            counters.errors.fetch_add(1, Relaxed);
            tracing::error!(error = %e, "sealing the log store failed (the WAL keeps the records)");
        }
    }
}
