#!/usr/bin/env bash
# Issue 17 item 2's acceptance load (decision 0921), against a real `dengbao serve`:
#
# 1. starts `dengbao serve` on a fresh temp data dir (SQLite) on free loopback ports, with the
#    syslog TCP and JSON-lines HTTP log listeners on, and completes first-run setup;
# 2. samples the server's VmRSS from /proc/<pid>/status every 50 ms throughout;
# 3. opens 400 slow connections (bash /dev/tcp: an unfinished request line and headers,
#    one more header byte every 2 s) and fires 32 anonymous posts declaring 63 MiB each
#    (curl streaming a 63 MiB file, no `Expect: 100-continue`, so the body is pushed at
#    once): 16 to a console form (`POST /signin`), 16 to the API (`POST /api/networks`);
# 4. checks: every big post answered 413/401 (never 2xx), every slow connection closed by
#    the server within the header deadline (10 s) plus 5 s slack, the syslog TCP and HTTP
#    log listeners still accept a record afterwards, and the API still answers;
# 5. prints the baseline and peak RSS and exits 1 when the growth exceeds the bound
#    (64 MiB, docs/benchmarks.md "Anonymous load") or any check failed.
#
# Usage: scripts/load-anonymous.sh [--bound-mb N] [--slow N] [--posts N]
# Environment: DENGBAO_BIN (the binary; default: $CARGO_TARGET_DIR/release/dengbao, built
# with `cargo build --release -p dengbao` when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

bound_mb=64 slow=400 posts=32
while [ $# -gt 0 ]; do
  case "$1" in
    --bound-mb) bound_mb=$2; shift 2 ;;
    --slow) slow=$2; shift 2 ;;
    --posts) posts=$2; shift 2 ;;
    *) echo "usage: $0 [--bound-mb N] [--slow N] [--posts N]" >&2; exit 2 ;;
  esac
done
command -v curl >/dev/null || { echo "load-anonymous: curl is needed" >&2; exit 2; }

if [ -n "${DENGBAO_BIN:-}" ]; then
  bin=$DENGBAO_BIN
else
  bin=${CARGO_TARGET_DIR:-target}/release/dengbao
  if [ ! -x "$bin" ]; then
    echo "== cargo build --release -p dengbao" >&2
    cargo build --release -q -p dengbao
  fi
fi
[ -x "$bin" ] || { echo "load-anonymous: no binary at $bin" >&2; exit 2; }
# Each slow connection is a file descriptor of this shell.
ulimit -n $(( slow + 256 )) 2>/dev/null || true

