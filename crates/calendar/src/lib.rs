//! China's working-day calendar (State Council holiday schedules, 调休 included) and
//! deadline arithmetic in Asia/Shanghai.
//!
//! The schedule is data: one TOML file per year under `data/calendar/`, each naming the
//! State Council notice it comes from, embedded in the binary; an operator adds or
//! replaces a year by dropping `<year>.toml` into `<data-dir>/calendar/`.
//!
//! Invariant: the calendar never guesses. Any date a computation touches outside the
//! covered years is [`CalendarError::OutOfRange`]. Covered years are contiguous.
//! Invariant: no I/O except in [`Calendar::with_overrides`]; no panics on any file.

use std::ops::RangeInclusive;
use std::path::Path;

use jiff::civil::Date;

mod data;
mod error;
mod time;

pub use data::{CalendarYear, Holiday, Notice};
pub use error::CalendarError;
pub use time::{add_hours, in_shanghai, shanghai, today_in_shanghai, ZONE};

/// The files shipped in the binary, as `(name, text)`.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    (
        "builtin:2025.toml",
        include_str!("../../../data/calendar/2025.toml"),
    ),
    (
        "builtin:2026.toml",
        include_str!("../../../data/calendar/2026.toml"),
    ),
];

/// The working-day calendar: which days are working days in mainland China, for a
/// contiguous range of years.
#[derive(Debug, Clone)]
pub struct Calendar {
    /// Sorted by year, contiguous.
    years: Vec<CalendarYear>,
}

impl Calendar {
    /// The calendar shipped in the binary (2025 and 2026).
    pub fn builtin() -> Result<Calendar, CalendarError> {
        Calendar::from_toml_strs(BUILTIN_FILES)
    }

    /// The builtin calendar plus every `*.toml` in `dir` (usually `<data-dir>/calendar`).
    /// A file for a year the binary already has replaces that year; a new year extends
    /// the range (it must be adjacent: years stay contiguous). A missing `dir` is fine.
    pub fn with_overrides(dir: &Path) -> Result<Calendar, CalendarError> {
        let mut files: Vec<(String, String)> = Vec::new();
        match std::fs::read_dir(dir) {
            Ok(entries) => {
                for entry in entries {
                    let entry = entry.map_err(|source| CalendarError::Io {
                        path: dir.to_path_buf(),
                        source,
                    })?;
                    let path = entry.path();
                    if path.extension().and_then(|e| e.to_str()) != Some("toml") {
                        continue;
                    }
                    let text =
                        std::fs::read_to_string(&path).map_err(|source| CalendarError::Io {
                            path: path.clone(),
                            source,
                        })?;
                    files.push((path.display().to_string(), text));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(CalendarError::Io {
                    path: dir.to_path_buf(),
                    source,
                })
            }
        }
        files.sort();
        let mut overrides = Vec::with_capacity(files.len());
        for (name, text) in &files {
            overrides.push(data::parse_year(name, text)?);
        }
        let mut years = Vec::new();
        for (name, text) in BUILTIN_FILES {
            let y = data::parse_year(name, text)?;
            if !overrides.iter().any(|o| o.year == y.year) {
                years.push(y);
            }
        }
        years.extend(overrides);
        Calendar::assemble(years)
    }

    /// A calendar from exactly these files, `(name, text)`; `name` is used in errors.
    pub fn from_toml_strs<N: AsRef<str>, T: AsRef<str>>(
        files: &[(N, T)],
    ) -> Result<Calendar, CalendarError> {
        let mut years = Vec::with_capacity(files.len());
        for (name, text) in files {
            years.push(data::parse_year(name.as_ref(), text.as_ref())?);
        }
        Calendar::assemble(years)
    }

    fn assemble(mut years: Vec<CalendarYear>) -> Result<Calendar, CalendarError> {
        years.sort_by_key(|y| y.year);
        for pair in years.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if a.year == b.year {
                return Err(CalendarError::DuplicateYear {
                    year: a.year,
                    first: a.notice.file.clone(),
                    second: b.notice.file.clone(),
                });
            }
            if b.year != a.year + 1 {
                return Err(CalendarError::Gap {
                    missing: a.year + 1,
                    before: a.year,
                    after: b.year,
                });
            }
        }
        if years.is_empty() {
            return Err(CalendarError::Empty);
        }
        Ok(Calendar { years })
    }

    /// The years this calendar knows, first to last (never empty).
    pub fn covered_years(&self) -> RangeInclusive<i16> {
        let first = self.years.first().map_or(0, |y| y.year);
        let last = self.years.last().map_or(0, |y| y.year);
        first..=last
    }

    /// One year's data (notice, holidays), if covered.
    pub fn year(&self, year: i16) -> Option<&CalendarYear> {
        let first = *self.covered_years().start();
        let idx = usize::try_from(year.checked_sub(first)?).ok()?;
        self.years.get(idx)
    }

    /// Every covered year, in order.
    pub fn years(&self) -> &[CalendarYear] {
        &self.years
    }

    fn out_of_range(&self, date: Date) -> CalendarError {
        CalendarError::OutOfRange {
            date,
            covered: self.covered_years(),
        }
    }

    /// Whether `date` is a working day in mainland China: a weekday that is not a
    /// holiday, or a weekend day the notice makes a working day (调休).
    pub fn is_workday(&self, date: Date) -> Result<bool, CalendarError> {
        let y = self
            .year(date.year())
            .ok_or_else(|| self.out_of_range(date))?;
        Ok(y.workday
            .get(data::doy_index(date))
            .copied()
            .unwrap_or(false))
    }

    /// The date `n` working days after `date`: the start day is not counted, so
    /// "within 10 working days of grading" (条例 第十八条) ends on
    /// `add_workdays(graded, 10)`. `n = 0` returns `date` itself (which must be covered).
    /// Fails with [`CalendarError::OutOfRange`] if the count runs past the covered years.
    pub fn add_workdays(&self, date: Date, n: u32) -> Result<Date, CalendarError> {
        if self.year(date.year()).is_none() {
            return Err(self.out_of_range(date));
        }
        let mut cur = date;
        let mut left = n;
        while left > 0 {
            cur = cur.tomorrow().map_err(|_| self.out_of_range(cur))?;
            if self.is_workday(cur)? {
                left -= 1;
            }
        }
        Ok(cur)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_loads_2025_and_2026() {
        let cal = Calendar::builtin().expect("builtin calendar");
        assert_eq!(cal.covered_years(), 2025..=2026);
        assert_eq!(
            cal.year(2025)
                .and_then(|y| y.notice.number.clone())
                .as_deref(),
            Some("国办发明电〔2024〕12号")
        );
    }
}
