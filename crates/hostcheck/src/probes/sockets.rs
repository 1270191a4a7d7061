//! Listening sockets of the running host, from the kernel's tables in `/proc/net/tcp`,
//! `tcp6`, `udp` and `udp6` (files, not `ss` or `netstat`): a listed service listening on
//! an address other than loopback is reachable from the network. A mounted root has no
//! running state, so there nothing is decided.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::{evidence, Evidence, Outcome, Status};
use crate::host::{Host, Unread};
use crate::rules::{PortRule, Proto};

/// The kernel's tables, and what each holds.
const TABLES: [(&str, Proto); 4] = [
    ("/proc/net/tcp", Proto::Tcp),
    ("/proc/net/tcp6", Proto::Tcp),
    ("/proc/net/udp", Proto::Udp),
    ("/proc/net/udp6", Proto::Udp),
];

/// TCP_LISTEN in include/net/tcp_states.h; an unconnected UDP socket shows TCP_CLOSE.
const TCP_LISTEN: u8 = 0x0A;
const TCP_CLOSE: u8 = 0x07;

/// One listening socket, with the line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Socket {
    pub addr: IpAddr,
    pub port: u16,
    /// 1-based line number in the table.
    pub line: usize,
    /// The line's first four fields (slot, local, remote, state).
    pub fields: String,
}

impl Socket {
    fn endpoint(&self) -> String {
        match self.addr {
            IpAddr::V4(a) => format!("{a}:{}", self.port),
            IpAddr::V6(a) => format!("[{a}]:{}", self.port),
        }
    }

    fn loopback(&self) -> bool {
        match self.addr {
            IpAddr::V4(a) => a.is_loopback(),
            IpAddr::V6(a) => {
                a.is_loopback() || a.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
            }
        }
    }
}

/// The kernel prints an address as 32-bit words in the host's byte order (`%08X` of each
/// `__be32`), so the bytes come back with `to_ne_bytes`.
fn address(hex: &str) -> Option<IpAddr> {
    let word = |i: usize| {
        hex.get(i * 8..i * 8 + 8)
            .and_then(|w| u32::from_str_radix(w, 16).ok())
            .map(u32::to_ne_bytes)
    };
    match hex.len() {
        8 => Some(IpAddr::V4(Ipv4Addr::from(word(0)?))),
        32 => {
            let mut bytes = [0u8; 16];
            for i in 0..4 {
                bytes[i * 4..i * 4 + 4].copy_from_slice(&word(i)?);
            }
            Some(IpAddr::V6(Ipv6Addr::from(bytes)))
        }
        _ => None,
    }
}

/// `ADDR:PORT` in hex.
fn endpoint(field: &str) -> Option<(IpAddr, u16)> {
    let (addr, port) = field.split_once(':')?;
    if port.len() != 4 {
        return None;
    }
    Some((address(addr)?, u16::from_str_radix(port, 16).ok()?))
}

/// The listening sockets of one table: TCP in LISTEN, UDP bound and unconnected. A line
/// that is not a socket line is refused with its number, so a damaged table is never read
/// as "nothing listens".
pub fn parse(text: &str, proto: Proto) -> Result<Vec<Socket>, String> {
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, header)) if header.trim_start().starts_with("sl") => {}
        _ => return Err("第 1 行不是表头 / line 1 is not the table's header".into()),
    }
    let mut out = Vec::new();
    for (n, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let bad = || {
            format!(
                "第 {} 行不是套接字行 / line {} is not a socket line",
                n + 1,
                n + 1
            )
        };
        let fields: Vec<&str> = line.split_whitespace().take(4).collect();
        let [slot, local, remote, state] = fields[..] else {
            return Err(bad());
        };
        if !slot.ends_with(':') {
            return Err(bad());
        }
        let (addr, port) = endpoint(local).ok_or_else(bad)?;
        let (_, remote_port) = endpoint(remote).ok_or_else(bad)?;
        let state = u8::from_str_radix(state, 16).map_err(|_| bad())?;
        let listening = match proto {
            Proto::Tcp => state == TCP_LISTEN,
            Proto::Udp => state == TCP_CLOSE && remote_port == 0,
        };
        if listening {
            out.push(Socket {
                addr,
                port,
                line: n + 1,
                fields: fields.join(" "),
            });
        }
    }
    Ok(out)
}

fn name(proto: Proto) -> &'static str {
    match proto {
        Proto::Tcp => "tcp",
        Proto::Udp => "udp",
    }
}

