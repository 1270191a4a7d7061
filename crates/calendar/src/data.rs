//! One calendar file (`<year>.toml`): parsed, then checked against the rules a State
//! Council notice always follows. Errors name the file, line and field.

use jiff::civil::{Date, Weekday};
use serde::Deserialize;
use toml::Spanned;

use crate::CalendarError;

/// The notice a year's schedule comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// e.g. 国务院办公厅关于2025年部分节假日安排的通知
    pub title: String,
    /// e.g. 国办发明电〔2024〕12号, when known.
    pub number: Option<String>,
    /// Date of publication.
    pub published: Date,
    /// The file the year was loaded from (`builtin:2025.toml` for embedded data).
    pub file: String,
}

/// One holiday of a notice: days off `from..=to` and the weekend days worked for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub zh: String,
    pub en: String,
    pub from: Date,
    pub to: Date,
    pub adjusted_workdays: Vec<Date>,
}

/// One year of the calendar.
#[derive(Debug, Clone)]
pub struct CalendarYear {
    pub year: i16,
    pub notice: Notice,
    pub holidays: Vec<Holiday>,
    /// Computed from the statutory holidays because no notice for the year is loaded
    /// (see [`crate::StatutoryRules`]); `notice` then names the rule, not a notice.
    pub provisional: bool,
    /// Index = day of year - 1.
    pub(crate) workday: Vec<bool>,
}

/// A year's notice as a person types it (the console's form): rendered to the file
/// format by [`NoticeInput::to_toml`], then checked like any file.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct NoticeInput {
    pub year: i64,
    pub title: String,
    pub number: Option<String>,
    /// `YYYY-MM-DD`
    pub published: String,
    pub holidays: Vec<HolidayInput>,
}

/// One holiday of a [`NoticeInput`]; dates `YYYY-MM-DD`.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct HolidayInput {
    pub zh: String,
    pub en: String,
    pub from: String,
    pub to: String,
    pub adjusted_workdays: Vec<String>,
}

impl Notice {
    /// 《title》 and, when known, （number）: how a page or a report cites the notice.
    pub fn citation_zh(&self) -> String {
        match self.number.as_deref() {
            Some(n) => format!("《{}》（{n}）", self.title),
            None => format!("《{}》", self.title),
        }
    }
}

impl NoticeInput {
    /// The calendar file for this input (TOML, escaped by the serializer), with a header
    /// saying where it came from.
    pub fn to_toml(&self, provenance: &str) -> String {
        #[derive(serde::Serialize)]
        struct Source<'a> {
            title: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            number: Option<&'a str>,
            published: &'a str,
        }
        #[derive(serde::Serialize)]
        struct File<'a> {
            year: i64,
            source: Source<'a>,
            holidays: &'a [HolidayInput],
        }
        let number = self
            .number
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty());
        let file = File {
            year: self.year,
            source: Source {
                title: self.title.trim(),
                number,
                published: self.published.trim(),
            },
            holidays: &self.holidays,
        };
        let body = toml::to_string(&file).unwrap_or_default();
        let header: String = provenance.lines().map(|l| format!("# {l}\n")).collect();
        format!("{header}\n{body}")
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYear {
    year: Spanned<i64>,
    source: RawSource,
    #[serde(default)]
    holidays: Vec<RawHoliday>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    title: Spanned<String>,
    number: Option<String>,
    published: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHoliday {
    zh: Spanned<String>,
    en: String,
    from: Spanned<String>,
    to: Option<Spanned<String>>,
    #[serde(default)]
    adjusted_workdays: Vec<Spanned<String>>,
}

struct Ctx<'a> {
    file: &'a str,
    text: &'a str,
}

impl Ctx<'_> {
    fn line(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    fn err<T>(
        &self,
        span: std::ops::Range<usize>,
        field: &str,
        message: String,
    ) -> Result<T, CalendarError> {
        Err(CalendarError::Invalid {
            file: self.file.to_string(),
            line: self.line(span.start),
            field: field.to_string(),
            message,
        })
    }

    fn date(&self, s: &Spanned<String>, field: &str) -> Result<Date, CalendarError> {
        match s.get_ref().parse::<Date>() {
            Ok(d) => Ok(d),
            Err(e) => self.err(
                s.span(),
                field,
                format!(
                    "日期无效 / not a valid date YYYY-MM-DD: {:?} ({e})",
                    s.get_ref()
                ),
            ),
        }
    }

    fn date_in(&self, s: &Spanned<String>, field: &str, year: i16) -> Result<Date, CalendarError> {
        let d = self.date(s, field)?;
        if d.year() != year {
            return self.err(
                s.span(),
                field,
                format!("{d} 不属于 {year} 年；每个文件只能列出本年的日期 / {d} is not in {year}; a year's file lists only dates of that year"),
            );
        }
        Ok(d)
    }
}

