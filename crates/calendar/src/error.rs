use std::ops::RangeInclusive;
use std::path::PathBuf;

use jiff::civil::Date;

/// Everything that can go wrong with the calendar. Messages are shown to users as they
/// are: Chinese first, then English, naming the date, file, line and field.
#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    /// A date touched by the computation lies in a year the calendar has no notice for.
    /// The calendar never guesses: add the year's file under `<data-dir>/calendar/`.
    #[error(
        "{date} 超出工作日历的覆盖范围（{}–{} 年），无法确定是否为工作日；请在数据目录的 calendar/ 下添加该年的节假日安排文件 / \
         {date} is outside the working-day calendar (covers {}–{}); add that year's State Council holiday notice as calendar/<year>.toml",
        covered.start(), covered.end(), covered.start(), covered.end()
    )]
    OutOfRange {
        date: Date,
        covered: RangeInclusive<i16>,
    },
    /// A calendar file breaks a rule (bad TOML, bad date, date of another year, a
    /// weekday listed as an adjusted workday, a holiday that is also a workday …).
    #[error("{file}:{line}: `{field}`: {message}")]
    Invalid {
        file: String,
        line: usize,
        field: String,
        message: String,
    },
    /// Two files define the same year.
    #[error("{year} 年的日历重复定义 / year {year} is defined twice: in {first} and in {second}")]
    DuplicateYear {
        year: i16,
        first: String,
        second: String,
    },
    /// The covered years must be contiguous, so that "covered" means every day between.
    #[error(
        "工作日历缺少 {missing} 年（已有 {before} 年和 {after} 年）/ the calendar has no file for {missing}, \
         between {before} and {after}; years must be contiguous"
    )]
    Gap {
        missing: i16,
        before: i16,
        after: i16,
    },
    /// No calendar file at all.
    #[error("工作日历为空 / the working-day calendar has no year")]
    Empty,
    /// An override directory or file could not be read.
    #[error("无法读取 / cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Time arithmetic left jiff's supported range (years -9999..=9999).
    #[error("时间计算超出范围 / time arithmetic out of range: {0}")]
    Arithmetic(String),
}
