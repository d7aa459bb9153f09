#!/usr/bin/env bash
# Runs the service on the embedded default (SQLite) with the demo commission, after making sure
# the document fonts are installed. Extra arguments go to `greenlane serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/fonts.sh
exec cargo run --release -- serve --demo "$@"
