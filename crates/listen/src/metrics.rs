//! `GET /metrics` on the logs HTTP listener (same tokens as `/status`): the listeners' and
//! the writer's counters in the Prometheus text exposition format (version 0.0.4), so an
//! operator's monitoring scrapes the log centre like any other service (issue 14).
//! Counters are `_total`; open connections and the queue are gauges. The transport is a
//! label (`transport="syslog udp"`), the network another (`network="办公网"`). From the store
//! (decision 0926): the WAL not yet sealed (records, bytes, age of the oldest), the newest
//! checkpoint's time (seal lag), per network the oldest retained event against the
//! six-month floor of 网络安全法 第二十一条（三）, and the last `logs verify` recorded.

use std::fmt::Write;

use crate::StatusReport;

/// One sample: its labels (name, value) and its value as written.
type Sample = (Vec<(&'static str, String)>, String);

/// One metric family: its help line, its type and the samples.
struct Family<'a> {
    name: &'a str,
    help: &'a str,
    kind: &'a str,
    samples: Vec<Sample>,
}

/// A label value as the exposition format wants it: backslash, double quote and line feed
/// escaped.
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn write_family(out: &mut String, f: &Family) {
    let _ = writeln!(out, "# HELP {} {}", f.name, f.help);
    let _ = writeln!(out, "# TYPE {} {}", f.name, f.kind);
    for (labels, v) in &f.samples {
        if labels.is_empty() {
            let _ = writeln!(out, "{} {v}", f.name);
        } else {
            let l: Vec<String> = labels
                .iter()
                .map(|(k, x)| format!("{k}=\"{}\"", escape(x)))
                .collect();
            let _ = writeln!(out, "{}{{{}}} {v}", f.name, l.join(","));
        }
    }
}

fn one(v: impl ToString) -> Vec<Sample> {
    vec![(Vec::new(), v.to_string())]
}

/// Microseconds since the epoch as Prometheus seconds.
fn seconds(us: i64) -> String {
    format!("{:.3}", us as f64 / 1e6)
}

/// The families read from the store (WAL, checkpoints, six-month floor) and the last
/// verify; absent until the writer or `serve` published them.
fn store_families(r: &StatusReport, now_us: i64) -> Vec<Family<'static>> {
    let mut v = Vec::new();
    if let Some(s) = &r.store {
        v.push(Family {
            name: "dengbao_log_wal_unsealed_records",
            help: "Records acknowledged in the WAL but not yet sealed into segments.",
            kind: "gauge",
            samples: one(s.unsealed_records),
        });
        v.push(Family {
            name: "dengbao_log_wal_unsealed_bytes",
            help: "Bytes of those records.",
            kind: "gauge",
            samples: one(s.unsealed_bytes),
        });
        v.push(Family {
            name: "dengbao_log_wal_oldest_unsealed_age_seconds",
            help: "Age of the oldest record not yet sealed (0 when none waits).",
            kind: "gauge",
            samples: one(seconds(
                s.oldest_unsealed_us.map_or(0, |o| (now_us - o).max(0)),
            )),
        });
        v.push(Family {
            name: "dengbao_log_checkpoints",
            help: "Signed checkpoints in the chain.",
            kind: "gauge",
            samples: one(s.checkpoints),
        });
        if let Some(t) = s.last_checkpoint_us {
            v.push(Family {
                name: "dengbao_log_last_checkpoint_timestamp_seconds",
                help: "When the newest checkpoint was signed (seal lag: now minus this).",
                kind: "gauge",
                samples: one(seconds(t)),
            });
        }
        v.push(Family {
            name: "dengbao_log_retention_floor_start_timestamp_seconds",
            help: "Start of the six-month window logs must reach back to (CSL art. 21(3)).",
            kind: "gauge",
            samples: one(seconds(s.floor_start_us)),
        });
        let per = |f: &dyn Fn(&dengbao_logstore::ops::NetworkFloor) -> Option<String>| {
            s.networks
                .iter()
                .filter_map(|n| f(n).map(|x| (vec![("network", n.network.clone())], x)))
                .collect::<Vec<Sample>>()
        };
        v.push(Family {
            name: "dengbao_log_oldest_event_timestamp_seconds",
            help: "The oldest event each network still retains.",
            kind: "gauge",
            samples: per(&|n| n.oldest_us.map(seconds)),
        });
        v.push(Family {
            name: "dengbao_log_retention_floor_covered",
            help: "1 when the network's oldest retained event reaches back to the six-month floor.",
            kind: "gauge",
            samples: per(&|n| Some(u8::from(n.covers_floor).to_string())),
        });
        v.push(Family {
            name: "dengbao_log_retention_floor_younger",
            help: "1 when the network's logs begin after the floor and none were removed (younger than six months).",
            kind: "gauge",
            samples: per(&|n| Some(u8::from(n.younger_than_floor).to_string())),
        });
    }
    if let Some(l) = &r.last_verify {
        v.push(Family {
            name: "dengbao_log_last_verify_timestamp_seconds",
            help: "When `logs verify` last ran against this store (as recorded in the database).",
            kind: "gauge",
            samples: one(seconds(l.at_us)),
        });
        v.push(Family {
            name: "dengbao_log_last_verify_ok",
            help: "1 when that verify passed, 0 when it found problems.",
            kind: "gauge",
            samples: one(u8::from(l.ok)),
        });
        v.push(Family {
            name: "dengbao_log_last_verify_checkpoints",
            help: "Checkpoints that verify checked.",
            kind: "gauge",
            samples: one(l.checkpoints),
        });
    }
    v
}