work=$(mktemp -d /tmp/dengbao-load-anonymous.XXXXXX)
pid="" sampler=""
cleanup() {
  if [ -n "$sampler" ]; then kill "$sampler" 2>/dev/null || true; fi
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A free loopback port: nothing answers a connection to it.
free_port() {
  local p
  while :; do
    p=$(( 20000 + RANDOM % 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
}
syslog_port=$(free_port)
http_port=$(free_port)
while [ "$http_port" = "$syslog_port" ]; do http_port=$(free_port); done

# The log listeners: every sender to one network, one token for HTTP ingest.
ingest_token="load-test-ingest-token-$RANDOM$RANDOM"
mkdir -p "$work/data/logs"
cat >"$work/data/logs/listen.toml" <<EOF
default_network = "负载测试网"

[[tokens]]
name = "load"
token = "$ingest_token"
network = "负载测试网"
EOF

"$bin" --lang en --data-dir "$work/data" serve --listen 127.0.0.1:0 \
  --syslog-tcp "127.0.0.1:$syslog_port" --logs-http "127.0.0.1:$http_port" \
  >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 1 400); do
  grep -q 'serving the API at' "$work/out" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/err" >&2; exit 1; }
  sleep 0.05
done
addr=$(sed -n 's|.*serving the API at http://\([^/]*\)/api/.*|\1|p' "$work/out")
[ -n "$addr" ] || { echo "load-anonymous: the server did not start" >&2; cat "$work/err" >&2; exit 1; }
base="http://$addr"
host=${addr%:*} port=${addr##*:}
setup_token=$(grep -o 'dbs_[0-9a-f]*' "$work/err" | head -n1)
curl -sf -o /dev/null -X POST "$base/api/setup" -H 'Content-Type: application/json' \
  -d "{\"setup_token\":\"$setup_token\",\"administrator\":\"admin\"}" \
  || { echo "load-anonymous: setup failed" >&2; exit 1; }

rss_kb() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status" 2>/dev/null || echo 0; }
# Warm up what a first request loads, then take the baseline.
for path in /signin /api/health /; do curl -s -o /dev/null "$base$path" || true; done
sleep 1
baseline=$(rss_kb)
(
  set +eu
  peak=0
  while kill -0 "$pid" 2>/dev/null; do
    r=$(rss_kb)
    [ "${r:-0}" -gt "$peak" ] && { peak=$r; echo "$peak" >"$work/peak"; }
    sleep 0.05
  done
) &
sampler=$!

failed=0
echo "== server $base (pid $pid), log listeners syslog-tcp :$syslog_port, http :$http_port" >&2
echo "== baseline VmRSS $(( baseline / 1024 )) MiB" >&2

# 400 slow connections, held by one background shell: it reports how many the server closed
# (EOF on read) and how long the last one lived.
(
  set +eu
  declare -a fds
  opened=0
  for _ in $(seq 1 "$slow"); do
    if exec {fd}<>"/dev/tcp/$host/$port" 2>/dev/null; then
      printf 'GET / HTTP/1.1\r\nHost: %s\r\nX-Slow: a' "$host" >&"$fd" 2>/dev/null || true
      fds+=("$fd")
      opened=$((opened + 1))
    fi
  done
  start=$SECONDS
  declare -A closed
  while [ $(( SECONDS - start )) -lt 20 ] && [ "${#closed[@]}" -lt "$opened" ]; do
    for fd in "${fds[@]}"; do
      [ -n "${closed[$fd]:-}" ] && continue
      # EOF (status 1) or an answer: the server ended it. Status > 128: still open.
      if read -r -t 0.001 -u "$fd" _ 2>/dev/null; then
        closed[$fd]=$(( SECONDS - start ))
      elif [ $? -le 128 ]; then
        closed[$fd]=$(( SECONDS - start ))
      else
        printf 'a' >&"$fd" 2>/dev/null || closed[$fd]=$(( SECONDS - start ))
      fi
    done
    sleep 2
  done
  last=0
  for t in "${closed[@]}"; do
    if [ "$t" -gt "$last" ]; then last=$t; fi
  done
  echo "$opened ${#closed[@]} $last" >"$work/slow"
) &
slow_holder=$!

# 32 anonymous 63 MiB posts, all at once.
big="$work/big.bin"
truncate -s 63M "$big"
for i in $(seq 1 "$posts"); do
  if [ $(( i % 2 )) -eq 0 ]; then path=/api/networks; else path=/signin; fi
  curl -s -o /dev/null -w '%{http_code}\n' --max-time 60 -X POST -H 'Expect:' \
    -H 'Content-Type: application/x-www-form-urlencoded' -T "$big" "$base$path" \
    >"$work/post.$i" 2>/dev/null &
done
wait $(jobs -p | grep -v -e "^$sampler\$" -e "^$slow_holder\$" -e "^$pid\$") 2>/dev/null || true
wait "$slow_holder" || true

codes=$(cat "$work"/post.* | sort | uniq -c | tr -s ' ' | tr '\n' ',')
echo "== big posts answered: ${codes%,}" >&2
if grep -qE '^2' "$work"/post.*; then
  echo "FAIL: an anonymous big post was accepted" >&2
  failed=1
fi
read -r opened closed last <"$work/slow"
echo "== slow connections: $opened opened, $closed closed by the server, the last after ${last} s" >&2
if [ "$closed" -lt "$opened" ] || [ "$last" -gt 15 ]; then
  echo "FAIL: slow connections were not all closed within 15 s" >&2
  failed=1
fi

# The log listeners and the API still answer.
stamp=$(date -u +%Y-%m-%dT%H:%M:%SZ)
if ! printf '<13>1 %s loadhost app - - - load test after the attack\n' "$stamp" \
  >"/dev/tcp/127.0.0.1/$syslog_port" 2>/dev/null; then
  echo "FAIL: the syslog TCP listener no longer accepts" >&2
  failed=1
fi
ingest=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X POST \
  -H 'Content-Type: application/x-ndjson' -H "Authorization: Bearer $ingest_token" \
  --data-binary "{\"time\":\"$stamp\",\"host\":\"loadhost\",\"message\":\"load test\"}" \
  "http://127.0.0.1:$http_port/ingest" || true)
if [ "$ingest" != 200 ]; then
  echo "FAIL: the HTTP log listener answered $ingest to an ingest" >&2
  failed=1
fi
sleep 1
status=$(curl -s --max-time 10 -H "Authorization: Bearer $ingest_token" "http://127.0.0.1:$http_port/status" || true)
echo "== log listeners' /status: $status" >&2
for listener in "syslog tcp" "logs http"; do
  if ! grep -o "\"$listener\":{[^}]*}" <<<"$status" | grep -q '"stored":[1-9]'; then
    echo "FAIL: the $listener listener stored nothing after the load" >&2
    failed=1
  fi
done
health=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$base/api/health" || true)
[ "$health" = 200 ] || { echo "FAIL: /api/health answered $health" >&2; failed=1; }
echo "== after the load: syslog-tcp accepted, logs-http /ingest $ingest, /api/health $health" >&2

kill "$sampler" 2>/dev/null || true
sampler=""
peak=$(cat "$work/peak" 2>/dev/null || echo "$baseline")
growth=$(( (peak - baseline) / 1024 ))
echo "peak VmRSS $(( peak / 1024 )) MiB (baseline $(( baseline / 1024 )) MiB, growth ${growth} MiB; bound ${bound_mb} MiB)"
if [ "$growth" -gt "$bound_mb" ]; then
  echo "FAIL: the server grew by ${growth} MiB, more than ${bound_mb} MiB" >&2
  failed=1
fi
exit "$failed"
