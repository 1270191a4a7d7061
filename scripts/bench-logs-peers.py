#!/usr/bin/env python3
"""The log centre's benchmark of record on the realistic mix (issue 14; docs/benchmarks.md).

One run, the same lines for every system:
  * the lines: `bench --gen N FILE --mix zipf` (crates/logstore/src/testkit/realistic.rs:
    34 templates, Zipf-drawn users, addresses and hosts, Chinese UTF-8 and GBK lines, needles
    planted 1, 100, 10,000 and 1,000,000 times per 10M events);
  * status quo: gzip -9 of the file, searched with zgrep / zcat | grep;
  * ClickHouse: chDB (pip `chdb`), MergeTree, the line as String CODEC(ZSTD(3)) with a
    tokenbf_v1 skip index, inserted from the file and merged (OPTIMIZE FINAL);
  * SQLite FTS5 (python's sqlite3, unicode61 tokenizer, external content), durable batches;
  * dengbao: the release binary, `dengbao logs ingest FILE` (WAL, fdatasync per batch, seal,
    signed checkpoint), then one fresh `dengbao logs count|top` process per query.

Every query runs three times per system; the median is reported with each system's count, so
that a differing count (different semantics, e.g. zgrep on GBK bytes) is visible.

Usage:  scripts/bench-logs-peers.py [EVENTS] [--dir DIR] [--skip fts5,zgrep,chdb]
        EVENTS defaults to 10,000,000. Needs python3 with the `chdb` module (e.g.
        `python3 -m venv V && V/bin/pip install chdb`, then run the script with V/bin/python),
        gzip, zstd, zgrep, /usr/bin/time, and a Rust toolchain (it builds the release binary
        and the generator). Prints a markdown table on stdout; progress on stderr.
"""

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))

# (label, dengbao query, grep pipeline over the decompressed text, ClickHouse WHERE, FTS5 MATCH)
# Words are whole ASCII tokens, case-insensitive (grep -i -w); phrases are case-sensitive
# substrings (grep -F), which ClickHouse confirms with position() after its token index.
NEEDLES = ["needle1x", "needle100x", "needle10kx", "needle1mx"]


def word(w):
    return (w, w, f"grep -c -i -w -- '{w}'", f"hasTokenCaseInsensitive(line, '{w}')", f'"{w}"')


def phrase(p):
    toks = p.split()
    ch = " AND ".join(f"hasToken(line, '{t}')" for t in toks) + f" AND position(line, '{p}') > 0"
    return (f'"{p}"', f'"{p}"', f"grep -c -F -- '{p}'", ch, f'"{p}"')


def address(a):
    # A substring search (`"10.0.0.2"` also matches 10.0.0.23). ClickHouse's token index can
    # only use the parts with a dot on both sides (the edge ones may be cut); FTS5 answers it
    # as the phrase of its numbers.
    inner = a.split(".")[1:-1]
    ch = " AND ".join(f"hasToken(line, '{t}')" for t in inner) + f" AND position(line, '{a}') > 0"
    return (f'"{a}"', f'"{a}"', f"grep -c -F -- '{a}'", ch, f'"{a}"')


# Addresses drawn by the generator's Zipf ranks 10,000, 500 and 0 of the external pool
# (about 30, 1,200 and 700,000 lines per 10M events), and the busiest internal one, which is
# also a part of longer addresses (10.0.0.2x).
ADDRESSES = ["23.58.87.181", "163.145.56.6", "159.55.121.185", "10.0.0.2"]

