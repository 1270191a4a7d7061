//! Only the log listeners, without the rest of `dengbao serve` — for measuring ingest with
//! real clients on a release build of this crate alone:
//!
//! ```text
//! cargo run --release -p dengbao-listen --example listen -- DIR 127.0.0.1:6601
//! loggen --inet --stream --rate 100000 --interval 10 127.0.0.1 6601
//! ```
//! Prints the counters every second and seals on Ctrl-C / SIGTERM.

use std::time::Duration;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(tcp)) = (args.next(), args.next()) else {
        return Err("usage: listen DIR TCP-ADDR [UDP-ADDR]".into());
    };
    let udp = args.next();
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async move {
        let store = dengbao_logstore::Store::open(
            std::path::Path::new(&dir),
            dengbao_logstore::OpenOptions {
                write: true,
                ..Default::default()
            },
        )?;
        let mut cfg = dengbao_listen::Config::default();
        cfg.addresses.syslog_tcp = Some(tcp.parse()?);
        cfg.addresses.syslog_udp = udp.map(|u| u.parse()).transpose()?;
        let svc = dengbao_listen::Service::start(store, cfg).await?;
        for (k, a) in svc.bound() {
            println!("dengbao: {k} listening on {a}");
        }
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    if let Some(s) = svc.status() {
                        eprintln!("{}", serde_json::to_string(&s)?);
                    }
                }
                _ = tokio::signal::ctrl_c() => break,
                _ = term.recv() => break,
            }
        }
        let t = std::time::Instant::now();
        let r = svc.shutdown().await?;
        eprintln!(
            "sealed {} events in {:.1} s",
            r.events,
            t.elapsed().as_secs_f64()
        );
        Ok(())
    })
}
