//! Provisional years: the statutory holidays of 《全国年节及纪念日放假办法》第二条 on their
//! dates (lunar and solar-term ones computed), weekends off, no 调休 — what the calendar
//! uses for a year whose State Council notice has not been loaded yet (decision 0409).
//!
//! The rule is data (`data/calendar/statutory-holidays.toml`); the lunisolar arithmetic
//! is `tyme4rs` (the 寿星 algorithms), checked against the notices of 2025 and 2026 by
//! this crate's tests.

use jiff::civil::Date;
use serde::Deserialize;
use tyme4rs::tyme::lunar::LunarDay;
use tyme4rs::tyme::solar::{SolarDay, SolarTerm};
use tyme4rs::tyme::Tyme;

use crate::data::{doy_index, weekly_rule, CalendarYear, Holiday, Notice};
use crate::CalendarError;

/// The rule file shipped in the binary.
pub const BUILTIN_RULES: (&str, &str) = (
    "builtin:statutory-holidays.toml",
    include_str!("../../../data/calendar/statutory-holidays.toml"),
);

/// What a provisional date says about itself (the wording the product prints).
pub const PROVISIONAL_NOTE_ZH: &str = "暂按法定节假日和周末计算，待国务院通知发布后校正";
pub const PROVISIONAL_NOTE_EN: &str = "provisional: statutory holidays and weekends only, \
    to be corrected when the State Council publishes the year's holiday notice";

/// The statutory holidays, parsed and checked.
#[derive(Debug, Clone)]
pub struct StatutoryRules {
    pub title: String,
    pub title_en: String,
    pub article: String,
    pub amended: Date,
    pub in_force: Date,
    pub holidays: Vec<StatutoryHoliday>,
    file: String,
}

