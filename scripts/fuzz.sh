#!/usr/bin/env bash
# Fuzzing: schemathesis (from PyPI) against /api/openapi.json, as anonymous, clerk, arbitrator,
# liaison, admin and director, on the demo commission (SQLite). Prints per role the operations, the test
# cases, the server errors and the other (conformance) failures; exits non-zero on any 5xx.
#   scripts/fuzz.sh [EXAMPLES]     BIN=target/release/greenlane (built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
examples=${1:-50}
bin=${BIN:-target/release/greenlane}
[[ -x $bin ]] || cargo build --release --locked --bin greenlane
# schemathesis from PyPI, in a virtual environment of its own unless one is on the PATH.
st=$(command -v st || true)
if [[ -z $st ]]; then
    [[ -x target/st-venv/bin/st ]] || { python3 -m venv target/st-venv && target/st-venv/bin/pip install --quiet 'schemathesis>=4,<5'; }
    st=target/st-venv/bin/st
fi
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export GREENLANE_DATABASE_URL="sqlite:$dir/fuzz.db" GREENLANE_ADDR="127.0.0.1:$port" GREENLANE_RATE_LIMIT_PER_MINUTE=0 RUST_LOG=warn
"$bin" demo >/dev/null
"$bin" serve >"$dir/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; [[ -n ${KEEP_FUZZ:-} ]] || rm -rf "$dir"' EXIT
echo "reports in $dir" >&2
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
# The demo accounts are named after their roles and share one password (src/demo/mod.rs).
password=greenlane-demo
token() {
    curl -sf "http://127.0.0.1:$port/api/v1/login" -H 'content-type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"$password\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
status=0
for role in anonymous clerk arbitrator liaison admin director; do
    headers=()
    if [[ $role != anonymous ]]; then headers=(-H "Authorization: Bearer $(token "$role")"); fi
    "$st" --config-file scripts/schemathesis.toml run "http://127.0.0.1:$port/api/openapi.json" "${headers[@]}" --checks all --max-examples "$examples" \
        --generation-deterministic --report junit --report-junit-path "$dir/$role.xml" --exclude-checks ignored_auth \
        >"$dir/$role.txt" 2>&1 || true
    python3 scripts/fuzz_report.py "$role" "$dir/$role.xml" || status=1
done
exit $status
