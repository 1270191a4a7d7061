//! Time in mainland China: the zone every deadline is computed in.

use jiff::civil::Date;
use jiff::tz::{self, TimeZone};
use jiff::{Timestamp, ToSpan, ZonedDateTime};

use crate::CalendarError;

/// The IANA zone deadlines are computed in.
pub const ZONE: &str = "Asia/Shanghai";

/// The Asia/Shanghai zone from jiff's bundled tzdb. Should the lookup ever fail, the fixed
/// offset UTC+08:00 is used: mainland China has kept it without daylight saving since
/// 1991, so every date this calendar covers is the same under both.
pub fn shanghai() -> TimeZone {
    TimeZone::get(ZONE).unwrap_or_else(|_| TimeZone::fixed(tz::offset(8)))
}

/// Today's date in Asia/Shanghai.
pub fn today_in_shanghai() -> Date {
    Timestamp::now().to_zoned_datetime(shanghai()).date()
}

/// An instant seen in Asia/Shanghai (its civil date is the day a clock starts on).
pub fn in_shanghai(ts: Timestamp) -> ZonedDateTime {
    ts.to_zoned_datetime(shanghai())
}

/// `ts` plus `hours` elapsed hours, in Asia/Shanghai: the 24-hour incident-report clock.
/// Hours are real elapsed time, not working hours.
pub fn add_hours(ts: Timestamp, hours: u32) -> Result<ZonedDateTime, CalendarError> {
    ts.checked_add(i64::from(hours).hours())
        .map(in_shanghai)
        .map_err(|e| CalendarError::Arithmetic(e.to_string()))
}
