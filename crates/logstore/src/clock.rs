//! The store's clock (decision 0920). A store opened for writing always keeps the system
//! clock: its checkpoints are dated by it and its deletions measure the six-month floor
//! from it. Nothing a user types moves it; only a read-only store may report as of another
//! time (`coverage` for `duties --at`), and only tests move a writer's clock (the
//! `test-clock` feature, never enabled by a binary's normal dependencies).
//!
//! The chain keeps the clock honest: a deletion is refused while any checkpoint is dated
//! later than the clock (the clock was set back, or a checkpoint was forged), and
//! `verify` fails on checkpoint times that go backwards.

use jiff::{SignedDuration, Timestamp};

use crate::checkpoint::Checkpoint;
use crate::error::{Error, Result};
use crate::store::Store;

/// How far a checkpoint may lie ahead of the clock, or behind the checkpoint before it,
/// before deletions are refused and `verify` fails: room for NTP steps and the clock skew
/// between scale-out nodes, nothing an attacker gains from against a six-month floor.
pub const CLOCK_TOLERANCE: SignedDuration = SignedDuration::from_secs(60);

#[derive(Debug, Clone, Copy)]
pub(crate) enum Clock {
    System,
    /// A read-only store reporting as of this time, or a test's writer.
    Fixed(Timestamp),
}

impl Clock {
    pub(crate) fn now(self) -> Timestamp {
        match self {
            Clock::System => Timestamp::now(),
            Clock::Fixed(t) => t,
        }
    }
}

/// The latest time any checkpoint of the chain carries, and the checkpoint's number.
#[derive(Debug, Clone, Copy, Default)]
pub struct LatestTime {
    pub latest: Option<(u64, Timestamp)>,
    /// The first checkpoint whose time does not parse.
    pub unreadable: Option<u64>,
}

impl LatestTime {
    pub(crate) fn apply(&mut self, cp: &Checkpoint) {
        match cp.time.parse::<Timestamp>() {
            Ok(t) if self.latest.is_none_or(|(_, l)| t > l) => self.latest = Some((cp.seq, t)),
            Ok(_) => {}
            Err(_) => {
                self.unreadable.get_or_insert(cp.seq);
            }
        }
    }
}

impl Store {
    /// The clock a deletion may use: the system clock, provided no checkpoint of the chain
    /// is dated later than it. Checked by every deletion path before it removes anything.
    pub(crate) fn deletion_clock(&self) -> Result<Timestamp> {
        let now = self.now();
        let t = &self.catalog.latest_time;
        if let Some(seq) = t.unreadable {
            return Err(Error::Refused(format!(
                "拒绝删除：检查点 #{seq} 的时间无法读取，无法计算六个月留存期 / refused: checkpoint #{seq} carries no readable time, so the six-month floor cannot be measured; run `dengbao logs verify`"
            )));
        }
        if let Some((seq, cp)) = t.latest {
            if cp.duration_since(now) > CLOCK_TOLERANCE {
                return Err(Error::Refused(format!(
                    "拒绝删除：检查点 #{seq} 的时间 {cp} 晚于本机时钟 {now}（时钟被回拨，或检查点被伪造），无法可靠计算六个月留存期 / refused: checkpoint #{seq} is dated {cp}, later than this machine's clock {now} (the clock was set back, or the checkpoint was forged), so the six-month floor cannot be measured; correct the clock and run `dengbao logs verify`"
                )));
            }
        }
        Ok(now)
    }

    /// Tests only: open with the clock at `now`, also for writing.
    #[cfg(feature = "test-clock")]
    #[doc(hidden)]
    pub fn open_with_test_clock(
        dir: &std::path::Path,
        opts: crate::OpenOptions,
        now: Timestamp,
    ) -> Result<Store> {
        Store::open_with_clock(dir, opts, Clock::Fixed(now))
    }

    /// Tests only: move this store's clock.
    #[cfg(feature = "test-clock")]
    #[doc(hidden)]
    pub fn set_test_clock(&mut self, now: Timestamp) {
        self.clock = Clock::Fixed(now);
    }

    /// Tests and the benchmark only: seal segments in format `format` (2 or 3; for 3, terms
    /// in `min_events` events or more get per-event postings), so a store can hold old
    /// segments beside new ones and the choices can be measured on one data set.
    #[cfg(feature = "test-clock")]
    #[doc(hidden)]
    pub fn set_test_segment_format(&mut self, format: u32, min_events: u32) {
        self.segment_format = (format, min_events);
    }
}

/// `verify`: checkpoint times must not go backwards (beyond [`CLOCK_TOLERANCE`]).
pub(crate) fn backwards_times(cps: &[Checkpoint]) -> Vec<String> {
    let mut out = Vec::new();
    let mut latest: Option<(u64, Timestamp)> = None;
    for cp in cps {
        let Ok(t) = cp.time.parse::<Timestamp>() else {
            out.push(format!(
                "checkpoint #{}: time `{}` is not an RFC 3339 time / 检查点时间无法读取",
                cp.seq, cp.time
            ));
            continue;
        };
        match latest {
            Some((seq, l)) if l.duration_since(t) > CLOCK_TOLERANCE => out.push(format!(
                "checkpoint #{}: dated {t}, before checkpoint #{seq} ({l}): the clock went backwards, or a checkpoint was forged / 检查点时间倒退（时钟被回拨或检查点被伪造）",
                cp.seq
            )),
            Some((_, l)) if l >= t => {}
            _ => latest = Some((cp.seq, t)),
        }
    }
    out
}
