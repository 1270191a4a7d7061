//! The host as files: the live host (`/`) or a mounted root (`--root DIR`, never the live
//! host behind it). Reads only; a file that cannot be read says why, so a check can answer
//! "needs root" or "not there" instead of failing.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Why a file was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unread {
    Missing,
    /// Permission denied: needs root.
    NeedsRoot,
    Other(String),
}

/// The distribution, from `/etc/os-release` and the files that decide its family.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Distro {
    /// `ID` (`debian`, `ubuntu`, `rhel`, `rocky`, `openEuler`, `kylin`, `uos` …).
    #[serde(rename = "os_id")]
    pub id: String,
    #[serde(rename = "os_like")]
    pub id_like: String,
    #[serde(rename = "os_version")]
    pub version_id: String,
    pub pretty_name: String,
    /// `debian` or `rhel` (PAM layout, package database), or `unknown`.
    pub family: String,
}

pub struct Host {
    root: PathBuf,
    /// Whether the root is the running system (`/`): only then are /proc facts its own.
    pub live: bool,
    /// Whether we read as root (uid 0): files only root may read are read.
    pub as_root: bool,
    pub distro: Distro,
}

impl Host {
    /// The host under `root` (`/` = the live host).
    pub fn open(root: &Path) -> Host {
        let live = root == Path::new("/");
        let mut host = Host {
            root: root.to_path_buf(),
            live,
            as_root: effective_uid() == Some(0),
            distro: Distro::default(),
        };
        host.distro = host.detect();
        host
    }

    /// Where `path` (absolute, as on the host) is under the root.
    pub fn at(&self, path: &str) -> PathBuf {
        self.root.join(path.trim_start_matches('/'))
    }

    /// The text of `path` (lossy UTF-8: a GBK comment does not make a file unreadable).
    pub fn read(&self, path: &str) -> Result<String, Unread> {
        match std::fs::read(self.at(path)) {
            Ok(bytes) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
            Err(e) => Err(match e.kind() {
                std::io::ErrorKind::NotFound => Unread::Missing,
                std::io::ErrorKind::PermissionDenied => Unread::NeedsRoot,
                _ => Unread::Other(e.to_string()),
            }),
        }
    }

    pub fn exists(&self, path: &str) -> bool {
        self.at(path).exists()
    }

    /// `path`, or with a `*` in its last component the matching files in lexical order
    /// (the order sshd, sysctl and the shells read drop-in directories in).
    pub fn expand(&self, path: &str) -> Vec<String> {
        let Some((dir, pattern)) = path.rsplit_once('/') else {
            return vec![path.to_string()];
        };
        if !pattern.contains('*') {
            return vec![path.to_string()];
        }
        let (prefix, suffix) = pattern.split_once('*').unwrap_or((pattern, ""));
        let Ok(entries) = std::fs::read_dir(self.at(dir)) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| {
                n.starts_with(prefix)
                    && n.ends_with(suffix)
                    && n.len() >= prefix.len() + suffix.len()
            })
            .collect();
        names.sort();
        // A drop-in directory holds files; a subdirectory (cron's `crontabs`) is not one.
        names
            .into_iter()
            .map(|n| format!("{dir}/{n}"))
            .filter(|p| self.at(p).is_file())
            .collect()
    }

    /// Metadata of `path` without following a last symlink.
    pub fn metadata(&self, path: &str) -> Result<std::fs::Metadata, Unread> {
        std::fs::symlink_metadata(self.at(path)).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Unread::Missing,
            std::io::ErrorKind::PermissionDenied => Unread::NeedsRoot,
            _ => Unread::Other(e.to_string()),
        })
    }

    fn detect(&self) -> Distro {
        let text = self
            .read("/etc/os-release")
            .or_else(|_| self.read("/usr/lib/os-release"))
            .unwrap_or_default();
        let field = |k: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("{k}=")))
                .map(|v| v.trim().trim_matches('"').trim_matches('\'').to_string())
                .unwrap_or_default()
        };
        let (id, id_like) = (field("ID"), field("ID_LIKE"));
        // Kylin and UOS ship Debian-based and RHEL/openEuler-based lines under one ID: the
        // PAM layout and the package database decide, not the name.
        let family = if self.exists("/etc/pam.d/common-auth") || self.exists("/var/lib/dpkg/status")
        {
            "debian"
        } else if self.exists("/etc/pam.d/system-auth") {
            "rhel"
        } else {
            let words = format!("{id} {id_like}").to_ascii_lowercase();
            if words.contains("debian") || words.contains("ubuntu") {
                "debian"
            } else if ["rhel", "fedora", "centos", "openeuler"]
                .iter()
                .any(|w| words.contains(w))
            {
                "rhel"
            } else {
                "unknown"
            }
        };
        Distro {
            id,
            id_like,
            version_id: field("VERSION_ID"),
            pretty_name: field("PRETTY_NAME"),
            family: family.to_string(),
        }
    }
}

/// The effective uid, from /proc (no libc call needed; `None` where /proc is absent).
fn effective_uid() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}
