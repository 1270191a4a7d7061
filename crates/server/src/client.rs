//! Who is on the other end of a request: the connection's peer, or — when the peer is the
//! one trusted reverse proxy (`serve --trusted-proxy`) — the client that proxy names in
//! `X-Forwarded-For` (decision 0922). Sign-in limits, anonymous denial counters and the
//! `Secure` cookie decision all ask here, so the header is parsed in one place.

use std::net::IpAddr;
use std::sync::OnceLock;

use axum::http::request::Parts;
use axum::http::HeaderValue;

/// The reverse proxy whose `X-Forwarded-For` is believed; none by default, so a client
/// cannot choose the address its failures and denials count against.
static TRUSTED_PROXY: OnceLock<IpAddr> = OnceLock::new();

/// The trusted proxy, if one was set.
pub fn trusted_proxy() -> Option<IpAddr> {
    TRUSTED_PROXY.get().copied()
}

/// Sets the trusted proxy (the first call wins; `dengbao serve` makes it).
pub fn set_trusted_proxy(ip: IpAddr) {
    let _ = TRUSTED_PROXY.set(ip);
}

/// The connection's peer address, if the server recorded one.
pub fn peer(parts: &Parts) -> Option<IpAddr> {
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip())
}

/// The client's address: the connection's peer, or — when the peer is the trusted proxy —
/// the last address the proxy appended to `X-Forwarded-For`. `unknown` without a peer (a
/// router called directly, as in tests).
pub fn client_ip(peer: Option<IpAddr>, forwarded: Option<&HeaderValue>) -> String {
    let Some(peer) = peer else {
        return "unknown".into();
    };
    if TRUSTED_PROXY.get() == Some(&peer) {
        let last = forwarded
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|a| a.trim().parse::<IpAddr>().ok());
        if let Some(client) = last {
            return client.to_string();
        }
    }
    peer.to_string()
}

/// The client's address of a request (see [`client_ip`]).
pub fn of(parts: &Parts) -> String {
    client_ip(peer(parts), parts.headers.get("x-forwarded-for"))
}

/// Whether the request came from the trusted proxy.
pub fn from_trusted_proxy(parts: &Parts) -> bool {
    let p = peer(parts);
    p.is_some() && p == trusted_proxy()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_trusted_proxy_may_name_the_client() {
        let proxy: IpAddr = "10.0.0.2".parse().expect("an address");
        set_trusted_proxy(proxy);
        let header = HeaderValue::from_static("198.51.100.1, 203.0.113.7");
        assert_eq!(client_ip(Some(proxy), Some(&header)), "203.0.113.7");
        let other: IpAddr = "192.0.2.9".parse().expect("an address");
        assert_eq!(client_ip(Some(other), Some(&header)), "192.0.2.9");
        assert_eq!(client_ip(Some(proxy), None), "10.0.0.2");
        let junk = HeaderValue::from_static("not-an-address");
        assert_eq!(client_ip(Some(proxy), Some(&junk)), "10.0.0.2");
        assert_eq!(client_ip(None, Some(&header)), "unknown");
    }
}
