//! China's working-day calendar (State Council holiday schedules, 调休 included) and
//! deadline arithmetic in Asia/Shanghai.
//!
//! The schedule is data: one TOML file per year under `data/calendar/`, each naming the
//! State Council notice it comes from, embedded in the binary; an operator adds or
//! replaces a year by dropping `<year>.toml` into `<data-dir>/calendar/`.
//!
//! A year with no notice yet (the next year, every December) is **provisional**: its
//! working days follow the statutory holidays of 《全国年节及纪念日放假办法》 on their own
//! dates, weekends off, no 调休 ([`StatutoryRules`], decision 0409), and every date that
//! depends on it says so ([`Deadline::provisional`]). Loading the notice replaces the
//! provisional year, so the same question then gets the notice's answer.
//!
//! Invariant: the calendar never passes a computed day off as the notice's. Covered years
//! (notices) are contiguous; provisional years follow the last of them, for
//! [`PROVISIONAL_YEARS`] years; a date outside both is [`CalendarError::OutOfRange`], and a
//! [`Calendar::strict`] calendar has no provisional years at all (fail closed).
//! Invariant: no I/O except in [`Calendar::with_overrides`] and [`Calendar::save_year`];
//! no panics on any file.

use std::ops::RangeInclusive;
use std::path::Path;
use std::sync::Arc;

use jiff::civil::Date;

mod data;
mod error;
mod statutory;
mod time;

pub use data::{CalendarYear, Holiday, HolidayInput, Notice, NoticeInput};
pub use error::CalendarError;
pub use statutory::{
    Start, StatutoryHoliday, StatutoryRules, PROVISIONAL_NOTE_EN, PROVISIONAL_NOTE_ZH,
};
pub use time::{add_hours, in_shanghai, shanghai, today_in_shanghai, ZONE};

/// How many years after the last notice the calendar computes provisionally. Deadlines
/// are at most a few dozen working days long; ten years also covers planning questions.
pub const PROVISIONAL_YEARS: i16 = 10;

/// A date computed on the calendar, and whether a provisional year decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    pub date: Date,
    /// `true` when the date lies in a year without a loaded notice: it may move when the
    /// notice is loaded.
    pub provisional: bool,
}