QUERIES = (
    [word(n) for n in NEEDLES]
    + [phrase(f"invalid user {n} from") for n in NEEDLES]
    + [address(a) for a in ADDRESSES]
    + [
        word("root"),
        phrase("Failed password"),
        ("`sshd NOT root`", "sshd NOT root", "grep -i -w sshd | grep -c -v -i -w root",
         "hasTokenCaseInsensitive(line, 'sshd') AND NOT hasTokenCaseInsensitive(line, 'root')",
         "sshd NOT root"),
        ("`4625 OR 4624`", "4625 OR 4624", "grep -c -w -E '4625|4624'",
         "hasToken(line, '4625') OR hasToken(line, '4624')", "4625 OR 4624"),
        ("登录失败", "登录失败", "grep -c -F 登录失败", "position(line, '登录失败') > 0", '"登录失败"'),
    ]
)
TOP_IP = ('top 10 IPv4 of `"Failed password"`',
          "grep -F 'Failed password' | grep -o -E '[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+' "
          "| sort | uniq -c | sort -rn | head -10",
          "SELECT ip, count() AS n FROM (SELECT arrayDistinct(extractAll(line, "
          "'[0-9]+\\\\.[0-9]+\\\\.[0-9]+\\\\.[0-9]+')) AS ips FROM logs WHERE hasToken(line, 'Failed') "
          "AND hasToken(line, 'password') AND position(line, 'Failed password') > 0) "
          "ARRAY JOIN ips AS ip GROUP BY ip ORDER BY n DESC LIMIT 10")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def median_ms(fn):
    """Run fn three times; (median wall ms, the last result)."""
    times, out = [], None
    for _ in range(3):
        t = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), out


def timed_cmd(cmd, **kw):
    """Run a shell command under /usr/bin/time: (wall s, cpu s, peak RSS MB, stdout)."""
    tf = kw.pop("timefile")
    t = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", tf, "sh", "-c", cmd],
                         check=True, capture_output=True, text=True, **kw).stdout
    wall = time.perf_counter() - t
    u, s, m = open(tf).read().split()[-3:]
    return wall, float(u) + float(s), int(m) / 1024, out


def du(path):
    total = 0
    for d, _, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(d, f)).st_size
            except FileNotFoundError:
                pass
    return total


def cpu_self():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run_zgrep(w, res):
    gz = os.path.join(w, "raw.log.gz")
    wall, cpu, _, _ = timed_cmd(f"gzip -9 -c {w}/raw.log > {gz}", timefile=f"{w}/t")
    res["ingest_cpu"], res["bytes"] = cpu, os.path.getsize(gz)
    for label, _, g, _, _ in QUERIES:
        ms, out = median_ms(lambda: subprocess.run(f"zcat {gz} | {g}", shell=True,
                                                   capture_output=True, text=True).stdout)
        res[label] = (ms, int(out.strip() or 0))
        log("zgrep", label, res[label])
    ms, out = median_ms(lambda: subprocess.run(f"zcat {gz} | {TOP_IP[1]}", shell=True,
                                               capture_output=True, text=True).stdout)
    res["top"] = (ms, out.split()[1] if out.split() else "-")


def run_chdb(w, res):
    from chdb import session
    d = os.path.join(w, "chdb")
    s = session.Session(d)
    s.query("CREATE DATABASE IF NOT EXISTS b")
    s.query("""CREATE TABLE b.logs (id UInt64, line String CODEC(ZSTD(3)),
               INDEX tok line TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 1)
               ENGINE = MergeTree ORDER BY id""")
    c0, t0 = cpu_self(), time.perf_counter()
    s.query(f"INSERT INTO b.logs SELECT rowNumberInAllBlocks(), line "
            f"FROM file('{w}/raw.log', 'LineAsString')")
    s.query("OPTIMIZE TABLE b.logs FINAL")
    res["ingest_cpu"], res["ingest_wall"] = cpu_self() - c0, time.perf_counter() - t0
    res["bytes"] = int(s.query("SELECT sum(bytes_on_disk) FROM system.parts "
                               "WHERE database = 'b' AND table = 'logs' AND active", "CSV")
                       .bytes().decode().strip())
    for label, _, _, where, _ in QUERIES:
        sql = f"SELECT count() FROM b.logs WHERE {where}"
        ms, out = median_ms(lambda: s.query(sql, "CSV").bytes().decode())
        res[label] = (ms, int(out.strip()))
        log("chdb", label, res[label])
    sql = TOP_IP[2].replace("FROM logs", "FROM b.logs")
    ms, out = median_ms(lambda: s.query(sql, "CSV").bytes().decode())
    res["top"] = (ms, out.split(",")[0].strip('"') if out else "-")
    s.close()


