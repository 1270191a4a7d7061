//! Timestamps in a syslog header that `syslog_loose` does not read, rewritten into one it
//! does (RFC 3339 with an explicit offset) before it parses the rest. Only the header is
//! rewritten: the message is always a suffix of both the original and the rewritten text.
//!
//! Read here (decision 0724):
//! - ISO 8601 without an offset, `T` or a space between date and time (syslog-ng's
//!   `loggen`, H3C `info-center timestamp loghost iso`, Huawei `yyyy-mm-dd hh:mm:ss`);
//! - BSD month-day with a year before the time (Huawei `Nov 25 2026 10:15:32+08:00`) or after
//!   it (H3C `Nov 25 10:15:32 2026`), with a fraction (`.123`, H3C `:123`), with an offset
//!   (`+08:00`, `+0800`, `Z`) or a zone name (`UTC`, `GMT`; `CST`/`BJT` as China time);
//! - an RFC 5424 timestamp without an offset.
//!
//! A time without an offset or zone is China Standard Time (+08:00), as for RFC 3164.

use std::borrow::Cow;

use jiff::{civil, tz::Offset, Timestamp};

/// The header rewritten (or the text as is) and whether a missing year was guessed.
pub(super) struct Normalised<'a> {
    pub text: Cow<'a, str>,
    pub year_guessed: bool,
}

/// The receive time in China time: the year of a year-less BSD stamp comes from it.
#[derive(Clone, Copy)]
pub(super) struct Received {
    pub year: i16,
    pub month: i8,
}

impl Received {
    /// The receive year, or the year before when the message's month is more than one
    /// month after the receive month (a December line read in January).
    pub fn year_for(self, month: i8) -> i16 {
        if month > self.month + 1 {
            self.year - 1
        } else {
            self.year
        }
    }
}

pub(super) fn normalise(text: &str, received: Received) -> Normalised<'_> {
    let as_is = || Normalised {
        text: Cow::Borrowed(text),
        year_guessed: false,
    };
    let head = pri_len(text);
    let after_pri = &text[head..];
    // RFC 5424: `<PRI>1 TIMESTAMP …`; only a timestamp without an offset needs help.
    if head > 0 && after_pri.starts_with("1 ") {
        let at = head + 2;
        return match iso(&text[at..]) {
            Some(s) if s.offset.is_none() && !s.space_separated => {
                rewrite(text, head, "1 ", &text[at + s.len..], &s, received)
            }
            _ => as_is(),
        };
    }
    let lead = after_pri.len() - after_pri.trim_start_matches(' ').len();
    let at = head + lead;
    let stamp = iso(&text[at..]).or_else(|| bsd(&text[at..]));
    match stamp {
        // What syslog_loose reads itself: RFC 3339 with an offset, classic `Mmm dd hh:mm:ss`.
        Some(s) if s.is_plain() => as_is(),
        Some(s) => rewrite(text, head, "", &text[at + s.len..], &s, received),
        None => as_is(),
    }
}

/// A timestamp found at the start of the header.
struct Stamp {
    /// Bytes it takes in the text.
    len: usize,
    year: Option<i16>,
    month: i8,
    day: i8,
    hour: i8,
    minute: i8,
    second: i8,
    nanos: i32,
    offset: Option<Offset>,
    iso: bool,
    space_separated: bool,
}

impl Stamp {
    fn is_plain(&self) -> bool {
        if self.iso {
            self.offset.is_some() && !self.space_separated
        } else {
            self.year.is_none() && self.nanos == 0 && self.offset.is_none()
        }
    }
}

fn rewrite<'a>(
    text: &'a str,
    head: usize,
    version: &str,
    rest: &str,
    s: &Stamp,
    received: Received,
) -> Normalised<'a> {
    let year = s.year.unwrap_or_else(|| received.year_for(s.month));
    let offset = s.offset.unwrap_or(Offset::constant(8));
    let ts = civil::DateTime::new(year, s.month, s.day, s.hour, s.minute, s.second, s.nanos)
        .ok()
        .and_then(|dt| offset.to_timestamp(dt).ok());
    let Some(ts) = ts else {
        return Normalised {
            text: Cow::Borrowed(text),
            year_guessed: false,
        };
    };
    Normalised {
        text: Cow::Owned(format!(
            "{}{version}{} {}",
            &text[..head],
            stamp_3339(ts, offset),
            rest.trim_start_matches(' ')
        )),
        year_guessed: s.year.is_none(),
    }
}

fn stamp_3339(ts: Timestamp, offset: Offset) -> String {
    ts.display_with_offset(offset).to_string()
}

/// `<PRI>` with one to three digits: its length, else 0.
fn pri_len(text: &str) -> usize {
    let b = text.as_bytes();
    if b.first() != Some(&b'<') {
        return 0;
    }
    let digits = b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
    if (1..=3).contains(&digits) && b.get(1 + digits) == Some(&b'>') {
        digits + 2
    } else {
        0
    }
}

