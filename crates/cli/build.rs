//! Build script: records the commit the binary is built from as `DENGBAO_COMMIT`, printed by
//! `dengbao --version`. The build never fails for want of git: without git, or outside this
//! repository's checkout (a source tarball, `cargo install` from a registry), the commit is
//! `unknown`. A packager can set `DENGBAO_COMMIT` in the environment instead (decision 0901).

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=DENGBAO_COMMIT");
    let commit = match std::env::var("DENGBAO_COMMIT") {
        Ok(c) if !c.trim().is_empty() => c.trim().to_string(),
        _ => from_git().unwrap_or_else(|| "unknown".to_string()),
    };
    println!("cargo:rustc-env=DENGBAO_COMMIT={commit}");
}

/// The short commit of HEAD when this crate is inside the git checkout it belongs to.
fn from_git() -> Option<String> {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    // Only this repository's checkout: a tarball unpacked inside some other git repository
    // must not report that repository's commit.
    let top = git(&manifest_dir, &["rev-parse", "--show-toplevel"])?;
    let ours = Path::new(&top).join("crates/cli").canonicalize().ok()?;
    if ours != manifest_dir.canonicalize().ok()? {
        return None;
    }
    let commit = git(&manifest_dir, &["rev-parse", "--short", "HEAD"])?;
    // Rebuild when HEAD moves: HEAD itself (checkout), its reflog (every commit, also on a
    // branch that lives only in packed-refs), the branch it points to and packed refs.
    // Only existing files are named, or cargo would rerun this every build.
    let mut watch = vec![
        git(&manifest_dir, &["rev-parse", "--git-path", "HEAD"]),
        git(&manifest_dir, &["rev-parse", "--git-path", "logs/HEAD"]),
    ];
    if let Some(branch) = git(&manifest_dir, &["symbolic-ref", "-q", "HEAD"]) {
        watch.push(git(&manifest_dir, &["rev-parse", "--git-path", &branch]));
    }
    watch.push(git(
        &manifest_dir,
        &["rev-parse", "--git-path", "packed-refs"],
    ));
    for path in watch.into_iter().flatten() {
        let path = manifest_dir.join(path);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    Some(commit)
}

/// Runs git in `dir`; its trimmed stdout on success, `None` on any failure.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!s.is_empty()).then_some(s)
}
