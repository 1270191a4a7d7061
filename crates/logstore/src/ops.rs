//! What an operator's monitoring needs from the store itself (issue 14): the WAL not yet
//! sealed, the newest checkpoint, and per network the oldest retained event against the
//! six-month floor of 网络安全法 第二十一条（三） — read from memory, no file touched, so the
//! writer can publish it after every batch and `/metrics` can be scraped often.

use serde::Serialize;

use crate::record::Record;
use crate::retention::FLOOR_MONTHS;
use crate::store::Store;

/// One network against the six-month floor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NetworkFloor {
    pub network: String,
    /// The oldest event still retained (`None`: nothing retained).
    pub oldest_us: Option<i64>,
    /// The oldest retained event is at or before the floor's start: six months are kept.
    pub covers_floor: bool,
    /// Not covering the floor only because the network's logs begin after the floor's
    /// start and nothing of it was ever removed (a network younger than six months).
    pub younger_than_floor: bool,
}

/// The store's side of `/metrics`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpsSnapshot {
    /// Records acknowledged (in the WAL) but not yet sealed into segments.
    pub unsealed_records: u64,
    pub unsealed_bytes: u64,
    /// When the oldest of them was received (`None`: none waiting).
    pub oldest_unsealed_us: Option<i64>,
    pub checkpoints: u64,
    /// The newest checkpoint's time (`None`: no checkpoint yet).
    pub last_checkpoint_us: Option<i64>,
    /// The start of the six-month window as of now.
    pub floor_start_us: i64,
    pub networks: Vec<NetworkFloor>,
}

impl OpsSnapshot {
    /// Bring the WAL part up to date from `store` without recomputing the rest: the writer
    /// calls this after every batch, and [`Store::ops_snapshot`] only after a checkpoint.
    pub fn refresh_unsealed(&mut self, store: &Store) {
        let (records, bytes, oldest) = store.unsealed();
        self.unsealed_records = records;
        self.unsealed_bytes = bytes;
        self.oldest_unsealed_us = oldest;
    }
}

impl Store {
    /// Records and bytes in the WAL not yet sealed, and when the oldest was received.
    pub fn unsealed(&self) -> (u64, u64, Option<i64>) {
        // Records are appended in arrival order, so the oldest is among the first; decode
        // a few rather than all (a clock step backwards makes "first" approximate).
        let oldest = self
            .pending
            .iter()
            .take(16)
            .filter_map(|b| Record::decode(b).ok().map(|r| r.received_us))
            .min();
        (self.pending.len() as u64, self.pending_bytes as u64, oldest)
    }

    /// The operational state as of the store's clock.
    pub fn ops_snapshot(&self) -> OpsSnapshot {
        let floor = self.cutoff(FLOOR_MONTHS).as_microsecond();
        let (unsealed_records, unsealed_bytes, oldest_unsealed_us) = self.unsealed();
        let networks = self
            .catalog
            .networks()
            .into_iter()
            .map(|net| {
                let oldest_us = self
                    .catalog
                    .live
                    .values()
                    .filter(|s| s.network == net)
                    .map(|s| s.min_time_us)
                    .min();
                let removed = self.catalog.expired.values().any(|(s, _)| s.network == net);
                let covers_floor = oldest_us.is_some_and(|o| o <= floor);
                NetworkFloor {
                    younger_than_floor: !covers_floor && !removed && oldest_us.is_some(),
                    covers_floor,
                    oldest_us,
                    network: net,
                }
            })
            .collect();
        OpsSnapshot {
            unsealed_records,
            unsealed_bytes,
            oldest_unsealed_us,
            checkpoints: self.catalog.checkpoints.len() as u64,
            last_checkpoint_us: self
                .catalog
                .checkpoints
                .last()
                .and_then(|c| c.time.parse::<jiff::Timestamp>().ok())
                .map(|t| t.as_microsecond()),
            floor_start_us: floor,
            networks,
        }
    }
}
