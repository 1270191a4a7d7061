//! `<data-dir>/logs/listen.toml`: where to listen, which source belongs to which network,
//! the HTTP ingest tokens, and the limits. Command-line flags override the addresses.
//!
//! ```toml
//! default_network = "办公网"          # unmapped senders go here; absent → they are refused
//! [listen]
//! syslog_udp = "0.0.0.0:514"
//! syslog_tcp = "0.0.0.0:601"
//! syslog_tls = "0.0.0.0:6514"
//! tls_cert = "/etc/dengbao/syslog.crt"   # PEM chain
//! tls_key = "/etc/dengbao/syslog.key"    # PEM private key
//! logs_http = "127.0.0.1:8514"
//! [sources]                             # CIDR or single IP → network; longest prefix wins
//! "10.20.0.0/16" = "办公网"
//! "10.30.0.8" = "生产网"
//! [[tokens]]                            # HTTP ingest: Authorization: Bearer <token>
//! name = "nxlog-dc01"
//! token = "change-me-long-random"
//! network = "办公网"
//! ```

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

/// The file name under `<data-dir>/logs/`.
pub const FILE_NAME: &str = "listen.toml";
/// The network senders go to when there is no `listen.toml` at all.
pub const BUILTIN_DEFAULT_NETWORK: &str = "default";

/// Addresses of the listeners; each is off unless given.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Addresses {
    pub syslog_udp: Option<SocketAddr>,
    pub syslog_tcp: Option<SocketAddr>,
    pub syslog_tls: Option<SocketAddr>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    pub logs_http: Option<SocketAddr>,
}

impl Addresses {
    pub fn any(&self) -> bool {
        self.syslog_udp.is_some()
            || self.syslog_tcp.is_some()
            || self.syslog_tls.is_some()
            || self.logs_http.is_some()
    }
}

/// One HTTP ingest token.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Token {
    /// Shown in the record's source (`http:<name>@<peer>`) and in the status; never the secret.
    pub name: String,
    pub token: String,
    pub network: String,
}

/// Limits; defaults in [`Limits::default`].
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Longest syslog message kept whole (bytes); longer frames are cut (see docs/logs.md).
    pub max_message: usize,
    /// Largest HTTP ingest body (bytes); larger → 413.
    pub max_body: usize,
    /// Jobs the writer's queue holds before TCP/TLS/HTTP readers wait and UDP drops.
    pub queue: usize,
    /// Most records per `append` (one fdatasync).
    pub batch_records: usize,
    /// Seal the WAL into segments at least this often (seconds) while records arrive.
    pub seal_every_secs: u64,
    /// Log the counters this often (seconds).
    pub report_every_secs: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_message: 64 * 1024,
            max_body: 16 * 1024 * 1024,
            queue: 1024,
            batch_records: 65_536,
            seal_every_secs: 60,
            report_every_secs: 60,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    default_network: Option<String>,
    #[serde(default)]
    listen: Addresses,
    #[serde(default)]
    sources: BTreeMap<String, String>,
    #[serde(default)]
    tokens: Vec<Token>,
    #[serde(default)]
    limits: Limits,
}

/// The whole listener configuration, checked.
#[derive(Debug, Clone)]
pub struct Config {
    pub addresses: Addresses,
    pub networks: NetworkMap,
    pub tokens: Vec<Token>,
    pub limits: Limits,
}

impl Default for Config {
    /// What applies without a `listen.toml`: every sender into [`BUILTIN_DEFAULT_NETWORK`].
    fn default() -> Self {
        Config {
            addresses: Addresses::default(),
            networks: NetworkMap {
                rules: Vec::new(),
                default: Some(BUILTIN_DEFAULT_NETWORK.to_string()),
            },
            tokens: Vec::new(),
            limits: Limits::default(),
        }
    }
}

impl Config {
    /// Read `<logs_dir>/listen.toml`; its absence gives [`Config::default`].
    pub fn load(logs_dir: &Path) -> Result<Config> {
        let path = logs_dir.join(FILE_NAME);
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::parse(&text, &path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(Error::Io {
                what: path.display().to_string(),
                source: e,
            }),
        }
    }

