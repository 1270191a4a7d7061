//! The time to check one host on each platform, library path (docs/benchmarks.md, "Host
//! checks"): the embedded checks loaded once, then RUNS checks of this machine's root
//! (Linux), of each Windows export set and of each device configuration among the crate's
//! fixtures, at level 3. Prints the median and worst wall time per check run. Read-only.
//!
//!   cargo run --release -p dengbao-hostcheck --example bench [RUNS]

use std::path::Path;
use std::time::{Duration, Instant};

use dengbao_hostcheck::{run, run_device, run_windows, Checks, DeviceConfig, Host};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runs: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(50);
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");

    let linux = Checks::builtin()?;
    let host = Host::open(Path::new("/"));
    let n = run(&linux, &host, 3).results.len();
    report("linux, this machine's root", n, runs, || {
        run(&linux, &Host::open(Path::new("/")), 3);
    });

    let windows = Checks::windows_builtin()?;
    for set in sorted_entries(&fixtures.join("windows"))? {
        let n = run_windows(&windows, &set, 3)?.results.len();
        report(&format!("windows, {}", name(&set)), n, runs, || {
            let _ = run_windows(&windows, &set, 3);
        });
    }

    let devices = Checks::device_builtin()?;
    for file in sorted_entries(&fixtures.join("devices"))? {
        let bytes = std::fs::read(&file)?;
        let label = name(&file);
        let n = run_device(&devices, &DeviceConfig::parse(&label, &bytes, None), 3)
            .results
            .len();
        report(&format!("device, {label}"), n, runs, || {
            // Reading and parsing are part of checking a configuration.
            let bytes = std::fs::read(&file).unwrap_or_default();
            run_device(&devices, &DeviceConfig::parse(&label, &bytes, None), 3);
        });
    }
    Ok(())
}

fn sorted_entries(dir: &Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut all = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()?;
    all.sort();
    Ok(all)
}

fn name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn report(what: &str, checks: usize, runs: usize, mut f: impl FnMut()) {
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "| {what} | {checks} | {:.2} ms | {:.2} ms |",
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1])
    );
}
