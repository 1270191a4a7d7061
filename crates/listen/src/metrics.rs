//! `GET /metrics` on the logs HTTP listener (same tokens as `/status`): the listeners' and
//! the writer's counters in the Prometheus text exposition format (version 0.0.4), so an
//! operator's monitoring scrapes the log centre like any other service (issue 14).
//! Counters are `_total`; open connections and the queue are gauges. The transport is a
//! label (`transport="syslog udp"`).

use std::fmt::Write;

use crate::StatusReport;

/// One metric family: its help line, its type and the samples.
struct Family<'a> {
    name: &'a str,
    help: &'a str,
    kind: &'a str,
    samples: Vec<(Option<&'a str>, u64)>,
}

fn write_family(out: &mut String, f: &Family) {
    let _ = writeln!(out, "# HELP {} {}", f.name, f.help);
    let _ = writeln!(out, "# TYPE {} {}", f.name, f.kind);
    for (transport, v) in &f.samples {
        match transport {
            Some(t) => {
                let t = t.replace('\\', "\\\\").replace('"', "\\\"");
                let _ = writeln!(out, "{}{{transport=\"{t}\"}} {v}", f.name);
            }
            None => {
                let _ = writeln!(out, "{} {v}", f.name);
            }
        }
    }
}

/// The report in the Prometheus text format.
pub fn render(r: &StatusReport) -> String {
    let per = |f: fn(&crate::counters::Snapshot) -> u64| -> Vec<(Option<&str>, u64)> {
        r.listeners
            .iter()
            .map(|(k, l)| (Some(*k), f(&l.counters)))
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
            samples: vec![(None, r.queued as u64)],
        },
        Family {
            name: "dengbao_log_queue_capacity",
            help: "The most jobs the writer's queue holds.",
            kind: "gauge",
            samples: vec![(None, r.queue_capacity as u64)],
        },
        Family {
            name: "dengbao_log_writer_batches_total",
            help: "Appends by the writer, each one fdatasync.",
            kind: "counter",
            samples: vec![(None, r.writer.batches)],
        },
        Family {
            name: "dengbao_log_writer_records_total",
            help: "Records appended by the writer.",
            kind: "counter",
            samples: vec![(None, r.writer.records)],
        },
        Family {
            name: "dengbao_log_writer_seals_total",
            help: "Segments sealed by the writer.",
            kind: "counter",
            samples: vec![(None, r.writer.seals)],
        },
        Family {
            name: "dengbao_log_writer_errors_total",
            help: "Writer errors (each also logged).",
            kind: "counter",
            samples: vec![(None, r.writer.errors)],
        },
    ];
    let mut out = String::new();
    for f in &families {
        write_family(&mut out, f);
    }
    out
}
