#!/usr/bin/env bash
# The log-centre benchmark of record (docs/benchmarks.md, "Log centre"): the same N events
# (default 10 million; sshd, sudo, kernel firewall, nginx RFC 5424, Cisco, Chinese
# application lines, GBK firewall lines, one needle), side by side in one run:
#   (a) status quo: rsyslogd (imtcp → omfile, sync per batch) fed by syslog-ng's loggen,
#       then gzip -9, searched with zgrep;
#   (b) SQLite FTS5 (python3's sqlite3), loaded from the same file in durable batches;
#   (c) dengbao's syslog TCP listener fed by the same loggen: by default the listener alone
#       (`dengbao-listen` example `listen`: the same `Service` that `dengbao serve
#       --syslog-tcp` runs, without the HTTP API and console, so the run needs no release
#       build of the whole workspace); DENGBAO_SERVE=1 uses `dengbao serve` itself.
#       Queries: one fresh process each (the bench example's `--query`, the library path of
#       `dengbao logs count`).
# Prints a markdown table. Needs rsyslogd, gzip, python3 and loggen (scripts/install-loggen.sh).
#
#   scripts/bench-logs.sh [EVENTS]        env: BENCH_DIR (default /tmp/dengbao-bench-logs),
#                                         KEEP=1 keeps it, RSYSLOG_SYNC=on|off (default on),
#                                         EVENTS_DIR for the client's input file (e.g. /dev/shm
#                                         when the disk is short; it is not a measured store)
set -euo pipefail
N=${1:-10000000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
W=${BENCH_DIR:-/tmp/dengbao-bench-logs}
LOGGEN=${LOGGEN:-/opt/syslog-ng/loggen}
SYNC=${RSYSLOG_SYNC:-on}
P_RSYSLOG=${P_RSYSLOG:-15514}
P_SYSLOG=${P_SYSLOG:-15601}
P_HTTP=${P_HTTP:-15680}
TOKEN=benchmark-status-token-0123456789

[ -x "$LOGGEN" ] || { echo "loggen missing: run scripts/install-loggen.sh" >&2; exit 2; }
command -v rsyslogd >/dev/null || { echo "rsyslogd missing" >&2; exit 2; }

PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    [ "${KEEP:-0}" = 1 ] || rm -rf "$W" "$EV"
}
trap cleanup EXIT
rm -rf "$W"
mkdir -p "$W"
EV=${EVENTS_DIR:-$W}/dengbao-bench-events.log

(cd "$ROOT" && cargo build --release -q -p dengbao-logstore --example bench)
if [ "${DENGBAO_SERVE:-0}" = 1 ]; then
    (cd "$ROOT" && cargo build --release -q -p dengbao --bin dengbao)
else
    (cd "$ROOT" && cargo build --release -q -p dengbao-listen --example listen)
fi
GEN=$TARGET/release/examples/bench
BIN=$TARGET/release/dengbao
LISTEN=$TARGET/release/examples/listen

