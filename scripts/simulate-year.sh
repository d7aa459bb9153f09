#!/usr/bin/env bash
# The simulator's benchmark (issue 24): a full Zhongshan year of both shipped scenarios, timed, with
# the memory peak, and the two compared. `scripts/simulate-year.sh [--documents on] [OUT]`:
# typesetting is off unless `--documents on` is given; the runs go to OUT (default sim/).
set -euo pipefail
cd "$(dirname "$0")/.."
documents=off
if [ "${1:-}" = "--documents" ]; then documents="$2"; shift 2; fi
out="${1:-sim}"
bash scripts/fonts.sh
cargo build --release --locked --bin greenlane
for scenario in zhongshan-2025-today zhongshan-2025-greenlane; do
    rm -rf "$out/$scenario-$documents"
    mkdir -p "$out/$scenario-$documents"
    /usr/bin/time -f "$scenario: %e s, memory peak %M KB" -o "$out/$scenario-$documents/time.txt" \
        ./target/release/greenlane simulate --scenario "scenarios/$scenario.toml" --out "$out/$scenario-$documents" \
        --documents "$documents"
    cat "$out/$scenario-$documents/time.txt"
done
python3 - "$out" "$documents" <<'PY'
import json, sys
out, documents = sys.argv[1], sys.argv[2]
rows = []
for s in ["zhongshan-2025-today", "zhongshan-2025-greenlane"]:
    f = json.load(open(f"{out}/{s}-{documents}/figures.json"))
    g = f["cycle_days"]["green"]
    rows.append((f["scenario"]["name"], f["closed"], f["within_limit_rate"], g["mean"], g["median"], g["p90"], g["max"], f["electronic_share"], f["first_over_limit"]))
print("| scenario | closed | within limit | green mean | median | p90 | max | electronic | first over limit |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
for r in rows:
    print(f"| {r[0]} | {r[1]:,} | {r[2]*100:.2f} % | {r[3]} | {r[4]} | {r[5]} | {r[6]} | {r[7]*100:.1f} % | {r[8] or '—'} |")
PY