/// What decided the working days of a date: the notice, or the statutory rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Basis {
    pub provisional: bool,
    /// 《国务院办公厅关于2026年部分节假日安排的通知》, or the provisional rule and its note.
    pub zh: String,
    pub en: String,
}

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
    /// Years with a notice: sorted by year, contiguous.
    years: Vec<CalendarYear>,
    /// The [`PROVISIONAL_YEARS`] years after the last notice, computed from `rules`
    /// (empty in a strict calendar).
    provisional: Vec<CalendarYear>,
    rules: Arc<StatutoryRules>,
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
        Calendar::from_builtin_and(read_year_files(dir)?)
    }

    /// Checks `text` as one year's notice file together with the files already in `dir`
    /// and, when the calendar with it assembles, keeps it as `dir/<year>.toml` (written to
    /// a temporary file and renamed, so a reader never sees half a file). Returns the new
    /// calendar and the year. On any error nothing is written.
    pub fn save_year(dir: &Path, text: &str) -> Result<(Calendar, CalendarYear), CalendarError> {
        let probe = data::parse_year("calendar/<year>.toml", text)?;
        let name = dir.join(format!("{}.toml", probe.year));
        let name_str = name.display().to_string();
        let year = data::parse_year(&name_str, text)?;
        let mut files: Vec<(String, String)> = read_year_files(dir)?
            .into_iter()
            .filter(|(n, _)| *n != name_str)
            .collect();
        files.push((name_str, text.to_string()));
        files.sort();
        let calendar = Calendar::from_builtin_and(files)?;
        let io = |source| CalendarError::Io {
            path: name.clone(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let tmp = dir.join(format!(".{}.toml.tmp", year.year));
        std::fs::write(&tmp, text).map_err(io)?;
        std::fs::rename(&tmp, &name).map_err(io)?;
        Ok((calendar, year))
    }

    /// The builtin years, each replaced by a file of `overrides` for the same year, plus
    /// the other years of `overrides`.
    fn from_builtin_and(files: Vec<(String, String)>) -> Result<Calendar, CalendarError> {
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
        let Some(last) = years.last().map(|y| y.year) else {
            return Err(CalendarError::Empty);
        };
        let rules = StatutoryRules::builtin()?;
        let mut provisional = Vec::with_capacity(PROVISIONAL_YEARS as usize);
        for year in (last + 1)..=last.saturating_add(PROVISIONAL_YEARS) {
            provisional.push(rules.year(year)?);
        }
        Ok(Calendar {
            years,
            provisional,
            rules: Arc::new(rules),
        })
    }

    /// This calendar without provisional years: a date in a year without a notice is
    /// [`CalendarError::OutOfRange`] (fail closed, `--strict`).
    pub fn strict(mut self) -> Calendar {
        self.provisional.clear();
        self
    }

    /// Whether this calendar computes provisional years (not [`Calendar::strict`]).
    pub fn is_strict(&self) -> bool {
        self.provisional.is_empty()
    }

    /// The years with a loaded notice, first to last (never empty).
    pub fn covered_years(&self) -> RangeInclusive<i16> {
        let first = self.years.first().map_or(0, |y| y.year);
        let last = self.years.last().map_or(0, |y| y.year);
        first..=last
    }

    /// The years computed provisionally (empty when strict).
    pub fn provisional_years(&self) -> Option<RangeInclusive<i16>> {
        Some(self.provisional.first()?.year..=self.provisional.last()?.year)
    }

    /// One year's data (notice or provisional rule, holidays), if known.
    pub fn year(&self, year: i16) -> Option<&CalendarYear> {
        let first = *self.covered_years().start();
        let idx = usize::try_from(year.checked_sub(first)?).ok()?;
        self.years
            .get(idx)
            .or_else(|| self.provisional.get(idx.checked_sub(self.years.len())?))
    }

    /// Every year with a notice, in order.
    pub fn years(&self) -> &[CalendarYear] {
        &self.years
    }

    /// The statutory rule provisional years are computed from.
    pub fn statutory_rules(&self) -> &StatutoryRules {
        &self.rules
    }

    /// Whether `date` lies in a provisional year (known, but without a notice).
    pub fn is_provisional(&self, date: Date) -> bool {
        self.year(date.year()).is_some_and(|y| y.provisional)
    }

    /// What decides whether `date` is a working day, in both languages.
    pub fn basis(&self, date: Date) -> Result<Basis, CalendarError> {
        let y = self
            .year(date.year())
            .ok_or_else(|| self.out_of_range(date))?;
        if y.provisional {
            return Ok(Basis {
                provisional: true,
                zh: format!("{}：{PROVISIONAL_NOTE_ZH}", self.rules.basis_zh()),
                en: format!(
                    "{}: {PROVISIONAL_NOTE_EN} ({})",
                    self.rules.basis_en(),
                    y.year
                ),
            });
        }
        Ok(Basis {
            provisional: false,
            zh: y.notice.citation_zh(),
            en: format!(
                "State Council General Office notice on the {} holiday schedule, published {}",
                y.year, y.notice.published
            ),
        })
    }

    /// [`Calendar::add_workdays`], and whether the result depends on a provisional year.
    pub fn deadline(&self, date: Date, n: u32) -> Result<Deadline, CalendarError> {
        let due = self.add_workdays(date, n)?;
        // Provisional years only follow the covered ones, so the day reached is in a
        // provisional year exactly when any day counted was.
        Ok(Deadline {
            date: due,
            provisional: self.is_provisional(due),
        })
    }

    fn out_of_range(&self, date: Date) -> CalendarError {
        CalendarError::OutOfRange {
            date,
            covered: self.covered_years(),
        }
    }

    /// Whether `date` is a working day in mainland China: a weekday that is not a
    /// holiday, or a weekend day the notice makes a working day (调休). In a provisional
    /// year the answer follows the statutory rule ([`Calendar::is_provisional`]).
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
    /// Fails with [`CalendarError::OutOfRange`] if the count runs past the known years
    /// (covered and provisional); see [`Calendar::deadline`] for the provisional mark.
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

/// Every `*.toml` in `dir` as `(path, text)`, sorted; a missing `dir` is none.
fn read_year_files(dir: &Path) -> Result<Vec<(String, String)>, CalendarError> {
    let io = |path: &Path, source| CalendarError::Io {
        path: path.to_path_buf(),
        source,
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(dir, e)),
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| io(dir, e))?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).map_err(|e| io(&path, e))?;
        files.push((path.display().to_string(), text));
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_loads_2025_and_2026() {
        let cal = Calendar::builtin().expect("builtin calendar");
        assert_eq!(cal.covered_years(), 2025..=2026);
        assert_eq!(cal.provisional_years(), Some(2027..=2036));
        assert_eq!(cal.clone().strict().provisional_years(), None);
        assert_eq!(
            cal.year(2025)
                .and_then(|y| y.notice.number.clone())
                .as_deref(),
            Some("国办发明电〔2024〕12号")
        );
    }
}