/// A cursor over the header bytes.
struct Cur<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Cur<'_> {
    fn num(&mut self, min: usize, max: usize) -> Option<i32> {
        let n = self.b[self.pos..]
            .iter()
            .take(max)
            .take_while(|c| c.is_ascii_digit())
            .count();
        if n < min || self.b.get(self.pos + n).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        let mut v = 0i32;
        for c in &self.b[self.pos..self.pos + n] {
            v = v * 10 + i32::from(c - b'0');
        }
        self.pos += n;
        Some(v)
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.b.get(self.pos) == Some(&c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }
    fn spaces(&mut self) -> usize {
        let n = self.b[self.pos..]
            .iter()
            .take_while(|c| **c == b' ')
            .count();
        self.pos += n;
        n
    }
    /// The stamp ends at a space or at the end of the text.
    fn at_end(&self) -> bool {
        matches!(self.peek(), None | Some(b' '))
    }
    /// `HH:MM:SS`.
    fn clock(&mut self) -> Option<(i8, i8, i8)> {
        let h = self.num(2, 2)?;
        self.eat(b':').then_some(())?;
        let m = self.num(2, 2)?;
        self.eat(b':').then_some(())?;
        let s = self.num(2, 2)?;
        Some((
            i8::try_from(h).ok()?,
            i8::try_from(m).ok()?,
            i8::try_from(s).ok()?,
        ))
    }
    /// `.ddd` (or `sep` ddd): nanoseconds.
    fn fraction(&mut self, seps: &[u8]) -> i32 {
        let save = self.pos;
        let Some(&c) = self.b.get(self.pos) else {
            return 0;
        };
        if !seps.contains(&c) {
            return 0;
        }
        self.pos += 1;
        let n = self.b[self.pos..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if n == 0 || n > 9 {
            self.pos = save;
            return 0;
        }
        let mut v = 0i32;
        for i in 0..9 {
            let d = if i < n {
                self.b[self.pos + i] - b'0'
            } else {
                0
            };
            v = v * 10 + i32::from(d);
        }
        self.pos += n;
        v
    }
    /// `Z`, `±HH:MM`, `±HHMM`, `±HH`.
    fn offset(&mut self) -> Option<Offset> {
        if self.eat(b'Z') {
            return Some(Offset::UTC);
        }
        let sign = match self.peek() {
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => return None,
        };
        let save = self.pos;
        self.pos += 1;
        let Some(h) = self.num(2, 2) else {
            self.pos = save;
            return None;
        };
        self.eat(b':');
        let m = self.num(2, 2).unwrap_or(0);
        if h > 14 || m > 59 {
            self.pos = save;
            return None;
        }
        Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()
    }
    /// ` UTC`, ` GMT` (UTC); ` CST`, ` BJT` (China time): a zone name after the clock.
    fn zone_name(&mut self) -> Option<Offset> {
        let rest = &self.b[self.pos..];
        for (name, hours) in [(&b" UTC"[..], 0), (b" GMT", 0), (b" CST", 8), (b" BJT", 8)] {
            let ends = matches!(rest.get(name.len()), None | Some(b' ' | b':'));
            if rest.starts_with(name) && ends {
                self.pos += name.len();
                return Some(Offset::constant(hours));
            }
        }
        None
    }
}

/// `YYYY-MM-DD[T ]HH:MM:SS[.frac][Z|±HH:MM]`.
fn iso(s: &str) -> Option<Stamp> {
    let mut c = Cur {
        b: s.as_bytes(),
        pos: 0,
    };
    let year = c.num(4, 4)?;
    c.eat(b'-').then_some(())?;
    let month = c.num(2, 2)?;
    c.eat(b'-').then_some(())?;
    let day = c.num(2, 2)?;
    let space_separated = if c.eat(b'T') {
        false
    } else if c.eat(b' ') {
        true
    } else {
        return None;
    };
    let (hour, minute, second) = c.clock()?;
    let nanos = c.fraction(b".,");
    let offset = c.offset().or_else(|| c.zone_name());
    c.at_end().then_some(())?;
    Some(Stamp {
        len: c.pos,
        year: Some(i16::try_from(year).ok()?),
        month: i8::try_from(month).ok()?,
        day: i8::try_from(day).ok()?,
        hour,
        minute,
        second,
        nanos,
        offset,
        iso: true,
        space_separated,
    })
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// `Mmm dd [YYYY ]HH:MM:SS[.frac|:frac][ YYYY][offset| zone]`.
fn bsd(s: &str) -> Option<Stamp> {
    let name = s.get(..3)?.to_ascii_lowercase();
    let month = MONTHS.iter().position(|m| *m == name)?;
    let mut c = Cur {
        b: s.as_bytes(),
        pos: 3,
    };
    (c.spaces() > 0).then_some(())?;
    let day = c.num(1, 2)?;
    (c.spaces() > 0).then_some(())?;
    // A year before the clock (Huawei, Junos `time-format year`).
    let save = c.pos;
    let mut year = c.num(4, 4).filter(|_| c.eat(b' '));
    if year.is_none() {
        c.pos = save;
    }
    let (hour, minute, second) = c.clock()?;
    let nanos = c.fraction(b".:");
    let mut offset = c.offset();
    // A year after the clock (H3C Comware).
    if year.is_none() && offset.is_none() {
        let save = c.pos;
        if c.eat(b' ') {
            year = c.num(4, 4).filter(|_| c.at_end());
            if year.is_none() {
                c.pos = save;
            }
        }
    }
    if offset.is_none() {
        offset = c.zone_name();
    }
    // syslog_loose accepts a colon straight after the seconds (`10:15:32: msg`).
    let plain_colon = nanos == 0 && year.is_none() && offset.is_none() && c.peek() == Some(b':');
    if !(c.at_end() || plain_colon) {
        return None;
    }
    Some(Stamp {
        len: c.pos,
        year: year.and_then(|y| i16::try_from(y).ok()),
        month: i8::try_from(month + 1).ok()?,
        day: i8::try_from(day).ok()?,
        hour,
        minute,
        second,
        nanos,
        offset,
        iso: false,
        space_separated: false,
    })
}
