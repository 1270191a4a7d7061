#!/usr/bin/env bash
# The console's performance figures (issue 5), for docs/benchmarks.md "Console":
#
# 1. builds dengbao (release) and starts `dengbao serve` on a fresh temp data dir (SQLite);
# 2. completes first-run setup through the API (POST /api/setup with the token from stderr)
#    and loads one organisation with 1,000 networks through the API: levels 1–4, stages,
#    flags and services mixed, life-cycle events (graded, filed, launched, assessments …)
#    dated across 2025–2026;
# 3. page server time: each main page fetched 20 times after one warm-up (curl's
#    time_starttransfer on loopback: request sent → first byte of the page), median and max;
# 4. API: wrk with scripts/bench-console.lua (mixed GETs of per-network and reference
#    endpoints with the bearer token), closed loop at a few connection counts, --latency.
#
# Usage: scripts/bench-console.sh [--networks N] [--runs N] [--duration SECONDS]
# Environment: CARGO_TARGET_DIR (default target), DENGBAO_BIN (skip the build and use it).
set -euo pipefail
cd "$(dirname "$0")/.."

networks=1000 runs=20 duration=20
while [ $# -gt 0 ]; do
  case "$1" in
    --networks) networks=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    *) echo "usage: $0 [--networks N] [--runs N] [--duration SECONDS]" >&2; exit 2 ;;
  esac
done
for tool in curl jq python3 wrk; do
  command -v "$tool" >/dev/null || { echo "bench-console: $tool is needed (apt-get install $tool)" >&2; exit 2; }
done

if [ -n "${DENGBAO_BIN:-}" ]; then
  bin=$DENGBAO_BIN
else
  target=${CARGO_TARGET_DIR:-target}
  echo "== cargo build --release -p dengbao" >&2
  cargo build --release -q -p dengbao
  bin=$target/release/dengbao
fi

work=$(mktemp -d /tmp/dengbao-bench-console.XXXXXX)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$bin" --data-dir "$work/data" serve --listen 127.0.0.1:0 >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 1 200); do
  grep -q 'serving the API at' "$work/out" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/err" >&2; exit 1; }
  sleep 0.05
done
addr=$(sed -n 's|.*serving the API at http://\([^/]*\)/api/.*|\1|p' "$work/out")
[ -n "$addr" ] || { echo "bench-console: the server did not start" >&2; cat "$work/err" >&2; exit 1; }
base="http://$addr"
setup_token=$(grep -o 'dbs_[0-9a-f]*' "$work/err" | head -n1)
token=$(curl -sf -X POST "$base/api/setup" -H 'Content-Type: application/json' \
  -d "{\"setup_token\": \"$setup_token\", \"administrator\": \"bench-admin\"}" | jq -r '.token | if type == "object" then .token else . end')
[ -n "$token" ] && [ "$token" != null ] || { echo "bench-console: setup failed" >&2; exit 1; }

echo "== loading $networks networks through the API" >&2
load_start=$(date +%s)
python3 - "$base" "$token" "$networks" "$work/ids" <<'PY'
import json, random, sys, urllib.request
base, token, n, ids_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
rng = random.Random(20261125)

def call(method, path, body):
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode(),
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)

def day(lo, hi):  # a date between two ordinal days of 2025–2026, as YYYY-MM-DD
    import datetime
    d = datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randint(lo, hi))
    return d.isoformat()

