//! The worked examples of docs/logs.md ("Query syntax") are run as written: every
//! `$ dengbao …` line of the block after the `<!-- tested: … -->` mark is executed on the
//! sample files and its standard output must be the lines the document shows under it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

const NOW: &str = "2026-11-25T10:00:00+08:00";
const MARK: &str = "<!-- tested: crates/cli/tests/logs_docs.rs";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// One example: the command's words and the output the document shows.
struct Example {
    line: String,
    words: Vec<String>,
    output: String,
}

/// Split a shell line as `sh` would for these examples: single quotes are literal, double
/// quotes group, a backslash outside quotes escapes the next character.
fn shell_words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                let w = cur.get_or_insert_with(String::new);
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    w.push(c);
                }
            }
            '"' => {
                let w = cur.get_or_insert_with(String::new);
                for c in chars.by_ref() {
                    if c == '"' {
                        break;
                    }
                    w.push(c);
                }
            }
            '\\' => cur.get_or_insert_with(String::new).extend(chars.next()),
            c if c.is_whitespace() => out.extend(cur.take()),
            c => cur.get_or_insert_with(String::new).push(c),
        }
    }
    out.extend(cur);
    out
}

fn examples() -> Vec<Example> {
    let doc = std::fs::read_to_string(root().join("docs/logs.md")).unwrap();
    let at = doc
        .find(MARK)
        .expect("docs/logs.md has the tested examples' mark");
    let rest = &doc[at..];
    let open = rest
        .find("```console\n")
        .expect("a console block after the mark")
        + 11;
    let close = rest[open..].find("```").expect("the block ends") + open;
    let mut out: Vec<Example> = Vec::new();
    for line in rest[open..close].lines() {
        if let Some(cmd) = line.strip_prefix("$ ") {
            let words = shell_words(cmd);
            assert_eq!(words.first().map(String::as_str), Some("dengbao"), "{line}");
            out.push(Example {
                line: line.to_string(),
                words: words[1..].to_vec(),
                output: String::new(),
            });
        } else {
            let ex = out.last_mut().expect("output after a command");
            ex.output.push_str(line);
            ex.output.push('\n');
        }
    }
    out
}

fn dengbao(data: &Path) -> Command {
    let mut c = Command::cargo_bin("dengbao").unwrap();
    c.env("DENGBAO_DATA", data)
        .env("DENGBAO_NOW", NOW)
        .env_remove("DENGBAO_LANG")
        .env_remove("DENGBAO_DATABASE_URL");
    c
}

#[test]
fn the_worked_examples_print_what_the_document_shows() {
    let tmp = tempfile::tempdir().unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("data/logs/samples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    dengbao(tmp.path())
        .args([
            "logs",
            "ingest",
            "--network",
            "办公网",
            "--received-at",
            NOW,
        ])
        .args(&files)
        .assert()
        .success();
    let examples = examples();
    // Every query class of the document's table has an example.
    assert!(examples.len() >= 12, "{} examples", examples.len());
    let mut failures = Vec::new();
    for ex in &examples {
        let out = dengbao(tmp.path()).args(&ex.words).output().unwrap();
        let got = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() || got != ex.output {
            failures.push(format!(
                "{}\n  exit {:?}\n  document:\n{}  program:\n{}  stderr: {}",
                ex.line,
                out.status.code(),
                ex.output,
                got,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn shell_words_are_split_as_sh_would() {
    assert_eq!(
        shell_words(r#"dengbao logs count 'a "b"' "c d" e\ f --by hour"#),
        ["dengbao", "logs", "count", "a \"b\"", "c d", "e f", "--by", "hour"]
    );
}
