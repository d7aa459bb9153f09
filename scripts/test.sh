#!/usr/bin/env bash
# Runs the whole test suite against SQLite and a throwaway PostgreSQL (see scripts/pg.sh), the
# browser journeys included. `--no-browser` skips those explicitly (GREENLANE_SKIP_BROWSER=1);
# other arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."
args=()
for a in "$@"; do
    if [[ $a == --no-browser ]]; then export GREENLANE_SKIP_BROWSER=1; else args+=("$a"); fi
done
source scripts/pg.sh
# Formatting and lints first: a failure here is quick to see.
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
    rustup component add rustfmt clippy
fi
cargo fmt --check
cargo clippy --locked --all-targets -- -D warnings
# The documents' fonts, and poppler-utils and qpdf that check the PDFs.
bash scripts/fonts.sh
# Chromium, chromedriver and axe-core for tests/browser.rs.
[[ ${GREENLANE_SKIP_BROWSER:-} == 1 ]] || bash scripts/browser.sh
# The SMTP server the service-of-documents tests send to.
source scripts/smtp.sh

# fsync off: the tests' cluster is thrown away, durability is not what they check. A small,
# recycled WAL: every test's database is written to it when created, and a run of the suite
# otherwise leaves most of a gigabyte of it on the machine's disk.
PG_EXTRA_OPTS="-c fsync=off -c wal_level=minimal -c max_wal_senders=0 -c max_wal_size=96MB -c min_wal_size=32MB" \
    start_throwaway_pg
export GREENLANE_TEST_POSTGRES_URL="$PG_URL"
cargo test --locked --all-targets "${args[@]}"
