#!/usr/bin/env bash
# Runs the benchmarks against SQLite and a throwaway PostgreSQL (see scripts/pg.sh), as the README
# reports them. Extra arguments go to `cargo bench`, e.g. `scripts/bench.sh --bench figures`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/pg.sh
bash scripts/fonts.sh
start_throwaway_pg
export GREENLANE_TEST_POSTGRES_URL="$PG_URL"
cargo bench --locked "$@"