/// The report in the Prometheus text format, as of `now_us`.
pub fn render(r: &StatusReport, now_us: i64) -> String {
    let per = |f: fn(&crate::counters::Snapshot) -> u64| -> Vec<Sample> {
        r.listeners
            .iter()
            .map(|(k, l)| {
                (
                    vec![("transport", k.to_string())],
                    f(&l.counters).to_string(),
                )
            })
            .collect()
    };
    let families = [
        Family {
            name: "dengbao_log_events_received_total",
            help: "Messages read off the wire, before the queue.",
            kind: "counter",
            samples: per(|c| c.received),
        },
        Family {
            name: "dengbao_log_events_stored_total",
            help: "Messages durably appended to the log store.",
            kind: "counter",
            samples: per(|c| c.stored),
        },
        Family {
            name: "dengbao_log_udp_dropped_total",
            help: "UDP datagrams dropped because the writer's queue was full.",
            kind: "counter",
            samples: per(|c| c.dropped_udp),
        },
        Family {
            name: "dengbao_log_events_malformed_total",
            help: "Messages no parser understood (stored raw).",
            kind: "counter",
            samples: per(|c| c.malformed),
        },
        Family {
            name: "dengbao_log_events_truncated_total",
            help: "Over-long messages cut to the maximum size (stored, marked).",
            kind: "counter",
            samples: per(|c| c.truncated),
        },
        Family {
            name: "dengbao_log_events_refused_total",
            help: "Messages refused because their sender maps to no network.",
            kind: "counter",
            samples: per(|c| c.refused),
        },
        Family {
            name: "dengbao_log_events_failed_total",
            help: "Messages lost because the append failed (disk full, I/O error).",
            kind: "counter",
            samples: per(|c| c.failed),
        },
        Family {
            name: "dengbao_log_connections_total",
            help: "Connections or requests accepted.",
            kind: "counter",
            samples: per(|c| c.connections),
        },
        Family {
            name: "dengbao_log_connections_rejected_total",
            help: "TLS handshakes, bad frames or 401/413 answers.",
            kind: "counter",
            samples: per(|c| c.rejected),
        },
        Family {
            name: "dengbao_log_connections_open",
            help: "Connections open now.",
            kind: "gauge",
            samples: per(|c| c.open_connections),
        },
        Family {
            name: "dengbao_log_queue_depth",
            help: "Jobs waiting for the writer.",
            kind: "gauge",
            samples: one(r.queued),
        },
        Family {
            name: "dengbao_log_queue_capacity",
            help: "The most jobs the writer's queue holds.",
            kind: "gauge",
            samples: one(r.queue_capacity),
        },
        Family {
            name: "dengbao_log_writer_batches_total",
            help: "Appends by the writer, each one fdatasync.",
            kind: "counter",
            samples: one(r.writer.batches),
        },
        Family {
            name: "dengbao_log_writer_records_total",
            help: "Records appended by the writer.",
            kind: "counter",
            samples: one(r.writer.records),
        },
        Family {
            name: "dengbao_log_writer_seals_total",
            help: "Segments sealed by the writer.",
            kind: "counter",
            samples: one(r.writer.seals),
        },
        Family {
            name: "dengbao_log_writer_errors_total",
            help: "Writer errors (each also logged).",
            kind: "counter",
            samples: one(r.writer.errors),
        },
    ];
    let mut out = String::new();
    for f in families.iter().chain(store_families(r, now_us).iter()) {
        write_family(&mut out, f);
    }
    out
}