org = call("POST", "/api/organisations", {"name": "华东数据科技有限公司"})
kinds = ["门户网站", "会员系统", "支付平台", "办公自动化系统", "数据中台", "客服系统", "物流调度系统", "工控监控系统"]
services = ["network_access", "info_publishing", "instant_messaging", "app_distribution", "electronic_messages"]
tech = ["cloud", "mobile", "iot", "big_data", "ai"]
ids = []
for i in range(n):
    level = rng.choices([1, 2, 3, 4], weights=[15, 50, 30, 5])[0]
    stage = rng.choices(["running", "building", "planning", "retired"], weights=[80, 10, 7, 3])[0]
    profile = {
        "org_id": org["id"],
        "name": f"{rng.choice(kinds)}-{i + 1:04d}",
        "level": level,
        "stage": stage,
        "cii": level >= 3 and rng.random() < 0.3,
        "personal_info": rng.random() < 0.6,
        "services": rng.sample(services, rng.randint(0, 2)),
        "new_tech": rng.sample(tech, rng.randint(0, 2)),
        "cross_border_data": rng.random() < 0.05,
        "competent_department": rng.random() < 0.4,
    }
    net = call("POST", "/api/networks", profile)
    ids.append(net["id"])
    graded = rng.randint(0, 660)  # 2025-01-01 … 2026-10-23
    events = [("graded", day(graded, graded))]
    if rng.random() < 0.8:
        events.append(("filed", day(graded + 5, graded + 20)))
    if stage in ("running", "retired"):
        events.append(("launched", day(max(graded - 60, 0), graded + 40)))
        events.append(("last_self_inspection", day(200, 690)))
        if level >= 3:
            events.append(("last_assessment", day(0, 690)))
        if level >= 3 and rng.random() < 0.5:
            events.append(("last_crypto_assessment", day(0, 690)))
    if rng.random() < 0.05:
        events.append(("incident_detected", day(300, 690)))
    for kind, at in events:
        call("POST", f"/api/networks/{net['id']}/events", {"kind": kind, "at": at, "note": "bench"})
open(ids_file, "w").write("\n".join(ids) + "\n")
PY
load_s=$(( $(date +%s) - load_start ))
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
first=$(head -n1 "$work/ids")

# --- page server time -----------------------------------------------------------------
pages=("/" "/networks" "/networks/$first" "/networks/$first/duties" "/law/search?q=%E7%BD%91%E7%BB%9C%E6%97%A5%E5%BF%97%E8%A6%81%E4%BF%9D%E5%AD%98%E5%A4%9A%E4%B9%85")
labels=("dashboard" "network list" "network detail" "network duties" "law reader search (网络日志要保存多久)")
page_rows=""
for i in "${!pages[@]}"; do
  p=${pages[$i]}
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base$p")
  [ "$code" = 200 ] || { echo "bench-console: $p answered $code" >&2; exit 1; }
  size=$(curl -s -H "Authorization: Bearer $token" "$base$p" | wc -c)
  times=$(for _ in $(seq 1 "$runs"); do
    curl -s -o /dev/null -w '%{time_starttransfer}\n' -H "Authorization: Bearer $token" "$base$p"
  done | sort -n)
  median=$(echo "$times" | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.1f", m * 1000}')
  max=$(echo "$times" | tail -n1 | awk '{printf "%.1f", $1 * 1000}')
  page_rows+="| ${labels[$i]} | \`${p%%\?*}\` | $median ms | $max ms | $((size / 1024)) KiB |"$'\n'
done

# --- API throughput -------------------------------------------------------------------
export BENCH_TOKEN=$token BENCH_IDS=$work/ids
wrk_rows=""
for conns in 2 8 32; do
  threads=2
  [ "$conns" -lt 2 ] && threads=1
  out=$(wrk -t"$threads" -c"$conns" -d"${duration}s" --latency -s scripts/bench-console.lua "$base")
  echo "$out" >&2
  rps=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p90=$(echo "$out" | awk '$1 == "90%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errs=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  wrk_rows+="| $conns | $rps | $p50 | $p90 | $p99 | ${errs:-0} |"$'\n'
done

cat <<EOF

### Console figures ($(date -u +%Y-%m-%d) $(date -u +%H:%M) UTC, $(nproc) cores, load average before: $load_before)

$networks networks loaded through the API in $load_s s.

| page | path | median | max | size |
|---|---|---|---|---|
$page_rows
API, wrk -t2 -d${duration}s --latency, mixed GETs (scripts/bench-console.lua):

| connections | requests/s | p50 | p90 | p99 | non-2xx |
|---|---|---|---|---|---|
$wrk_rows
Load average after: $(cut -d' ' -f1-3 /proc/loadavg)
EOF