now() { date +%s.%N; }
ms() { python3 -c "print(round(($2-$1)*1000, 1))"; }
# user+system CPU seconds and peak RSS (kB) of a running process
cpu_of() { awk '{print ($14+$15)/100}' "/proc/$1/stat"; }
hwm_of() { awk '/VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null; }
max_of() { [ -n "${2:-}" ] && [ "$2" -gt "$1" ] && echo "$2" || echo "$1"; }
# wall ms and max RSS kB of a command: "ms kb"
timed() {
    local t0 t1
    t0=$(now)
    /usr/bin/time -f "%M" -o "$W/time.out" "$@" >"$W/cmd.out" 2>"$W/cmd.err"
    t1=$(now)
    echo "$(ms "$t0" "$t1") $(cat "$W/time.out")"
}
send() { # loggen: newline-framed TCP, the file's lines as they are
    "$LOGGEN" --inet --stream --dont-parse --read-file "$EV" --rate 100000000 \
        --interval 36000 --quiet 127.0.0.1 "$1" >"$W/loggen-$1.log" 2>&1
}

echo "generating $N events…" >&2
"$GEN" --gen "$N" "$EV"
RAW=$(stat -c %s "$EV")
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- (a) rsyslog + gzip
echo "rsyslog…" >&2
mkdir -p "$W/rsyslog/work"
cat >"$W/rsyslog/rsyslog.conf" <<EOF
global(workDirectory="$W/rsyslog/work" maxMessageSize="64k")
module(load="imtcp")
template(name="raw" type="string" string="%rawmsg%\n")
ruleset(name="bench") {
  action(type="omfile" file="$W/rsyslog/raw.log" template="raw" sync="$SYNC" flushOnTXEnd="on")
}
input(type="imtcp" address="127.0.0.1" port="$P_RSYSLOG" ruleset="bench")
EOF
rsyslogd -f "$W/rsyslog/rsyslog.conf" -n -i "$W/rsyslog/pid" &
RS=$!
PIDS+=("$RS")
sleep 1
t0=$(now)
send "$P_RSYSLOG"
while [ "$(wc -l <"$W/rsyslog/raw.log" 2>/dev/null || echo 0)" -lt "$N" ]; do sleep 0.5; done
t1=$(now)
RS_CPU=$(cpu_of "$RS")
RS_RSS=$(hwm_of "$RS")
kill "$RS"
wait "$RS" 2>/dev/null || true
RS_RATE=$(python3 -c "print(round($N/($t1-$t0)))")
RS_PER_CPU=$(python3 -c "print(round($N/$RS_CPU))")
g0=$(now)
gzip -9 -c "$W/rsyslog/raw.log" >"$W/rsyslog/raw.log.gz"
g1=$(now)
GZ=$(stat -c %s "$W/rsyslog/raw.log.gz")
rm -f "$W/rsyslog/raw.log"
read -r ZG_NEEDLE ZG_NEEDLE_KB < <(timed zgrep -c -F needle7f3a "$W/rsyslog/raw.log.gz")
ZG_NEEDLE_N=$(cat "$W/cmd.out")
read -r ZG_PHRASE ZG_PHRASE_KB < <(timed zgrep -c -F "Invalid user" "$W/rsyslog/raw.log.gz")
ZG_PHRASE_N=$(cat "$W/cmd.out")
cat >"$W/hist.sh" <<'EOF'
zcat "$1" | LC_ALL=C awk '
  match($0, /[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T/) { d[substr($0, RSTART, 10)]++; next }
  match($0, /(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +[0-9]+ /) { d[substr($0, RSTART, RLENGTH)]++; next }
  { d["?"]++ }
  END { for (k in d) print k, d[k] }'
EOF
read -r ZG_HIST _ < <(timed sh "$W/hist.sh" "$W/rsyslog/raw.log.gz")

# ---------------------------------------------------------------- (b) SQLite FTS5
echo "sqlite fts5…" >&2
cat >"$W/fts5.py" <<'EOF'
import json, re, sqlite3, sys, time
path, db, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
c = sqlite3.connect(db, isolation_level=None)
c.execute("PRAGMA journal_mode=WAL"); c.execute("PRAGMA synchronous=FULL")
c.execute("CREATE TABLE ev(id INTEGER PRIMARY KEY, day TEXT, line TEXT)")
c.execute("CREATE INDEX ev_day ON ev(day)")
c.execute("CREATE VIRTUAL TABLE ev_fts USING fts5(line, content='ev', content_rowid='id')")
iso = re.compile(r"(\d{4}-\d\d-\d\d)T"); bsd = re.compile(r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d+) ")
months = {m: i + 1 for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())}
def day(l):
    m = iso.search(l)
    if m: return m.group(1)
    m = bsd.search(l)
    return "2026-%02d-%02d" % (months[m.group(1)], int(m.group(2))) if m else None
t0 = time.perf_counter(); batch = []; i = 0
def flush():
    c.execute("BEGIN")
    c.executemany("INSERT INTO ev(id, day, line) VALUES (?, ?, ?)", batch)
    c.executemany("INSERT INTO ev_fts(rowid, line) VALUES (?, ?)", [(b[0], b[2]) for b in batch])
    c.execute("COMMIT")  # durable per batch (synchronous=FULL): group commit, as dengbao
    batch.clear()
with open(path, "rb") as f:
    for raw in f:
        raw = raw.rstrip(b"\n")
        try: l = raw.decode("utf-8")
        except UnicodeDecodeError: l = raw.decode("gbk", "replace")
        i += 1; batch.append((i, day(l), l))
        if i == n: break
        if len(batch) == 8192: flush()
if batch: flush()
load = time.perf_counter() - t0
def q(sql, *a):
    t = time.perf_counter(); r = c.execute(sql, a).fetchall(); return r, round((time.perf_counter() - t) * 1000, 1)
needle, t_needle = q("SELECT count(*) FROM ev_fts WHERE ev_fts MATCH ?", '"needle7f3a"')
phrase, t_phrase = q("SELECT count(*) FROM ev_fts WHERE ev_fts MATCH ?", '"Invalid user"')
hist, t_hist = q("SELECT day, count(*) FROM ev GROUP BY day")
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
print(json.dumps({"load_s": load, "needle": needle[0][0], "needle_ms": t_needle, "phrase": phrase[0][0],
                  "phrase_ms": t_phrase, "hist_ms": t_hist, "days": len(hist)}))
EOF
f0=$(now)
FTS_N=${FTS_EVENTS:-$N}
/usr/bin/time -f "%M %U %S" -o "$W/fts.time" python3 "$W/fts5.py" "$EV" "$W/fts.db" "$FTS_N" >"$W/fts.json"
f1=$(now)
FTS_BYTES=$(du -cb "$W"/fts.db* | tail -1 | cut -f1)
FTS_BPE=$(python3 -c "print(f'{$FTS_BYTES/$FTS_N:.1f}')")
read -r FTS_RSS FTS_U FTS_S <"$W/fts.time"
fts() { python3 -c "import json;print(json.load(open('$W/fts.json'))['$1'])"; }
FTS_RATE=$(python3 -c "print(round($FTS_N/$(fts load_s)))")
FTS_PER_CPU=$(python3 -c "print(round($FTS_N/($FTS_U+$FTS_S)))")
rm -f "$W"/fts.db*

# ---------------------------------------------------------------- (c) dengbao
echo "dengbao…" >&2
D="$W/dengbao"
mkdir -p "$D/logs"
cat >"$D/logs/listen.toml" <<EOF
default_network = "bench"
[[tokens]]
name = "bench"
token = "$TOKEN"
network = "bench"
EOF
if [ "${DENGBAO_SERVE:-0}" = 1 ]; then
    "$BIN" --data-dir "$D" serve --listen 127.0.0.1:0 --syslog-tcp "127.0.0.1:$P_SYSLOG" \
        --logs-http "127.0.0.1:$P_HTTP" >"$W/serve.out" 2>"$W/serve.err" &
    DB=$!
    stored() {
        curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$P_HTTP/status" |
            python3 -c "import json,sys;print(sum(l['stored'] for l in json.load(sys.stdin)['listeners'].values()))" 2>/dev/null || echo 0
    }
    STORE="$D/logs"
    CLIENT="loggen → dengbao serve --syslog-tcp"
else
    "$LISTEN" "$D/logs" "127.0.0.1:$P_SYSLOG" >"$W/serve.err" 2>&1 &
    DB=$!
    stored() { # the listener prints its counters as one JSON line per second
        grep '"listeners"' "$W/serve.err" | tail -1 |
            python3 -c "import json,sys;print(sum(l['stored'] for l in json.load(sys.stdin)['listeners'].values()))" 2>/dev/null || echo 0
    }
    STORE="$D/logs"
    CLIENT="loggen → dengbao-listen TCP listener (as in serve)"
fi
PIDS+=("$DB")
for _ in $(seq 100); do grep -q "syslog tcp listening" "$W/serve.err" "$W/serve.out" 2>/dev/null && break; sleep 0.2; done
t0=$(now)
send "$P_SYSLOG"
DB_RSS=0
while [ "$(stored)" -lt "$N" ]; do DB_RSS=$(max_of "$DB_RSS" "$(hwm_of "$DB")"); sleep 0.5; done
t1=$(now)
DB_CPU=$(cpu_of "$DB")
kill -TERM "$DB"
# the final seal runs after SIGTERM: keep sampling the peak until the process is gone
while kill -0 "$DB" 2>/dev/null; do DB_RSS=$(max_of "$DB_RSS" "$(hwm_of "$DB")"); sleep 0.1; done
t2=$(now)
DB_RATE=$(python3 -c "print(round($N/($t1-$t0)))")
DB_PER_CPU=$(python3 -c "print(round($N/$DB_CPU))")
DB_BYTES=$(du -sb "$STORE" | cut -f1)
SEG_BYTES=$(du -sb "$STORE/segments" | cut -f1)
jq_() { python3 -c "import json;print(json.load(open('$W/cmd.out'))['$1'])"; }
q() { # a fresh process per query: wall ms and peak RSS from outside, total from its JSON
    read -r QMS QKB < <(timed "$GEN" --query "$STORE" "$1")
    QN=$(jq_ total)
}
q needle7f3a; DB_NEEDLE=$QMS; DB_NEEDLE_KB=$QKB; DB_NEEDLE_N=$QN
q '"Invalid user needle7f3a"'; DB_NEEDLE_PHRASE=$QMS
q '"203.0.113.9 port 4242"'; DB_IP=$QMS
q '"Invalid user"'; DB_PHRASE=$QMS; DB_PHRASE_N=$QN
q ''; DB_HIST=$QMS; DB_HIST_N=$QN
q sshd; DB_HIST_SSHD=$QMS
q 被拒绝; DB_CN=$QMS
read -r DB_VERIFY _ < <(timed "$GEN" --query "$STORE" --verify)
DB_VERIFY_OK=$(python3 -c "import json;print(json.load(open('$W/cmd.out'))['ok'])")
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

bpe() { python3 -c "print(f'{$1/$N:.1f}')"; }
cat <<EOF

$N events, raw text $(bpe "$RAW") B/event ($RAW bytes); $(nproc) cores; load average before: $LOAD_BEFORE, after: $LOAD_AFTER; $(date -u +%Y-%m-%dT%H:%MZ)

| figure | rsyslog + gzip -9 + zgrep | SQLite FTS5 | dengbao |
|---|---|---|---|
| events | $N | $FTS_N (FTS_EVENTS) | $N |
| client | loggen → rsyslogd imtcp | python3 sqlite3 from the file | $CLIENT |
| durability | omfile sync=$SYNC | WAL, synchronous=FULL per 8192 rows | WAL fdatasync per batch |
| bytes on disk | $(bpe "$GZ") B/event (gzip -9; $(ms "$g0" "$g1") ms to compress) | $FTS_BPE B/event | $(bpe "$DB_BYTES") B/event (segments $(bpe "$SEG_BYTES")) |
| ingest, wall | $RS_RATE events/s | $FTS_RATE events/s | $DB_RATE events/s (sealed $(ms "$t1" "$t2") ms after the last event) |
| ingest per CPU-second of the server | $RS_PER_CPU | $FTS_PER_CPU | $DB_PER_CPU |
| needle \`needle7f3a\` (count) | $ZG_NEEDLE ms ($ZG_NEEDLE_N) | $(fts needle_ms) ms ($(fts needle)) | $DB_NEEDLE ms ($DB_NEEDLE_N; fresh process); \`"Invalid user needle7f3a"\` $DB_NEEDLE_PHRASE ms |
| phrase \`"Invalid user"\` (count) | $ZG_PHRASE ms ($ZG_PHRASE_N) | $(fts phrase_ms) ms ($(fts phrase), token phrase) | $DB_PHRASE ms ($DB_PHRASE_N) |
| histogram per day, all events | $ZG_HIST ms (zcat + awk) | $(fts hist_ms) ms ($(fts days) days, B-tree index) | $DB_HIST ms ($DB_HIST_N events) |
| histogram of \`sshd\` / \`"203.0.113.9 port 4242"\` / \`被拒绝\` | — | — | $DB_HIST_SSHD / $DB_IP / $DB_CN ms |
| peak memory (server) | $((RS_RSS / 1024)) MB | $((FTS_RSS / 1024)) MB | $((DB_RSS / 1024)) MB (query process: $((DB_NEEDLE_KB / 1024)) MB) |
| full verify (every record re-hashed) | — | — | $DB_VERIFY ms (ok: $DB_VERIFY_OK) |
EOF
