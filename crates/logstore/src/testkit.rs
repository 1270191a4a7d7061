//! Helpers shared by this crate's tests, examples and the CLI's tests: not part of the API.

pub mod realistic;

use std::io;
use std::path::{Path, PathBuf};

/// A tiny deterministic generator (xorshift), so a failure or a benchmark can be replayed.
pub struct Rng(pub u64);

impl Rng {
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// One of `v`, which must not be empty.
    pub fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[(self.next() % v.len() as u64) as usize] // ok: callers pass fixed non-empty lists
    }
}

/// Flip the bits `mask` of byte `offset` in the first file listed in `dir` (e.g. one day's
/// segment directory) and return that file's path.
pub fn flip_in_first_file(dir: &Path, offset: usize, mask: u8) -> io::Result<PathBuf> {
    let path = std::fs::read_dir(dir)?
        .next()
        .ok_or_else(|| {
            io::Error::new(io::ErrorKind::NotFound, format!("{}: empty", dir.display()))
        })??
        .path();
    let mut b = std::fs::read(&path)?;
    let byte = b.get_mut(offset).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}: no byte {offset}", path.display()),
        )
    })?;
    *byte ^= mask;
    std::fs::write(&path, b)?;
    Ok(path)
}
