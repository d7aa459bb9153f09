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

# fsync off: the tests' cluster is thrown away, durability is not what they check.
PG_EXTRA_OPTS="-c fsync=off" start_throwaway_pg
export GREENLANE_TEST_POSTGRES_URL="$PG_URL"
cargo test --locked --all-targets "${args[@]}"
