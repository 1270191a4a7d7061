//! Paging through search results (`dengbao logs search --after CURSOR`): a cursor names the
//! last event of a page by its place in the order results come in — segments by (earliest
//! event, id), then events by (time, position in the segment) — so the next page starts
//! right after it without re-reading the segments before.
//!
//! Written as text, `1.<segment earliest µs>.<segment id>.<event µs>.<position>`: opaque to
//! scripts, but stable across processes and versions of this format (the leading `1`). It
//! stays valid while the store grows and after the segment it names expired (the position
//! is compared, not looked up). Events sealed later into a place before the cursor — late
//! lines of an earlier hour — are not in the following pages; a search without `--after`
//! shows them.

use std::fmt;
use std::str::FromStr;

use crate::checkpoint::SegmentEntry;

/// Where a page ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub segment_min_us: i64,
    pub segment: u64,
    pub time_us: i64,
    pub position: u32,
}

impl Cursor {
    /// The cursor of event `position` (at `time_us`) of segment `s`.
    pub fn at(s: &SegmentEntry, time_us: i64, position: u32) -> Cursor {
        Cursor {
            segment_min_us: s.min_time_us,
            segment: s.id,
            time_us,
            position,
        }
    }

    /// Whether segment `s` comes after the cursor's, or is its own (has events to resume).
    pub(crate) fn keeps_segment(&self, s: &SegmentEntry) -> bool {
        (s.min_time_us, s.id) >= (self.segment_min_us, self.segment)
    }

    /// Whether event `position` at `time_us` of segment `s` comes after the cursor.
    pub(crate) fn keeps_event(&self, s: &SegmentEntry, time_us: i64, position: u32) -> bool {
        s.id != self.segment || (time_us, position) > (self.time_us, self.position)
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "1.{}.{}.{}.{}",
            self.segment_min_us, self.segment, self.time_us, self.position
        )
    }
}

/// A cursor that is not one this store wrote.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "not a search cursor (expected what a previous page printed as `next`) / 不是有效的翻页游标"
)]
pub struct BadCursor;

impl FromStr for Cursor {
    type Err = BadCursor;

    fn from_str(s: &str) -> Result<Cursor, BadCursor> {
        let mut it = s.trim().split('.');
        if it.next() != Some("1") {
            return Err(BadCursor);
        }
        let mut num = || it.next().ok_or(BadCursor);
        let segment_min_us = num()?.parse().map_err(|_| BadCursor)?;
        let segment = num()?.parse().map_err(|_| BadCursor)?;
        let time_us = num()?.parse().map_err(|_| BadCursor)?;
        let position = num()?.parse().map_err(|_| BadCursor)?;
        if it.next().is_some() {
            return Err(BadCursor);
        }
        Ok(Cursor {
            segment_min_us,
            segment,
            time_us,
            position,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_and_garbage_does_not() {
        let c = Cursor {
            segment_min_us: -5,
            segment: 12,
            time_us: 1_764_000_000_000_000,
            position: 7,
        };
        assert_eq!(c.to_string().parse::<Cursor>(), Ok(c));
        for bad in [
            "",
            "2.1.2.3.4",
            "1.1.2.3",
            "1.1.2.3.4.5",
            "1.a.2.3.4",
            "1.1.-2.3.4",
        ] {
            assert_eq!(bad.parse::<Cursor>(), Err(BadCursor), "{bad}");
        }
    }
}
