//! Blob keys: the same rule for every backend, so a key that works on disk works on S3.

use crate::{Error, Result};

/// A key is `/`-separated segments of ASCII letters, digits, `.`, `_`, `-`, `=` or
/// non-ASCII letters (network names are Chinese); no empty segment, no `.` or `..`, at most
/// 1024 bytes. The local directory stores a key as the same relative path.
pub fn check_key(key: &str) -> Result<()> {
    let bad = |why: &str| {
        Err(Error::BadKey {
            key: key.to_string(),
            why: why.to_string(),
        })
    };
    if key.is_empty() || key.len() > 1024 {
        return bad("empty or longer than 1024 bytes");
    }
    for seg in key.split('/') {
        if seg.is_empty() || seg == "." || seg == ".." {
            return bad("empty, `.` or `..` path segment");
        }
        if seg.starts_with(".objstore") {
            return bad("segments starting with `.objstore` are reserved");
        }
        let ok = seg.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || "._-=".contains(c)
                || (!c.is_ascii() && c.is_alphanumeric())
        });
        if !ok {
            return bad("only letters, digits, `.`, `_`, `-`, `=` and `/`");
        }
    }
    Ok(())
}

/// A prefix for `list`: empty, or a key prefix (may end with `/`).
pub(crate) fn check_prefix(prefix: &str) -> Result<()> {
    if prefix.is_empty() {
        return Ok(());
    }
    let trimmed = prefix.trim_end_matches('/');
    if trimmed.len() + 1 < prefix.len() {
        return Err(Error::BadKey {
            key: prefix.to_string(),
            why: "prefix ends with more than one `/`".into(),
        });
    }
    check_key(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_keys_pass_and_escapes_do_not() {
        assert!(check_key("segments/办公网/2026-11-20/000000000001.seg").is_ok());
        for k in [
            "",
            "/abs",
            "a//b",
            "a/../b",
            "a/./b",
            "a b",
            "a\\b",
            "x/.objstore-ret/y",
        ] {
            assert!(check_key(k).is_err(), "{k:?} accepted");
        }
    }
}
