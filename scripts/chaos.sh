#!/usr/bin/env bash
# Chaos: kill -9 the service during a registration load, ROUNDS times on SQLite and on a throwaway
# PostgreSQL, then restart PostgreSQL under load. Prints acknowledged vs found registrations and
# exits non-zero on any loss (or any 500).
#   scripts/chaos.sh [ROUNDS]      BIN=target/release/greenlane (built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/pg.sh
rounds=${1:-10}
bin=${BIN:-target/release/greenlane}
[[ -x $bin ]] || cargo build --release --locked --bin greenlane
start_throwaway_pg
dir=$(mktemp -d)
trap 'rm -rf "$dir"; stop_throwaway_pg' EXIT
echo "== SQLite (synchronous=full), $rounds rounds"
python3 scripts/harness.py chaos --bin "$bin" --db "sqlite:$dir/chaos.db" --rounds "$rounds"
echo "== PostgreSQL, $rounds rounds, then a restart under load"
restart="${PG_AS[*]} $PG_CTL -D $PG_WORK/data -l $PG_WORK/pg.log -w -m fast restart >/dev/null"
python3 scripts/harness.py chaos --bin "$bin" --db "$PG_URL" --rounds "$rounds" --pg-restart "$restart"
