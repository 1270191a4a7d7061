//! The working-day calendar the server computes with, replaced whole when an
//! administrator loads a year's State Council notice (decision 0409).
//!
//! Readers take an `Arc` snapshot ([`CalendarCell::get`]) and compute with it; a load
//! writes `<data-dir>/calendar/<year>.toml` and swaps the snapshot, so a request never
//! sees half a calendar, and a restart reads the same files.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use dengbao_calendar::{Calendar, CalendarError, CalendarYear};

#[derive(Clone)]
pub struct CalendarCell {
    current: Arc<RwLock<Arc<Calendar>>>,
    /// `<data-dir>/calendar`: where loaded notices are kept.
    dir: PathBuf,
}

impl CalendarCell {
    /// The builtin calendar plus the notices under `dir`.
    pub fn load(dir: &Path) -> Result<CalendarCell, CalendarError> {
        let calendar = Calendar::with_overrides(dir)?;
        Ok(CalendarCell {
            current: Arc::new(RwLock::new(Arc::new(calendar))),
            dir: dir.to_path_buf(),
        })
    }

    /// The calendar now in force.
    pub fn get(&self) -> Arc<Calendar> {
        // A poisoned lock still holds a whole calendar: writers only swap an Arc.
        match self.current.read() {
            Ok(c) => Arc::clone(&c),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Where loaded notices are kept.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Validates one year's notice file (`text`), keeps it as `<dir>/<year>.toml` and
    /// makes the calendar with it the one in force. Nothing changes when it fails.
    pub fn save_year(&self, text: &str) -> Result<CalendarYear, CalendarError> {
        let (calendar, year) = Calendar::save_year(&self.dir, text)?;
        let mut slot = match self.current.write() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        *slot = Arc::new(calendar);
        Ok(year)
    }
}