def run_fts5(w, res):
    db = os.path.join(w, "fts.db")
    c = sqlite3.connect(db, isolation_level=None)
    c.execute("PRAGMA journal_mode=WAL")
    c.execute("PRAGMA synchronous=FULL")
    c.execute("CREATE TABLE ev(id INTEGER PRIMARY KEY, line TEXT)")
    c.execute("CREATE VIRTUAL TABLE ev_fts USING fts5(line, content='ev', content_rowid='id')")
    c0, t0, batch, i = cpu_self(), time.perf_counter(), [], 0

    def flush():
        c.execute("BEGIN")
        c.executemany("INSERT INTO ev(id, line) VALUES (?, ?)", batch)
        c.executemany("INSERT INTO ev_fts(rowid, line) VALUES (?, ?)", batch)
        c.execute("COMMIT")
        batch.clear()

    with open(os.path.join(w, "raw.log"), "rb") as f:
        for raw in f:
            raw = raw.rstrip(b"\n")
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                line = raw.decode("gbk", "replace")
            i += 1
            batch.append((i, line))
            if len(batch) == 8192:
                flush()
    if batch:
        flush()
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    res["ingest_cpu"], res["ingest_wall"] = cpu_self() - c0, time.perf_counter() - t0
    res["bytes"] = sum(os.path.getsize(p) for p in [db, db + "-wal"] if os.path.exists(p))
    for label, _, _, _, m in QUERIES:
        ms, out = median_ms(lambda: c.execute(
            "SELECT count(*) FROM ev_fts WHERE ev_fts MATCH ?", (m,)).fetchone()[0])
        res[label] = (ms, out)
        log("fts5", label, res[label])
    c.close()
    os.remove(db)


def run_dengbao(w, res, binary):
    d = os.path.join(w, "dengbao")
    wall, cpu, rss, _ = timed_cmd(
        f"{binary} --data-dir {d} logs ingest {w}/raw.log --network bench "
        f"--received-at 2026-11-25T00:00:00+08:00", timefile=f"{w}/t")
    res["ingest_cpu"], res["ingest_wall"], res["rss"] = cpu, wall, rss
    res["bytes"] = du(os.path.join(d, "logs"))
    for label, q, _, _, _ in QUERIES:
        def one():
            out = subprocess.run([binary, "--data-dir", d, "logs", "count", q, "--json"],
                                 check=True, capture_output=True, text=True).stdout
            return json.loads(out)["total"]
        res[label] = median_ms(one)
        log("dengbao", label, res[label])
    ms, out = median_ms(lambda: subprocess.run(
        [binary, "--data-dir", d, "logs", "top", "ip", '"Failed password"', "-n", "10"],
        check=True, capture_output=True, text=True).stdout)
    res["top"] = (ms, out.split()[1] if out.split() else "-")
    # The same queries in one open store, three times each, as chDB's and FTS5's run in
    # their open sessions (the `bench --session` example; median of three).
    qs = [q for _, q, _, _, _ in QUERIES] + ['top:"Failed password"']
    out = subprocess.run([f"{TARGET}/release/examples/bench", "--session",
                          os.path.join(d, "logs")] + qs,
                         check=True, capture_output=True, text=True).stdout
    by_q = {j["query"]: j for j in map(json.loads, out.splitlines())}
    ses = {}
    for label, q, _, _, _ in QUERIES:
        ses[label] = (by_q[q]["ms"], int(by_q[q]["total"]))
        log("dengbao in session", label, ses[label])
    j = by_q['top:"Failed password"']
    ses["top"] = (j["ms"], j["total"])
    res["session"] = ses


