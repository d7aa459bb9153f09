#!/usr/bin/env bash
# Floods, loopback only, each bounded: 64 concurrent wrong-password logins from many addresses
# (peak RSS, registrations per second with and without), 2,000 half-open connections (worst
# /healthz latency, and how fast they are cut off), and access-code guessing from one address.
#   scripts/flood.sh      BIN=target/release/greenlane (built if missing)  LOGINS=64 HALF_OPEN=2000
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-target/release/greenlane}
[[ -x $bin ]] || cargo build --release --locked --bin greenlane
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 scripts/harness.py flood --bin "$bin" --db "sqlite:$dir/flood.db" --logins "${LOGINS:-64}" --half-open "${HALF_OPEN:-2000}" \
    --seconds "${SECONDS_EACH:-5}"
