//! Syslog over UDP (RFC 5426: one datagram, one message), TCP (RFC 6587) and TLS (RFC 5425).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use dengbao_logstore::{Format, Record};
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::net::{TcpListener, UdpSocket};
use tokio_rustls::TlsAcceptor;

use crate::counters::{Counters, OpenGuard};
use crate::framing::{Frame, Framer};
use crate::writer::Job;
use crate::Ingest;

/// Datagrams already waiting are gathered into one job, up to this many.
const UDP_GATHER: usize = 256;
/// A TLS client that has not finished its handshake by then is dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Receive until shutdown. Never waits for the writer: a full queue drops the datagrams and
/// counts them in `dropped_udp`.
pub async fn serve_udp(sock: UdpSocket, ing: Ingest, counters: Arc<Counters>) {
    let mut buf = vec![0u8; 65_536];
    let mut shutdown = ing.shutdown.clone();
    loop {
        let first = tokio::select! {
            r = sock.recv_from(&mut buf) => r,
            _ = shutdown.wait_for(|s| *s) => return,
        };
        let mut records = Vec::new();
        let now = now_us();
        match first {
            Ok((n, peer)) => datagram(&buf[..n], peer, now, &ing, &counters, &mut records),
            // ICMP errors surface here on some systems; the socket is still good.
            Err(e) => {
                tracing::debug!(error = %e, "udp receive");
                continue;
            }
        }
        while records.len() < UDP_GATHER {
            match sock.try_recv_from(&mut buf) {
                Ok((n, peer)) => datagram(&buf[..n], peer, now, &ing, &counters, &mut records),
                Err(_) => break,
            }
        }
        if records.is_empty() {
            continue;
        }
        let job = Job {
            records,
            counters: counters.clone(),
            ack: None,
        };
        if let Err(job) = ing.queue.try_send(job) {
            Counters::add(&counters.dropped_udp, job.records.len() as u64);
        }
    }
}

fn datagram(
    d: &[u8],
    peer: SocketAddr,
    now: i64,
    ing: &Ingest,
    counters: &Counters,
    out: &mut Vec<Record>,
) {
    // One trailing LF (CRLF) or NUL is a trailer some senders add, not part of the message.
    let d = d
        .strip_suffix(b"\n")
        .map(|d| d.strip_suffix(b"\r").unwrap_or(d))
        .or_else(|| d.strip_suffix(b"\0"))
        .unwrap_or(d);
    if d.is_empty() {
        return;
    }
    Counters::add(&counters.received, 1);
    let peer = canonical_addr(peer);
    let Some(network) = ing.networks.network_of(peer.ip()) else {
        Counters::add(&counters.refused, 1);
        return;
    };
    let rec = Record {
        received_us: now,
        network: network.to_string(),
        source: format!("udp:{peer}"),
        format: Format::Auto,
        raw: d.to_vec(),
    };
    if crate::malformed(&rec) {
        Counters::add(&counters.malformed, 1);
    }
    out.push(rec);
}

/// Accept TCP (or, with `tls`, TLS) connections until shutdown; one task per connection.
pub async fn serve_stream(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    ing: Ingest,
    counters: Arc<Counters>,
) {
    let kind = if tls.is_some() { "tls" } else { "tcp" };
    let mut shutdown = ing.shutdown.clone();
    loop {
        let accepted = tokio::select! {
            r = listener.accept() => r,
            _ = shutdown.wait_for(|s| *s) => return,
        };
        let (sock, peer) = match accepted {
            Ok(x) => x,
            Err(e) => {
                // Out of file descriptors and the like: wait a little instead of spinning.
                tracing::warn!(error = %e, listener = kind, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let peer = canonical_addr(peer);
        let Some(network) = ing.networks.network_of(peer.ip()).map(str::to_string) else {
            // No network for this sender and no default: refuse the whole connection.
            Counters::add(&counters.refused, 1);
            tracing::warn!(%peer, listener = kind, "refused: the sender maps to no network (listen.toml)");
            continue;
        };
        let ing = ing.clone();
        let counters = counters.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            let guard = OpenGuard::new(&counters);
            match tls {
                None => connection(sock, peer, kind, network, ing, counters).await,
                Some(acc) => {
                    let mut sd = ing.shutdown.clone();
                    let hs = tokio::select! {
                        r = tokio::time::timeout(HANDSHAKE_TIMEOUT, acc.accept(sock)) => r,
                        _ = sd.wait_for(|s| *s) => return,
                    };
                    match hs {
                        Ok(Ok(stream)) => {
                            connection(stream, peer, kind, network, ing, counters).await
                        }
                        Ok(Err(e)) => {
                            Counters::add(&counters.rejected, 1);
                            tracing::info!(%peer, error = %e, "TLS handshake failed");
                        }
                        Err(_) => {
                            Counters::add(&counters.rejected, 1);
                            tracing::info!(%peer, "TLS handshake timed out");
                        }
                    }
                }
            }
            drop(guard);
        });
    }
}

/// Read, frame and queue until EOF or shutdown. Waiting for room in the queue stops the
/// reading, so a slow writer slows the sender down through TCP flow control.
async fn connection<S: AsyncRead + Unpin>(
    mut s: S,
    peer: SocketAddr,
    kind: &'static str,
    network: String,
    ing: Ingest,
    counters: Arc<Counters>,
) {
    let mut framer = Framer::new(ing.limits.max_message);
    let mut buf = vec![0u8; 64 * 1024];
    let mut frames = Vec::new();
    let mut shutdown = ing.shutdown.clone();
    let source = format!("{kind}:{peer}");
    loop {
        let n = tokio::select! {
            r = s.read(&mut buf) => match r {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => {
                    tracing::debug!(%peer, error = %e, "read");
                    break;
                }
            },
            // Bytes of a message not yet complete are not kept: the sender had no ack for them.
            _ = shutdown.wait_for(|s| *s) => return,
        };
        framer.feed(&buf[..n], &mut frames);
        if !frames.is_empty() && !ship(&mut frames, &source, &network, &ing, &counters).await {
            return;
        }
    }
    framer.finish(&mut frames);
    if !frames.is_empty() {
        ship(&mut frames, &source, &network, &ing, &counters).await;
    }
}

/// Queue the frames as one job; `false` when the writer is gone.
async fn ship(
    frames: &mut Vec<Frame>,
    source: &str,
    network: &str,
    ing: &Ingest,
    counters: &Arc<Counters>,
) -> bool {
    let now = now_us();
    let mut records = Vec::with_capacity(frames.len());
    let (mut malformed, mut cut) = (0u64, 0u64);
    for f in frames.drain(..) {
        let source = match f.cut {
            None => source.to_string(),
            Some(0) => format!("{source}#cut"),
            Some(n) => format!("{source}#cut={n}"),
        };
        cut += u64::from(f.cut.is_some());
        let rec = Record {
            received_us: now,
            network: network.to_string(),
            source,
            format: Format::Auto,
            raw: f.bytes,
        };
        malformed += u64::from(crate::malformed(&rec));
        records.push(rec);
    }
    Counters::add(&counters.received, records.len() as u64);
    Counters::add(&counters.malformed, malformed);
    Counters::add(&counters.truncated, cut);
    let job = Job {
        records,
        counters: counters.clone(),
        ack: None,
    };
    ing.queue.send(job).await.is_ok()
}

/// Microseconds since the epoch, now.
pub fn now_us() -> i64 {
    jiff::Timestamp::now().as_microsecond()
}

fn canonical_addr(a: SocketAddr) -> SocketAddr {
    SocketAddr::new(crate::config::canonical(a.ip()), a.port())
}