/// One holiday of the rule: where it starts and how many days it lasts.
#[derive(Debug, Clone)]
pub struct StatutoryHoliday {
    pub zh: String,
    pub en: String,
    pub start: Start,
    pub days: u8,
    /// The provision's own words for this holiday.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    Gregorian { month: i8, day: i8 },
    Lunar { month: i8, day: i8 },
    LunarNewYearEve,
    SolarTerm(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    source: RawSource,
    holidays: Vec<RawHoliday>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    title: String,
    title_en: String,
    article: String,
    amended: String,
    in_force: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHoliday {
    zh: String,
    en: String,
    date: Option<String>,
    lunar: Option<String>,
    #[serde(default)]
    lunar_new_year_eve: bool,
    solar_term: Option<String>,
    days: u8,
    text: String,
}

impl StatutoryRules {
    /// The rule shipped in the binary.
    pub fn builtin() -> Result<StatutoryRules, CalendarError> {
        StatutoryRules::parse(BUILTIN_RULES.0, BUILTIN_RULES.1)
    }

    /// Parses a rule file; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<StatutoryRules, CalendarError> {
        let invalid = |field: &str, message: String| CalendarError::Invalid {
            file: file.to_string(),
            line: 0,
            field: field.to_string(),
            message,
        };
        let raw: RawRules = toml::from_str(text).map_err(|e| CalendarError::Invalid {
            file: file.to_string(),
            line: e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                .unwrap_or(1),
            field: "toml".to_string(),
            message: e.message().to_string(),
        })?;
        let date = |field: &str, s: &str| {
            s.parse::<Date>().map_err(|e| {
                invalid(
                    field,
                    format!("日期无效 / not a valid date YYYY-MM-DD: {s:?} ({e})"),
                )
            })
        };
        let mut holidays = Vec::with_capacity(raw.holidays.len());
        for (i, h) in raw.holidays.into_iter().enumerate() {
            let field = format!("holidays[{i}]");
            let month_day = |s: &str| -> Result<(i8, i8), CalendarError> {
                let parsed = s
                    .split_once('-')
                    .and_then(|(m, d)| Some((m.parse::<i8>().ok()?, d.parse::<i8>().ok()?)))
                    .filter(|(m, d)| (1..=12).contains(m) && (1..=31).contains(d));
                parsed.ok_or_else(|| {
                    invalid(
                        &field,
                        format!("月日无效，应为 MM-DD / not a month-day MM-DD: {s:?}"),
                    )
                })
            };
            let mut starts = Vec::new();
            if let Some(s) = &h.date {
                let (month, day) = month_day(s)?;
                starts.push(Start::Gregorian { month, day });
            }
            if let Some(s) = &h.lunar {
                let (month, day) = month_day(s)?;
                starts.push(Start::Lunar { month, day });
            }
            if h.lunar_new_year_eve {
                starts.push(Start::LunarNewYearEve);
            }
            if let Some(t) = &h.solar_term {
                starts.push(Start::SolarTerm(t.clone()));
            }
            let start = match (starts.pop(), starts.is_empty()) {
                (Some(s), true) => s,
                _ => {
                    return Err(invalid(
                        &field,
                        format!("{}：必须且只能写一种起始日（date、lunar、lunar_new_year_eve、solar_term） / give exactly one start", h.zh),
                    ))
                }
            };
            if h.days == 0 || h.days > 10 {
                return Err(invalid(
                    &format!("{field}.days"),
                    format!("天数应为 1–10 / days must be 1–10: {}", h.days),
                ));
            }
            holidays.push(StatutoryHoliday {
                zh: h.zh,
                en: h.en,
                start,
                days: h.days,
                text: h.text,
            });
        }
        let rules = StatutoryRules {
            title: raw.source.title,
            title_en: raw.source.title_en,
            article: raw.source.article,
            amended: date("source.amended", &raw.source.amended)?,
            in_force: date("source.in_force", &raw.source.in_force)?,
            holidays,
            file: file.to_string(),
        };
        // Every start must be computable for the years the product will ask about.
        rules.year(rules.in_force.year())?;
        Ok(rules)
    }

    /// The citation printed as a provisional date's basis.
    pub fn basis_zh(&self) -> String {
        format!(
            "《{}》（{}年{}月{}日修订）{}",
            self.title,
            self.amended.year(),
            self.amended.month(),
            self.amended.day(),
            self.article
        )
    }

    /// The same in English.
    pub fn basis_en(&self) -> String {
        format!("{}, Article 2, as amended {}", self.title_en, self.amended)
    }

    /// The holidays' days in `year`, first day of each.
    pub fn first_days(&self, year: i16) -> Result<Vec<Date>, CalendarError> {
        self.holidays
            .iter()
            .map(|h| start_date(&h.start, year, &self.file))
            .collect()
    }

    /// A provisional calendar year computed from this rule.
    pub fn year(&self, year: i16) -> Result<CalendarYear, CalendarError> {
        let mut workday = weekly_rule(year)?;
        let mut holidays = Vec::with_capacity(self.holidays.len());
        for (h, from) in self.holidays.iter().zip(self.first_days(year)?) {
            let mut to = from;
            for _ in 1..h.days {
                to = to
                    .tomorrow()
                    .map_err(|e| CalendarError::Arithmetic(e.to_string()))?;
            }
            let mut d = from;
            // A holiday running into the next year (none does today) marks only its
            // days in this year.
            while d <= to && d.year() == year {
                workday[doy_index(d)] = false;
                d = d
                    .tomorrow()
                    .map_err(|e| CalendarError::Arithmetic(e.to_string()))?;
            }
            holidays.push(Holiday {
                zh: h.zh.clone(),
                en: h.en.clone(),
                from,
                to,
                adjusted_workdays: Vec::new(),
            });
        }
        Ok(CalendarYear {
            year,
            notice: Notice {
                title: self.basis_zh(),
                number: None,
                published: self.amended,
                file: self.file.clone(),
            },
            holidays,
            workday,
            provisional: true,
        })
    }
}

fn to_date(s: SolarDay) -> Result<Date, CalendarError> {
    let (y, m, d) = (s.get_year(), s.get_month(), s.get_day());
    let convert = || -> Option<Date> {
        Date::new(
            i16::try_from(y).ok()?,
            i8::try_from(m).ok()?,
            i8::try_from(d).ok()?,
        )
        .ok()
    };
    convert().ok_or_else(|| CalendarError::Arithmetic(format!("{y}-{m}-{d}")))
}

fn start_date(start: &Start, year: i16, file: &str) -> Result<Date, CalendarError> {
    let y = isize::from(year);
    let lunar = |month: i8, day: i8| -> Result<SolarDay, CalendarError> {
        LunarDay::new(y, isize::from(month), usize::try_from(day).unwrap_or(0))
            .map(|l| l.get_solar_day())
            .map_err(|e| CalendarError::Invalid {
                file: file.to_string(),
                line: 0,
                field: "holidays".to_string(),
                message: format!(
                    "农历 {year}-{month:02}-{day:02} 无法换算 / cannot convert lunar date: {e}"
                ),
            })
    };
    match start {
        Start::Gregorian { month, day } => {
            Date::new(year, *month, *day).map_err(|e| CalendarError::Invalid {
                file: file.to_string(),
                line: 0,
                field: "holidays".to_string(),
                message: format!("{year}-{month:02}-{day:02}: {e}"),
            })
        }
        Start::Lunar { month, day } => to_date(lunar(*month, *day)?),
        Start::LunarNewYearEve => to_date(lunar(1, 1)?.next(-1)),
        Start::SolarTerm(name) => {
            let term = SolarTerm::new(y, name).map_err(|e| CalendarError::Invalid {
                file: file.to_string(),
                line: 0,
                field: "holidays.solar_term".to_string(),
                message: format!("未知节气 / unknown solar term {name:?}: {e}"),
            })?;
            to_date(term.get_julian_day().get_solar_day())
        }
    }
}
