//! Counters per listener and for the writer, read by `GET /status` and the minute report.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;

use serde::Serialize;

/// One listener's counters (all monotonic except `open_connections`).
#[derive(Debug, Default)]
pub struct Counters {
    /// Messages read off the wire (framed, before the queue).
    pub received: AtomicU64,
    /// Messages whose `append` returned Ok (durable).
    pub stored: AtomicU64,
    /// UDP datagrams dropped because the writer's queue was full.
    pub dropped_udp: AtomicU64,
    /// Messages no parser understood (stored raw, flagged `parse_failed`).
    pub malformed: AtomicU64,
    /// Over-long messages cut to `max_message` (stored, marked in their source).
    pub truncated: AtomicU64,
    /// Messages refused because their sender maps to no network (no `default_network`).
    pub refused: AtomicU64,
    /// Messages lost because `append` failed (disk full, I/O error); logged.
    pub failed: AtomicU64,
    /// Connections (TCP/TLS) or requests (HTTP) accepted since start.
    pub connections: AtomicU64,
    pub open_connections: AtomicU64,
    /// TLS handshakes, bad frames (TCP/TLS), or 401/413 answers (HTTP).
    pub rejected: AtomicU64,
}

/// A consistent-enough copy for JSON.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Snapshot {
    pub received: u64,
    pub stored: u64,
    pub dropped_udp: u64,
    pub malformed: u64,
    pub truncated: u64,
    pub refused: u64,
    pub failed: u64,
    pub connections: u64,
    pub open_connections: u64,
    pub rejected: u64,
}

impl Counters {
    pub fn add(c: &AtomicU64, n: u64) {
        c.fetch_add(n, Relaxed);
    }
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            received: self.received.load(Relaxed),
            stored: self.stored.load(Relaxed),
            dropped_udp: self.dropped_udp.load(Relaxed),
            malformed: self.malformed.load(Relaxed),
            truncated: self.truncated.load(Relaxed),
            refused: self.refused.load(Relaxed),
            failed: self.failed.load(Relaxed),
            connections: self.connections.load(Relaxed),
            open_connections: self.open_connections.load(Relaxed),
            rejected: self.rejected.load(Relaxed),
        }
    }
}

/// Decrements `open_connections` when a connection task ends, however it ends.
pub struct OpenGuard(pub Arc<Counters>);

impl OpenGuard {
    pub fn new(c: &Arc<Counters>) -> OpenGuard {
        c.connections.fetch_add(1, Relaxed);
        c.open_connections.fetch_add(1, Relaxed);
        OpenGuard(c.clone())
    }
}

impl Drop for OpenGuard {
    fn drop(&mut self) {
        self.0.open_connections.fetch_sub(1, Relaxed);
    }
}

/// The writer's counters.
#[derive(Debug, Default)]
pub struct WriterCounters {
    pub batches: AtomicU64,
    pub records: AtomicU64,
    pub seals: AtomicU64,
    pub errors: AtomicU64,
    /// The store's operational state, published by the writer after each batch and seal.
    pub store: std::sync::Mutex<Option<dengbao_logstore::ops::OpsSnapshot>>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct WriterSnapshot {
    /// `append` calls (each one fdatasync).
    pub batches: u64,
    pub records: u64,
    pub seals: u64,
    pub errors: u64,
}

impl WriterCounters {
    pub fn snapshot(&self) -> WriterSnapshot {
        WriterSnapshot {
            batches: self.batches.load(Relaxed),
            records: self.records.load(Relaxed),
            seals: self.seals.load(Relaxed),
            errors: self.errors.load(Relaxed),
        }
    }
}
