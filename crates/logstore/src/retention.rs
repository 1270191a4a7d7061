//! Retention: a per-network policy in calendar months that can never go below the legal
//! floor of six months (网络安全法 第二十一条（三）; 条例 第二十条（五）), legal holds that
//! freeze a time range, and removal of whole segments only — recorded in the checkpoint
//! chain with the compact range that keeps the Merkle tree verifiable.
//!
//! Invariant: every removal goes through [`Store::remove_segments`], which re-checks the
//! floor, the network's policy and the holds for each segment, whoever asked — the chain's
//! own holds and the hold files others place in `<logs>/holds/` (`holdfiles`).

use serde::Serialize;

use crate::checkpoint::{Body, ExpiryEntry, Note, SegmentEntry};
use crate::error::{Error, Result};
use crate::holdfiles::{self, Window};
use crate::store::{shanghai, Store};

/// The legal floor, in calendar months.
pub const FLOOR_MONTHS: u32 = 6;
/// The longest retention policy that may be set, in calendar months (a century): a bound
/// on the date arithmetic and on the Object Lock dates a policy asks of the storage.
pub const MAX_POLICY_MONTHS: u32 = 1200;
/// Where the floor comes from.
pub const FLOOR_CITATION: &str =
    "网络安全法 第二十一条（三）; 网络安全等级保护条例（征求意见稿） 第二十条（五）";

#[derive(Debug, Clone, Serialize)]
pub struct SegmentRef {
    pub id: u64,
    pub network: String,
    pub day: String,
    pub events: u64,
}

