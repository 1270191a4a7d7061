//! The HTTP/1 server loop under the console and the API (decision 0921): axum's router on
//! hyper, with a deadline for a request's headers so a connection that trickles them in
//! (slowloris) is closed, and the peer address for the sign-in rate limiter. Bodies get
//! their own limits and deadlines from who asks ([`crate::csrf`]).

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

pub use crate::middleware::ServedOverTls;

/// A client has this long to send a request's headers (the first, and each next one on a
/// kept-alive connection) before the connection is closed.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Serve `app` on `listener` until `shutdown` completes, then let requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_tls(listener, app, None, shutdown).await
}

/// [`serve`], each connection over TLS first when `tls` is given. The handshake has the
/// header deadline too; a request that came over TLS carries [`ServedOverTls`].
pub async fn serve_tls(
    listener: TcpListener,
    app: Router,
    tls: Option<TlsAcceptor>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop_tx, stop_rx) = watch::channel(false);
    // Every connection task holds a receiver; `closed()` resolves when all have ended.
    let (alive_tx, alive_rx) = watch::channel(());
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!(error = %e, "accepting a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let over_tls = tls.is_some();
        let svc = app
            .clone()
            .map_request(move |mut req: hyper::Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                if over_tls {
                    req.extensions_mut().insert(ServedOverTls);
                }
                req.map(axum::body::Body::new)
            });
        let stop = stop_rx.clone();
        let alive = alive_rx.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                None => connection(TokioIo::new(stream), svc, stop).await,
                Some(acceptor) => {
                    let shake = tokio::time::timeout(HEADER_READ_TIMEOUT, acceptor.accept(stream));
                    match shake.await {
                        Ok(Ok(s)) => connection(TokioIo::new(s), svc, stop).await,
                        Ok(Err(e)) => tracing::debug!(error = %e, %peer, "TLS handshake failed"),
                        Err(_) => tracing::debug!(%peer, "TLS handshake took too long"),
                    }
                }
            }
            drop(alive);
        });
    }
    drop(alive_rx);
    let _ = stop_tx.send(true);
    alive_tx.closed().await;
    Ok(())
}

/// One HTTP/1 connection with the header deadline, ended gracefully on `stop`.
async fn connection<I, S>(io: I, svc: S, mut stop: watch::Receiver<bool>)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
    S: tower::Service<
            hyper::Request<Incoming>,
            Response = axum::response::Response,
            Error = std::convert::Infallible,
        > + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    let mut b = hyper::server::conn::http1::Builder::new();
    b.timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    let conn = b
        .serve_connection(io, TowerToHyperService::new(svc))
        .with_upgrades();
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        _ = stop.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}
