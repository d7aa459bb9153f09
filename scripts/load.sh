#!/usr/bin/env bash
# Load benchmark: registrations (POST /api/v1/cases) against a release build, from wrk in a second
# process on loopback, on SQLite and on a throwaway PostgreSQL. The rate limit is turned off.
#   scripts/load.sh [sqlite|postgres|both]     DURATION=20s CONNECTIONS=32 SQLITE_SYNC=full
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/pg.sh
which=${1:-both}
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 1; }
cargo build --release --locked --bin greenlane

run() {
    local name=$1 url=$2
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    GREENLANE_DATABASE_URL="$url" GREENLANE_ADDR="127.0.0.1:$port" GREENLANE_RATE_LIMIT_PER_MINUTE=0 \
        GREENLANE_SQLITE_SYNCHRONOUS="${SQLITE_SYNC:-full}" RUST_LOG=warn \
        ./target/release/greenlane serve >/tmp/greenlane-load-$name.log 2>&1 &
    local pid=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
    # warm-up, then the measured run
    wrk -t1 -c"${CONNECTIONS:-32}" -d3s -s scripts/load/register.lua "http://127.0.0.1:$port/api/v1/cases" >/dev/null
    echo "== $name (connections ${CONNECTIONS:-32}, ${DURATION:-20s})"
    wrk -t1 -c"${CONNECTIONS:-32}" -d"${DURATION:-20s}" --latency -s scripts/load/register.lua "http://127.0.0.1:$port/api/v1/cases" | grep -E "RESULT|Latency|Requests/sec"
    kill -TERM "$pid"; wait "$pid" || true
}

if [[ $which == sqlite || $which == both ]]; then
    dir=$(mktemp -d)
    run "sqlite-sync-${SQLITE_SYNC:-full}" "sqlite:$dir/load.db"
    rm -rf "$dir"
fi
if [[ $which == postgres || $which == both ]]; then
    start_throwaway_pg
    run postgres "$PG_URL"
fi
