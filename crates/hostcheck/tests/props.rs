//! Property tests of every file the host checks parse: sshd_config (with Include and
//! Match), PAM stacks (with includes), `KEY VALUE` settings, sysctl, logrotate,
//! os-release, passwd/shadow and the /proc/net socket tables. On arbitrary bytes no parser
//! panics; on a file of garbage (every line something the file's program would not
//! accept) no check that reads it says `pass`.

use dengbao_hostcheck::{run, Checks, Host, Probe};
use proptest::prelude::*;

/// One parsed file: where it goes, a file set beside it (so includes lead into it), and
/// which probes read it.
struct Target {
    path: &'static str,
    beside: &'static [(&'static str, &'static str)],
    live: bool,
    reads: fn(&Probe) -> bool,
}

const TARGETS: &[Target] = &[
    Target {
        path: "/etc/ssh/sshd_config",
        beside: &[],
        live: false,
        reads: |p| matches!(p, Probe::Sshd { .. }),
    },
    // A drop-in the main file includes before its own (passing) lines.
    Target {
        path: "/etc/ssh/sshd_config.d/50-site.conf",
        beside: &[(
            "/etc/ssh/sshd_config",
            "Include /etc/ssh/sshd_config.d/*.conf\nPermitEmptyPasswords no\nX11Forwarding no\n",
        )],
        live: false,
        reads: |p| matches!(p, Probe::Sshd { .. }),
    },
    Target {
        path: "/etc/pam.d/common-auth",
        beside: &[],
        live: false,
        reads: |p| matches!(p, Probe::Pam { .. }),
    },
    Target {
        path: "/etc/pam.d/system-auth",
        beside: &[(
            "/etc/pam.d/password-auth",
            "auth substack system-auth\npassword include system-auth\n",
        )],
        live: false,
        reads: |p| matches!(p, Probe::Pam { .. }),
    },
    Target {
        path: "/etc/login.defs",
        beside: &[],
        live: false,
        reads: |p| matches!(p, Probe::Setting { files, .. } if files.iter().any(|f| f == "/etc/login.defs")),
    },
    Target {
        path: "/etc/security/pwquality.conf",
        beside: &[],
        live: false,
        reads: |p| matches!(p, Probe::Setting { files, .. } if files.iter().any(|f| f.contains("pwquality"))),
    },
    Target {
        path: "/etc/sysctl.conf",
        beside: &[],
        live: false,
        reads: |p| matches!(p, Probe::Sysctl { .. }),
    },
    Target {
        path: "/etc/logrotate.conf",
        beside: &[],
        live: false,
        reads: |p| matches!(p, Probe::Logrotate { .. }),
    },
    Target {
        path: "/etc/passwd",
        beside: &[],
        live: false,
        reads: |p| matches!(p, Probe::Accounts { .. }),
    },
    Target {
        path: "/etc/shadow",
        beside: &[],
        live: false,
        reads: |p| matches!(p, Probe::Accounts { .. }),
    },
    Target {
        path: "/proc/net/tcp",
        beside: &[],
        live: true,
        reads: |p| matches!(p, Probe::Listening { .. }),
    },
];

/// Runs every level-3 check on a root holding `text` at `target.path`; the statuses of
/// the checks that read it.
fn statuses(target: &Target, text: &[u8]) -> Vec<(String, String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<(&str, &[u8])> = target
        .beside
        .iter()
        .map(|(p, t)| (*p, t.as_bytes()))
        .collect();
    files.push((target.path, text));
    for (path, bytes) in files {
        let at = dir.path().join(path.trim_start_matches('/'));
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::fs::write(at, bytes).unwrap();
    }
    let checks = Checks::builtin().unwrap();
    let mut host = Host::open(dir.path());
    host.live = target.live;
    let report = run(&checks, &host, 3);
    report
        .results
        .iter()
        .filter(|r| {
            checks
                .checks
                .iter()
                .any(|c| c.id == r.id && (target.reads)(&c.probe))
        })
        .map(|r| {
            (
                r.id.clone(),
                r.status.as_str().to_string(),
                r.reason.clone(),
            )
        })
        .collect()
}

/// A line no program here accepts: it starts with a character that begins no keyword,
/// path, comment, include or entry, then anything printable or control.
fn garbage_line() -> impl Strategy<Value = String> {
    "[!$%&()*,<>?^`{|}~\\x01-\\x08\\x0e-\\x1f][ -~\\x01-\\x08]{0,40}"
}

/// Words the parsers look for, mixed with noise, to reach their deeper paths.
fn config_like() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("Include /etc/ssh/sshd_config".to_string()),
        Just("Include sshd_config.d/*.conf".to_string()),
        Just("Match User x".to_string()),
        Just("Match all".to_string()),
        Just("PermitRootLogin".to_string()),
        Just("@include common-auth".to_string()),
        Just("auth".to_string()),
        Just("[success=".to_string()),
        Just("default=die]".to_string()),
        Just("substack system-auth".to_string()),
        Just("include system-auth".to_string()),
        Just("pam_faillock.so".to_string()),
        Just("include /etc/logrotate.d".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("rotate".to_string()),
        Just("=".to_string()),
        Just(":".to_string()),
        Just("0A".to_string()),
        Just("00000000:0017".to_string()),
        Just("\n".to_string()),
        "[ -~]{0,12}",
    ];
    prop::collection::vec(word, 0..40).prop_map(|w| w.join(" "))
}

fn cases() -> ProptestConfig {
    // Each case builds a tree and runs every check: enough cases to find a panic, few
    // enough for a shared machine.
    ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(cases())]

    #[test]
    fn no_parser_panics_on_arbitrary_bytes(
        target in 0..TARGETS.len(),
        bytes in prop::collection::vec(any::<u8>(), 0..600),
    ) {
        statuses(&TARGETS[target], &bytes);
    }

    #[test]
    fn no_parser_panics_on_text_that_looks_like_a_config(
        target in 0..TARGETS.len(),
        text in config_like(),
    ) {
        statuses(&TARGETS[target], text.as_bytes());
    }

    #[test]
    fn a_file_of_garbage_never_passes(
        target in 0..TARGETS.len(),
        lines in prop::collection::vec(garbage_line(), 1..12),
    ) {
        let text = lines.join("\n");
        for (id, status, reason) in statuses(&TARGETS[target], text.as_bytes()) {
            prop_assert_ne!(status, "pass", "{} on garbage {}: {}", id, TARGETS[target].path, reason);
        }
    }

    #[test]
    fn os_release_of_garbage_names_no_distribution(
        lines in prop::collection::vec(garbage_line(), 1..12),
        bytes in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        for text in [lines.join("\n").into_bytes(), bytes] {
            let dir = tempfile::tempdir().unwrap();
            let at = dir.path().join("etc/os-release");
            std::fs::create_dir_all(at.parent().unwrap()).unwrap();
            std::fs::write(&at, &text).unwrap();
            let host = Host::open(dir.path());
            // Without a PAM layout or dpkg, only os-release could name the family.
            if !String::from_utf8_lossy(&text).to_ascii_lowercase().contains("id") {
                prop_assert_eq!(host.distro.family.as_str(), "unknown");
            }
        }
    }
}

/// Every target is read by some check, so the garbage property cannot pass vacuously.
#[test]
fn every_target_is_read_by_some_check() {
    let checks = Checks::builtin().unwrap();
    for t in TARGETS {
        assert!(
            checks.checks.iter().any(|c| (t.reads)(&c.probe)),
            "no check reads {}",
            t.path
        );
        assert!(!statuses(t, b"").is_empty(), "{}", t.path);
    }
}