pub fn listening(host: &Host, ports: &[PortRule]) -> Outcome {
    if !host.live {
        return Outcome::new(
            Status::Unknown,
            "挂载的根目录没有运行状态，看不到监听端口 / a mounted root has no running state: listening ports cannot be seen".into(),
            Vec::new(),
        );
    }
    let mut exposed = Vec::new();
    let mut local_only = Vec::new();
    let mut counts = Vec::new();
    for (path, proto) in TABLES {
        let text = match host.read(path) {
            Ok(t) => t,
            // tcp6/udp6 are absent when IPv6 is off.
            Err(Unread::Missing) => continue,
            Err(e) => return Outcome::unread(path, &e),
        };
        let sockets = match parse(&text, proto) {
            Ok(s) => s,
            Err(why) => {
                return Outcome::new(
                    Status::Unknown,
                    format!("{path}：{why}"),
                    vec![Evidence {
                        path: path.into(),
                        line: None,
                        text: why,
                    }],
                )
            }
        };
        counts.push(Evidence {
            path: path.into(),
            line: None,
            text: format!("{} 个监听套接字 / listening sockets", sockets.len()),
        });
        for s in sockets {
            let Some(rule) = ports.iter().find(|r| r.covers(proto, s.port)) else {
                continue;
            };
            let text = format!(
                "{} {} {}（{}）← {}",
                s.endpoint(),
                name(proto),
                if s.loopback() {
                    "仅本机 / loopback only"
                } else {
                    "监听 / listening"
                },
                rule.service,
                s.fields
            );
            let e = evidence(path, s.line, &text);
            if s.loopback() {
                local_only.push(e);
            } else {
                exposed.push((format!("{} {}/{}", rule.service, s.port, name(proto)), e));
            }
        }
    }
    if counts.is_empty() {
        return Outcome::new(
            Status::Unknown,
            "/proc/net 中没有套接字表 / no socket table under /proc/net".into(),
            Vec::new(),
        );
    }
    if !exposed.is_empty() {
        let mut names: Vec<&str> = exposed.iter().map(|(n, _)| n.as_str()).collect();
        names.dedup();
        let names = names.join(", ");
        return Outcome::new(
            Status::Fail,
            format!("在非本机地址上监听：{names}；停用该服务，或只监听 127.0.0.1 / listening beyond loopback: {names}; stop the service or bind it to 127.0.0.1"),
            exposed.into_iter().map(|(_, e)| e).collect(),
        );
    }
    let mut ev = counts;
    ev.extend(local_only);
    Outcome::new(
        Status::Pass,
        "所列明文或不必要的服务均未在非本机地址上监听 / none of the listed services listens beyond loopback".into(),
        ev,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_decodes_to_its_listening_sockets() {
        let tcp = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 3500007F:0035 00000000:0000 0A 00000000:00000000 00:00000000 00000000   101        0 17811 1 0000000000000000 100 0 0 10 5\n   1: 00000000:0017 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21417 1 0000000000000000 100 0 0 10 0\n   2: 0F02000A:0016 0202000A:C350 01 00000000:00000000 02:0009B6A4 00000000     0        0 31254 4 0000000000000000 20 4 31 10 -1\n";
        let s = parse(tcp, Proto::Tcp).unwrap();
        // The established connection (state 01) is not listening.
        assert_eq!(s.len(), 2);
        if cfg!(target_endian = "little") {
            assert_eq!(s[0].endpoint(), "127.0.0.53:53");
            assert!(s[0].loopback());
            assert_eq!(s[1].endpoint(), "0.0.0.0:23");
            assert!(!s[1].loopback());
            assert_eq!(s[1].line, 3);
        }
        let tcp6 = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 00000000000000000000000001000000:0277 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 20001 1 0000000000000000 100 0 0 10 0\n   1: 00000000000000000000000000000000:1770 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 20002 1 0000000000000000 100 0 0 10 0\n";
        let s = parse(tcp6, Proto::Tcp).unwrap();
        if cfg!(target_endian = "little") {
            assert_eq!(s[0].endpoint(), "[::1]:631");
            assert!(s[0].loopback());
            assert_eq!(s[1].endpoint(), "[::]:6000");
        }
        // UDP: bound and unconnected only.
        let udp = "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n  461: 00000000:00A1 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 19872 2 0000000000000000 0\n  462: 0F02000A:D431 08080808:0035 01 00000000:00000000 00:00000000 00000000     0        0 19873 2 0000000000000000 0\n";
        let s = parse(udp, Proto::Udp).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].port, 161);
    }

    #[test]
    fn a_damaged_table_is_refused_naming_the_line() {
        let e = parse(
            "  sl  local_address\n   0: zz:0017 00000000:0000 0A\n",
            Proto::Tcp,
        )
        .unwrap_err();
        assert!(e.contains("line 2"), "{e}");
        assert!(parse("", Proto::Tcp).is_err());
        assert!(parse("0: 00000000:0017 00000000:0000 0A\n", Proto::Tcp).is_err());
    }
}
