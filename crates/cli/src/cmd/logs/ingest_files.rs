//! `dengbao logs ingest`: files → WAL (group commit per batch) → seal, with a progress bar.

use std::path::PathBuf;
use std::process::ExitCode;

use dengbao_logstore::{ingest, Format, Store};

use super::lib;
use crate::BadInput;

pub(super) fn ingest_files(
    store: &mut Store,
    files: &[PathBuf],
    network: &str,
    fmt: Format,
    received: jiff::Timestamp,
    lang: dengbao_types::Lang,
) -> anyhow::Result<ExitCode> {
    use dengbao_logstore::indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    let total: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .sum();
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let received = received.as_microsecond();
    let mut events = 0usize;
    let mut done = 0u64;
    for f in files {
        // Streamed: a batch of lines at a time, never the whole file (decision 0727).
        // Group commit: one fsync per batch; a batch is acknowledged when `append` returns.
        let n = ingest::for_each_batch(f, network, fmt, received, 8192, |batch, read| {
            store.append(batch).map_err(lib)?;
            bar.set_position(done + read);
            Ok::<(), anyhow::Error>(())
        })
        .map_err(|e| match e {
            ingest::BatchError::Read(e) => BadInput::new(format!("{}: {e}", f.display())),
            ingest::BatchError::Each(e) => e,
        })?;
        events += n;
        done += std::fs::metadata(f).map(|m| m.len()).unwrap_or(0);
        bar.set_position(done);
        bar.set_message(format!("{events} events"));
    }
    store.seal().map_err(lib)?;
    let sealed = store.sealed_since_open();
    bar.finish_and_clear();
    let cp = store.catalog().checkpoints.last();
    println!(
        "{}",
        super::lines::ingested(
            lang,
            events,
            files.len(),
            network,
            sealed.segments.len(),
            sealed.parse_failed as usize,
            cp.map_or(0, |c| c.seq),
            cp.map_or("-", |c| c.root.as_str())
        )
    );
    Ok(ExitCode::SUCCESS)
}
