//! Real-world samples sent over each transport end up in the store byte for byte, and are
//! found again by search.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use dengbao_listen::{kind, Counters, Ingest, NetworkMap};
use tokio::io::AsyncWriteExt;

/// Write `bytes` in pieces of 1, 2, 3, … 7 bytes, pausing between them, so the server's
/// reads end inside headers, inside messages and inside GBK characters.
async fn write_awkwardly<W: AsyncWriteExt + Unpin>(w: &mut W, bytes: &[u8]) {
    let mut at = 0;
    let mut size = 1;
    while at < bytes.len() {
        let end = (at + size).min(bytes.len());
        w.write_all(&bytes[at..end]).await.unwrap();
        w.flush().await.unwrap();
        at = end;
        size = size % 7 + 1;
        if at % 5 == 0 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
}

fn octet_counted(msgs: &[Vec<u8>]) -> Vec<u8> {
    let mut s = Vec::new();
    for m in msgs {
        s.extend_from_slice(format!("{} ", m.len()).as_bytes());
        s.extend_from_slice(m);
    }
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn udp_one_datagram_one_message() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    let svc = start(&logs, config("syslog_udp = \"127.0.0.1:0\"", "")).await;
    let to = addr(&svc, kind::SYSLOG_UDP);
    let sent = syslog_samples();
    let sock = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    for (i, m) in sent.iter().enumerate() {
        // Half of them with the LF trailer some senders add; it is not stored.
        let mut d = m.clone();
        if i % 2 == 0 {
            d.push(b'\n');
        }
        sock.send_to(&d, to).await.unwrap();
    }
    wait_stored(&svc, kind::SYSLOG_UDP, sent.len() as u64).await;
    let st = svc.status().unwrap();
    let c = &st.listeners[kind::SYSLOG_UDP].counters;
    assert_eq!((c.received, c.dropped_udp), (sent.len() as u64, 0));
    // malformed.log holds lines no parser understands: counted, and stored all the same.
    assert!(c.malformed >= 1, "{c:?}");
    svc.shutdown().await.unwrap();
    assert_stored_and_searchable(&logs, &sent, "udp:127.0.0.1:");
    assert!(stored(&logs).iter().all(|r| r.network == "测试网"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tcp_octet_counting_and_newline_framing_split_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    let svc = start(&logs, config("syslog_tcp = \"127.0.0.1:0\"", "")).await;
    let to = addr(&svc, kind::SYSLOG_TCP);
    let sent = syslog_samples();

    let mut a = tokio::net::TcpStream::connect(to).await.unwrap();
    a.set_nodelay(true).unwrap();
    write_awkwardly(&mut a, &octet_counted(&sent)).await;

    let mut b = tokio::net::TcpStream::connect(to).await.unwrap();
    b.set_nodelay(true).unwrap();
    let mut lines = Vec::new();
    for (i, m) in sent.iter().enumerate() {
        lines.extend_from_slice(m);
        lines.extend_from_slice(if i % 3 == 0 { b"\r\n" } else { b"\n" });
    }
    write_awkwardly(&mut b, &lines).await;
    drop((a, b));

    wait_stored(&svc, kind::SYSLOG_TCP, 2 * sent.len() as u64).await;
    let c = svc.status().unwrap().listeners[kind::SYSLOG_TCP]
        .counters
        .clone();
    assert_eq!((c.connections, c.truncated), (2, 0), "{c:?}");
    svc.shutdown().await.unwrap();
    let twice: Vec<Vec<u8>> = sent.iter().chain(sent.iter()).cloned().collect();
    assert_stored_and_searchable(&logs, &twice, "tcp:127.0.0.1:");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_octet_counted_with_a_self_signed_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let cert = dir.path().join("syslog.crt");
    let key = dir.path().join("syslog.key");
    std::fs::write(&cert, ck.cert.pem()).unwrap();
    std::fs::write(&key, ck.signing_key.serialize_pem()).unwrap();
    let listen = format!(
        "syslog_tls = \"127.0.0.1:0\"\ntls_cert = {:?}\ntls_key = {:?}",
        cert.display().to_string(),
        key.display().to_string()
    );
    let svc = start(&logs, config(&listen, "")).await;
    let to = addr(&svc, kind::SYSLOG_TLS);

    let mut roots = rustls::RootCertStore::empty();
    roots.add(ck.cert.der().clone()).unwrap();
    let client = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(client));
    let tcp = tokio::net::TcpStream::connect(to).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let mut tls = connector.connect(name, tcp).await.unwrap();
    let sent = syslog_samples();
    write_awkwardly(&mut tls, &octet_counted(&sent)).await;
    tls.shutdown().await.unwrap();

    // A client that does not speak TLS is turned away, and counted.
    let mut plain = tokio::net::TcpStream::connect(to).await.unwrap();
    plain.write_all(b"5 <13>x\n").await.unwrap();
    drop(plain);

    wait_stored(&svc, kind::SYSLOG_TLS, sent.len() as u64).await;
    let t = std::time::Instant::now();
    while svc.status().unwrap().listeners[kind::SYSLOG_TLS]
        .counters
        .rejected
        == 0
    {
        assert!(
            t.elapsed() < Duration::from_secs(15),
            "plain client not rejected"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    svc.shutdown().await.unwrap();
    assert_stored_and_searchable(&logs, &sent, "tls:127.0.0.1:");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_long_messages_are_cut_and_marked() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    let svc = start(
        &logs,
        config(
            "syslog_tcp = \"127.0.0.1:0\"",
            "[limits]\nmax_message = 2048",
        ),
    )
    .await;
    let to = addr(&svc, kind::SYSLOG_TCP);
    let long = [
        b"<13>Nov 20 08:12:01 web01 app: ".to_vec(),
        vec![b'x'; 5000],
    ]
    .concat();
    let short = sample_lines("linux-auth.log")[0].clone();
    let mut s = tokio::net::TcpStream::connect(to).await.unwrap();
    s.write_all(&octet_counted(&[long.clone(), short.clone()]))
        .await
        .unwrap();
    drop(s);
    wait_stored(&svc, kind::SYSLOG_TCP, 2).await;
    assert_eq!(
        svc.status().unwrap().listeners[kind::SYSLOG_TCP]
            .counters
            .truncated,
        1
    );
    svc.shutdown().await.unwrap();
    let recs = stored(&logs);
    let cut = recs
        .iter()
        .find(|r| r.raw.starts_with(b"<13>Nov 20"))
        .unwrap();
    assert_eq!(cut.raw, long[..2048]);
    assert!(
        cut.source.ends_with(&format!("#cut={}", long.len())),
        "{}",
        cut.source
    );
    assert!(recs
        .iter()
        .any(|r| r.raw == short && !r.source.contains("#cut")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn senders_map_to_networks_and_unmapped_ones_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    let text = "[listen]\nsyslog_tcp = \"127.0.0.1:0\"\nsyslog_udp = \"127.0.0.1:0\"\n[sources]\n\"10.0.0.0/8\" = \"办公网\"\n";
    let cfg = dengbao_listen::Config::parse(text, std::path::Path::new("listen.toml")).unwrap();
    let svc = start(&logs, cfg).await;
    let mut s = tokio::net::TcpStream::connect(addr(&svc, kind::SYSLOG_TCP))
        .await
        .unwrap();
    let _ = s.write_all(b"<13>hello\n").await;
    let u = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    u.send_to(b"<13>hello", addr(&svc, kind::SYSLOG_UDP))
        .await
        .unwrap();
    let t = std::time::Instant::now();
    loop {
        let st = svc.status().unwrap();
        let (tcp, udp) = (
            &st.listeners[kind::SYSLOG_TCP].counters,
            &st.listeners[kind::SYSLOG_UDP].counters,
        );
        if tcp.refused == 1 && udp.refused == 1 {
            assert_eq!((tcp.stored, udp.stored), (0, 0));
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(15), "{st:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    svc.shutdown().await.unwrap();
    assert!(stored(&logs).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn udp_counts_what_a_full_queue_drops() {
    // A queue of one job and no writer: the first gathered job waits, the rest are dropped.
    let (queue, _rx) = dengbao_listen::queue(1);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let networks: NetworkMap = config("", "").networks;
    let ing = Ingest {
        queue,
        networks: Arc::new(networks),
        limits: Default::default(),
        shutdown: stopped,
    };
    let sock = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let to = sock.local_addr().unwrap();
    let counters = Arc::new(Counters::default());
    let task = tokio::spawn(dengbao_listen::net::serve_udp(sock, ing, counters.clone()));
    let client = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let n = 200u64;
    for i in 0..n {
        client
            .send_to(
                format!("<13>Nov 20 08:12:01 web01 app: event {i}").as_bytes(),
                to,
            )
            .await
            .unwrap();
        // Let the listener take each datagram on its own, so each is one job.
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let t = std::time::Instant::now();
    loop {
        let c = counters.snapshot();
        if c.received == n {
            // Whatever did not fit in the one queued job was dropped and counted.
            assert!(c.dropped_udp >= 1 && c.dropped_udp < n, "{c:?}");
            assert_eq!(c.stored, 0);
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(15), "{c:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.send(true).unwrap();
    task.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tcp_stops_reading_while_the_writer_is_behind() {
    // A queue of one job and no writer: the reader queues one read's messages, waits with
    // the next, and reads nothing more — the sender's writes then block (TCP flow control).
    let (queue, _rx) = dengbao_listen::queue(1);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let ing = Ingest {
        queue,
        networks: Arc::new(config("", "").networks),
        limits: Default::default(),
        shutdown: stopped,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let to = listener.local_addr().unwrap();
    let counters = Arc::new(Counters::default());
    let task = tokio::spawn(dengbao_listen::net::serve_stream(
        listener,
        None,
        ing,
        counters.clone(),
    ));
    let msg = [
        b"<13>Nov 20 08:12:01 web01 app: ".as_slice(),
        &[b'x'; 225],
        b"\n",
    ]
    .concat();
    let len = msg.len();
    let written = tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut s = std::net::TcpStream::connect(to).unwrap();
        s.set_nonblocking(true).unwrap();
        let mut written = 0usize;
        let mut blocked = 0;
        // Until the kernel's buffers on both sides are full: writes keep failing.
        while blocked < 200 && written < 256 << 20 {
            match s.write(&msg) {
                Ok(n) => {
                    written += n;
                    blocked = 0;
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    blocked += 1;
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(e) => panic!("{e}"),
            }
        }
        written
    })
    .await
    .unwrap();
    let received = counters.snapshot().received as usize;
    assert!(written < 256 << 20, "the sender was never slowed down");
    // At most two reads (64 KiB each) were framed: one queued, one waiting for room.
    assert!(
        received * len <= 2 * 65_536 + len,
        "{received} messages read"
    );
    assert!(
        written > 4 * received * len,
        "{written} bytes written, {received} read"
    );
    stop.send(true).unwrap();
    task.await.unwrap();
}