    /// Parse the text of a `listen.toml` (`path` names it in errors).
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let bad = |msg: String| Error::Config {
            path: path.to_path_buf(),
            msg,
        };
        let f: File = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
        let check = |field: &str, n: &str| {
            dengbao_logstore::store::validate_network(n).map_err(|e| bad(format!("{field}: {e}")))
        };
        if let Some(d) = &f.default_network {
            check("default_network", d)?;
        }
        let mut rules = Vec::new();
        for (cidr, network) in &f.sources {
            check(&format!("sources.\"{cidr}\""), network)?;
            let c = Cidr::parse(cidr).ok_or_else(|| {
                bad(format!(
                    "sources.\"{cidr}\": not an IP address or CIDR like 10.0.0.0/8 (不是 IP 地址或网段)"
                ))
            })?;
            rules.push((c, network.clone()));
        }
        // Longest prefix first, so the first match is the most specific.
        rules.sort_by_key(|r| std::cmp::Reverse(r.0.prefix));
        let mut seen = std::collections::HashSet::new();
        for (i, t) in f.tokens.iter().enumerate() {
            check(&format!("tokens[{i}].network"), &t.network)?;
            if t.token.len() < 16 {
                return Err(bad(format!(
                    "tokens[{i}] ({}): the token must be at least 16 characters (令牌至少 16 个字符)",
                    t.name
                )));
            }
            if !seen.insert(t.token.as_str()) {
                return Err(bad(format!(
                    "tokens[{i}] ({}): token used twice (令牌重复)",
                    t.name
                )));
            }
        }
        let l = &f.limits;
        if l.max_message < 2048 || l.max_body == 0 || l.queue == 0 || l.batch_records == 0 {
            return Err(bad(
                "limits: max_message ≥ 2048 (RFC 5425 §4.3.1), max_body, queue and batch_records > 0 (限制值无效)"
                    .into(),
            ));
        }
        Ok(Config {
            addresses: f.listen,
            networks: NetworkMap {
                rules,
                default: f.default_network,
            },
            tokens: f.tokens,
            limits: f.limits,
        })
    }
}

/// An IPv4/IPv6 network: address and prefix length.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// `10.0.0.0/8`, `2001:db8::/32`, or a single address (`/32`, `/128`).
    pub fn parse(s: &str) -> Option<Cidr> {
        let (a, p) = match s.trim().split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s.trim(), None),
        };
        let addr: IpAddr = a.parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max)?,
            None => max,
        };
        Some(Cidr { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        match (self.addr, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// `::ffff:10.0.0.1` (a dual-stack socket's view of an IPv4 peer) → `10.0.0.1`.
pub fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// Sender address → network.
#[derive(Debug, Clone)]
pub struct NetworkMap {
    rules: Vec<(Cidr, String)>,
    default: Option<String>,
}

impl NetworkMap {
    /// The network of a sender: the longest matching prefix, else the default, else `None`
    /// (the sender is refused).
    pub fn network_of(&self, ip: IpAddr) -> Option<&str> {
        self.rules
            .iter()
            .find(|(c, _)| c.contains(ip))
            .map(|(_, n)| n.as_str())
            .or(self.default.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(text: &str) -> Result<Config> {
        Config::parse(text, Path::new("listen.toml"))
    }

    #[test]
    fn longest_prefix_wins_and_default_catches_the_rest() {
        let c = cfg(r#"
default_network = "其他"
[sources]
"10.0.0.0/8" = "办公网"
"10.30.0.8" = "生产网"
"2001:db8::/32" = "v6"
"#)
        .unwrap();
        let n = |s: &str| {
            c.networks
                .network_of(s.parse().unwrap())
                .map(str::to_string)
        };
        assert_eq!(n("10.30.0.8").as_deref(), Some("生产网"));
        assert_eq!(n("10.30.0.9").as_deref(), Some("办公网"));
        assert_eq!(n("::ffff:10.30.0.8").as_deref(), Some("生产网"));
        assert_eq!(n("2001:db8::1").as_deref(), Some("v6"));
        assert_eq!(n("192.168.1.1").as_deref(), Some("其他"));
    }

    #[test]
    fn without_a_default_unmapped_senders_are_refused() {
        let c = cfg("[sources]\n\"10.0.0.0/8\" = \"办公网\"\n").unwrap();
        assert_eq!(c.networks.network_of("192.168.1.1".parse().unwrap()), None);
    }

    #[test]
    fn errors_name_the_field() {
        let e = cfg("[sources]\n\"10.0.0.0/33\" = \"a\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("10.0.0.0/33"), "{e}");
        let e = cfg("[[tokens]]\nname = \"x\"\ntoken = \"short\"\nnetwork = \"a\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("tokens[0]"), "{e}");
        let e = cfg("default_network = \"a/b\"\n").unwrap_err().to_string();
        assert!(e.contains("default_network"), "{e}");
    }
}