impl From<&SegmentEntry> for SegmentRef {
    fn from(s: &SegmentEntry) -> Self {
        SegmentRef {
            id: s.id,
            network: s.network.clone(),
            day: s.day.clone(),
            events: s.count,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DeleteReport {
    pub removed: Vec<SegmentRef>,
    pub kept_by_hold: Vec<SegmentRef>,
    pub kept_by_policy: Vec<SegmentRef>,
    /// Segments that straddle the cut: only whole segments are removed.
    pub kept_too_young: Vec<SegmentRef>,
    /// Scale-out: segments the object storage still holds under Object Lock.
    pub kept_by_storage: Vec<SegmentRef>,
    pub events_removed: u64,
    /// Why each segment of `kept_by_hold` is held: the reasons of the holds covering it
    /// (a hold file's names its incident).
    pub held_by: Vec<HeldBy>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HeldBy {
    pub segment: u64,
    pub holds: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hold {
    pub id: u64,
    pub network: Option<String>,
    pub from: String,
    pub to: String,
    pub reason: String,
}

/// `now` less `months` calendar months in Asia/Shanghai; `Timestamp::MIN` (keep all) when
/// the calendar cannot hold the span.
pub(crate) fn cutoff_from(now: jiff::Timestamp, months: u32) -> jiff::Timestamp {
    jiff::Span::new()
        .try_months(i64::from(months))
        .and_then(|span| now.to_zoned_datetime(shanghai()).checked_sub(span))
        .map(|z| z.timestamp())
        .unwrap_or(jiff::Timestamp::MIN)
}

fn ts(us: i64) -> String {
    jiff::Timestamp::from_microsecond(us)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

impl Store {
    /// Commit a checkpoint that adds no records: only `body`'s notes or expiries.
    fn commit_body(&mut self, body: Body) -> Result<()> {
        let f = self.catalog.frontier.clone();
        self.commit_checkpoint(body, f)
    }

    /// Commit a checkpoint carrying just `note` (hold, release, refusal).
    fn commit_note(&mut self, note: Note) -> Result<()> {
        self.commit_body(Body {
            notes: vec![note],
            ..Body::default()
        })
    }

    /// The retention of `network` in months: its policy, never below the floor.
    pub fn policy_months(&self, network: &str) -> u32 {
        self.catalog
            .policies
            .get(network)
            .copied()
            .unwrap_or(FLOOR_MONTHS)
            .max(FLOOR_MONTHS)
    }

    /// Events strictly before this instant may be removed under `months` of retention.
    /// A span the calendar cannot hold keeps everything (never a panic, never a wrap).
    pub fn cutoff(&self, months: u32) -> jiff::Timestamp {
        cutoff_from(self.now(), months)
    }

    pub fn set_policy(&mut self, network: &str, months: u32) -> Result<()> {
        crate::store::validate_network(network)?;
        if months < FLOOR_MONTHS {
            return Err(Error::Refused(format!(
                "retention of {months} months for `{network}` refused: the floor is {FLOOR_MONTHS} months ({FLOOR_CITATION}) / 留存期不得少于六个月"
            )));
        }
        if months > MAX_POLICY_MONTHS {
            return Err(Error::Invalid(format!(
                "留存期 months = {months}（网络 `{network}`）超出范围：须在 {FLOOR_MONTHS} 至 {MAX_POLICY_MONTHS} 个月之间 / retention months = {months} for `{network}` is out of range: use {FLOOR_MONTHS} to {MAX_POLICY_MONTHS} months"
            )));
        }
        let body = Body {
            notes: vec![Note::Policy {
                network: network.into(),
                months,
            }],
            ..Body::default()
        };
        self.commit_body(body)?;
        if let Some(r) = &self.remote {
            // Scale-out: the bucket's lock follows a longer policy (it never shortens).
            for e in self.catalog.live.values().filter(|e| e.network == network) {
                r.extend(e, crate::backend::retain_until(e, months))?;
            }
        }
        Ok(())
    }

    pub fn place_hold(
        &mut self,
        network: Option<&str>,
        from: jiff::Timestamp,
        to: jiff::Timestamp,
        reason: &str,
    ) -> Result<u64> {
        if from > to {
            return Err(Error::Invalid(format!(
                "hold: from {from} is after to {to} / 起止时间颠倒"
            )));
        }
        if reason.trim().is_empty() {
            return Err(Error::Invalid(
                "hold: a reason is required (case number, requesting organ) / 须写明原因".into(),
            ));
        }
        let id = self.catalog.next_hold;
        let note = Note::Hold {
            id,
            network: network.map(String::from),
            from_us: from.as_microsecond(),
            to_us: to.as_microsecond(),
            reason: reason.into(),
        };
        self.commit_note(note)?;
        Ok(id)
    }

    pub fn release_hold(&mut self, id: u64, reason: &str) -> Result<()> {
        if !self.catalog.holds.contains_key(&id) {
            return Err(Error::Invalid(format!(
                "no active legal hold #{id} / 无此保全"
            )));
        }
        self.commit_note(Note::Release {
            id,
            reason: reason.into(),
        })
    }

    pub fn holds(&self) -> Vec<Hold> {
        self.catalog
            .holds
            .values()
            .filter_map(|n| match n {
                Note::Hold {
                    id,
                    network,
                    from_us,
                    to_us,
                    reason,
                } => Some(Hold {
                    id: *id,
                    network: network.clone(),
                    from: ts(*from_us),
                    to: ts(*to_us),
                    reason: reason.clone(),
                }),
                _ => None,
            })
            .collect()
    }

    /// The reasons of the holds covering `s`: the chain's own and the hold files'.
    fn held(&self, s: &SegmentEntry, files: &[Window]) -> Vec<String> {
        let overlaps = |from: i64, to: i64| s.min_time_us <= to && s.max_time_us >= from;
        let mut out: Vec<String> = self
            .catalog
            .holds
            .values()
            .filter_map(|n| match n {
                Note::Hold {
                    id,
                    network,
                    from_us,
                    to_us,
                    reason,
                } if network.as_ref().is_none_or(|n| *n == s.network)
                    && overlaps(*from_us, *to_us) =>
                {
                    Some(format!("#{id} {reason}"))
                }
                _ => None,
            })
            .collect();
        out.extend(
            files
                .iter()
                .filter(|w| w.network == s.network && overlaps(w.from_us, w.to_us))
                .map(|w| w.reason.clone()),
        );
        out
    }

    /// Why `s` may not be removed now, if it may not.
    fn keep_reason(
        &self,
        now: jiff::Timestamp,
        s: &SegmentEntry,
        files: &[Window],
    ) -> Option<&'static str> {
        let cutoff = |months| cutoff_from(now, months).as_microsecond();
        if s.max_time_us >= cutoff(FLOOR_MONTHS) {
            Some("floor")
        } else if !self.held(s, files).is_empty() {
            Some("hold")
        } else if s.max_time_us >= cutoff(self.policy_months(&s.network)) {
            Some("policy")
        } else if self
            .remote
            .as_ref()
            .is_some_and(|r| r.locked_until(s).is_some())
        {
            // Object Lock: the bucket itself still refuses (by its own clock).
            Some("storage")
        } else {
            None
        }
    }

    /// Remove whole segments whose every event is before `before` (optionally in one network).
    /// Refused outright when `before` is inside the six-month floor.
    pub fn delete_before(
        &mut self,
        before: jiff::Timestamp,
        network: Option<&str>,
    ) -> Result<DeleteReport> {
        let floor = cutoff_from(self.deletion_clock()?, FLOOR_MONTHS);
        if before > floor {
            let reason = format!(
                "refused: deleting logs before {before} would remove events younger than six months (kept until at least {floor} can be deleted; {FLOOR_CITATION}) / 拒绝删除：日志须留存不少于六个月"
            );
            let note = Note::Refused {
                request: format!(
                    "delete --before {before}{}",
                    network
                        .map(|n| format!(" --network {n}"))
                        .unwrap_or_default()
                ),
                reason: reason.clone(),
            };
            self.commit_note(note)?;
            return Err(Error::Refused(reason));
        }
        let cands: Vec<SegmentEntry> = self
            .catalog
            .live
            .values()
            .filter(|s| {
                network.is_none_or(|n| n == s.network) && s.min_time_us < before.as_microsecond()
            })
            .cloned()
            .collect();
        self.remove_where(
            cands,
            before.as_microsecond(),
            &format!("delete --before {before}"),
        )
    }

    /// The expiry job: remove every segment older than its network's retention.
    pub fn expire(&mut self) -> Result<DeleteReport> {
        self.deletion_clock()?;
        let cands: Vec<SegmentEntry> = self.catalog.live.values().cloned().collect();
        self.remove_where(cands, i64::MAX, "expiry after retention policy")
    }

    fn remove_where(
        &mut self,
        cands: Vec<SegmentEntry>,
        before_us: i64,
        reason: &str,
    ) -> Result<DeleteReport> {
        let mut rep = DeleteReport::default();
        let mut go = Vec::new();
        let now = self.deletion_clock()?;
        let files = holdfiles::windows(&self.dir)?;
        for s in &cands {
            if s.max_time_us >= before_us {
                rep.kept_too_young.push(s.into());
                continue;
            }
            match self.keep_reason(now, s, &files) {
                Some("hold") => {
                    rep.held_by.push(HeldBy {
                        segment: s.id,
                        holds: self.held(s, &files),
                    });
                    rep.kept_by_hold.push(s.into())
                }
                Some("policy") => rep.kept_by_policy.push(s.into()),
                Some("storage") => rep.kept_by_storage.push(s.into()),
                Some(_) => rep.kept_too_young.push(s.into()),
                None => go.push(s.id),
            }
        }
        let removed = self.remove_segments(&go, reason)?;
        rep.events_removed = removed.iter().map(|s| s.events).sum();
        rep.removed = removed;
        Ok(rep)
    }

    /// The single removal path: re-checks floor, hold and policy for each segment, records the
    /// expiry (with its compact range) in a signed checkpoint, then deletes the files.
    pub(crate) fn remove_segments(&mut self, ids: &[u64], reason: &str) -> Result<Vec<SegmentRef>> {
        let mut entries = Vec::new();
        let mut refs = Vec::new();
        let now = self.deletion_clock()?;
        let files = holdfiles::windows(&self.dir)?;
        for id in ids {
            let Some(s) = self.catalog.live.get(id).cloned() else {
                continue;
            };
            if let Some(why) = self.keep_reason(now, &s, &files) {
                return Err(Error::Refused(format!(
                    "segment {id:012} ({} {}) is protected ({why}) / 受保护，拒绝删除",
                    s.network, s.day
                )));
            }
            let leaves = crate::verify::check_segment(&self.dir, self.suite, &s).map_err(|p| {
                Error::Refused(format!(
                    "{p}: a damaged segment is never expired / 损坏的段不会被删除"
                ))
            })?;
            entries.push(ExpiryEntry {
                id: s.id,
                first_leaf: s.first_leaf,
                count: s.count,
                nodes: crate::store::expiry_nodes(self.suite, s.first_leaf, &leaves),
                reason: reason.into(),
            });
            refs.push(SegmentRef::from(&s));
        }
        if entries.is_empty() {
            return Ok(refs);
        }
        self.commit_body(Body {
            expired: entries.clone(),
            ..Body::default()
        })?;
        for e in &entries {
            if let Some((s, _)) = self.catalog.expired.get(&e.id).cloned() {
                self.remove_segment_file(&s)?;
            }
        }
        Ok(refs)
    }
}