def fmt_q(r, label, ref):
    if label not in r:
        return "—"
    ms, n = r[label]
    mark = "" if ref is None or n == ref else " ≠"
    return f"{ms:,.1f} ms ({n:,}{mark})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("events", nargs="?", type=int, default=10_000_000)
    ap.add_argument("--dir", default=os.path.join(os.environ.get("TMPDIR", "/tmp"),
                                                  "dengbao-bench-peers"))
    ap.add_argument("--skip", default="")
    a = ap.parse_args()
    skip = set(filter(None, a.skip.split(",")))
    w, n = a.dir, a.events
    shutil.rmtree(w, ignore_errors=True)
    os.makedirs(w)
    log("building the release binary and the generator…")
    subprocess.run(["cargo", "build", "--release", "--locked", "-q", "-p", "dengbao",
                    "--bin", "dengbao"], cwd=ROOT, check=True)
    subprocess.run(["cargo", "build", "--release", "--locked", "-q", "-p", "dengbao-logstore",
                    "--example", "bench"], cwd=ROOT, check=True)
    raw = os.path.join(w, "raw.log")
    subprocess.run([f"{TARGET}/release/examples/bench", "--gen", str(n), raw, "--mix", "zipf"],
                   check=True, stdout=subprocess.DEVNULL)
    raw_bytes = os.path.getsize(raw)
    zstd3 = int(subprocess.run(f"zstd -3 -q -c {raw} | wc -c", shell=True, check=True,
                               capture_output=True, text=True).stdout)
    load_before = open("/proc/loadavg").read().split()[:3]
    systems = {}
    for name, fn in [("dengbao", lambda r: run_dengbao(w, r, f"{TARGET}/release/dengbao")),
                     ("zgrep", lambda r: run_zgrep(w, r)),
                     ("chdb", lambda r: run_chdb(w, r)),
                     ("fts5", lambda r: run_fts5(w, r))]:
        if name in skip:
            continue
        log(f"{name}…")
        systems[name] = {}
        fn(systems[name])
    load_after = open("/proc/loadavg").read().split()[:3]
    if "dengbao" in systems:
        d = systems["dengbao"]
        systems["dengbao_s"] = {**d.pop("session"), "bytes": d["bytes"],
                                "ingest_cpu": d["ingest_cpu"], "rss": d["rss"]}
    cols = [c for c in ["zgrep", "chdb", "fts5", "dengbao", "dengbao_s"] if c in systems]
    head = {"zgrep": "gzip -9 + zgrep", "chdb": "ClickHouse (chDB, ZSTD(3) + tokenbf_v1)",
            "fts5": "SQLite FTS5", "dengbao": "**dengbao** (`logs ingest`, release; a fresh "
            "`logs count` process per query)",
            "dengbao_s": "**dengbao**, one open store (as chDB and FTS5 are timed)"}
    print(f"\n{n:,} events, raw text {raw_bytes / n:.1f} B/event, zstd -3 of it "
          f"{zstd3 / n:.1f} B/event; {os.cpu_count()} cores; load average before "
          f"{' / '.join(load_before)}, after {' / '.join(load_after)}; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
    print("| | " + " | ".join(head[c] for c in cols) + " |")
    print("|---|" + "---|" * len(cols))
    print("| bytes/event on disk | " + " | ".join(
        f"{systems[c]['bytes'] / n:.1f}" for c in cols) + " |")
    print("| ingest, events per CPU-second | " + " | ".join(
        f"{n / systems[c]['ingest_cpu']:,.0f}" for c in cols) + " |")
    print("| ingest peak RSS | " + " | ".join(
        f"{systems[c]['rss']:,.0f} MB" if "rss" in systems[c] else "—" for c in cols) + " |")
    ref = systems.get("dengbao", {})
    for label, *_ in QUERIES:
        r = ref.get(label, (0, None))[1]
        print(f"| {label} | " + " | ".join(fmt_q(systems[c], label, r) for c in cols) + " |")
    print(f"| {TOP_IP[0]} (first) | " + " | ".join(
        f"{systems[c]['top'][0]:,.1f} ms ({systems[c]['top'][1]})" if "top" in systems[c]
        else "—" for c in cols) + " |")


if __name__ == "__main__":
    main()
