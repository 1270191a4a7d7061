//! The working-day calendar for administrators: which years follow a State Council notice,
//! which are provisional, and a form to load a year's notice (decision 0409). A loaded
//! notice is validated like a data file, kept under `<data-dir>/calendar/`, audited, and
//! every open deadline counted in working days is recomputed with it.

use askama::Template;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::Router;

use crate::form::Form;
use dengbao_calendar::{Calendar, HolidayInput, NoticeInput};
use dengbao_server::auth::ManageCalendar;
use dengbao_server::routes::filings::REVIEW_WORKING_DAYS;
use dengbao_server::AppState;
use serde::Deserialize;

use crate::ctx::Ctx;
use crate::guard::{Page, PageResult};
use crate::pages::{redirect, render, render_status};

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/calendar", get(page).post(load))
}

/// One year the calendar knows.
pub struct YearRow {
    pub year: i16,
    pub provisional: bool,
    pub basis: String,
    pub published: String,
    pub holidays: String,
}

#[derive(Template)]
#[template(path = "admin/calendar.html")]
struct CalendarTpl {
    c: Ctx,
    years: Vec<YearRow>,
    /// The form, as typed (or prefilled with the statutory dates of the first provisional year).
    form: LoadForm,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
pub struct LoadForm {
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub published: String,
    /// One holiday a line: `名称 放假首日 放假末日 [调休上班日 …]`.
    #[serde(default)]
    pub holidays: String,
}

#[derive(Deserialize, Default)]
struct Done {
    done: Option<i16>,
    moved: Option<usize>,
}

fn year_rows(cal: &Calendar, c: &Ctx) -> Vec<YearRow> {
    let first = *cal.covered_years().start();
    let last = cal
        .provisional_years()
        .map_or(*cal.covered_years().end(), |r| *r.end());
    (first..=last)
        .filter_map(|y| cal.year(y))
        .map(|y| {
            let holidays = y
                .holidays
                .iter()
                .map(|h| {
                    let name = if c.lang.code() == "en" { &h.en } else { &h.zh };
                    if h.from == h.to {
                        format!("{name} {}", h.from)
                    } else {
                        format!("{name} {}–{}", h.from, h.to)
                    }
                })
                .collect::<Vec<_>>()
                .join(c.t.s("common.sep"));
            YearRow {
                year: y.year,
                provisional: y.provisional,
                basis: if y.provisional {
                    c.t.s("calendar.provisional_note").to_string()
                } else {
                    crate::i18n::quoted(c.lang, &y.notice.citation_zh())
                },
                published: if y.provisional {
                    String::new()
                } else {
                    c.t.date(y.notice.published)
                },
                holidays,
            }
        })
        .collect()
}

/// The form for the first provisional year, prefilled with its statutory holidays (the
/// administrator corrects them to the notice and adds the 调休 workdays).
fn prefilled(cal: &Calendar) -> LoadForm {
    let Some(year) = cal.provisional_years().map(|r| *r.start()) else {
        return LoadForm::default();
    };
    let holidays = cal
        .year(year)
        .map(|y| {
            y.holidays
                .iter()
                .map(|h| format!("{} {} {}", h.zh, h.from, h.to))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default();
    LoadForm {
        year: year.to_string(),
        title: format!("国务院办公厅关于{year}年部分节假日安排的通知"),
        holidays,
        ..LoadForm::default()
    }
}

async fn page(
    State(state): State<AppState>,
    p: Page<ManageCalendar>,
    Query(d): Query<Done>,
) -> PageResult {
    let cal = state.calendar.get();
    let notice = d.done.map(|y| {
        p.c.t
            .s("calendar.loaded")
            .replace("{0}", &y.to_string())
            .replace("{1}", &d.moved.unwrap_or(0).to_string())
    });
    render(&CalendarTpl {
        years: year_rows(&cal, &p.c),
        form: prefilled(&cal),
        notice,
        error: None,
        c: p.c,
    })
}

/// The form as the calendar's file input; errors name the form line.
fn notice_input(f: &LoadForm, cal: &Calendar, c: &Ctx) -> Result<NoticeInput, String> {
    let year: i64 = f
        .year
        .trim()
        .parse()
        .map_err(|_| format!("{}：{:?}", c.t.s("calendar.bad_year"), f.year))?;
    let mut holidays = Vec::new();
    for (i, line) in f.holidays.lines().enumerate() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        let [name, from, to, adjusted @ ..] = words.as_slice() else {
            return Err(c
                .t
                .s("calendar.bad_line")
                .replace("{0}", &(i + 1).to_string())
                .replace("{1}", line.trim()));
        };
        let en = cal
            .statutory_rules()
            .holidays
            .iter()
            .find(|h| h.zh == *name)
            .map_or_else(|| name.to_string(), |h| h.en.clone());
        holidays.push(HolidayInput {
            zh: name.to_string(),
            en,
            from: from.to_string(),
            to: to.to_string(),
            adjusted_workdays: adjusted.iter().map(|s| s.to_string()).collect(),
        });
    }
    Ok(NoticeInput {
        year,
        title: f.title.clone(),
        number: Some(f.number.clone()),
        published: f.published.clone(),
        holidays,
    })
}

/// The calendar's message about `holidays[i]…` names the form's line i+1 instead.
fn with_line_numbers(message: &str, c: &Ctx) -> String {
    let mut out = message.to_string();
    while let Some(start) = out.find("holidays[") {
        let rest = &out[start + "holidays[".len()..];
        let Some(end) = rest.find(']') else { break };
        let Ok(i) = rest[..end].parse::<usize>() else {
            break;
        };
        let line = c.t.s("calendar.line").replace("{0}", &(i + 1).to_string());
        out.replace_range(start..start + "holidays[".len() + end + 1, &line);
    }
    out
}

async fn load(
    State(state): State<AppState>,
    p: Page<ManageCalendar>,
    Form(f): Form<LoadForm>,
) -> PageResult {
    let before = state.calendar.get();
    let saved = notice_input(&f, &before, &p.c).and_then(|input| {
        let provenance = format!(
            "{}\n{} {}",
            input.title.trim(),
            p.c.t.s("calendar.provenance"),
            p.actor()
        );
        let text = input.to_toml(&provenance);
        state
            .calendar
            .save_year(&text)
            .map(|year| (year, input))
            .map_err(|e| with_line_numbers(&e.to_string(), &p.c))
    });
    let (year, input) = match saved {
        Ok(ok) => ok,
        Err(e) => {
            let tpl = CalendarTpl {
                years: year_rows(&before, &p.c),
                form: f,
                notice: None,
                error: Some(e),
                c: p.c,
            };
            return render_status(&tpl, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let cal = state.calendar.get();
    let detail = serde_json::json!({
        "year": year.year,
        "title": year.notice.title,
        "number": year.notice.number,
        "published": year.notice.published.to_string(),
        "holidays": input.holidays,
        "file": year.notice.file,
    });
    let moved = state
        .store
        .recompute_working_day_deadlines(
            &p.actor(),
            "calendar.load",
            detail,
            REVIEW_WORKING_DAYS,
            &|d, n| cal.add_workdays(d, n).ok(),
        )
        .await?;
    redirect(&format!(
        "/admin/calendar?done={}&moved={}",
        year.year,
        moved.len()
    ))
}
