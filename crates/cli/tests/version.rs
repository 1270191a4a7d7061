//! `dengbao --version` / `-V`: the version, the commit it was built from and the law
//! versions it carries (the same laws and versions `dengbao law sources --json` lists).

use std::path::Path;
use std::process::Command as Std;

use assert_cmd::Command;
use serde_json::Value;

fn dengbao() -> Command {
    let mut c = Command::cargo_bin("dengbao").expect("binary");
    c.current_dir(std::env::temp_dir());
    c
}

fn stdout_of(args: &[&str]) -> String {
    let out = dengbao().args(args).output().expect("run");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Std::new("git").args(args).current_dir(dir).output().ok()?;
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !s.is_empty()).then_some(s)
}

/// What build.rs records: `DENGBAO_COMMIT` when set, else HEAD of this checkout, else
/// `unknown` (no git, or a copy of the sources without `.git`).
fn expected_commit() -> String {
    if let Ok(c) = std::env::var("DENGBAO_COMMIT") {
        if !c.trim().is_empty() {
            return c.trim().to_string();
        }
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ours = git(dir, &["rev-parse", "--show-toplevel"]).and_then(|top| {
        let a = Path::new(&top).join("crates/cli").canonicalize().ok()?;
        (a == dir.canonicalize().ok()?).then_some(())
    });
    ours.and_then(|()| git(dir, &["rev-parse", "--short", "HEAD"]))
        .unwrap_or_else(|| "unknown".to_string())
}

#[test]
fn version_names_the_release_the_commit_and_every_law_version_carried() {
    let out = stdout_of(&["--version"]);
    let mut lines = out.lines();
    let first = lines.next().expect("a first line");
    assert_eq!(
        first,
        format!(
            "dengbao {} (commit {})",
            env!("CARGO_PKG_VERSION"),
            expected_commit()
        )
    );
    assert_eq!(lines.next(), Some("laws:"), "{out}");
    let law_lines: Vec<&str> = lines.collect();

    let sources: Value = serde_json::from_str(&stdout_of(&["law", "sources", "--json"]))
        .expect("law sources --json is JSON");
    let laws = sources["laws"].as_array().expect("laws");
    assert_eq!(law_lines.len(), laws.len(), "{out}");
    for law in laws {
        let id = law["id"].as_str().expect("id");
        let line = law_lines
            .iter()
            .find(|l| l.split_whitespace().next() == Some(id))
            .unwrap_or_else(|| panic!("no line for {id}: {out}"));
        let title = law["title"].as_str().expect("title");
        assert!(line.contains(&format!("《{title}》")), "{line}");
        let canonical = law["canonical"].as_str().expect("canonical");
        assert!(line.contains(&format!("{canonical} (canonical")), "{line}");
        for v in law["versions"].as_array().expect("versions") {
            let name = v["name"].as_str().expect("name");
            assert!(line.contains(name), "{id} {name} missing: {line}");
        }
    }
    // The Cybersecurity Law: the final text (主席令第五十三号) and the draft's liability chapter.
    let csl = law_lines
        .iter()
        .find(|l| l.trim_start().starts_with("csl"))
        .expect("csl line");
    assert!(
        csl.contains("《中华人民共和国网络安全法》 final (canonical), draft (partial)"),
        "{csl}"
    );
}

#[test]
fn short_version_is_one_line() {
    let out = stdout_of(&["-V"]);
    assert_eq!(
        out.trim_end(),
        format!(
            "dengbao {} (commit {})",
            env!("CARGO_PKG_VERSION"),
            expected_commit()
        )
    );
}