pub(crate) fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// Parses and validates one year's file. `file` names it in errors.
pub(crate) fn parse_year(file: &str, text: &str) -> Result<CalendarYear, CalendarError> {
    let cx = Ctx { file, text };
    let raw: RawYear = toml::from_str(text).map_err(|e| CalendarError::Invalid {
        file: file.to_string(),
        line: e.span().map(|s| cx.line(s.start)).unwrap_or(1),
        field: "toml".to_string(),
        message: e.message().to_string(),
    })?;

    let year = match i16::try_from(*raw.year.get_ref()) {
        Ok(y) if (1900..=2999).contains(&y) => y,
        _ => {
            return cx.err(
                raw.year.span(),
                "year",
                format!("年份无效 / not a plausible year: {}", raw.year.get_ref()),
            )
        }
    };
    if let Some(stem) = std::path::Path::new(file)
        .file_stem()
        .and_then(|s| s.to_str())
    {
        if let Ok(named) = stem.parse::<i64>() {
            if named != i64::from(year) {
                return cx.err(
                    raw.year.span(),
                    "year",
                    format!("文件名为 {named} 年，内容却是 {year} 年 / the file is named for {named} but says year = {year}"),
                );
            }
        }
    }

    if raw.source.title.get_ref().trim().is_empty() {
        return cx.err(
            raw.source.title.span(),
            "source.title",
            "必须写明通知的标题 / the source notice's title is required".to_string(),
        );
    }
    let notice = Notice {
        title: raw.source.title.get_ref().clone(),
        number: raw.source.number.clone(),
        published: cx.date(&raw.source.published, "source.published")?,
        file: file.to_string(),
    };

    // Start from the weekly rule, then apply the notice.
    let mut workday = weekly_rule(year)?;
    let mut holiday_day = vec![false; workday.len()];

    let mut holidays = Vec::with_capacity(raw.holidays.len());
    for (i, h) in raw.holidays.iter().enumerate() {
        let at = |f: &str| format!("holidays[{i}].{f}");
        if h.zh.get_ref().trim().is_empty() {
            return cx.err(
                h.zh.span(),
                &at("zh"),
                "节日名称不能为空 / the holiday needs a name".to_string(),
            );
        }
        let from = cx.date_in(&h.from, &at("from"), year)?;
        let to = match &h.to {
            Some(t) => {
                let to = cx.date_in(t, &at("to"), year)?;
                if to < from {
                    return cx.err(
                        t.span(),
                        &at("to"),
                        format!(
                            "结束日期 {to} 早于开始日期 {from} / `to` {to} is before `from` {from}"
                        ),
                    );
                }
                to
            }
            None => from,
        };
        let mut d = from;
        while d <= to {
            holiday_day[doy_index(d)] = true;
            workday[doy_index(d)] = false;
            match d.tomorrow() {
                Ok(n) => d = n,
                Err(_) => break,
            }
        }
        let mut adjusted = Vec::with_capacity(h.adjusted_workdays.len());
        for (j, w) in h.adjusted_workdays.iter().enumerate() {
            let field = at(&format!("adjusted_workdays[{j}]"));
            let d = cx.date_in(w, &field, year)?;
            adjusted.push(d);
        }
        holidays.push(Holiday {
            zh: h.zh.get_ref().clone(),
            en: h.en.clone(),
            from,
            to,
            adjusted_workdays: adjusted,
        });
    }
    // Adjusted workdays last, so a clash with any holiday (not only its own) is caught.
    for (i, (h, raw_h)) in holidays.iter().zip(&raw.holidays).enumerate() {
        for (j, (d, w)) in h
            .adjusted_workdays
            .iter()
            .zip(&raw_h.adjusted_workdays)
            .enumerate()
        {
            let field = format!("holidays[{i}].adjusted_workdays[{j}]");
            if !is_weekend(*d) {
                return cx.err(
                    w.span(),
                    &field,
                    format!("{d} 是{}，调休上班日必须是周六或周日 / {d} is a {:?}; an adjusted workday must be a Saturday or Sunday", weekday_zh(d.weekday()), d.weekday()),
                );
            }
            if holiday_day[doy_index(*d)] {
                return cx.err(
                    w.span(),
                    &field,
                    format!("{d} 已列为放假日，不能同时是调休上班日 / {d} is a holiday day and cannot also be an adjusted workday"),
                );
            }
            workday[doy_index(*d)] = true;
        }
    }

    Ok(CalendarYear {
        year,
        notice,
        holidays,
        provisional: false,
        workday,
    })
}

/// Monday–Friday working, Saturday and Sunday off, for each day of `year` (index = day of
/// year - 1): where every year starts before its holidays are applied.
pub(crate) fn weekly_rule(year: i16) -> Result<Vec<bool>, CalendarError> {
    let first = Date::new(year, 1, 1).map_err(|e| CalendarError::Arithmetic(e.to_string()))?;
    let days = usize::try_from(first.days_in_year()).unwrap_or(365);
    Ok((0..days)
        .map(|i| {
            let d = first
                .checked_add(jiff::Span::new().days(i as i64))
                .unwrap_or(first);
            !is_weekend(d)
        })
        .collect())
}

/// 0-based day of year.
pub(crate) fn doy_index(d: Date) -> usize {
    usize::try_from(d.day_of_year() - 1).unwrap_or(0)
}

fn weekday_zh(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "周一",
        Weekday::Tuesday => "周二",
        Weekday::Wednesday => "周三",
        Weekday::Thursday => "周四",
        Weekday::Friday => "周五",
        Weekday::Saturday => "周六",
        Weekday::Sunday => "周日",
    }
}
