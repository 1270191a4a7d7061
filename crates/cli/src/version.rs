//! What `dengbao -V` / `--version` print: the version, the commit the binary was built from
//! (from build.rs; `unknown` without git) and the law versions the binary carries, read from
//! the embedded corpus manifest so the list follows the data.

use std::fmt::Write as _;

/// The commit the binary was built from, or `unknown`.
pub const COMMIT: &str = env!("DENGBAO_COMMIT");

/// `0.1.0 (commit 8b81aae)` — clap prefixes the binary's name.
pub fn short() -> String {
    format!("{} (commit {COMMIT})", env!("CARGO_PKG_VERSION"))
}

/// The short line, then one line per law: its id, title and versions, canonical first.
pub fn long() -> String {
    let mut s = short();
    match dengbao_corpus::carried_laws() {
        Ok(laws) => {
            s.push_str("\nlaws:");
            // Ids padded to the longest (`cryptolaw`) plus one space, so titles line up.
            let width = laws.iter().map(|l| l.id.len()).max().unwrap_or(0) + 1;
            for law in laws {
                let mut versions = law.versions;
                // The canonical version first, the others in manifest order.
                versions.sort_by_key(|v| v.name != law.canonical_version);
                let names: Vec<String> = versions
                    .iter()
                    .map(|v| {
                        let mut n = v.name.clone();
                        match (v.name == law.canonical_version, v.partial) {
                            (true, true) => n.push_str(" (canonical, partial)"),
                            (true, false) => n.push_str(" (canonical)"),
                            (false, true) => n.push_str(" (partial)"),
                            (false, false) => {}
                        }
                        n
                    })
                    .collect();
                let _ = write!(
                    s,
                    "\n  {:<width$}《{}》 {}",
                    law.id,
                    law.title,
                    names.join(", ")
                );
            }
        }
        Err(e) => {
            let _ = write!(s, "\nlaws: unreadable ({e})");
        }
    }
    s
}
