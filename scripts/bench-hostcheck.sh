#!/usr/bin/env bash
# The time to check a host (issue 12: "under 1 s for the whole Linux set"): the release
# binary's `host check --json` on this machine's own root, RUNS times, as wall-clock and CPU
# seconds per run (median and worst). Usage: scripts/bench-hostcheck.sh [RUNS] [LEVEL]
# Needs a release build (cargo build --release -p dengbao). Read-only, like the checker.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
level=${2:-3}
bin=target/release/dengbao
[ -x "$bin" ] || { echo "bench-hostcheck: build $bin first (cargo build --release -p dengbao)" >&2; exit 2; }
checks=$("$bin" host check --level "$level" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["results"]))')
walls=(); cpus=()
for _ in $(seq "$runs"); do
  out=$( { /usr/bin/time -f '%e %U %S' "$bin" host check --level "$level" --json >/dev/null; } 2>&1 )
  read -r wall user sys <<<"$out"
  walls+=("$wall"); cpus+=("$(python3 -c "print($user+$sys)")")
done
python3 - "$runs" "$level" "$checks" "${walls[@]}" -- "${cpus[@]}" <<'PY'
import statistics, sys
args = sys.argv[1:]
runs, level, checks = args[0], args[1], args[2]
i = args.index('--')
walls = [float(x) for x in args[3:i]]
cpus = [float(x) for x in args[i + 1:]]
print(f"host check, level {level}, {checks} checks, {runs} runs on this machine's root:")
print(f"  wall  median {statistics.median(walls):.3f} s, worst {max(walls):.3f} s")
print(f"  cpu   median {statistics.median(cpus):.3f} s, worst {max(cpus):.3f} s")
PY
